//! What a learner, a lesson, a scenario file or the fault injector can do to a running
//! cluster. A run is fully described by its settings, its seed and its timed actions.

use crate::i18n::Text;
use crate::sim::disk::CrashMode;
use crate::sim::net::NetConfig;
use crate::sim::raft::config::RaftConfig;
use crate::sim::raft::kv::Command;
use crate::sim::types::{ClientId, MsgId, NodeId};

/// The first client number of named, hand-driven sessions (workload clients use 1 to 64).
pub const FIRST_MANUAL_CLIENT: u32 = 100;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    Crash {
        node: NodeId,
        #[serde(default)]
        mode: CrashMode,
    },
    Restart {
        node: NodeId,
    },
    /// Fire the node's election timer now.
    Timeout {
        node: NodeId,
    },
    /// The learner's client sends `cmd` to `node` (redirected if it is not the leader).
    Request {
        node: NodeId,
        cmd: Command,
    },
    /// Like `Request`, from a named client session (numbered from
    /// [`FIRST_MANUAL_CLIENT`]): each session runs one request at a time, so several
    /// sessions let a lesson have requests in flight at once.
    RequestFrom {
        client: ClientId,
        node: NodeId,
        cmd: Command,
    },
    /// Ask the current leader to hand leadership to `to`.
    Transfer {
        to: NodeId,
    },
    /// Make `node` take a snapshot of what it has applied.
    Snapshot {
        node: NodeId,
    },
    /// Ask the current leader to add server `node`, as a learner first (thesis chapter 4).
    AddServer {
        node: NodeId,
    },
    /// Ask the current leader to remove server `node`, voter or learner.
    RemoveServer {
        node: NodeId,
    },
    /// Split the cluster; nodes in no group form one more group together.
    Partition {
        groups: Vec<Vec<NodeId>>,
    },
    /// Remove every partition and cut.
    Heal,
    /// Stop the link from `from` to `to` (and back, with `both`).
    Cut {
        from: NodeId,
        to: NodeId,
        #[serde(default)]
        both: bool,
    },
    Repair {
        from: NodeId,
        to: NodeId,
        #[serde(default)]
        both: bool,
    },
    SetNetwork {
        network: NetConfig,
    },
    SetRaft {
        raft: RaftConfig,
    },
    /// Lose one message in flight.
    DropMessage {
        id: MsgId,
    },
}

impl Action {
    /// The nodes the action names, for validation against the cluster size.
    pub fn nodes(&self) -> Vec<NodeId> {
        match self {
            Action::Crash { node, .. }
            | Action::Restart { node }
            | Action::Timeout { node }
            | Action::Request { node, .. }
            | Action::RequestFrom { node, .. }
            | Action::Snapshot { node }
            | Action::AddServer { node }
            | Action::RemoveServer { node } => vec![*node],
            Action::Transfer { to } => vec![*to],
            Action::Partition { groups } => groups.iter().flatten().copied().collect(),
            Action::Cut { from, to, .. } | Action::Repair { from, to, .. } => vec![*from, *to],
            Action::Heal
            | Action::SetNetwork { .. }
            | Action::SetRaft { .. }
            | Action::DropMessage { .. } => Vec::new(),
        }
    }

    /// Checks the action against a cluster of `node_count` servers; the error says why.
    pub fn validate(&self, node_count: u32) -> Result<(), Text> {
        for n in self.nodes() {
            if n.0 == 0 || n.0 > node_count {
                return Err(Text::new("error.action.no_node")
                    .with("node", n.0)
                    .with("count", node_count));
            }
        }
        match self {
            Action::Request { cmd, .. } | Action::RequestFrom { cmd, .. }
                if matches!(cmd, Command::Config(_)) =>
            {
                Err(Text::new("error.action.config_request"))
            }
            Action::RequestFrom { client, .. } if client.0 < FIRST_MANUAL_CLIENT => {
                Err(Text::new("error.action.workload_client")
                    .with("client", client.0)
                    .with("first", FIRST_MANUAL_CLIENT))
            }
            Action::SetNetwork { network } => network
                .validate()
                .map_err(|e| Text::new("error.settings.network").with_text("error", e)),
            Action::SetRaft { raft }
                if raft.election_timeout_us_min == 0
                    || raft.election_timeout_us_min > raft.election_timeout_us_max
                    || raft.heartbeat_interval_us == 0
                    || raft.max_entries_per_append == 0 =>
            {
                Err(Text::new("error.action.raft"))
            }
            Action::SetRaft { raft }
                if raft.election_timeout_granularity_us > 0
                    && raft.election_timeout_multiples_us().is_none() =>
            {
                Err(Text::new("error.settings.granularity")
                    .with("granularity", raft.election_timeout_granularity_us)
                    .with("min", raft.election_timeout_us_min)
                    .with("max", raft.election_timeout_us_max))
            }
            _ => Ok(()),
        }
    }
}

/// A Raft action at a moment of simulated time.
pub type TimedAction = crate::sim::engine::TimedAction<Action>;
