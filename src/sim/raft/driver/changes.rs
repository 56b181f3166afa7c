//! Membership changes as an operator's tool makes them: the request goes to the leader, and
//! while no leader takes it (there is none, or it must first commit the previous change or
//! an entry of its own term: thesis section 4.1 and the 2015 fix) it is offered again every
//! `RETRY_US`, up to `ATTEMPTS_MAX` times. A change already made (a server added that is in
//! the configuration, one removed that is not) is done at once.

use super::world_event::{Change, WorldEvent};
use crate::sim::engine::Engine;
use crate::sim::protocol::Input;
use crate::sim::raft::effect::Role;
use crate::sim::raft::protocol::RaftCommand;
use crate::sim::raft::types::Raft;
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};

/// How long a refused change waits before it is offered again.
pub const RETRY_US: Micros = 10 * MICROS_PER_MS;
/// How many times a change is offered before it is given up (a second of retries).
pub const ATTEMPTS_MAX: u32 = 100;

impl Engine<Raft> {
    /// Offers `change` to the leader; queues its next attempt if no leader took it.
    pub(super) fn offer_change(&mut self, change: Change, attempt: u32) {
        if self.try_change(change) || attempt >= ATTEMPTS_MAX {
            return;
        }
        let at_us = self.now_us + RETRY_US;
        let next = attempt + 1;
        self.push_world(
            at_us,
            WorldEvent::RetryChange {
                change,
                attempt: next,
            },
        );
    }

    /// Whether the change is made: it already was, or the leader appended it now.
    fn try_change(&mut self, change: Change) -> bool {
        let Some(leader) = self.leader() else {
            return false;
        };
        let Some(before) = self.nodes[leader.slot()].process.as_ref() else {
            return false;
        };
        if before.configuration().contains(change.node) == change.add {
            return true;
        }
        let index_before = before.configuration_index();
        let command = match change.add {
            true => RaftCommand::AddServer { node: change.node },
            false => RaftCommand::RemoveServer { node: change.node },
        };
        self.run_node(leader.slot(), Input::Command(command));
        self.nodes[leader.slot()]
            .process
            .as_ref()
            .is_some_and(|r| r.configuration_index() != index_before)
    }
}

impl Engine<Raft> {
    /// The servers of the cluster as it stands: those the newest configuration any running
    /// server holds names (newest by the term and index of its entry: by Log Matching, equal
    /// ones are the same entry), voters and learners; plus any running server that its own
    /// configuration names or that leads or campaigns (a removed server that was never told
    /// it was removed, thesis section 4.2.3; a leader removing itself, 4.2.2). A server that
    /// knows it was removed is not in it, nor is a spare server (`raft.voters_initial`) until
    /// it is added. With every server down: the voters the run started with. In id order.
    pub fn servers_in_use(&self) -> Vec<NodeId> {
        let running = self.nodes.iter().filter_map(|n| n.process.as_ref());
        let newest = running.clone().max_by_key(|r| {
            let at = r.configuration_index();
            (r.log().term_at(at), at)
        });
        let mut ids: Vec<NodeId> = match newest {
            Some(r) => {
                let c = r.configuration();
                c.voters.iter().chain(&c.learners).copied().collect()
            }
            None => {
                let voters = self.settings.raft.voters_at_start(self.settings.nodes);
                (1..=voters).map(NodeId).collect()
            }
        };
        ids.extend(
            running
                .filter(|r| r.role() != Role::Follower || r.configuration().contains(r.id()))
                .map(|r| r.id()),
        );
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The server an "add server" would bring in: the lowest id of the run that the cluster
    /// does not hold (`servers_in_use`), if any.
    pub fn spare_server(&self) -> Option<NodeId> {
        let in_use = self.servers_in_use();
        (1..=self.settings.nodes)
            .map(NodeId)
            .find(|id| in_use.binary_search(id).is_err())
    }
}
