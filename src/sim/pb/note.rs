//! Primary-backup's own trace lines: each node's (naming its `node`) and the clients' (naming
//! their `client`). Every kind starts with `pb_`, clear of the engine's framing kinds and of
//! the other protocols' kinds (docs/trace-format.md lists them).

use super::config::Replication;
use super::types::{Seq, View};
use crate::sim::kv::Command;
use crate::sim::types::{ClientId, Micros, NodeId};
use serde::{Deserialize, Serialize};

/// What a node is in the run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    ViewService,
    Server,
    Storage,
}

/// Why the view service gave up on a server.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadReason {
    /// Not heard from for `dead_timeout_us` (perhaps only slow: a false suspicion).
    Timeout,
    /// It pinged with a new boot time: it restarted and lost its state.
    Restarted,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// A node started; the view service says which view it read back from its log, and the
    /// run's replication mode (which the checks read).
    PbBoot {
        node: NodeId,
        part: Part,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        view: Option<View>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replication: Option<Replication>,
    },
    /// The view service moved to a new view (logged first).
    PbView { node: NodeId, view: View },
    /// The view's primary acknowledged it: the view service may move on again after it.
    PbAck { node: NodeId, view: u64 },
    /// The view service suspects `suspect`, last heard from at `last_heard_us` by a ping
    /// that left it at `last_sent_us`.
    PbDead {
        node: NodeId,
        suspect: NodeId,
        reason: DeadReason,
        last_heard_us: Micros,
        last_sent_us: Micros,
    },
    /// A server holds view `view` as its primary, with the writes through `through`: from
    /// here the view's history is its own (what it lacks of an older primary's is lost).
    PbPrimary {
        node: NodeId,
        view: u64,
        through: Seq,
    },
    /// A backup took a primary's whole state through `seq` for view `view` (the storage:
    /// fenced every view below `view`, holding writes through `seq`).
    PbInstall { node: NodeId, view: u64, seq: Seq },
    /// The primary of `view` ran a write at `seq`.
    PbExecute {
        node: NodeId,
        view: u64,
        seq: Seq,
        client: ClientId,
        request: u64,
        cmd: Command,
    },
    /// The primary of `view` ran a read, at position `index`.
    PbRead {
        node: NodeId,
        view: u64,
        index: u64,
        client: ClientId,
        request: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    },
    /// A backup (or the storage) applied the primary's write at `seq`, in view `view`.
    PbApply {
        node: NodeId,
        view: u64,
        seq: Seq,
        client: ClientId,
        request: u64,
    },
    /// The primary of `view` answered a client: the acknowledgement the checks start from.
    PbServe {
        node: NodeId,
        view: u64,
        client: ClientId,
        request: u64,
        index: u64,
        write: bool,
    },
    /// The primary sent `to` again what it had not acknowledged: entries from `from_seq`
    /// (`count` of them; 0 for a state transfer or a load), with the timeout now `rto_us`.
    PbResend {
        node: NodeId,
        to: NodeId,
        from_seq: Seq,
        count: u64,
        rto_us: Micros,
    },
    /// A backup or the storage refused a message of view `stale`, holding `view`.
    PbFenced {
        node: NodeId,
        from: NodeId,
        stale: u64,
        view: u64,
    },
    /// Cold mode: the new primary replays the checkpoint through `checkpoint_seq` and
    /// `entries` log entries after it, taking `cost_us`.
    PbReplay {
        node: NodeId,
        view: u64,
        checkpoint_seq: Seq,
        entries: u64,
        cost_us: Micros,
    },
    /// The server was paused (stopped, not crashed) until `until_us`: it keeps its state and
    /// its belief that it is primary, and reads no message and runs no timer until then.
    PbPause { node: NodeId, until_us: Micros },
    /// Cold mode: the storage keeps a checkpoint through `seq`.
    PbCheckpoint { node: NodeId, seq: Seq },
    /// A client sent a new operation.
    PbClientRequest {
        client: ClientId,
        request: u64,
        cmd: Command,
    },
    /// A client was told its operation took effect at `index`.
    PbClientReply {
        client: ClientId,
        request: u64,
        index: u64,
        ok: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    },
}

/// Every kind, for `Protocol::TRACE_KINDS`.
pub const KINDS: &[&str] = &[
    "pb_boot",
    "pb_view",
    "pb_ack",
    "pb_dead",
    "pb_primary",
    "pb_install",
    "pb_execute",
    "pb_read",
    "pb_apply",
    "pb_serve",
    "pb_resend",
    "pb_fenced",
    "pb_replay",
    "pb_checkpoint",
    "pb_pause",
    "pb_client_request",
    "pb_client_reply",
];

impl Note {
    /// The `kind` field's value.
    pub fn kind(&self) -> &'static str {
        match self {
            Note::PbBoot { .. } => "pb_boot",
            Note::PbView { .. } => "pb_view",
            Note::PbAck { .. } => "pb_ack",
            Note::PbDead { .. } => "pb_dead",
            Note::PbPrimary { .. } => "pb_primary",
            Note::PbInstall { .. } => "pb_install",
            Note::PbExecute { .. } => "pb_execute",
            Note::PbRead { .. } => "pb_read",
            Note::PbApply { .. } => "pb_apply",
            Note::PbServe { .. } => "pb_serve",
            Note::PbResend { .. } => "pb_resend",
            Note::PbFenced { .. } => "pb_fenced",
            Note::PbReplay { .. } => "pb_replay",
            Note::PbCheckpoint { .. } => "pb_checkpoint",
            Note::PbPause { .. } => "pb_pause",
            Note::PbClientRequest { .. } => "pb_client_request",
            Note::PbClientReply { .. } => "pb_client_reply",
        }
    }

    /// The node the line is about; `None` for a client's line.
    pub fn node(&self) -> Option<NodeId> {
        match self {
            Note::PbClientRequest { .. } | Note::PbClientReply { .. } => None,
            Note::PbBoot { node, .. }
            | Note::PbView { node, .. }
            | Note::PbAck { node, .. }
            | Note::PbDead { node, .. }
            | Note::PbPrimary { node, .. }
            | Note::PbInstall { node, .. }
            | Note::PbExecute { node, .. }
            | Note::PbRead { node, .. }
            | Note::PbApply { node, .. }
            | Note::PbServe { node, .. }
            | Note::PbResend { node, .. }
            | Note::PbFenced { node, .. }
            | Note::PbReplay { node, .. }
            | Note::PbCheckpoint { node, .. }
            | Note::PbPause { node, .. } => Some(*node),
        }
    }
}
