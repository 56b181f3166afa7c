//! The checker: every property fed the whole trace in order. Agreement reads the acceptors'
//! lines first, so that the other properties compare against what is chosen by then.

use super::acked::AckedWritesKept;
use super::agreement::Agreement;
use super::learners::LearnersAgree;
use super::linearizable::Linearizable;
use super::property::Violation;
use super::validity::Validity;
use crate::sim::paxos::types::{Ballot, Paxos, Slot, Value};
use crate::sim::protocol::{Checks, Event, Line};
use crate::sim::types::Micros;

#[derive(Clone, Debug, Default)]
pub struct PaxosChecks {
    agreement: Agreement,
    validity: Validity,
    learners: LearnersAgree,
    acked: AckedWritesKept,
    linear: Linearizable,
}

impl PaxosChecks {
    /// The value chosen in `slot` by the acceptors' state, if any.
    pub fn chosen(&self, slot: Slot) -> Option<&Value> {
        self.agreement.chosen.get(&slot).map(|(v, _, _)| v)
    }

    /// Every chosen slot, in slot order, with its value and the ballot it was chosen under.
    pub fn chosen_slots(&self) -> impl Iterator<Item = (Slot, &Value, Ballot)> + '_ {
        self.agreement
            .chosen
            .iter()
            .map(|(slot, (v, ballot, _))| (*slot, v, *ballot))
    }

    /// Checks a whole trace; returns every violation in order.
    pub fn check_all(lines: &[Line<Paxos>]) -> Vec<Violation> {
        let mut checks = PaxosChecks::default();
        lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| checks.observe(line, i as u64))
            .collect()
    }
}

impl Checks<Paxos> for PaxosChecks {
    type Violation = Violation;

    fn observe(&mut self, line: &Line<Paxos>, position: u64) -> Option<Violation> {
        let Event::Protocol(note) = &line.event else {
            return None;
        };
        self.validity.observe(note);
        let (agreement, chosen) = self.agreement.observe(note, position);
        let validity =
            chosen.and_then(|(slot, value, ballot)| self.validity.chosen(slot, &value, ballot));
        let learners = self.learners.observe(note, &self.agreement);
        let acked = self.acked.observe(note, &self.agreement);
        let linear = self.linear.observe(note, line.t, &self.agreement);
        agreement
            .or(validity)
            .or(learners)
            .or(acked)
            .or(linear)
            .map(|f| f.at(line.t, position))
    }

    /// Paxos promises no progress by itself (section 2.4); the fault search asks what a
    /// healed run must reach of the engine instead (`fuzz.rs`).
    fn finish(&mut self, _now_us: Micros) -> Option<Violation> {
        None
    }
}
