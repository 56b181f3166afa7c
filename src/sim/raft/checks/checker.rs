//! The checker: every property's check run over each trace line in turn, the first broken one
//! reported with its time and position.

use super::acked_writes::AckedWrites;
use super::election_safety::ElectionSafety;
use super::leader_append_only::LeaderAppendOnly;
use super::leader_completeness::LeaderCompleteness;
use super::linearizable::Linearizable;
use super::log_matching::LogMatching;
use super::mirror::Mirror;
use super::property::Violation;
use super::recovery_replay::RecoveryReplay;
use super::state_machine_safety::StateMachineSafety;
use crate::sim::raft::types::{TraceEvent, TraceLine};

/// Runs every check over a stream of trace lines.
#[derive(Clone, Debug, Default)]
pub struct Checker {
    mirror: Mirror,
    election: ElectionSafety,
    append_only: LeaderAppendOnly,
    matching: LogMatching,
    completeness: LeaderCompleteness,
    state_machine: StateMachineSafety,
    acked: AckedWrites,
    linear: Linearizable,
    recovery: RecoveryReplay,
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
