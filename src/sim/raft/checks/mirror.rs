//! What the checks know of each server, rebuilt from trace lines alone: role, term, and its
//! log as a chain of hashes (the hash at index i covers every entry up to i, so two logs
//! agree up to i exactly when their hashes at i are equal).

use crate::sim::fnv::fnv1a;
use crate::sim::raft::effect::Role;
use crate::sim::raft::kv::command_hash;
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::TraceEvent;
use crate::sim::types::{LogIndex, NodeId, Term};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct NodeMirror {
    pub up: bool,
    /// `None` before the first role line and while crashed.
    pub role: Option<Role>,
    pub term: Term,
    /// The snapshot point: entries up to here are known only through `base_chain`.
    pub base: LogIndex,
    pub base_chain: u64,
    /// Term and chain hash of each entry after `base`.
    pub chain: Vec<(Term, u64)>,
}

impl NodeMirror {
    pub fn last_index(&self) -> LogIndex {
        LogIndex(self.base.0 + self.chain.len() as u64)
    }

    /// The chain hash at `index`, if the mirror knows it.
    pub fn chain_at(&self, index: LogIndex) -> Option<u64> {
        if index == self.base {
            return Some(self.base_chain);
        }
        if index < self.base {
            return None;
        }
        self.chain
            .get((index.0 - self.base.0 - 1) as usize)
            .map(|(_, h)| *h)
    }

    pub fn is_leader(&self) -> bool {
        self.up && self.role == Some(Role::Leader)
    }

    fn truncate_from(&mut self, from: LogIndex) {
        let keep = from.0.saturating_sub(self.base.0 + 1) as usize;
        self.chain.truncate(keep);
    }
}

/// The result of appending one entry to a mirror: its chain hash, and the hash an earlier
/// entry with the same index and term had, if one was seen.
pub struct Appended {
    pub node: NodeId,
    pub index: LogIndex,
    pub term: Term,
    pub chain: u64,
    pub earlier: Option<(u64, NodeId)>,
}

#[derive(Clone, Debug, Default)]
pub struct Mirror {
    pub nodes: BTreeMap<NodeId, NodeMirror>,
    /// Chain hash of every (index, term) ever appended anywhere, and who appended it first.
    pub entry_chains: BTreeMap<(LogIndex, Term), (u64, NodeId)>,
}

fn link(prev: u64, index: LogIndex, term: Term, cmd: u64) -> u64 {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&prev.to_le_bytes());
    bytes[8..16].copy_from_slice(&index.0.to_le_bytes());
    bytes[16..24].copy_from_slice(&term.0.to_le_bytes());
    bytes[24..].copy_from_slice(&cmd.to_le_bytes());
    fnv1a(&bytes)
}

impl Mirror {
    pub fn node(&self, id: NodeId) -> Option<&NodeMirror> {
        self.nodes.get(&id)
    }

    /// Updates the mirror with one line; for an append, says what the checks need.
    pub fn apply(&mut self, event: &TraceEvent) -> Option<Appended> {
        match event {
            TraceEvent::Protocol(RaftEvent::Role { node, term, role }) => {
                let m = self.nodes.entry(*node).or_default();
                m.up = true;
                m.role = Some(*role);
                m.term = *term;
            }
            TraceEvent::Crash { node } => {
                let m = self.nodes.entry(*node).or_default();
                m.up = false;
                m.role = None;
            }
            TraceEvent::Restart { node } => {
                self.nodes.entry(*node).or_default().up = true;
            }
            TraceEvent::Protocol(RaftEvent::LogTruncate { node, from }) => {
                self.nodes.entry(*node).or_default().truncate_from(*from);
            }
            TraceEvent::Protocol(RaftEvent::LogAppend {
                node,
                index,
                term,
                cmd,
                client,
                request,
            }) => {
                let m = self.nodes.entry(*node).or_default();
                if *index <= m.base {
                    return None;
                }
                m.truncate_from(*index);
                let prev = m.chain_at(index.prev()).unwrap_or(0);
                let chain = link(prev, *index, *term, command_hash(cmd, *client, *request));
                m.chain.push((*term, chain));
                let earlier = match self.entry_chains.get(&(*index, *term)) {
                    Some(seen) => Some(*seen),
                    None => {
                        self.entry_chains.insert((*index, *term), (chain, *node));
                        None
                    }
                };
                return Some(Appended {
                    node: *node,
                    index: *index,
                    term: *term,
                    chain,
                    earlier,
                });
            }
            TraceEvent::Protocol(RaftEvent::Snapshot {
                node,
                last_index,
                last_term,
            }) => {
                let known = self
                    .entry_chains
                    .get(&(*last_index, *last_term))
                    .map(|c| c.0);
                let m = self.nodes.entry(*node).or_default();
                if *last_index <= m.base {
                    return None;
                }
                let local = m
                    .chain
                    .get((last_index.0 - m.base.0 - 1) as usize)
                    .filter(|(t, _)| t == last_term)
                    .map(|(_, h)| *h);
                let drop = ((last_index.0 - m.base.0) as usize).min(m.chain.len());
                if local.is_some() {
                    m.chain.drain(..drop);
                } else {
                    m.chain.clear();
                }
                m.base = *last_index;
                m.base_chain = local.or(known).unwrap_or(0);
            }
            _ => {}
        }
        None
    }
}
