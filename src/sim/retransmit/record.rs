//! What senders and receivers write to their write-ahead logs, and how they read it back.

use super::message::Seq;

/// One record of a node's write-ahead log. A sender writes the first two kinds, a receiver
/// the last two.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// The application handed over message `seq`. Written before its first transmission, so
    /// that a message the receiver may have seen is never lost with the sender's memory.
    Accepted { seq: Seq, payload: u32 },
    /// Every message up to `seq` is acknowledged. Written as the window advances, with nothing
    /// waiting on it: if a crash loses it, the restarted sender resends a few acknowledged
    /// messages, which the receiver drops as duplicates.
    AckedThrough { seq: Seq },
    /// The application has been handed every message up to `seq`. Written before the messages
    /// are handed over and before the acknowledgement that reports them.
    DeliveredThrough { seq: Seq },
    /// Selective repeat: message `seq` arrived out of order and is kept until the gap below it
    /// fills. Written before the acknowledgement that reports it, since a sender told it
    /// arrived never sends it again.
    Buffered { seq: Seq, payload: u32 },
}

/// Every record's header: its length and its checksum.
pub const RECORD_HEADER_BYTES: u64 = 4 + 8;

impl Record {
    /// The name a `wal_write` trace line gives the record.
    pub fn name(&self) -> &'static str {
        match self {
            Record::Accepted { .. } => "accepted",
            Record::AckedThrough { .. } => "acked_through",
            Record::DeliveredThrough { .. } => "delivered_through",
            Record::Buffered { .. } => "buffered",
        }
    }

    /// Size on disk: header, a tag byte, the sequence number and the payload if any.
    pub fn bytes(&self) -> u64 {
        let content = match self {
            Record::Accepted { .. } | Record::Buffered { .. } => 1 + 8 + 4,
            Record::AckedThrough { .. } | Record::DeliveredThrough { .. } => 1 + 8,
        };
        RECORD_HEADER_BYTES + content
    }

    /// FNV-1a over the tag, the sequence number and the payload.
    pub fn checksum(&self) -> u64 {
        let (tag, seq, payload) = match *self {
            Record::Accepted { seq, payload } => (1u8, seq, Some(payload)),
            Record::AckedThrough { seq } => (2, seq, None),
            Record::DeliveredThrough { seq } => (3, seq, None),
            Record::Buffered { seq, payload } => (4, seq, Some(payload)),
        };
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for b in bytes {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        eat(&[tag]);
        eat(&seq.to_le_bytes());
        if let Some(p) = payload {
            eat(&p.to_le_bytes());
        }
        hash
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_tell_kinds_and_contents_apart() {
        let a = Record::Accepted { seq: 1, payload: 7 };
        let b = Record::Buffered { seq: 1, payload: 7 };
        let c = Record::Accepted { seq: 1, payload: 8 };
        let d = Record::AckedThrough { seq: 1 };
        let e = Record::DeliveredThrough { seq: 1 };
        let sums = [
            a.checksum(),
            b.checksum(),
            c.checksum(),
            d.checksum(),
            e.checksum(),
        ];
        for (i, x) in sums.iter().enumerate() {
            for y in &sums[i + 1..] {
                assert_ne!(x, y);
            }
        }
        assert_eq!(a.bytes(), 25);
        assert_eq!(d.bytes(), 21);
    }
}
