//! Trace events of the ring store: what the page animates and the tests compare.

use super::message::LossReason;
use crate::sim::types::{Micros, MsgId, NodeId};
use serde::{Deserialize, Serialize};

/// One line of the ring trace: the simulated time `t` in microseconds and what happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingTraceLine {
    pub t: Micros,
    #[serde(flatten)]
    pub event: RingEvent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RingEvent {
    NodeCrashed {
        node: NodeId,
    },
    /// The cluster noticed the crash and took the node's tokens off the ring.
    NodeDownDetected {
        node: NodeId,
    },
    NodeRestarted {
        node: NodeId,
    },
    NodeAdded {
        node: NodeId,
    },
    /// The node left the ring and now only serves as a transfer source.
    NodeLeaving {
        node: NodeId,
    },
    /// The node is gone with whatever it still held; `keys_lost` had no other copy.
    NodeRemoved {
        node: NodeId,
        keys_lost: u32,
    },
    LinksChanged {
        cuts: u32,
    },
    /// The new owners of changed ranges planned their streams: `key_copies` replicas to
    /// create in `transfers` messages, and `replicas_dropped` surplus copies deleted
    /// (hand-off finished: Dynamo section 4.6).
    RingRebalance {
        transfers: u32,
        key_copies: u32,
        replicas_dropped: u32,
        under_replicated: u32,
    },
    RingTransferStart {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        keys: u32,
        bytes: u64,
        /// When the first byte leaves (later than `t` if the sender's link is busy).
        send_t: Micros,
        deliver_t: Micros,
    },
    RingTransferDone {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        keys: u32,
    },
    RingTransferLost {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        keys: u32,
        reason: LossReason,
    },
    /// Under-replicated keys are back to zero.
    RingFullyReplicated,
    PutDone {
        key: u32,
        coordinator: Option<NodeId>,
        ok: bool,
        acks: u32,
    },
    GetDone {
        key: u32,
        coordinator: Option<NodeId>,
        ok: bool,
        replies: u32,
        /// Some reply held the latest write.
        latest: bool,
    },
}
