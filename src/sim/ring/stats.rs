//! Load and movement statistics of a placement over a key set: per-node load, mean, max/mean,
//! relative standard deviation, and the keys moved between two memberships.

use crate::sim::types::NodeId;
use serde::Serialize;

/// One node's share of the key set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeLoad {
    pub node: NodeId,
    pub keys: u32,
    /// Sum of the weights of its keys (equal to `keys` under uniform skew).
    pub weight: u64,
}

/// Spread of one quantity over the nodes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    pub max_over_mean: f64,
    /// Population standard deviation over the nodes divided by the mean.
    pub rel_std_dev: f64,
}

impl Spread {
    pub fn of(values: &[f64]) -> Spread {
        if values.is_empty() {
            return Spread {
                mean: 0.0,
                min: 0.0,
                max: 0.0,
                max_over_mean: 0.0,
                rel_std_dev: 0.0,
            };
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let variance = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let ratio = |x: f64| if mean > 0.0 { x / mean } else { 0.0 };
        Spread {
            mean,
            min,
            max,
            max_over_mean: ratio(max),
            rel_std_dev: ratio(variance.sqrt()),
        }
    }
}

/// Per-node loads of one membership, with their spread by key count and by weight.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoadStats {
    pub per_node: Vec<NodeLoad>,
    pub keys: Spread,
    pub weight: Spread,
}

impl LoadStats {
    pub fn new(per_node: Vec<NodeLoad>) -> LoadStats {
        let counts: Vec<f64> = per_node.iter().map(|l| l.keys as f64).collect();
        let weights: Vec<f64> = per_node.iter().map(|l| l.weight as f64).collect();
        LoadStats {
            keys: Spread::of(&counts),
            weight: Spread::of(&weights),
            per_node,
        }
    }
}

/// Keys whose owner differs between two memberships.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Movement {
    pub moved_keys: u32,
    pub moved_fraction: f64,
    /// Share of the total weight that moved (under Zipf skew, hot keys count more).
    pub moved_weight_fraction: f64,
    /// The least fraction any strategy must move: see [`super::theory::ideal_moved_fraction`].
    pub ideal_fraction: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_of_known_values() {
        let s = Spread::of(&[1.0, 3.0]);
        assert_eq!(s.mean, 2.0);
        assert_eq!(s.max_over_mean, 1.5);
        assert_eq!(s.rel_std_dev, 0.5);
        assert_eq!(Spread::of(&[]).mean, 0.0);
    }
}
