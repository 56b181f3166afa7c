//! The properties the checks hold a run to, and what a check reports when one breaks: a
//! `Finding` from the property's own file, which the checker makes a `Violation` by adding the
//! time and the trace line.

use super::detail::Detail;
use crate::sim::types::{LogIndex, Micros, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A safety property, named as in the Raft paper's Figure 3 where it comes from there.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    ElectionSafety,
    LeaderAppendOnly,
    LogMatching,
    LeaderCompleteness,
    StateMachineSafety,
    AckedWritesDurable,
    Linearizability,
    RecoveryReplay,
}

impl Property {
    pub const ALL: [Property; 8] = [
        Property::ElectionSafety,
        Property::LeaderAppendOnly,
        Property::LogMatching,
        Property::LeaderCompleteness,
        Property::StateMachineSafety,
        Property::AckedWritesDurable,
        Property::Linearizability,
        Property::RecoveryReplay,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Property::ElectionSafety => "Election Safety",
            Property::LeaderAppendOnly => "Leader Append-Only",
            Property::LogMatching => "Log Matching",
            Property::LeaderCompleteness => "Leader Completeness",
            Property::StateMachineSafety => "State Machine Safety",
            Property::AckedWritesDurable => "Acknowledged Writes Durable",
            Property::Linearizability => "Linearizability",
            Property::RecoveryReplay => "Recovery Replay",
        }
    }

    /// What the property promises, in one sentence for the page's alarm.
    pub fn promise(self) -> &'static str {
        match self {
            Property::ElectionSafety => "at most one leader can be elected in a given term",
            Property::LeaderAppendOnly => "a leader never overwrites or deletes entries in its log",
            Property::LogMatching => "if two logs contain an entry with the same index and term, the logs are identical up to that index",
            Property::LeaderCompleteness => "an entry committed in a term is present in the logs of the leaders of all higher terms",
            Property::StateMachineSafety => "no two servers apply different entries at the same index",
            Property::AckedWritesDurable => "a write acknowledged to a client is the entry every server applies at its index",
            Property::Linearizability => "each operation appears to take effect at one instant between its call and its reply",
            Property::RecoveryReplay => "a restarted server rebuilds exactly the state machine the cluster had at the index it replays to",
        }
    }
}

/// A broken property: what, where, and the trace line that broke it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub property: Property,
    pub t: Micros,
    /// Position of the offending line in the trace (0-based).
    pub line: u64,
    pub nodes: Vec<NodeId>,
    pub index: Option<LogIndex>,
    pub term: Option<Term>,
    pub detail: Detail,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} violated at t={}us (trace line {})",
            self.property.name(),
            self.t,
            self.line + 1
        )?;
        if !self.nodes.is_empty() {
            let names: Vec<String> = self.nodes.iter().map(|n| n.to_string()).collect();
            write!(f, ", nodes {}", names.join(", "))?;
        }
        if let Some(i) = self.index {
            write!(f, ", index {i}")?;
        }
        if let Some(t) = self.term {
            write!(f, ", term {t}")?;
        }
        write!(f, ": {}", self.detail)
    }
}

/// Where a check found a problem, before the checker adds the time and line.
pub(crate) struct Finding {
    pub property: Property,
    pub nodes: Vec<NodeId>,
    pub index: Option<LogIndex>,
    pub term: Option<Term>,
    /// Boxed: every check returns an `Option<Finding>` after every trace line, and a small
    /// `None` keeps that cheap (an inline `Detail` made the checks 40% slower).
    pub detail: Box<Detail>,
}
