//! Node lifecycle actions of the ring store: crash, restart, add, remove, and link changes.

use super::settings::MAX_NODE_ID;
use super::trace::RingEvent;
use super::{Event, Node, RingSim};
use crate::sim::types::NodeId;

impl RingSim {
    pub(super) fn node_mut(&mut self, id: NodeId) -> Result<&mut Node, String> {
        self.nodes
            .get_mut(&id)
            .ok_or_else(|| format!("node {} does not exist", id.0))
    }

    pub(super) fn crash(&mut self, id: NodeId) -> Result<(), String> {
        let now = self.now_us;
        let incarnation = self.last_incarnation + 1;
        let node = self.node_mut(id)?;
        if !node.up {
            return Err(format!("node {} is already down", id.0));
        }
        node.up = false;
        node.incarnation = incarnation;
        node.uplink_free_us = now;
        self.last_incarnation = incarnation;
        self.record(RingEvent::NodeCrashed { node: id });
        let detect_at = now + self.settings.failure_detection_us;
        self.schedule(
            detect_at,
            Event::DetectDown {
                node: id,
                incarnation,
            },
        );
        self.table.recount(self.context());
        Ok(())
    }

    pub(super) fn restart(&mut self, id: NodeId) -> Result<(), String> {
        let now = self.now_us;
        let incarnation = self.last_incarnation + 1;
        let node = self.node_mut(id)?;
        if node.up {
            return Err(format!("node {} is already up", id.0));
        }
        node.up = true;
        node.incarnation = incarnation;
        node.uplink_free_us = now;
        let was_off_ring = node.detected_down;
        node.detected_down = false;
        self.last_incarnation = incarnation;
        self.record(RingEvent::NodeRestarted { node: id });
        if was_off_ring {
            self.ring_changed();
        } else {
            self.table.recount(self.context());
            self.rebalance_due = true;
        }
        Ok(())
    }

    pub(super) fn add(&mut self) -> Result<(), String> {
        let Some(id) = (1..=MAX_NODE_ID)
            .map(NodeId)
            .find(|id| !self.nodes.contains_key(id))
        else {
            return Err(format!("add: the cluster already has {MAX_NODE_ID} nodes"));
        };
        self.last_incarnation += 1;
        let node = Node {
            up: true,
            detected_down: false,
            leaving: false,
            incarnation: self.last_incarnation,
            uplink_free_us: self.now_us,
        };
        self.nodes.insert(id, node);
        self.record(RingEvent::NodeAdded { node: id });
        self.ring_changed();
        Ok(())
    }

    pub(super) fn remove(&mut self, id: NodeId) -> Result<(), String> {
        let node = self.node_mut(id)?.clone();
        if node.leaving {
            return Err(format!("node {} is already leaving", id.0));
        }
        if !node.up {
            self.forget(id);
            return Ok(());
        }
        let ring_nodes = self.ring_members().len();
        if ring_nodes == 1 && self.in_ring(id) {
            return Err(format!("node {} is the last node on the ring", id.0));
        }
        self.node_mut(id)?.leaving = true;
        self.record(RingEvent::NodeLeaving { node: id });
        self.ring_changed();
        Ok(())
    }

    /// The node is gone with its disk.
    pub(super) fn forget(&mut self, id: NodeId) {
        let was_in_ring = self.in_ring(id);
        self.nodes.remove(&id);
        let keys_lost = self.table.forget_node(id, self.context());
        self.record(RingEvent::NodeRemoved {
            node: id,
            keys_lost,
        });
        if was_in_ring {
            self.ring_changed();
        } else {
            self.rebalance_due = true;
        }
    }

    pub(super) fn links_changed(&mut self) {
        let ids: Vec<NodeId> = self.nodes.keys().copied().collect();
        let cuts = self.links.cut_count(&ids);
        self.record(RingEvent::LinksChanged { cuts });
        self.rebalance_due = true;
    }
}
