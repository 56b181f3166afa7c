//! The one interface between the engine and a protocol.
//!
//! A protocol is a pure, deterministic state machine per node, in the sans-IO style: the
//! engine hands it an input together with a context (its id, the cluster's size, its
//! settings, the current simulated time and its own random stream) and it answers with
//! effects. It never reads a clock, a global random source, the network or a disk: time
//! arrives as a value in the context (as a sans-IO transport receives `now` from its caller),
//! randomness from the stream the engine passes in, and everything it sends, schedules,
//! writes or wants traced leaves as an `Effect`. The engine owns virtual time, the one event
//! queue, the network's faults, crashes and restarts, the disks' sync and tear semantics, the
//! trace framing and the live checks, so that every protocol gets all of them the same way.

use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::net::DropReason;
use crate::sim::rng::SimRng;
use crate::sim::types::{Addr, Micros, MsgId, NodeId};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt::Debug;

/// A protocol: its types and its node state machine.
pub trait Protocol: Sized + Clone + Debug + PartialEq + 'static {
    /// The name `faultline run --protocol NAME` and the trace use.
    const NAME: &'static str;
    /// The `kind`s of the protocol's own trace lines: none is an engine framing kind, and
    /// no two protocols share one, so a trace tells which protocol wrote it.
    const TRACE_KINDS: &'static [&'static str];
    /// The protocol's own settings (the engine keeps the network's, the disks' and the seed).
    type Config: Clone + Debug + PartialEq;
    /// One node's volatile state: everything a crash loses.
    type Node: Clone + Debug;
    /// What travels on the network. Its serialized fields are flattened into the trace's
    /// `send` lines, tagged by a field of its own (for example `"type"`).
    type Message: Clone + Debug + PartialEq + Serialize + DeserializeOwned;
    /// The kinds of timer one node may arm; at most one of each kind is armed at a time.
    type Timer: TimerKind;
    /// One write a node asks of its disk.
    type Record: Clone + Debug + PartialEq;
    /// A node's simulated disk: the engine carries out writes, syncs and crashes on it.
    type Disk: Storage<Record = Self::Record>;
    /// Something a node did that its trace lines and checks record (`Effect::Note`).
    type Note: Clone + Debug + PartialEq;
    /// A trace line of the protocol's own kind (`"kind": "..."`, snake case, never one of the
    /// engine's framing kinds), naming its node.
    type Trace: Clone + Debug + PartialEq + Serialize + DeserializeOwned;
    /// A protocol-specific request from a learner, a lesson or a scenario.
    type Command: Clone + Debug + PartialEq;
    /// The protocol's properties, checked live after every trace line.
    type Checks: Checks<Self>;

    /// The trace line for a note of node `node`.
    fn trace(node: NodeId, note: Self::Note) -> Self::Trace;

    /// A trace line's `kind` field.
    fn trace_kind(line: &Self::Trace) -> &'static str;

    /// The node a trace line is about, if it is about one.
    fn trace_node(line: &Self::Trace) -> Option<NodeId>;

    /// A message's size on the wire, in bytes (the network's bandwidth model uses it).
    fn message_bytes(msg: &Self::Message) -> u64;

    /// A record's type as the trace's `wal_write` line names it.
    fn record_kind(record: &Self::Record) -> &'static str;

    /// The trace line for a record `node` writes: a `wal_write` unless the protocol names
    /// some writes its own way (Raft's snapshot files). Its size is filled in by
    /// `Event::set_written_bytes` once the disk has taken the record, which it takes by value.
    fn written(node: NodeId, record: &Self::Record) -> Event<Self> {
        Event::WalWrite {
            node,
            record: Self::record_kind(record).into(),
            bytes: 0,
        }
    }

    /// Sets the size of a write in one of the protocol's own write lines (see `written`).
    fn set_written_bytes(_line: &mut Self::Trace, _bytes: u64) {}

    /// Boots a node for the first time, with an empty disk.
    fn start(ctx: &mut Context<'_, Self>, out: &mut Vec<Effect<Self>>) -> Self::Node;

    /// Boots a node after a crash from what its disk still holds.
    fn recover(
        ctx: &mut Context<'_, Self>,
        disk: <Self::Disk as Storage>::Recovered,
        out: &mut Vec<Effect<Self>>,
    ) -> Self::Node;

    /// Handles one input of a live node.
    fn handle(
        node: &mut Self::Node,
        ctx: &mut Context<'_, Self>,
        input: Input<Self>,
        out: &mut Vec<Effect<Self>>,
    );
}

