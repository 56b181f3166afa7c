//! Primary-backup as the engine sees it: every node is a `PbNode` (view service, server or
//! storage), and the `Protocol` implementation hands it each input.

use super::checks::PbChecks;
use super::config::PbConfig;
use super::message::Message;
use super::node::PbNode;
use super::note::{Note, KINDS};
use super::record::Record;
use super::timer::Timer;
use super::types::{Out, PbCommand, PrimaryBackup};
use crate::sim::protocol::{Context, Input, Protocol};
use crate::sim::types::NodeId;
use crate::sim::wal::Wal;

impl Protocol for PrimaryBackup {
    const NAME: &'static str = "primary-backup";
    const TRACE_KINDS: &'static [&'static str] = KINDS;
    type Config = PbConfig;
    type Node = PbNode;
    type Message = Message;
    type Timer = Timer;
    type Record = Record;
    type Disk = Wal<Record>;
    type Note = Note;
    type Trace = Note;
    type Command = PbCommand;
    type Checks = PbChecks;

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

    fn start(ctx: &mut Context<'_, Self>, out: &mut Out) -> PbNode {
        PbNode::boot(ctx.id, ctx.config, ctx.now_us, &[], out)
    }

    fn recover(ctx: &mut Context<'_, Self>, disk: Vec<Record>, out: &mut Out) -> PbNode {
        PbNode::boot(ctx.id, ctx.config, ctx.now_us, &disk, out)
    }

    fn handle(node: &mut PbNode, ctx: &mut Context<'_, Self>, input: Input<Self>, out: &mut Out) {
        node.handle(ctx, input, out);
    }
}
