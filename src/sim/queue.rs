//! The event queue: events ordered by (time, class, sequence number), so that ties resolve
//! the same way on every run and every platform.

use crate::sim::types::Micros;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// Events at the same instant run internal events first, then user actions, so that an
/// action recorded "at t" sees the world exactly as the learner saw it at t.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Internal = 0,
    Action = 1,
}

/// The class sits in the top bit of `Scheduled::class_seq`, above the sequence number.
const CLASS_SHIFT: u32 = 63;

#[derive(Clone, Debug)]
struct Scheduled<E> {
    at_us: Micros,
    /// The class in the top bit and the sequence number below it: comparing this one integer
    /// orders events of the same time exactly as comparing (class, seq) would, and keeps the
    /// heap's comparisons to two integer compares, the hottest code of the engine.
    class_seq: u64,
    event: E,
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl<E> Eq for Scheduled<E> {}
impl<E> PartialOrd for Scheduled<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Scheduled<E> {
    /// Reversed, so that the max-heap pops the earliest event.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}
impl<E> Scheduled<E> {
    /// Time, class and sequence number as one integer, compared without branches.
    fn key(&self) -> u128 {
        ((self.at_us as u128) << 64) | self.class_seq as u128
    }
}

/// The earliest events first. Events pushed in increasing order, as the clients' request
/// timeouts are (each is "now plus the same timeout"), wait in a plain FIFO instead of the
/// heap: under load most queued events are such timeouts, long superseded, and keeping them
/// out of the heap keeps it shallow. A pop takes the earlier of the two fronts, so the
/// order is exactly the (time, class, seq) order whichever side an event waits on.
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Scheduled<E>>,
    /// In increasing key order: an event goes here when its key is above the last one's.
    in_order: VecDeque<Scheduled<E>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            in_order: VecDeque::new(),
            next_seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    pub fn push(&mut self, at_us: Micros, class: Class, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        // 2^63 events would take centuries at any speed; the class bit stays clear of it.
        debug_assert!(seq < 1 << CLASS_SHIFT);
        let scheduled = Scheduled {
            at_us,
            class_seq: ((class as u64) << CLASS_SHIFT) | seq,
            event,
        };
        if self
            .in_order
            .back()
            .is_none_or(|last| last.key() < scheduled.key())
        {
            self.in_order.push_back(scheduled);
        } else {
            self.heap.push(scheduled);
        }
    }

    /// The time of the earliest event.
    pub fn peek_time(&self) -> Option<Micros> {
        self.earliest().map(|s| s.at_us)
    }

    pub fn pop(&mut self) -> Option<(Micros, E)> {
        let from_fifo = match (self.in_order.front(), self.heap.peek()) {
            (Some(fifo), Some(heap)) => fifo.key() < heap.key(),
            (fifo, _) => fifo.is_some(),
        };
        let scheduled = if from_fifo {
            self.in_order.pop_front()
        } else {
            self.heap.pop()
        };
        scheduled.map(|s| (s.at_us, s.event))
    }

    pub fn len(&self) -> usize {
        self.heap.len() + self.in_order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty() && self.in_order.is_empty()
    }

    fn earliest(&self) -> Option<&Scheduled<E>> {
        match (self.in_order.front(), self.heap.peek()) {
            (Some(fifo), Some(heap)) => Some(if fifo.key() < heap.key() { fifo } else { heap }),
            (fifo, heap) => fifo.or(heap),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_class_then_insertion() {
        let mut q = EventQueue::default();
        q.push(5, Class::Action, "action@5");
        q.push(5, Class::Internal, "a@5");
        q.push(1, Class::Internal, "b@1");
        q.push(5, Class::Internal, "c@5");
        let order: Vec<&str> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["b@1", "a@5", "c@5", "action@5"]);
    }

    /// Whichever side an event waits on (heap or FIFO), pops follow (time, class, seq)
    /// exactly: checked against a sorted map over a long mix of pushes and pops, with
    /// in-order runs (like client timeouts), random times and same-time ties.
    #[test]
    fn pops_in_key_order_against_a_sorted_model() {
        use crate::sim::rng::{SimRng, Stream};
        use std::collections::BTreeMap;
        let mut rng = SimRng::stream(11, Stream::Workload);
        let mut queue = EventQueue::default();
        let mut model = BTreeMap::new();
        let (mut now, mut seq, mut timeout_at) = (0u64, 0u64, 0u64);
        for _ in 0..20_000 {
            if rng.below(3) > 0 {
                let class = if rng.below(10) == 0 {
                    Class::Action
                } else {
                    Class::Internal
                };
                let at = match rng.below(4) {
                    0 => now,
                    1 => {
                        timeout_at = timeout_at.max(now + 400);
                        timeout_at
                    }
                    _ => now + rng.below(50),
                };
                queue.push(at, class, seq);
                model.insert((at, class, seq), seq);
                seq += 1;
            } else {
                let expected = model.pop_first().map(|((at, _, _), e)| (at, e));
                assert_eq!(queue.peek_time(), expected.map(|(at, _)| at));
                assert_eq!(queue.pop(), expected);
                if let Some((at, _)) = expected {
                    now = at;
                }
            }
            assert_eq!(queue.len(), model.len());
        }
    }
}
