//! A Raft server's simulated disk: the engine's write-ahead log (`sim::wal`, whose sync,
//! crash and torn-write semantics every protocol shares) of Raft records, plus one snapshot
//! file. Restart reads only this disk: everything else the server knew is gone.

use super::kv::command_hash;
use super::{Durable, Entry, PersistOp, Snapshot};
use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::fnv::Fnv;
use crate::sim::types::{LogIndex, NodeId, Term};
use crate::sim::wal::Wal;
use std::rc::Rc;

/// One record of the write-ahead log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WalRecord {
    HardState {
        term: Term,
        voted_for: Option<NodeId>,
    },
    Entries(Vec<Entry>),
    TruncateFrom(LogIndex),
    Commit(LogIndex),
}

impl WalRecord {
    /// The record's size on disk in bytes (header and checksum included).
    pub fn size_bytes(&self) -> u64 {
        16 + match self {
            WalRecord::HardState { .. } => 16,
            WalRecord::Entries(entries) => entries.iter().map(entry_bytes).sum(),
            WalRecord::TruncateFrom(_) | WalRecord::Commit(_) => 8,
        }
    }

    /// The record's type as the trace names it.
    pub fn kind(&self) -> &'static str {
        match self {
            WalRecord::HardState { .. } => "hard_state",
            WalRecord::Entries(_) => "entries",
            WalRecord::TruncateFrom(_) => "truncate",
            WalRecord::Commit(_) => "commit",
        }
    }

    /// A checksum over the record's content, as a real log would store in its header.
    fn checksum(&self) -> u64 {
        let mut h = Fnv::default();
        match self {
            WalRecord::HardState { term, voted_for } => {
                h.bytes(&[1]);
                h.bytes(&term.0.to_le_bytes());
                h.bytes(&voted_for.map(|n| n.0 as u64 + 1).unwrap_or(0).to_le_bytes());
            }
            WalRecord::Entries(entries) => {
                h.bytes(&[2]);
                for e in entries {
                    h.bytes(&e.index.0.to_le_bytes());
                    h.bytes(&e.term.0.to_le_bytes());
                    let origin = (e.origin.map(|o| o.client), e.origin.map(|o| o.request));
                    h.bytes(&command_hash(&e.cmd, origin.0, origin.1).to_le_bytes());
                }
            }
            WalRecord::TruncateFrom(i) => {
                h.bytes(&[3]);
                h.bytes(&i.0.to_le_bytes());
            }
            WalRecord::Commit(i) => {
                h.bytes(&[4]);
                h.bytes(&i.0.to_le_bytes());
            }
        }
        h.0
    }
}

fn entry_bytes(entry: &Entry) -> u64 {
    24 + match entry.cmd.key() {
        Some(key) => key.len() as u64 + 16,
        None => 0,
    }
}

/// Replays one record into what a restarting server knows, after a snapshot up to `base`.
fn replay(durable: &mut Durable, base: LogIndex, record: &WalRecord) {
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
        WalRecord::Commit(index) => durable.commit = durable.commit.max(*index),
    }
}

/// A commit index never covers entries the log no longer holds.
fn end_replay(durable: &mut Durable, base: LogIndex) {
    let last = durable.entries.last().map(|e| e.index).unwrap_or(base);
    durable.commit = durable.commit.min(last).max(base);
}

/// What a server restarting from these records (read back intact, in order, with no
/// snapshot file) knows: the same replay as `Disk::read`, for a protocol that keeps Raft's
/// records in a log of its own (the two-phase commit coordinator group).
pub fn durable_of<'a>(records: impl IntoIterator<Item = &'a WalRecord>) -> Durable {
    let mut durable = Durable::default();
    for record in records {
        replay(&mut durable, LogIndex(0), record);
    }
    end_replay(&mut durable, LogIndex(0));
    durable
}

/// The record a write of `op` appends to the log; `None` for a snapshot, which goes to its
/// own file.
pub fn record_of(op: PersistOp) -> Option<WalRecord> {
    match op {
        PersistOp::HardState { term, voted_for } => Some(WalRecord::HardState { term, voted_for }),
        PersistOp::Append(entries) => Some(WalRecord::Entries(entries)),
        PersistOp::TruncateFrom(index) => Some(WalRecord::TruncateFrom(index)),
        PersistOp::Commit(index) => Some(WalRecord::Commit(index)),
        PersistOp::Snapshot(_) => None,
    }
}

/// A Raft log record as it lies on disk.
pub type Frame = crate::sim::wal::Frame<WalRecord>;

/// What reading the disk found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recovered {
    pub durable: Durable,
    /// Records read and replayed.
    pub records: u64,
    /// The position of a torn record that ended the read, if any.
    pub torn_at: Option<usize>,
}

/// A Raft server's disk: its log and its snapshot file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Disk {
    snapshot: Option<Rc<Snapshot>>,
    wal: Wal<WalRecord>,
}

impl Disk {
    /// Appends a server's write; returns the bytes written and whether something is now
    /// waiting for a sync.
    pub fn write(&mut self, op: &PersistOp, policy: SyncPolicy) -> (u64, bool) {
        self.write_owned(op.clone(), policy)
    }

