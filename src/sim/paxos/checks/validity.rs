//! Validity ("Paxos Made Simple", section 2.1: "only a value that has been proposed may be
//! chosen"): a chosen value is a single-decree proposer's own value that it offered, a
//! command a client sent, or a no-op (section 3: what a new leader fills a gap with, which
//! changes nothing).

use super::property::{Detail, Finding, Property};
use crate::sim::kv::Command;
use crate::sim::paxos::note::Note;
use crate::sim::paxos::types::{Ballot, Slot, Value};
use crate::sim::types::{ClientId, NodeId};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default)]
pub struct Validity {
    offered: BTreeSet<NodeId>,
    requested: BTreeMap<(ClientId, u64), Command>,
}

impl Validity {
    /// Reads the lines that propose values.
    pub fn observe(&mut self, note: &Note) {
        match note {
            Note::PaxosOffer {
                value: Value::Own { proposer },
                ..
            } => {
                self.offered.insert(*proposer);
            }
            Note::PaxosClientRequest {
                client,
                request,
                cmd,
            } => {
                self.requested.insert((*client, *request), cmd.clone());
            }
            _ => {}
        }
    }

    /// Whether `value`, just chosen in `slot` under `ballot`, was proposed.
    pub fn chosen(&self, slot: Slot, value: &Value, ballot: Ballot) -> Option<Finding> {
        let proposed = match value {
            Value::Noop => true,
            Value::Own { proposer } => self.offered.contains(proposer),
            Value::Command {
                client,
                request,
                cmd,
            } => self.requested.get(&(*client, *request)) == Some(cmd),
        };
        (!proposed).then(|| Finding {
            property: Property::Validity,
            nodes: Vec::new(),
            slot,
            detail: Detail::NeverProposed {
                value: value.clone(),
                ballot,
            },
        })
    }
}
