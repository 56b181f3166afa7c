//! The acceptor ("Paxos Made Simple", section 2.2): it promises, in answer to a prepare
//! request numbered n, never again to accept a proposal numbered below n, reporting the
//! highest-numbered proposal it has accepted (phase 1b); it accepts a proposal unless it has
//! promised a higher number (phase 2b, rule P1a). Both are logged before the answer leaves
//! (section 2.5), so a restarted acceptor keeps its word. In Multi-Paxos one promise covers
//! every slot (section 3) and the acceptor keeps one accepted proposal per slot.

use super::config::Bugs;
use super::message::Message;
use super::note::Note;
use super::record::Record;
use super::types::{AcceptedEntry, Ballot, Out, Slot, Value};
use crate::sim::protocol::Effect;
use crate::sim::types::{Addr, NodeId};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Acceptor {
    /// The highest ballot it promised (or accepted under).
    pub promised: Ballot,
    /// Per slot, the highest-numbered proposal it accepted.
    pub accepted: BTreeMap<Slot, (Ballot, Value)>,
}

impl Acceptor {
    /// What a restarted acceptor reads back: the highest promise and, per slot, the last
    /// proposal it accepted. Accepting under a ballot promises it too.
    pub fn recover(disk: &[Record]) -> Acceptor {
        let mut a = Acceptor::default();
        for record in disk {
            match record {
                Record::Promised { ballot } => a.promised = a.promised.max(*ballot),
                Record::Accepted {
                    slot,
                    ballot,
                    value,
                } => {
                    a.promised = a.promised.max(*ballot);
                    a.accepted.insert(*slot, (*ballot, value.clone()));
                }
                Record::Round { .. } => {}
            }
        }
        a
    }

    /// Phase 1b. A ballot equal to the promise is a copy of the same proposer's request (no
    /// two proposers share a ballot) and is answered again. Slots in `learned` (the node's
    /// learner's) are reported as chosen. Returns whether it promised.
    #[allow(clippy::too_many_arguments)]
    pub fn on_prepare(
        &mut self,
        id: NodeId,
        from: NodeId,
        ballot: Ballot,
        from_slot: Slot,
        learned: &BTreeMap<Slot, Value>,
        bugs: &Bugs,
        out: &mut Out,
    ) -> bool {
        if ballot < self.promised {
            self.reject(id, from, ballot, 1, out);
            return false;
        }
        if ballot > self.promised {
            self.promised = ballot;
            if !bugs.forget_promise_on_crash {
                out.push(Effect::Persist(Record::Promised { ballot }));
            }
        }
        let accepted: Vec<AcceptedEntry> = self
            .accepted
            .range(from_slot..)
            .map(|(slot, (b, value))| match learned.get(slot) {
                Some(chosen) => AcceptedEntry {
                    slot: *slot,
                    ballot: *b,
                    value: chosen.clone(),
                    chosen: true,
                },
                None => AcceptedEntry {
                    slot: *slot,
                    ballot: *b,
                    value: value.clone(),
                    chosen: false,
                },
            })
            .collect();
        out.push(Effect::Note(Note::PaxosPromise {
            node: id,
            ballot,
            accepted: accepted.len() as u64,
        }));
        out.push(Effect::Send {
            to: Addr::Node(from),
            msg: Message::Promise {
                ballot,
                from_slot,
                accepted,
            },
        });
        true
    }

    /// Phase 2b: accepts unless it promised a higher ballot (under `accept-lower-ballot`,
    /// whatever it promised). A copy of a request it already accepted is answered again
    /// without a second write.
    #[allow(clippy::too_many_arguments)]
    pub fn on_accept(
        &mut self,
        id: NodeId,
        from: NodeId,
        ballot: Ballot,
        slot: Slot,
        value: Value,
        bugs: &Bugs,
        out: &mut Out,
    ) {
        if ballot < self.promised && !bugs.accept_lower_ballot {
            self.reject(id, from, ballot, 2, out);
            return;
        }
        let copy = self.accepted.get(&slot) == Some(&(ballot, value.clone()));
        if !copy {
            self.promised = self.promised.max(ballot);
            out.push(Effect::Persist(Record::Accepted {
                slot,
                ballot,
                value: value.clone(),
            }));
            out.push(Effect::Note(Note::PaxosAccepted {
                node: id,
                ballot,
                slot,
                value: value.clone(),
            }));
            self.accepted.insert(slot, (ballot, value));
        }
        out.push(Effect::Send {
            to: Addr::Node(from),
            msg: Message::Accepted { ballot, slot },
        });
    }

    /// Ignores a request below its promise and says so, so that the proposer can abandon it.
    fn reject(&self, id: NodeId, from: NodeId, ballot: Ballot, phase: u8, out: &mut Out) {
        out.push(Effect::Note(Note::PaxosReject {
            node: id,
            ballot,
            promised: self.promised,
            phase,
        }));
        out.push(Effect::Send {
            to: Addr::Node(from),
            msg: Message::Nack {
                ballot,
                promised: self.promised,
            },
        });
    }
}