    /// Like `write`, taking the operation by value so that appended entries move into the
    /// log record instead of being copied (the engine writes every append this way).
    pub fn write_owned(&mut self, op: PersistOp, policy: SyncPolicy) -> (u64, bool) {
        let before = self.wal.bytes_written();
        match op {
            PersistOp::HardState { term, voted_for } => {
                self.wal.push(WalRecord::HardState { term, voted_for })
            }
            PersistOp::Append(entries) => self.wal.push(WalRecord::Entries(entries)),
            PersistOp::TruncateFrom(index) => self.wal.push(WalRecord::TruncateFrom(index)),
            PersistOp::Commit(index) => self.wal.push(WalRecord::Commit(index)),
            PersistOp::Snapshot(snapshot) => self.save_snapshot(snapshot),
        }
        if policy == SyncPolicy::EveryWrite {
            self.sync();
        }
        (self.wal.bytes_written() - before, self.has_unsynced())
    }

    /// A snapshot is written to a new file, synced and renamed into place (atomic), and the
    /// log is rewritten without what the snapshot covers.
    fn save_snapshot(&mut self, snapshot: Rc<Snapshot>) {
        let current = self.read(true).durable;
        self.wal.count_bytes(snapshot.size_bytes());
        let keep: Vec<Entry> = current
            .entries
            .into_iter()
            .filter(|e| e.index > snapshot.last_index)
            .collect();
        let commit = current.commit.max(snapshot.last_index);
        self.snapshot = Some(snapshot);
        let hard_state = WalRecord::HardState {
            term: current.term,
            voted_for: current.voted_for,
        };
        let entries = (!keep.is_empty()).then_some(WalRecord::Entries(keep));
        let records = std::iter::once(hard_state)
            .chain(entries)
            .chain(std::iter::once(WalRecord::Commit(commit)));
        self.wal.rewrite(records);
    }

    /// Makes every written record durable; returns how many became durable.
    pub fn sync(&mut self) -> usize {
        self.wal.sync()
    }

    pub fn has_unsynced(&self) -> bool {
        self.wal.has_unsynced()
    }

    /// The crash: keeps the synced records, and the rest too unless `mode` loses them; a
    /// tearing crash leaves a half-written copy of the record being written.
    pub fn crash(&mut self, mode: CrashMode) {
        self.wal.crash(mode);
    }

    /// Replays the snapshot and the log into what a restarting server knows. With
    /// `include_unsynced` false, only what a power loss would keep. Stops at a torn record.
    pub fn read(&self, include_unsynced: bool) -> Recovered {
        let mut durable = Durable {
            snapshot: self.snapshot.clone(),
            ..Default::default()
        };
        let base = self
            .snapshot
            .as_ref()
            .map(|s| s.last_index)
            .unwrap_or_default();
        durable.commit = base;
        let frames = self.wal.frames();
        let frames = if include_unsynced {
            frames
        } else {
            &frames[..self.wal.synced_len()]
        };
        let mut records = 0;
        for (position, frame) in frames.iter().enumerate() {
            if !frame.intact() {
                return Recovered {
                    durable,
                    records,
                    torn_at: Some(position),
                };
            }
            records += 1;
            replay(&mut durable, base, &frame.record);
        }
        end_replay(&mut durable, base);
        Recovered {
            durable,
            records,
            torn_at: None,
        }
    }

    /// Drops a torn tail found on restart, as recovery does before appending again.
    pub fn discard_from(&mut self, position: usize) {
        self.wal.discard_from(position);
    }

    pub fn snapshot(&self) -> Option<&Rc<Snapshot>> {
        self.snapshot.as_ref()
    }

    pub fn frames(&self) -> &[Frame] {
        self.wal.frames()
    }

    pub fn synced_len(&self) -> usize {
        self.wal.synced_len()
    }

    pub fn bytes_written(&self) -> u64 {
        self.wal.bytes_written()
    }
}

impl crate::sim::wal::WalRecord for WalRecord {
    fn size_bytes(&self) -> u64 {
        WalRecord::size_bytes(self)
    }

    fn checksum(&self) -> u64 {
        WalRecord::checksum(self)
    }

    /// The first half of a record, as a write cut off by a power loss leaves it.
    fn first_half(self) -> WalRecord {
        half_of(self)
    }

    /// A commit record that points nowhere (it never reads back: it is torn).
    fn next_write() -> Option<WalRecord> {
        Some(WalRecord::Commit(LogIndex(u64::MAX)))
    }
}

/// The first half of a record, as a write cut off by a power loss leaves it.
fn half_of(record: WalRecord) -> WalRecord {
    match record {
        WalRecord::Entries(mut entries) if entries.len() > 1 => {
            entries.truncate(entries.len() / 2);
            WalRecord::Entries(entries)
        }
        WalRecord::Entries(entries) => WalRecord::Entries(
            entries
                .into_iter()
                .map(|e| Entry { term: Term(0), ..e })
                .collect(),
        ),
        WalRecord::HardState { term, .. } => WalRecord::HardState {
            term,
            voted_for: None,
        },
        WalRecord::TruncateFrom(i) => WalRecord::TruncateFrom(LogIndex(i.0 / 2)),
        WalRecord::Commit(i) => WalRecord::Commit(LogIndex(i.0 / 2)),
    }
}

