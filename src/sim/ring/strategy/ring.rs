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
    /// `bucket_start[j]` is the first token at or after position `j << bucket_shift`.
    bucket_start: Vec<u32>,
    bucket_shift: u32,
}

/// The radix index's size: about one bucket per token, at most 2^20 buckets (4 MiB).
fn bucket_bits(tokens: usize) -> u32 {
    let mut bits = 1;
    while bits < 20 && (1usize << bits) < tokens {
        bits += 1;
    }
    bits
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
        let tokens: Vec<Position> = pairs.iter().map(|p| p.0).collect();
        let bits = bucket_bits(tokens.len());
        let bucket_shift = 64 - bits;
        let mut bucket_start = Vec::with_capacity(1 << bits);
        let mut next = 0usize;
        for bucket in 0..(1u64 << bits) {
            while next < tokens.len() && (tokens[next] >> bucket_shift) < bucket {
                next += 1;
            }
            bucket_start.push(next as u32);
        }
        Ring {
            tokens,
            owner_slots: pairs.iter().map(|p| p.2).collect(),
            nodes: members.slots().to_vec(),
            bucket_start,
            bucket_shift,
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
    /// number of token comparisons it took: the ring's lookup cost.
    ///
    /// A radix index on the top bits of the position jumps straight to the first token of the
    /// key's bucket, and a short scan finishes the search: about one comparison per lookup
    /// with random tokens, against log2(nV) dependent loads for a binary search, which at
    /// 100,000 keys and 8,192 tokens was the whole recompute budget.
    pub fn successor(&self, pos: Position) -> (u32, u32) {
        let tokens = &self.tokens[..];
        let mut index = self.bucket_start[(pos >> self.bucket_shift) as usize] as usize;
        let mut comparisons = 1;
        while index < tokens.len() && tokens[index] < pos {
            index += 1;
            comparisons += 1;
        }
        if index >= tokens.len() {
            index = 0;
        }
        (index as u32, comparisons)
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
        for (i, token) in ring.tokens().iter().enumerate() {
            assert_eq!(
                ring.successor(*token).0,
                i as u32,
                "a key on a token belongs to it"
            );
            let expected = ((i + 1) % ring.tokens().len()) as u32;
            assert_eq!(ring.successor(token.wrapping_add(1)).0, expected);
        }
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
