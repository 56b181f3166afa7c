//! What exactly broke, as data: one typed detail per property, in one place so that each
//! property's file and the violation it becomes can both name them (as Raft's checks do).

use crate::i18n::Text;
use crate::sim::retransmit::message::Seq;
use crate::sim::types::{Micros, NodeId};
use std::fmt;

/// What exactly broke, as data: one typed detail per property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    Duplicate(DuplicateDetail),
    Order(OrderDetail),
    Liveness(LivenessDetail),
}

impl Detail {
    /// What broke, as catalogue text for the page (the same facts as the English `Display`).
    pub fn text(&self) -> Text {
        match self {
            Detail::Duplicate(DuplicateDetail::DeliveredAgain {
                receiver,
                seq,
                first_line,
            }) => Text::new("violation.rt_delivered_again")
                .with("receiver", receiver)
                .with("seq", seq)
                .with("line", first_line + 1),
            Detail::Order(OrderDetail::Gap {
                receiver,
                seq,
                expected,
            }) => Text::new("violation.rt_gap")
                .with("receiver", receiver)
                .with("seq", seq)
                .with("expected", expected),
            Detail::Order(OrderDetail::WrongPayload {
                receiver,
                seq,
                got,
                accepted,
            }) => Text::new("violation.rt_wrong_payload")
                .with("receiver", receiver)
                .with("seq", seq)
                .with("got", got)
                .with("accepted", accepted),
            Detail::Order(OrderDetail::NeverAccepted { receiver, seq }) => {
                Text::new("violation.rt_never_accepted")
                    .with("receiver", receiver)
                    .with("seq", seq)
            }
            Detail::Liveness(LivenessDetail::Undelivered {
                sender,
                receiver,
                seq,
                accepted_t,
            }) => Text::new("violation.rt_undelivered")
                .with("sender", sender)
                .with("receiver", receiver)
                .with("seq", seq)
                .with("ms", accepted_t / 1000),
        }
    }
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

/// How No Duplicate Delivery broke (`no_duplicate.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DuplicateDetail {
    /// `receiver` delivered message `seq` again; it first did at `first_line`.
    DeliveredAgain {
        receiver: NodeId,
        seq: Seq,
        first_line: u64,
    },
}

impl fmt::Display for DuplicateDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DuplicateDetail::DeliveredAgain {
                receiver,
                seq,
                first_line,
            } => write!(
                f,
                "{receiver} delivered message {seq} again; it already did at trace line {}",
                first_line + 1
            ),
        }
    }
}

/// How In-Order Delivery broke (`in_order.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderDetail {
    /// `receiver` delivered `seq` while `expected` (and any after it) had not been.
    Gap {
        receiver: NodeId,
        seq: Seq,
        expected: Seq,
    },
    /// `receiver` delivered `seq` with content `got`, but its sender accepted `accepted`.
    WrongPayload {
        receiver: NodeId,
        seq: Seq,
        got: u32,
        accepted: u32,
    },
    /// `receiver` delivered `seq`, which its sender never accepted.
    NeverAccepted { receiver: NodeId, seq: Seq },
}

impl fmt::Display for OrderDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrderDetail::Gap {
                receiver,
                seq,
                expected,
            } => write!(
                f,
                "{receiver} delivered message {seq} before message {expected}"
            ),
            OrderDetail::WrongPayload {
                receiver,
                seq,
                got,
                accepted,
            } => write!(
                f,
                "{receiver} delivered message {seq} with payload {got}, but the sender accepted {accepted}"
            ),
            OrderDetail::NeverAccepted { receiver, seq } => write!(
                f,
                "{receiver} delivered message {seq}, which its sender never accepted"
            ),
        }
    }
}

/// How Liveness broke (`liveness.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LivenessDetail {
    /// `sender` accepted message `seq` at `accepted_t` and `receiver` never delivered it.
    Undelivered {
        sender: NodeId,
        receiver: NodeId,
        seq: Seq,
        accepted_t: Micros,
    },
}

impl fmt::Display for LivenessDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LivenessDetail::Undelivered {
                sender,
                receiver,
                seq,
                accepted_t,
            } => write!(
                f,
                "{sender} accepted message {seq} at t={accepted_t}us and {receiver} never delivered it"
            ),
        }
    }
}
