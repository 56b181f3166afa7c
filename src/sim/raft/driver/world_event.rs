//! The events Raft's engine-side parts queue on the engine: a restarting node's next replay
//! step, its clients' timeouts, and membership changes offered again. The clients and the replay both queue them, and the
//! `Driver` carries them out.

use crate::sim::types::{ClientId, NodeId};

/// A queued event of Raft's engine-side parts.
#[derive(Clone, Debug)]
pub enum WorldEvent {
    /// The next step of a restarting node's replay.
    Recover {
        node: NodeId,
    },
    ClientTimeout {
        client: ClientId,
        request: u64,
        attempt: u32,
    },
    ClientNext {
        client: ClientId,
    },
    /// A membership change no leader took yet, offered again.
    RetryChange {
        change: Change,
        attempt: u32,
    },
}

/// One membership change: add or remove `node`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub node: NodeId,
    pub add: bool,
}
