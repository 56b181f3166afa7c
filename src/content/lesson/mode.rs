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
}

impl LessonMode {
    pub(super) fn from_name(name: &str) -> Result<LessonMode, String> {
        match name {
            "raft" => Ok(LessonMode::Raft),
            "log_replay" => Ok(LessonMode::LogReplay),
            "ring" => Ok(LessonMode::Ring),
            "retransmit" => Ok(LessonMode::Retransmit),
            other => Err(format!(
                "mode `{other}` is unknown (expected raft, log_replay, ring or retransmit)"
            )),
        }
    }

    /// Whether the lesson is read beside a live page (Hash ring, Retransmission): its steps
    /// are words only, and its tasks and predictions act on the run the learner has.
    pub fn live(self) -> bool {
        matches!(self, LessonMode::Ring | LessonMode::Retransmit)
    }
}
