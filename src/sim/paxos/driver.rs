//! Paxos's engine-side half: the settings of a run, its actions (the shared faults and "this
//! node proposes now"), and the counters a fault search prints. Multi-Paxos's clients are in
//! `clients.rs`. A restart recovers at once from the log.

use super::clients::{ClientEvent, PaxosClients};
use super::config::{PaxosConfig, TIMEOUT_US_MAX};
use super::message::Message;
use super::node::PaxosNode;
use super::note::Note;
use super::types::{Paxos, PaxosCommand};
use crate::i18n::Text;
use crate::sim::disk::DiskConfig;
use crate::sim::engine::{
    nodes_in_run, within, Counters, Driver, Engine, Fault, RunAction, RunSettings,
};
use crate::sim::net::NetConfig;
use crate::sim::protocol::{Event, Input};
use crate::sim::types::{ClientId, Micros, NodeId};
use std::ops::AddAssign;

/// Everything a Paxos run starts from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaxosSettings {
    pub seed: u64,
    pub network: NetConfig,
    pub disk: DiskConfig,
    pub paxos: PaxosConfig,
}

impl RunSettings<Paxos> for PaxosSettings {
    fn seed(&self) -> u64 {
        self.seed
    }
    fn nodes(&self) -> u32 {
        self.paxos.nodes
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
    fn config(&self) -> &PaxosConfig {
        &self.paxos
    }
    fn validate(&self) -> Result<(), Text> {
        self.network
            .validate()
            .map_err(|e| Text::new("error.settings.network").with_text("error", e))?;
        self.paxos.validate()
    }
}

/// What a learner, a scenario or the fault search can do to a Paxos run.
#[derive(Clone, Debug, PartialEq)]
pub enum PaxosAction {
    Fault(Fault),
    /// Node `node` starts phase 1 now with a higher ballot (single-decree: proposes; Multi-Paxos:
    /// campaigns to lead), whatever it knows.
    Propose {
        node: NodeId,
    },
    /// From now on a pre-empted single-decree proposer waits between `min_us` and `max_us`
    /// before it tries again (equal: a fixed wait, which lets two proposers duel forever).
    /// The page's "randomized retry" switch: the run's settings say how it started, this how
    /// it went on, so that a learner can watch a livelock and then end it.
    SetRetry {
        min_us: Micros,
        max_us: Micros,
    },
}

impl RunAction for PaxosAction {
    fn validate(&self, node_count: u32) -> Result<(), Text> {
        match self {
            PaxosAction::Propose { node } => nodes_in_run(&[*node], node_count),
            PaxosAction::SetRetry { min_us, max_us } => {
                within("paxos.retry_delay_us_min", *min_us, 0, TIMEOUT_US_MAX)?;
                within("paxos.retry_delay_us_max", *max_us, *min_us, TIMEOUT_US_MAX)
            }
            PaxosAction::Fault(fault) => fault.validate(node_count),
        }
    }

    fn from_fault(fault: Fault) -> Self {
        PaxosAction::Fault(fault)
    }

    fn into_fault(self) -> Result<Fault, Self> {
        match self {
            PaxosAction::Fault(fault) => Ok(fault),
            own => Err(own),
        }
    }
}

impl Driver for Paxos {
    type Settings = PaxosSettings;
    type Action = PaxosAction;
    type World = PaxosClients;
    type WorldEvent = ClientEvent;
    type Recovery = ();
    type Coverage = PaxosCoverage;

    fn act(engine: &mut Engine<Paxos>, action: PaxosAction) {
        match action {
            PaxosAction::Propose { node } => {
                engine.run_node(node.slot(), Input::Command(PaxosCommand::Propose))
            }
            // The nodes read the settings at every step, so the next retry they draw uses it.
            PaxosAction::SetRetry { min_us, max_us } => {
                engine.settings.paxos.retry_delay_us_min = min_us;
                engine.settings.paxos.retry_delay_us_max = max_us;
            }
            PaxosAction::Fault(_) => {}
        }
    }

    fn begun(engine: &mut Engine<Paxos>) {
        super::clients::start(engine);
    }

    fn world_event(engine: &mut Engine<Paxos>, event: ClientEvent) {
        super::clients::on_event(engine, event);
    }

    fn client_receive(engine: &mut Engine<Paxos>, client: ClientId, msg: Message) {
        super::clients::receive(engine, client, msg);
    }

