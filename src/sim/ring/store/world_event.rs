//! The events the store queues on the engine: failure detection, request timeouts, the
//! workload's ticks and transfers lost on the wire. The world, its nodes and its requests
//! queue them; `events.rs` carries them out.

use crate::sim::types::{MsgId, NodeId};

/// Queued events of the store.
#[derive(Clone, Debug, PartialEq)]
pub enum WorldEvent {
    /// The cluster notices the crash of this life of the node.
    DetectDown {
        node: NodeId,
        incarnation: u32,
    },
    RequestTimeout(u64),
    WorkloadTick,
    /// A transfer the network dropped when it was sent would have arrived now.
    TransferLost {
        id: MsgId,
    },
}