/// What a node may know about the world when it handles an input.
pub struct Context<'a, P: Protocol> {
    pub id: NodeId,
    /// Nodes in the run, numbered 1..=nodes.
    pub nodes: u32,
    pub config: &'a P::Config,
    /// The current simulated time, passed in rather than read (sans-IO).
    pub now_us: Micros,
    /// Whether the run keeps a trace or runs checks: notes that only feed those may be
    /// skipped when it does neither (a benchmark).
    pub observing: bool,
    /// This node's own random stream.
    pub rng: &'a mut SimRng,
}

/// An input to a live node.
#[derive(Clone, Debug, PartialEq)]
pub enum Input<P: Protocol> {
    Receive {
        from: Addr,
        msg: P::Message,
    },
    /// A timer of this node fired (it had not been re-armed or cancelled since).
    Timer(P::Timer),
    Command(P::Command),
}

/// Something the world must carry out for a node.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect<P: Protocol> {
    Send {
        to: Addr,
        msg: P::Message,
    },
    /// (Re)arms `timer` to fire after `after_us`, replacing any earlier setting of it.
    SetTimer {
        timer: P::Timer,
        after_us: Micros,
    },
    CancelTimer {
        timer: P::Timer,
    },
    /// Appends a record to the node's write-ahead log under the run's sync policy: with
    /// every-write syncing, the sends that follow leave only once it is durable.
    Persist(P::Record),
    /// A trace line of the protocol's own kind, also read by its live checks.
    Note(P::Note),
}

/// A node's simulated disk, as the engine drives it. Writes land in the page cache and
/// become durable on a sync; a crash keeps what its mode keeps (`CrashMode`); reading it
/// back on restart stops at the first torn record.
pub trait Storage: Clone + Debug + Default {
    type Record;
    /// What a restarting node reads back.
    type Recovered;
    /// Writes a record; returns the bytes written and whether something now waits for a sync.
    fn write(&mut self, record: Self::Record, policy: SyncPolicy) -> (u64, bool);
    /// Makes every written record durable; returns how many became durable.
    fn sync(&mut self) -> usize;
    fn crash(&mut self, mode: CrashMode);
    /// What a restart reads, and the position of a torn record that ended the read.
    fn read(&self) -> (Self::Recovered, Option<usize>);
    /// Drops a torn tail found on restart, as recovery does before appending again.
    fn discard_from(&mut self, position: usize);
}

/// A protocol's kinds of timer, each with a fixed slot so a node's timers are an array.
pub trait TimerKind: Copy + Clone + Debug + PartialEq + Eq + 'static {
    /// How many kinds there are; `slot` is below this.
    const COUNT: usize;
    fn slot(self) -> usize;
}

/// A protocol's live safety checks: fed every trace line of a run in order, the engine's
/// framing lines and the protocol's own notes alike, they can also be run again over a saved
/// trace by `faultline check`.
pub trait Checks<P: Protocol>: Clone + Debug + Default {
    /// A broken property: it names the property, the nodes and the position (index, sequence
    /// number or key) involved, and the line that broke it.
    type Violation: Clone + Debug + PartialEq + std::fmt::Display;

    /// Checks one line (`position` counts from 0); returns the first property it breaks.
    fn observe(&mut self, line: &Line<P>, position: u64) -> Option<Self::Violation>;

