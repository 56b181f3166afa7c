//! A simulated write-ahead log of checksummed records, the same for every protocol.
//!
//! A write first lands in the page cache ("written"); a sync makes it durable ("synced").
//! A crash keeps the synced prefix and, depending on how the crash happens, the unsynced
//! tail too, or a torn copy of the record being written. Reading stops at the first record
//! whose checksum does not match, so a torn record is never replayed.

use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::protocol::Storage;
use std::fmt::Debug;

/// A record a protocol keeps in a write-ahead log.
pub trait WalRecord: Clone + Debug + PartialEq {
    /// The record's size on disk in bytes (header and checksum included).
    fn size_bytes(&self) -> u64;
    /// A checksum over the record's content, as a real log stores in its header.
    fn checksum(&self) -> u64;
    /// What reached the disk of a write cut off halfway by a power loss, for display: it
    /// never reads back, since its checksum does not match. By default the record itself.
    fn first_half(self) -> Self {
        self
    }
    /// The record a tearing crash tears when everything written was already synced (the
    /// next write had just begun), if the protocol models one.
    fn next_write() -> Option<Self> {
        None
    }
}

/// A record as it lies on disk: its content and, for a record cut short by a power loss,
/// how much of it was written and the checksum its header carries.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame<R> {
    pub record: R,
    /// `None` for a whole write, whose header checksum is its content's by construction:
    /// it is computed when checked rather than on every write (where it was the costliest
    /// step of the disk model), and a whole record's frame stays as small as the record.
    pub torn: Option<Box<TornWrite>>,
}

/// What a power loss in the middle of a write leaves of a record.
#[derive(Clone, Debug, PartialEq)]
pub struct TornWrite {
    /// The bytes that reached the disk.
    pub written_bytes: u64,
    /// The checksum in the header, written for the whole record.
    pub header_checksum: u64,
}

impl<R: WalRecord> Frame<R> {
    fn whole(record: R) -> Frame<R> {
        Frame { record, torn: None }
    }

    /// How many of the record's bytes reached the disk.
    pub fn written_bytes(&self) -> u64 {
        match &self.torn {
            Some(torn) => torn.written_bytes,
            None => self.record.size_bytes(),
        }
    }

    /// Whether the whole record is there and its checksum matches its content; a write cut
    /// short by a power loss fails this.
    pub fn intact(&self) -> bool {
        match &self.torn {
            None => true,
            Some(torn) => {
                torn.written_bytes == self.record.size_bytes()
                    && torn.header_checksum == self.record.checksum()
            }
        }
    }
}

/// The log: its frames, how many of them are durable, and the bytes ever written.
#[derive(Clone, Debug, PartialEq)]
pub struct Wal<R> {
    frames: Vec<Frame<R>>,
    /// Frames before this position are durable.
    synced_len: usize,
    bytes_written: u64,
}

impl<R> Default for Wal<R> {
    fn default() -> Self {
        Wal {
            frames: Vec::new(),
            synced_len: 0,
            bytes_written: 0,
        }
    }
}

impl<R: WalRecord> Wal<R> {
    /// Appends a record to the page cache.
    pub fn push(&mut self, record: R) {
        self.bytes_written += record.size_bytes();
        self.frames.push(Frame::whole(record));
    }

    /// Counts bytes written beside the log (a snapshot file).
    pub fn count_bytes(&mut self, bytes: u64) {
        self.bytes_written += bytes;
    }

    /// Replaces the whole log with `records`, durable at once: a log rewritten to a new file,
    /// synced and renamed into place.
    pub fn rewrite(&mut self, records: impl IntoIterator<Item = R>) {
        self.frames.clear();
        for record in records {
            self.push(record);
        }
        self.synced_len = self.frames.len();
    }

    /// Makes every written record durable; returns how many became durable.
    pub fn sync(&mut self) -> usize {
        let newly = self.frames.len() - self.synced_len;
        self.synced_len = self.frames.len();
        newly
    }

    pub fn has_unsynced(&self) -> bool {
        self.synced_len < self.frames.len()
    }

