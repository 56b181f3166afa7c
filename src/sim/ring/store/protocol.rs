//! The ring store as the engine sees it: nodes that only mark themselves as running, no timers,
//! no write-ahead log and no commands, since the store's state and its work are engine-side
//! (the `Driver`'s world).

use super::checks::RingChecks;
use super::message::RingMessage;
use super::settings::RingSettings;
use super::trace::{RingEvent, RING_KINDS};
use super::types::RingStore;
use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::protocol::{Context, Effect, Input, Protocol, Storage, TimerKind};
use crate::sim::types::NodeId;

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
