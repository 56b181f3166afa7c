//! Placement strategies: map key positions to nodes of a membership, one module per strategy.
//!
//! A [`Placement`] is built once per membership and is immutable; an [`Assigner`] places keys
//! one after another and counts the work, because one strategy (bounded loads) depends on the
//! keys placed before.

pub mod bounded;
pub mod jump;
pub mod maglev;
pub mod modulo;
pub mod rendezvous;
pub mod ring;

use super::hash::Position;
use super::membership::Membership;
use crate::i18n::Text;
use crate::sim::types::NodeId;
use bounded::Bounded;
use maglev::Maglev;
use rendezvous::Rendezvous;
use ring::Ring;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How keys are mapped to nodes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    Modulo,
    Ring,
    Rendezvous,
    Jump,
    Maglev,
    Bounded,
}

impl Strategy {
    pub const ALL: [Strategy; 6] = [
        Strategy::Modulo,
        Strategy::Ring,
        Strategy::Rendezvous,
        Strategy::Jump,
        Strategy::Maglev,
        Strategy::Bounded,
    ];

    /// The name used on the command line, in URLs and in the page.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Modulo => "modulo",
            Strategy::Ring => "ring",
            Strategy::Rendezvous => "rendezvous",
            Strategy::Jump => "jump",
            Strategy::Maglev => "maglev",
            Strategy::Bounded => "bounded",
        }
    }

    /// Whether the strategy uses virtual nodes (V tokens per node).
    pub fn uses_vnodes(self) -> bool {
        matches!(self, Strategy::Ring | Strategy::Bounded)
    }

    /// What one lookup costs, in words and as a growth rate.
    pub fn cost_model(self) -> (&'static str, &'static str) {
        match self {
            Strategy::Modulo => ("divisions", "O(1)"),
            Strategy::Ring => (
                "comparisons",
                "O(1) expected with a radix index, O(log nV) by binary search",
            ),
            Strategy::Rendezvous => ("hashes", "O(n)"),
            Strategy::Jump => ("iterations", "O(log n)"),
            Strategy::Maglev => ("table reads", "O(1), O(M log M) build"),
            Strategy::Bounded => ("comparisons + ring steps", "O(1/(c-1)^2) expected steps"),
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Strategy {
    type Err = String;
    fn from_str(s: &str) -> Result<Strategy, String> {
        Strategy::ALL
            .iter()
            .copied()
            .find(|strategy| strategy.name() == s)
            .ok_or_else(|| {
                format!("unknown strategy {s:?}: expected modulo, ring, rendezvous, jump, maglev or bounded")
            })
    }
}

/// Settings of a placement, with their defaults stated once in `Default`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlacementConfig {
    pub strategy: Strategy,
    /// Tokens per node, for `ring` and `bounded`.
    pub vnodes: u32,
    /// Entries of the Maglev lookup table; must be prime and at least the node count.
    pub maglev_table_size: u32,
    /// Bounded loads' factor c in thousandths (1250 means c = 1.25); at least 1000.
    pub load_factor_milli: u32,
    /// Seed of token positions and per-node hashes.
    pub seed: u64,
}

/// The most tokens per node a placement accepts (the page offers 1 to 1000).
pub const MAX_VNODES: u32 = 10_000;
/// The largest Maglev table accepted: building it must stay well inside a frame budget.
pub const MAX_MAGLEV_TABLE_SIZE: u32 = 10_000_019;

impl Default for PlacementConfig {
    fn default() -> Self {
        PlacementConfig {
            strategy: Strategy::Ring,
            vnodes: 256,
            maglev_table_size: maglev::DEFAULT_TABLE_SIZE,
            load_factor_milli: 1250,
            seed: 1,
        }
    }
}

impl PlacementConfig {
    /// Checks the settings against a membership of `nodes` nodes; the error names the setting.
    pub fn validate(&self, nodes: u32) -> Result<(), Text> {
        if self.vnodes == 0 || self.vnodes > MAX_VNODES {
            return Err(Text::new("error.settings.outside")
                .with("field", "vnodes")
                .with("value", self.vnodes)
                .with("min", 1)
                .with("max", MAX_VNODES));
        }
        if self.strategy == Strategy::Maglev {
            let m = self.maglev_table_size;
            if !maglev::is_prime(m) || m > MAX_MAGLEV_TABLE_SIZE {
                return Err(Text::new("error.ring.maglev_prime")
                    .with("max", MAX_MAGLEV_TABLE_SIZE)
                    .with("size", m));
            }
            if m < nodes {
                return Err(Text::new("error.ring.maglev_small")
                    .with("size", m)
                    .with("nodes", nodes));
            }
        }
        if self.load_factor_milli < 1000 {
            let m = self.load_factor_milli;
            return Err(Text::new("error.ring.load_factor")
                .with("c", format!("{}.{:03}", m / 1000, m % 1000)));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Modulo,
    Ring(Ring),
    Rendezvous(Rendezvous),
    Jump,
    Maglev(Maglev),
    Bounded(Ring),
}

/// A strategy's precomputed structure for one membership.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    strategy: Strategy,
    members: Membership,
    kind: Kind,
}

impl Placement {
    pub fn build(config: &PlacementConfig, members: &Membership) -> Result<Placement, String> {
        config.validate(members.len())?;
        let kind = match config.strategy {
            Strategy::Modulo => Kind::Modulo,
            Strategy::Ring => Kind::Ring(Ring::build(members, config.vnodes, config.seed)),
            Strategy::Rendezvous => Kind::Rendezvous(Rendezvous::build(members, config.seed)),
            Strategy::Jump => Kind::Jump,
            Strategy::Maglev => Kind::Maglev(Maglev::build(
                members,
                config.maglev_table_size,
                config.seed,
            )),
            Strategy::Bounded => Kind::Bounded(Ring::build(members, config.vnodes, config.seed)),
        };
        Ok(Placement {
            strategy: config.strategy,
            members: members.clone(),
            kind,
        })
    }

    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    pub fn members(&self) -> &Membership {
        &self.members
    }

    /// The token ring, for `ring` and `bounded` (the page draws it).
    pub fn ring(&self) -> Option<&Ring> {
        match &self.kind {
            Kind::Ring(ring) | Kind::Bounded(ring) => Some(ring),
            _ => None,
        }
    }

    /// The Maglev table, for `maglev`.
    pub fn maglev(&self) -> Option<&Maglev> {
        match &self.kind {
            Kind::Maglev(table) => Some(table),
            _ => None,
        }
    }

    /// Work done once when building: Maglev's table probes, the ring's token count.
    pub fn build_ops(&self) -> u64 {
        match &self.kind {
            Kind::Maglev(table) => table.build_probes(),
            Kind::Ring(ring) | Kind::Bounded(ring) => ring.token_count() as u64,
            _ => 0,
        }
    }
}

/// The cost of the lookups an [`Assigner`] made.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LookupCost {
    pub strategy: Strategy,
    /// Measured mean operations per lookup, in `unit`s.
    pub ops_per_key_mean: f64,
    pub unit: &'static str,
    pub complexity: &'static str,
    /// One-time work of building the placement (see [`Placement::build_ops`]).
    pub build_ops: u64,
}

/// Places keys one at a time over a [`Placement`], keeping bounded loads' state and counting
/// operations for [`LookupCost`].
#[derive(Clone, Debug)]
pub struct Assigner {
    placement: Placement,
    bounded: Option<Bounded>,
    lookups: u64,
    ops: u64,
    scratch: Vec<u32>,
}

impl Assigner {
    /// An assigner that will place `total_keys` keys (bounded loads sizes capacity from it).
    pub fn new(placement: Placement, total_keys: u32, load_factor_milli: u32) -> Assigner {
        let bounded = match &placement.kind {
            Kind::Bounded(_) => {
                let n = placement.members.len();
                Some(Bounded::new(
                    n,
                    bounded::capacity(total_keys, n, load_factor_milli),
                ))
            }
            _ => None,
        };
        Assigner {
            placement,
            bounded,
            lookups: 0,
            ops: 0,
            scratch: Vec::new(),
        }
    }

    pub fn placement(&self) -> &Placement {
        &self.placement
    }

    /// Bounded loads' per-node capacity, if this is that strategy.
    pub fn capacity(&self) -> Option<u64> {
        self.bounded.as_ref().map(Bounded::capacity)
    }

    /// The slot (index into the membership's slots) that owns the key at `pos`.
    pub fn assign(&mut self, pos: Position) -> u32 {
        self.lookups += 1;
        let n = self.placement.members.len();
        match &self.placement.kind {
            Kind::Modulo => {
                self.ops += 1;
                modulo::slot(pos, n)
            }
            Kind::Ring(ring) => {
                let (index, comparisons) = ring.successor(pos);
                self.ops += comparisons as u64;
                ring.owner_slot(index)
            }
            Kind::Rendezvous(r) => {
                self.ops += n as u64;
                r.slot(pos)
            }
            Kind::Jump => {
                let (slot, iterations) = jump::slot(pos, n);
                self.ops += iterations as u64;
                slot
            }
            Kind::Maglev(table) => {
                self.ops += 1;
                table.slot(pos)
            }
            Kind::Bounded(ring) => {
                let (start, comparisons) = ring.successor(pos);
                let bounded = self
                    .bounded
                    .get_or_insert_with(|| Bounded::new(n, u64::MAX));
                let (index, steps) = bounded.place(ring, start);
                self.ops += comparisons as u64 + steps as u64;
                ring.owner_slot(index)
            }
        }
    }

    /// The first `r` replicas of the key at `pos`, primary first, as node ids (fewer when there
    /// are fewer nodes). Each strategy's rule:
    /// - ring: the first r distinct nodes clockwise (Dynamo section 4.3);
    /// - rendezvous: the r highest weights (Thaler and Ravishankar, section 3);
    /// - modulo and jump: the primary's slot and the slots after it, wrapping;
    /// - maglev: the first r distinct nodes reading the table forward from the key's entry;
    /// - bounded: the bounded primary (this counts against its capacity, like [`assign`]),
    ///   then the next distinct nodes clockwise from the token where it was placed.
    ///
    /// [`assign`]: Assigner::assign
    pub fn preference_list(&mut self, pos: Position, r: u32) -> Vec<NodeId> {
        let n = self.placement.members.len();
        let mut slots = std::mem::take(&mut self.scratch);
        match &self.placement.kind {
            Kind::Modulo | Kind::Jump => {
                let primary = match self.placement.kind {
                    Kind::Modulo => modulo::slot(pos, n),
                    _ => jump::slot(pos, n).0,
                };
                slots.clear();
                slots.extend((0..r.min(n)).map(|i| (primary + i) % n));
            }
            Kind::Ring(ring) => {
                let (start, _) = ring.successor(pos);
                ring.preference_slots_from(start, r, &mut slots);
            }
            Kind::Rendezvous(table) => table.preference_slots(pos, r, &mut slots),
            Kind::Maglev(table) => table.preference_slots(pos, r, n, &mut slots),
            Kind::Bounded(ring) => {
                let (start, _) = ring.successor(pos);
                let bounded = self
                    .bounded
                    .get_or_insert_with(|| Bounded::new(n, u64::MAX));
                let (index, _) = bounded.place(ring, start);
                ring.preference_slots_from(index, r, &mut slots);
            }
        }
        let ids = slots
            .iter()
            .map(|slot| self.placement.members.slots()[*slot as usize])
            .collect();
        self.scratch = slots;
        ids
    }

    pub fn cost(&self) -> LookupCost {
        let (unit, complexity) = self.placement.strategy.cost_model();
        LookupCost {
            strategy: self.placement.strategy,
            ops_per_key_mean: if self.lookups == 0 {
                0.0
            } else {
                self.ops as f64 / self.lookups as f64
            },
            unit,
            complexity,
            build_ops: self.placement.build_ops(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for strategy in Strategy::ALL {
            assert_eq!(strategy.name().parse::<Strategy>(), Ok(strategy));
        }
        assert!("chord".parse::<Strategy>().unwrap_err().contains("chord"));
    }

    #[test]
    fn bad_configs_name_the_setting() {
        let mut config = PlacementConfig {
            strategy: Strategy::Maglev,
            maglev_table_size: 65_536,
            ..PlacementConfig::default()
        };
        assert!(config
            .validate(8)
            .unwrap_err()
            .english()
            .contains("maglev_table_size"));
        config.maglev_table_size = 5;
        assert!(config
            .validate(8)
            .unwrap_err()
            .english()
            .contains("smaller"));
        config.maglev_table_size = 7;
        config.vnodes = 0;
        assert!(config.validate(3).unwrap_err().english().contains("vnodes"));
    }

    /// Non-contiguous memberships work: node 3 removed from 1..=8 never receives a key, and
    /// every strategy's preference list holds distinct members.
    #[test]
    fn every_strategy_handles_a_removed_middle_node() {
        let members = Membership::contiguous(8)
            .unwrap()
            .without(&[NodeId(3)])
            .unwrap();
        for strategy in Strategy::ALL {
            let config = PlacementConfig {
                strategy,
                vnodes: 32,
                ..PlacementConfig::default()
            };
            let placement = Placement::build(&config, &members).unwrap();
            let mut assigner = Assigner::new(placement, 1000, 1250);
            for i in 0..1000 {
                let pos = crate::sim::ring::hash::key_position(i, 5);
                let list = assigner.preference_list(pos, 3);
                assert_eq!(list.len(), 3, "{strategy}");
                assert!(list
                    .iter()
                    .all(|id| *id != NodeId(3) && members.contains(*id)));
                let mut sorted = list.clone();
                sorted.sort_unstable();
                sorted.dedup();
                assert_eq!(sorted.len(), 3, "{strategy}: {list:?}");
            }
        }
    }
}
