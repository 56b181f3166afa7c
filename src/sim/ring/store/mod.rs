//! A Dynamo-style replicated key-value store on the token ring, on the shared engine
//! (DeCandia et al. 2007, sections 4.2 to 4.6 and 4.8).
//!
//! Nodes own tokens; each key lives on its preference list, the first R distinct nodes
//! clockwise. Reads and writes go through a coordinator that waits for R_read replies or W
//! acknowledgements. Membership changes are protocol: a crash is noticed after a detection
//! delay, then the new owners of each affected range stream the keys from surviving replicas
//! in transfer messages that take latency and bandwidth, and the under-replicated count falls
//! back to zero as they arrive.
//!
//! The store is partly global (the key table, the ring, the coordinators' requests, failure
//! detection after a delay), so it lives engine-side as the `Driver`'s world; its messages go
//! through the engine's one queue and network (partitions and cuts included), its crashes
//! and restarts are the engine's, and its trace is the engine's framing plus its own lines
//! (`RingEvent`). Its properties are checked live (`checks`). `RingSim` is the store as the
//! page and the tests drive it: actions apply at once and say why they are refused.

pub mod action;
pub mod checks;
pub mod driver;
pub mod fuzz;
pub mod message;
mod nodes;
mod rebalance;
pub mod replicas;
mod requests;
pub mod settings;
pub mod trace;
mod view;
pub mod world;

pub use action::RingAction;
pub use checks::{RingChecks, RingDetail, RingProperty, RingViolation};
pub use driver::{RingBugs, RingCoverage, RingRunSettings};
pub use message::{LossReason, Message, MessageKind, RingMessage};
pub use replicas::Counts;
pub use settings::{RingSettings, MAX_NODE_ID, PAGE_VNODES};
pub use trace::{RingEvent, RingTraceLine, RING_KINDS};
pub use view::{NodeStatus, NodeView};

use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::engine::Engine;
use crate::sim::protocol::{Context, Effect, Input, Protocol, Storage, TimerKind};
use crate::sim::types::{Micros, MsgId, NodeId};

/// The protocol, for the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct RingStore;

/// A ring store node's process: the store's state is engine-side (`world::RingWorld`), so a
/// process only marks a node as running.
#[derive(Clone, Debug, PartialEq)]
pub struct RingNode;

/// Ring store nodes arm no timers (failure detection and request timeouts are the world's).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NoTimer {}

impl TimerKind for NoTimer {
    const COUNT: usize = 0;
    fn slot(self) -> usize {
        match self {}
    }
}

/// Nothing is written to a write-ahead log: a node's disk keeps its replicas, which the key
/// table records, across crashes.
#[derive(Clone, Debug, PartialEq)]
pub enum NoRecord {}

/// The disk of a ring store node, as the engine drives it: replicas survive every crash.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplicaDisk;

impl Storage for ReplicaDisk {
    type Record = NoRecord;
    type Recovered = ();
    fn write(&mut self, record: NoRecord, _policy: SyncPolicy) -> (u64, bool) {
        match record {}
    }
    fn sync(&mut self) -> usize {
        0
    }
    fn crash(&mut self, _mode: CrashMode) {}
    fn read(&self) -> ((), Option<usize>) {
        ((), None)
    }
    fn discard_from(&mut self, _position: usize) {}
}

/// A learner's request to one node: none (reads and writes are the world's).
#[derive(Clone, Debug, PartialEq)]
pub enum NoCommand {}

/// Queued events of the store.
#[derive(Clone, Debug, PartialEq)]
pub enum WorldEvent {
    /// The cluster notices the crash of this life of the node.
    DetectDown {
        node: NodeId,
        incarnation: u32,
    },
    RequestTimeout(u64),
    WorkloadTick,
    /// A transfer the network dropped when it was sent would have arrived now.
    TransferLost {
        id: MsgId,
    },
}

impl Protocol for RingStore {
    const NAME: &'static str = "ring";
    const TRACE_KINDS: &'static [&'static str] = RING_KINDS;
    type Config = RingSettings;
    type Node = RingNode;
    type Message = RingMessage;
    type Timer = NoTimer;
    type Record = NoRecord;
    type Disk = ReplicaDisk;
    type Note = RingEvent;
    type Trace = RingEvent;
    type Command = NoCommand;
    type Checks = RingChecks;

    fn trace(_node: NodeId, note: RingEvent) -> RingEvent {
        note
    }
    fn trace_kind(line: &RingEvent) -> &'static str {
        line.kind()
    }
    fn trace_node(line: &RingEvent) -> Option<NodeId> {
        line.node()
    }
    /// The network's own bandwidth is off for the ring (its uplinks queue transfers
    /// themselves), so sizes do not delay messages there.
    fn message_bytes(msg: &RingMessage) -> u64 {
        match msg {
            RingMessage::Transfer { bytes, .. } => *bytes,
            _ => 64,
        }
    }
    fn record_kind(record: &NoRecord) -> &'static str {
        match *record {}
    }
    fn start(_ctx: &mut Context<'_, Self>, _out: &mut Vec<Effect<Self>>) -> RingNode {
        RingNode
    }
    fn recover(_ctx: &mut Context<'_, Self>, _disk: (), _out: &mut Vec<Effect<Self>>) -> RingNode {
        RingNode
    }
    fn handle(
        _node: &mut RingNode,
        _ctx: &mut Context<'_, Self>,
        _input: Input<Self>,
        _out: &mut Vec<Effect<Self>>,
    ) {
    }
}

/// The replicated ring store as the page and the tests drive it: the engine running it,
/// with actions that apply at once and errors that say why one is refused.
#[derive(Clone, Debug)]
pub struct RingSim {
    engine: Engine<RingStore>,
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

#[cfg(test)]
mod tests;
