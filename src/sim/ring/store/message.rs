//! Messages between ring store nodes: key transfers and the quorum read/write protocol. They
//! travel on the engine's network; their fields are flattened into the trace's `send` lines,
//! tagged by `"type"`.

use crate::sim::types::{Micros, MsgId, NodeId};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Transfer,
    PutRequest,
    PutAck,
    GetRequest,
    GetReply,
}

/// Why a transfer did not land.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LossReason {
    /// The receiver is down, or crashed since the transfer started.
    ReceiverDown,
    /// The sender crashed before the transfer finished.
    SenderDown,
    LinkCut,
    /// The network lost it (loss, or a learner dropped it by hand).
    Dropped,
}

/// One key in a transfer: its index and the version sent, or 0 if the source's copy was
/// older than the latest write.
pub type TransferItem = (u32, u32);

/// What travels between ring store nodes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RingMessage {
    Transfer {
        keys: u32,
        bytes: u64,
        items: Rc<[TransferItem]>,
        /// The lives of both ends when the transfer was planned: a crash of either end
        /// breaks the stream, even if the node is back before it would have arrived.
        sender_incarnation: u32,
        receiver_incarnation: u32,
    },
    PutRequest {
        request: u64,
        key: u32,
        version: u32,
    },
    PutAck {
        request: u64,
    },
    GetRequest {
        request: u64,
        key: u32,
    },
    GetReply {
        request: u64,
        latest: bool,
    },
}

impl RingMessage {
    pub fn kind(&self) -> MessageKind {
        match self {
            RingMessage::Transfer { .. } => MessageKind::Transfer,
            RingMessage::PutRequest { .. } => MessageKind::PutRequest,
            RingMessage::PutAck { .. } => MessageKind::PutAck,
            RingMessage::GetRequest { .. } => MessageKind::GetRequest,
            RingMessage::GetReply { .. } => MessageKind::GetReply,
        }
    }

    /// Keys carried (1 for reads and writes).
    pub fn keys(&self) -> u32 {
        match self {
            RingMessage::Transfer { keys, .. } => *keys,
            _ => 1,
        }
    }
}

/// A message in flight, as the page draws it: from, to, and when it leaves and arrives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: MsgId,
    pub kind: MessageKind,
    pub from: NodeId,
    pub to: NodeId,
    /// When the first byte leaves; a transfer queued behind others on its sender's link
    /// leaves after it was planned.
    pub sent_us: Micros,
    pub deliver_us: Micros,
    /// Keys carried (1 for reads and writes).
    pub keys: u32,
    pub bytes: u64,
}
