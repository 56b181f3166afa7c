//! Retransmission: a sender resends a message when its acknowledgement does not arrive in
//! time, and a receiver acknowledges what it has and drops duplicates, so that a stream of
//! numbered messages arrives exactly once and in order over a network that loses, duplicates
//! and reorders them, between nodes that crash and recover from their logs.
//!
//! A run has one or more pairs: pair k (from 0) is sender node 2k+1 and receiver node 2k+2.
//! The schemes are stop-and-wait, go-back-N and selective repeat (Kurose & Ross, "Computer
//! Networking", section 3.4; Tanenbaum, "Computer Networks", section 3.4), with cumulative or
//! selective acknowledgements (RFC 2018) and a fixed or an adaptive timeout (RFC 6298).

pub mod checks;
pub mod config;
pub mod driver;
pub mod fuzz;
pub mod message;
pub mod note;
pub mod receiver;
pub mod record;
pub mod rto;
pub mod sender;
#[cfg(test)]
mod tests;
pub mod timer;

pub use checks::{Property, RetransmitChecks, Violation};
pub use config::{AckMode, Bugs, RetransmitConfig, RtoPolicy, Scheme};
pub use driver::{RetransmitAction, RetransmitCoverage, RetransmitSettings};
pub use message::{payload_of, Message, SackBlock, Seq};
pub use note::{DiscardReason, Note, RetransmitReason};
pub use receiver::Receiver;
pub use record::Record;
pub use rto::RtoEstimator;
pub use sender::Sender;
pub use timer::Timer;

use crate::sim::protocol::{Context, Effect, Input, Protocol};
use crate::sim::types::NodeId;
use crate::sim::wal::Wal;

/// The protocol, for the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct Retransmit;

/// What one step of a node asks the world to do.
pub(crate) type Out = Vec<Effect<Retransmit>>;

/// The kind of a node: odd numbers send, even numbers receive.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    Sender,
    Receiver,
}

impl Role {
    pub fn of(node: NodeId) -> Role {
        if node.0 % 2 == 1 {
            Role::Sender
        } else {
            Role::Receiver
        }
    }
}

/// The pair node `node` belongs to (from 0).
pub fn pair_of(node: NodeId) -> u32 {
    node.0.saturating_sub(1) / 2
}

/// The sender and the receiver of pair `pair`.
pub fn nodes_of(pair: u32) -> (NodeId, NodeId) {
    (NodeId(2 * pair + 1), NodeId(2 * pair + 2))
}

/// One node: several kinds in one run, routed by id.
#[derive(Clone, Debug, PartialEq)]
pub enum RetransmitNode {
    Sender(Sender),
    Receiver(Receiver),
    /// A node numbered beyond the configured pairs (a run with more nodes than `2 * pairs`):
    /// it takes part in nothing.
    Spare,
}

/// What a learner, a lesson or a scenario may ask of a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// The sender's application hands over its next message now, beyond its own pace (up to
    /// the run's `messages`). Receivers ignore it.
    HandOver,
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
