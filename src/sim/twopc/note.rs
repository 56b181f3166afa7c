//! Two-phase commit's own trace lines: the coordinator's, each participant's (both naming
//! their `node`) and the clients' (naming their `client`). Every kind starts with `txn_` or
//! names its role, clear of the engine's framing kinds and of the other protocols' kinds.

use super::message::{Op, Outcome};
use super::types::{Key, TxnId, Value};
use crate::sim::raft::RaftEvent;
use crate::sim::types::{ClientId, LogIndex, Micros, NodeId, Term};
use serde::{Deserialize, Serialize};

/// Why a participant voted no.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteReason {
    /// A key was locked by another transaction and the run does not wait (`lock_wait_us` 0).
    LockConflict,
    /// It waited `lock_wait_us` for locks held by others.
    LockTimeout,
    /// A learner's or the fault search's "this participant votes no".
    Told,
    /// It had already aborted the transaction (it answered an inquiry before it was asked
    /// to prepare, or a copy of the request came late).
    AlreadyAborted,
}

/// Why the coordinator decided.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecideReason {
    /// Every participant voted yes: commit.
    AllYes,
    /// A participant voted no: abort.
    VoteNo,
    /// Not every vote arrived within `vote_timeout_us`: abort.
    VoteTimeout,
    /// Coordinator on Raft: a participant asked a leader that has no decision logged and is
    /// not running the transaction (its predecessor was): presumed abort, through the log.
    Presumed,
}

impl DecideReason {
    /// Its name, as the trace writes it.
    pub fn name(self) -> &'static str {
        match self {
            DecideReason::AllYes => "all_yes",
            DecideReason::VoteNo => "vote_no",
            DecideReason::VoteTimeout => "vote_timeout",
            DecideReason::Presumed => "presumed",
        }
    }

    pub fn from_name(name: &str) -> Option<DecideReason> {
        [
            DecideReason::AllYes,
            DecideReason::VoteNo,
            DecideReason::VoteTimeout,
            DecideReason::Presumed,
        ]
        .into_iter()
        .find(|r| r.name() == name)
    }
}

/// How a participant learned it commits.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitReason {
    /// The coordinator's decision (or its answer to an inquiry).
    Decision,
    /// Another participant's answer (cooperative termination).
    Peer,
    /// Broken switch `commit-on-timeout`: it decided alone.
    Timeout,
}

/// Why a participant aborted.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbortReason {
    /// It voted no.
    VotedNo,
    /// The coordinator's decision, or its answer to an inquiry (presumed abort included).
    Decision,
    /// Another participant's answer (cooperative termination).
    Peer,
    /// Another participant asked before this one had voted, so it aborted on its own (it
    /// may: it had promised nothing) and said so.
    Unvoted,
    /// A commit decision arrived for a transaction it has no prepare record of: having no
    /// record means it never promised, so it takes the transaction for aborted. Only a lost
    /// prepare record (an unsynced disk, or `forget-prepared-on-crash`) gets here.
    NoRecord,
}

