//! The retransmission protocol's properties, checked after every trace line: nothing is
//! delivered twice, everything is delivered in order with the content the sender accepted,
//! and (at the end of a run that healed and ran quiet) everything accepted was delivered.
//! They read only the trace, so `faultline check` can run them again over a saved file.

mod in_order;
mod ledger;
mod liveness;
mod no_duplicate;

pub use in_order::OrderDetail;
pub use ledger::{Accepted, Ledger};
pub use liveness::LivenessDetail;
pub use no_duplicate::DuplicateDetail;

use super::message::Seq;
use super::Retransmit;
use crate::sim::protocol::{Checks, Event, Line};
use crate::sim::types::{Micros, NodeId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A property of reliable delivery.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    NoDuplicateDelivery,
    InOrderDelivery,
    Liveness,
}

impl Property {
    pub const ALL: [Property; 3] = [
        Property::NoDuplicateDelivery,
        Property::InOrderDelivery,
        Property::Liveness,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Property::NoDuplicateDelivery => "No Duplicate Delivery",
            Property::InOrderDelivery => "In-Order Delivery",
            Property::Liveness => "Liveness",
        }
    }

    /// What the property promises, in one sentence for the page's alarm.
    pub fn promise(self) -> &'static str {
        match self {
            Property::NoDuplicateDelivery => {
                "a receiver hands its application each message at most once"
            }
            Property::InOrderDelivery => {
                "a receiver's n-th delivery from its sender is message n, with the content the sender accepted"
            }
            Property::Liveness => {
                "once the network heals and stays quiet, every message a sender accepted is delivered"
            }
        }
    }
}

/// What exactly broke, as data: one typed detail per property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    Duplicate(DuplicateDetail),
    Order(OrderDetail),
    Liveness(LivenessDetail),
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::Duplicate(d) => d.fmt(f),
            Detail::Order(d) => d.fmt(f),
            Detail::Liveness(d) => d.fmt(f),
        }
    }
}

/// A broken property: which, where in the trace, the nodes, the pair and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub property: Property,
    /// When it broke; for Liveness, the end of the run.
    pub t: Micros,
    /// Position (from 0) of the line that broke it; for Liveness, the line where the
    /// undelivered message was accepted.
    pub line: u64,
    pub nodes: Vec<NodeId>,
    pub pair: u32,
    pub seq: Seq,
    pub detail: Detail,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let when = if self.property == Property::Liveness {
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
        write!(f, ", pair {}, seq {}: {}", self.pair, self.seq, self.detail)
    }
}

/// Where a check found a problem, before the caller adds the time and line.
pub(crate) struct Finding {
    pub property: Property,
    pub nodes: Vec<NodeId>,
    pub pair: u32,
    pub seq: Seq,
    pub detail: Detail,
}

impl Finding {
    fn at(self, t: Micros, line: u64) -> Violation {
        Violation {
            property: self.property,
            t,
            line,
            nodes: self.nodes,
            pair: self.pair,
            seq: self.seq,
            detail: self.detail,
        }
    }
}

/// Every property, fed the whole trace in order.
#[derive(Clone, Debug, Default)]
pub struct RetransmitChecks {
    ledger: Ledger,
    no_duplicate: no_duplicate::NoDuplicateDelivery,
    in_order: in_order::InOrderDelivery,
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
