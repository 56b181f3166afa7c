//! What proposers, acceptors, learners and clients exchange ("Paxos Made Simple", sections
//! 2.2, 2.3 and 3). Each message's fields are flattened into the trace's `send` line beside
//! `id`, `from`, `to` and `deliver_t`, tagged by `type`.

use super::types::{AcceptedEntry, Ballot, Slot, Value};
use crate::sim::kv::Command;
use crate::sim::types::NodeId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message {
    /// Phase 1a: a proposer asks acceptors to promise to accept nothing numbered below
    /// `ballot`, for every slot from `from_slot` (single-decree: slot 1 only).
    Prepare { ballot: Ballot, from_slot: Slot },
    /// Phase 1b: the acceptor promises, reporting every proposal it accepted in a slot from
    /// `from_slot` (the highest-numbered one per slot).
    Promise {
        ballot: Ballot,
        from_slot: Slot,
        accepted: Vec<AcceptedEntry>,
    },
    /// Phase 2a: accept `value` in `slot` under `ballot`.
    Accept {
        ballot: Ballot,
        slot: Slot,
        value: Value,
    },
    /// Phase 2b: the acceptor accepted it.
    Accepted { ballot: Ballot, slot: Slot },
    /// The acceptor ignores `ballot` because it promised `promised`, higher: the proposer may
    /// abandon it (section 2.3's optimization).
    Nack { ballot: Ballot, promised: Ballot },
    /// `value` is chosen in `slot` (from the proposer that counted a majority, the
    /// distinguished learner of section 2.3, or from any learner that knows it).
    Learn { slot: Slot, value: Value },
    /// Single-decree: a learner that knows nothing yet asks what was chosen in `slot`.
    Ask { slot: Slot },
    /// Multi-Paxos: the leader of `ballot` is alive; it has learned every slot below
    /// `learned_below`.
    Heartbeat { ballot: Ballot, learned_below: Slot },
    /// Multi-Paxos: the follower has learned every slot below `learned_below`; the leader
    /// sends what it misses.
    HeartbeatAck { ballot: Ballot, learned_below: Slot },
    /// Client to node: run `cmd`, the client's request number `request`.
    Request { request: u64, cmd: Command },
    /// Node to client: the command took effect at `slot` with this result.
    Reply {
        request: u64,
        slot: Slot,
        ok: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    },
    /// Node to client: it is not the leader; `leader` is the one it last heard of.
    Redirect {
        request: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        leader: Option<NodeId>,
    },
}

impl Message {
    /// Size on the wire: a fixed header plus the values carried.
    pub fn bytes(&self) -> u64 {
        let body = match self {
            Message::Promise { accepted, .. } => {
                accepted.iter().map(|e| 24 + value_bytes(&e.value)).sum()
            }
            Message::Accept { value, .. } | Message::Learn { value, .. } => value_bytes(value),
            Message::Request { cmd, .. } => command_bytes(cmd),
            Message::Reply { value, .. } => value.as_ref().map_or(0, |v| v.len() as u64),
            _ => 0,
        };
        32 + body
    }
}

/// The bytes a value takes: a tag and its contents.
pub fn value_bytes(value: &Value) -> u64 {
    match value {
        Value::Noop => 1,
        Value::Own { .. } => 5,
        Value::Command { cmd, .. } => 13 + command_bytes(cmd),
    }
}

fn command_bytes(cmd: &Command) -> u64 {
    let text = |s: &str| 4 + s.len() as u64;
    1 + match cmd {
        Command::Noop => 0,
        Command::Config(c) => 4 * (c.voters.len() + c.learners.len()) as u64,
        Command::Put { key, value } => text(key) + text(value),
        Command::Get { key } | Command::Delete { key } => text(key),
        Command::Cas {
            key,
            expected,
            value,
        } => text(key) + expected.as_deref().map_or(1, text) + text(value),
    }
}
