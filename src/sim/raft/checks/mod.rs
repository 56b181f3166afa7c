//! Safety checks that run after every trace line: the five properties of the Raft paper's
//! Figure 3, plus durability of acknowledged writes and linearizability of what clients saw.
//! They read only the trace, so `faultline check` can re-run them on a saved file.

mod acked_writes;
mod detail;
mod election_safety;
mod leader_append_only;
mod leader_completeness;
mod linearizable;
mod log_matching;
mod mirror;
mod recovery_replay;
mod state_machine_safety;

use crate::sim::trace::{TraceEvent, TraceLine};
use crate::sim::types::{LogIndex, Micros, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::fmt;

pub use detail::{Detail, Outcome};
pub use mirror::{command_hash, Fnv, Mirror};

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

/// Runs every check over a stream of trace lines.
#[derive(Clone, Debug, Default)]
pub struct Checker {
    mirror: Mirror,
    election: election_safety::ElectionSafety,
    append_only: leader_append_only::LeaderAppendOnly,
    matching: log_matching::LogMatching,
    completeness: leader_completeness::LeaderCompleteness,
    state_machine: state_machine_safety::StateMachineSafety,
    acked: acked_writes::AckedWrites,
    linear: linearizable::Linearizable,
    recovery: recovery_replay::RecoveryReplay,
}

impl Checker {
    /// Checks one line; returns the first property it breaks, if any.
    pub fn observe(&mut self, line: &TraceLine, position: u64) -> Option<Violation> {
        let event = &line.event;
        // Only Raft's own lines and crashes and restarts move a check; the network's and the
        // disks' framing lines, most of a trace, pass straight through.
        if !matches!(
            event,
            TraceEvent::Protocol(_) | TraceEvent::Crash { .. } | TraceEvent::Restart { .. }
        ) {
            return None;
        }
        let election = self.election.observe(event);
        let append_only = self.append_only.observe(event, &self.mirror);
        let appended = self.mirror.apply(event);
        let matching = self.matching.observe(appended.as_ref());
        let state_machine = self.state_machine.observe(event);
        let completeness = self.completeness.observe(event, &self.mirror);
        let acked = self.acked.observe(event, &self.state_machine);
        let linear = self.linear.observe(line, &self.state_machine);
        let recovery = self.recovery.observe(event, &self.state_machine);
        election
            .or(append_only)
            .or(matching)
            .or(state_machine)
            .or(completeness)
            .or(acked)
            .or(linear)
            .or(recovery)
            .map(|f| Violation {
                property: f.property,
                t: line.t,
                line: position,
                nodes: f.nodes,
                index: f.index,
                term: f.term,
                detail: *f.detail,
            })
    }

    /// Checks a whole trace; returns every violation in order.
    pub fn check_all(lines: &[TraceLine]) -> Vec<Violation> {
        let mut checker = Checker::default();
        lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| checker.observe(line, i as u64))
            .collect()
    }
}
