//! Agreement ("Paxos Made Simple", section 2.1: "only a single value is chosen"), computed
//! from the acceptors' own `paxos_accepted` lines, never from what proposers or learners
//! believe: a value is chosen in a slot when a majority of acceptors accepted it under one
//! ballot (section 2.2). Once chosen, a slot must never get another value under any later
//! ballot. It also keeps, for the client checks, the sequential store that the chosen
//! commands give in slot order (the witness of linearizability).

use super::property::{Detail, Finding, Property};
use crate::sim::kv::{KvStore, Origin, Outcome};
use crate::sim::paxos::note::Note;
use crate::sim::paxos::types::{majority, Ballot, Slot, Value};
use crate::sim::types::{LogIndex, NodeId};
use std::collections::{BTreeMap, BTreeSet};

/// The acceptors that accepted one value under one ballot in one slot.
type Voters = (Value, BTreeSet<NodeId>);

#[derive(Clone, Debug, Default)]
pub struct Agreement {
    /// The cluster's size, from the `paxos_boot` lines.
    nodes: u32,
    /// Per slot and ballot, each value accepted under it and by whom.
    votes: BTreeMap<(Slot, Ballot), Vec<Voters>>,
    /// Each slot's chosen value, the ballot and the line that chose it.
    pub chosen: BTreeMap<Slot, (Value, Ballot, u64)>,
    /// The store the chosen commands give, applied in slot order up to `applied`.
    store: KvStore,
    applied: Slot,
    /// What each command gave where it first took effect.
    pub outcomes: BTreeMap<LogIndex, Outcome>,
}

impl Agreement {
    /// Reads one line; returns a second value chosen in a slot, and any value chosen by it.
    pub fn observe(
        &mut self,
        note: &Note,
        line: u64,
    ) -> (Option<Finding>, Option<(Slot, Value, Ballot)>) {
        let (node, ballot, slot, value) = match note {
            Note::PaxosBoot { nodes, .. } => {
                self.nodes = self.nodes.max(*nodes);
                return (None, None);
            }
            Note::PaxosAccepted {
                node,
                ballot,
                slot,
                value,
            } => (*node, *ballot, *slot, value),
            _ => return (None, None),
        };
        let values = self.votes.entry((slot, ballot)).or_default();
        let at = match values.iter().position(|(v, _)| v == value) {
            Some(at) => at,
            None => {
                values.push((value.clone(), BTreeSet::new()));
                values.len() - 1
            }
        };
        let voters = &mut values[at].1;
        if !voters.insert(node) || voters.len() != majority(self.nodes) {
            return (None, None);
        }
        let voters: Vec<NodeId> = voters.iter().copied().collect();
        if let Some((first, first_ballot, first_line)) = self.chosen.get(&slot) {
            if first == value {
                return (None, None);
            }
            let finding = Finding {
                property: Property::Agreement,
                nodes: voters,
                slot,
                detail: Detail::TwoChosen {
                    first: first.clone(),
                    first_ballot: *first_ballot,
                    first_line: *first_line,
                    second: value.clone(),
                    second_ballot: ballot,
                },
            };
            return (Some(finding), None);
        }
        self.chosen.insert(slot, (value.clone(), ballot, line));
        self.apply_chosen();
        (None, Some((slot, value.clone(), ballot)))
    }

    /// Applies the chosen commands that are next in slot order to the reference store.
    fn apply_chosen(&mut self) {
        while let Some((value, _, _)) = self.chosen.get(&(self.applied + 1)) {
            self.applied += 1;
            if let Value::Command {
                client,
                request,
                cmd,
            } = value
            {
                let origin = Origin {
                    client: *client,
                    request: *request,
                };
                let outcome = self.store.apply(LogIndex(self.applied), cmd, Some(origin));
                self.outcomes.entry(outcome.index).or_insert(outcome);
            }
        }
    }
}
