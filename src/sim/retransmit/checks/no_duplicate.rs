//! No Duplicate Delivery: a receiver hands its application each message at most once, across
//! its crashes too (the application's deliveries are not undone by a crash). Duplicates the
//! network makes, and retransmissions of messages that did arrive, must be dropped.

use super::detail::{Detail, DuplicateDetail};
use super::property::{Finding, Property};
use crate::sim::retransmit::message::Seq;
use crate::sim::retransmit::note::Note;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct NoDuplicateDelivery {
    /// By pair: every message delivered, with the line of its first delivery.
    delivered: BTreeMap<u32, BTreeMap<Seq, u64>>,
}

impl NoDuplicateDelivery {
    pub fn observe(&mut self, note: &Note, position: u64) -> Option<Finding> {
        let Note::AppDeliver {
            node, pair, seq, ..
        } = *note
        else {
            return None;
        };
        let seen = self.delivered.entry(pair).or_default();
        match seen.get(&seq) {
            Some(&first_line) => Some(Finding {
                property: Property::NoDuplicateDelivery,
                nodes: vec![node],
                pair,
                seq,
                detail: Detail::Duplicate(DuplicateDetail::DeliveredAgain {
                    receiver: node,
                    seq,
                    first_line,
                }),
            }),
            None => {
                seen.insert(seq, position);
                None
            }
        }
    }

    pub fn delivered(&self, pair: u32, seq: Seq) -> bool {
        self.delivered
            .get(&pair)
            .is_some_and(|seen| seen.contains_key(&seq))
    }
}
