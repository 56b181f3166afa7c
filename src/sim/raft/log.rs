//! The in-memory Raft log with a compacted prefix (Raft paper, sections 5.3 and 7).

use super::kv::{Command, Origin};
use crate::sim::types::{LogIndex, Term};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// One log entry. The command is shared, so copying entries into messages is cheap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub index: LogIndex,
    pub term: Term,
    pub cmd: Rc<Command>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// Entries after a snapshot point. Index `snapshot_index` itself is known only by its term.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RaftLog {
    snapshot_index: LogIndex,
    snapshot_term: Term,
    entries: Vec<Entry>,
}

impl RaftLog {
    /// A log that starts after a snapshot at (`index`, `term`), holding `entries` after it.
    pub fn from_parts(index: LogIndex, term: Term, entries: Vec<Entry>) -> RaftLog {
        debug_assert!(entries
            .iter()
            .enumerate()
            .all(|(i, e)| e.index.0 == index.0 + 1 + i as u64));
        RaftLog {
            snapshot_index: index,
            snapshot_term: term,
            entries,
        }
    }

    pub fn snapshot_index(&self) -> LogIndex {
        self.snapshot_index
    }

    pub fn snapshot_term(&self) -> Term {
        self.snapshot_term
    }

    pub fn last_index(&self) -> LogIndex {
        LogIndex(self.snapshot_index.0 + self.entries.len() as u64)
    }

    pub fn last_term(&self) -> Term {
        self.entries
            .last()
            .map(|e| e.term)
            .unwrap_or(self.snapshot_term)
    }

    /// The term of the entry at `index`: known for the snapshot point and the live entries,
    /// `None` for compacted or missing positions.
    pub fn term_at(&self, index: LogIndex) -> Option<Term> {
        if index == self.snapshot_index {
            return Some(self.snapshot_term);
        }
        self.entry(index).map(|e| e.term)
    }

    /// The live (not compacted) entry at `index`.
    pub fn entry(&self, index: LogIndex) -> Option<&Entry> {
        if index <= self.snapshot_index {
            return None;
        }
        self.entries
            .get((index.0 - self.snapshot_index.0 - 1) as usize)
    }

    /// Live entries in `[from, to]`, at most `max` of them.
    pub fn slice(&self, from: LogIndex, to: LogIndex, max: usize) -> Vec<Entry> {
        let start = from.0.max(self.snapshot_index.0 + 1);
        let end = to.0.min(self.last_index().0);
        if start > end {
            return Vec::new();
        }
        let base = self.snapshot_index.0 + 1;
        let lo = (start - base) as usize;
        let hi = ((end - base) as usize + 1).min(lo + max);
        self.entries[lo..hi].to_vec()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn push(&mut self, entry: Entry) {
        debug_assert_eq!(entry.index, self.last_index().next());
        self.entries.push(entry);
    }

    /// Removes every entry with index >= `from`.
    pub fn truncate_from(&mut self, from: LogIndex) {
        if from <= self.snapshot_index {
            self.entries.clear();
            return;
        }
        let keep = (from.0 - self.snapshot_index.0 - 1) as usize;
        self.entries.truncate(keep);
    }

    /// Drops entries up to and including `index`, whose effect now lives in a snapshot.
    pub fn compact_to(&mut self, index: LogIndex, term: Term) {
        if index <= self.snapshot_index {
            return;
        }
        if index >= self.last_index() {
            self.entries.clear();
        } else {
            let drop = (index.0 - self.snapshot_index.0) as usize;
            self.entries.drain(..drop);
        }
        self.snapshot_index = index;
        self.snapshot_term = term;
    }

    /// The first index holding `term` at or before `index` (for the conflict hint).
    pub fn first_index_of_term(&self, term: Term, index: LogIndex) -> LogIndex {
        let mut first = index;
        let mut i = index;
        while i > self.snapshot_index {
            match self.term_at(i) {
                Some(t) if t == term => first = i,
                _ => break,
            }
            i = i.prev();
        }
        first
    }

    /// The last index holding `term`, if the live log has one (for the leader's side of the
    /// conflict hint).
    pub fn last_index_of_term(&self, term: Term) -> Option<LogIndex> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.term == term)
            .map(|e| e.index)
    }

    /// Section 5.4.1: whether a log ending at (`last_index`, `last_term`) is at least as
    /// up-to-date as this one.
    pub fn is_up_to_date(&self, last_index: LogIndex, last_term: Term) -> bool {
        (last_term, last_index) >= (self.last_term(), self.last_index())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(index: u64, term: u64) -> Entry {
        Entry {
            index: LogIndex(index),
            term: Term(term),
            cmd: Rc::new(Command::Noop),
            origin: None,
        }
    }

    fn log_of(terms: &[u64]) -> RaftLog {
        let mut log = RaftLog::default();
        for (i, t) in terms.iter().enumerate() {
            log.push(entry(i as u64 + 1, *t));
        }
        log
    }

    /// Section 5.4.1: compare last terms first, then lengths.
    #[test]
    fn up_to_date_compares_term_then_length() {
        let log = log_of(&[1, 1, 2]);
        assert!(
            log.is_up_to_date(LogIndex(1), Term(3)),
            "higher last term wins"
        );
        assert!(
            !log.is_up_to_date(LogIndex(9), Term(1)),
            "longer but older loses"
        );
        assert!(
            log.is_up_to_date(LogIndex(3), Term(2)),
            "equal is up-to-date"
        );
        assert!(!log.is_up_to_date(LogIndex(2), Term(2)));
    }

    #[test]
    fn compaction_keeps_positions() {
        let mut log = log_of(&[1, 1, 2, 2, 3]);
        log.compact_to(LogIndex(3), Term(2));
        assert_eq!(log.last_index(), LogIndex(5));
        assert_eq!(log.term_at(LogIndex(3)), Some(Term(2)));
        assert_eq!(log.term_at(LogIndex(2)), None);
        assert_eq!(log.entry(LogIndex(4)).map(|e| e.term), Some(Term(2)));
        assert_eq!(log.slice(LogIndex(1), LogIndex(9), 10).len(), 2);
        log.truncate_from(LogIndex(5));
        assert_eq!(log.last_index(), LogIndex(4));
    }

    #[test]
    fn conflict_hints() {
        let log = log_of(&[1, 2, 2, 2, 3]);
        assert_eq!(log.first_index_of_term(Term(2), LogIndex(4)), LogIndex(2));
        assert_eq!(log.last_index_of_term(Term(2)), Some(LogIndex(4)));
        assert_eq!(log.last_index_of_term(Term(7)), None);
    }
}
