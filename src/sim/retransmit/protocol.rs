//! Retransmission as the engine sees it: the node kinds of a run, routed by id, and the
//! `Protocol` implementation that hands each input to the sender or the receiver.

use super::checks::RetransmitChecks;
use super::config::RetransmitConfig;
use super::message::Message;
use super::note::Note;
use super::pairs::{pair_of, Role};
use super::receiver::Receiver;
use super::record::Record;
use super::sender::Sender;
use super::timer::Timer;
use super::types::{Command, Out, Retransmit};
use crate::sim::protocol::{Context, Input, Protocol};
use crate::sim::types::NodeId;
use crate::sim::wal::Wal;

/// One node: several kinds in one run, routed by id.
#[derive(Clone, Debug, PartialEq)]
pub enum RetransmitNode {
    Sender(Sender),
    Receiver(Receiver),
    /// A node numbered beyond the configured pairs (a run with more nodes than `2 * pairs`):
    /// it takes part in nothing.
    Spare,
}

impl Protocol for Retransmit {
    const NAME: &'static str = "retransmit";
    const TRACE_KINDS: &'static [&'static str] = &[
        "accept",
        "retransmit",
        "rtt_sample",
        "backoff",
        "acked",
        "sender_recovered",
        "app_deliver",
        "duplicate",
        "buffer",
        "discard",
        "receiver_recovered",
    ];
    type Config = RetransmitConfig;
    type Node = RetransmitNode;
    type Message = Message;
    type Timer = Timer;
    type Record = Record;
    type Disk = Wal<Record>;
    type Note = Note;
    type Trace = Note;
    type Command = Command;
    type Checks = RetransmitChecks;

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
        Some(line.node())
    }

    fn start(ctx: &mut Context<'_, Self>, out: &mut Out) -> RetransmitNode {
        let pair = pair_of(ctx.id);
        if pair >= ctx.config.pairs {
            return RetransmitNode::Spare;
        }
        match Role::of(ctx.id) {
            Role::Sender => {
                RetransmitNode::Sender(Sender::start(ctx.id, pair, ctx.config, ctx.now_us, out))
            }
            Role::Receiver => RetransmitNode::Receiver(Receiver::start(ctx.id, pair)),
        }
    }

    fn recover(ctx: &mut Context<'_, Self>, disk: Vec<Record>, out: &mut Out) -> RetransmitNode {
        let disk = &disk[..];
        let pair = pair_of(ctx.id);
        if pair >= ctx.config.pairs {
            return RetransmitNode::Spare;
        }
        match Role::of(ctx.id) {
            Role::Sender => RetransmitNode::Sender(Sender::recover(
                ctx.id, pair, ctx.config, disk, ctx.now_us, out,
            )),
            Role::Receiver => RetransmitNode::Receiver(Receiver::recover(ctx.id, pair, disk, out)),
        }
    }

    fn handle(
        node: &mut RetransmitNode,
        ctx: &mut Context<'_, Self>,
        input: Input<Self>,
        out: &mut Out,
    ) {
        let (config, now_us) = (ctx.config, ctx.now_us);
        match (node, input) {
            (RetransmitNode::Sender(s), Input::Receive { from, msg }) => {
                s.on_message(from, msg, config, now_us, out)
            }
            (RetransmitNode::Sender(s), Input::Timer(timer)) => {
                s.on_timer(timer, config, now_us, out)
            }
            (RetransmitNode::Sender(s), Input::Command(Command::HandOver)) => {
                s.hand_over(config, now_us, out)
            }
            (RetransmitNode::Receiver(r), Input::Receive { from, msg }) => {
                r.on_message(from, msg, config, out)
            }
            // A receiver arms no timers and takes no commands.
            (RetransmitNode::Receiver(_), Input::Timer(_) | Input::Command(_)) => {}
            (RetransmitNode::Spare, _) => {}
        }
    }
}
