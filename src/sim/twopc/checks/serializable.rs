//! Conflict Serializability: the committed transactions' conflict graph has no cycle, so
//! they are equivalent to running one at a time in some order (Bernstein, Hadzilacos and
//! Goodman, chapter 2, the Serializability Theorem; strict two-phase locking, which the
//! participants follow, guarantees it, section 3.4).
//!
//! The graph is built from the trace alone. A key's versions are the commits that wrote it, in
//! the order its owner applied them (`txn_commit`; a key has one owner, so that order is the
//! key's version order). What a transaction read is in its yes votes (each read names the
//! transaction whose write it saw). Edges: a write to a reader of it (reads-from), a version to
//! the next one (overwrites), and a reader of a version to the writer of the next
//! (anti-dependency). Only committed transactions are in the graph: an edge is added when its
//! second end commits, and each new edge is checked for a path back.

use super::property::{Detail, Finding, Property};
use crate::sim::twopc::note::Note;
use crate::sim::twopc::types::{Key, TxnId, Value};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default)]
pub struct Serializable {
    /// What each transaction read, from its yes votes, until it commits.
    reads: BTreeMap<TxnId, Vec<(Key, Value)>>,
    committed: BTreeSet<TxnId>,
    /// Each key's committed writers in version order (the initial value, 0, before them).
    versions: BTreeMap<Key, Vec<TxnId>>,
    /// The committed readers of each version of each key.
    readers: BTreeMap<(Key, Value), Vec<TxnId>>,
    edges: BTreeMap<TxnId, BTreeSet<TxnId>>,
}

impl Serializable {
    pub fn observe(&mut self, note: &Note) -> Option<Finding> {
        match note {
            Note::TxnVote {
                txn,
                yes: true,
                reads,
                ..
            } if !reads.is_empty() => {
                self.reads
                    .entry(*txn)
                    .or_default()
                    .extend(reads.iter().copied());
                None
            }
            Note::TxnCommit { txn, writes, .. } => self.commit(*txn, writes),
            _ => None,
        }
    }

    fn commit(&mut self, txn: TxnId, writes: &[(Key, Value)]) -> Option<Finding> {
        if self.committed.insert(txn) {
            for (key, version) in self.reads.remove(&txn).unwrap_or_default() {
                self.readers.entry((key, version)).or_default().push(txn);
                if version != 0 && self.committed.contains(&version) {
                    if let Some(f) = self.edge(version, txn) {
                        return Some(f);
                    }
                }
                // Read a version that has been overwritten since: before its next writer.
                let next = self.versions.get(&key).and_then(|vs| {
                    let at = if version == 0 {
                        Some(0)
                    } else {
                        vs.iter().position(|v| *v == version).map(|i| i + 1)
                    };
                    at.and_then(|i| vs.get(i).copied())
                });
                if let Some(next) = next.filter(|n| *n != txn) {
                    if let Some(f) = self.edge(txn, next) {
                        return Some(f);
                    }
                }
            }
        }
        for (key, _) in writes {
            let versions = self.versions.entry(*key).or_default();
            if versions.contains(&txn) {
                continue;
            }
            let previous = versions.last().copied().unwrap_or(0);
            versions.push(txn);
            if previous != 0 {
                if let Some(f) = self.edge(previous, txn) {
                    return Some(f);
                }
            }
            let anti: Vec<TxnId> = self
                .readers
                .get(&(*key, previous))
                .map(|r| r.iter().copied().filter(|r| *r != txn).collect())
                .unwrap_or_default();
            for reader in anti {
                if let Some(f) = self.edge(reader, txn) {
                    return Some(f);
                }
            }
        }
        None
    }

    /// Adds `from → to`; a path from `to` back to `from` closes a cycle, which is reported.
    fn edge(&mut self, from: TxnId, to: TxnId) -> Option<Finding> {
        if from == to || !self.edges.entry(from).or_default().insert(to) {
            return None;
        }
        let mut path = self.path(to, from)?;
        path.insert(0, from);
        Some(Finding {
            property: Property::Serializable,
            nodes: Vec::new(),
            txn: to,
            detail: Detail::Cycle { txns: path },
        })
    }

    /// A path of edges from `from` to `to`, both included, if there is one (depth first).
    fn path(&self, from: TxnId, to: TxnId) -> Option<Vec<TxnId>> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![(from, vec![from])];
        while let Some((at, path)) = stack.pop() {
            if at == to {
                return Some(path);
            }
            if !seen.insert(at) {
                continue;
            }
            for next in self.edges.get(&at).into_iter().flatten() {
                let mut longer = path.clone();
                longer.push(*next);
                stack.push((*next, longer));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::twopc::note::CommitReason;
    use crate::sim::types::NodeId;

    fn vote(txn: TxnId, reads: Vec<(Key, Value)>) -> Note {
        Note::TxnVote {
            node: NodeId(2),
            txn,
            yes: true,
            reason: None,
            reads,
        }
    }

    fn commit(txn: TxnId, writes: Vec<(Key, Value)>) -> Note {
        Note::TxnCommit {
            node: NodeId(2),
            txn,
            reason: CommitReason::Decision,
            writes,
        }
    }

    /// Bernstein et al., section 2.3: the write skew `r1[x] r2[y] w1[y] w2[x]` has the cycle
    /// T1 → T2 → T1 (each read a version the other overwrote), closed by the last edge added.
    #[test]
    fn write_skew_is_a_cycle() {
        let mut s = Serializable::default();
        let notes = [
            vote(1, vec![(0, 0)]),
            vote(2, vec![(1, 0)]),
            commit(1, vec![(1, 1)]),
        ];
        for n in &notes {
            assert_eq!(s.observe(n).map(|f| f.detail), None);
        }
        let found = s.observe(&commit(2, vec![(0, 2)])).map(|f| f.detail);
        assert_eq!(
            found,
            Some(Detail::Cycle {
                txns: vec![1, 2, 1]
            })
        );
    }

    #[test]
    fn a_serial_history_has_no_cycle() {
        let mut s = Serializable::default();
        let notes = [
            vote(1, vec![(0, 0)]),
            commit(1, vec![(0, 1)]),
            vote(2, vec![(0, 1)]),
            commit(2, vec![(0, 2), (1, 2)]),
            vote(3, vec![(1, 2), (0, 2)]),
            commit(3, vec![]),
        ];
        for n in &notes {
            assert_eq!(s.observe(n).map(|f| f.detail), None);
        }
    }
}
