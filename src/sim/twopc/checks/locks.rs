//! Locks Held Until the Decision: a participant releases a transaction's locks only after it
//! has its outcome, and after a commit only once the commit record is written (strict
//! two-phase locking, Bernstein et al., section 3.2; Gray and Reuter, section 10.3: the locks
//! of a prepared transaction are held until the decision is durable). Under presumed abort an
//! abort needs no forced record, so only the outcome is asked of it.

use super::property::{Detail, Finding, Property};
use crate::sim::twopc::note::Note;
use crate::sim::twopc::types::TxnId;
use crate::sim::types::NodeId;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default)]
pub struct LocksHeldUntilDecision {
    /// Each node's last record written (from the `wal_write` lines).
    last_record: BTreeMap<NodeId, String>,
    /// (node, txn) with an outcome; `true` for a commit logged just before.
    decided: BTreeMap<(NodeId, TxnId), bool>,
    aborted: BTreeSet<(NodeId, TxnId)>,
}

impl LocksHeldUntilDecision {
    pub fn written(&mut self, node: NodeId, record: &str) {
        self.last_record.insert(node, record.to_string());
    }

    pub fn observe(&mut self, note: &Note) -> Option<Finding> {
        match *note {
            Note::TxnCommit { node, txn, .. } => {
                let logged = self.last_record.get(&node).is_some_and(|r| r == "commit");
                self.decided.insert((node, txn), logged);
                None
            }
            Note::TxnAbort { node, txn, .. } => {
                self.aborted.insert((node, txn));
                None
            }
            Note::TxnRelease { node, txn, .. } => {
                if self.aborted.contains(&(node, txn)) {
                    return None;
                }
                let decided = match self.decided.get(&(node, txn)) {
                    Some(true) => return None,
                    Some(false) => true,
                    None => false,
                };
                Some(Finding {
                    property: Property::LocksHeldUntilDecision,
                    nodes: vec![node],
                    txn,
                    detail: Detail::EarlyRelease { node, decided },
                })
            }
            _ => None,
        }
    }
}
