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

/// Width of one bucket of the wheel: 2^10 µs, about a millisecond.
const BUCKET_SHIFT: u32 = 10;
/// Buckets on the wheel, a power of two: they reach about half a second past the clock,
/// beyond every message latency, timer and client timeout of the default settings.
const BUCKETS: usize = 512;

/// The earliest events first: a timing wheel of one-millisecond buckets, each a short
/// unsorted list, with a heap for events beyond its reach. Under load a binary heap of all
/// queued events cost more than anything else in the engine; here a push appends to its
/// bucket and a pop scans the first non-empty bucket, a handful of events. The smallest
/// key is taken from the wheel or the heap, whichever is earlier, so the order is exactly
/// (time, class, seq) wherever an event waits.
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    /// The events of bucket `b` (time >> BUCKET_SHIFT) for `b` in `base..base + BUCKETS`,
    /// at `wheel[b % BUCKETS]`, in no order.
    wheel: Vec<Vec<Scheduled<E>>>,
    /// The bucket of the last event popped. Nothing is ever queued before that event (the
    /// clock never goes back), so every bucket before this one is empty.
    base: u64,
    on_wheel: usize,
    /// Events too far ahead for the wheel (or, defensively, before its base).
    beyond: BinaryHeap<Scheduled<E>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            wheel: (0..BUCKETS).map(|_| Vec::new()).collect(),
            base: 0,
            on_wheel: 0,
            beyond: BinaryHeap::new(),
            next_seq: 0,
        }
    }
}

/// Where the earliest event waits.
#[derive(Copy, Clone)]
enum Front {
    /// In `wheel[slot]` at `index`.
    Wheel {
        slot: usize,
        index: usize,
    },
    Beyond,
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
        let bucket = at_us >> BUCKET_SHIFT;
        match bucket.checked_sub(self.base) {
            Some(ahead) if ahead < BUCKETS as u64 => {
                self.wheel[bucket as usize % BUCKETS].push(scheduled);
                self.on_wheel += 1;
            }
            _ => self.beyond.push(scheduled),
        }
    }

    /// The time of the earliest event.
    pub fn peek_time(&self) -> Option<Micros> {
        self.front().map(|front| self.get(front).at_us)
    }

    pub fn pop(&mut self) -> Option<(Micros, E)> {
        self.pop_at_or_before(Micros::MAX)
    }

    /// Takes the earliest event if it is due at or before `t_us` (one search, where a
    /// `peek_time` and a `pop` would search twice).
    pub fn pop_at_or_before(&mut self, t_us: Micros) -> Option<(Micros, E)> {
        let front = self.front()?;
        if self.get(front).at_us > t_us {
            return None;
        }
        let scheduled = match front {
            Front::Wheel { slot, index } => {
                self.on_wheel -= 1;
                self.wheel[slot].swap_remove(index)
            }
            Front::Beyond => self.beyond.pop()?,
        };
        self.base = self.base.max(scheduled.at_us >> BUCKET_SHIFT);
        Some((scheduled.at_us, scheduled.event))
    }

    pub fn len(&self) -> usize {
        self.on_wheel + self.beyond.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, front: Front) -> &Scheduled<E> {
        match front {
            Front::Wheel { slot, index } => &self.wheel[slot][index],
            Front::Beyond => self.beyond.peek().expect("a front was found"),
        }
    }

    fn front(&self) -> Option<Front> {
        let on_wheel = self.wheel_front();
        match (on_wheel, self.beyond.peek()) {
            (Some(front), Some(beyond)) if beyond.key() < self.get(front).key() => {
                Some(Front::Beyond)
            }
            (Some(front), _) => Some(front),
            (None, Some(_)) => Some(Front::Beyond),
            (None, None) => None,
        }
    }

    /// The earliest event on the wheel: the smallest key of the first non-empty bucket.
    fn wheel_front(&self) -> Option<Front> {
        if self.on_wheel == 0 {
            return None;
        }
        (0..BUCKETS).find_map(|ahead| {
            let slot = (self.base as usize + ahead) % BUCKETS;
            let bucket = &self.wheel[slot];
            let first = bucket.first()?;
            let mut index = 0;
            let mut key = first.key();
            for (i, s) in bucket.iter().enumerate().skip(1) {
                if s.key() < key {
                    index = i;
                    key = s.key();
                }
            }
            Some(Front::Wheel { slot, index })
        })
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

    /// Wherever an event waits (a wheel bucket or the heap beyond), pops follow
    /// (time, class, seq) exactly: checked against a sorted map over a long mix of pushes
    /// and pops, with same-time ties, message-like delays, in-order timeouts, far-future
    /// events beyond the wheel, and idle stretches that leave the wheel's base behind.
    #[test]
    fn pops_in_key_order_against_a_sorted_model() {
        use crate::sim::rng::{SimRng, Stream};
        use std::collections::BTreeMap;
        let mut rng = SimRng::stream(11, Stream::Workload);
        let mut queue = EventQueue::default();
        let mut model = BTreeMap::new();
        let (mut now, mut seq, mut timeout_at) = (0u64, 0u64, 0u64);
        for step in 0..200_000 {
            if rng.below(3) > 0 {
                let class = if rng.below(10) == 0 {
                    Class::Action
                } else {
                    Class::Internal
                };
                let at = match rng.below(8) {
                    0 => now,
                    1 => {
                        timeout_at = timeout_at.max(now + 400_000);
                        timeout_at
                    }
                    2 => now + rng.below(2_000_000),
                    3 if step % 1000 == 0 => now + rng.below(60_000_000),
                    _ => now + 10_000 + rng.below(10_000),
                };
                queue.push(at, class, seq);
                model.insert((at, class, seq), seq);
                seq += 1;
            } else {
                let limit = match rng.below(100) {
                    0 => now + rng.below(5_000_000),
                    _ => Micros::MAX,
                };
                let due = model
                    .first_key_value()
                    .filter(|((at, _, _), _)| *at <= limit);
                let expected = due.map(|(&(at, _, _), &e)| (at, e));
                assert_eq!(
                    queue.peek_time(),
                    model.first_key_value().map(|((at, _, _), _)| *at)
                );
                assert_eq!(queue.pop_at_or_before(limit), expected);
                match expected {
                    Some((at, _)) => {
                        model.pop_first();
                        now = at;
                    }
                    // As run_until does: the clock moves on to the limit.
                    None if limit != Micros::MAX => now = now.max(limit),
                    None => {}
                }
            }
            assert_eq!(queue.len(), model.len());
        }
    }
}
