//! A node's timers: the proposer's (single-decree: its next try, or the end of a phase that
//! waits too long), the learner's question (single-decree), and Multi-Paxos's election
//! timeout and the leader's heartbeat.

use crate::sim::protocol::TimerKind;
use serde::{Deserialize, Serialize};

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "timer", rename_all = "snake_case")]
pub enum Timer {
    /// Single-decree proposer: start phase 1 (after a start delay or a retry delay), or give
    /// up a phase that has had no majority for `phase_timeout_us`.
    Proposer,
    /// Single-decree learner: ask the others what was chosen.
    Ask,
    /// Multi-Paxos: no leader heard from for a while, or a campaign that got no majority.
    Election,
    /// Multi-Paxos leader: send heartbeats and resend what is not yet accepted.
    Heartbeat,
}

impl TimerKind for Timer {
    const COUNT: usize = 4;

    fn slot(self) -> usize {
        match self {
            Timer::Proposer => 0,
            Timer::Ask => 1,
            Timer::Election => 2,
            Timer::Heartbeat => 3,
        }
    }
}