/// A phase a node's transactions were in when it crashed.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Nothing in progress.
    Idle,
    /// Coordinator: collecting votes (phase one).
    Collecting,
    /// Coordinator: commit decided, acknowledgements outstanding (phase two).
    Committing,
    /// Participant: waiting for locks, not yet voted.
    Working,
    /// Participant: voted yes, no decision yet (in doubt).
    Prepared,
    /// Coordinator group: a member that was following (it coordinated nothing).
    Follower,
    /// Coordinator group: the leader, with nothing in progress (or not yet coordinating).
    Leading,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    // ----- clients -----
    /// A client sent transaction `txn` to the coordinator.
    TxnSubmit {
        client: ClientId,
        txn: TxnId,
        ops: Vec<Op>,
    },
    /// The coordinator told the client how `txn` ended: the client's acknowledgement.
    TxnReply {
        client: ClientId,
        txn: TxnId,
        outcome: Outcome,
    },
    /// The client heard nothing within `client_timeout_us` and gave `txn` up; its outcome is
    /// unknown to it.
    TxnGiveUp { client: ClientId, txn: TxnId },

    // ----- coordinator -----
    /// The coordinator took `txn` and asked `participants` to prepare.
    TxnBegin {
        node: NodeId,
        txn: TxnId,
        participants: Vec<NodeId>,
    },
    /// The coordinator decided. A commit is noted once its record is forced (under the
    /// broken switch `decide-before-log`, before).
    TxnDecide {
        node: NodeId,
        txn: TxnId,
        outcome: Outcome,
        reason: DecideReason,
    },
    /// The coordinator answered an inquiry from `to`; `presumed` when it had no record of
    /// `txn` and answered abort by presumption.
    TxnAnswer {
        node: NodeId,
        txn: TxnId,
        to: NodeId,
        outcome: Outcome,
        presumed: bool,
    },
    /// Every participant acknowledged the commit; the end record is written.
    TxnEnd { node: NodeId, txn: TxnId },
    /// A restarted coordinator read its log: `committing` commits not yet acknowledged by
    /// everyone (it resends them), `ended` transactions finished.
    CoordinatorRecovered {
        node: NodeId,
        committing: u64,
        ended: u64,
    },

    // ----- participants -----
    /// `txn` waits for `key`, which `holder` has locked (`holder_prepared`: the holder has
    /// voted yes and waits for its decision, perhaps blocked).
    TxnLockWait {
        node: NodeId,
        txn: TxnId,
        key: Key,
        holder: TxnId,
        holder_prepared: bool,
    },
    /// The participant voted. A yes is noted after its prepare record is forced, with what
    /// it read under its locks (each key with the id of the transaction that wrote it).
    TxnVote {
        node: NodeId,
        txn: TxnId,
        yes: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<VoteReason>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reads: Vec<(Key, Value)>,
    },
    /// The participant forced its commit record and applied `writes`.
    TxnCommit {
        node: NodeId,
        txn: TxnId,
        reason: CommitReason,
        writes: Vec<(Key, Value)>,
    },
    /// The participant aborted `txn` and undid its staged writes.
    TxnAbort {
        node: NodeId,
        txn: TxnId,
        reason: AbortReason,
    },
    /// The participant released `txn`'s locks.
    TxnRelease {
        node: NodeId,
        txn: TxnId,
        keys: Vec<Key>,
    },
    /// The participant is prepared and its decision did not come in time: it is blocked,
    /// holding its locks, until it learns the outcome. With the coordinator on Raft,
    /// `bound_us` is how long it may stay blocked once the world is whole again (Bounded
    /// Blocking, `checks/bounded_blocking.rs`); a single coordinator promises no bound.
    TxnBlocked {
        node: NodeId,
        txn: TxnId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bound_us: Option<Micros>,
    },
    /// The participant in doubt asked `asked` (the coordinator first, then the other
    /// participants: cooperative termination) how `txn` ended.
    TxnInquire {
        node: NodeId,
        txn: TxnId,
        asked: Vec<NodeId>,
    },
    /// Another participant's answer settled `txn` (cooperative termination).
    TxnCooperative {
        node: NodeId,
        txn: TxnId,
        peer: NodeId,
        outcome: Outcome,
    },
    /// A blocked participant learned the outcome after `blocked_us` blocked.
    TxnUnblocked {
        node: NodeId,
        txn: TxnId,
        blocked_us: Micros,
        outcome: Outcome,
    },
    /// A restarted participant read its log: `prepared` transactions in doubt (their locks
    /// taken again, the coordinator asked), `committed` and `aborted` ones.
    ParticipantRecovered {
        node: NodeId,
        prepared: u64,
        committed: u64,
        aborted: u64,
    },
    /// Written just after a node's `crash` line, once for each phase its transactions were
    /// in (`idle` when none was in progress).
    TxnCrashPhase { node: NodeId, phase: Phase },

    // ----- the coordinator group (coordinator on Raft) -----
    /// What the Raft inside a member of the coordinator group did: one of Raft's own lines
    /// (`role`, `vote`, `log_append`, `commit`, `apply`, ...), nested so that its kinds stay
    /// Raft's and the group's safety can be checked by Raft's checks.
    GroupRaft { event: RaftEvent },
    /// The coordinating leader appended `txn`'s decision record (key `txn/<txn>`) at `index`
    /// of its term `term`; it tells nobody until the group has committed it.
    GroupPropose {
        node: NodeId,
        txn: TxnId,
        outcome: Outcome,
        term: Term,
        index: LogIndex,
    },
    /// A newly elected leader committed an entry of its own term (Raft section 5.4.2) and
    /// took over coordinating: it resent the `commits` logged and not ended and the `aborts`
    /// logged.
    GroupTakeover {
        node: NodeId,
        term: Term,
        commits: u64,
        aborts: u64,
    },
    /// The coordinating leader lost its leadership and stopped coordinating, dropping the
    /// `dropped` transactions it was running (their participants will ask the next leader).
    GroupStepDown {
        node: NodeId,
        term: Term,
        dropped: u64,
    },
}

