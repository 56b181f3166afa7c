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
