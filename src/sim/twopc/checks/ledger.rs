//! What the trace has said about each transaction so far, shared by the properties: its
//! participants, their yes votes and the coordinator's first decision. Not a property itself;
//! it is updated after the properties have read a line.

use crate::sim::twopc::message::Outcome;
use crate::sim::twopc::note::Note;
use crate::sim::twopc::types::TxnId;
use crate::sim::types::NodeId;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default)]
pub struct TxnFacts {
    /// From the coordinator's `txn_begin`.
    pub participants: Option<Vec<NodeId>>,
    pub yes: BTreeSet<NodeId>,
    /// The coordinator's first decision and its line.
    pub decision: Option<(Outcome, u64)>,
}

#[derive(Clone, Debug, Default)]
pub struct Ledger {
    txns: BTreeMap<TxnId, TxnFacts>,
}

impl Ledger {
    pub fn get(&self, txn: TxnId) -> Option<&TxnFacts> {
        self.txns.get(&txn)
    }

    pub fn observe(&mut self, note: &Note, line: u64) {
        match note {
            Note::TxnBegin {
                txn, participants, ..
            } => {
                self.txns.entry(*txn).or_default().participants = Some(participants.clone());
            }
            Note::TxnVote {
                node,
                txn,
                yes: true,
                ..
            } => {
                self.txns.entry(*txn).or_default().yes.insert(*node);
            }
            Note::TxnDecide { txn, outcome, .. } => {
                let facts = self.txns.entry(*txn).or_default();
                facts.decision.get_or_insert((*outcome, line));
            }
            _ => {}
        }
    }
}
