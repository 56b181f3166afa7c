//! The checker: every property fed the whole trace in order. The views are read first, so
//! that the other properties compare against the view service's decisions by then.

use super::failover::{Failover, FailoverLog};
use super::history::{History, Loss};
use super::linearizable::Linearizable;
use super::order::BackupOrder;
use super::property::Violation;
use super::views::Views;
use crate::sim::pb::types::PrimaryBackup;
use crate::sim::protocol::{Checks, Event, Line};
use crate::sim::types::Micros;

#[derive(Clone, Debug, Default)]
pub struct PbChecks {
    views: Views,
    order: BackupOrder,
    history: History,
    linear: Linearizable,
    failovers: FailoverLog,
}

impl PbChecks {
    /// Checks a whole trace; returns every violation in order.
    pub fn check_all(lines: &[Line<PrimaryBackup>]) -> Vec<Violation> {
        let mut checks = PbChecks::default();
        lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| checks.observe(line, i as u64))
            .collect()
    }

    /// Warm mode's expected losses: acknowledged writes a failover cut away.
    pub fn expected_losses(&self) -> &[Loss] {
        &self.history.losses
    }

    /// The failovers finished so far (a primary crashed, another answered a client).
    pub fn failovers(&self) -> &[Failover] {
        &self.failovers.done
    }

    /// Servers declared dead by timeout that had not crashed since last heard from.
    pub fn false_suspicions(&self) -> u64 {
        self.failovers.false_suspicions
    }

    pub fn suspicions(&self) -> u64 {
        self.failovers.suspicions
    }
}

impl Checks<PrimaryBackup> for PbChecks {
    type Violation = Violation;

    fn observe(&mut self, line: &Line<PrimaryBackup>, position: u64) -> Option<Violation> {
        let losses_before = self.history.losses.len();
        let found = match &line.event {
            Event::Protocol(note) => {
                let views = self.views.observe(note);
                let order = self.order.observe(note, &self.views);
                let history = self.history.observe(note, line.t);
                let linear = self.linear.observe(note, line.t, &self.history);
                views.or(order).or(history).or(linear)
            }
            _ => None,
        };
        let lost_now = (self.history.losses.len() - losses_before) as u64;
        self.failovers.observe(&line.event, line.t, lost_now);
        found.map(|f| f.at(line.t, position))
    }

    /// Primary-backup promises progress only while its view service can promote someone
    /// (6.824's service is stuck when an unacknowledged view's primary fails); the fault
    /// search asks what a healed run must reach of the engine instead (`fuzz.rs`).
    fn finish(&mut self, _now_us: Micros) -> Option<Violation> {
        None
    }
}
