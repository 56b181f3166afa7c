//! A node's timers: a server's ping, the view service's tick (it looks for dead servers),
//! the primary's resend of unacknowledged forwards, and a cold standby's replay.

use crate::sim::protocol::TimerKind;
use serde::{Deserialize, Serialize};

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "timer", rename_all = "snake_case")]
pub enum Timer {
    /// Server: ping the view service.
    Ping,
    /// View service: declare dead the servers not heard from, and move on if it may.
    Tick,
    /// Primary: send again what its backups (or the storage) have not acknowledged.
    Resend,
    /// Cold mode's new primary: the replay of the checkpoint and the log is done.
    Replay,
    /// Warm mode's primary: ship the writes its backups lack.
    Ship,
}

impl TimerKind for Timer {
    const COUNT: usize = 5;

    fn slot(self) -> usize {
        match self {
            Timer::Ping => 0,
            Timer::Tick => 1,
            Timer::Resend => 2,
            Timer::Replay => 3,
            Timer::Ship => 4,
        }
    }
}
