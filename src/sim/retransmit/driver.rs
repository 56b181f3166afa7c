//! Retransmission's engine-side half: the settings of a run, its actions (the shared faults
//! and the learner's "hand over a message now"), and the counters a fault search prints.
//! Its nodes are all it needs: no clients, and a restart recovers at once from the log.

use super::{
    AckMode, Command, Note, Retransmit, RetransmitConfig, RetransmitReason, RtoPolicy, Scheme,
};
use crate::i18n::Text;
use crate::sim::disk::DiskConfig;
use crate::sim::engine::{Counters, Driver, Engine, Fault, RunAction, RunSettings};
use crate::sim::net::NetConfig;
use crate::sim::protocol::{Event, Input};
use crate::sim::rng::PPM_ONE;
use crate::sim::types::{NodeId, MICROS_PER_MS};
use std::ops::AddAssign;

/// Everything a retransmission run starts from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetransmitSettings {
    pub seed: u64,
    pub network: NetConfig,
    pub disk: DiskConfig,
    pub retransmit: RetransmitConfig,
}

impl RunSettings<Retransmit> for RetransmitSettings {
    fn seed(&self) -> u64 {
        self.seed
    }
    /// A sender and a receiver per pair.
    fn nodes(&self) -> u32 {
        self.retransmit.nodes()
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
    fn config(&self) -> &RetransmitConfig {
        &self.retransmit
    }
    fn validate(&self) -> Result<(), Text> {
        self.network
            .validate()
            .map_err(|e| Text::new("error.settings.network").with_text("error", e))?;
        self.retransmit.validate()
    }
}

/// The run the page's Retransmission mode first shows (and its lessons start from): one pair,
/// go-back-N with a window of 4, an adaptive timeout, a constant 30 ms one-way latency (a
/// jittered one reorders messages, which makes go-back-N resend even without loss) and 10 %
/// loss, so that a resend shows up within seconds.
pub fn page_settings() -> RetransmitSettings {
    RetransmitSettings {
        seed: 1,
        network: NetConfig {
            latency_us_min: 30 * MICROS_PER_MS,
            latency_us_max: 30 * MICROS_PER_MS,
            loss_ppm: PPM_ONE / 10,
            duplicate_ppm: 0,
            ..NetConfig::default()
        },
        retransmit: RetransmitConfig {
            pairs: 1,
            scheme: Scheme::GoBackN,
            window: 4,
            ack: AckMode::Cumulative,
            rto: page_rto(),
            messages: 40,
            offered_interval_us: 0,
            ..RetransmitConfig::default()
        },
        ..RetransmitSettings::default()
    }
}

/// The page's adaptive timeout: RFC 6298's one second before the first measurement and its
/// 60 s ceiling, with a floor of 100 ms (the RFC says one second, Linux uses 200 ms) so that a
/// 60 ms round trip is not dwarfed by it.
pub fn page_rto() -> RtoPolicy {
    RtoPolicy::Adaptive {
        initial_us: 1_000 * MICROS_PER_MS,
        min_us: 100 * MICROS_PER_MS,
        max_us: 60_000 * MICROS_PER_MS,
    }
}

/// What a learner, a scenario or the fault search can do to a retransmission run.
#[derive(Clone, Debug, PartialEq)]
pub enum RetransmitAction {
    Fault(Fault),
    /// The sender `node`'s application hands over its next message now.
    HandOver {
        node: NodeId,
    },
}

impl RunAction for RetransmitAction {
    fn validate(&self, node_count: u32) -> Result<(), Text> {
        let named: Vec<NodeId> = match self {
            RetransmitAction::HandOver { node } => vec![*node],
            RetransmitAction::Fault(fault) => fault.nodes(),
        };
        for n in named {
            if n.0 == 0 || n.0 > node_count {
                return Err(Text::new("error.action.no_node")
                    .with("node", n.0)
                    .with("count", node_count));
            }
        }
        match self {
            RetransmitAction::Fault(Fault::SetNetwork { network }) => network
                .validate()
                .map_err(|e| Text::new("error.settings.network").with_text("error", e)),
            _ => Ok(()),
        }
    }

    fn from_fault(fault: Fault) -> Self {
        RetransmitAction::Fault(fault)
    }

