//! None Left In Doubt, asked once at the end of a run whose faults were healed and which then
//! ran quiet: no participant is still prepared without an outcome, and every commit the
//! coordinator decided was acknowledged by all its participants (its end record written).
//! Two-phase commit blocks while the coordinator is down (Bernstein et al., section 7.3: it
//! is not non-blocking); once it is back, everything must resolve. Lines from the last
//! `GRACE_US` of the run are left out: what began then may still be under way.

use super::property::{Detail, Finding, Property};
use crate::sim::twopc::config::COORDINATOR;
use crate::sim::twopc::message::Outcome;
use crate::sim::twopc::note::Note;
use crate::sim::twopc::types::TxnId;
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};
use std::collections::BTreeMap;

/// How long before the end of a run a transaction must have prepared or decided to be owed
/// an outcome by then.
pub const GRACE_US: Micros = 5_000 * MICROS_PER_MS;

#[derive(Clone, Debug, Default)]
pub struct NoneLeftInDoubt {
    /// (participant, txn) prepared with no outcome yet: when, and at which line.
    in_doubt: BTreeMap<(NodeId, TxnId), (Micros, u64)>,
    /// Commits decided and not yet ended.
    unended: BTreeMap<TxnId, (Micros, u64)>,
}

impl NoneLeftInDoubt {
    pub fn observe(&mut self, note: &Note, t: Micros, line: u64) {
        match *note {
            Note::TxnVote {
                node,
                txn,
                yes: true,
                ..
            } => {
                self.in_doubt.entry((node, txn)).or_insert((t, line));
            }
            Note::TxnCommit { node, txn, .. } | Note::TxnAbort { node, txn, .. } => {
                self.in_doubt.remove(&(node, txn));
            }
            Note::TxnDecide {
                txn,
                outcome: Outcome::Commit,
                ..
            } => {
                self.unended.insert(txn, (t, line));
            }
            Note::TxnEnd { txn, .. } => {
                self.unended.remove(&txn);
            }
            _ => {}
        }
    }

    /// The first participant still in doubt, or else the first commit not acknowledged, with
    /// the line where it began.
    pub fn finish(&self, now_us: Micros) -> Option<(Finding, u64)> {
        let owed = |since: Micros| since + GRACE_US <= now_us;
        if let Some((&(node, txn), &(since_us, line))) =
            self.in_doubt.iter().find(|(_, (since, _))| owed(*since))
        {
            let finding = Finding {
                property: Property::NoneLeftInDoubt,
                nodes: vec![node],
                txn,
                detail: Detail::InDoubt { node, since_us },
            };
            return Some((finding, line));
        }
        let (&txn, &(since_us, line)) = self.unended.iter().find(|(_, (since, _))| owed(*since))?;
        let finding = Finding {
            property: Property::NoneLeftInDoubt,
            nodes: vec![COORDINATOR],
            txn,
            detail: Detail::Unacknowledged { since_us },
        };
        Some((finding, line))
    }
}
