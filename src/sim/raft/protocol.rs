//! Raft as the engine sees it: the `Protocol` implementation that hands the engine's inputs
//! to a `RaftNode` and names Raft's types (the `Raft` type itself is in `types.rs`).

use super::checks::{Checker, Violation};
use super::config::RaftConfig;
use super::disk::Disk;
use super::effect::{self, Note, PersistOp, Timer};
use super::message::Message;
use super::node::{Durable, RaftNode};
use super::trace::RaftEvent;
use super::types::Raft;
use crate::sim::protocol::{Checks, Context, Effect, Event, Input, Line, Protocol, TimerKind};
use crate::sim::types::{Micros, NodeId};

/// What a learner or a scenario can ask of one server beyond the shared fault actions.
#[derive(Clone, Debug, PartialEq)]
pub enum RaftCommand {
    /// Hand leadership to `to` (thesis section 3.10); ignored unless this server leads.
    TransferLeadership { to: NodeId },
    /// Take a snapshot of everything applied so far (section 7).
    TakeSnapshot,
    /// Add `node` to the cluster, as a learner first (thesis section 4.2.1).
    AddServer { node: NodeId },
    /// Remove `node` from the cluster (thesis sections 4.1 and 4.2.2).
    RemoveServer { node: NodeId },
}

impl TimerKind for Timer {
    const COUNT: usize = 2;
    fn slot(self) -> usize {
        self as usize
    }
}

impl Protocol for Raft {
    const NAME: &'static str = "raft";
    const TRACE_KINDS: &'static [&'static str] = &[
        "role",
        "vote",
        "log_append",
        "log_truncate",
        "snapshot",
        "commit",
        "apply",
        "snapshot_write",
        "recover_start",
        "replay",
        "recover_done",
        "client_request",
        "client_reply",
        "config",
    ];
    type Config = RaftConfig;
    type Node = RaftNode;
    type Message = Message;
    type Timer = Timer;
    type Record = PersistOp;
    type Disk = Disk;
    type Note = Note;
    type Trace = RaftEvent;
    type Command = RaftCommand;
    type Checks = Checker;

    fn trace(node: NodeId, note: Note) -> RaftEvent {
        RaftEvent::of_note(node, note)
    }

    fn trace_kind(line: &RaftEvent) -> &'static str {
        line.kind()
    }

    fn trace_node(line: &RaftEvent) -> Option<NodeId> {
        line.node()
    }

    fn message_bytes(msg: &Message) -> u64 {
        msg.size_bytes()
    }

    fn record_kind(record: &PersistOp) -> &'static str {
        match record {
            PersistOp::HardState { .. } => "hard_state",
            PersistOp::Append(_) => "entries",
            PersistOp::TruncateFrom(_) => "truncate",
            PersistOp::Commit(_) => "commit",
            PersistOp::Snapshot(_) => "snapshot",
        }
    }

    fn written(node: NodeId, record: &PersistOp) -> Event<Raft> {
        match record {
            PersistOp::Snapshot(s) => Event::Protocol(RaftEvent::SnapshotWrite {
                node,
                last_index: s.last_index,
                bytes: 0,
            }),
            _ => Event::WalWrite {
                node,
                record: Self::record_kind(record).into(),
                bytes: 0,
            },
        }
    }

    fn set_written_bytes(line: &mut RaftEvent, written: u64) {
        if let RaftEvent::SnapshotWrite { bytes, .. } = line {
            *bytes = written;
        }
    }

    fn start(ctx: &mut Context<'_, Raft>, out: &mut Vec<Effect<Raft>>) -> RaftNode {
        let members = members(ctx.nodes, ctx.config);
        let mut node = RaftNode::new(ctx.id, members, ctx.config.clone(), ctx.rng, out);
        // Per-entry notes only become trace lines and check inputs: skipped when neither runs.
        node.set_entry_notes(ctx.observing);
        node
    }

    fn recover(
        ctx: &mut Context<'_, Raft>,
        disk: Durable,
        out: &mut Vec<Effect<Raft>>,
    ) -> RaftNode {
        let members = members(ctx.nodes, ctx.config);
        let mut node = RaftNode::recover(ctx.id, members, ctx.config.clone(), disk, ctx.rng, out);
        node.set_entry_notes(ctx.observing);
        node
    }

    fn handle(
        node: &mut RaftNode,
        ctx: &mut Context<'_, Raft>,
        input: Input<Raft>,
        out: &mut Vec<Effect<Raft>>,
    ) {
        let input = match input {
            Input::Receive { from, msg } => effect::Input::Receive { from, msg },
            Input::Timer(Timer::Election) => effect::Input::ElectionTimeout,
            Input::Timer(Timer::Heartbeat) => effect::Input::HeartbeatTimeout,
            Input::Command(RaftCommand::TransferLeadership { to }) => {
                effect::Input::TransferLeadership { to }
            }
            Input::Command(RaftCommand::TakeSnapshot) => effect::Input::TakeSnapshot,
            Input::Command(RaftCommand::AddServer { node }) => effect::Input::AddServer { node },
            Input::Command(RaftCommand::RemoveServer { node }) => {
                effect::Input::RemoveServer { node }
            }
        };
        node.handle(input, ctx.rng, out);
    }
}

/// The voters the cluster starts with: servers 1 to `voters_initial` of a run of `nodes`
/// (every server, numbered from 1, when it is not set).
fn members(nodes: u32, config: &RaftConfig) -> Vec<NodeId> {
    (1..=config.voters_at_start(nodes)).map(NodeId).collect()
}

impl Checks<Raft> for Checker {
    type Violation = Violation;

    fn observe(&mut self, line: &Line<Raft>, position: u64) -> Option<Violation> {
        Checker::observe(self, line, position)
    }

    /// Raft's properties are all safety properties: nothing to ask at the end of a run.
    fn finish(&mut self, _now_us: Micros) -> Option<Violation> {
        None
    }
}
