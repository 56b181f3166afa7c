//! Carrying out the faults a learner, a scenario or the fault search injects: the same for
//! every protocol.

use super::core::{Driver, Engine};
use super::run::{Fault, RunSettings};
use crate::sim::net::DropReason;
use crate::sim::protocol::Event;
use crate::sim::types::NodeId;

impl<P: Driver> Engine<P> {
    pub(crate) fn apply_fault(&mut self, fault: Fault) {
        match fault {
            Fault::Crash { node, mode } => self.crash_node(node, mode),
            Fault::Restart { node } => self.restart_node(node),
            Fault::Partition { groups } => {
                self.network.partition(self.settings.nodes(), &groups);
                if self.observing() {
                    let groups = self.partition_groups();
                    self.record(Event::Partition { groups });
                }
            }
            Fault::Heal => {
                self.network.heal();
                if self.observing() {
                    self.record(Event::Heal {});
                }
            }
            Fault::Cut { from, to, both } => {
                for (a, b) in directions(from, to, both) {
                    self.network.cut(a, b);
                    if self.observing() {
                        self.record(Event::Cut { from: a, to: b });
                    }
                }
            }
            Fault::Repair { from, to, both } => {
                for (a, b) in directions(from, to, both) {
                    self.network.repair(a, b);
                    if self.observing() {
                        self.record(Event::Repair { from: a, to: b });
                    }
                }
            }
            Fault::SetNetwork { network } => {
                self.network.config = network.clone();
                self.settings.set_network(network);
            }
            Fault::DropMessage { id } => {
                if self.flights.remove(id).is_some() && self.observing() {
                    self.record(Event::Drop {
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
