//! What the store does when something happens engine-side: its own queued events, a message
//! arriving, and settling after each (re-planning transfers, noting replication changes).
//! It is apart from the world's state (`world.rs`) because it calls into the requests, the
//! node changes and the rebalancing, which all change that state.

use super::message::{LossReason, RingMessage};
use super::nodes::forget;
use super::rebalance::rebalance;
use super::requests;
use super::trace::RingEvent;
use super::world::{note, ring_changed, Node, Transfer, E};
use super::world_event::WorldEvent;
use crate::sim::protocol::Event;
use crate::sim::types::{MsgId, NodeId};

/// After an action or event: plan transfers if the ring or reachability changed, and note
/// when the store becomes under-replicated, fully replicated again, or loses keys.
pub(super) fn settle(e: &mut E) {
    if e.world.rebalance_due {
        rebalance(e);
    }
    let counts = e.world.table.counts();
    let under = counts.under_replicated;
    let before = e.world.under_replicated_before;
    if under == 0 && before > 0 {
        note(e, RingEvent::RingFullyReplicated);
    } else if under > 0 && before == 0 {
        note(e, RingEvent::RingUnderReplicated { keys: under });
    }
    e.world.under_replicated_before = under;
    if counts.lost > e.world.lost_before {
        let keys = counts.lost - e.world.lost_before;
        note(e, RingEvent::RingKeysLost { keys });
    }
    e.world.lost_before = counts.lost;
}

/// A queued event of the store.
pub(super) fn world_event(e: &mut E, event: WorldEvent) {
    match event {
        WorldEvent::DetectDown { node, incarnation } => {
            let Some(state) = e.world.nodes.get_mut(&node) else {
                return;
            };
            if state.up || state.incarnation != incarnation {
                return;
            }
            state.detected_down = true;
            let leaving = state.leaving;
            note(e, RingEvent::NodeDownDetected { node });
            if leaving {
                forget(e, node);
            } else {
                ring_changed(e);
            }
        }
        WorldEvent::RequestTimeout(request) => requests::finish(e, request, false),
        WorldEvent::WorkloadTick => {
            let keys = e.world.key_count();
            if keys > 0 {
                let read_ppm = e.settings.store.workload_read_ppm;
                if let Some(rng) = e.world.workload.as_mut() {
                    let key = rng.below(keys as u64) as u32;
                    if rng.chance(read_ppm) {
                        requests::start_get(e, key);
                    } else {
                        requests::start_put(e, key);
                    }
                }
            }
            let next = e.now_us + e.settings.store.workload_interval_us;
            e.push_world(next, WorldEvent::WorkloadTick);
        }
        WorldEvent::TransferLost { id } => transfer_lost_on_wire(e, id),
    }
}

/// A transfer the network dropped when it was sent, at the moment it would have arrived
/// (so that re-planning waits for every planned stream, as it does for streams that break).
fn transfer_lost_on_wire(e: &mut E, id: MsgId) {
    let Some(t) = e.world.transfers.remove(&id) else {
        return;
    };
    transfer_arrived(e, id, &t, Some(LossReason::Dropped));
    if e.world.transfers.is_empty() {
        e.world.rebalance_due = true;
    }
}

/// A message arrived at `to`: the store decides whether it lands (a crash of either end of
/// a transfer breaks it; a cut link loses it), and carries out what it asks for.
pub(super) fn deliver(e: &mut E, id: MsgId, from: NodeId, to: NodeId, msg: RingMessage) {
    let (receiver_life, sender_life) = match &msg {
        RingMessage::Transfer {
            sender_incarnation,
            receiver_incarnation,
            ..
        } => (Some(*receiver_incarnation), Some(*sender_incarnation)),
        _ => (None, None),
    };
    let alive = |node: Option<&Node>, life: Option<u32>| {
        node.is_some_and(|n| n.up && life.is_none_or(|l| l == n.incarnation))
    };
    let w = &e.world;
    let loss = if !alive(w.nodes.get(&to), receiver_life) {
        Some(LossReason::ReceiverDown)
    } else if !e.network.connected(from, to) {
        Some(LossReason::LinkCut)
    } else if sender_life.is_some() && !alive(w.nodes.get(&from), sender_life) {
        Some(LossReason::SenderDown)
    } else {
        None
    };
    if e.observing() {
        let line = match loss {
            None => Event::Deliver { id },
            Some(LossReason::LinkCut) => Event::Drop {
                id,
                reason: crate::sim::net::DropReason::Partition,
            },
            Some(_) => Event::Drop {
                id,
                reason: crate::sim::net::DropReason::Crashed,
            },
        };
        e.record(line);
    }
    match msg {
        RingMessage::Transfer { .. } => {
            // A second copy of a duplicated transfer finds it already landed.
            let Some(t) = e.world.transfers.remove(&id) else {
                return;
            };
            transfer_arrived(e, id, &t, loss);
            if e.world.transfers.is_empty() {
                e.world.rebalance_due = true;
            }
        }
        // A lost read or write message is silent: its request times out.
        msg if loss.is_none() => requests::request_message(e, from, to, msg),
        _ => {}
    }
}

fn transfer_arrived(e: &mut E, id: MsgId, t: &Transfer, loss: Option<LossReason>) {
    let ctx = e.world.context(&e.settings.store);
    for (key, version_sent) in t.items.iter() {
        let table = &mut e.world.table;
        table.clear_incoming(*key, t.to);
        if loss.is_none() {
            let latest = *version_sent != 0 && *version_sent == table.version(*key);
            table.add_copy(*key, t.to, latest, ctx);
        }
    }
    let keys = t.items.len() as u32;
    let line = match loss {
        None => RingEvent::RingTransferDone {
            id,
            from: t.from,
            to: t.to,
            keys,
        },
        Some(reason) => RingEvent::RingTransferLost {
            id,
            from: t.from,
            to: t.to,
            keys,
            reason,
        },
    };
    note(e, line);
}

/// A transfer dropped by hand while on the wire.
pub(super) fn transfer_dropped(e: &mut E, id: MsgId) {
    transfer_lost_on_wire(e, id);
}
