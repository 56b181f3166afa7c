//! Acknowledged Writes Kept: the command a client was told took effect at a slot is the value
//! the acceptors chose there (Agreement then keeps it there for good; "Paxos Made Simple",
//! section 3: the servers execute the chosen commands in slot order).

use super::agreement::Agreement;
use super::property::{Detail, Finding, Property};
use crate::sim::paxos::note::Note;
use crate::sim::paxos::types::Value;

#[derive(Clone, Debug, Default)]
pub struct AckedWritesKept;

impl AckedWritesKept {
    pub fn observe(&self, note: &Note, agreement: &Agreement) -> Option<Finding> {
        let Note::PaxosClientReply {
            client,
            request,
            slot,
            ..
        } = note
        else {
            return None;
        };
        let chosen = agreement.chosen.get(slot).map(|(v, _, _)| v);
        let kept = matches!(
            chosen,
            Some(Value::Command { client: c, request: r, .. }) if c == client && r == request
        );
        (!kept).then(|| Finding {
            property: Property::AckedWritesKept,
            nodes: Vec::new(),
            slot: *slot,
            detail: Detail::AckedElsewhere {
                client: *client,
                request: *request,
                chosen: chosen.cloned(),
            },
        })
    }
}
