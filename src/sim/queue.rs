//! The event queue: events ordered by (time, class, sequence number), so that ties resolve
//! the same way on every run and every platform.

use crate::sim::types::Micros;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

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

#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Scheduled<E>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
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
        self.heap.push(Scheduled {
            at_us,
            class_seq: ((class as u64) << CLASS_SHIFT) | seq,
            event,
        });
    }

    /// The time of the earliest event.
    pub fn peek_time(&self) -> Option<Micros> {
        self.heap.peek().map(|s| s.at_us)
    }

    pub fn pop(&mut self) -> Option<(Micros, E)> {
        self.heap.pop().map(|s| (s.at_us, s.event))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
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
}
