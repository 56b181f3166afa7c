//! What the view service and the shared storage write to their logs. The view service logs
//! every view before it tells anyone of it, so that after a restart it never hands out a view
//! number twice with different primaries. The storage logs what it fences, stores and
//! checkpoints before it acknowledges. Servers keep their state in memory only, as 6.824's
//! do: a restarted server comes back empty and is brought up to date by a primary.

use super::message::entry_bytes;
use super::types::{Entry, Seq, View};
use crate::sim::fnv::Fnv;
use crate::sim::kv::{command_hash, KvStore};
use crate::sim::types::{Micros, NodeId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// View service: the current view, and the boot time each member had when it joined,
    /// so that a restarted service still tells a restarted member from a quiet one.
    View {
        view: View,
        boots: Vec<(NodeId, Micros)>,
    },
    /// View service: the view's primary acknowledged it (a restarted service that forgot
    /// this would wait for an acknowledgement that may never come).
    Acked { view: u64 },
    /// Storage: views below `view` are refused from now on.
    Fence { view: u64 },
    /// Storage: one shipped log entry.
    Entry { entry: Entry },
    /// Storage: the state through `seq`; entries up to it may be forgotten.
    Checkpoint { seq: Seq, store: KvStore },
}

/// Every record's header: its length and its checksum.
pub const RECORD_HEADER_BYTES: u64 = 4 + 8;

impl Record {
    /// The name a `wal_write` trace line gives the record.
    pub fn name(&self) -> &'static str {
        match self {
            Record::View { .. } => "view",
            Record::Acked { .. } => "acked",
            Record::Fence { .. } => "fence",
            Record::Entry { .. } => "entry",
            Record::Checkpoint { .. } => "checkpoint",
        }
    }

    /// Size on disk: header, a tag byte and the contents.
    pub fn bytes(&self) -> u64 {
        let content = match self {
            Record::View { view, boots } => {
                16 + 4 * view.backups.len() as u64 + 12 * boots.len() as u64
            }
            Record::Acked { .. } | Record::Fence { .. } => 8,
            Record::Entry { entry } => entry_bytes(entry),
            Record::Checkpoint { store, .. } => 8 + store.image_bytes(),
        };
        RECORD_HEADER_BYTES + 1 + content
    }

    /// FNV-1a over the tag and every field.
    pub fn checksum(&self) -> u64 {
        let mut h = Fnv::default();
        match self {
            Record::View { view, boots } => {
                h.bytes(&[1]);
                h.bytes(&view.num.to_le_bytes());
                h.bytes(&view.primary.map_or(0, |p| p.0).to_le_bytes());
                for b in &view.backups {
                    h.bytes(&b.0.to_le_bytes());
                }
                for (n, boot_us) in boots {
                    h.bytes(&n.0.to_le_bytes());
                    h.bytes(&boot_us.to_le_bytes());
                }
            }
            Record::Acked { view } => {
                h.bytes(&[5]);
                h.bytes(&view.to_le_bytes());
            }
            Record::Fence { view } => {
                h.bytes(&[2]);
                h.bytes(&view.to_le_bytes());
            }
            Record::Entry { entry } => {
                h.bytes(&[3]);
                h.bytes(&entry.seq.to_le_bytes());
                let hash = command_hash(&entry.cmd, Some(entry.client), Some(entry.request));
                h.bytes(&hash.to_le_bytes());
            }
            Record::Checkpoint { seq, store } => {
                h.bytes(&[4]);
                h.bytes(&seq.to_le_bytes());
                h.bytes(&store.digest().to_le_bytes());
            }
        }
        h.0
    }
}

impl crate::sim::wal::WalRecord for Record {
    fn size_bytes(&self) -> u64 {
        self.bytes()
    }

    fn checksum(&self) -> u64 {
        Record::checksum(self)
    }
}
