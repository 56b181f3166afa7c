//! Messages on the wire, by id. Ids only grow, so a deque indexed from (about) the oldest
//! message still in flight gives constant-time insert, lookup and removal, in id order.

use crate::sim::types::{Addr, Micros, MsgId};
use std::collections::VecDeque;

/// A message on the wire, kept so the page can draw it between its send and delivery.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight<M> {
    pub id: MsgId,
    pub from: Addr,
    pub to: Addr,
    pub msg: M,
    pub sent_us: Micros,
    /// Every delivery still to come (two for a duplicated message).
    pub deliver_us: Vec<Micros>,
}

#[derive(Clone, Debug)]
pub struct Flights<M> {
    /// The id of `slots[0]`.
    first: u64,
    slots: VecDeque<Option<Flight<M>>>,
    /// How many slots hold a message; the others were emptied and wait to be trimmed.
    in_flight: usize,
    /// Emptied `deliver_us` vectors of delivered messages, reused for the next sends so that
    /// a message costs no allocation for its delivery times.
    spare_deliveries: Vec<Vec<Micros>>,
}

/// Enough spare delivery vectors for every message in flight on a busy nine-node cluster.
const SPARE_DELIVERIES_MAX: usize = 256;

/// Emptied slots are trimmed from the front once they outnumber the messages in flight by
/// this much: in bulk, rather than after every delivery, where whether the oldest message
/// had just left was a coin toss the processor mispredicted half the time.
const EMPTIED_SLOTS_SLACK: usize = 64;

impl<M> Default for Flights<M> {
    fn default() -> Self {
        Flights {
            first: 0,
            slots: VecDeque::new(),
            in_flight: 0,
            spare_deliveries: Vec::new(),
        }
    }
}

impl<M: Clone> Flights<M> {
    /// An empty vector for a new message's delivery times.
    pub fn deliveries_buffer(&mut self) -> Vec<Micros> {
        self.spare_deliveries.pop().unwrap_or_default()
    }

    /// Takes back the delivery-time vector of a message that has left the wire.
    pub fn recycle(&mut self, mut deliver_us: Vec<Micros>) {
        if self.spare_deliveries.len() < SPARE_DELIVERIES_MAX {
            deliver_us.clear();
            self.spare_deliveries.push(deliver_us);
        }
    }

    /// Adds a message; its id must be above every id added before.
    pub fn insert(&mut self, flight: Flight<M>) {
        if self.slots.is_empty() {
            self.first = flight.id.0;
        }
        let index = (flight.id.0 - self.first) as usize;
        while self.slots.len() < index {
            self.slots.push_back(None);
        }
        self.slots.push_back(Some(flight));
        self.in_flight += 1;
    }

    fn index(&self, id: MsgId) -> Option<usize> {
        let offset = id.0.checked_sub(self.first)? as usize;
        (offset < self.slots.len()).then_some(offset)
    }

    pub fn get(&self, id: MsgId) -> Option<&Flight<M>> {
        let i = self.index(id)?;
        self.slots[i].as_ref()
    }

    #[cfg(test)]
    pub fn get_mut(&mut self, id: MsgId) -> Option<&mut Flight<M>> {
        let i = self.index(id)?;
        self.slots[i].as_mut()
    }

    pub fn remove(&mut self, id: MsgId) -> Option<Flight<M>> {
        let i = self.index(id)?;
        let flight = self.slots[i].take()?;
        self.emptied_one();
        Some(flight)
    }

    /// The message `id` arrives at `now_us`: returns its sender, receiver and content, and
    /// takes it off the wire unless a duplicate is still to come. One lookup, and only the
    /// message is moved out, which matters as this runs for every delivery.
    pub fn arrive(&mut self, id: MsgId, now_us: Micros) -> Option<(Addr, Addr, M)> {
        let i = self.index(id)?;
        let slot = &mut self.slots[i];
        let flight = slot.as_mut()?;
        // One delivery at a time: a duplicate due at the same microsecond (a constant latency
        // draws the same delay twice) has its own queued event and must still arrive.
        if let Some(k) = flight.deliver_us.iter().position(|at| *at == now_us) {
            flight.deliver_us.swap_remove(k);
        }
        if !flight.deliver_us.is_empty() {
            return Some((flight.from, flight.to, flight.msg.clone()));
        }
        let Flight {
            from,
            to,
            msg,
            deliver_us,
            ..
        } = slot.take()?;
        self.recycle(deliver_us);
        self.emptied_one();
        Some((from, to, msg))
    }

    /// A slot was emptied: drops the emptied slots at the front when they have piled up, so
    /// that the deque stays about as long as the messages in flight span.
    fn emptied_one(&mut self) {
        self.in_flight -= 1;
        if self.slots.len() > 2 * self.in_flight + EMPTIED_SLOTS_SLACK {
            // Counted, then dropped in place: popping them one by one would move each out.
            let emptied = self.slots.iter().take_while(|s| s.is_none()).count();
            self.slots.drain(..emptied);
            self.first += emptied as u64;
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Flight<M>> {
        self.slots.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::raft::Message;
    use crate::sim::types::{NodeId, Term};

    fn flight(id: u64) -> Flight<Message> {
        Flight {
            id: MsgId(id),
            from: Addr::Node(NodeId(1)),
            to: Addr::Node(NodeId(2)),
            msg: Message::TimeoutNow {
                term: Term(1),
                leader: NodeId(1),
            },
            sent_us: 0,
            deliver_us: vec![1],
        }
    }

    #[test]
    fn insert_remove_in_any_order() {
        let mut f = Flights::default();
        for id in [3, 4, 7, 8] {
            f.insert(flight(id));
        }
        assert_eq!(f.iter().count(), 4);
        assert!(f.remove(MsgId(7)).is_some());
        assert!(f.remove(MsgId(7)).is_none());
        assert!(f.remove(MsgId(5)).is_none(), "never sent");
        assert!(f.remove(MsgId(3)).is_some());
        let ids: Vec<u64> = f.iter().map(|x| x.id.0).collect();
        assert_eq!(ids, [4, 8]);
        assert!(f.get_mut(MsgId(8)).is_some());
        f.remove(MsgId(4));
        f.remove(MsgId(8));
        assert_eq!(f.iter().count(), 0);
        f.insert(flight(20));
        assert_eq!(f.iter().count(), 1);
    }
}

#[cfg(test)]
mod same_time_tests {
    use super::*;

    #[test]
    fn a_duplicate_due_at_the_same_moment_still_arrives() {
        let mut f: Flights<u8> = Flights::default();
        f.insert(Flight {
            id: MsgId(0),
            from: Addr::Node(crate::sim::types::NodeId(1)),
            to: Addr::Node(crate::sim::types::NodeId(2)),
            msg: 7,
            sent_us: 0,
            deliver_us: vec![30, 30],
        });
        assert!(f.arrive(MsgId(0), 30).is_some());
        assert!(
            f.arrive(MsgId(0), 30).is_some(),
            "the second copy arrives too"
        );
        assert!(f.arrive(MsgId(0), 30).is_none());
    }
}
