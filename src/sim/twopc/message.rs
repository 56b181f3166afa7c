//! What clients, the coordinator and the participants exchange. Each message's fields are
//! flattened into the trace's `send` line beside `id`, `from`, `to` and `deliver_t`, tagged
//! by `type`.

use super::types::{Key, TxnId, Value};
use crate::sim::raft::Message as RaftMessage;
use crate::sim::types::NodeId;
use serde::{Deserialize, Serialize};

/// How a transaction ended.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Commit,
    Abort,
}

/// One operation of a transaction: a read of `key`, or a write of `value` to it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    pub key: Key,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message {
    /// Client to coordinator: run transaction `txn`.
    Begin { txn: TxnId, ops: Vec<Op> },
    /// Coordinator to participant: lock these keys of your shard, then prepare (vote). The
    /// work phase is folded into this request (one-shot transactions): the participant reads
    /// `reads` and stages `writes` under its locks. `participants` lists every participant of
    /// the transaction, for the cooperative termination protocol.
    Prepare {
        txn: TxnId,
        reads: Vec<Key>,
        writes: Vec<(Key, Value)>,
        participants: Vec<NodeId>,
    },
    /// Participant to coordinator: its vote.
    Vote { txn: TxnId, yes: bool },
    /// The outcome of `txn`: from the coordinator (its decision, or its answer to an inquiry)
    /// or, in the cooperative termination protocol, from another participant that knows it.
    Decision { txn: TxnId, outcome: Outcome },
    /// Participant to coordinator: it has forced the commit and applied it.
    Ack { txn: TxnId },
    /// A participant in doubt asks the coordinator, or (cooperative termination) another
    /// participant, how `txn` ended.
    Inquire { txn: TxnId },
    /// A participant's answer to an inquiry when it is in doubt too: it voted yes and has no
    /// decision.
    Uncertain { txn: TxnId },
    /// Coordinator to client: how its transaction ended.
    Reply { txn: TxnId, outcome: Outcome },
    /// A member of the coordinator group that does not coordinate now, to a client or a
    /// participant that sent it `txn`'s request: ask `leader` (the leader it knows of, if
    /// any) instead.
    Redirect {
        txn: TxnId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        leader: Option<NodeId>,
    },
    /// Between members of the coordinator group: a message of their Raft.
    Raft { raft: RaftMessage },
}

impl Message {
    /// Size on the wire: a fixed header plus each key and value.
    pub fn bytes(&self) -> u64 {
        let body = match self {
            Message::Begin { ops, .. } => 12 * ops.len() as u64,
            Message::Prepare {
                reads,
                writes,
                participants,
                ..
            } => 4 * reads.len() as u64 + 12 * writes.len() as u64 + 4 * participants.len() as u64,
            Message::Raft { raft } => return raft.size_bytes(),
            _ => 1,
        };
        24 + body
    }

    /// The transaction the message is about; 0 for a Raft message between members of the
    /// coordinator group (their entries name transactions in their keys).
    pub fn txn(&self) -> TxnId {
        match self {
            Message::Begin { txn, .. }
            | Message::Prepare { txn, .. }
            | Message::Vote { txn, .. }
            | Message::Decision { txn, .. }
            | Message::Ack { txn }
            | Message::Inquire { txn }
            | Message::Uncertain { txn }
            | Message::Reply { txn, .. }
            | Message::Redirect { txn, .. } => *txn,
            Message::Raft { .. } => 0,
        }
    }
}
