//! The one timer a node arms: a tick while it has something that can time out (votes to
//! collect, acknowledgements to wait for, locks to wait for, a decision to wait for). Every
//! deadline is kept with the transaction it belongs to and checked on the tick, since the
//! engine keeps at most one timer of each kind and a node has many transactions.

use super::config::TwoPcConfig;
use super::types::Out;
use crate::sim::protocol::{Effect, TimerKind};
use serde::{Deserialize, Serialize};

/// A member of the coordinator group also arms its Raft's two timers.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "timer", rename_all = "snake_case")]
pub enum Timer {
    Tick,
    RaftElection,
    RaftHeartbeat,
}

impl TimerKind for Timer {
    const COUNT: usize = 3;

    fn slot(self) -> usize {
        match self {
            Timer::Tick => 0,
            Timer::RaftElection => 1,
            Timer::RaftHeartbeat => 2,
        }
    }
}

/// Sets the tick when the node has something that can time out and no tick is set; `armed`
/// is the node's own note that one is.
pub(super) fn arm_tick(armed: &mut bool, pending: bool, config: &TwoPcConfig, out: &mut Out) {
    if !*armed && pending {
        *armed = true;
        out.push(Effect::SetTimer {
            timer: Timer::Tick,
            after_us: config.tick_us,
        });
    }
}
