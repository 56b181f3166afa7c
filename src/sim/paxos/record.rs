//! What a node writes to its write-ahead log before it answers ("Paxos Made Simple", section
//! 2.5: "an acceptor records its intended response in stable storage before actually sending
//! the response", and "each proposer remembers (in stable storage) the highest-numbered
//! proposal it has tried to issue"). The log is never compacted here.

use super::message::value_bytes;
use super::types::{Ballot, Slot, Value};
use crate::sim::fnv::Fnv;
use crate::sim::kv::command_hash;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// Acceptor: it promised to accept nothing numbered below `ballot` (not written under
    /// the broken switch `forget-promise-on-crash`).
    Promised { ballot: Ballot },
    /// Acceptor: it accepted `value` in `slot` under `ballot` (which also promises `ballot`).
    Accepted {
        slot: Slot,
        ballot: Ballot,
        value: Value,
    },
    /// Proposer: the highest round it has tried, so that a restarted proposer never uses a
    /// ballot twice.
    Round { round: u64 },
}

/// Every record's header: its length and its checksum.
pub const RECORD_HEADER_BYTES: u64 = 4 + 8;

impl Record {
    /// The name a `wal_write` trace line gives the record.
    pub fn name(&self) -> &'static str {
        match self {
            Record::Promised { .. } => "promised",
            Record::Accepted { .. } => "accepted",
            Record::Round { .. } => "round",
        }
    }

    /// Size on disk: header, a tag byte and the contents.
    pub fn bytes(&self) -> u64 {
        let content = match self {
            Record::Promised { .. } => 12,
            Record::Accepted { value, .. } => 20 + value_bytes(value),
            Record::Round { .. } => 8,
        };
        RECORD_HEADER_BYTES + 1 + content
    }

    /// FNV-1a over the tag and every field.
    pub fn checksum(&self) -> u64 {
        let mut h = Fnv::default();
        let ballot = |h: &mut Fnv, b: &Ballot| {
            h.bytes(&b.round.to_le_bytes());
            h.bytes(&b.proposer.0.to_le_bytes());
        };
        match self {
            Record::Promised { ballot: b } => {
                h.bytes(&[1]);
                ballot(&mut h, b);
            }
            Record::Accepted {
                slot,
                ballot: b,
                value,
            } => {
                h.bytes(&[2]);
                h.bytes(&slot.to_le_bytes());
                ballot(&mut h, b);
                match value {
                    Value::Noop => h.bytes(&[0]),
                    Value::Own { proposer } => h.field(&proposer.0.to_le_bytes()),
                    Value::Command {
                        client,
                        request,
                        cmd,
                    } => h.bytes(&command_hash(cmd, Some(*client), Some(*request)).to_le_bytes()),
                }
            }
            Record::Round { round } => {
                h.bytes(&[3]);
                h.bytes(&round.to_le_bytes());
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
