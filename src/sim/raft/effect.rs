//! What goes into a Raft server and what comes out: the server is a pure state machine whose
//! every interaction with the world is one of these values.

use super::kv::{Configuration, Outcome};
use super::log::Entry;
use super::message::Message;
use super::snapshot::Snapshot;
use crate::sim::types::{Addr, LogIndex, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// An input to a server.
#[derive(Clone, Debug)]
pub enum Input {
    Receive {
        from: Addr,
        msg: Message,
    },
    /// The election timer fired (or a learner triggered it).
    ElectionTimeout,
    HeartbeatTimeout,
    /// Hand leadership to `to` (thesis section 3.10); ignored unless this server leads.
    TransferLeadership {
        to: NodeId,
    },
    /// Take a snapshot of everything applied so far.
    TakeSnapshot,
    /// Add `node` to the cluster, first as a learner (thesis section 4.2.1); ignored unless
    /// this server leads and may change the configuration now.
    AddServer {
        node: NodeId,
    },
    /// Remove `node`, voter or learner, from the cluster (thesis sections 4.1 and 4.2.2).
    RemoveServer {
        node: NodeId,
    },
}

/// The two timers a server owns.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timer {
    Election,
    Heartbeat,
}

impl Timer {
    pub const ALL: [Timer; 2] = [Timer::Election, Timer::Heartbeat];
    pub fn slot(self) -> usize {
        self as usize
    }
}

/// A server's role (section 5.1), with etcd's pre-candidate for PreVote.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Follower,
    PreCandidate,
    Candidate,
    Leader,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::PreCandidate => "pre_candidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

/// A write to stable storage. Figure 2: currentTerm, votedFor and the log are persisted
/// before the server answers any message, so a server emits these before its sends.
#[derive(Clone, Debug, PartialEq)]
pub enum PersistOp {
    HardState {
        term: Term,
        voted_for: Option<NodeId>,
    },
    Append(Vec<Entry>),
    TruncateFrom(LogIndex),
    Snapshot(Rc<Snapshot>),
    /// The commit index, so a restart can replay committed entries at once.
    Commit(LogIndex),
}

/// Something a server did that the trace and the safety checks record.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    Role {
        role: Role,
        term: Term,
    },
    Voted {
        term: Term,
        candidate: NodeId,
    },
    Appended(Entry),
    Truncated {
        from: LogIndex,
    },
    Committed {
        index: LogIndex,
    },
    Applied {
        entry: Entry,
        outcome: Outcome,
    },
    Snapshot {
        last_index: LogIndex,
        last_term: Term,
    },
    /// The server uses a new configuration, the one at `index` (0: the cluster's first).
    Config {
        index: LogIndex,
        config: Configuration,
    },
}
