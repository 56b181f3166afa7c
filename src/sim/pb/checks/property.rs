//! Primary-backup's properties, and what a check reports when one breaks: a `Finding` from
//! the property's own file, which the checker makes a `Violation` by adding the time and the
//! trace line.

use crate::sim::pb::types::Seq;
use crate::sim::types::{ClientId, Micros, NodeId};
use std::fmt;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Property {
    OnePrimaryPerView,
    PrimaryHoldsTheView,
    BackupOrder,
    AckedWritesKept,
    Linearizability,
}

impl Property {
    pub const ALL: [Property; 5] = [
        Property::OnePrimaryPerView,
        Property::PrimaryHoldsTheView,
        Property::BackupOrder,
        Property::AckedWritesKept,
        Property::Linearizability,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Property::OnePrimaryPerView => "One Primary per View",
            Property::PrimaryHoldsTheView => "Primary Holds the View",
            Property::BackupOrder => "Backup Order",
            Property::AckedWritesKept => "Acknowledged Writes Kept",
            Property::Linearizability => "Linearizability",
        }
    }

    /// What the property promises, in one sentence.
    pub fn promise(self) -> &'static str {
        match self {
            Property::OnePrimaryPerView => {
                "every view has at most one primary, and every server that acts as a view's primary is the one the view service named"
            }
            Property::PrimaryHoldsTheView => {
                "a server answers clients only while the view service holds a view that names it primary (its lease ends before another is promoted)"
            }
            Property::BackupOrder => {
                "backups and storage apply the writes of their view's primary in its order, each once"
            }
            Property::AckedWritesKept => {
                "an acknowledged write is never lost by a failover (hot and cold); warm mode loses only acknowledged writes the new primary never received, reported as expected losses"
            }
            Property::Linearizability => {
                "each client operation appears to take effect at one instant between its call and its reply (hot and cold)"
            }
        }
    }
}

/// What exactly broke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// View `view` was given to `first` and then to `second`.
    TwoPrimaries {
        view: u64,
        first: NodeId,
        second: Option<NodeId>,
    },
    /// `node` acted as primary of `view`, which the view service gave to `named`.
    NotNamed {
        node: NodeId,
        view: u64,
        named: Option<NodeId>,
    },
    /// `node` answered in view `view` while the view service holds `current`, whose
    /// primary (or that of a view between) is `other`.
    Deposed {
        node: NodeId,
        view: u64,
        current: u64,
        other: Option<NodeId>,
    },
    /// `node` applied, in view `view`, the write of `client`'s request `request` at `seq`,
    /// where it expected `expected` (the next position) and the view's primary ran
    /// `primary_ran` there.
    OutOfOrder {
        node: NodeId,
        view: u64,
        seq: Seq,
        client: ClientId,
        request: u64,
        expected: Seq,
        primary_ran: Option<(ClientId, u64)>,
    },
    /// The acknowledged write of `client`'s request `request` at `seq` is not in the history
    /// the primary of `view` carries on from.
    Lost {
        client: ClientId,
        request: u64,
        seq: Seq,
        view: u64,
    },
    /// The reply differs from what the primary's order gives there.
    WrongResult {
        client: ClientId,
        request: u64,
        key: String,
        got: (bool, Option<String>),
        expected: (bool, Option<String>),
    },
    /// The operation took effect no later than one on its key that had completed before it
    /// was called.
    TookEffectTooEarly {
        client: ClientId,
        request: u64,
        key: String,
        earlier_done: u64,
    },
}

fn node_or_none(n: &Option<NodeId>) -> String {
    n.map_or("nobody".to_string(), |n| n.to_string())
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::TwoPrimaries {
                view,
                first,
                second,
            } => write!(
                f,
                "view {view} was given to {first} and then to {}",
                node_or_none(second)
            ),
            Detail::NotNamed { node, view, named } => write!(
                f,
                "{node} acts as primary of view {view}, which names {}",
                node_or_none(named)
            ),
            Detail::Deposed {
                node,
                view,
                current,
                other,
            } => write!(
                f,
                "{node} answered a client in view {view} while the view service holds view {current}, with primary {} since",
                node_or_none(other)
            ),
            Detail::OutOfOrder {
                node,
                view,
                seq,
                client,
                request,
                expected,
                primary_ran,
            } => {
                write!(
                    f,
                    "{node} applied {client}'s request {request} at {seq} in view {view}, expecting position {expected}; "
                )?;
                match primary_ran {
                    Some((c, r)) => write!(f, "the view's primary ran {c}'s request {r} there"),
                    None => write!(f, "the view's primary ran nothing there"),
                }
            }
            Detail::Lost {
                client,
                request,
                seq,
                view,
            } => write!(
                f,
                "{client}'s request {request}, acknowledged at {seq}, is not in the history the primary of view {view} carries on"
            ),
            Detail::WrongResult {
                client,
                request,
                key,
                got,
                expected,
            } => write!(
                f,
                "{client}'s request {request} on {key} got (ok {}, {:?}) but the primary's order gives (ok {}, {:?})",
                got.0, got.1, expected.0, expected.1
            ),
            Detail::TookEffectTooEarly {
                client,
                request,
                key,
                earlier_done,
            } => write!(
                f,
                "{client}'s request {request} on {key} took effect no later than position {earlier_done}, which completed before it was called"
            ),
        }
    }
}

/// A broken property: which, where in the trace, and the nodes involved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub property: Property,
    pub t: Micros,
    /// Position (from 0) of the line that broke it.
    pub line: u64,
    pub nodes: Vec<NodeId>,
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
        write!(f, ": {}", self.detail)
    }
}

/// Where a check found a problem, before the checker adds the time and line.
pub(crate) struct Finding {
    pub property: Property,
    pub nodes: Vec<NodeId>,
    pub detail: Detail,
}

impl Finding {
    pub(super) fn at(self, t: Micros, line: u64) -> Violation {
        Violation {
            property: self.property,
            t,
            line,
            nodes: self.nodes,
            detail: self.detail,
        }
    }
}
