//! Paxos's properties ("Paxos Made Simple", section 2.1's safety requirements, and the
//! replicated store's promises to its clients), and what a check reports when one breaks: a
//! `Finding` from the property's own file, which the checker makes a `Violation` by adding
//! the time and the trace line.

use crate::sim::paxos::types::{Ballot, Slot, Value};
use crate::sim::types::{ClientId, Micros, NodeId};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    Agreement,
    Validity,
    LearnersAgree,
    AckedWritesKept,
    Linearizability,
}

impl Property {
    pub const ALL: [Property; 5] = [
        Property::Agreement,
        Property::Validity,
        Property::LearnersAgree,
        Property::AckedWritesKept,
        Property::Linearizability,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Property::Agreement => "Agreement",
            Property::Validity => "Validity",
            Property::LearnersAgree => "Learners Agree",
            Property::AckedWritesKept => "Acknowledged Writes Kept",
            Property::Linearizability => "Linearizability",
        }
    }

    /// What the property promises, in one sentence.
    pub fn promise(self) -> &'static str {
        match self {
            Property::Agreement => {
                "at most one value is chosen per slot: no two values are ever each accepted by a majority of acceptors in one ballot"
            }
            Property::Validity => "only a value that was proposed may be chosen",
            Property::LearnersAgree => "a learner learns only the value chosen in its slot",
            Property::AckedWritesKept => {
                "a command a client was told took effect at a slot is the one chosen there"
            }
            Property::Linearizability => {
                "each client command appears to take effect at one instant between its call and its reply"
            }
        }
    }
}

/// What exactly broke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// `first` was chosen under `first_ballot` (trace line `first_line`) and then `second`
    /// under `second_ballot`.
    TwoChosen {
        first: Value,
        first_ballot: Ballot,
        first_line: u64,
        second: Value,
        second_ballot: Ballot,
    },
    /// `value` was chosen under `ballot` and nobody proposed it.
    NeverProposed { value: Value, ballot: Ballot },
    /// `node` learned `learned` while `chosen` (or nothing) is chosen.
    LearnedOther {
        node: NodeId,
        learned: Value,
        chosen: Option<Value>,
    },
    /// The client was told its command took effect at the slot, where `chosen` is chosen.
    AckedElsewhere {
        client: ClientId,
        request: u64,
        chosen: Option<Value>,
    },
    /// The reply differs from what the slot order gives there.
    WrongResult {
        client: ClientId,
        request: u64,
        key: String,
        got: (bool, Option<String>),
        expected: (bool, Option<String>),
    },
    /// The command took effect no later than a command on its key that had completed
    /// before it was called.
    TookEffectTooEarly {
        client: ClientId,
        request: u64,
        key: String,
        earlier_done: Slot,
    },
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::TwoChosen {
                first,
                first_ballot,
                first_line,
                second,
                second_ballot,
            } => write!(
                f,
                "{first} was chosen under ballot {first_ballot} (trace line {}) and {second} under ballot {second_ballot}",
                first_line + 1
            ),
            Detail::NeverProposed { value, ballot } => {
                write!(f, "{value} was chosen under ballot {ballot} but nobody proposed it")
            }
            Detail::LearnedOther {
                node,
                learned,
                chosen,
            } => match chosen {
                Some(chosen) => write!(f, "{node} learned {learned} but {chosen} is chosen"),
                None => write!(f, "{node} learned {learned} before any value was chosen"),
            },
            Detail::AckedElsewhere {
                client,
                request,
                chosen,
            } => match chosen {
                Some(chosen) => write!(
                    f,
                    "{client} was told its request {request} took effect here, where {chosen} is chosen"
                ),
                None => write!(
                    f,
                    "{client} was told its request {request} took effect here, where nothing is chosen"
                ),
            },
            Detail::WrongResult {
                client,
                request,
                key,
                got,
                expected,
            } => write!(
                f,
                "{client}'s request {request} on {key} got (ok {}, {:?}) but the slot order gives (ok {}, {:?})",
                got.0, got.1, expected.0, expected.1
            ),
            Detail::TookEffectTooEarly {
                client,
                request,
                key,
                earlier_done,
            } => write!(
                f,
                "{client}'s request {request} on {key} took effect no later than slot {earlier_done}, which completed before it was called"
            ),
        }
    }
}

/// A broken property: which, where in the trace, the nodes and the slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub property: Property,
    pub t: Micros,
    /// Position (from 0) of the line that broke it.
    pub line: u64,
    pub nodes: Vec<NodeId>,
    pub slot: Slot,
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
        let names: Vec<String> = self.nodes.iter().map(|n| n.to_string()).collect();
        if !names.is_empty() {
            write!(f, ", nodes {}", names.join(", "))?;
        }
        write!(f, ", slot {}: {}", self.slot, self.detail)
    }
}

/// Where a check found a problem, before the checker adds the time and line.
pub(crate) struct Finding {
    pub property: Property,
    pub nodes: Vec<NodeId>,
    pub slot: Slot,
    pub detail: Detail,
}

impl Finding {
    pub(super) fn at(self, t: Micros, line: u64) -> Violation {
        Violation {
            property: self.property,
            t,
            line,
            nodes: self.nodes,
            slot: self.slot,
            detail: self.detail,
        }
    }
}
