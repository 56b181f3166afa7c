//! The ring store's engine-side half: the settings of a run (the store's own, and the
//! network and disk the engine needs), its actions (the shared faults in the ring's words,
//! membership changes, reads and writes), its world and events, and the counters a fault
//! search prints.

use super::events;
use super::message::RingMessage;
use super::trace::RingEvent;
use super::world::{note, RingWorld};
use super::{nodes, requests, RingAction, RingSettings, RingStore, WorldEvent, MAX_NODE_ID};
use crate::i18n::Text;
use crate::sim::disk::DiskConfig;
use crate::sim::engine::{Counters, Driver, Engine, Fault, RunAction, RunSettings};
use crate::sim::net::NetConfig;
use crate::sim::protocol::Event;
use crate::sim::types::{Addr, MsgId, NodeId};
use std::ops::AddAssign;

/// The ring store's broken switches, which the fault search must catch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RingBugs {
    /// Rebalancing never streams the keys of the first eighth of the ring: they stay
    /// under-replicated for ever after a membership change.
    pub forget_range: bool,
    /// A coordinator acknowledges a write one acknowledgement short of W.
    pub ack_before_quorum: bool,
}

/// Everything a ring store run starts from.
#[derive(Clone, Debug, PartialEq)]
pub struct RingRunSettings {
    pub store: RingSettings,
    /// The engine's network. Its bandwidth is off: transfers queue on their sender's uplink
    /// at `store.bandwidth_bytes_per_s` (the store's own model), and reads and writes are
    /// small.
    pub network: NetConfig,
    pub disk: DiskConfig,
    pub bugs: RingBugs,
}

impl RingRunSettings {
    /// The run of a store's settings: a fixed one-way latency, no loss, no duplication.
    pub fn from_store(store: RingSettings) -> RingRunSettings {
        let network = NetConfig {
            latency_us_min: store.latency_us,
            latency_us_max: store.latency_us,
            loss_ppm: 0,
            duplicate_ppm: 0,
            bandwidth_bytes_per_s: 0,
        };
        RingRunSettings {
            store,
            network,
            disk: DiskConfig::default(),
            bugs: RingBugs::default(),
        }
    }
}

impl RunSettings<RingStore> for RingRunSettings {
    fn seed(&self) -> u64 {
        self.store.seed
    }
    /// Every id a node may have: nodes join and leave, and the engine keeps a slot for each
    /// (the store's world says which hold a node).
    fn nodes(&self) -> u32 {
        MAX_NODE_ID
    }
    fn network(&self) -> &NetConfig {
        &self.network
    }
    fn set_network(&mut self, network: NetConfig) {
        self.network = network;
    }
    fn disk(&self) -> &DiskConfig {
        &self.disk
    }
    fn config(&self) -> &RingSettings {
        &self.store
    }
    fn validate(&self) -> Result<(), Text> {
        self.network
            .validate()
            .map_err(|e| Text::new("error.settings.network").with_text("error", e))?;
        self.store.validate()
    }
}

impl RunAction for RingAction {
    fn validate(&self, node_count: u32) -> Result<(), Text> {
        let named: Vec<NodeId> = match self {
            RingAction::Crash { node }
            | RingAction::Restart { node }
            | RingAction::Remove { node } => vec![*node],
            RingAction::Partition { groups } => groups.iter().flatten().copied().collect(),
            RingAction::Cut { from, to, .. } | RingAction::Repair { from, to, .. } => {
                vec![*from, *to]
            }
            RingAction::Fault(fault) => fault.nodes(),
            RingAction::Add
            | RingAction::Heal
            | RingAction::Put { .. }
            | RingAction::Get { .. } => Vec::new(),
        };
        for n in named {
            if n.0 == 0 || n.0 > node_count {
                return Err(Text::new("error.action.no_node")
                    .with("node", n.0)
                    .with("count", node_count));
            }
        }
        match self {
            RingAction::Fault(Fault::SetNetwork { network }) => network
                .validate()
                .map_err(|e| Text::new("error.settings.network").with_text("error", e)),
            _ => Ok(()),
        }
    }

    fn from_fault(fault: Fault) -> Self {
        match fault {
            Fault::Crash { node, .. } => RingAction::Crash { node },
            Fault::Restart { node } => RingAction::Restart { node },
            Fault::Partition { groups } => RingAction::Partition { groups },
            Fault::Heal => RingAction::Heal,
            Fault::Cut { from, to, both } => RingAction::Cut { from, to, both },
            Fault::Repair { from, to, both } => RingAction::Repair { from, to, both },
            other => RingAction::Fault(other),
        }
    }

    /// Every action is the store's to carry out: its faults change what the cluster knows
    /// too (a crash starts a detection timer, a cut stops streams), so it applies them itself
    /// through the engine (`Engine::apply_fault`) and follows up.
    fn into_fault(self) -> Result<Fault, Self> {
        Err(self)
    }
}

impl Driver for RingStore {
    type Settings = RingRunSettings;
    type Action = RingAction;
    type World = RingWorld;
    type WorldEvent = WorldEvent;
    type Recovery = ();
    type Coverage = RingCoverage;

