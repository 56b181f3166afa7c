//! Raft's own trace kinds (docs/trace-format.md): what servers did (roles, votes, log,
//! commits, applies, snapshots), how a restarted server replayed its disk, and what clients
//! asked and were told. The engine's framing kinds (send, deliver, crash, ...) are shared by
//! every protocol and live in `sim::protocol::Event`.

use super::kv::Command;
use super::{Note, Role};
use crate::sim::raft::kv::Configuration;
use crate::sim::types::{ClientId, LogIndex, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RaftEvent {
    Role {
        node: NodeId,
        term: Term,
        role: Role,
    },
    Vote {
        node: NodeId,
        term: Term,
        #[serde(rename = "for")]
        candidate: NodeId,
    },
    LogAppend {
        node: NodeId,
        index: LogIndex,
        term: Term,
        cmd: Rc<Command>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<ClientId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request: Option<u64>,
    },
    LogTruncate {
        node: NodeId,
        from: LogIndex,
    },
    Snapshot {
        node: NodeId,
        last_index: LogIndex,
        last_term: Term,
    },
    Commit {
        node: NodeId,
        index: LogIndex,
    },
    Apply {
        node: NodeId,
        index: LogIndex,
        term: Term,
        cmd: Rc<Command>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<ClientId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request: Option<u64>,
    },
    /// A snapshot file was written (and the log rewritten without what it covers).
    SnapshotWrite {
        node: NodeId,
        last_index: LogIndex,
        bytes: u64,
    },
    /// A restarted node starts reading its disk: a snapshot up to `snapshot_index`, then
    /// `entries` log entries, of which those up to `commit` are replayed.
    RecoverStart {
        node: NodeId,
        snapshot_index: LogIndex,
        commit: LogIndex,
        entries: u64,
    },
    /// The entry at `index` was replayed into the recovering node's state machine.
    Replay {
        node: NodeId,
        index: LogIndex,
    },
    /// Recovery finished with the state machine at `index`; `digest` identifies its data.
    RecoverDone {
        node: NodeId,
        index: LogIndex,
        digest: u64,
    },
    /// A client invokes operation number `op` (its first attempt; retries are `send`s).
    ClientRequest {
        client: ClientId,
        op: u64,
        cmd: Rc<Command>,
    },
    /// The operation completed: `index` is where it took effect, `value` what it read or
    /// replaced, `ok` false only for a compare-and-set that did not match.
    ClientReply {
        client: ClientId,
        op: u64,
        ok: bool,
        index: LogIndex,
        value: Option<String>,
    },
    /// The server now uses the configuration at `index` (0: the one the cluster started
    /// with): it appended it, or dropped the entry of a later one, or installed a snapshot
    /// (thesis section 4.1: a configuration is used as soon as it is in the log).
    Config {
        node: NodeId,
        index: LogIndex,
        voters: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        learners: Vec<NodeId>,
        /// C_old's voters while the configuration is the joint C_old,new (paper section 6).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        old: Vec<NodeId>,
    },
}

impl RaftEvent {
    /// The `kind` field's value.
    pub fn kind(&self) -> &'static str {
        match self {
            RaftEvent::Role { .. } => "role",
            RaftEvent::Vote { .. } => "vote",
            RaftEvent::LogAppend { .. } => "log_append",
            RaftEvent::LogTruncate { .. } => "log_truncate",
            RaftEvent::Snapshot { .. } => "snapshot",
            RaftEvent::Commit { .. } => "commit",
            RaftEvent::Apply { .. } => "apply",
            RaftEvent::SnapshotWrite { .. } => "snapshot_write",
            RaftEvent::RecoverStart { .. } => "recover_start",
            RaftEvent::Replay { .. } => "replay",
            RaftEvent::RecoverDone { .. } => "recover_done",
            RaftEvent::ClientRequest { .. } => "client_request",
            RaftEvent::ClientReply { .. } => "client_reply",
            RaftEvent::Config { .. } => "config",
        }
    }

    /// The server the line is about; none for a client's.
    pub fn node(&self) -> Option<NodeId> {
        match self {
            RaftEvent::Role { node, .. }
            | RaftEvent::Vote { node, .. }
            | RaftEvent::LogAppend { node, .. }
            | RaftEvent::LogTruncate { node, .. }
            | RaftEvent::Snapshot { node, .. }
            | RaftEvent::Commit { node, .. }
            | RaftEvent::Apply { node, .. }
            | RaftEvent::SnapshotWrite { node, .. }
            | RaftEvent::RecoverStart { node, .. }
            | RaftEvent::Replay { node, .. }
            | RaftEvent::RecoverDone { node, .. }
            | RaftEvent::Config { node, .. } => Some(*node),
            RaftEvent::ClientRequest { .. } | RaftEvent::ClientReply { .. } => None,
        }
    }

    /// The line for what server `node` noted.
    pub fn of_note(node: NodeId, note: Note) -> RaftEvent {
        match note {
            Note::Role { role, term } => RaftEvent::Role { node, term, role },
            Note::Voted { term, candidate } => RaftEvent::Vote {
                node,
                term,
                candidate,
            },
            Note::Appended(entry) => RaftEvent::LogAppend {
                node,
                index: entry.index,
                term: entry.term,
                cmd: entry.cmd,
                client: entry.origin.map(|o| o.client),
                request: entry.origin.map(|o| o.request),
            },
            Note::Truncated { from } => RaftEvent::LogTruncate { node, from },
            Note::Committed { index } => RaftEvent::Commit { node, index },
            Note::Applied { entry, .. } => RaftEvent::Apply {
                node,
                index: entry.index,
                term: entry.term,
                cmd: entry.cmd,
                client: entry.origin.map(|o| o.client),
                request: entry.origin.map(|o| o.request),
            },
            Note::Snapshot {
                last_index,
                last_term,
            } => RaftEvent::Snapshot {
                node,
                last_index,
                last_term,
            },
            Note::Config {
                index,
                config:
                    Configuration {
                        voters,
                        learners,
                        old,
                    },
            } => RaftEvent::Config {
                node,
                index,
                voters,
                learners,
                old,
            },
        }
    }
}
