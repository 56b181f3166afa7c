//! The checker: every property fed the whole trace in order, with the ledger of votes and
//! decisions they share; None Left In Doubt is asked at the end of a run.

use super::atomicity::Atomicity;
use super::bounded_blocking::BoundedBlocking;
use super::commit_validity::CommitValidity;
use super::decision_durability::DecisionDurability;
use super::group_raft::GroupRaftSafety;
use super::ledger::Ledger;
use super::liveness::NoneLeftInDoubt;
use super::locks::LocksHeldUntilDecision;
use super::no_apply::NoApplyWithoutCommit;
use super::property::Violation;
use super::serializable::Serializable;
use super::visibility::CommittedWritesVisible;
use crate::sim::protocol::{Checks, Event, Line};
use crate::sim::twopc::types::TwoPc;
use crate::sim::types::Micros;

/// Every property, fed the whole trace in order.
#[derive(Clone, Debug, Default)]
pub struct TwoPcChecks {
    ledger: Ledger,
    durability: DecisionDurability,
    atomicity: Atomicity,
    validity: CommitValidity,
    no_apply: NoApplyWithoutCommit,
    locks: LocksHeldUntilDecision,
    visibility: CommittedWritesVisible,
    liveness: NoneLeftInDoubt,
    serializable: Serializable,
    bounded: BoundedBlocking,
    group_raft: GroupRaftSafety,
}

impl TwoPcChecks {
    /// What the trace said about each transaction, as the checks saw it.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Checks a whole trace, then liveness at `end_us`; returns every violation in order.
    pub fn check_all(lines: &[Line<TwoPc>], end_us: Micros) -> Vec<Violation> {
        let mut checks = TwoPcChecks::default();
        let mut found: Vec<Violation> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| checks.observe(line, i as u64))
            .collect();
        found.extend(checks.finish(end_us));
        found
    }
}

impl Checks<TwoPc> for TwoPcChecks {
    type Violation = Violation;

    fn observe(&mut self, line: &Line<TwoPc>, position: u64) -> Option<Violation> {
        self.bounded.observe(&line.event, line.t, position);
        if let Some(f) = self.group_raft.observe(&line.event, line.t, position) {
            return Some(f.at(line.t, position));
        }
        match &line.event {
            Event::Protocol(note) => {
                let durability = self.durability.observe(note, &self.ledger);
                let validity = self.validity.observe(note, &self.ledger);
                let no_apply = self.no_apply.observe(note, &self.ledger);
                self.ledger.observe(note, position);
                let atomicity = self.atomicity.observe(note, position);
                let locks = self.locks.observe(note);
                let visibility = self.visibility.observe(note);
                let serializable = self.serializable.observe(note);
                self.liveness.observe(note, line.t, position);
                durability
                    .or(atomicity)
                    .or(validity)
                    .or(no_apply)
                    .or(locks)
                    .or(visibility)
                    .or(serializable)
                    .map(|f| f.at(line.t, position))
            }
            Event::WalWrite { node, record, .. } => {
                self.locks.written(*node, record);
                None
            }
            _ => None,
        }
    }

    fn finish(&mut self, now_us: Micros) -> Option<Violation> {
        self.liveness
            .finish(now_us)
            .or_else(|| self.bounded.finish(now_us))
            .map(|(f, line)| f.at(now_us, line))
    }
}
