//! Commit Validity: a transaction commits (at the coordinator or at any participant) only if
//! every one of its participants voted yes (Bernstein et al., section 7.2, AC3: "the commit
//! decision can only be reached if all processes voted yes").

use super::ledger::Ledger;
use super::property::{Detail, Finding, Property};
use crate::sim::twopc::message::Outcome;
use crate::sim::twopc::note::Note;

#[derive(Clone, Debug, Default)]
pub struct CommitValidity;

impl CommitValidity {
    pub fn observe(&mut self, note: &Note, ledger: &Ledger) -> Option<Finding> {
        let (node, txn) = match *note {
            Note::TxnCommit { node, txn, .. } => (node, txn),
            Note::TxnDecide {
                node,
                txn,
                outcome: Outcome::Commit,
                ..
            } => (node, txn),
            _ => return None,
        };
        let facts = ledger.get(txn);
        let voter = match facts.and_then(|f| f.participants.as_ref()) {
            None => None,
            Some(participants) => {
                let yes = &facts.expect("facts with participants").yes;
                match participants.iter().find(|p| !yes.contains(p)) {
                    None => return None,
                    Some(p) => Some(*p),
                }
            }
        };
        Some(Finding {
            property: Property::CommitValidity,
            nodes: std::iter::once(node).chain(voter).collect(),
            txn,
            detail: Detail::MissingYes { node, voter },
        })
    }
}
