//! What every proposer does, in single-decree Paxos and in Multi-Paxos alike ("Paxos Made
//! Simple", section 2.2): pick a ballot higher than any it has tried or heard of (logging its
//! round first, section 2.5), send prepare requests (phase 1a), count the promises, and
//! abandon its ballot when it hears of a higher one ("it's probably a good idea to abandon a
//! proposal if some proposer has begun trying to issue a higher-numbered one", section 2.2).
//! What it does once phase 1 succeeds differs: `single.rs` proposes one value, `leader.rs`
//! leads every later slot.

use super::message::Message;
use super::note::Note;
use super::phase::Phase;
use super::record::Record;
use super::types::{majority, AcceptedEntry, Ballot, Out, Slot, Value};
use crate::sim::protocol::Effect;
use crate::sim::types::{Addr, NodeId};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Proposer {
    /// The highest round it has tried (logged before its prepare requests leave).
    pub round: u64,
    /// The highest round it has heard of in anyone's ballot.
    pub highest_seen: u64,
    /// Ballots abandoned in a row with nothing learned in between.
    pub streak: u32,
    pub phase: Phase,
}

impl Proposer {
    /// A restarted proposer's highest round, from its log.
    pub fn recover(disk: &[Record]) -> Proposer {
        let round = disk
            .iter()
            .filter_map(|r| match r {
                Record::Round { round } => Some(*round),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        Proposer {
            round,
            highest_seen: round,
            ..Proposer::default()
        }
    }

    /// The ballot it is proposing or leading under, if any.
    pub fn ballot(&self) -> Option<Ballot> {
        match &self.phase {
            Phase::Preparing { ballot, .. } | Phase::Accepting { ballot, .. } => Some(*ballot),
            Phase::Leading(leader) => Some(leader.ballot),
            Phase::Idle | Phase::Done => None,
        }
    }

    /// Notes a ballot heard of; returns the ballot it must abandon when `seen` is higher than
    /// its own.
    pub fn hear(&mut self, seen: Ballot) -> Option<Ballot> {
        self.highest_seen = self.highest_seen.max(seen.round);
        self.ballot().filter(|own| *own < seen)
    }

    /// Phase 1a: a ballot above every round it has tried or heard of (and above its own
    /// acceptor's promise), logged, then prepare requests to every acceptor.
    pub fn prepare(
        &mut self,
        id: NodeId,
        nodes: u32,
        promised: Ballot,
        from_slot: Slot,
        out: &mut Out,
    ) -> Ballot {
        self.round = self.round.max(self.highest_seen).max(promised.round) + 1;
        let ballot = Ballot {
            round: self.round,
            proposer: id,
        };
        out.push(Effect::Persist(Record::Round { round: self.round }));
        out.push(Effect::Note(Note::PaxosPrepare {
            node: id,
            ballot,
            from_slot,
        }));
        broadcast(nodes, None, Message::Prepare { ballot, from_slot }, out);
        self.phase = Phase::Preparing {
            ballot,
            from_slot,
            promises: BTreeMap::new(),
        };
        ballot
    }

    /// Counts a promise for its current phase 1; once a majority has promised, returns the
    /// ballot, the first slot and every promise's reported proposals.
    pub fn promised(
        &mut self,
        from: NodeId,
        ballot: Ballot,
        accepted: Vec<AcceptedEntry>,
        nodes: u32,
    ) -> Option<(Ballot, Slot, BTreeMap<NodeId, Vec<AcceptedEntry>>)> {
        let Phase::Preparing {
            ballot: own,
            from_slot,
            promises,
        } = &mut self.phase
        else {
            return None;
        };
        if *own != ballot {
            return None;
        }
        promises.insert(from, accepted);
        if promises.len() < majority(nodes) {
            return None;
        }
        let (ballot, from_slot) = (*own, *from_slot);
        let promises = std::mem::take(promises);
        Some((ballot, from_slot, promises))
    }

    /// Abandons `ballot` for `by`; the caller decides what comes next.
    pub fn abandon(
        &mut self,
        id: NodeId,
        ballot: Ballot,
        by: Ballot,
        retry_us: Option<u64>,
        out: &mut Out,
    ) {
        self.streak += 1;
        self.highest_seen = self.highest_seen.max(by.round);
        self.phase = Phase::Idle;
        out.push(Effect::Note(Note::PaxosPreempted {
            node: id,
            ballot,
            by,
            streak: self.streak,
            retry_us,
        }));
    }
}

/// Per slot, the value of the highest-numbered proposal any promise reported (rule P2c:
/// the value a proposer must propose in that slot).
pub fn highest_accepted(
    promises: &BTreeMap<NodeId, Vec<AcceptedEntry>>,
) -> BTreeMap<Slot, (Ballot, Value)> {
    let mut highest: BTreeMap<Slot, (Ballot, Value)> = BTreeMap::new();
    for entry in promises.values().flatten() {
        let better = highest
            .get(&entry.slot)
            .is_none_or(|(b, _)| entry.ballot > *b);
        if better {
            highest.insert(entry.slot, (entry.ballot, entry.value.clone()));
        }
    }
    highest
}

/// Phase 2a for one slot: the note (with the ballot whose reported value it adopted, if
/// any), then the accept request to every acceptor.
pub fn propose(
    id: NodeId,
    nodes: u32,
    ballot: Ballot,
    slot: Slot,
    value: &Value,
    adopted: Option<Ballot>,
    out: &mut Out,
) {
    out.push(Effect::Note(Note::PaxosPropose {
        node: id,
        ballot,
        slot,
        value: value.clone(),
        adopted,
    }));
    let msg = Message::Accept {
        ballot,
        slot,
        value: value.clone(),
    };
    broadcast(nodes, None, msg, out);
}

/// Sends `msg` to every node of `1..=nodes` but `except`.
pub fn broadcast(nodes: u32, except: Option<NodeId>, msg: Message, out: &mut Out) {
    for n in (1..=nodes).map(NodeId).filter(|n| Some(*n) != except) {
        out.push(Effect::Send {
            to: Addr::Node(n),
            msg: msg.clone(),
        });
    }
}
