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
    /// Position of the latest crash, restart, partition, heal, cut or repair line.
    last_fault_line: Option<u64>,
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

    pub fn fault_at(&mut self, line: u64) {
        self.last_fault_line = Some(line);
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

    /// Whether `accepted` came before the last fault line (in trace order, since a restarted
    /// sender may accept a new message at the very time it restarts).
    pub fn before_last_fault(&self, accepted: &Accepted) -> bool {
        self.last_fault_line
            .is_some_and(|fault| accepted.line < fault)
    }
}
