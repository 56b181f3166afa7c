//! Decision Durability: once the coordinator has decided, it never states another outcome
//! for that transaction, in a later decision or in an answer to an inquiry, whatever crashes
//! it went through. Presumed abort makes this rest on one rule: the commit record is forced
//! before anyone hears of the commit (Gray and Reuter, section 10.3; Bernstein et al.,
//! section 7.4), so a coordinator with no record of a transaction may answer "abort".

use super::ledger::Ledger;
use super::property::{Detail, Finding, Property};
use crate::sim::twopc::note::Note;

#[derive(Clone, Debug, Default)]
pub struct DecisionDurability;

impl DecisionDurability {
    pub fn observe(&mut self, note: &Note, ledger: &Ledger) -> Option<Finding> {
        let (node, txn, now, presumed) = match *note {
            Note::TxnDecide {
                node, txn, outcome, ..
            } => (node, txn, outcome, false),
            Note::TxnAnswer {
                node,
                txn,
                outcome,
                presumed,
                ..
            } => (node, txn, outcome, presumed),
            _ => return None,
        };
        let (decided, line) = ledger.get(txn)?.decision?;
        (decided != now).then(|| Finding {
            property: Property::DecisionDurability,
            nodes: vec![node],
            txn,
            detail: Detail::Contradicted {
                decided,
                line,
                now,
                presumed,
            },
        })
    }
}
