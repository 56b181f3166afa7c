//! Atomicity: a transaction has one outcome everywhere. No participant commits it while
//! another (or the coordinator's decision) aborts it (Bernstein et al., section 7.2, AC1:
//! "all processes that reach a decision reach the same one").

use super::property::{Detail, Finding, Property};
use crate::sim::twopc::message::Outcome;
use crate::sim::twopc::note::Note;
use crate::sim::twopc::types::TxnId;
use crate::sim::types::NodeId;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct Atomicity {
    /// Each transaction's first outcome anywhere: the node and the line.
    first: BTreeMap<TxnId, (Outcome, NodeId, u64)>,
}

impl Atomicity {
    pub fn observe(&mut self, note: &Note, line: u64) -> Option<Finding> {
        let (node, txn, outcome) = match *note {
            Note::TxnCommit { node, txn, .. } => (node, txn, Outcome::Commit),
            Note::TxnAbort { node, txn, .. } => (node, txn, Outcome::Abort),
            Note::TxnDecide {
                node, txn, outcome, ..
            } => (node, txn, outcome),
            _ => return None,
        };
        let (first, first_node, first_line) =
            *self.first.entry(txn).or_insert((outcome, node, line));
        (first != outcome).then(|| Finding {
            property: Property::Atomicity,
            nodes: vec![first_node, node],
            txn,
            detail: Detail::Split {
                first_node,
                first,
                first_line,
                second_node: node,
                second: outcome,
            },
        })
    }
}
