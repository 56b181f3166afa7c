//! Recovery replays exactly what was committed: a restarted server's state machine, rebuilt
//! from its snapshot and log, equals the cluster's state machine at the same index. A torn
//! record replayed, or a committed entry lost from a synced log, breaks it.

use super::detail::Detail;
use super::property::{Finding, Property};
use super::state_machine_safety::StateMachineSafety;
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::TraceEvent;

#[derive(Clone, Debug, Default)]
pub struct RecoveryReplay;

impl RecoveryReplay {
    pub fn observe(&mut self, event: &TraceEvent, applied: &StateMachineSafety) -> Option<Finding> {
        let TraceEvent::Protocol(RaftEvent::RecoverDone {
            node,
            index,
            digest,
        }) = event
        else {
            return None;
        };
        let expected = applied.digest_at(*index)?;
        (expected != *digest).then(|| Finding {
            property: Property::RecoveryReplay,
            nodes: vec![*node],
            index: Some(*index),
            term: None,
            detail: Box::new(Detail::RecoveredDiffers {
                node: *node,
                index: *index,
            }),
        })
    }
}
