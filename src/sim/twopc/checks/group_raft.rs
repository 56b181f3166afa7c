//! The coordinator group's Raft keeps Raft's own safety properties (Election Safety, Leader
//! Append-Only, Log Matching, Leader Completeness, State Machine Safety; Raft paper, Figure
//! 3): Raft's checks (`sim::raft::checks`) run over the group's `group_raft` lines, with the
//! crashes and restarts of its members, as they run over a Raft run's trace.

use super::property::{Detail, Finding, Property};
use crate::sim::protocol::{Event, Line};
use crate::sim::raft::checks::Checker;
use crate::sim::raft::Raft;
use crate::sim::twopc::note::Note;
use crate::sim::twopc::types::TwoPc;
use crate::sim::types::{Micros, NodeId};
use std::collections::BTreeSet;

#[derive(Clone, Debug, Default)]
pub struct GroupRaftSafety {
    raft: Checker,
    members: BTreeSet<NodeId>,
}

impl GroupRaftSafety {
    pub fn observe(&mut self, event: &Event<TwoPc>, t: Micros, position: u64) -> Option<Finding> {
        let inner: Event<Raft> = match event {
            Event::Protocol(Note::GroupRaft { event }) => {
                if let Some(node) = event.node() {
                    self.members.insert(node);
                }
                Event::Protocol(event.clone())
            }
            Event::Crash { node } if self.members.contains(node) => Event::Crash { node: *node },
            Event::Restart { node } if self.members.contains(node) => {
                Event::Restart { node: *node }
            }
            _ => return None,
        };
        let line = Line { t, event: inner };
        let v = self.raft.observe(&line, position)?;
        Some(Finding {
            property: Property::GroupRaftSafety,
            nodes: v.nodes.clone(),
            txn: 0,
            detail: Detail::GroupRaft {
                text: v.to_string(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::raft::{RaftEvent, Role};
    use crate::sim::types::Term;

    fn leader(node: u32, term: u64) -> Event<TwoPc> {
        Event::Protocol(Note::GroupRaft {
            event: RaftEvent::Role {
                node: NodeId(node),
                term: Term(term),
                role: Role::Leader,
            },
        })
    }

    /// Raft paper, Figure 3, Election Safety: two members leading in one term is caught from
    /// the group's lines, as it is in a Raft run.
    #[test]
    fn two_leaders_in_one_term_break_election_safety() {
        let mut g = GroupRaftSafety::default();
        assert!(g.observe(&leader(1, 2), 10, 0).is_none());
        assert!(g.observe(&leader(5, 3), 20, 1).is_none());
        let found = g.observe(&leader(6, 3), 30, 2).expect("caught");
        assert_eq!(found.property, Property::GroupRaftSafety);
        let Detail::GroupRaft { text } = found.detail else {
            panic!("{:?}", found.detail);
        };
        assert!(text.contains("Election Safety"), "{text}");
    }
}
