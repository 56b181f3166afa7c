//! Which nodes can currently send to which: one-way cuts and partitions into groups.

use super::settings::MAX_NODE_ID;
use crate::sim::types::NodeId;
use std::collections::BTreeSet;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Links {
    /// Cut directed links (from, to).
    cuts: BTreeSet<(NodeId, NodeId)>,
    /// Each node's group while partitioned; nodes not named are in group `groups.len()`.
    groups: Option<Vec<u32>>,
}

impl Links {
    pub fn can_send(&self, from: NodeId, to: NodeId) -> bool {
        if from == to {
            return true;
        }
        if let Some(groups) = &self.groups {
            if groups.get(from.slot()) != groups.get(to.slot()) {
                return false;
            }
        }
        !self.cuts.contains(&(from, to))
    }

    /// Bit mask of the nodes that can send to `to`.
    pub fn senders_to(&self, to: NodeId) -> u64 {
        (1..=MAX_NODE_ID)
            .filter(|n| self.can_send(NodeId(*n), to))
            .fold(0, |mask, n| mask | 1u64 << (n - 1))
    }

    pub fn cut(&mut self, from: NodeId, to: NodeId, both: bool) {
        self.cuts.insert((from, to));
        if both {
            self.cuts.insert((to, from));
        }
    }

    pub fn repair(&mut self, from: NodeId, to: NodeId, both: bool) {
        self.cuts.remove(&(from, to));
        if both {
            self.cuts.remove(&(to, from));
        }
    }

    pub fn partition(&mut self, groups: &[Vec<NodeId>]) {
        let rest = groups.len() as u32;
        let mut of = vec![rest; MAX_NODE_ID as usize];
        for (g, members) in groups.iter().enumerate() {
            for node in members {
                if let Some(slot) = of.get_mut(node.slot()) {
                    *slot = g as u32;
                }
            }
        }
        self.groups = Some(of);
    }

    pub fn heal(&mut self) {
        self.cuts.clear();
        self.groups = None;
    }

    /// Directed node pairs that cannot talk, for the trace.
    pub fn cut_count(&self, nodes: &[NodeId]) -> u32 {
        let mut count = 0;
        for a in nodes {
            for b in nodes {
                if a != b && !self.can_send(*a, *b) {
                    count += 1;
                }
            }
        }
        count
    }
}
