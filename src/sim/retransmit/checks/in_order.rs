//! In-Order Delivery: a receiver's n-th delivery from its sender is message n, with the
//! payload the sender accepted for it: no gap, nothing overtaking, nothing stale or made up.
//! A second delivery of a message is No Duplicate Delivery's to report, so this check skips
//! it; together they say the deliveries are exactly 1, 2, 3, ...

use super::{Detail, Finding, Ledger, Property};
use crate::sim::retransmit::message::Seq;
use crate::sim::retransmit::note::Note;
use crate::sim::types::NodeId;
use std::collections::BTreeMap;
use std::fmt;

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

#[derive(Clone, Debug, Default)]
pub struct InOrderDelivery {
    /// By pair: every message up to here has been delivered in order.
    delivered_through: BTreeMap<u32, Seq>,
}

impl InOrderDelivery {
    pub fn observe(&mut self, note: &Note, ledger: &Ledger) -> Option<Finding> {
        let Note::AppDeliver {
            node,
            pair,
            seq,
            payload,
            ..
        } = *note
        else {
            return None;
        };
        let through = self.delivered_through.entry(pair).or_insert(0);
        if seq <= *through {
            return None;
        }
        let expected = *through + 1;
        let detail = if seq != expected {
            Some(OrderDetail::Gap {
                receiver: node,
                seq,
                expected,
            })
        } else {
            match ledger.get(pair, seq) {
                None => Some(OrderDetail::NeverAccepted {
                    receiver: node,
                    seq,
                }),
                Some(a) if a.payload != payload => Some(OrderDetail::WrongPayload {
                    receiver: node,
                    seq,
                    got: payload,
                    accepted: a.payload,
                }),
                Some(_) => None,
            }
        };
        // Move on either way, so one gap is reported once rather than at every later line.
        *through = seq;
        detail.map(|d| Finding {
            property: Property::InOrderDelivery,
            nodes: vec![node],
            pair,
            seq,
            detail: Detail::Order(d),
        })
    }
}
