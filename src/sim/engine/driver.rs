//! What a protocol adds to the engine beyond its node state machine: the settings of a run,
//! the actions a learner or a scenario can take, and optional engine-side parts (clients,
//! a restart that replays the disk visibly, extra trace lines after a crash). Every hook
//! has a default, so a protocol whose nodes are all it needs (retransmission) writes only
//! its types; Raft uses the hooks for its clients and its replay.

use super::Engine;
use crate::i18n::Text;
use crate::sim::disk::{CrashMode, DiskConfig};
use crate::sim::net::NetConfig;
use crate::sim::protocol::{Event, Protocol};
use crate::sim::types::{Addr, ClientId, MsgId, NodeId};
use std::fmt::Debug;
use std::ops::AddAssign;

/// The engine-side half of a protocol.
pub trait Driver: Protocol {
    /// Everything a run starts from: the seed, the cluster, the world's faults and the
    /// protocol's own settings.
    type Settings: RunSettings<Self>;
    /// What a learner, a lesson or a scenario can do to a run: the shared faults and the
    /// protocol's own requests.
    type Action: RunAction;
    /// The protocol's engine-side state (its clients, for example).
    type World: Clone + Debug + Default;
    /// Queued events of the protocol's engine-side parts (a client's timeout, a replay step).
    type WorldEvent: Clone + Debug;
    /// A node part-way through a visible restart; `()` for protocols that recover at once.
    type Recovery: Clone + Debug + PartialEq;
    /// Counters of the interesting states a run reached.
    type Coverage: Counters<Self>;

    /// Carries out a protocol action (never a fault: those the engine carries out itself).
    fn act(engine: &mut Engine<Self>, action: Self::Action);

    /// Called once when every node has started.
    fn begun(_engine: &mut Engine<Self>) {}

    /// Carries out one of the protocol's own queued events.
    fn world_event(_engine: &mut Engine<Self>, _event: Self::WorldEvent) {}

    /// A message `id` from `from` arrived at node `node`. By default the node's process
    /// handles it, or it is dropped when the node is not running; a protocol whose state is
    /// partly engine-side (the ring store's key table) routes deliveries itself.
    fn deliver_to_node(
        engine: &mut Engine<Self>,
        id: MsgId,
        from: Addr,
        node: NodeId,
        msg: Self::Message,
    ) {
        engine.deliver_to_process(id, from, node, msg);
    }

    /// A message arrived at a client.
    fn client_receive(_engine: &mut Engine<Self>, _client: ClientId, _msg: Self::Message) {}

    /// Extra trace lines after `node` crashed (its lost process is `process`); called only
    /// while the engine records.
    fn crashed(_engine: &mut Engine<Self>, _node: NodeId, _process: &Self::Node) {}

    /// Restarts a crashed node. By default it reads its disk and recovers at once.
    fn restart(engine: &mut Engine<Self>, slot: usize) {
        engine.recover_now(slot);
    }
}

/// The settings of a run, as the engine reads them.
pub trait RunSettings<P: Protocol>: Clone + Debug + PartialEq {
    fn seed(&self) -> u64;
    /// Nodes in the run, numbered 1..=nodes.
    fn nodes(&self) -> u32;
    fn network(&self) -> &NetConfig;
    fn set_network(&mut self, network: NetConfig);
    fn disk(&self) -> &DiskConfig;
    fn config(&self) -> &P::Config;
    /// Checks every range; the error names the field.
    fn validate(&self) -> Result<(), Text>;
}

/// A fault the engine injects, the same for every protocol.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    Crash {
        node: NodeId,
        mode: CrashMode,
    },
    Restart {
        node: NodeId,
    },
    /// Split the cluster; nodes in no group form one more group together.
    Partition {
        groups: Vec<Vec<NodeId>>,
    },
    /// Remove every partition and cut.
    Heal,
    /// Stop the link from `from` to `to` (and back, with `both`).
    Cut {
        from: NodeId,
        to: NodeId,
        both: bool,
    },
    Repair {
        from: NodeId,
        to: NodeId,
        both: bool,
    },
    SetNetwork {
        network: NetConfig,
    },
    /// Lose one message in flight.
    DropMessage {
        id: MsgId,
    },
}

impl Fault {
    /// The nodes the fault names, for validation against the cluster size.
    pub fn nodes(&self) -> Vec<NodeId> {
        match self {
            Fault::Crash { node, .. } | Fault::Restart { node } => vec![*node],
            Fault::Partition { groups } => groups.iter().flatten().copied().collect(),
            Fault::Cut { from, to, .. } | Fault::Repair { from, to, .. } => vec![*from, *to],
            Fault::Heal | Fault::SetNetwork { .. } | Fault::DropMessage { .. } => Vec::new(),
        }
    }
}

/// An action of a run: a shared fault or a protocol request.
pub trait RunAction: Clone + Debug + PartialEq + Sized {
    /// Checks the action against a run of `node_count` nodes; the error says why.
    fn validate(&self, node_count: u32) -> Result<(), Text>;
    /// The action that injects `fault`.
    fn from_fault(fault: Fault) -> Self;
    /// The fault this action is, or the action back when it is the protocol's own.
    fn into_fault(self) -> Result<Fault, Self>;
}

/// Counters of what a run reached, so a fault search can show it got to the interesting
/// states (FoundationDB's and TigerBeetle's simulators print such counts).
pub trait Counters<P: Protocol>:
    Copy + Clone + Debug + Default + PartialEq + AddAssign + Send
{
    /// Counts one trace line.
    fn count(&mut self, event: &Event<P>);
    /// A node crashed while it was still replaying its disk after a restart (such a crash
    /// leaves no process to report, so the engine says it here).
    fn crash_during_recovery(&mut self);
    /// Each counter with its name, in a fixed order for printing.
    fn named(&self) -> Vec<(&'static str, u64)>;
}
