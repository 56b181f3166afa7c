//! Re-replication: after the ring or the network changes, each key's new owners plan streams
//! from surviving replicas, and copies that are no longer needed are dropped once a key is
//! whole again (Dynamo section 4.6's hand-off, applied to every membership change).

use super::message::{Body, Message, MessageKind, TransferItem};
use super::replicas::bit;
use super::settings::KEY_OVERHEAD_BYTES;
use super::trace::RingEvent;
use super::RingSim;
use crate::sim::types::{MsgId, NodeId};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The `n`-th set bit of `mask` (counting from 0) as a node id.
fn nth_node(mut mask: u64, n: u32) -> NodeId {
    for _ in 0..n {
        mask &= mask - 1;
    }
    NodeId(mask.trailing_zeros() + 1)
}

impl RingSim {
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
    pub(super) fn rebalance(&mut self) {
        self.rebalance_due = false;
        let ctx = self.context();
        let up = ctx.up;
        let mut senders = [0u64; 64];
        for id in self.nodes.keys() {
            senders[id.slot()] = self.links.senders_to(*id);
        }
        let mut plans: BTreeMap<(NodeId, NodeId), Vec<TransferItem>> = BTreeMap::new();
        let mut key_copies = 0u32;
        let mut replicas_dropped = 0u32;
        let mut still_holding = 0u64;
        for key in 0..self.table.len() {
            let desired = self.table.desired(key);
            let holders = self.table.holders(key);
            let incoming = self.table.incoming(key);
            if desired == 0 {
                still_holding |= holders;
                continue;
            }
            let mut missing = desired & !holders & !incoming & up;
            if missing == 0 {
                let extras = holders & !desired & up;
                if incoming == 0 && holders & desired == desired && extras != 0 {
                    self.table.drop_copies(key, extras, ctx);
                    replicas_dropped += extras.count_ones();
                    still_holding |= holders & !extras;
                } else {
                    still_holding |= holders;
                }
                continue;
            }
            still_holding |= holders;
            let sources = holders & up;
            let fresh = self.table.fresh(key);
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
                    self.table.version(key)
                } else {
                    0
                };
                plans
                    .entry((source, dest))
                    .or_default()
                    .push((key, version_sent));
                self.table.mark_incoming(key, dest);
                key_copies += 1;
            }
        }
        let mut transfers = 0u32;
        for ((from, to), items) in plans {
            for chunk in items.chunks(self.settings.transfer_batch_keys as usize) {
                self.send_transfer(from, to, chunk);
                transfers += 1;
            }
        }
        let finished: Vec<NodeId> = self
            .nodes
            .iter()
            .filter(|(id, n)| n.leaving && n.up && still_holding & bit(**id) == 0)
            .map(|(id, _)| *id)
            .collect();
        if transfers > 0 || replicas_dropped > 0 {
            self.record(RingEvent::RingRebalance {
                transfers,
                key_copies,
                replicas_dropped,
                under_replicated: self.table.counts().under_replicated,
            });
        }
        for id in finished {
            self.forget(id);
            self.rebalance_due = false;
        }
    }

    /// Queues a transfer on the sender's link: it leaves when the link is free and arrives
    /// after its bytes at the link's bandwidth plus the latency.
    fn send_transfer(&mut self, from: NodeId, to: NodeId, items: &[TransferItem]) {
        let keys = items.len() as u32;
        let bytes = keys as u64 * (self.settings.value_bytes as u64 + KEY_OVERHEAD_BYTES);
        let transmit_us = (bytes as u128 * 1_000_000)
            .div_ceil(self.settings.bandwidth_bytes_per_s as u128) as u64;
        let now = self.now_us;
        let latency = self.latency(from, to);
        let Some(node) = self.nodes.get_mut(&from) else {
            return;
        };
        let sent_us = node.uplink_free_us.max(now);
        node.uplink_free_us = sent_us + transmit_us;
        let sender_incarnation = node.incarnation;
        let receiver_incarnation = self.nodes.get(&to).map_or(0, |n| n.incarnation);
        let deliver_us = sent_us + transmit_us + latency;
        let body = Body::Transfer {
            items: Rc::from(items),
            sender_incarnation,
            receiver_incarnation,
        };
        let id = self.send(Message {
            id: MsgId(0),
            kind: MessageKind::Transfer,
            from,
            to,
            sent_us,
            deliver_us,
            keys,
            bytes,
            body,
        });
        self.transfers_in_flight += 1;
        self.record(RingEvent::RingTransferStart {
            id,
            from,
            to,
            keys,
            bytes,
            send_t: sent_us,
            deliver_t: deliver_us,
        });
    }
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