    /// The crash: keeps the synced records, and the rest too unless `mode` loses them; a
    /// tearing crash leaves a half-written copy of the record being written.
    pub fn crash(&mut self, mode: CrashMode) {
        match mode {
            CrashMode::Clean => {}
            CrashMode::LoseUnsynced => self.frames.truncate(self.synced_len),
            CrashMode::TearLast => {
                // The first unsynced record was being written when the power went, or,
                // with everything synced, the next write had just begun.
                let torn = match self.frames.get(self.synced_len) {
                    Some(frame) => Some(frame.record.clone()),
                    None => R::next_write(),
                };
                self.frames.truncate(self.synced_len);
                if let Some(torn) = torn {
                    let checksum = torn.checksum();
                    let written_bytes = torn.size_bytes() / 2;
                    self.bytes_written += written_bytes;
                    // What reached the disk is the first half; the rest reads back as garbage.
                    self.frames.push(Frame {
                        record: torn.first_half(),
                        torn: Some(Box::new(TornWrite {
                            written_bytes,
                            header_checksum: checksum,
                        })),
                    });
                }
            }
        }
        self.synced_len = self.frames.len();
    }

    /// The records a read finds, in order, up to the first torn one; and that one's position.
    pub fn intact(&self) -> (&[Frame<R>], Option<usize>) {
        match self.frames.iter().position(|f| !f.intact()) {
            Some(torn) => (&self.frames[..torn], Some(torn)),
            None => (&self.frames, None),
        }
    }

    /// Drops a torn tail found on restart, as recovery does before appending again.
    pub fn discard_from(&mut self, position: usize) {
        self.frames.truncate(position);
        self.synced_len = self.synced_len.min(self.frames.len());
    }

    pub fn frames(&self) -> &[Frame<R>] {
        &self.frames
    }

    pub fn synced_len(&self) -> usize {
        self.synced_len
    }

    pub fn bytes_written(&self) -> u64 {
        self.bytes_written
    }
}

/// A protocol whose disk is just a log: a restart reads back its intact records.
impl<R: WalRecord> Storage for Wal<R> {
    type Record = R;
    type Recovered = Vec<R>;

    fn write(&mut self, record: R, policy: SyncPolicy) -> (u64, bool) {
        let before = self.bytes_written;
        self.push(record);
        if policy == SyncPolicy::EveryWrite {
            Wal::sync(self);
        }
        (self.bytes_written - before, self.has_unsynced())
    }

    fn sync(&mut self) -> usize {
        Wal::sync(self)
    }

    fn crash(&mut self, mode: CrashMode) {
        Wal::crash(self, mode)
    }

    fn read(&self) -> (Vec<R>, Option<usize>) {
        let (frames, torn_at) = self.intact();
        (frames.iter().map(|f| f.record.clone()).collect(), torn_at)
    }

    fn discard_from(&mut self, position: usize) {
        Wal::discard_from(self, position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Rec(u64);

    impl WalRecord for Rec {
        fn size_bytes(&self) -> u64 {
            16
        }
        fn checksum(&self) -> u64 {
            self.0.wrapping_mul(31)
        }
    }

    #[test]
    fn a_power_loss_keeps_the_synced_prefix_and_a_torn_write_never_reads_back() {
        let mut wal = Wal::default();
        Storage::write(&mut wal, Rec(1), SyncPolicy::EveryWrite);
        let (_, waiting) = Storage::write(&mut wal, Rec(2), SyncPolicy::Never);
        assert!(waiting, "the second write waits for a sync");
        let mut lost = wal.clone();
        lost.crash(CrashMode::LoseUnsynced);
        assert_eq!(Storage::read(&lost), (vec![Rec(1)], None));
        wal.crash(CrashMode::TearLast);
        assert_eq!(
            Storage::read(&wal),
            (vec![Rec(1)], Some(1)),
            "the half-written record ends the read"
        );
        Storage::discard_from(&mut wal, 1);
        assert_eq!(wal.frames().len(), 1);
        assert_eq!(wal.bytes_written(), 16 + 16 + 8);
    }

    #[test]
    fn a_clean_crash_keeps_unsynced_writes() {
        let mut wal = Wal::default();
        Storage::write(&mut wal, Rec(1), SyncPolicy::Never);
        wal.crash(CrashMode::Clean);
        assert_eq!(Storage::read(&wal), (vec![Rec(1)], None));
    }
}
