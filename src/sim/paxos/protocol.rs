//! Paxos as the engine sees it: every node is a `PaxosNode` (acceptor, learner and
//! proposer), and the `Protocol` implementation hands it each input.

use super::checks::PaxosChecks;
use super::config::PaxosConfig;
use super::message::Message;
use super::node::PaxosNode;
use super::note::{Note, KINDS};
use super::record::Record;
use super::timer::Timer;
use super::types::{Out, Paxos, PaxosCommand};
use crate::sim::protocol::{Context, Input, Protocol};
use crate::sim::types::NodeId;
use crate::sim::wal::Wal;

impl Protocol for Paxos {
    const NAME: &'static str = "paxos";
    const TRACE_KINDS: &'static [&'static str] = KINDS;
    type Config = PaxosConfig;
    type Node = PaxosNode;
    type Message = Message;
    type Timer = Timer;
    type Record = Record;
    type Disk = Wal<Record>;
    type Note = Note;
    type Trace = Note;
    type Command = PaxosCommand;
    type Checks = PaxosChecks;

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

    fn start(ctx: &mut Context<'_, Self>, out: &mut Out) -> PaxosNode {
        PaxosNode::start(ctx, out)
    }

    fn recover(ctx: &mut Context<'_, Self>, disk: Vec<Record>, out: &mut Out) -> PaxosNode {
        PaxosNode::recover(ctx, &disk, out)
    }

    fn handle(
        node: &mut PaxosNode,
        ctx: &mut Context<'_, Self>,
        input: Input<Self>,
        out: &mut Out,
    ) {
        node.handle(ctx, input, out);
    }
}
