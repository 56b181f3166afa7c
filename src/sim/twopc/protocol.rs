//! Two-phase commit as the engine sees it: the node kinds of a run, routed by id (node 1 the
//! coordinator, the rest participants; with the coordinator on Raft, node 1 and the nodes
//! after the participants members of the coordinator group), and the `Protocol`
//! implementation that hands each input to the right one.

use super::checks::TwoPcChecks;
use super::config::{TwoPcConfig, COORDINATOR};
use super::coordinator::Coordinator;
use super::group::{Member, Step};
use super::message::Message;
use super::note::{Note, KINDS};
use super::participant::Participant;
use super::record::Record;
use super::timer::Timer;
use super::types::{Command, Out, TwoPc};
use crate::sim::protocol::{Context, Input, Protocol};
use crate::sim::types::{Addr, NodeId};
use crate::sim::wal::Wal;

/// One node: the coordinator, a participant, or a member of the coordinator group.
#[derive(Clone, Debug, PartialEq)]
pub enum TwoPcNode {
    Coordinator(Coordinator),
    Participant(Participant),
    Member(Box<Member>),
}

/// Which kind of node `id` is in a run of `config`.
enum Kind {
    Coordinator,
    Participant,
    Member,
}

fn kind(id: NodeId, config: &TwoPcConfig) -> Kind {
    if !config.is_coordinator(id) {
        Kind::Participant
    } else if config.coordinator.is_raft() {
        Kind::Member
    } else {
        debug_assert_eq!(id, COORDINATOR);
        Kind::Coordinator
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

    fn start(ctx: &mut Context<'_, Self>, out: &mut Out) -> TwoPcNode {
        match kind(ctx.id, ctx.config) {
            Kind::Coordinator => TwoPcNode::Coordinator(Coordinator::start()),
            Kind::Participant => TwoPcNode::Participant(Participant::start()),
            Kind::Member => TwoPcNode::Member(Box::new(Member::start(
                ctx.id,
                ctx.config,
                ctx.rng,
                ctx.observing,
                out,
            ))),
        }
    }

    fn recover(ctx: &mut Context<'_, Self>, disk: Vec<Record>, out: &mut Out) -> TwoPcNode {
        match kind(ctx.id, ctx.config) {
            Kind::Coordinator => TwoPcNode::Coordinator(Coordinator::recover(
                ctx.id, ctx.config, &disk, ctx.now_us, out,
            )),
            Kind::Participant => TwoPcNode::Participant(Participant::recover(
                ctx.id, ctx.config, &disk, ctx.now_us, out,
            )),
            Kind::Member => TwoPcNode::Member(Box::new(Member::recover(
                ctx.id,
                ctx.config,
                &disk,
                ctx.rng,
                ctx.observing,
                out,
            ))),
        }
    }

    fn handle(
        node: &mut TwoPcNode,
        ctx: &mut Context<'_, Self>,
        input: Input<Self>,
        out: &mut Out,
    ) {
        let (id, config, now_us) = (ctx.id, ctx.config, ctx.now_us);
        let step = Step { id, config, now_us };
        match (node, input) {
            (
                TwoPcNode::Member(m),
                Input::Receive {
                    from: Addr::Node(from),
                    msg: Message::Raft { raft },
                },
            ) => m.on_raft(step, from, raft, ctx.rng, out),
            (TwoPcNode::Member(m), Input::Receive { from, msg }) => {
                m.on_message(step, from, msg, out)
            }
            (TwoPcNode::Member(m), Input::Timer(timer)) => {
                m.on_raft_timer(step, timer, ctx.rng, out)
            }
            (TwoPcNode::Member(_), Input::Command(_)) => {}
            (TwoPcNode::Coordinator(c), Input::Receive { from, msg }) => {
                c.on_message(id, from, msg, config, now_us, out)
            }
            (TwoPcNode::Coordinator(c), Input::Timer(Timer::Tick)) => {
                c.on_tick(id, config, now_us, out)
            }
            (TwoPcNode::Coordinator(_), Input::Timer(_)) => {}
            (TwoPcNode::Coordinator(_), Input::Command(_)) => {}
            (TwoPcNode::Participant(p), Input::Receive { from, msg }) => {
                p.on_message(id, from, msg, config, now_us, out)
            }
            (TwoPcNode::Participant(p), Input::Timer(Timer::Tick)) => {
                p.on_tick(id, config, now_us, out)
            }
            (TwoPcNode::Participant(_), Input::Timer(_)) => {}
            (TwoPcNode::Participant(p), Input::Command(Command::VoteNo)) => {
                p.vote_no_command(id, config, out)
            }
        }
    }
}
