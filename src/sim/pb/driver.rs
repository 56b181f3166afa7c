//! Primary-backup's engine-side half: the settings of a run, its actions (the shared faults,
//! and faults aimed at whoever is primary when they happen: a crash with a restart later, a
//! cut between the primary and the view service only, a checkpoint now), and the counters a
//! fault search prints. The clients are in `clients.rs`. A restart recovers at once.

use super::clients::PbClients;
use super::config::{PbConfig, VIEW_SERVICE};
use super::events::PbEvent;
use super::message::Message;
use super::note::{DeadReason, Note};
use super::types::{PbCommand, PrimaryBackup};
use crate::i18n::Text;
use crate::sim::disk::{CrashMode, DiskConfig};
use crate::sim::engine::{Counters, Driver, Engine, Fault, RunAction, RunSettings};
use crate::sim::net::NetConfig;
use crate::sim::protocol::{Event, Input};
use crate::sim::types::{ClientId, Micros, NodeId};
use std::ops::AddAssign;

/// Everything a primary-backup run starts from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PbSettings {
    pub seed: u64,
    pub network: NetConfig,
    pub disk: DiskConfig,
    pub pb: PbConfig,
}

impl RunSettings<PrimaryBackup> for PbSettings {
    fn seed(&self) -> u64 {
        self.seed
    }
    fn nodes(&self) -> u32 {
        self.pb.nodes()
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
    fn config(&self) -> &PbConfig {
        &self.pb
    }
    fn validate(&self) -> Result<(), Text> {
        self.network
            .validate()
            .map_err(|e| Text::new("error.settings.network").with_text("error", e))?;
        self.pb.validate()
    }
}

/// What a learner, a scenario or the fault search can do to a primary-backup run.
#[derive(Clone, Debug, PartialEq)]
pub enum PbAction {
    Fault(Fault),
    /// Whoever is primary now crashes, and restarts `down_us` later.
    CrashPrimary {
        down_us: Micros,
    },
    /// Whoever is primary now is cut off from the view service (both ways) for `for_us`,
    /// still reaching its backups, the storage and the clients: the split-brain set-up.
    IsolatePrimary {
        for_us: Micros,
    },
    /// Whoever is primary now is paused (stopped, not crashed: a long garbage-collection
    /// pause) for `for_us`, then runs on from where it stopped, still believing it is primary:
    /// a live server the view service wrongly suspects.
    PausePrimary {
        for_us: Micros,
    },
    /// Cold mode: the primary writes a checkpoint now.
    Checkpoint,
}

impl RunAction for PbAction {
    fn validate(&self, node_count: u32) -> Result<(), Text> {
        match self {
            PbAction::Fault(fault) => fault.validate(node_count),
            _ => Ok(()),
        }
    }

    fn from_fault(fault: Fault) -> Self {
        PbAction::Fault(fault)
    }

    fn into_fault(self) -> Result<Fault, Self> {
        match self {
            PbAction::Fault(fault) => Ok(fault),
            own => Err(own),
        }
    }
}

/// The primary now: the one the view service names, or while it is down the running server
/// that acts as primary of the newest view.
pub fn current_primary(engine: &Engine<PrimaryBackup>) -> Option<NodeId> {
    let named = engine
        .node(VIEW_SERVICE)
        .and_then(|n| n.process.as_ref())
        .and_then(|p| p.view_service())
        .and_then(|vs| vs.view.primary);
    named.or_else(|| {
        engine
            .nodes()
            .iter()
            .filter_map(|n| n.process.as_ref()?.server())
            .filter_map(|s| s.primary.as_ref().map(|p| (p.view, s.id)))
            .max()
            .map(|(_, id)| id)
    })
}

impl Driver for PrimaryBackup {
    type Settings = PbSettings;
    type Action = PbAction;
    type World = PbClients;
    type WorldEvent = PbEvent;
    type Recovery = ();
    type Coverage = PbCoverage;

    fn act(engine: &mut Engine<PrimaryBackup>, action: PbAction) {
        let Some(primary) = current_primary(engine) else {
            return;
        };
        let now_us = engine.now_us;
        match action {
            PbAction::CrashPrimary { down_us } => {
                if engine.node(primary).is_some_and(|n| n.is_up()) {
                    engine.apply_fault(Fault::Crash {
                        node: primary,
                        mode: CrashMode::Clean,
                    });
                    // A world event, not a scheduled action: replaying the run's actions (time
                    // travel) must not find the restart twice.
                    engine.push_world(now_us + down_us, PbEvent::Restart { node: primary });
                }
            }
            PbAction::IsolatePrimary { for_us } => {
                engine.apply_fault(Fault::Cut {
                    from: primary,
                    to: VIEW_SERVICE,
                    both: true,
                });
                engine.push_world(now_us + for_us, PbEvent::Reconnect { node: primary });
            }
            PbAction::PausePrimary { for_us } => {
                let until_us = now_us + for_us;
                if engine.pause_node(primary, until_us) && engine.observing() {
                    engine.record(Event::Protocol(Note::PbPause {
                        node: primary,
                        until_us,
                    }));
                }
            }
            PbAction::Checkpoint => {
                // A paused primary writes its checkpoint when it runs again, like the rest.
                let paused = engine
                    .node(primary)
                    .and_then(|n| n.paused_until(now_us))
                    .is_some();
                if !paused {
                    engine.run_node(primary.slot(), Input::Command(PbCommand::Checkpoint));
                }
            }
            PbAction::Fault(_) => {}
        }
    }