/// Every kind, for `Protocol::TRACE_KINDS`.
pub const KINDS: &[&str] = &[
    "txn_submit",
    "txn_reply",
    "txn_give_up",
    "txn_begin",
    "txn_decide",
    "txn_answer",
    "txn_end",
    "coordinator_recovered",
    "txn_lock_wait",
    "txn_vote",
    "txn_commit",
    "txn_abort",
    "txn_release",
    "txn_blocked",
    "txn_inquire",
    "txn_cooperative",
    "txn_unblocked",
    "participant_recovered",
    "txn_crash_phase",
    "group_raft",
    "group_propose",
    "group_takeover",
    "group_step_down",
];

impl Note {
    /// The `kind` field's value.
    pub fn kind(&self) -> &'static str {
        match self {
            Note::TxnSubmit { .. } => "txn_submit",
            Note::TxnReply { .. } => "txn_reply",
            Note::TxnGiveUp { .. } => "txn_give_up",
            Note::TxnBegin { .. } => "txn_begin",
            Note::TxnDecide { .. } => "txn_decide",
            Note::TxnAnswer { .. } => "txn_answer",
            Note::TxnEnd { .. } => "txn_end",
            Note::CoordinatorRecovered { .. } => "coordinator_recovered",
            Note::TxnLockWait { .. } => "txn_lock_wait",
            Note::TxnVote { .. } => "txn_vote",
            Note::TxnCommit { .. } => "txn_commit",
            Note::TxnAbort { .. } => "txn_abort",
            Note::TxnRelease { .. } => "txn_release",
            Note::TxnBlocked { .. } => "txn_blocked",
            Note::TxnInquire { .. } => "txn_inquire",
            Note::TxnCooperative { .. } => "txn_cooperative",
            Note::TxnUnblocked { .. } => "txn_unblocked",
            Note::ParticipantRecovered { .. } => "participant_recovered",
            Note::TxnCrashPhase { .. } => "txn_crash_phase",
            Note::GroupRaft { .. } => "group_raft",
            Note::GroupPropose { .. } => "group_propose",
            Note::GroupTakeover { .. } => "group_takeover",
            Note::GroupStepDown { .. } => "group_step_down",
        }
    }

    /// The node the line is about; `None` for a client's line.
    pub fn node(&self) -> Option<NodeId> {
        match self {
            Note::TxnSubmit { .. } | Note::TxnReply { .. } | Note::TxnGiveUp { .. } => None,
            Note::TxnBegin { node, .. }
            | Note::TxnDecide { node, .. }
            | Note::TxnAnswer { node, .. }
            | Note::TxnEnd { node, .. }
            | Note::CoordinatorRecovered { node, .. }
            | Note::TxnLockWait { node, .. }
            | Note::TxnVote { node, .. }
            | Note::TxnCommit { node, .. }
            | Note::TxnAbort { node, .. }
            | Note::TxnRelease { node, .. }
            | Note::TxnBlocked { node, .. }
            | Note::TxnInquire { node, .. }
            | Note::TxnCooperative { node, .. }
            | Note::TxnUnblocked { node, .. }
            | Note::ParticipantRecovered { node, .. }
            | Note::TxnCrashPhase { node, .. }
            | Note::GroupPropose { node, .. }
            | Note::GroupTakeover { node, .. }
            | Note::GroupStepDown { node, .. } => Some(*node),
            Note::GroupRaft { event } => event.node(),
        }
    }
}
