//! What the coordinator and the participants write to their write-ahead logs. The log is
//! never truncated here (a real one is, after a checkpoint; presumed abort allows forgetting
//! a transaction once it has ended, since only a participant in doubt asks about it).

use super::types::{Key, TxnId, Value};
use crate::sim::raft::disk::WalRecord as RaftRecord;
use crate::sim::types::NodeId;

/// One record of a node's write-ahead log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// Participant: it locked `keys`, staged `writes` and is about to vote yes. Forced before
    /// the vote leaves: a participant that voted yes must be able to commit after any crash
    /// (Gray and Reuter, section 10.3; Bernstein et al., section 7.3, rule 2PC-1).
    Prepared {
        txn: TxnId,
        keys: Vec<Key>,
        writes: Vec<(Key, Value)>,
        participants: Vec<NodeId>,
    },
    /// Participant: the commit decision, forced before it applies, releases and acknowledges.
    /// Coordinator: the commit decision with its participants, forced before the first
    /// commit message leaves; a recovered coordinator resends it to them.
    Commit {
        txn: TxnId,
        participants: Vec<NodeId>,
    },
    /// Participant: `txn` aborted here (a no vote, an abort decision, or a unilateral abort
    /// before voting). Presumed abort needs no abort record; it is written (not waited for)
    /// so that a late copy of the prepare request is answered no again after a crash.
    Abort { txn: TxnId },
    /// Coordinator: every participant acknowledged the commit (not forced: losing it only
    /// makes a recovered coordinator resend a commit that participants acknowledge again).
    End { txn: TxnId },
    /// A member of the coordinator group: one record of its Raft log (term and vote, entries,
    /// a truncation, the commit index), written as Raft writes it (`sim::raft::disk`).
    Raft(RaftRecord),
}

/// Every record's header: its length and its checksum.
pub const RECORD_HEADER_BYTES: u64 = 4 + 8;

impl Record {
    /// The name a `wal_write` trace line gives the record.
    pub fn name(&self) -> &'static str {
        match self {
            Record::Prepared { .. } => "prepared",
            Record::Commit { .. } => "commit",
            Record::Abort { .. } => "abort",
            Record::End { .. } => "end",
            Record::Raft(r) => match r {
                RaftRecord::HardState { .. } => "raft_hard_state",
                RaftRecord::Entries(_) => "raft_entries",
                RaftRecord::TruncateFrom(_) => "raft_truncate",
                RaftRecord::Commit(_) => "raft_commit",
            },
        }
    }

    /// The transaction the record is about; 0 for a Raft record (its entries name
    /// transactions in their keys, `txn/<id>`).
    pub fn txn(&self) -> TxnId {
        match self {
            Record::Prepared { txn, .. }
            | Record::Commit { txn, .. }
            | Record::Abort { txn }
            | Record::End { txn } => *txn,
            Record::Raft(_) => 0,
        }
    }

    /// Size on disk: header, a tag byte, the transaction id and the contents.
    pub fn bytes(&self) -> u64 {
        let content = match self {
            Record::Prepared {
                keys,
                writes,
                participants,
                ..
            } => 4 * keys.len() + 12 * writes.len() + 4 * participants.len(),
            Record::Commit { participants, .. } => 4 * participants.len(),
            Record::Abort { .. } | Record::End { .. } => 0,
            Record::Raft(r) => return r.size_bytes(),
        };
        RECORD_HEADER_BYTES + 1 + 8 + content as u64
    }

    /// FNV-1a over the tag and every field.
    pub fn checksum(&self) -> u64 {
        if let Record::Raft(r) = self {
            return crate::sim::wal::WalRecord::checksum(r);
        }
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for b in bytes {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        let tag: u8 = match self {
            Record::Prepared { .. } => 1,
            Record::Commit { .. } => 2,
            Record::Abort { .. } => 3,
            Record::End { .. } => 4,
            Record::Raft(_) => 5,
        };
        eat(&[tag]);
        eat(&self.txn().to_le_bytes());
        match self {
            Record::Prepared {
                keys,
                writes,
                participants,
                ..
            } => {
                for k in keys {
                    eat(&k.to_le_bytes());
                }
                for (k, v) in writes {
                    eat(&k.to_le_bytes());
                    eat(&v.to_le_bytes());
                }
                for p in participants {
                    eat(&p.0.to_le_bytes());
                }
            }
            Record::Commit { participants, .. } => {
                for p in participants {
                    eat(&p.0.to_le_bytes());
                }
            }
            Record::Abort { .. } | Record::End { .. } | Record::Raft(_) => {}
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
