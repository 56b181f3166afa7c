//! Raft's engine-side half (`Driver`): its clients (section 8), its restart as a visible
//! replay of the disk, the trace line a crash that loses log entries adds, the learner's
//! Raft actions, and the counters a fault search prints.

mod changes;
mod clients;
mod coverage;
mod recovery;
mod world_event;

use crate::i18n::Text;
use crate::sim::disk::DiskConfig;
use crate::sim::engine::{Driver, Engine, Fault, RunAction, RunSettings};
use crate::sim::net::NetConfig;
use crate::sim::protocol::{Event, Input};
use crate::sim::raft::action::Action;
use crate::sim::raft::config::RaftConfig;
use crate::sim::raft::effect::Role;
use crate::sim::raft::message::Message;
use crate::sim::raft::node::RaftNode;
use crate::sim::raft::protocol::RaftCommand;
use crate::sim::raft::settings::Settings;
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::Raft;
use crate::sim::types::{ClientId, LogIndex, NodeId};

pub use changes::{ATTEMPTS_MAX, RETRY_US};
pub use clients::{key_name, LEARNER};
pub use coverage::Coverage;
pub use recovery::Recovery;
pub use world_event::{Change, WorldEvent};

/// Raft's engine-side state: its clients.
#[derive(Clone, Debug, Default)]
pub struct RaftWorld {
    clients: Vec<clients::ClientState>,
}

/// A Raft run with its past, for time travel.
pub type RaftHistory = crate::sim::history::History<Raft>;

impl Driver for Raft {
    type Settings = Settings;
    type Action = Action;
    type World = RaftWorld;
    type WorldEvent = WorldEvent;
    type Recovery = Recovery;
    type Coverage = Coverage;

    fn act(engine: &mut Engine<Raft>, action: Action) {
        match action {
            Action::Timeout { node } => {
                engine.run_node(node.slot(), Input::Timer(crate::sim::raft::Timer::Election))
            }
            Action::Request { node, cmd } => engine.manual_request(LEARNER, node, cmd),
            Action::RequestFrom { client, node, cmd } => engine.manual_request(client, node, cmd),
            Action::Transfer { to } => {
                if let Some(leader) = engine.leader() {
                    let command = RaftCommand::TransferLeadership { to };
                    engine.run_node(leader.slot(), Input::Command(command));
                }
            }
            Action::Snapshot { node } => {
                engine.run_node(node.slot(), Input::Command(RaftCommand::TakeSnapshot))
            }
            Action::AddServer { node } => engine.offer_change(Change { node, add: true }, 1),
            Action::RemoveServer { node } => engine.offer_change(Change { node, add: false }, 1),
            Action::SetRaft { mut raft } => {
                // The configuration a run started in is fixed: a restarted server reads its
                // bootstrap from it.
                raft.voters_initial = engine.settings.raft.voters_initial;
                for node in engine.nodes.iter_mut() {
                    if let Some(r) = node.process.as_mut() {
                        r.set_config(raft.clone());
                    }
                }
                engine.settings.raft = raft;
            }
            // Faults never reach here: the engine carries them out (`RunAction::into_fault`).
            Action::Crash { .. }
            | Action::Restart { .. }
            | Action::Partition { .. }
            | Action::Heal
            | Action::Cut { .. }
            | Action::Repair { .. }
            | Action::SetNetwork { .. }
            | Action::DropMessage { .. } => {}
        }
    }

    fn begun(engine: &mut Engine<Raft>) {
        engine.start_clients();
    }

    fn world_event(engine: &mut Engine<Raft>, event: WorldEvent) {
        match event {
            WorldEvent::Recover { node } => engine.continue_recovery(node),
            WorldEvent::ClientTimeout {
                client,
                request,
                attempt,
            } => engine.client_timeout(client, request, attempt),
            WorldEvent::ClientNext { client } => engine.client_next(client),
            WorldEvent::RetryChange { change, attempt } => engine.offer_change(change, attempt),
        }
    }

    fn client_receive(engine: &mut Engine<Raft>, client: ClientId, msg: Message) {
        engine.client_receive(client, msg);
    }

    /// A crash that loses log entries the process had (an unsynced tail, a torn write)
    /// truncates the log as the restart will find it.
    fn crashed(engine: &mut Engine<Raft>, node: NodeId, process: &RaftNode) {
        let kept = engine.nodes[node.slot()].disk.read(true).durable;
        let kept_last = kept
            .entries
            .last()
            .map(|e| e.index)
            .or(kept.snapshot.as_ref().map(|s| s.last_index))
            .unwrap_or_default();
        if kept_last < process.log().last_index() {
            engine.record(Event::Protocol(RaftEvent::LogTruncate {
                node,
                from: kept_last.next(),
            }));
        }
    }

    fn restart(engine: &mut Engine<Raft>, slot: usize) {
        engine.begin_recovery(slot);
    }
}

impl Engine<Raft> {
    /// The server that leads in the highest term among the live ones.
    pub fn leader(&self) -> Option<NodeId> {
        self.nodes
            .iter()
            .filter_map(|n| n.process.as_ref())
            .filter(|r| r.role() == Role::Leader)
            .max_by_key(|r| r.term())
            .map(|r| r.id())
    }
    /// Client operations completed so far (acknowledged to their client).
    pub fn completed_ops(&self) -> u64 {
        self.world.clients.iter().map(|c| c.completed).sum()
    }
    /// The highest log index at which an operation acknowledged to a client took effect.
    pub fn highest_acknowledged_index(&self) -> LogIndex {
        self.world
            .clients
            .iter()
            .map(|c| c.highest_acked)
            .max()
            .unwrap_or_default()
    }
}

impl RunSettings<Raft> for Settings {
    fn seed(&self) -> u64 {
        self.seed
    }
    fn nodes(&self) -> u32 {
        self.nodes
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
    fn config(&self) -> &RaftConfig {
        &self.raft
    }
    fn validate(&self) -> Result<(), Text> {
        Settings::validate(self)
    }
}

impl RunAction for Action {
    fn validate(&self, node_count: u32) -> Result<(), Text> {
        Action::validate(self, node_count)
    }

    fn from_fault(fault: Fault) -> Action {
        match fault {
            Fault::Crash { node, mode } => Action::Crash { node, mode },
            Fault::Restart { node } => Action::Restart { node },
            Fault::Partition { groups } => Action::Partition { groups },
            Fault::Heal => Action::Heal,
            Fault::Cut { from, to, both } => Action::Cut { from, to, both },
            Fault::Repair { from, to, both } => Action::Repair { from, to, both },
            Fault::SetNetwork { network } => Action::SetNetwork { network },
            Fault::DropMessage { id } => Action::DropMessage { id },
        }
    }

    fn into_fault(self) -> Result<Fault, Action> {
        Ok(match self {
            Action::Crash { node, mode } => Fault::Crash { node, mode },
            Action::Restart { node } => Fault::Restart { node },
            Action::Partition { groups } => Fault::Partition { groups },
            Action::Heal => Fault::Heal,
            Action::Cut { from, to, both } => Fault::Cut { from, to, both },
            Action::Repair { from, to, both } => Fault::Repair { from, to, both },
            Action::SetNetwork { network } => Fault::SetNetwork { network },
            Action::DropMessage { id } => Fault::DropMessage { id },
            own => return Err(own),
        })
    }
}
