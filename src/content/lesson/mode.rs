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
    /// The Paxos mode: read beside the live Paxos page, like the retransmission lessons.
    Paxos,
    /// The Primary-backup mode: read beside the live primary-backup page, like the
    /// retransmission lessons.
    PrimaryBackup,
}

impl LessonMode {
    pub(super) fn from_name(name: &str) -> Result<LessonMode, String> {
        match name {
            "raft" => Ok(LessonMode::Raft),
            "log_replay" => Ok(LessonMode::LogReplay),
            "ring" => Ok(LessonMode::Ring),
            "retransmit" => Ok(LessonMode::Retransmit),
            "2pc" => Ok(LessonMode::TwoPc),
            "paxos" => Ok(LessonMode::Paxos),
            "primary_backup" => Ok(LessonMode::PrimaryBackup),
            other => Err(format!(
                "mode `{other}` is unknown (expected raft, log_replay, ring, retransmit, 2pc, paxos or primary_backup)"
            )),
        }
    }

    /// Whether the lesson is read beside a live page (Hash ring, Retransmission, Two-phase
    /// commit): its steps
    /// are words only, and its tasks and predictions act on the run the learner has.
    pub fn live(self) -> bool {
        matches!(
            self,
            LessonMode::Ring
                | LessonMode::Retransmit
                | LessonMode::TwoPc
                | LessonMode::Paxos
                | LessonMode::PrimaryBackup
        )
    }

    /// Whether the lesson's goals count events of a live run ([`super::live`]): the
    /// Retransmission, Two-phase commit, Paxos and Primary-backup lessons.
    pub fn counts_live_events(self) -> bool {
        matches!(
            self,
            LessonMode::Retransmit
                | LessonMode::TwoPc
                | LessonMode::Paxos
                | LessonMode::PrimaryBackup
        )
    }
}
