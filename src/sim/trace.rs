//! The trace: what happened in a run, line by line (docs/trace-format.md), kept in shared
//! chunks so that a checkpoint of a long run copies little. The page, the CLI, the safety
//! checks and the tests all read the same events; writing and reading them as JSON Lines is
//! `codec::trace_jsonl`.

use crate::sim::protocol::{Line, Protocol};

// A Raft run's trace lines by the short names the page and the tests use; they are defined
// with Raft (`raft/types.rs`), as the ring store's are with it.
pub use crate::sim::raft::TraceEvent;
pub use crate::sim::raft::TraceLine;

// The hash runs are compared by (tests pin a trace's), by the path they know it under.
pub use crate::sim::fnv::fnv1a;

/// Trace lines per shared chunk.
const CHUNK_LINES: usize = 4096;

/// The trace of a run, kept in shared chunks: cloning a simulation (a checkpoint for rewinding)
/// copies at most one chunk, however long the trace.
#[derive(Clone, Debug)]
pub struct Trace<P: Protocol> {
    full: Vec<std::rc::Rc<Vec<Line<P>>>>,
    tail: Vec<Line<P>>,
}

impl<P: Protocol> Default for Trace<P> {
    fn default() -> Self {
        Trace {
            full: Vec::new(),
            tail: Vec::new(),
        }
    }
}

impl<P: Protocol> Trace<P> {
    pub fn push(&mut self, line: Line<P>) {
        self.tail.push(line);
        if self.tail.len() == CHUNK_LINES {
            let chunk = std::mem::replace(&mut self.tail, Vec::with_capacity(CHUNK_LINES));
            self.full.push(std::rc::Rc::new(chunk));
        }
    }

    pub fn len(&self) -> usize {
        self.full.len() * CHUNK_LINES + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The line at position `i` (0-based).
    pub fn get(&self, i: usize) -> Option<&Line<P>> {
        match self.full.get(i / CHUNK_LINES) {
            Some(chunk) => chunk.get(i % CHUNK_LINES),
            None => self.tail.get(i - self.full.len() * CHUNK_LINES),
        }
    }

    pub fn last(&self) -> Option<&Line<P>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// Every line in order; also from the back, and with cheap `skip`.
    pub fn iter(&self) -> TraceIter<'_, P> {
        TraceIter {
            trace: self,
            front: 0,
            back: self.len(),
        }
    }
}

impl<'a, P: Protocol> IntoIterator for &'a Trace<P> {
    type Item = &'a Line<P>;
    type IntoIter = TraceIter<'a, P>;
    fn into_iter(self) -> TraceIter<'a, P> {
        self.iter()
    }
}

pub struct TraceIter<'a, P: Protocol> {
    trace: &'a Trace<P>,
    front: usize,
    back: usize,
}

impl<'a, P: Protocol> Iterator for TraceIter<'a, P> {
    type Item = &'a Line<P>;
    fn next(&mut self) -> Option<&'a Line<P>> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.trace.get(self.front - 1)
    }
    fn nth(&mut self, n: usize) -> Option<&'a Line<P>> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.back - self.front;
        (left, Some(left))
    }
}

impl<P: Protocol> DoubleEndedIterator for TraceIter<'_, P> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.trace.get(self.back)
    }
}

impl<P: Protocol> ExactSizeIterator for TraceIter<'_, P> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::raft::Raft;

    #[test]
    fn chunked_trace_indexes_and_iterates_both_ways() {
        let mut trace = Trace::<Raft>::default();
        let n = CHUNK_LINES * 2 + 10;
        for t in 0..n as u64 {
            trace.push(TraceLine {
                t,
                event: TraceEvent::Heal {},
            });
        }
        assert_eq!(trace.len(), n);
        assert_eq!(
            trace.get(CHUNK_LINES).map(|l| l.t),
            Some(CHUNK_LINES as u64)
        );
        assert_eq!(trace.last().map(|l| l.t), Some(n as u64 - 1));
        assert_eq!(trace.iter().next_back().map(|l| l.t), Some(n as u64 - 1));
        assert_eq!(
            trace.iter().skip(n - 3).map(|l| l.t).collect::<Vec<_>>(),
            [n as u64 - 3, n as u64 - 2, n as u64 - 1]
        );
        let copy = trace.clone();
        assert!(
            std::rc::Rc::ptr_eq(&copy.full[0], &trace.full[0]),
            "chunks are shared, not copied"
        );
        assert_eq!(copy.iter().count(), n);
    }
}