impl crate::sim::protocol::Storage for Disk {
    type Record = PersistOp;
    type Recovered = Durable;

    fn write(&mut self, record: PersistOp, policy: SyncPolicy) -> (u64, bool) {
        self.write_owned(record, policy)
    }

    fn sync(&mut self) -> usize {
        Disk::sync(self)
    }

    fn crash(&mut self, mode: CrashMode) {
        Disk::crash(self, mode)
    }

    fn read(&self) -> (Durable, Option<usize>) {
        let recovered = Disk::read(self, true);
        (recovered.durable, recovered.torn_at)
    }

    fn discard_from(&mut self, position: usize) {
        Disk::discard_from(self, position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::raft::kv::{Command, KvStore};

    fn entry(index: u64, term: u64) -> Entry {
        Entry {
            index: LogIndex(index),
            term: Term(term),
            cmd: Rc::new(Command::Noop),
            origin: None,
        }
    }

    const SYNC: SyncPolicy = SyncPolicy::EveryWrite;

    #[test]
    fn replay_applies_truncations_and_commit() {
        let mut disk = Disk::default();
        disk.write(
            &PersistOp::HardState {
                term: Term(2),
                voted_for: Some(NodeId(1)),
            },
            SYNC,
        );
        disk.write(
            &PersistOp::Append(vec![entry(1, 1), entry(2, 1), entry(3, 2)]),
            SYNC,
        );
        disk.write(&PersistOp::Commit(LogIndex(2)), SYNC);
        disk.write(&PersistOp::TruncateFrom(LogIndex(3)), SYNC);
        disk.write(&PersistOp::Append(vec![entry(3, 3)]), SYNC);
        let d = disk.read(true).durable;
        assert_eq!(d.term, Term(2));
        assert_eq!(d.voted_for, Some(NodeId(1)));
        assert_eq!(d.commit, LogIndex(2));
        let terms: Vec<u64> = d.entries.iter().map(|e| e.term.0).collect();
        assert_eq!(terms, [1, 1, 3]);
    }

    #[test]
    fn power_loss_drops_only_the_unsynced_tail() {
        let mut disk = Disk::default();
        disk.write(&PersistOp::Append(vec![entry(1, 1)]), SYNC);
        let (_, waiting) = disk.write(&PersistOp::Append(vec![entry(2, 1)]), SyncPolicy::Never);
        assert!(waiting);
        let mut clean = disk.clone();
        clean.crash(CrashMode::Clean);
        assert_eq!(clean.read(true).durable.entries.len(), 2);
        disk.crash(CrashMode::LoseUnsynced);
        assert_eq!(disk.read(true).durable.entries.len(), 1);
    }

    /// A record cut off mid-write fails its checksum and is never replayed, nor anything
    /// after it.
    #[test]
    fn a_torn_record_is_detected_and_never_replayed() {
        let mut disk = Disk::default();
        disk.write(&PersistOp::Append(vec![entry(1, 1)]), SYNC);
        disk.write(
            &PersistOp::Append(vec![entry(2, 1), entry(3, 1)]),
            SyncPolicy::Never,
        );
        disk.crash(CrashMode::TearLast);
        let recovered = disk.read(true);
        assert_eq!(recovered.torn_at, Some(1));
        assert_eq!(
            recovered.durable.entries.len(),
            1,
            "only the synced entry survives"
        );
        disk.discard_from(1);
        assert_eq!(disk.read(true).torn_at, None);

        let mut all_synced = Disk::default();
        all_synced.write(&PersistOp::Append(vec![entry(1, 1)]), SYNC);
        all_synced.crash(CrashMode::TearLast);
        let recovered = all_synced.read(true);
        assert_eq!(
            recovered.torn_at,
            Some(1),
            "the write that had just begun is torn"
        );
        assert_eq!(
            recovered.durable.entries.len(),
            1,
            "synced records are untouched"
        );
    }

    #[test]
    fn snapshot_compacts_the_log() {
        let mut disk = Disk::default();
        disk.write(
            &PersistOp::HardState {
                term: Term(1),
                voted_for: None,
            },
            SYNC,
        );
        disk.write(
            &PersistOp::Append(vec![entry(1, 1), entry(2, 1), entry(3, 1)]),
            SYNC,
        );
        let snap = Snapshot {
            last_index: LogIndex(2),
            last_term: Term(1),
            kv: KvStore::default(),
            config: None,
        };
        disk.write(&PersistOp::Snapshot(Rc::new(snap)), SYNC);
        let d = disk.read(true).durable;
        assert_eq!(d.snapshot.as_ref().map(|s| s.last_index), Some(LogIndex(2)));
        assert_eq!(d.entries.iter().map(|e| e.index.0).collect::<Vec<_>>(), [3]);
        assert_eq!(d.commit, LogIndex(2));
        assert_eq!(
            disk.frames().len(),
            3,
            "hard state, the one live entry, the commit"
        );
    }
}
