//! The simulated network: per-message latency, loss and duplication drawn from the run's
//! network stream, plus cuts (one-way or both ways) and partitions into groups.
//! Reordering falls out of random latency.

use crate::i18n::Text;
use crate::sim::rng::{Ppm, SimRng, PPM_ONE};
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetConfig {
    pub latency_us_min: Micros,
    pub latency_us_max: Micros,
    /// Probability that a message is lost, in parts per million.
    pub loss_ppm: Ppm,
    /// Probability that a message is delivered twice, in parts per million.
    pub duplicate_ppm: Ppm,
    /// Link bandwidth: a message of B bytes takes B / bandwidth longer to arrive, which is
    /// what makes a snapshot a visibly slow message. 0 means unlimited.
    pub bandwidth_bytes_per_s: u64,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            latency_us_min: 10 * MICROS_PER_MS,
            latency_us_max: 20 * MICROS_PER_MS,
            loss_ppm: 0,
            duplicate_ppm: 0,
            bandwidth_bytes_per_s: 1_000_000,
        }
    }
}

impl NetConfig {
    /// Moves the one-way latency to start at `ms`, keeping the jitter (max - min): what the
    /// pages' latency fields and the lessons' `latency_ms` set.
    pub fn set_latency_ms_keeping_jitter(&mut self, ms: u64) {
        let jitter = self.latency_us_max.saturating_sub(self.latency_us_min);
        self.latency_us_min = ms.saturating_mul(MICROS_PER_MS);
        self.latency_us_max = self.latency_us_min.saturating_add(jitter);
    }

    /// A whole percentage as parts per million, saturating: the pages' loss and duplication
    /// fields are percentages.
    pub fn ppm_of_percent(percent: u64) -> Ppm {
        Ppm::try_from(percent.saturating_mul(u64::from(PPM_ONE / 100))).unwrap_or(Ppm::MAX)
    }

    /// Parts per million as a whole percentage, rounded down: what the pages' fields show.
    pub fn percent_of_ppm(ppm: Ppm) -> u64 {
        u64::from(ppm / (PPM_ONE / 100))
    }

    /// Checks the ranges; the error names the field.
    pub fn validate(&self) -> Result<(), Text> {
        if self.latency_us_min > self.latency_us_max {
            return Err(Text::new("error.settings.min_above_max")
                .with("min_field", "latency_us_min")
                .with("min", self.latency_us_min)
                .with("max_field", "latency_us_max")
                .with("max", self.latency_us_max));
        }
        if self.latency_us_max > 60_000_000 {
            return Err(Text::new("error.net.latency_minute"));
        }
        for (name, value) in [
            ("loss_ppm", self.loss_ppm),
            ("duplicate_ppm", self.duplicate_ppm),
        ] {
            if value > PPM_ONE {
                return Err(Text::new("error.net.ppm")
                    .with("field", name)
                    .with("value", value));
            }
        }
        Ok(())
    }
}

/// Why a message was not delivered.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    Loss,
    Partition,
    Crashed,
    /// The receiver is replaying its log after a restart and does not serve yet.
    Recovering,
    /// A learner dropped it by hand.
    Manual,
}

/// The fate of one message when it is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Deliver after `first`, and again after `duplicate` when the network duplicates it.
    Deliver {
        first: Micros,
        duplicate: Option<Micros>,
    },
    Drop(DropReason),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Network {
    pub config: NetConfig,
    /// Directed links that carry nothing: (from, to).
    cuts: BTreeSet<(NodeId, NodeId)>,
    /// Group number per node slot when partitioned; nodes talk only within their group.
    groups: Option<Vec<u32>>,
}

impl Network {
    pub fn new(config: NetConfig) -> Network {
        Network {
            config,
            ..Default::default()
        }
    }

    /// Whether `from` can currently reach `to`.
    pub fn connected(&self, from: NodeId, to: NodeId) -> bool {
        if self.cuts.contains(&(from, to)) {
            return false;
        }
        match &self.groups {
            Some(groups) => groups.get(from.slot()) == groups.get(to.slot()),
            None => true,
        }
    }

    pub fn cut(&mut self, from: NodeId, to: NodeId) {
        self.cuts.insert((from, to));
    }

    pub fn repair(&mut self, from: NodeId, to: NodeId) {
        self.cuts.remove(&(from, to));
    }

    /// Splits the nodes into groups; nodes not named form one more group together.
    pub fn partition(&mut self, node_count: u32, groups: &[Vec<NodeId>]) {
        let rest = groups.len() as u32;
        let mut of = vec![rest; node_count as usize];
        for (g, members) in groups.iter().enumerate() {
            for n in members {
                if let Some(slot) = of.get_mut(n.slot()) {
                    *slot = g as u32;
                }
            }
        }
        self.groups = Some(of);
    }

    /// Removes every partition and cut.
    pub fn heal(&mut self) {
        self.groups = None;
        self.cuts.clear();
    }

    pub fn cuts(&self) -> &BTreeSet<(NodeId, NodeId)> {
        &self.cuts
    }

    /// The group number of each node slot, when partitioned.
    pub fn groups(&self) -> Option<&[u32]> {
        self.groups.as_deref()
    }

