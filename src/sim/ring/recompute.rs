//! Placement and movement of a whole key set for one strategy, computed in chunks so that the
//! page can spread the work over frames and never block one for long.

use super::keys::KeySet;
use super::membership::Membership;
use super::stats::{LoadStats, Movement, NodeLoad};
use super::strategy::{Assigner, LookupCost, Placement, PlacementConfig, Strategy};
use super::theory::ideal_moved_fraction;
use crate::sim::types::NodeId;
use serde::Serialize;
use std::rc::Rc;

/// Everything the strategies table shows for one strategy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub strategy: Strategy,
    pub keys: u32,
    pub before: LoadStats,
    pub after: LoadStats,
    pub movement: Movement,
    /// Lookups over both memberships.
    pub lookup: LookupCost,
    /// Bounded loads' per-node capacity ceil(cK/n) after the change.
    pub capacity_after: Option<u64>,
}

/// Owners of every key before and after a membership change, filled by [`Recompute::step`].
#[derive(Clone, Debug)]
pub struct Recompute {
    keys: Rc<KeySet>,
    before: Assigner,
    after: Assigner,
    /// Slot of each key in `before`'s and `after`'s membership.
    before_slots: Vec<u32>,
    after_slots: Vec<u32>,
    /// For each slot of `before`, the slot of the same node in `after`, if it stayed.
    slot_map: Vec<Option<u32>>,
    before_loads: Vec<(u32, u64)>,
    after_loads: Vec<(u32, u64)>,
    moved_keys: u32,
    moved_weight: u64,
    next_key: u32,
}

impl Recompute {
    /// Builds both placements (the one-off cost: sorting tokens, filling a Maglev table) and
    /// prepares to place `keys`. Errors name the bad setting.
    pub fn new(
        keys: Rc<KeySet>,
        config: &PlacementConfig,
        before: &Membership,
        after: &Membership,
    ) -> Result<Recompute, String> {
        let total = keys.len();
        let before_placement = Placement::build(config, before)?;
        let after_placement = Placement::build(config, after)?;
        let slot_map = before
            .slots()
            .iter()
            .map(|id| after.slots().iter().position(|a| a == id).map(|s| s as u32))
            .collect();
        Ok(Recompute {
            before: Assigner::new(before_placement, total, config.load_factor_milli),
            after: Assigner::new(after_placement, total, config.load_factor_milli),
            before_slots: Vec::with_capacity(total as usize),
            after_slots: Vec::with_capacity(total as usize),
            slot_map,
            before_loads: vec![(0, 0); before.slots().len()],
            after_loads: vec![(0, 0); after.slots().len()],
            moved_keys: 0,
            moved_weight: 0,
            next_key: 0,
            keys,
        })
    }

    /// Places up to `budget_keys` more keys in both memberships; true once every key is placed.
    /// Keys are placed in key-set order, which bounded loads relies on.
    pub fn step(&mut self, budget_keys: u32) -> bool {
        let end = self
            .next_key
            .saturating_add(budget_keys)
            .min(self.keys.len());
        for key in self.next_key..end {
            let pos = self.keys.positions()[key as usize];
            let weight = self.keys.weights()[key as usize] as u64;
            let b = self.before.assign(pos);
            let a = self.after.assign(pos);
            self.before_slots.push(b);
            self.after_slots.push(a);
            let before_load = &mut self.before_loads[b as usize];
            before_load.0 += 1;
            before_load.1 += weight;
            let after_load = &mut self.after_loads[a as usize];
            after_load.0 += 1;
            after_load.1 += weight;
            if self.slot_map[b as usize] != Some(a) {
                self.moved_keys += 1;
                self.moved_weight += weight;
            }
        }
        self.next_key = end;
        self.is_done()
    }

    /// Places every remaining key.
    pub fn run(&mut self) -> Report {
        self.step(u32::MAX);
        self.report_now()
    }

    pub fn is_done(&self) -> bool {
        self.next_key >= self.keys.len()
    }

    /// Keys placed so far and the total.
    pub fn progress(&self) -> (u32, u32) {
        (self.next_key, self.keys.len())
    }

    pub fn keys(&self) -> &Rc<KeySet> {
        &self.keys
    }

    pub fn placement_before(&self) -> &Placement {
        self.before.placement()
    }

    pub fn placement_after(&self) -> &Placement {
        self.after.placement()
    }

    /// The owner of `key` before the change, once it has been placed.
    pub fn owner_before(&self, key: u32) -> Option<NodeId> {
        let slot = *self.before_slots.get(key as usize)?;
        Some(self.before.placement().members().slots()[slot as usize])
    }

    /// The owner of `key` after the change, once it has been placed.
    pub fn owner_after(&self, key: u32) -> Option<NodeId> {
        let slot = *self.after_slots.get(key as usize)?;
        Some(self.after.placement().members().slots()[slot as usize])
    }

    /// The statistics, once every key is placed.
    pub fn report(&self) -> Option<Report> {
        self.is_done().then(|| self.report_now())
    }

    fn report_now(&self) -> Report {
        let total_keys = self.keys.len();
        let total_weight = self.keys.total_weight();
        let fraction = |part: u64, whole: u64| {
            if whole == 0 {
                0.0
            } else {
                part as f64 / whole as f64
            }
        };
        let loads = |assigner: &Assigner, loads: &[(u32, u64)]| {
            LoadStats::new(
                assigner
                    .placement()
                    .members()
                    .slots()
                    .iter()
                    .zip(loads)
                    .map(|(node, (keys, weight))| NodeLoad {
                        node: *node,
                        keys: *keys,
                        weight: *weight,
                    })
                    .collect(),
            )
        };
        let mut lookup = self.after.cost();
        let before_cost = self.before.cost();
        lookup.ops_per_key_mean = (lookup.ops_per_key_mean + before_cost.ops_per_key_mean) / 2.0;
        Report {
            strategy: self.after.placement().strategy(),
            keys: total_keys,
            before: loads(&self.before, &self.before_loads),
            after: loads(&self.after, &self.after_loads),
            movement: Movement {
                moved_keys: self.moved_keys,
                moved_fraction: fraction(self.moved_keys as u64, total_keys as u64),
                moved_weight_fraction: fraction(self.moved_weight, total_weight),
                ideal_fraction: ideal_moved_fraction(
                    self.before.placement().members(),
                    self.after.placement().members(),
                ),
            },
            lookup,
            capacity_after: self.after.capacity(),
        }
    }
}
