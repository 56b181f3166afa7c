//! The properties of reliable delivery, and what a check reports when one breaks: a `Finding`
//! from the property's own file, which the checker makes a `Violation` by adding the time and
//! the trace line.

use super::detail::Detail;
use crate::sim::retransmit::message::Seq;
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
    pub(super) fn at(self, t: Micros, line: u64) -> Violation {
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
