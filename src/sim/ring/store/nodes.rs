//! Node lifecycle of the ring store: crash, restart, add, remove, and link changes. Crashes,
//! restarts and the network's changes are the engine's faults (with its trace lines); the
//! store then updates what the cluster knows. Each function assumes an action the store
//! accepts (`RingSim::check` says why one is refused); given another it does nothing.

use super::trace::RingEvent;
use super::world::{note, recount, ring_changed, Node, E};
use super::{WorldEvent, MAX_NODE_ID};
use crate::sim::disk::CrashMode;
use crate::sim::engine::Fault;
use crate::sim::types::NodeId;

pub(super) fn crash(e: &mut E, id: NodeId) {
    if !e.world.nodes.get(&id).is_some_and(|n| n.up) {
        return;
    }
    e.apply_fault(Fault::Crash {
        node: id,
        mode: CrashMode::Clean,
    });
    let now = e.now_us;
    let incarnation = e.world.last_incarnation + 1;
    e.world.last_incarnation = incarnation;
    if let Some(node) = e.world.nodes.get_mut(&id) {
        node.up = false;
        node.incarnation = incarnation;
        node.uplink_free_us = now;
    }
    let detect_at = now + e.settings.store.failure_detection_us;
    e.push_world(
        detect_at,
        WorldEvent::DetectDown {
            node: id,
            incarnation,
        },
    );
    recount(e);
}

pub(super) fn restart(e: &mut E, id: NodeId) {
    if e.world.nodes.get(&id).is_none_or(|n| n.up) {
        return;
    }
    e.apply_fault(Fault::Restart { node: id });
    let now = e.now_us;
    let incarnation = e.world.last_incarnation + 1;
    e.world.last_incarnation = incarnation;
    let mut was_off_ring = false;
    if let Some(node) = e.world.nodes.get_mut(&id) {
        node.up = true;
        node.incarnation = incarnation;
        node.uplink_free_us = now;
        was_off_ring = node.detected_down;
        node.detected_down = false;
    }
    if was_off_ring {
        ring_changed(e);
    } else {
        recount(e);
        e.world.rebalance_due = true;
    }
}

/// The lowest id no node has.
pub(super) fn free_id(e: &E) -> Option<NodeId> {
    (1..=MAX_NODE_ID)
        .map(NodeId)
        .find(|id| !e.world.nodes.contains_key(id))
}

pub(super) fn add(e: &mut E) {
    let Some(id) = free_id(e) else {
        return;
    };
    // The slot may hold an earlier node's crashed process: the new node starts empty.
    if !e.nodes[id.slot()].is_up() {
        e.reset_node(id);
    }
    e.world.last_incarnation += 1;
    let node = Node {
        up: true,
        detected_down: false,
        leaving: false,
        incarnation: e.world.last_incarnation,
        uplink_free_us: e.now_us,
    };
    e.world.nodes.insert(id, node);
    note(e, RingEvent::NodeAdded { node: id });
    ring_changed(e);
}

pub(super) fn remove(e: &mut E, id: NodeId) {
    let Some(node) = e.world.nodes.get(&id).cloned() else {
        return;
    };
    if node.leaving {
        return;
    }
    if !node.up {
        forget(e, id);
        return;
    }
    if e.world.ring_members().len() == 1 && e.world.in_ring(id) {
        return;
    }
    if let Some(n) = e.world.nodes.get_mut(&id) {
        n.leaving = true;
    }
    note(e, RingEvent::NodeLeaving { node: id });
    ring_changed(e);
}

/// The node is gone with its disk.
pub(super) fn forget(e: &mut E, id: NodeId) {
    let was_in_ring = e.world.in_ring(id);
    e.world.nodes.remove(&id);
    let ctx = e.world.context(&e.settings.store);
    let keys_lost = e.world.table.forget_node(id, ctx);
    note(
        e,
        RingEvent::NodeRemoved {
            node: id,
            keys_lost,
        },
    );
    if was_in_ring {
        ring_changed(e);
    } else {
        e.world.rebalance_due = true;
    }
}

/// A network fault: the engine carries it out and writes its lines; the store counts the
/// pairs of its nodes that cannot talk and plans again.
pub(super) fn links(e: &mut E, fault: Fault) {
    e.apply_fault(fault);
    let ids: Vec<NodeId> = e.world.nodes.keys().copied().collect();
    let mut cuts = 0;
    for a in &ids {
        for b in &ids {
            if a != b && !e.network.connected(*a, *b) {
                cuts += 1;
            }
        }
    }
    note(e, RingEvent::LinksChanged { cuts });
    e.world.rebalance_due = true;
}
