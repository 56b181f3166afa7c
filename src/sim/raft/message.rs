//! The messages Raft servers and clients exchange (Raft paper, Figure 2, plus PreVote,
//! TimeoutNow and InstallSnapshot from the extended paper and Ongaro's thesis).

use super::kv::{Command, Origin, Outcome};
use super::log::Entry;
use super::snapshot::Snapshot;
use crate::sim::types::{LogIndex, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// A message on the simulated network. In traces it is flattened into the `send` line with
/// its type name under `msg`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "msg")]
pub enum Message {
    /// Section 5.2; with `pre_vote`, the PreVote round of thesis section 9.6, where `term`
    /// is the term the candidate would campaign in.
    RequestVote {
        term: Term,
        candidate: NodeId,
        last_log_index: LogIndex,
        last_log_term: Term,
        #[serde(default)]
        pre_vote: bool,
        /// Sent because the leader handed over leadership: voters ignore their leader lease.
        #[serde(default)]
        transfer: bool,
    },
    RequestVoteReply {
        term: Term,
        granted: bool,
        #[serde(default)]
        pre_vote: bool,
    },
    /// Section 5.3; with no entries it is a heartbeat.
    AppendEntries {
        term: Term,
        leader: NodeId,
        prev_log_index: LogIndex,
        prev_log_term: Term,
        entries: Vec<Entry>,
        leader_commit: LogIndex,
    },
    /// On failure `conflict_index` (and `conflict_term` when the follower has an entry at
    /// `prev_log_index`) let the leader skip a whole term at once (section 5.3, last paragraph).
    AppendEntriesReply {
        term: Term,
        success: bool,
        match_index: LogIndex,
        conflict_index: LogIndex,
        conflict_term: Option<Term>,
    },
    /// Section 7; the whole snapshot travels in one message.
    InstallSnapshot {
        term: Term,
        leader: NodeId,
        snapshot: Rc<Snapshot>,
    },
    InstallSnapshotReply {
        term: Term,
        last_index: LogIndex,
    },
    /// Leadership transfer (thesis section 3.10): start an election now.
    TimeoutNow {
        term: Term,
        leader: NodeId,
    },
    ClientRequest {
        request: u64,
        origin: Origin,
        cmd: Rc<Command>,
    },
    ClientReply {
        request: u64,
        reply: ClientReply,
    },
}

/// What a server answers a client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ClientReply {
    Done { outcome: Outcome },
    NotLeader { leader: Option<NodeId> },
}

impl Message {
    /// The type name used in traces and in the UI.
    pub fn type_name(&self) -> &'static str {
        match self {
            Message::RequestVote { pre_vote: true, .. } => "PreVote",
            Message::RequestVote { .. } => "RequestVote",
            Message::RequestVoteReply { pre_vote: true, .. } => "PreVoteReply",
            Message::RequestVoteReply { .. } => "RequestVoteReply",
            Message::AppendEntries { entries, .. } if entries.is_empty() => "Heartbeat",
            Message::AppendEntries { .. } => "AppendEntries",
            Message::AppendEntriesReply { .. } => "AppendEntriesReply",
            Message::InstallSnapshot { .. } => "InstallSnapshot",
            Message::InstallSnapshotReply { .. } => "InstallSnapshotReply",
            Message::TimeoutNow { .. } => "TimeoutNow",
            Message::ClientRequest { .. } => "ClientRequest",
            Message::ClientReply { .. } => "ClientReply",
        }
    }

    /// The sender's term, for messages between servers.
    pub fn term(&self) -> Option<Term> {
        match self {
            Message::RequestVote { term, .. }
            | Message::RequestVoteReply { term, .. }
            | Message::AppendEntries { term, .. }
            | Message::AppendEntriesReply { term, .. }
            | Message::InstallSnapshot { term, .. }
            | Message::InstallSnapshotReply { term, .. }
            | Message::TimeoutNow { term, .. } => Some(*term),
            Message::ClientRequest { .. } | Message::ClientReply { .. } => None,
        }
    }

    /// Whether this is a reply that reports success, failure, or neither (a request).
    pub fn success(&self) -> Option<bool> {
        match self {
            Message::RequestVoteReply { granted, .. } => Some(*granted),
            Message::AppendEntriesReply { success, .. } => Some(*success),
            Message::ClientReply { reply, .. } => Some(matches!(reply, ClientReply::Done { .. })),
            _ => None,
        }
    }

    /// A rough size on the wire in bytes, which sets how long a large message takes to send.
    pub fn size_bytes(&self) -> u64 {
        match self {
            Message::AppendEntries { entries, .. } => 48 + 32 * entries.len() as u64,
            Message::InstallSnapshot { snapshot, .. } => 48 + snapshot.size_bytes(),
            _ => 48,
        }
    }
}