    fn begun(engine: &mut Engine<PrimaryBackup>) {
        super::clients::start(engine);
    }

    fn world_event(engine: &mut Engine<PrimaryBackup>, event: PbEvent) {
        match event {
            PbEvent::Client(event) => super::clients::on_event(engine, event),
            PbEvent::Restart { node } => engine.apply_fault(Fault::Restart { node }),
            PbEvent::Reconnect { node } => engine.apply_fault(Fault::Repair {
                from: node,
                to: VIEW_SERVICE,
                both: true,
            }),
        }
    }

    fn client_receive(engine: &mut Engine<PrimaryBackup>, client: ClientId, msg: Message) {
        super::clients::receive(engine, client, msg);
    }
}

/// What a primary-backup run reached.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PbCoverage {
    pub views: u64,
    pub acks: u64,
    pub dead_by_timeout: u64,
    pub dead_by_restart: u64,
    pub primaries: u64,
    pub installs: u64,
    pub writes: u64,
    pub reads: u64,
    pub applies: u64,
    pub served: u64,
    pub resends: u64,
    pub fenced: u64,
    pub replays: u64,
    pub checkpoints: u64,
    pub pauses: u64,
    pub client_requests: u64,
    pub client_replies: u64,
    pub crashes: u64,
    pub partitions: u64,
    pub cuts: u64,
    pub messages_sent: u64,
    pub messages_dropped: u64,
    pub messages_duplicated: u64,
    /// Runs whose healed phase ended with the view service stuck as 6.824 documents it (the
    /// fault search's liveness check excuses these and counts them here).
    pub stuck_as_documented: u64,
}

impl Counters<PrimaryBackup> for PbCoverage {
    fn count(&mut self, event: &Event<PrimaryBackup>) {
        match event {
            Event::Crash { .. } => self.crashes += 1,
            Event::Partition { .. } => self.partitions += 1,
            Event::Cut { .. } => self.cuts += 1,
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

    /// Nodes recover at once: there is no replay to crash in (a cold standby's replay is a
    /// timer of a running node).
    fn crash_during_recovery(&mut self) {}

    fn named(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("views", self.views),
            ("acks", self.acks),
            ("dead_by_timeout", self.dead_by_timeout),
            ("dead_by_restart", self.dead_by_restart),
            ("primaries", self.primaries),
            ("installs", self.installs),
            ("writes", self.writes),
            ("reads", self.reads),
            ("applies", self.applies),
            ("served", self.served),
            ("resends", self.resends),
            ("fenced", self.fenced),
            ("replays", self.replays),
            ("checkpoints", self.checkpoints),
            ("pauses", self.pauses),
            ("client_requests", self.client_requests),
            ("client_replies", self.client_replies),
            ("crashes", self.crashes),
            ("partitions", self.partitions),
            ("cuts", self.cuts),
            ("messages_sent", self.messages_sent),
            ("messages_dropped", self.messages_dropped),
            ("messages_duplicated", self.messages_duplicated),
            ("stuck_as_documented", self.stuck_as_documented),
        ]
    }
}

impl PbCoverage {
    fn count_note(&mut self, note: &Note) {
        match note {
            Note::PbView { .. } => self.views += 1,
            Note::PbAck { .. } => self.acks += 1,
            Note::PbDead { reason, .. } => match reason {
                DeadReason::Timeout => self.dead_by_timeout += 1,
                DeadReason::Restarted => self.dead_by_restart += 1,
            },
            Note::PbPrimary { .. } => self.primaries += 1,
            Note::PbInstall { .. } => self.installs += 1,
            Note::PbExecute { .. } => self.writes += 1,
            Note::PbRead { .. } => self.reads += 1,
            Note::PbApply { .. } => self.applies += 1,
            Note::PbServe { .. } => self.served += 1,
            Note::PbResend { .. } => self.resends += 1,
            Note::PbFenced { .. } => self.fenced += 1,
            Note::PbReplay { .. } => self.replays += 1,
            Note::PbCheckpoint { .. } => self.checkpoints += 1,
            Note::PbPause { .. } => self.pauses += 1,
            Note::PbClientRequest { .. } => self.client_requests += 1,
            Note::PbClientReply { .. } => self.client_replies += 1,
            Note::PbBoot { .. } => {}
        }
    }
}

impl AddAssign for PbCoverage {
    fn add_assign(&mut self, o: PbCoverage) {
        self.views += o.views;
        self.acks += o.acks;
        self.dead_by_timeout += o.dead_by_timeout;
        self.dead_by_restart += o.dead_by_restart;
        self.primaries += o.primaries;
        self.installs += o.installs;
        self.writes += o.writes;
        self.reads += o.reads;
        self.applies += o.applies;
        self.served += o.served;
        self.resends += o.resends;
        self.fenced += o.fenced;
        self.replays += o.replays;
        self.checkpoints += o.checkpoints;
        self.pauses += o.pauses;
        self.client_requests += o.client_requests;
        self.client_replies += o.client_replies;
        self.crashes += o.crashes;
        self.partitions += o.partitions;
        self.cuts += o.cuts;
        self.messages_sent += o.messages_sent;
        self.messages_dropped += o.messages_dropped;
        self.messages_duplicated += o.messages_duplicated;
        self.stuck_as_documented += o.stuck_as_documented;
    }
}
