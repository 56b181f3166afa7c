//! Carrying out learner and scenario actions inside the run.

use super::Simulation;
use crate::sim::action::Action;
use crate::sim::net::DropReason;
use crate::sim::raft::Input;
use crate::sim::trace::TraceEvent;
use crate::sim::types::NodeId;

impl Simulation {
    pub(super) fn apply_action(&mut self, action: Action) {
        match action {
            Action::Crash { node, mode } => self.crash_node(node, mode),
            Action::Restart { node } => self.restart_node(node),
            Action::Timeout { node } => self.run_node(node.slot(), Input::ElectionTimeout),
            Action::Request { node, cmd } => {
                self.manual_request(super::clients::LEARNER, node, cmd)
            }
            Action::RequestFrom { client, node, cmd } => self.manual_request(client, node, cmd),
            Action::Transfer { to } => {
                if let Some(leader) = self.leader() {
                    self.run_node(leader.slot(), Input::TransferLeadership { to });
                }
            }
            Action::Snapshot { node } => self.run_node(node.slot(), Input::TakeSnapshot),
            Action::Partition { groups } => {
                self.network.partition(self.settings.nodes, &groups);
                if self.observing() {
                    let groups = self.partition_groups();
                    self.record(TraceEvent::Partition { groups });
                }
            }
            Action::Heal => {
                self.network.heal();
                if self.observing() {
                    self.record(TraceEvent::Heal {});
                }
            }
            Action::Cut { from, to, both } => {
                for (a, b) in directions(from, to, both) {
                    self.network.cut(a, b);
                    if self.observing() {
                        self.record(TraceEvent::Cut { from: a, to: b });
                    }
                }
            }
            Action::Repair { from, to, both } => {
                for (a, b) in directions(from, to, both) {
                    self.network.repair(a, b);
                    if self.observing() {
                        self.record(TraceEvent::Repair { from: a, to: b });
                    }
                }
            }
            Action::SetNetwork { network } => {
                self.network.config = network.clone();
                self.settings.network = network;
            }
            Action::SetRaft { raft } => {
                for node in self.nodes.iter_mut() {
                    if let Some(r) = node.raft.as_mut() {
                        r.set_config(raft.clone());
                    }
                }
                self.settings.raft = raft;
            }
            Action::DropMessage { id } => {
                if self.flights.remove(id).is_some() && self.observing() {
                    self.record(TraceEvent::Drop {
                        id,
                        reason: DropReason::Manual,
                    });
                }
            }
        }
    }

    /// Every group of the current partition, the unnamed rest included.
    fn partition_groups(&self) -> Vec<Vec<NodeId>> {
        let Some(of) = self.network.groups() else {
            return Vec::new();
        };
        let mut groups: Vec<Vec<NodeId>> = Vec::new();
        for (slot, g) in of.iter().enumerate() {
            let g = *g as usize;
            if groups.len() <= g {
                groups.resize(g + 1, Vec::new());
            }
            groups[g].push(NodeId::from_slot(slot));
        }
        groups.retain(|g| !g.is_empty());
        groups
    }
}

fn directions(from: NodeId, to: NodeId, both: bool) -> Vec<(NodeId, NodeId)> {
    if both {
        vec![(from, to), (to, from)]
    } else {
        vec![(from, to)]
    }
}
