//! What the textbooks predict, for the page's reference lines and the tests' expectations.

use super::membership::Membership;
use std::collections::BTreeSet;

/// The least fraction of keys that must move from `before` to `after`: the keys of removed
/// nodes (|removed| / |before|) plus the share the new nodes must receive (|added| / |after|).
/// For adding one node to n this is 1/(n+1), the bound consistent hashing meets (Karger et
/// al. 1997, section 4, "monotonicity").
pub fn ideal_moved_fraction(before: &Membership, after: &Membership) -> f64 {
    let old: BTreeSet<_> = before.slots().iter().collect();
    let new: BTreeSet<_> = after.slots().iter().collect();
    let removed = old.difference(&new).count() as f64;
    let added = new.difference(&old).count() as f64;
    removed / before.len() as f64 + added / after.len() as f64
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The fraction of keys modulo-N moves when n changes from `a` to `b` (slots kept in place):
/// a key stays iff k mod a == k mod b, which over one period lcm(a, b) happens for exactly
/// min(a, b) residues. From n to n + 1 that is n/(n+1) moved.
pub fn modulo_moved_fraction(a: u32, b: u32) -> f64 {
    let (a, b) = (a.max(1) as u64, b.max(1) as u64);
    let lcm = a / gcd(a, b) * b;
    1.0 - a.min(b) as f64 / lcm as f64
}

/// Expected relative standard deviation of key counts over n nodes with V tokens each and K
/// keys. A node's share of the ring is a sum of V of the nV arcs, Beta(V, (n-1)V), with
/// relative variance (n-1)/(nV+1), about 1/V; counting K keys adds the multinomial's (n-1)/K.
pub fn ring_load_rel_std_dev(vnodes: u32, nodes: u32, keys: u32) -> f64 {
    let (v, n, k) = (
        vnodes.max(1) as f64,
        nodes.max(1) as f64,
        keys.max(1) as f64,
    );
    ((n - 1.0) / (n * v + 1.0) + (n - 1.0) / k).sqrt()
}

/// The band that about 99% of nodes' key counts fall in, as (low, high) key counts: the mean
/// +- 2.576 standard deviations (normal approximation of the spread above).
pub fn ring_load_band_99(vnodes: u32, nodes: u32, keys: u32) -> (f64, f64) {
    let mean = keys as f64 / nodes.max(1) as f64;
    let spread = 2.576 * ring_load_rel_std_dev(vnodes, nodes, keys) * mean;
    ((mean - spread).max(0.0), mean + spread)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::types::NodeId;

    #[test]
    fn ideal_and_modulo_fractions() {
        let eight = Membership::contiguous(8).unwrap();
        assert!((ideal_moved_fraction(&eight, &eight.with_added(1)) - 1.0 / 9.0).abs() < 1e-12);
        let seven = eight.without(&[NodeId(3)]).unwrap();
        assert!((ideal_moved_fraction(&eight, &seven) - 1.0 / 8.0).abs() < 1e-12);
        assert!((modulo_moved_fraction(8, 9) - 8.0 / 9.0).abs() < 1e-12);
        assert!((modulo_moved_fraction(4, 2) - 0.5).abs() < 1e-12);
        // Many nodes and keys: the 1/sqrt(V) law alone.
        assert!((ring_load_rel_std_dev(100, 1000, u32::MAX) - 0.1).abs() < 1e-3);
    }
}
