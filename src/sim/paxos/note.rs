//! Paxos's own trace lines: each node's (naming its `node`) and the clients' (naming their
//! `client`). Every kind starts with `paxos_`, clear of the engine's framing kinds and of the
//! other protocols' kinds.

use super::config::Variant;
use super::types::{Ballot, Slot, Value};
use crate::sim::kv::Command;
use crate::sim::types::{ClientId, Micros, NodeId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// A node started (`recovered`: from its disk, with the promise and the accepted
    /// proposals it read back).
    PaxosBoot {
        node: NodeId,
        nodes: u32,
        variant: Variant,
        recovered: bool,
        promised: Ballot,
        accepted: u64,
    },
    /// A single-decree proposer puts its own value forward (what Validity allows).
    PaxosOffer { node: NodeId, value: Value },
    /// Phase 1a: the proposer sent prepare requests for `ballot` (its round was logged first).
    PaxosPrepare {
        node: NodeId,
        ballot: Ballot,
        from_slot: Slot,
    },
    /// Phase 1b: the acceptor promised `ballot` (after logging it) and reported `accepted`
    /// proposals.
    PaxosPromise {
        node: NodeId,
        ballot: Ballot,
        accepted: u64,
    },
    /// The acceptor ignored a prepare (`phase` 1) or an accept (`phase` 2) request for
    /// `ballot`, having promised `promised`.
    PaxosReject {
        node: NodeId,
        ballot: Ballot,
        promised: Ballot,
        phase: u8,
    },
    /// Phase 2a: the proposer asks acceptors to accept `value` in `slot`; `adopted` is the
    /// ballot of the accepted proposal a promise reported, whose value it must propose
    /// (section 2.2), when there was one.
    PaxosPropose {
        node: NodeId,
        ballot: Ballot,
        slot: Slot,
        value: Value,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        adopted: Option<Ballot>,
    },
    /// Phase 2b: the acceptor accepted `value` in `slot` under `ballot` (after logging it).
    /// Agreement counts these lines.
    PaxosAccepted {
        node: NodeId,
        ballot: Ballot,
        slot: Slot,
        value: Value,
    },
    /// The proposer (or leader) abandons `ballot`: it heard of `by`, higher. `streak` counts
    /// its abandoned ballots in a row with nothing learned between them: a streak that keeps
    /// growing is the livelock of section 2.4. A single-decree proposer tries again after
    /// `retry_us`.
    PaxosPreempted {
        node: NodeId,
        ballot: Ballot,
        by: Ballot,
        streak: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_us: Option<Micros>,
    },
    /// A phase had no majority within `phase_timeout_us`; the proposer starts again.
    PaxosPhaseTimeout { node: NodeId, ballot: Ballot },
    /// The learner learned that `value` is chosen in `slot`.
    PaxosLearn {
        node: NodeId,
        slot: Slot,
        value: Value,
    },
    /// Multi-Paxos: phase 1 for every slot from `from_slot` succeeded; the node leads
    /// `ballot`. It proposes again the value accepted under the highest ballot of
    /// `reproposed` unfinished slots and fills `noops` gaps with no-ops (section 3).
    PaxosLeader {
        node: NodeId,
        ballot: Ballot,
        from_slot: Slot,
        reproposed: u64,
        noops: u64,
    },
    /// A client sent a new command.
    PaxosClientRequest {
        client: ClientId,
        request: u64,
        cmd: Command,
    },
    /// A client was told its command took effect at `slot`: the acknowledgement Acked
    /// Writes Kept and Linearizability start from.
    PaxosClientReply {
        client: ClientId,
        request: u64,
        slot: Slot,
        ok: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    },
}

/// Every kind, for `Protocol::TRACE_KINDS`.
pub const KINDS: &[&str] = &[
    "paxos_boot",
    "paxos_offer",
    "paxos_prepare",
    "paxos_promise",
    "paxos_reject",
    "paxos_propose",
    "paxos_accepted",
    "paxos_preempted",
    "paxos_phase_timeout",
    "paxos_learn",
    "paxos_leader",
    "paxos_client_request",
    "paxos_client_reply",
];

impl Note {
    /// The `kind` field's value.
    pub fn kind(&self) -> &'static str {
        match self {
            Note::PaxosBoot { .. } => "paxos_boot",
            Note::PaxosOffer { .. } => "paxos_offer",
            Note::PaxosPrepare { .. } => "paxos_prepare",
            Note::PaxosPromise { .. } => "paxos_promise",
            Note::PaxosReject { .. } => "paxos_reject",
            Note::PaxosPropose { .. } => "paxos_propose",
            Note::PaxosAccepted { .. } => "paxos_accepted",
            Note::PaxosPreempted { .. } => "paxos_preempted",
            Note::PaxosPhaseTimeout { .. } => "paxos_phase_timeout",
            Note::PaxosLearn { .. } => "paxos_learn",
            Note::PaxosLeader { .. } => "paxos_leader",
            Note::PaxosClientRequest { .. } => "paxos_client_request",
            Note::PaxosClientReply { .. } => "paxos_client_reply",
        }
    }

    /// The node the line is about; `None` for a client's line.
    pub fn node(&self) -> Option<NodeId> {
        match self {
            Note::PaxosClientRequest { .. } | Note::PaxosClientReply { .. } => None,
            Note::PaxosBoot { node, .. }
            | Note::PaxosOffer { node, .. }
            | Note::PaxosPrepare { node, .. }
            | Note::PaxosPromise { node, .. }
            | Note::PaxosReject { node, .. }
            | Note::PaxosPropose { node, .. }
            | Note::PaxosAccepted { node, .. }
            | Note::PaxosPreempted { node, .. }
            | Note::PaxosPhaseTimeout { node, .. }
            | Note::PaxosLearn { node, .. }
            | Note::PaxosLeader { node, .. } => Some(*node),
        }
    }
}
