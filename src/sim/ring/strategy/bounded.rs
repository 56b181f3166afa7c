//! Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam 2018): keys
//! arrive in a fixed order, each node may hold at most ceil(c * K / n) of them, and a key whose
//! ring successor is full walks on clockwise to the first node with room.
//!
//! The outcome depends on arrival order; here keys arrive in key-set order (`key-0` first), so
//! the same key set and membership always give the same placement.

use super::ring::Ring;

/// The per-node capacity ceil(c * keys / n), with c given in thousandths. Integer arithmetic,
/// so every platform agrees; at least 1 so that a tiny key set can still be placed.
pub fn capacity(keys: u32, nodes: u32, load_factor_milli: u32) -> u64 {
    let numerator = keys as u64 * load_factor_milli as u64;
    let denominator = 1000 * nodes.max(1) as u64;
    numerator.div_ceil(denominator).max(1)
}

/// Loads so far, and the capacity they may not exceed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounded {
    loads: Vec<u64>,
    capacity: u64,
}

impl Bounded {
    pub fn new(nodes: u32, capacity: u64) -> Bounded {
        Bounded {
            loads: vec![0; nodes as usize],
            capacity,
        }
    }

    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    /// Places one key whose successor token is `start`: returns the token index it settled at
    /// and the tokens stepped over. Every node full (more keys than promised) falls back to the
    /// plain successor, so a lookup always ends.
    pub fn place(&mut self, ring: &Ring, start: u32) -> (u32, u32) {
        let mut index = start;
        let mut steps = 0;
        while steps < ring.token_count() {
            let slot = ring.owner_slot(index) as usize;
            if self.loads[slot] < self.capacity {
                self.loads[slot] += 1;
                return (index, steps);
            }
            index = ring.next_index(index);
            steps += 1;
        }
        self.loads[ring.owner_slot(start) as usize] += 1;
        (start, steps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_rounds_up() {
        assert_eq!(capacity(100_000, 32, 1250), 3907); // 3906.25 rounded up
        assert_eq!(capacity(10, 3, 1000), 4);
        assert_eq!(capacity(0, 3, 1250), 1);
    }
}
