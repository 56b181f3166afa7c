//! A run as the engine reads it, whatever the protocol: its settings, its actions (a shared
//! fault or the protocol's own request, each at a moment of simulated time), and counters of
//! the states it reached.

use crate::i18n::Text;
use crate::sim::disk::{CrashMode, DiskConfig};
use crate::sim::net::NetConfig;
use crate::sim::protocol::{Event, Protocol};
use crate::sim::types::{Micros, MsgId, NodeId};
use std::fmt::Debug;
use std::ops::AddAssign;

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

/// A setting's range check, shared by every protocol's settings: `field` must be in
/// `min..=max`; the error names it, its value and its bounds.
pub fn within(field: &str, value: u64, min: u64, max: u64) -> Result<(), Text> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(Text::new("error.settings.outside")
            .with("field", field)
            .with("value", value)
            .with("min", min)
            .with("max", max))
    }
}

/// Every node an action names must be in the run of `node_count` nodes.
pub fn nodes_in_run(named: &[NodeId], node_count: u32) -> Result<(), Text> {
    match named.iter().find(|n| n.0 == 0 || n.0 > node_count) {
        Some(n) => Err(Text::new("error.action.no_node")
            .with("node", n.0)
            .with("count", node_count)),
        None => Ok(()),
    }
}

impl Fault {
    /// Checks the fault against a run of `node_count` nodes: the nodes it names, and the
    /// network it sets.
    pub fn validate(&self, node_count: u32) -> Result<(), Text> {
        nodes_in_run(&self.nodes(), node_count)?;
        match self {
            Fault::SetNetwork { network } => network
                .validate()
                .map_err(|e| Text::new("error.settings.network").with_text("error", e)),
            _ => Ok(()),
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

/// An action at a moment of simulated time.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TimedAction<A> {
    pub at_us: Micros,
    #[serde(flatten)]
    pub action: A,
}
