//! In-Order Delivery: a receiver's n-th delivery from its sender is message n, with the
//! payload the sender accepted for it: no gap, nothing overtaking, nothing stale or made up.
//! A second delivery of a message is No Duplicate Delivery's to report, so this check skips
//! it; together they say the deliveries are exactly 1, 2, 3, ...

use super::detail::{Detail, OrderDetail};
use super::ledger::Ledger;
use super::property::{Finding, Property};
use crate::sim::retransmit::message::Seq;
use crate::sim::retransmit::note::Note;
use std::collections::BTreeMap;

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
