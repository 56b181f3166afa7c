//! The protocol's own queued events (`Driver::WorldEvent`): its clients' next operations and
//! retries, and the second half of the faults aimed at the primary.

use crate::sim::types::NodeId;

/// A client's queued events.
#[derive(Clone, Debug)]
pub enum ClientEvent {
    /// Send the next operation.
    Next { client: u32 },
    /// Send the operation in flight again (to the same server after a redirect, else to
    /// another) if attempt `attempt` is still unanswered.
    Retry {
        client: u32,
        attempt: u32,
        elsewhere: bool,
    },
}

/// The protocol's own queued events: its clients', and the second half of the faults aimed
/// at the primary.
#[derive(Clone, Debug)]
pub enum PbEvent {
    Client(ClientEvent),
    /// The primary crashed by `CrashPrimary` comes back.
    Restart {
        node: NodeId,
    },
    /// The primary cut off by `IsolatePrimary` reaches the view service again.
    Reconnect {
        node: NodeId,
    },
}
