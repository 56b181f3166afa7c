//! The properties of atomic commitment, and what a check reports when one breaks: a
//! `Finding` from the property's own file, which the checker makes a `Violation` by adding
//! the time and the trace line.

use crate::sim::twopc::message::Outcome;
use crate::sim::twopc::types::{Key, TxnId, Value};
use crate::sim::types::{Micros, NodeId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A property of two-phase commit.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    Atomicity,
    CommitValidity,
    DecisionDurability,
    NoApplyWithoutCommit,
    LocksHeldUntilDecision,
    CommittedWritesVisible,
    NoneLeftInDoubt,
    Serializable,
    BoundedBlocking,
    GroupRaftSafety,
}

impl Property {
    pub const ALL: [Property; 10] = [
        Property::Atomicity,
        Property::CommitValidity,
        Property::DecisionDurability,
        Property::NoApplyWithoutCommit,
        Property::LocksHeldUntilDecision,
        Property::CommittedWritesVisible,
        Property::NoneLeftInDoubt,
        Property::Serializable,
        Property::BoundedBlocking,
        Property::GroupRaftSafety,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Property::Atomicity => "Atomicity",
            Property::CommitValidity => "Commit Validity",
            Property::DecisionDurability => "Decision Durability",
            Property::NoApplyWithoutCommit => "No Apply Without a Commit Decision",
            Property::LocksHeldUntilDecision => "Locks Held Until the Decision",
            Property::CommittedWritesVisible => "Committed Writes Visible",
            Property::NoneLeftInDoubt => "None Left In Doubt",
            Property::Serializable => "Conflict Serializability",
            Property::BoundedBlocking => "Bounded Blocking",
            Property::GroupRaftSafety => "Coordinator Group Raft Safety",
        }
    }

    /// What the property promises, in one sentence for the page's alarm.
    pub fn promise(self) -> &'static str {
        match self {
            Property::Atomicity => {
                "no transaction commits at one node and aborts at another (the coordinator's decision included)"
            }
            Property::CommitValidity => {
                "a transaction commits anywhere only if every one of its participants voted yes"
            }
            Property::DecisionDurability => {
                "once the coordinator has decided, it never states another outcome, across its crashes"
            }
            Property::NoApplyWithoutCommit => {
                "a participant applies a transaction's writes only after the coordinator decided commit"
            }
            Property::LocksHeldUntilDecision => {
                "a participant releases a transaction's locks only after it has logged the decision"
            }
            Property::CommittedWritesVisible => {
                "once a client is told its transaction committed, every later read of a key it wrote sees that write or a later one"
            }
            Property::NoneLeftInDoubt => {
                "once the faults are healed, no participant stays prepared and every commit is acknowledged"
            }
            Property::Serializable => {
                "the committed transactions' conflict graph has no cycle: they equal some serial order"
            }
            Property::BoundedBlocking => {
                "with the coordinator on Raft, once the network is whole and a majority of the group is up, no participant stays blocked longer than an election's time bound"
            }
            Property::GroupRaftSafety => {
                "the coordinator group's Raft keeps Election Safety, Log Matching, Leader Completeness and State Machine Safety"
            }
        }
    }
}