    fn act(e: &mut Engine<RingStore>, action: RingAction) {
        match action {
            RingAction::Crash { node } => nodes::crash(e, node),
            RingAction::Restart { node } => nodes::restart(e, node),
            RingAction::Add => nodes::add(e),
            RingAction::Remove { node } => nodes::remove(e, node),
            RingAction::Partition { groups } => nodes::links(e, Fault::Partition { groups }),
            RingAction::Heal => nodes::links(e, Fault::Heal),
            RingAction::Cut { from, to, both } => nodes::links(e, Fault::Cut { from, to, both }),
            RingAction::Repair { from, to, both } => {
                nodes::links(e, Fault::Repair { from, to, both })
            }
            RingAction::Put { key } if key < e.world.key_count() => requests::start_put(e, key),
            RingAction::Get { key } if key < e.world.key_count() => requests::start_get(e, key),
            RingAction::Put { .. } | RingAction::Get { .. } => {}
            RingAction::Fault(fault) => {
                let dropped = match &fault {
                    Fault::DropMessage { id } => Some(*id),
                    _ => None,
                };
                e.apply_fault(fault);
                if let Some(id) = dropped {
                    events::transfer_dropped(e, id);
                }
            }
        }
        events::settle(e);
    }

    fn begun(e: &mut Engine<RingStore>) {
        e.world = RingWorld::new(&e.settings.store);
        let s = &e.settings.store;
        let started = RingEvent::RingStarted {
            nodes: s.nodes,
            keys: s.keys,
            replication: s.replication,
            write_quorum: s.write_quorum,
            read_quorum: s.read_quorum,
        };
        note(e, started);
        let under = e.world.table.counts().under_replicated;
        if under > 0 {
            note(e, RingEvent::RingUnderReplicated { keys: under });
        }
        if e.settings.store.workload_interval_us > 0 {
            let at = e.settings.store.workload_interval_us;
            e.push_world(at, WorldEvent::WorkloadTick);
        }
    }

    fn world_event(e: &mut Engine<RingStore>, event: WorldEvent) {
        events::world_event(e, event);
        events::settle(e);
    }

    fn deliver_to_node(
        e: &mut Engine<RingStore>,
        id: MsgId,
        from: Addr,
        node: NodeId,
        msg: RingMessage,
    ) {
        if let Addr::Node(from) = from {
            events::deliver(e, id, from, node, msg);
            events::settle(e);
        }
    }
}

/// What a ring store run reached.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct RingCoverage {
    pub crashes: u64,
    pub detections: u64,
    pub nodes_added: u64,
    pub nodes_removed: u64,
    pub partitions: u64,
    pub cuts: u64,
    pub messages_dropped: u64,
    pub messages_duplicated: u64,
    pub rebalances: u64,
    pub transfers_done: u64,
    pub transfers_lost: u64,
    pub fully_replicated: u64,
    pub writes_ok: u64,
    pub writes_failed: u64,
    pub reads_ok: u64,
    pub reads_failed: u64,
}

impl Counters<RingStore> for RingCoverage {
    fn count(&mut self, event: &Event<RingStore>) {
        match event {
            Event::Crash { .. } => self.crashes += 1,
            Event::Partition { .. } => self.partitions += 1,
            Event::Cut { .. } => self.cuts += 1,
            Event::Drop { .. } => self.messages_dropped += 1,
            Event::Send { deliver_t, .. } if deliver_t.len() > 1 => self.messages_duplicated += 1,
            Event::Protocol(line) => match line {
                RingEvent::NodeDownDetected { .. } => self.detections += 1,
                RingEvent::NodeAdded { .. } => self.nodes_added += 1,
                RingEvent::NodeRemoved { .. } => self.nodes_removed += 1,
                RingEvent::RingRebalance { .. } => self.rebalances += 1,
                RingEvent::RingTransferDone { .. } => self.transfers_done += 1,
                RingEvent::RingTransferLost { .. } => self.transfers_lost += 1,
                RingEvent::RingFullyReplicated => self.fully_replicated += 1,
                RingEvent::PutDone { ok: true, .. } => self.writes_ok += 1,
                RingEvent::PutDone { .. } => self.writes_failed += 1,
                RingEvent::GetDone { ok: true, .. } => self.reads_ok += 1,
                RingEvent::GetDone { .. } => self.reads_failed += 1,
                _ => {}
            },
            _ => {}
        }
    }

    /// Ring store nodes come back at once: there is no replay to crash in.
    fn crash_during_recovery(&mut self) {}

    fn named(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("crashes", self.crashes),
            ("detections", self.detections),
            ("nodes_added", self.nodes_added),
            ("nodes_removed", self.nodes_removed),
            ("partitions", self.partitions),
            ("cuts", self.cuts),
            ("messages_dropped", self.messages_dropped),
            ("messages_duplicated", self.messages_duplicated),
            ("rebalances", self.rebalances),
            ("transfers_done", self.transfers_done),
            ("transfers_lost", self.transfers_lost),
            ("fully_replicated", self.fully_replicated),
            ("writes_ok", self.writes_ok),
            ("writes_failed", self.writes_failed),
            ("reads_ok", self.reads_ok),
            ("reads_failed", self.reads_failed),
        ]
    }
}

impl AddAssign for RingCoverage {
    fn add_assign(&mut self, o: RingCoverage) {
        self.crashes += o.crashes;
        self.detections += o.detections;
        self.nodes_added += o.nodes_added;
        self.nodes_removed += o.nodes_removed;
        self.partitions += o.partitions;
        self.cuts += o.cuts;
        self.messages_dropped += o.messages_dropped;
        self.messages_duplicated += o.messages_duplicated;
        self.rebalances += o.rebalances;
        self.transfers_done += o.transfers_done;
        self.transfers_lost += o.transfers_lost;
        self.fully_replicated += o.fully_replicated;
        self.writes_ok += o.writes_ok;
        self.writes_failed += o.writes_failed;
        self.reads_ok += o.reads_ok;
        self.reads_failed += o.reads_failed;
    }
}
