//! `RingSim`, the ring store as the page and the tests drive it: actions that apply at once
//! and say why they are refused, and the time and the run around them (its views are in
//! `view.rs`).

use super::action::RingAction;
use super::driver::RingRunSettings;
use super::nodes;
use super::settings::{RingSettings, MAX_NODE_ID};
use super::types::RingStore;
use crate::sim::engine::Engine;
use crate::sim::types::{Micros, NodeId};

/// The replicated ring store as the page and the tests drive it: the engine running it,
/// with actions that apply at once and errors that say why one is refused.
#[derive(Clone, Debug)]
pub struct RingSim {
    pub(super) engine: Engine<RingStore>,
}

impl PartialEq for RingSim {
    /// The same moment, the same store, the same messages on the wire and the same trace.
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&self.engine, &other.engine);
        a.now_us() == b.now_us()
            && a.world() == b.world()
            && a.flights().eq(b.flights())
            && a.trace().len() == b.trace().len()
            && a.trace().iter().eq(b.trace().iter())
    }
}

impl RingSim {
    /// A cluster of `settings.nodes` nodes with every key on its full preference list.
    pub fn new(settings: RingSettings) -> Result<RingSim, String> {
        settings.validate().map_err(|e| e.english())?;
        let engine = Engine::new(RingRunSettings::from_store(settings)).map_err(|e| e.english())?;
        Ok(RingSim { engine })
    }

    /// The engine running the store.
    pub fn engine(&self) -> &Engine<RingStore> {
        &self.engine
    }

    // ----- time -----

    pub fn now_us(&self) -> Micros {
        self.engine.now_us()
    }

    /// When the next event happens, if any is pending.
    pub fn next_event_us(&self) -> Option<Micros> {
        self.engine.next_event_us()
    }

    /// Handles the next event (moving time to it); false when none is pending.
    pub fn step(&mut self) -> bool {
        self.engine.step()
    }

    /// Handles every event up to and including `t_us`, then sets the time to `t_us`.
    pub fn run_until(&mut self, t_us: Micros) {
        self.engine.run_until(t_us);
    }

    /// Runs until nothing is pending (no transfers, requests or detections), or `limit_us`.
    /// With the workload on, events never run out, so this stops at the limit.
    pub fn run_until_quiet(&mut self, limit_us: Micros) {
        while self.next_event_us().is_some_and(|t| t <= limit_us) {
            self.step();
        }
    }

    // ----- actions -----

    /// Applies `action` now. Errors name the node or key that does not fit.
    pub fn act(&mut self, action: RingAction) -> Result<(), String> {
        self.check(&action)?;
        self.engine.apply(action).map_err(|e| e.english())
    }

    /// Why the store refuses `action` now, if it does.
    pub fn check(&self, action: &RingAction) -> Result<(), String> {
        let w = self.engine.world();
        let exists = |node: NodeId| {
            w.nodes
                .get(&node)
                .ok_or_else(|| format!("node {} does not exist", node.0))
        };
        let id_ok = |node: NodeId| {
            if node.0 == 0 || node.0 > MAX_NODE_ID {
                Err(format!(
                    "node {} does not exist (ids run 1 to {MAX_NODE_ID})",
                    node.0
                ))
            } else {
                Ok(())
            }
        };
        let key_ok = |key: u32| {
            if key >= w.key_count() {
                Err(format!(
                    "key {key} does not exist (keys run 0 to {})",
                    w.key_count().saturating_sub(1)
                ))
            } else {
                Ok(())
            }
        };
        match action {
            RingAction::Crash { node } => {
                if !exists(*node)?.up {
                    return Err(format!("node {} is already down", node.0));
                }
            }
            RingAction::Restart { node } => {
                if exists(*node)?.up {
                    return Err(format!("node {} is already up", node.0));
                }
            }
            RingAction::Add => {
                if nodes::free_id(&self.engine).is_none() {
                    return Err(format!("add: the cluster already has {MAX_NODE_ID} nodes"));
                }
            }
            RingAction::Remove { node } => {
                let n = exists(*node)?;
                if n.leaving {
                    return Err(format!("node {} is already leaving", node.0));
                }
                if n.up && w.ring_members().len() == 1 && w.in_ring(*node) {
                    return Err(format!("node {} is the last node on the ring", node.0));
                }
            }
            RingAction::Partition { groups } => {
                for node in groups.iter().flatten() {
                    id_ok(*node)?;
                }
            }
            RingAction::Cut { from, to, .. } | RingAction::Repair { from, to, .. } => {
                id_ok(*from)?;
                id_ok(*to)?;
            }
            RingAction::Put { key } | RingAction::Get { key } => key_ok(*key)?,
            RingAction::Heal | RingAction::Fault(_) => {}
        }
        Ok(())
    }
}