    /// The partition groups after moving `node` into the group of `onto`, or into a group of
    /// its own when `onto` is `None` (the page's drag and drop); empty groups vanish. One
    /// group means nothing is partitioned any more.
    pub fn regroup(&self, node_count: u32, node: NodeId, onto: Option<NodeId>) -> Vec<Vec<NodeId>> {
        let mut of: Vec<u32> = (0..node_count as usize)
            .map(|slot| {
                self.groups
                    .as_ref()
                    .and_then(|g| g.get(slot).copied())
                    .unwrap_or(0)
            })
            .collect();
        let fresh = of.iter().max().map_or(0, |m| m + 1);
        let target = match onto {
            Some(other) => of.get(other.slot()).copied().unwrap_or(fresh),
            None => fresh,
        };
        if let Some(slot) = of.get_mut(node.slot()) {
            *slot = target;
        }
        let mut numbers: Vec<u32> = of.clone();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
            .into_iter()
            .map(|g| {
                (1..=node_count)
                    .map(NodeId)
                    .filter(|n| of.get(n.slot()) == Some(&g))
                    .collect()
            })
            .collect()
    }

    /// Decides what happens to a message of `size_bytes` from `from` to `to` sent now.
    /// Messages between servers and clients (`None`) are never cut, only delayed.
    /// A node's message to itself never leaves it: it arrives at once, is never lost,
    /// duplicated or cut, and draws nothing from the stream.
    pub fn fate(&self, link: Option<(NodeId, NodeId)>, size_bytes: u64, rng: &mut SimRng) -> Fate {
        if let Some((from, to)) = link {
            if from == to {
                return Fate::Deliver {
                    first: 0,
                    duplicate: None,
                };
            }
            if !self.connected(from, to) {
                return Fate::Drop(DropReason::Partition);
            }
            if rng.chance(self.config.loss_ppm) {
                return Fate::Drop(DropReason::Loss);
            }
        }
        let transfer_us = match self.config.bandwidth_bytes_per_s {
            0 => 0,
            bw => size_bytes.saturating_mul(1_000_000) / bw,
        };
        let (lo, hi) = (self.config.latency_us_min, self.config.latency_us_max);
        let first = rng.between(lo, hi) + transfer_us;
        if link.is_some() && rng.chance(self.config.duplicate_ppm) {
            let second = rng.between(lo, hi) + transfer_us;
            Fate::Deliver {
                first,
                duplicate: Some(second),
            }
        } else {
            Fate::Deliver {
                first,
                duplicate: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {

    /// Drag and drop: S3 dropped on S1 joins S1's side; dropped on empty space it stands
    /// alone; moved back, the cluster is whole again.
    #[test]
    fn regroup_moves_one_node_between_groups() {
        let ids = |v: &[u32]| v.iter().map(|&n| NodeId(n)).collect::<Vec<_>>();
        let mut net = Network::default();
        assert_eq!(
            net.regroup(3, NodeId(3), None),
            vec![ids(&[1, 2]), ids(&[3])]
        );
        net.partition(5, &[ids(&[1, 2]), ids(&[3, 4, 5])]);
        assert_eq!(
            net.regroup(5, NodeId(3), Some(NodeId(1))),
            vec![ids(&[1, 2, 3]), ids(&[4, 5])]
        );
        assert_eq!(
            net.regroup(5, NodeId(2), None),
            vec![ids(&[1]), ids(&[3, 4, 5]), ids(&[2])]
        );
        net.partition(3, &[ids(&[1, 2]), ids(&[3])]);
        assert_eq!(
            net.regroup(3, NodeId(3), Some(NodeId(2))),
            vec![ids(&[1, 2, 3])]
        );
    }

    use super::*;
    use crate::sim::rng::Stream;

    #[test]
    fn partitions_and_one_way_cuts() {
        let mut net = Network::new(NetConfig::default());
        net.partition(5, &[vec![NodeId(1), NodeId(2)]]);
        assert!(net.connected(NodeId(1), NodeId(2)));
        assert!(
            net.connected(NodeId(3), NodeId(5)),
            "unnamed nodes share a group"
        );
        assert!(!net.connected(NodeId(1), NodeId(3)));
        net.heal();
        net.cut(NodeId(1), NodeId(2));
        assert!(!net.connected(NodeId(1), NodeId(2)));
        assert!(
            net.connected(NodeId(2), NodeId(1)),
            "a one-way cut leaves the way back"
        );
    }

    #[test]
    fn latency_stays_in_range_and_loss_drops() {
        let mut rng = SimRng::stream(1, Stream::Network);
        let mut net = Network::new(NetConfig::default());
        for _ in 0..100 {
            match net.fate(Some((NodeId(1), NodeId(2))), 0, &mut rng) {
                Fate::Deliver { first, duplicate } => {
                    assert!((10_000..=20_000).contains(&first));
                    assert_eq!(duplicate, None);
                }
                Fate::Drop(_) => panic!("no loss configured"),
            }
        }
        net.config.loss_ppm = PPM_ONE;
        assert_eq!(
            net.fate(Some((NodeId(1), NodeId(2))), 0, &mut rng),
            Fate::Drop(DropReason::Loss)
        );
    }
}