    fn into_fault(self) -> Result<Fault, Self> {
        match self {
            RetransmitAction::Fault(fault) => Ok(fault),
            own => Err(own),
        }
    }
}

impl Driver for Retransmit {
    type Settings = RetransmitSettings;
    type Action = RetransmitAction;
    type World = ();
    type WorldEvent = NoEvent;
    type Recovery = ();
    type Coverage = RetransmitCoverage;

    fn act(engine: &mut Engine<Retransmit>, action: RetransmitAction) {
        if let RetransmitAction::HandOver { node } = action {
            engine.run_node(node.slot(), Input::Command(Command::HandOver));
        }
    }
}

/// Retransmission queues no events of its own.
#[derive(Clone, Debug)]
pub enum NoEvent {}

/// What a retransmission run reached.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct RetransmitCoverage {
    pub crashes: u64,
    pub torn_writes: u64,
    pub partitions: u64,
    pub cuts: u64,
    pub messages_dropped: u64,
    pub messages_duplicated: u64,
    /// Messages sent again because their timer ran out.
    pub retransmissions: u64,
    /// Timeouts doubled (RFC 6298 section 5.5).
    pub backoffs: u64,
    pub rtt_samples: u64,
    /// Copies the receiver had already delivered, dropped.
    pub duplicates_dropped: u64,
    /// Messages a selective-repeat receiver kept out of order.
    pub buffered: u64,
    pub sender_recoveries: u64,
    pub receiver_recoveries: u64,
    pub delivered: u64,
}

impl Counters<Retransmit> for RetransmitCoverage {
    fn count(&mut self, event: &Event<Retransmit>) {
        match event {
            Event::Crash { .. } => self.crashes += 1,
            Event::DiscardTorn { .. } => self.torn_writes += 1,
            Event::Partition { .. } => self.partitions += 1,
            Event::Cut { .. } => self.cuts += 1,
            Event::Drop { .. } => self.messages_dropped += 1,
            Event::Send { deliver_t, .. } if deliver_t.len() > 1 => self.messages_duplicated += 1,
            Event::Protocol(note) => match note {
                Note::Retransmit { reason, .. } if *reason != RetransmitReason::Recovery => {
                    self.retransmissions += 1
                }
                Note::Backoff { .. } => self.backoffs += 1,
                Note::RttSample { .. } => self.rtt_samples += 1,
                Note::Duplicate { .. } => self.duplicates_dropped += 1,
                Note::Buffer { .. } => self.buffered += 1,
                Note::SenderRecovered { .. } => self.sender_recoveries += 1,
                Note::ReceiverRecovered { .. } => self.receiver_recoveries += 1,
                Note::AppDeliver { .. } => self.delivered += 1,
                _ => {}
            },
            _ => {}
        }
    }

    /// Retransmission nodes recover at once: there is no replay to crash in.
    fn crash_during_recovery(&mut self) {}

    fn named(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("crashes", self.crashes),
            ("torn_writes", self.torn_writes),
            ("partitions", self.partitions),
            ("cuts", self.cuts),
            ("messages_dropped", self.messages_dropped),
            ("messages_duplicated", self.messages_duplicated),
            ("retransmissions", self.retransmissions),
            ("backoffs", self.backoffs),
            ("rtt_samples", self.rtt_samples),
            ("duplicates_dropped", self.duplicates_dropped),
            ("buffered", self.buffered),
            ("sender_recoveries", self.sender_recoveries),
            ("receiver_recoveries", self.receiver_recoveries),
            ("delivered", self.delivered),
        ]
    }
}

impl AddAssign for RetransmitCoverage {
    fn add_assign(&mut self, o: RetransmitCoverage) {
        self.crashes += o.crashes;
        self.torn_writes += o.torn_writes;
        self.partitions += o.partitions;
        self.cuts += o.cuts;
        self.messages_dropped += o.messages_dropped;
        self.messages_duplicated += o.messages_duplicated;
        self.retransmissions += o.retransmissions;
        self.backoffs += o.backoffs;
        self.rtt_samples += o.rtt_samples;
        self.duplicates_dropped += o.duplicates_dropped;
        self.buffered += o.buffered;
        self.sender_recoveries += o.sender_recoveries;
        self.receiver_recoveries += o.receiver_recoveries;
        self.delivered += o.delivered;
    }
}
