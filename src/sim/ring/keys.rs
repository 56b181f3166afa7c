//! The key set every strategy is measured on: K named keys drawn from a seed, each with a
//! request weight that is either uniform or Zipf-skewed.

use super::hash::{key_position, Position};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How request load is spread over keys.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skew {
    /// Every key has weight 1: load equals key count.
    #[default]
    Uniform,
    /// Zipf's law with exponent 1: `key-i` has rank i + 1 and weight proportional to
    /// 1 / rank, so a few hot keys carry much of the load and equal key counts are not equal
    /// load.
    Zipf,
}

impl Skew {
    pub fn name(self) -> &'static str {
        match self {
            Skew::Uniform => "uniform",
            Skew::Zipf => "zipf",
        }
    }
}

impl fmt::Display for Skew {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Skew {
    type Err = String;
    fn from_str(s: &str) -> Result<Skew, String> {
        match s {
            "uniform" => Ok(Skew::Uniform),
            "zipf" => Ok(Skew::Zipf),
            _ => Err(format!("unknown skew {s:?}: expected uniform or zipf")),
        }
    }
}

/// The weight of the rank-1 key under Zipf skew. Weights are integers (ceil(TOP / rank)) so
/// sums agree on every platform; with TOP = 10^6 the 100,000th key still weighs 10, so
/// rounding distorts the 1/rank law by under 10%.
pub const ZIPF_TOP_WEIGHT: u32 = 1_000_000;

/// The most keys a key set holds (the page offers up to 100,000).
pub const MAX_KEYS: u32 = 10_000_000;

/// Positions and weights of keys `key-0` .. `key-(K-1)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySet {
    seed: u64,
    skew: Skew,
    positions: Vec<Position>,
    weights: Vec<u32>,
}

impl KeySet {
    /// `count` keys hashed with `seed`.
    pub fn generate(count: u32, seed: u64, skew: Skew) -> Result<KeySet, String> {
        if count > MAX_KEYS {
            return Err(format!("keys must be at most {MAX_KEYS}, not {count}"));
        }
        let positions = (0..count).map(|i| key_position(i, seed)).collect();
        let weights = match skew {
            Skew::Uniform => vec![1; count as usize],
            Skew::Zipf => (1..=count)
                .map(|rank| ZIPF_TOP_WEIGHT.div_ceil(rank))
                .collect(),
        };
        Ok(KeySet {
            seed,
            skew,
            positions,
            weights,
        })
    }

    pub fn len(&self) -> u32 {
        self.positions.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn skew(&self) -> Skew {
        self.skew
    }

    pub fn positions(&self) -> &[Position] {
        &self.positions
    }

    pub fn weights(&self) -> &[u32] {
        &self.weights
    }

    pub fn total_weight(&self) -> u64 {
        self.weights.iter().map(|w| *w as u64).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zipf_weights_fall_as_one_over_rank() {
        let keys = KeySet::generate(100_000, 1, Skew::Zipf).unwrap();
        assert_eq!(keys.weights()[0], 1_000_000);
        assert_eq!(keys.weights()[1], 500_000);
        assert_eq!(keys.weights()[99_999], 10);
        let uniform = KeySet::generate(10, 1, Skew::Uniform).unwrap();
        assert_eq!(uniform.total_weight(), 10);
    }

    #[test]
    fn the_seed_changes_positions_not_names() {
        let a = KeySet::generate(3, 1, Skew::Uniform).unwrap();
        let b = KeySet::generate(3, 2, Skew::Uniform).unwrap();
        assert_ne!(a.positions(), b.positions());
        assert_eq!(a, KeySet::generate(3, 1, Skew::Uniform).unwrap());
    }
}
