//! Jump consistent hash (Lamping and Veach 2014, "A Fast, Minimal Memory, Consistent Hash
//! Algorithm", Figure 1): no state, expected ln(n) + 1 loop iterations per lookup.
//!
//! The paper's version divides in `f64`. That is deterministic on every platform because IEEE
//! 754 requires division and integer conversion to be correctly rounded, and the operands
//! (integers below 2^53) are exact.

use super::super::hash::Position;

/// The bucket in `0..buckets` for `key`, and the number of loop iterations it took.
pub fn bucket(mut key: u64, buckets: u32) -> (u32, u32) {
    let mut b: i64 = -1;
    let mut j: i64 = 0;
    let mut iterations = 0;
    while j < buckets as i64 {
        b = j;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        j = ((b + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
        iterations += 1;
    }
    (b.max(0) as u32, iterations)
}

/// Jump hash of a ring position.
pub fn slot(pos: Position, buckets: u32) -> (u32, u32) {
    bucket(pos, buckets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lamping and Veach 2014, section 2: when the bucket count grows from n to n + 1, a key
    /// either stays or moves to the new bucket n, never between old buckets.
    #[test]
    fn growing_only_moves_keys_to_the_new_bucket() {
        for key in 0..2_000u64 {
            let key = crate::sim::ring::hash::mix64(key);
            for n in 1..40 {
                let (before, _) = bucket(key, n);
                let (after, _) = bucket(key, n + 1);
                assert!(before < n);
                assert!(
                    after == before || after == n,
                    "key {key} jumped {before}->{after}"
                );
            }
        }
    }

    /// Outputs of the paper's C++ code (Figure 1, compiled with g++ -O2 on x86_64), so that a
    /// change in float handling is noticed.
    #[test]
    fn outputs_are_pinned() {
        let got: Vec<u32> = [0u64, 1, 0xdead_beef, u64::MAX]
            .iter()
            .map(|k| bucket(*k, 1000).0)
            .collect();
        assert_eq!(got, PINNED);
    }

    const PINNED: [u32; 4] = [0, 549, 285, 313];
}
