//! The token ring: every node owns V virtual nodes (tokens) and a key belongs to the first
//! token at or after its position, clockwise (Karger et al. 1997, section 4; DeCandia et al.
//! 2007, Dynamo section 4.2).

use super::super::hash::{token_position, Position};
use super::super::membership::Membership;
use crate::sim::types::NodeId;

/// Sorted tokens with the slot of the node that owns each one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ring {
    /// Token positions in increasing order.
    tokens: Vec<Position>,
    /// `owner_slots[i]` is the membership slot of the node that owns `tokens[i]`.
    owner_slots: Vec<u32>,
    /// The node in each membership slot.
    nodes: Vec<NodeId>,
}

impl Ring {
    /// The ring of `members`, each with `vnodes` tokens drawn with `seed`.
    pub fn build(members: &Membership, vnodes: u32, seed: u64) -> Ring {
        let mut pairs: Vec<(Position, NodeId, u32)> =
            Vec::with_capacity(members.slots().len() * vnodes as usize);
        for (slot, id) in members.slots().iter().enumerate() {
            for v in 0..vnodes {
                pairs.push((token_position(id.0, v, seed), *id, slot as u32));
            }
        }
        // Sorting by (position, node) keeps the order total even if two tokens ever collide.
        pairs.sort_unstable();
        Ring {
            tokens: pairs.iter().map(|p| p.0).collect(),
            owner_slots: pairs.iter().map(|p| p.2).collect(),
            nodes: members.slots().to_vec(),
        }
    }

    pub fn tokens(&self) -> &[Position] {
        &self.tokens
    }

    pub fn token_count(&self) -> u32 {
        self.tokens.len() as u32
    }

    pub fn nodes(&self) -> &[NodeId] {
        &self.nodes
    }

    /// The slot that owns token `index`.
    pub fn owner_slot(&self, index: u32) -> u32 {
        self.owner_slots[index as usize]
    }

    /// The node that owns token `index`.
    pub fn owner(&self, index: u32) -> NodeId {
        self.nodes[self.owner_slots[index as usize] as usize]
    }

    /// Index of the first token at or after `pos` (wrapping past the top of the ring), and the
    /// number of comparisons the binary search made: the ring's lookup cost, ceil(log2(nV)).
    pub fn successor(&self, pos: Position) -> (u32, u32) {
        let mut lo = 0usize;
        let mut hi = self.tokens.len();
        let mut comparisons = 0;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            comparisons += 1;
            if self.tokens[mid] < pos {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo == self.tokens.len() {
            lo = 0;
        }
        (lo as u32, comparisons)
    }

    /// The token after `index`, clockwise.
    pub fn next_index(&self, index: u32) -> u32 {
        if index as usize + 1 == self.tokens.len() {
            0
        } else {
            index + 1
        }
    }

    /// Dynamo's preference list (section 4.3): walking clockwise from token `start`, the first
    /// `r` distinct physical nodes, as slots. Fewer when the ring has fewer nodes. Returns the
    /// tokens stepped over, so callers can report the cost.
    pub fn preference_slots_from(&self, start: u32, r: u32, out: &mut Vec<u32>) -> u32 {
        out.clear();
        let want = (r as usize).min(self.nodes.len());
        let mut index = start;
        let mut steps = 0;
        while out.len() < want && steps < self.tokens.len() as u32 {
            let slot = self.owner_slots[index as usize];
            if !out.contains(&slot) {
                out.push(slot);
            }
            index = self.next_index(index);
            steps += 1;
        }
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successor_wraps_past_the_top() {
        let members = Membership::contiguous(3).unwrap();
        let ring = Ring::build(&members, 4, 1);
        let last = *ring.tokens().last().unwrap();
        assert_eq!(ring.successor(last.wrapping_add(1)).0, 0);
        assert_eq!(ring.successor(last).0, ring.token_count() - 1);
        assert_eq!(ring.successor(0).0, 0);
        assert!(ring.tokens().windows(2).all(|w| w[0] <= w[1]));
    }

    /// Dynamo section 4.3: the preference list skips tokens of nodes already on it, so it holds
    /// distinct physical nodes.
    #[test]
    fn preference_lists_hold_distinct_nodes() {
        let members = Membership::contiguous(5).unwrap();
        let ring = Ring::build(&members, 16, 3);
        let mut out = Vec::new();
        for start in 0..ring.token_count() {
            ring.preference_slots_from(start, 3, &mut out);
            assert_eq!(out.len(), 3);
            assert_eq!(out[0], ring.owner_slot(start));
            let mut sorted = out.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), 3);
        }
        ring.preference_slots_from(0, 9, &mut out);
        assert_eq!(out.len(), 5, "never more nodes than the ring has");
    }
}
