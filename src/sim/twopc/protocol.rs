//! Two-phase commit as the engine sees it: the node kinds of a run, routed by id (node 1 the
//! coordinator, the rest participants), and the `Protocol` implementation that hands each
//! input to the right one.

use super::checks::TwoPcChecks;
use super::config::{TwoPcConfig, COORDINATOR};
use super::coordinator::Coordinator;
use super::message::Message;
use super::note::{Note, KINDS};
use super::participant::Participant;
use super::record::Record;
use super::timer::Timer;
use super::types::{Command, Out, TwoPc};
use crate::sim::protocol::{Context, Input, Protocol};
use crate::sim::types::NodeId;
use crate::sim::wal::Wal;

/// One node: the coordinator or a participant.
#[derive(Clone, Debug, PartialEq)]
pub enum TwoPcNode {
    Coordinator(Coordinator),
    Participant(Participant),
}

impl TwoPcNode {
    fn is_coordinator(id: NodeId) -> bool {
        id == COORDINATOR
    }
}

impl Protocol for TwoPc {
    const NAME: &'static str = "2pc";
    const TRACE_KINDS: &'static [&'static str] = KINDS;
    type Config = TwoPcConfig;
    type Node = TwoPcNode;
    type Message = Message;
    type Timer = Timer;
    type Record = Record;
    type Disk = Wal<Record>;
    type Note = Note;
    type Trace = Note;
    type Command = Command;
    type Checks = TwoPcChecks;

    fn message_bytes(msg: &Message) -> u64 {
        msg.bytes()
    }

    fn record_kind(record: &Record) -> &'static str {
        record.name()
    }

    /// A node's notes name it already: they are its trace lines as they are.
    fn trace(_node: NodeId, note: Note) -> Note {
        note
    }

    fn trace_kind(line: &Note) -> &'static str {
        line.kind()
    }

    fn trace_node(line: &Note) -> Option<NodeId> {
        line.node()
    }

    fn start(ctx: &mut Context<'_, Self>, _out: &mut Out) -> TwoPcNode {
        if TwoPcNode::is_coordinator(ctx.id) {
            TwoPcNode::Coordinator(Coordinator::start())
        } else {
            TwoPcNode::Participant(Participant::start())
        }
    }

    fn recover(ctx: &mut Context<'_, Self>, disk: Vec<Record>, out: &mut Out) -> TwoPcNode {
        if TwoPcNode::is_coordinator(ctx.id) {
            TwoPcNode::Coordinator(Coordinator::recover(
                ctx.id, ctx.config, &disk, ctx.now_us, out,
            ))
        } else {
            TwoPcNode::Participant(Participant::recover(
                ctx.id, ctx.config, &disk, ctx.now_us, out,
            ))
        }
    }

    fn handle(
        node: &mut TwoPcNode,
        ctx: &mut Context<'_, Self>,
        input: Input<Self>,
        out: &mut Out,
    ) {
        let (id, config, now_us) = (ctx.id, ctx.config, ctx.now_us);
        match (node, input) {
            (TwoPcNode::Coordinator(c), Input::Receive { from, msg }) => {
                c.on_message(id, from, msg, config, now_us, out)
            }
            (TwoPcNode::Coordinator(c), Input::Timer(Timer::Tick)) => {
                c.on_tick(id, config, now_us, out)
            }
            (TwoPcNode::Coordinator(_), Input::Command(_)) => {}
            (TwoPcNode::Participant(p), Input::Receive { from, msg }) => {
                p.on_message(id, from, msg, config, now_us, out)
            }
            (TwoPcNode::Participant(p), Input::Timer(Timer::Tick)) => {
                p.on_tick(id, config, now_us, out)
            }
            (TwoPcNode::Participant(p), Input::Command(Command::VoteNo)) => {
                p.vote_no_command(id, config, out)
            }
        }
    }
}
