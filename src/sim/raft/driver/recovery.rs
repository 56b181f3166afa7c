//! Restart as a visible process: read the disk (discarding a torn tail), load the snapshot,
//! then replay committed entries into the state machine one by one, each at a simulated
//! cost. Until it is done the node neither votes nor serves.

use super::world_event::WorldEvent;
use crate::sim::engine::Engine;
use crate::sim::protocol::Event;
use crate::sim::raft::kv::KvStore;
use crate::sim::raft::node::Durable;
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::Raft;
use crate::sim::types::{LogIndex, Micros, NodeId};

/// A node part-way through its restart.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovery {
    pub started_us: Micros,
    /// What the disk held (after a torn tail was discarded).
    pub durable: Durable,
    /// The state machine as rebuilt so far.
    pub kv: KvStore,
    /// The last index replayed into `kv` (the snapshot's while it loads).
    pub cursor: LogIndex,
    /// Replay stops at the commit index found on disk: later entries may not be committed.
    pub target: LogIndex,
    pub loading_snapshot: bool,
}

impl Engine<Raft> {
    /// Starts the restart of the node in `slot`: reads its disk and schedules the replay.
    pub(crate) fn begin_recovery(&mut self, slot: usize) {
        let id = self.nodes[slot].id;
        let durable = self.read_disk_for_restart(slot);
        let snapshot_index = durable
            .snapshot
            .as_ref()
            .map(|s| s.last_index)
            .unwrap_or_default();
        let kv = durable
            .snapshot
            .as_ref()
            .map(|s| s.kv.clone())
            .unwrap_or_default();
        if self.observing() {
            self.record(Event::Protocol(RaftEvent::RecoverStart {
                node: id,
                snapshot_index,
                commit: durable.commit,
                entries: durable.entries.len() as u64,
            }));
        }
        let load_us = durable
            .snapshot
            .as_ref()
            .map(|s| s.size_bytes() * self.settings.disk.load_us_per_snapshot_kb / 1000)
            .unwrap_or(0);
        self.nodes[slot].recovery = Some(Recovery {
            started_us: self.now_us,
            target: durable.commit,
            durable,
            kv,
            cursor: snapshot_index,
            loading_snapshot: load_us > 0,
        });
        if load_us > 0 {
            self.push_world(self.now_us + load_us, WorldEvent::Recover { node: id });
        } else {
            self.continue_recovery(id);
        }
    }

    /// One step of replay; immediate when replay costs nothing.
    pub(crate) fn continue_recovery(&mut self, node: NodeId) {
        let slot = node.slot();
        let cost_us = self.settings.disk.replay_us_per_entry;
        loop {
            let Some(r) = self.nodes.get_mut(slot).and_then(|n| n.recovery.as_mut()) else {
                return; // crashed again meanwhile
            };
            r.loading_snapshot = false;
            if r.cursor >= r.target {
                break;
            }
            let next = r.cursor.next();
            let base = r
                .durable
                .snapshot
                .as_ref()
                .map(|s| s.last_index)
                .unwrap_or_default();
            let Some(entry) = r
                .durable
                .entries
                .get((next.0 - base.0 - 1) as usize)
                .cloned()
            else {
                break;
            };
            r.kv.apply(next, &entry.cmd, entry.origin);
            r.cursor = next;
            if self.observing() {
                self.record(Event::Protocol(RaftEvent::Replay { node, index: next }));
            }
            if cost_us > 0 {
                self.push_world(self.now_us + cost_us, WorldEvent::Recover { node });
                return;
            }
        }
        self.finish_recovery(slot);
    }

    fn finish_recovery(&mut self, slot: usize) {
        let Some(r) = self.nodes[slot].recovery.take() else {
            return;
        };
        let id = self.nodes[slot].id;
        if self.observing() {
            self.record(Event::Protocol(RaftEvent::RecoverDone {
                node: id,
                index: r.cursor,
                digest: r.kv.digest(),
            }));
        }
        let durable = Durable {
            replayed: Some((r.cursor, r.kv)),
            ..r.durable
        };
        self.boot_recovered(slot, durable);
    }
}