    /// Liveness, asked once at the end of a run whose faults were healed and which then ran
    /// quiet for long enough: what should have happened by now and did not.
    fn finish(&mut self, now_us: Micros) -> Option<Self::Violation>;
}

/// One line of a trace: when, and what happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Line<P: Protocol> {
    pub t: Micros,
    #[serde(flatten)]
    pub event: Event<P>,
}

/// What happened: the engine's framing kinds, the same for every protocol, or a line of the
/// protocol's own kinds (docs/trace-format.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", bound = "")]
pub enum Event<P: Protocol> {
    /// A message left `from`; it arrives at each time of `deliver_t` (two when duplicated,
    /// none when dropped at once).
    Send {
        id: MsgId,
        from: Addr,
        to: Addr,
        deliver_t: Vec<Micros>,
        #[serde(flatten)]
        msg: P::Message,
    },
    Deliver {
        id: MsgId,
    },
    Drop {
        id: MsgId,
        reason: DropReason,
    },
    Crash {
        node: NodeId,
    },
    Restart {
        node: NodeId,
    },
    Partition {
        groups: Vec<Vec<NodeId>>,
    },
    Heal {},
    /// The link from `from` to `to` stops carrying messages (one way).
    Cut {
        from: NodeId,
        to: NodeId,
    },
    Repair {
        from: NodeId,
        to: NodeId,
    },
    /// A record was appended to the node's write-ahead log.
    WalWrite {
        node: NodeId,
        record: String,
        bytes: u64,
    },
    /// `records` written records became durable.
    WalSync {
        node: NodeId,
        records: u64,
    },
    /// A record at `position` failed its checksum (a torn write) and was discarded with
    /// everything after it.
    DiscardTorn {
        node: NodeId,
        position: u64,
    },
    #[serde(untagged)]
    Protocol(P::Trace),
}

/// The engine's framing kinds, which every protocol's trace shares.
pub const FRAMING_KINDS: [&str; 12] = [
    "send",
    "deliver",
    "drop",
    "crash",
    "restart",
    "partition",
    "heal",
    "cut",
    "repair",
    "wal_write",
    "wal_sync",
    "discard_torn",
];

impl<P: Protocol> Event<P> {
    /// The `kind` field's value.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Send { .. } => "send",
            Event::Deliver { .. } => "deliver",
            Event::Drop { .. } => "drop",
            Event::Crash { .. } => "crash",
            Event::Restart { .. } => "restart",
            Event::Partition { .. } => "partition",
            Event::Heal {} => "heal",
            Event::Cut { .. } => "cut",
            Event::Repair { .. } => "repair",
            Event::WalWrite { .. } => "wal_write",
            Event::WalSync { .. } => "wal_sync",
            Event::DiscardTorn { .. } => "discard_torn",
            Event::Protocol(line) => P::trace_kind(line),
        }
    }

    /// The node the event is about, if it is about one (the sender, for a message).
    pub fn node(&self) -> Option<NodeId> {
        match self {
            Event::Crash { node }
            | Event::Restart { node }
            | Event::WalWrite { node, .. }
            | Event::WalSync { node, .. }
            | Event::DiscardTorn { node, .. } => Some(*node),
            Event::Send {
                from: Addr::Node(n),
                ..
            } => Some(*n),
            Event::Protocol(line) => P::trace_node(line),
            _ => None,
        }
    }

    /// Fills in the size of a write line made by `Protocol::written`.
    pub fn set_written_bytes(&mut self, written: u64) {
        match self {
            Event::WalWrite { bytes, .. } => *bytes = written,
            Event::Protocol(line) => P::set_written_bytes(line, written),
            _ => {}
        }
    }

    /// The protocol's own line, if this is one.
    pub fn protocol(&self) -> Option<&P::Trace> {
        match self {
            Event::Protocol(line) => Some(line),
            _ => None,
        }
    }
}
