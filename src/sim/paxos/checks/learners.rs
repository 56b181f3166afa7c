//! Learners Agree ("Paxos Made Simple", section 2.1: "a process never learns that a value
//! has been chosen unless it actually has been"): every `paxos_learn` line names the value
//! the acceptors' state says is chosen in its slot, so no two learners ever learn different
//! values.

use super::agreement::Agreement;
use super::property::{Detail, Finding, Property};
use crate::sim::paxos::note::Note;

#[derive(Clone, Debug, Default)]
pub struct LearnersAgree;

impl LearnersAgree {
    pub fn observe(&self, note: &Note, agreement: &Agreement) -> Option<Finding> {
        let Note::PaxosLearn { node, slot, value } = note else {
            return None;
        };
        let chosen = agreement.chosen.get(slot).map(|(v, _, _)| v);
        (chosen != Some(value)).then(|| Finding {
            property: Property::LearnersAgree,
            nodes: vec![*node],
            slot: *slot,
            detail: Detail::LearnedOther {
                node: *node,
                learned: value.clone(),
                chosen: chosen.cloned(),
            },
        })
    }
}
