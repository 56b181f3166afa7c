//! Which face of the page a lesson runs in, named by its `mode` field.

/// Which face of the page a lesson runs in.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LessonMode {
    Raft,
    LogReplay,
    /// The Hash ring mode: its lessons are read beside the live ring page, and their steps
    /// carry no scenario.
    Ring,
    /// The Retransmission mode: its lessons are read beside the live retransmission page, and
    /// their steps carry no scenario either.
    Retransmit,
    /// The Two-phase commit mode: read beside the live two-phase commit page, like the
    /// retransmission lessons.
    TwoPc,
}

impl LessonMode {
    pub(super) fn from_name(name: &str) -> Result<LessonMode, String> {
        match name {
            "raft" => Ok(LessonMode::Raft),
            "log_replay" => Ok(LessonMode::LogReplay),
            "ring" => Ok(LessonMode::Ring),
            "retransmit" => Ok(LessonMode::Retransmit),
            "2pc" => Ok(LessonMode::TwoPc),
            other => Err(format!(
                "mode `{other}` is unknown (expected raft, log_replay, ring, retransmit or 2pc)"
            )),
        }
    }

    /// Whether the lesson is read beside a live page (Hash ring, Retransmission, Two-phase
    /// commit): its steps
    /// are words only, and its tasks and predictions act on the run the learner has.
    pub fn live(self) -> bool {
        matches!(
            self,
            LessonMode::Ring | LessonMode::Retransmit | LessonMode::TwoPc
        )
    }

    /// Whether the lesson's goals count events of a live run ([`super::live`]): the
    /// Retransmission and Two-phase commit lessons.
    pub fn counts_live_events(self) -> bool {
        matches!(self, LessonMode::Retransmit | LessonMode::TwoPc)
    }
}
