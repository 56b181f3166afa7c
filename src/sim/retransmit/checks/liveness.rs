//! Liveness, asked once at the end of a run whose faults were healed and which then ran quiet:
//! every message a sender accepted has been delivered. Retransmission exists for this; a
//! sender that forgets what it had in flight keeps safety and loses it.
//!
//! When a pair's application handed over its last message (a bounded run, `accept` with
//! `last`), every accepted message must be delivered. When it never stops (`messages` = 0),
//! the run ends with messages in flight, so only those accepted before the last fault line
//! (crash, restart, partition, heal, cut or repair) must be: the stream got past every fault.

use super::detail::{Detail, LivenessDetail};
use super::ledger::Ledger;
use super::no_duplicate::NoDuplicateDelivery;
use super::property::{Finding, Property};
use crate::sim::retransmit::pairs::nodes_of;

/// The first message that should have been delivered and was not, with the line where it
/// was accepted.
pub fn finish(ledger: &Ledger, delivered: &NoDuplicateDelivery) -> Option<(Finding, u64)> {
    let (pair, seq, accepted) = ledger.iter().find(|(pair, seq, accepted)| {
        let owed = ledger.finished(*pair) || ledger.before_last_fault(accepted);
        owed && !delivered.delivered(*pair, *seq)
    })?;
    let (_, receiver) = nodes_of(pair);
    let finding = Finding {
        property: Property::Liveness,
        nodes: vec![accepted.sender, receiver],
        pair,
        seq,
        detail: Detail::Liveness(LivenessDetail::Undelivered {
            sender: accepted.sender,
            receiver,
            seq,
            accepted_t: accepted.t,
        }),
    };
    Some((finding, accepted.line))
}