    fn crashed(_engine: &mut Engine<Paxos>, _node: NodeId, _process: &PaxosNode) {}
}

/// What a Paxos run reached.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PaxosCoverage {
    pub prepares: u64,
    pub promises: u64,
    pub rejects: u64,
    pub proposals: u64,
    /// Phase 2 requests that carry a value a promise reported (rule P2c at work).
    pub adopted_values: u64,
    pub accepts: u64,
    pub learns: u64,
    pub preemptions: u64,
    /// Pre-emptions that made a streak of 5 or more (duelling proposers).
    pub long_streaks: u64,
    pub phase_timeouts: u64,
    pub leaders: u64,
    /// Unfinished slots a new leader proposed again, and gaps it filled with no-ops.
    pub reproposed_slots: u64,
    pub noop_slots: u64,
    /// Nodes that restarted with a promise or accepted proposals on their disk.
    pub recoveries_with_state: u64,
    pub client_requests: u64,
    pub client_replies: u64,
    pub crashes: u64,
    pub torn_writes: u64,
    pub partitions: u64,
    pub messages_sent: u64,
    pub messages_dropped: u64,
    pub messages_duplicated: u64,
}

impl Counters<Paxos> for PaxosCoverage {
    fn count(&mut self, event: &Event<Paxos>) {
        match event {
            Event::Crash { .. } => self.crashes += 1,
            Event::DiscardTorn { .. } => self.torn_writes += 1,
            Event::Partition { .. } => self.partitions += 1,
            Event::Drop { .. } => self.messages_dropped += 1,
            Event::Send { deliver_t, .. } => {
                self.messages_sent += 1;
                if deliver_t.len() > 1 {
                    self.messages_duplicated += 1;
                }
            }
            Event::Protocol(note) => self.count_note(note),
            _ => {}
        }
    }

    /// Paxos nodes recover at once: there is no replay to crash in.
    fn crash_during_recovery(&mut self) {}

    fn named(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("prepares", self.prepares),
            ("promises", self.promises),
            ("rejects", self.rejects),
            ("proposals", self.proposals),
            ("adopted_values", self.adopted_values),
            ("accepts", self.accepts),
            ("learns", self.learns),
            ("preemptions", self.preemptions),
            ("long_streaks", self.long_streaks),
            ("phase_timeouts", self.phase_timeouts),
            ("leaders", self.leaders),
            ("reproposed_slots", self.reproposed_slots),
            ("noop_slots", self.noop_slots),
            ("recoveries_with_state", self.recoveries_with_state),
            ("client_requests", self.client_requests),
            ("client_replies", self.client_replies),
            ("crashes", self.crashes),
            ("torn_writes", self.torn_writes),
            ("partitions", self.partitions),
            ("messages_sent", self.messages_sent),
            ("messages_dropped", self.messages_dropped),
            ("messages_duplicated", self.messages_duplicated),
        ]
    }
}

impl PaxosCoverage {
    fn count_note(&mut self, note: &Note) {
        match note {
            Note::PaxosPrepare { .. } => self.prepares += 1,
            Note::PaxosPromise { .. } => self.promises += 1,
            Note::PaxosReject { .. } => self.rejects += 1,
            Note::PaxosPropose { adopted, .. } => {
                self.proposals += 1;
                if adopted.is_some() {
                    self.adopted_values += 1;
                }
            }
            Note::PaxosAccepted { .. } => self.accepts += 1,
            Note::PaxosLearn { .. } => self.learns += 1,
            Note::PaxosPreempted { streak, .. } => {
                self.preemptions += 1;
                if *streak >= 5 {
                    self.long_streaks += 1;
                }
            }
            Note::PaxosPhaseTimeout { .. } => self.phase_timeouts += 1,
            Note::PaxosLeader {
                reproposed, noops, ..
            } => {
                self.leaders += 1;
                self.reproposed_slots += reproposed;
                self.noop_slots += noops;
            }
            Note::PaxosBoot {
                recovered: true,
                promised,
                accepted,
                ..
            } => {
                if *accepted > 0 || promised.round > 0 {
                    self.recoveries_with_state += 1;
                }
            }
            Note::PaxosClientRequest { .. } => self.client_requests += 1,
            Note::PaxosClientReply { .. } => self.client_replies += 1,
            Note::PaxosBoot { .. } | Note::PaxosOffer { .. } => {}
        }
    }
}

impl AddAssign for PaxosCoverage {
    fn add_assign(&mut self, o: PaxosCoverage) {
        self.prepares += o.prepares;
        self.promises += o.promises;
        self.rejects += o.rejects;
        self.proposals += o.proposals;
        self.adopted_values += o.adopted_values;
        self.accepts += o.accepts;
        self.learns += o.learns;
        self.preemptions += o.preemptions;
        self.long_streaks += o.long_streaks;
        self.phase_timeouts += o.phase_timeouts;
        self.leaders += o.leaders;
        self.reproposed_slots += o.reproposed_slots;
        self.noop_slots += o.noop_slots;
        self.recoveries_with_state += o.recoveries_with_state;
        self.client_requests += o.client_requests;
        self.client_replies += o.client_replies;
        self.crashes += o.crashes;
        self.torn_writes += o.torn_writes;
        self.partitions += o.partitions;
        self.messages_sent += o.messages_sent;
        self.messages_dropped += o.messages_dropped;
        self.messages_duplicated += o.messages_duplicated;
    }
}
