//! Leader Completeness (Raft paper, Figure 3 and section 5.4): if an entry is committed in a
//! term, it is present in the logs of the leaders of all higher terms.

use super::detail::Detail;
use super::mirror::Mirror;
use super::property::{Finding, Property};
use crate::sim::raft::effect::Role;
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::TraceEvent;
use crate::sim::types::{LogIndex, NodeId, Term};

#[derive(Clone, Debug, Default)]
pub struct LeaderCompleteness {
    /// The highest committed index seen, its chain hash, and the term of the server that
    /// committed it.
    committed: Option<(LogIndex, u64, Term)>,
}

impl LeaderCompleteness {
    /// Runs after the mirror took the line.
    pub fn observe(&mut self, event: &TraceEvent, mirror: &Mirror) -> Option<Finding> {
        match event {
            // A new leader must hold everything committed so far.
            TraceEvent::Protocol(RaftEvent::Role {
                node,
                term,
                role: Role::Leader,
            }) => {
                let (index, chain, _) = self.committed?;
                self.check(*node, *term, index, chain, mirror)
            }
            TraceEvent::Protocol(RaftEvent::Commit { node, index }) => {
                let m = mirror.node(*node)?;
                let chain = m.chain_at(*index)?;
                if self.committed.is_some_and(|(c, _, _)| c >= *index) {
                    return None;
                }
                self.committed = Some((*index, chain, m.term));
                // Leaders of higher terms that exist already must hold it too.
                mirror
                    .nodes
                    .iter()
                    .filter(|(_, l)| l.is_leader() && l.term > m.term)
                    .find_map(|(id, l)| self.check(*id, l.term, *index, chain, mirror))
            }
            _ => None,
        }
    }

    fn check(
        &self,
        leader: NodeId,
        term: Term,
        index: LogIndex,
        chain: u64,
        mirror: &Mirror,
    ) -> Option<Finding> {
        let m = mirror.node(leader)?;
        if m.base > index {
            return None; // covered by the leader's snapshot, taken from committed entries
        }
        let holds = m.chain_at(index) == Some(chain);
        (!holds).then(|| Finding {
            property: Property::LeaderCompleteness,
            nodes: vec![leader],
            index: Some(index),
            term: Some(term),
            detail: Box::new(Detail::LeaderLacksCommitted {
                leader,
                term,
                index,
            }),
        })
    }
}
