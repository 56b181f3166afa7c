//! How likely a majority-quorum cluster is to be up: with `n` servers each down independently
//! with probability `p`, the cluster can elect a leader and commit exactly when a majority
//! (`n / 2 + 1`) is up (Raft paper, section 5.2 and 5.3), so the chance is a binomial tail.

/// The smallest number of servers that forms a majority of `n`.
pub fn majority(n: u32) -> u32 {
    n / 2 + 1
}

/// How many servers may fail while a majority of `n` stays up.
pub fn failures_tolerated(n: u32) -> u32 {
    n - majority(n)
}

/// The probability that at least a majority of `n` servers is up when each is down
/// independently with probability `p_down` (clamped to 0..=1).
pub fn majority_up(n: u32, p_down: f64) -> f64 {
    let p = p_down.clamp(0.0, 1.0);
    (majority(n)..=n)
        .map(|up| binomial(n, up) * (1.0 - p).powi(up as i32) * p.powi((n - up) as i32))
        .sum()
}

/// The number of ways to choose `k` of `n`, exact for the small n a cluster has.
fn binomial(n: u32, k: u32) -> f64 {
    let k = k.min(n - k.min(n));
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn binomial_coefficients() {
        assert_eq!(binomial(4, 2), 6.0);
        assert_eq!(binomial(5, 0), 1.0);
        assert_eq!(binomial(5, 5), 1.0);
        assert_eq!(binomial(9, 4), 126.0);
    }

    /// Three servers tolerate one failure: up when 3 or 2 are up.
    #[test]
    fn three_servers() {
        assert_eq!(failures_tolerated(3), 1);
        // 0.9^3 + 3 * 0.9^2 * 0.1
        assert!(close(majority_up(3, 0.1), 0.972));
    }

    /// Four servers need three up, so they also tolerate only one failure, with one more
    /// server that can fail: strictly worse than three for any 0 < p < 1.
    #[test]
    fn four_servers_are_worse_than_three() {
        assert_eq!(failures_tolerated(4), 1);
        // 0.9^4 + 4 * 0.9^3 * 0.1
        assert!(close(majority_up(4, 0.1), 0.9477));
        for percent in 1..100 {
            let p = percent as f64 / 100.0;
            assert!(majority_up(4, p) < majority_up(3, p), "p = {p}");
        }
    }

    #[test]
    fn five_servers_tolerate_two() {
        assert_eq!(failures_tolerated(5), 2);
        assert!(close(majority_up(5, 0.1), 0.99144));
        assert!(majority_up(5, 0.1) > majority_up(3, 0.1));
        assert!(close(majority_up(1, 0.1), 0.9));
        assert!(close(majority_up(5, 0.0), 1.0));
        assert!(close(majority_up(5, 1.0), 0.0));
    }
}
