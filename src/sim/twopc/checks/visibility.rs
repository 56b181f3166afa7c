//! Committed Writes Visible: once a client is told its transaction committed, every later
//! read of a key it wrote sees that write or a later one. A read names the transaction whose
//! write it saw (a value is its writer's id), and each key's committed writes are ordered as
//! its owner applied them, so a read that sees an older write, or none, of a key whose newer
//! write was acknowledged has lost a commit (Gray and Reuter, section 10.3: durability of a
//! distributed commit; the locks a prepared participant recovers keep others from reading
//! around it).

use super::property::{Detail, Finding, Property};
use crate::sim::twopc::message::Outcome;
use crate::sim::twopc::note::Note;
use crate::sim::twopc::types::{Key, TxnId, Value};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default)]
pub struct CommittedWritesVisible {
    /// Keys each submitted transaction writes, until its client hears the outcome.
    writes: BTreeMap<TxnId, Vec<Key>>,
    /// Each key's committed writers, in the order its owner applied them.
    applied: BTreeMap<Key, Vec<TxnId>>,
    position: BTreeMap<(Key, TxnId), usize>,
    /// Acknowledged writers of each key not yet applied.
    acked_unapplied: BTreeMap<Key, BTreeSet<TxnId>>,
    /// The latest applied position of an acknowledged write, per key, and its writer.
    acked_latest: BTreeMap<Key, (usize, TxnId)>,
}

impl CommittedWritesVisible {
    pub fn observe(&mut self, note: &Note) -> Option<Finding> {
        match note {
            Note::TxnSubmit { txn, ops, .. } => {
                let keys = ops.iter().filter(|o| o.write.is_some()).map(|o| o.key);
                self.writes.insert(*txn, keys.collect());
                None
            }
            Note::TxnReply { txn, outcome, .. } => {
                let keys = self.writes.remove(txn).unwrap_or_default();
                if *outcome == Outcome::Commit {
                    for k in keys {
                        match self.position.get(&(k, *txn)) {
                            Some(&p) => self.acked_at(k, p, *txn),
                            None => {
                                self.acked_unapplied.entry(k).or_default().insert(*txn);
                            }
                        }
                    }
                }
                None
            }
            Note::TxnGiveUp { txn, .. } => {
                self.writes.remove(txn);
                None
            }
            Note::TxnCommit { txn, writes, .. } => {
                for &(k, _) in writes {
                    if self.position.contains_key(&(k, *txn)) {
                        continue;
                    }
                    let order = self.applied.entry(k).or_default();
                    let p = order.len();
                    order.push(*txn);
                    self.position.insert((k, *txn), p);
                    let acked = self
                        .acked_unapplied
                        .get_mut(&k)
                        .is_some_and(|s| s.remove(txn));
                    if acked {
                        self.acked_at(k, p, *txn);
                    }
                }
                None
            }
            Note::TxnVote {
                node, txn, reads, ..
            } => reads.iter().find_map(|&(key, read)| {
                self.check_read(key, read).map(|detail| {
                    let detail = match detail {
                        ReadProblem::Stale { writer, applied } => Detail::StaleRead {
                            node: *node,
                            key,
                            read,
                            writer,
                            applied,
                        },
                        ReadProblem::Dirty => Detail::DirtyRead {
                            node: *node,
                            key,
                            read,
                        },
                    };
                    Finding {
                        property: Property::CommittedWritesVisible,
                        nodes: vec![*node],
                        txn: *txn,
                        detail,
                    }
                })
            }),
            _ => None,
        }
    }

    fn acked_at(&mut self, key: Key, position: usize, txn: TxnId) {
        let latest = self.acked_latest.entry(key).or_insert((position, txn));
        if position > latest.0 {
            *latest = (position, txn);
        }
    }

    fn check_read(&self, key: Key, read: Value) -> Option<ReadProblem> {
        if let Some(&writer) = self.acked_unapplied.get(&key).and_then(|s| s.first()) {
            return Some(ReadProblem::Stale {
                writer,
                applied: false,
            });
        }
        let position = match read {
            0 => None,
            writer => match self.position.get(&(key, writer)) {
                Some(&p) => Some(p),
                None => return Some(ReadProblem::Dirty),
            },
        };
        let &(latest, writer) = self.acked_latest.get(&key)?;
        (position.is_none_or(|p| p < latest)).then_some(ReadProblem::Stale {
            writer,
            applied: true,
        })
    }
}

enum ReadProblem {
    Stale { writer: TxnId, applied: bool },
    Dirty,
}
