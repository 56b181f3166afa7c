//! Leader Append-Only (Raft paper, Figure 3 and section 5.3): a leader never overwrites or
//! deletes entries in its log; it only appends.

use super::detail::Detail;
use super::mirror::Mirror;
use super::property::{Finding, Property};
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::TraceEvent;

#[derive(Clone, Debug, Default)]
pub struct LeaderAppendOnly;

impl LeaderAppendOnly {
    /// Runs before the mirror takes the line, so it sees the leader's log as it was.
    pub fn observe(&mut self, event: &TraceEvent, mirror: &Mirror) -> Option<Finding> {
        let (node, index, deleted) = match event {
            TraceEvent::Protocol(RaftEvent::LogTruncate { node, from }) => (*node, *from, true),
            TraceEvent::Protocol(RaftEvent::LogAppend { node, index, .. }) => {
                (*node, *index, false)
            }
            _ => return None,
        };
        let m = mirror.node(node)?;
        let rewrites = index <= m.last_index();
        (m.is_leader() && rewrites).then(|| Finding {
            property: Property::LeaderAppendOnly,
            nodes: vec![node],
            index: Some(index),
            term: Some(m.term),
            detail: Box::new(Detail::LeaderRewrote {
                node,
                index,
                deleted,
            }),
        })
    }
}
