//! A server's simulated disk: a write-ahead log of records plus one snapshot file.
//!
//! A write first lands in the page cache ("written"); a sync makes it durable ("synced").
//! A crash keeps the synced prefix and, depending on how the crash happens, the unsynced
//! tail too. Restart reads only this disk: everything else the server knew is gone.

use crate::sim::raft::{Durable, Entry, PersistOp, Snapshot};
use crate::sim::types::{LogIndex, Micros, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// When written records become durable.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "policy")]
pub enum SyncPolicy {
    /// fsync after every write, before anything that depends on it leaves the server.
    EveryWrite,
    /// Group commit: one sync every `interval_us`.
    Interval { interval_us: Micros },
    /// Never sync: only a clean crash keeps anything written since the last snapshot.
    Never,
}

/// What a crash does to the disk.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrashMode {
    /// The process dies but the operating system still writes out its page cache.
    #[default]
    Clean,
    /// The machine loses power: whatever was not synced is gone.
    LoseUnsynced,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiskConfig {
    pub sync: SyncPolicy,
    /// How long one fsync takes. Under `EveryWrite`, messages that follow a write leave
    /// only once it is durable, so this adds to every vote and every append reply.
    pub sync_latency_us: Micros,
}

impl Default for DiskConfig {
    fn default() -> Self {
        DiskConfig {
            sync: SyncPolicy::EveryWrite,
            sync_latency_us: 0,
        }
    }
}

/// One record of the write-ahead log.
#[derive(Clone, Debug, PartialEq)]
pub enum WalRecord {
    HardState {
        term: Term,
        voted_for: Option<NodeId>,
    },
    Entries(Vec<Entry>),
    TruncateFrom(LogIndex),
}

impl WalRecord {
    fn size_bytes(&self) -> u64 {
        match self {
            WalRecord::HardState { .. } => 24,
            WalRecord::Entries(entries) => 8 + 32 * entries.len() as u64,
            WalRecord::TruncateFrom(_) => 16,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Disk {
    snapshot: Option<Rc<Snapshot>>,
    wal: Vec<WalRecord>,
    /// Records before this position are durable.
    synced_len: usize,
    bytes_written: u64,
}

impl Disk {
    /// Appends a server's write; returns whether something is now waiting for a sync.
    pub fn write(&mut self, op: &PersistOp, policy: SyncPolicy) -> bool {
        match op {
            PersistOp::HardState { term, voted_for } => self.push(WalRecord::HardState {
                term: *term,
                voted_for: *voted_for,
            }),
            PersistOp::Append(entries) => self.push(WalRecord::Entries(entries.clone())),
            PersistOp::TruncateFrom(index) => self.push(WalRecord::TruncateFrom(*index)),
            PersistOp::Snapshot(snapshot) => self.save_snapshot(snapshot.clone()),
        }
        if policy == SyncPolicy::EveryWrite {
            self.sync();
        }
        self.has_unsynced()
    }

    fn push(&mut self, record: WalRecord) {
        self.bytes_written += record.size_bytes();
        self.wal.push(record);
    }

    /// A snapshot is written to a new file, synced and renamed into place (atomic), and the
    /// log is rewritten without what the snapshot covers.
    fn save_snapshot(&mut self, snapshot: Rc<Snapshot>) {
        let current = self.read(true);
        self.bytes_written += snapshot.size_bytes();
        let keep: Vec<Entry> = current
            .entries
            .into_iter()
            .filter(|e| e.index > snapshot.last_index)
            .collect();
        self.snapshot = Some(snapshot);
        self.wal.clear();
        self.push(WalRecord::HardState {
            term: current.term,
            voted_for: current.voted_for,
        });
        if !keep.is_empty() {
            self.push(WalRecord::Entries(keep));
        }
        self.synced_len = self.wal.len();
    }

    pub fn sync(&mut self) {
        self.synced_len = self.wal.len();
    }

    pub fn has_unsynced(&self) -> bool {
        self.synced_len < self.wal.len()
    }

    /// The crash: keeps the synced records, and the rest too unless `mode` loses them.
    pub fn crash(&mut self, mode: CrashMode) {
        if mode == CrashMode::LoseUnsynced {
            self.wal.truncate(self.synced_len);
        }
        self.synced_len = self.wal.len();
    }

    /// Replays the snapshot and the log into what a restarting server knows.
    /// With `include_unsynced` false, only what a power loss would keep.
    pub fn read(&self, include_unsynced: bool) -> Durable {
        let mut durable = Durable {
            snapshot: self.snapshot.clone(),
            ..Default::default()
        };
        let base = self
            .snapshot
            .as_ref()
            .map(|s| s.last_index)
            .unwrap_or_default();
        let records = if include_unsynced {
            &self.wal[..]
        } else {
            &self.wal[..self.synced_len]
        };
        for record in records {
            match record {
                WalRecord::HardState { term, voted_for } => {
                    durable.term = *term;
                    durable.voted_for = *voted_for;
                }
                WalRecord::Entries(entries) => {
                    for entry in entries.iter().filter(|e| e.index > base) {
                        let keep = (entry.index.0 - base.0 - 1) as usize;
                        durable.entries.truncate(keep);
                        if durable.entries.len() == keep {
                            durable.entries.push(entry.clone());
                        }
                    }
                }
                WalRecord::TruncateFrom(from) => {
                    let keep = from.0.saturating_sub(base.0 + 1) as usize;
                    durable.entries.truncate(keep);
                }
            }
        }
        durable
    }

    pub fn snapshot(&self) -> Option<&Rc<Snapshot>> {
        self.snapshot.as_ref()
    }

    pub fn wal(&self) -> &[WalRecord] {
        &self.wal
    }

    pub fn synced_len(&self) -> usize {
        self.synced_len
    }

    pub fn bytes_written(&self) -> u64 {
        self.bytes_written
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::raft::{Command, KvStore};

    fn entry(index: u64, term: u64) -> Entry {
        Entry {
            index: LogIndex(index),
            term: Term(term),
            cmd: Rc::new(Command::Noop),
            origin: None,
        }
    }

    #[test]
    fn replay_applies_truncations() {
        let mut disk = Disk::default();
        let p = SyncPolicy::EveryWrite;
        disk.write(
            &PersistOp::HardState {
                term: Term(2),
                voted_for: Some(NodeId(1)),
            },
            p,
        );
        disk.write(
            &PersistOp::Append(vec![entry(1, 1), entry(2, 1), entry(3, 2)]),
            p,
        );
        disk.write(&PersistOp::TruncateFrom(LogIndex(3)), p);
        disk.write(&PersistOp::Append(vec![entry(3, 3)]), p);
        let d = disk.read(true);
        assert_eq!(d.term, Term(2));
        assert_eq!(d.voted_for, Some(NodeId(1)));
        let terms: Vec<u64> = d.entries.iter().map(|e| e.term.0).collect();
        assert_eq!(terms, [1, 1, 3]);
    }

    #[test]
    fn power_loss_drops_only_the_unsynced_tail() {
        let mut disk = Disk::default();
        disk.write(
            &PersistOp::Append(vec![entry(1, 1)]),
            SyncPolicy::EveryWrite,
        );
        let waiting = disk.write(&PersistOp::Append(vec![entry(2, 1)]), SyncPolicy::Never);
        assert!(waiting);
        let mut clean = disk.clone();
        clean.crash(CrashMode::Clean);
        assert_eq!(clean.read(true).entries.len(), 2);
        disk.crash(CrashMode::LoseUnsynced);
        assert_eq!(disk.read(true).entries.len(), 1);
    }

    #[test]
    fn snapshot_compacts_the_log() {
        let mut disk = Disk::default();
        let p = SyncPolicy::EveryWrite;
        disk.write(
            &PersistOp::HardState {
                term: Term(1),
                voted_for: None,
            },
            p,
        );
        disk.write(
            &PersistOp::Append(vec![entry(1, 1), entry(2, 1), entry(3, 1)]),
            p,
        );
        let snap = Snapshot {
            last_index: LogIndex(2),
            last_term: Term(1),
            kv: KvStore::default(),
        };
        disk.write(&PersistOp::Snapshot(Rc::new(snap)), p);
        let d = disk.read(true);
        assert_eq!(d.snapshot.as_ref().map(|s| s.last_index), Some(LogIndex(2)));
        assert_eq!(d.entries.iter().map(|e| e.index.0).collect::<Vec<_>>(), [3]);
        assert_eq!(disk.wal().len(), 2, "hard state and the one live entry");
    }
}
