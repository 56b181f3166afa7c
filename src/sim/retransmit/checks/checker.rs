//! The checker: every property fed the whole trace in order, with the ledger of what the
//! senders accepted that they share; liveness is asked at the end of a run.

use super::in_order::InOrderDelivery;
use super::ledger::Ledger;
use super::liveness;
use super::no_duplicate::NoDuplicateDelivery;
use super::property::Violation;
use crate::sim::protocol::{Checks, Event, Line};
use crate::sim::retransmit::types::Retransmit;
use crate::sim::types::Micros;

/// Every property, fed the whole trace in order.
#[derive(Clone, Debug, Default)]
pub struct RetransmitChecks {
    ledger: Ledger,
    no_duplicate: NoDuplicateDelivery,
    in_order: InOrderDelivery,
}

impl RetransmitChecks {
    /// What the senders accepted, as the checks saw it.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Checks a whole trace, then liveness at `end_us`; returns every violation in order.
    pub fn check_all(lines: &[Line<Retransmit>], end_us: Micros) -> Vec<Violation> {
        let mut checks = RetransmitChecks::default();
        let mut found: Vec<Violation> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| checks.observe(line, i as u64))
            .collect();
        found.extend(checks.finish(end_us));
        found
    }
}

impl Checks<Retransmit> for RetransmitChecks {
    type Violation = Violation;

    fn observe(&mut self, line: &Line<Retransmit>, position: u64) -> Option<Violation> {
        match &line.event {
            Event::Protocol(note) => {
                self.ledger.observe(note, line.t, position);
                let duplicate = self.no_duplicate.observe(note, position);
                let order = self.in_order.observe(note, &self.ledger);
                duplicate.or(order).map(|f| f.at(line.t, position))
            }
            Event::Crash { .. }
            | Event::Restart { .. }
            | Event::Partition { .. }
            | Event::Heal {}
            | Event::Cut { .. }
            | Event::Repair { .. } => {
                self.ledger.fault_at(position);
                None
            }
            _ => None,
        }
    }

    fn finish(&mut self, now_us: Micros) -> Option<Violation> {
        liveness::finish(&self.ledger, &self.no_duplicate)
            .map(|(f, accepted_line)| f.at(now_us, accepted_line))
    }
}
