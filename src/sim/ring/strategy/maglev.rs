//! Maglev hashing (Eisenbud et al. 2016, section 3.4): each node walks its own permutation of
//! a prime-sized lookup table, taking turns to claim its next free entry until the table is
//! full; a lookup is one table read.

use super::super::hash::{node_hash, Position};
use super::super::membership::Membership;
use crate::sim::types::NodeId;

/// The default table size: a prime well above 100 x the node count (section 3.4 asks for
/// M >> N, and the paper's production size 65537 is prime).
pub const DEFAULT_TABLE_SIZE: u32 = 65_537;

/// A filled lookup table of slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Maglev {
    entries: Vec<u32>,
    /// Entries probed while filling: the table's build cost (expected M ln M / N per node).
    build_probes: u64,
}

pub fn is_prime(n: u32) -> bool {
    if n < 2 {
        return false;
    }
    let n = n as u64;
    let mut d = 2u64;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 1;
    }
    true
}

impl Maglev {
    /// Fills a table of `size` entries (a prime at least the node count; the caller checks).
    /// Nodes take turns in increasing id order, so the table depends only on the set of ids.
    pub fn build(members: &Membership, size: u32, seed: u64) -> Maglev {
        let m = size as u64;
        let mut order: Vec<(NodeId, u32)> = members
            .slots()
            .iter()
            .enumerate()
            .map(|(slot, id)| (*id, slot as u32))
            .collect();
        order.sort_unstable();
        // Section 3.4: offset in [0, M), skip in [1, M), so each permutation visits every entry.
        let walks: Vec<(u64, u64)> = order
            .iter()
            .map(|(id, _)| {
                let offset = node_hash(id.0, 1, seed) % m;
                let skip = node_hash(id.0, 2, seed) % (m - 1) + 1;
                (offset, skip)
            })
            .collect();
        // `cursor[i]` is permutation[i][next[i]] = (offset + next[i] * skip) mod M, stepped by
        // adding `skip` and subtracting M on overflow instead of a 64-bit division per probe.
        let mut cursor: Vec<u64> = walks.iter().map(|(offset, _)| *offset).collect();
        let mut entries = vec![u32::MAX; size as usize];
        let mut filled = 0u64;
        let mut build_probes = 0u64;
        'fill: loop {
            for (i, (_, slot)) in order.iter().enumerate() {
                let skip = walks[i].1;
                let mut c = cursor[i];
                build_probes += 1;
                while entries[c as usize] != u32::MAX {
                    c += skip;
                    if c >= m {
                        c -= m;
                    }
                    build_probes += 1;
                }
                entries[c as usize] = *slot;
                c += skip;
                if c >= m {
                    c -= m;
                }
                cursor[i] = c;
                filled += 1;
                if filled == m {
                    break 'fill;
                }
            }
        }
        Maglev {
            entries,
            build_probes,
        }
    }

    pub fn entry_index(&self, pos: Position) -> u32 {
        (pos % self.entries.len() as u64) as u32
    }

    /// The slot of `pos`: one table read.
    pub fn slot(&self, pos: Position) -> u32 {
        self.entries[self.entry_index(pos) as usize]
    }

    pub fn entries(&self) -> &[u32] {
        &self.entries
    }

    pub fn build_probes(&self) -> u64 {
        self.build_probes
    }

    /// Replicas for Maglev, which has none of its own: walking the table forward from the
    /// key's entry, the first `r` distinct slots (the ring's rule applied to the table).
    pub fn preference_slots(&self, pos: Position, r: u32, nodes: u32, out: &mut Vec<u32>) {
        out.clear();
        let want = r.min(nodes) as usize;
        let mut index = self.entry_index(pos) as usize;
        let mut steps = 0;
        while out.len() < want && steps < self.entries.len() {
            let slot = self.entries[index];
            if !out.contains(&slot) {
                out.push(slot);
            }
            index = (index + 1) % self.entries.len();
            steps += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primes() {
        assert!(is_prime(65_537));
        assert!(is_prime(2));
        assert!(!is_prime(65_536));
        assert!(!is_prime(1));
        assert!(!is_prime(65_535));
    }

    /// Eisenbud et al. 2016, section 3.4: because nodes take turns, every node ends with
    /// floor(M/N) or ceil(M/N) entries (the last round may be cut short), "almost equal".
    #[test]
    fn entries_are_spread_within_one() {
        for (n, seed) in [(3u32, 1u64), (7, 2), (32, 3)] {
            let members = Membership::contiguous(n).unwrap();
            let table = Maglev::build(&members, 65_537, seed);
            let mut counts = vec![0u32; n as usize];
            for slot in table.entries() {
                counts[*slot as usize] += 1;
            }
            let lo = *counts.iter().min().unwrap();
            let hi = *counts.iter().max().unwrap();
            assert!(hi - lo <= 1, "n={n}: {lo}..{hi}");
        }
    }
}
