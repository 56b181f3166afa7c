//! State Machine Safety (Raft paper, Figure 3 and section 5.4.3): if a server has applied a
//! log entry at a given index, no other server ever applies a different entry there.
//! It also keeps the one sequence of applied entries that the client checks evaluate.

use super::detail::Detail;
use super::property::{Finding, Property};
use crate::sim::raft::kv::command_hash;
use crate::sim::raft::kv::{Command, KvStore, Origin, Outcome};
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::TraceEvent;
use crate::sim::types::{LogIndex, NodeId, Term};
use std::collections::BTreeMap;
use std::rc::Rc;

#[derive(Clone, Debug)]
pub struct AppliedEntry {
    pub term: Term,
    pub cmd: Rc<Command>,
    pub origin: Option<Origin>,
    pub hash: u64,
    pub first_node: NodeId,
}

#[derive(Clone, Debug, Default)]
pub struct StateMachineSafety {
    pub applied: BTreeMap<LogIndex, AppliedEntry>,
    /// The sequential model: the store after applying every index up to `model_index`, and
    /// the outcome each client operation had in it.
    model: KvStore,
    model_index: LogIndex,
    pub outcomes: BTreeMap<LogIndex, Outcome>,
}

impl StateMachineSafety {
    pub fn observe(&mut self, event: &TraceEvent) -> Option<Finding> {
        let TraceEvent::Protocol(RaftEvent::Apply {
            node,
            index,
            term,
            cmd,
            client,
            request,
        }) = event
        else {
            return None;
        };
        let hash = command_hash(cmd, *client, *request);
        if let Some(first) = self.applied.get(index) {
            if first.term != *term || first.hash != hash {
                return Some(Finding {
                    property: Property::StateMachineSafety,
                    nodes: vec![first.first_node, *node],
                    index: Some(*index),
                    term: Some(*term),
                    detail: Box::new(Detail::AppliedDifferently {
                        first: first.first_node,
                        first_cmd: first.cmd.clone(),
                        first_term: first.term,
                        node: *node,
                        cmd: cmd.clone(),
                        term: *term,
                        index: *index,
                    }),
                });
            }
            return None;
        }
        let origin = client
            .zip(*request)
            .map(|(client, request)| Origin { client, request });
        self.applied.insert(
            *index,
            AppliedEntry {
                term: *term,
                cmd: cmd.clone(),
                origin,
                hash,
                first_node: *node,
            },
        );
        self.advance_model();
        None
    }

    /// The digest of the store after applying every index up to `index`, if all of them
    /// have been applied somewhere.
    pub fn digest_at(&self, index: LogIndex) -> Option<u64> {
        let mut kv = KvStore::default();
        for i in 1..=index.0 {
            let entry = self.applied.get(&LogIndex(i))?;
            kv.apply(LogIndex(i), &entry.cmd, entry.origin);
        }
        Some(kv.digest())
    }

    fn advance_model(&mut self) {
        while let Some(entry) = self.applied.get(&self.model_index.next()) {
            let index = self.model_index.next();
            let outcome = self.model.apply(index, &entry.cmd, entry.origin);
            if entry.origin.is_some() {
                self.outcomes.insert(index, outcome);
            }
            self.model_index = index;
        }
    }
}
