//! What the senders accepted, read from their `accept` lines: the content each delivery must
//! match and the messages liveness waits for. Not a property itself.

use crate::sim::retransmit::message::Seq;
use crate::sim::retransmit::note::Note;
use crate::sim::types::{Micros, NodeId};
use std::collections::BTreeMap;

/// One accepted message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub sender: NodeId,
    pub payload: u32,
    pub t: Micros,
    /// Position of its first `accept` line.
    pub line: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Ledger {
    /// By (pair, seq). A sender whose disk lost its last records accepts a message again, with
    /// the same content; the first acceptance is kept.
    accepted: BTreeMap<(u32, Seq), Accepted>,
    /// Pairs whose application handed over its last message, and that message.
    last: BTreeMap<u32, Seq>,
    /// The latest crash, restart, partition, heal, cut or repair.
    last_fault_t: Option<Micros>,
}

impl Ledger {
    pub fn observe(&mut self, note: &Note, t: Micros, line: u64) {
        if let Note::Accept {
            node,
            pair,
            seq,
            payload,
            last,
        } = *note
        {
            self.accepted.entry((pair, seq)).or_insert(Accepted {
                sender: node,
                payload,
                t,
                line,
            });
            if last {
                self.last.insert(pair, seq);
            }
        }
    }

    pub fn fault_at(&mut self, t: Micros) {
        self.last_fault_t = Some(t);
    }

    pub fn get(&self, pair: u32, seq: Seq) -> Option<&Accepted> {
        self.accepted.get(&(pair, seq))
    }

    /// Every accepted message, by pair and then sequence number.
    pub fn iter(&self) -> impl Iterator<Item = (u32, Seq, &Accepted)> + '_ {
        self.accepted
            .iter()
            .map(|((pair, seq), a)| (*pair, *seq, a))
    }

    /// Whether `pair`'s application handed over all its messages (a bounded run).
    pub fn finished(&self, pair: u32) -> bool {
        self.last.contains_key(&pair)
    }

    pub fn last_fault_t(&self) -> Option<Micros> {
        self.last_fault_t
    }
}
