//! The ring store's own trace lines (`Event::Protocol`), beside the engine's framing: the
//! engine writes `send`/`deliver`/`drop` for its messages, `crash`/`restart` for its nodes and
//! `partition`/`heal`/`cut`/`repair` for the network.

use super::message::LossReason;
use super::RingStore;
use crate::sim::protocol::Line;
use crate::sim::types::{Micros, MsgId, NodeId};
use serde::{Deserialize, Serialize};

/// One line of a ring store run's trace.
pub type RingTraceLine = Line<RingStore>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RingEvent {
    /// The run's shape, first: what the live checks need to know of the settings.
    RingStarted {
        nodes: u32,
        keys: u32,
        replication: u32,
        write_quorum: u32,
        read_quorum: u32,
    },
    /// The cluster noticed the crash and took the node's tokens off the ring.
    NodeDownDetected {
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
    /// Directed pairs of the store's nodes that cannot talk, after a network change.
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
    /// A transfer was handed to the network (its `send` line is just before): when its first
    /// byte leaves, later than `t` if the sender's link is busy.
    RingTransferStart {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        keys: u32,
        bytes: u64,
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
    /// Some keys have fewer than R copies on their preference list, where none had.
    RingUnderReplicated {
        keys: u32,
    },
    /// Under-replicated keys are back to zero.
    RingFullyReplicated,
    /// `keys` more keys have no copy left on any node, running or crashed.
    RingKeysLost {
        keys: u32,
    },
    PutDone {
        request: u64,
        key: u32,
        coordinator: Option<NodeId>,
        ok: bool,
        acks: u32,
    },
    GetDone {
        request: u64,
        key: u32,
        coordinator: Option<NodeId>,
        ok: bool,
        replies: u32,
        /// Some reply held the latest write.
        latest: bool,
    },
}

/// The `kind`s of the ring store's own lines.
pub const RING_KINDS: &[&str] = &[
    "ring_started",
    "node_down_detected",
    "node_added",
    "node_leaving",
    "node_removed",
    "links_changed",
    "ring_rebalance",
    "ring_transfer_start",
    "ring_transfer_done",
    "ring_transfer_lost",
    "ring_under_replicated",
    "ring_fully_replicated",
    "ring_keys_lost",
    "put_done",
    "get_done",
];

impl RingEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            RingEvent::RingStarted { .. } => "ring_started",
            RingEvent::NodeDownDetected { .. } => "node_down_detected",
            RingEvent::NodeAdded { .. } => "node_added",
            RingEvent::NodeLeaving { .. } => "node_leaving",
            RingEvent::NodeRemoved { .. } => "node_removed",
            RingEvent::LinksChanged { .. } => "links_changed",
            RingEvent::RingRebalance { .. } => "ring_rebalance",
            RingEvent::RingTransferStart { .. } => "ring_transfer_start",
            RingEvent::RingTransferDone { .. } => "ring_transfer_done",
            RingEvent::RingTransferLost { .. } => "ring_transfer_lost",
            RingEvent::RingUnderReplicated { .. } => "ring_under_replicated",
            RingEvent::RingFullyReplicated => "ring_fully_replicated",
            RingEvent::RingKeysLost { .. } => "ring_keys_lost",
            RingEvent::PutDone { .. } => "put_done",
            RingEvent::GetDone { .. } => "get_done",
        }
    }

    /// The node the line is about: the node itself, a transfer's sender, a coordinator.
    pub fn node(&self) -> Option<NodeId> {
        match self {
            RingEvent::NodeDownDetected { node }
            | RingEvent::NodeAdded { node }
            | RingEvent::NodeLeaving { node }
            | RingEvent::NodeRemoved { node, .. } => Some(*node),
            RingEvent::RingTransferStart { from, .. }
            | RingEvent::RingTransferDone { from, .. }
            | RingEvent::RingTransferLost { from, .. } => Some(*from),
            RingEvent::PutDone { coordinator, .. } | RingEvent::GetDone { coordinator, .. } => {
                *coordinator
            }
            _ => None,
        }
    }
}
