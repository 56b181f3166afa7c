//! Rendezvous, or highest-random-weight, hashing (Thaler and Ravishankar 1998): every node
//! scores every key and the highest score wins; the R highest scores form the replica list.

use super::super::hash::{mix64, node_hash, Position};
use super::super::membership::Membership;

/// One precomputed seed per slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendezvous {
    node_seeds: Vec<u64>,
}

impl Rendezvous {
    pub fn build(members: &Membership, seed: u64) -> Rendezvous {
        Rendezvous {
            node_seeds: members
                .slots()
                .iter()
                .map(|id| node_hash(id.0, 0, seed))
                .collect(),
        }
    }

    /// Node `slot`'s weight for `pos`: one mix per (key, node) pair, the per-pair hash that
    /// Thaler and Ravishankar (section 3) require to be a pseudo-random function of both.
    pub fn weight(&self, slot: u32, pos: Position) -> u64 {
        mix64(pos ^ self.node_seeds[slot as usize])
    }

    /// The winning slot: n hash evaluations, ties (probability 2^-64) to the lower slot.
    pub fn slot(&self, pos: Position) -> u32 {
        // Starting from weight 0 at slot 0 gives the same winner as starting from slot 0's
        // weight (a weight is never below 0), without a first-iteration branch in the loop.
        let mut best_slot = 0;
        let mut best_weight = 0;
        for (slot, node_seed) in self.node_seeds.iter().enumerate() {
            let w = mix64(pos ^ node_seed);
            if w > best_weight {
                best_slot = slot as u32;
                best_weight = w;
            }
        }
        best_slot
    }

    /// The `r` slots with the highest weights, highest first.
    pub fn preference_slots(&self, pos: Position, r: u32, out: &mut Vec<u32>) {
        let mut scored: Vec<(u64, u32)> = (0..self.node_seeds.len() as u32)
            .map(|slot| (self.weight(slot, pos), slot))
            .collect();
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        out.clear();
        out.extend(scored.iter().take(r as usize).map(|s| s.1));
    }
}
