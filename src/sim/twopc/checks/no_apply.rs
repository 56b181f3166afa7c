//! No Apply Without a Commit Decision: a participant applies a transaction's writes only
//! after the coordinator decided commit. A prepared participant may not decide alone (Gray
//! and Reuter, section 10.3: once it has voted yes it is "in doubt" and must wait).

use super::ledger::Ledger;
use super::property::{Detail, Finding, Property};
use crate::sim::twopc::message::Outcome;
use crate::sim::twopc::note::Note;

#[derive(Clone, Debug, Default)]
pub struct NoApplyWithoutCommit;

impl NoApplyWithoutCommit {
    pub fn observe(&mut self, note: &Note, ledger: &Ledger) -> Option<Finding> {
        let Note::TxnCommit { node, txn, .. } = *note else {
            return None;
        };
        let decided = ledger.get(txn).and_then(|f| f.decision).map(|(o, _)| o);
        (decided != Some(Outcome::Commit)).then(|| Finding {
            property: Property::NoApplyWithoutCommit,
            nodes: vec![node],
            txn,
            detail: Detail::AppliedWithout { node, decided },
        })
    }
}
