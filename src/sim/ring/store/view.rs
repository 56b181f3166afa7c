//! Read-only projections of the ring store for the page: nodes, ring, messages, replica
//! sets and counters.

use super::message::Message;
use super::replicas::{nodes_of, Counts};
use super::{RingSettings, RingSim, RingStore};
use crate::sim::ring::hash::{token_position, Position};
use crate::sim::ring::strategy::ring::Ring;
use crate::sim::trace::Trace;
use crate::sim::types::Addr;
use crate::sim::types::NodeId;
use serde::{Deserialize, Serialize};

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeStatus {
    Up,
    /// Crashed, but the cluster has not noticed yet: still on the ring.
    Crashed,
    /// Crashed and noticed: off the ring; its disk keeps its replicas for a restart.
    Down,
    /// Removed from the ring, still sending its keys to their new owners.
    Leaving,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeView {
    pub id: NodeId,
    pub status: NodeStatus,
    /// Whether its tokens are on the ring that places keys now.
    pub in_ring: bool,
}

impl RingSim {
    pub fn settings(&self) -> &RingSettings {
        &self.engine.settings().store
    }

    pub fn nodes(&self) -> Vec<NodeView> {
        self.engine
            .world()
            .nodes
            .iter()
            .map(|(id, n)| NodeView {
                id: *id,
                status: match (n.up, n.detected_down, n.leaving) {
                    (false, false, _) => NodeStatus::Crashed,
                    (false, true, _) => NodeStatus::Down,
                    (true, _, true) => NodeStatus::Leaving,
                    (true, _, false) => NodeStatus::Up,
                },
                in_ring: !n.leaving && !n.detected_down,
            })
            .collect()
    }

    /// A node's token positions, sorted (whether or not it is on the ring now).
    pub fn tokens_of(&self, node: NodeId) -> Vec<Position> {
        let s = self.settings();
        let mut tokens: Vec<Position> = (0..s.vnodes)
            .map(|v| token_position(node.0, v, s.seed))
            .collect();
        tokens.sort_unstable();
        tokens
    }

    /// The ring that places keys now (members not noticed down), for drawing owner arcs.
    pub fn ring(&self) -> Option<&Ring> {
        self.engine.world().ring.as_deref()
    }

    /// Messages on the engine's wire, in id order. A transfer queued behind others on its
    /// sender's link has `sent_us` in the future: draw it from then.
    pub fn messages(&self) -> impl Iterator<Item = Message> + '_ {
        let s = self.settings();
        self.engine.flights().filter_map(move |f| {
            let (Addr::Node(from), Addr::Node(to)) = (f.from, f.to) else {
                return None;
            };
            let kind = f.msg.kind();
            let bytes = match kind {
                super::MessageKind::Transfer => {
                    <RingStore as crate::sim::protocol::Protocol>::message_bytes(&f.msg)
                }
                super::MessageKind::PutRequest | super::MessageKind::GetReply => {
                    REQUEST_HEADER_BYTES + s.value_bytes as u64
                }
                _ => REQUEST_HEADER_BYTES,
            };
            Some(Message {
                id: f.id,
                kind,
                from,
                to,
                sent_us: f.sent_us,
                deliver_us: f.deliver_us.first().copied().unwrap_or(f.sent_us),
                keys: f.msg.keys(),
                bytes,
            })
        })
    }

    pub fn transfers_in_flight(&self) -> u32 {
        self.engine.world().transfers.len() as u32
    }

    pub fn key_count(&self) -> u32 {
        self.engine.world().key_count()
    }

    pub fn key_position(&self, key: u32) -> Option<Position> {
        self.engine.world().positions.get(key as usize).copied()
    }

    /// Key positions in key order, for drawing keys on the circle.
    pub fn key_positions(&self) -> &[Position] {
        &self.engine.world().positions
    }

    /// Nodes holding a copy of `key` (any version), by id.
    pub fn replicas_of(&self, key: u32) -> Vec<NodeId> {
        if key >= self.key_count() {
            return Vec::new();
        }
        nodes_of(self.engine.world().table.holders(key))
    }

    /// Copies of `key` on its preference list (at most R): fewer than R means under-replicated.
    /// Cheap, so the page can sweep every key to draw where re-replication is pending.
    pub fn replica_count(&self, key: u32) -> u32 {
        if key >= self.key_count() {
            return 0;
        }
        let table = &self.engine.world().table;
        (table.holders(key) & table.desired(key))
            .count_ones()
            .min(self.settings().replication)
    }

    /// Nodes holding the latest write of `key`.
    pub fn latest_replicas_of(&self, key: u32) -> Vec<NodeId> {
        if key >= self.key_count() {
            return Vec::new();
        }
        nodes_of(self.engine.world().table.fresh(key))
    }

    /// The key's preference list on the current ring, in clockwise order (coordinator first).
    pub fn preference_list(&self, key: u32) -> Vec<NodeId> {
        self.engine
            .world()
            .preference_list(key, self.settings().replication)
    }

    pub fn counts(&self) -> Counts {
        self.engine.world().table.counts()
    }

    /// Keys with fewer than R copies on their preference list.
    pub fn under_replicated(&self) -> u32 {
        self.counts().under_replicated
    }

    /// Keys that no running node holds.
    pub fn unavailable_keys(&self) -> u32 {
        self.counts().unavailable
    }

    /// Keys that no node holds at all.
    pub fn lost_keys(&self) -> u32 {
        self.counts().lost
    }

    /// Index i: keys with i copies on their preference list, i in 0..=R. O(keys).
    pub fn replica_histogram(&self) -> Vec<u32> {
        self.engine
            .world()
            .table
            .replica_histogram(self.settings().replication)
    }

    /// Copies held by each node, by id. O(keys).
    pub fn copies_per_node(&self) -> Vec<(NodeId, u32)> {
        let w = self.engine.world();
        let counts = w.table.copies_per_node();
        w.nodes.keys().map(|id| (*id, counts[id.slot()])).collect()
    }

    /// The trace: the engine's framing lines and the store's own.
    pub fn trace(&self) -> &Trace<RingStore> {
        self.engine.trace()
    }

    /// The store's properties broken so far (checked live).
    pub fn violations(&self) -> &[super::RingViolation] {
        self.engine.violations()
    }
}

/// Bytes of a read or write message besides the value, as the page shows them.
const REQUEST_HEADER_BYTES: u64 = 64;
