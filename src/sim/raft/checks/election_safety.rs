//! Election Safety (Raft paper, Figure 3 and section 5.2): at most one leader per term.

use super::detail::Detail;
use super::property::{Finding, Property};
use crate::sim::raft::effect::Role;
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::TraceEvent;
use crate::sim::types::{NodeId, Term};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct ElectionSafety {
    leaders: BTreeMap<Term, NodeId>,
}

impl ElectionSafety {
    pub fn observe(&mut self, event: &TraceEvent) -> Option<Finding> {
        let TraceEvent::Protocol(RaftEvent::Role {
            node,
            term,
            role: Role::Leader,
        }) = event
        else {
            return None;
        };
        match self.leaders.get(term) {
            Some(first) if first != node => Some(Finding {
                property: Property::ElectionSafety,
                nodes: vec![*first, *node],
                index: None,
                term: Some(*term),
                detail: Box::new(Detail::SecondLeader {
                    node: *node,
                    first: *first,
                    term: *term,
                }),
            }),
            _ => {
                self.leaders.insert(*term, *node);
                None
            }
        }
    }
}
