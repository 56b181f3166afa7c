//! Re-replication: after the ring or the network changes, each key's new owners plan streams
//! from surviving replicas, and copies that are no longer needed are dropped once a key is
//! whole again (Dynamo section 4.6's hand-off, applied to every membership change).

use super::message::{RingMessage, TransferItem};
use super::replicas::bit;
use super::settings::KEY_OVERHEAD_BYTES;
use super::trace::RingEvent;
use super::world::{note, Transfer, E};
use super::WorldEvent;
use crate::sim::types::{Addr, NodeId};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The `n`-th set bit of `mask` (counting from 0) as a node id.
fn nth_node(mut mask: u64, n: u32) -> NodeId {
    for _ in 0..n {
        mask &= mask - 1;
    }
    NodeId(mask.trailing_zeros() + 1)
}

/// The broken switch `forget-range`: planning skips the keys of the first eighth of the ring.
fn forgotten(e: &E, key: u32) -> bool {
    e.settings.bugs.forget_range && e.world.positions[key as usize] < (1u64 << 61)
}

/// Plans every missing copy and drops surplus ones.
///
/// For each key and each node of its preference list that is running, lacks the key and
/// has no transfer of it on the way, a source is chosen among running holders that can
/// reach it, preferring holders of the latest write, and rotating by key index so that
/// the work spreads over all surviving replicas. Crashed nodes are never chosen (a
/// stream request to them fails at once), but their disks still count as copies.
///
/// A key whose preference list holds it everywhere, with nothing in flight, sheds the
/// copies on running nodes outside the list: a leaving node's, or a stand-in's after the
/// owner came back. A leaving node that then holds nothing is gone.
pub(super) fn rebalance(e: &mut E) {
    e.world.rebalance_due = false;
    let ctx = e.world.context(&e.settings.store);
    let up = ctx.up;
    let mut senders = [0u64; 64];
    for id in e.world.nodes.keys() {
        senders[id.slot()] = (1..=64u32)
            .filter(|n| NodeId(*n) == *id || e.network.connected(NodeId(*n), *id))
            .fold(0, |mask, n| mask | 1u64 << (n - 1));
    }
    let mut plans: BTreeMap<(NodeId, NodeId), Vec<TransferItem>> = BTreeMap::new();
    let mut key_copies = 0u32;
    let mut replicas_dropped = 0u32;
    let mut still_holding = 0u64;
    for key in 0..e.world.table.len() {
        let table = &e.world.table;
        let desired = table.desired(key);
        let holders = table.holders(key);
        let incoming = table.incoming(key);
        if desired == 0 {
            still_holding |= holders;
            continue;
        }
        let mut missing = desired & !holders & !incoming & up;
        if missing == 0 {
            let extras = holders & !desired & up;
            if incoming == 0 && holders & desired == desired && extras != 0 {
                e.world.table.drop_copies(key, extras, ctx);
                replicas_dropped += extras.count_ones();
                still_holding |= holders & !extras;
            } else {
                still_holding |= holders;
            }
            continue;
        }
        still_holding |= holders;
        if forgotten(e, key) {
            continue;
        }
        let sources = holders & up;
        let fresh = table.fresh(key);
        while missing != 0 {
            let dest = NodeId(missing.trailing_zeros() + 1);
            missing &= missing - 1;
            let reachable = sources & senders[dest.slot()] & !bit(dest);
            let latest = reachable & fresh;
            let pool = if latest != 0 { latest } else { reachable };
            if pool == 0 {
                continue;
            }
            let source = nth_node(pool, key % pool.count_ones());
            let version_sent = if fresh & bit(source) != 0 {
                e.world.table.version(key)
            } else {
                0
            };
            plans
                .entry((source, dest))
                .or_default()
                .push((key, version_sent));
            e.world.table.mark_incoming(key, dest);
            key_copies += 1;
        }
    }
    let mut transfers = 0u32;
    let batch = e.settings.store.transfer_batch_keys as usize;
    for ((from, to), items) in plans {
        for chunk in items.chunks(batch) {
            send_transfer(e, from, to, chunk);
            transfers += 1;
        }
    }
    let finished: Vec<NodeId> = e
        .world
        .nodes
        .iter()
        .filter(|(id, n)| n.leaving && n.up && still_holding & bit(**id) == 0)
        .map(|(id, _)| *id)
        .collect();
    if transfers > 0 || replicas_dropped > 0 {
        let under_replicated = e.world.table.counts().under_replicated;
        note(
            e,
            RingEvent::RingRebalance {
                transfers,
                key_copies,
                replicas_dropped,
                under_replicated,
            },
        );
    }
    for id in finished {
        super::nodes::forget(e, id);
        e.world.rebalance_due = false;
    }
}

/// Queues a transfer on the sender's uplink: it leaves when the link is free and arrives
/// after its bytes at the link's bandwidth plus the network's latency. The queueing is the
/// store's own (the engine's network delays each message by its size but queues nothing),
/// so the engine is handed the message now, to leave later.
fn send_transfer(e: &mut E, from: NodeId, to: NodeId, items: &[TransferItem]) {
    let s = &e.settings.store;
    let keys = items.len() as u32;
    let bytes = keys as u64 * (s.value_bytes as u64 + KEY_OVERHEAD_BYTES);
    let transmit_us = (bytes as u128 * 1_000_000).div_ceil(s.bandwidth_bytes_per_s as u128) as u64;
    let now = e.now_us;
    let receiver_incarnation = e.world.nodes.get(&to).map_or(0, |n| n.incarnation);
    let Some(node) = e.world.nodes.get_mut(&from) else {
        return;
    };
    let sent_us = node.uplink_free_us.max(now);
    node.uplink_free_us = sent_us + transmit_us;
    let sender_incarnation = node.incarnation;
    let items: Rc<[TransferItem]> = Rc::from(items);
    let msg = RingMessage::Transfer {
        keys,
        bytes,
        items: items.clone(),
        sender_incarnation,
        receiver_incarnation,
    };
    let id = e.next_msg_id();
    let sent = e.send_queued(Addr::Node(from), Addr::Node(to), msg, sent_us, transmit_us);
    let deliver_us = sent_us + transmit_us + e.network.config.latency_us_min;
    let deliver_t = e
        .flights
        .get(id)
        .and_then(|f| f.deliver_us.first().copied())
        .unwrap_or(deliver_us);
    e.world.transfers.insert(id, Transfer { from, to, items });
    if sent.is_none() {
        e.push_world(deliver_t, WorldEvent::TransferLost { id });
    }
    note(
        e,
        RingEvent::RingTransferStart {
            id,
            from,
            to,
            keys,
            bytes,
            send_t: sent_us,
            deliver_t,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nth_node_counts_set_bits() {
        assert_eq!(nth_node(0b1010_0100, 0), NodeId(3));
        assert_eq!(nth_node(0b1010_0100, 2), NodeId(8));
    }
}
