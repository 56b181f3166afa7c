//! Acknowledged writes are durable: the operation a client was told took effect at index i
//! is the entry every server applies at i (a consequence of Raft's State Machine Safety that
//! clients can observe; section 8).

use super::detail::Detail;
use super::property::{Finding, Property};
use super::state_machine_safety::StateMachineSafety;
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::TraceEvent;

#[derive(Clone, Debug, Default)]
pub struct AckedWrites;

impl AckedWrites {
    pub fn observe(&mut self, event: &TraceEvent, applied: &StateMachineSafety) -> Option<Finding> {
        let TraceEvent::Protocol(RaftEvent::ClientReply {
            client, op, index, ..
        }) = event
        else {
            return None;
        };
        let entry = applied.applied.get(index);
        let matches = entry
            .and_then(|e| e.origin)
            .is_some_and(|o| o.client == *client && o.request == *op);
        (!matches).then(|| Finding {
            property: Property::AckedWritesDurable,
            nodes: entry.map(|e| vec![e.first_node]).unwrap_or_default(),
            index: Some(*index),
            term: entry.map(|e| e.term),
            detail: Box::new(Detail::AckedElsewhere {
                client: *client,
                op: *op,
                index: *index,
                applied: entry.map(|e| e.cmd.clone()),
            }),
        })
    }
}