/// What exactly broke, with the nodes and lines involved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// `txn` ended `first` at `first_node` (line `first_line`) and `second` at `second_node`.
    Split {
        first_node: NodeId,
        first: Outcome,
        first_line: u64,
        second_node: NodeId,
        second: Outcome,
    },
    /// `node` committed although `voter` had not voted yes (or the participants were never
    /// named, `voter` None).
    MissingYes { node: NodeId, voter: Option<NodeId> },
    /// The coordinator decided `decided` at `line` and later said `now`.
    Contradicted {
        decided: Outcome,
        line: u64,
        now: Outcome,
        presumed: bool,
    },
    /// `node` applied the writes with no commit decision (`decided` the coordinator's
    /// decision if it made another one).
    AppliedWithout {
        node: NodeId,
        decided: Option<Outcome>,
    },
    /// `node` released the locks before its decision (`logged` false: it decided commit but
    /// had not written the commit record just before).
    EarlyRelease { node: NodeId, decided: bool },
    /// `node` read `key` = `read` although `writer`'s write to it had been acknowledged to
    /// its client (`applied`: and applied before the value read).
    StaleRead {
        node: NodeId,
        key: Key,
        read: Value,
        writer: TxnId,
        applied: bool,
    },
    /// `node` read `key` = `read`, which no committed transaction wrote there.
    DirtyRead { node: NodeId, key: Key, read: Value },
    /// `node` has been prepared since `since_us` with no outcome.
    InDoubt { node: NodeId, since_us: Micros },
    /// The coordinator decided commit at `since_us` and not every participant acknowledged.
    Unacknowledged { since_us: Micros },
    /// The committed transactions `txns` form a cycle of conflicts (the first is repeated
    /// last).
    Cycle { txns: Vec<TxnId> },
    /// `node` stayed blocked `blocked_us` after the world was whole again, above `bound_us`.
    BlockedTooLong {
        node: NodeId,
        blocked_us: Micros,
        bound_us: Micros,
    },
    /// One of Raft's properties broke in the coordinator group; Raft's words for it.
    GroupRaft { text: String },
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = |o: &Outcome| match o {
            Outcome::Commit => "committed",
            Outcome::Abort => "aborted",
        };
        match self {
            Detail::Split {
                first_node,
                first,
                first_line,
                second_node,
                second,
            } => write!(
                f,
                "{} at {first_node} (trace line {}) and {} at {second_node}",
                word(first),
                first_line + 1,
                word(second)
            ),
            Detail::MissingYes { node, voter: Some(v) } => {
                write!(f, "{node} committed, but {v} had not voted yes")
            }
            Detail::MissingYes { node, voter: None } => write!(
                f,
                "{node} committed a transaction whose coordinator never named its participants"
            ),
            Detail::Contradicted {
                decided,
                line,
                now,
                presumed,
            } => write!(
                f,
                "the coordinator decided {} at trace line {} and now says {}{}",
                word(decided),
                line + 1,
                word(now),
                if *presumed {
                    " (it has no record: presumed abort)"
                } else {
                    ""
                }
            ),
            Detail::AppliedWithout {
                node,
                decided: None,
            } => write!(f, "{node} applied its writes before any decision"),
            Detail::AppliedWithout {
                node,
                decided: Some(o),
            } => write!(f, "{node} applied its writes, but the coordinator {}", word(o)),
            Detail::EarlyRelease {
                node,
                decided: false,
            } => write!(f, "{node} released its locks before learning the decision"),
            Detail::EarlyRelease {
                node,
                decided: true,
            } => write!(
                f,
                "{node} released its locks after committing without writing its commit record"
            ),
            Detail::StaleRead {
                node,
                key,
                read,
                writer,
                applied,
            } => write!(
                f,
                "{node} read key {key} = {read}, but txn {writer}'s write to it was acknowledged to its client{}",
                if *applied { " and applied after that value" } else { " and is not applied" }
            ),
            Detail::DirtyRead { node, key, read } => write!(
                f,
                "{node} read key {key} = {read}, which no committed transaction wrote there"
            ),
            Detail::InDoubt { node, since_us } => write!(
                f,
                "{node} has been prepared since t={since_us}us with no outcome"
            ),
            Detail::Unacknowledged { since_us } => write!(
                f,
                "the coordinator decided commit at t={since_us}us and not every participant acknowledged"
            ),
            Detail::Cycle { txns } => {
                let names: Vec<String> = txns.iter().map(|t| t.to_string()).collect();
                write!(f, "the committed transactions conflict in a cycle: {}", names.join(" -> "))
            }
            Detail::BlockedTooLong {
                node,
                blocked_us,
                bound_us,
            } => write!(
                f,
                "{node} stayed blocked {blocked_us}us after the network was whole and a majority of the group up, above the bound of {bound_us}us"
            ),
            Detail::GroupRaft { text } => write!(f, "in the coordinator group: {text}"),
        }
    }
}

/// A broken property: which, where in the trace, the nodes and the transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub property: Property,
    /// When it broke; for None Left In Doubt, the end of the run.
    pub t: Micros,
    /// Position (from 0) of the line that broke it; for None Left In Doubt, the line where
    /// the participant prepared or the coordinator decided.
    pub line: u64,
    pub nodes: Vec<NodeId>,
    pub txn: TxnId,
    pub detail: Detail,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at_end = matches!(
            self.property,
            Property::NoneLeftInDoubt | Property::BoundedBlocking
        );
        let when = if at_end {
            "at the end of the run"
        } else {
            "at"
        };
        write!(
            f,
            "{} violated {when} t={}us (trace line {})",
            self.property.name(),
            self.t,
            self.line + 1
        )?;
        let names: Vec<String> = self.nodes.iter().map(|n| n.to_string()).collect();
        if !names.is_empty() {
            write!(f, ", nodes {}", names.join(", "))?;
        }
        write!(f, ", txn {}: {}", self.txn, self.detail)
    }
}

/// Where a check found a problem, before the caller adds the time and line.
pub(crate) struct Finding {
    pub property: Property,
    pub nodes: Vec<NodeId>,
    pub txn: TxnId,
    pub detail: Detail,
}

impl Finding {
    pub(super) fn at(self, t: Micros, line: u64) -> Violation {
        Violation {
            property: self.property,
            t,
            line,
            nodes: self.nodes,
            txn: self.txn,
            detail: self.detail,
        }
    }
}
