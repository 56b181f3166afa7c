//! Two-phase commit as a type, with the engine's effect list as its nodes fill it, its ids
//! and the commands a node takes. They live apart from `impl Protocol` (`protocol.rs`), which
//! names the coordinator and the participants, so that those can name them without naming it
//! back.

use crate::sim::protocol::Effect;

/// The protocol, for the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct TwoPc;

/// What one step of a node asks the world to do.
pub(crate) type Out = Vec<Effect<TwoPc>>;

/// A transaction, numbered by the client that submits it: `client * TXNS_PER_CLIENT + n`
/// for its n-th transaction (from 1), so ids are unique without the coordinator having to
/// remember a counter across its crashes.
pub type TxnId = u64;

/// A key of the store: participant `k % participants` owns it.
pub type Key = u32;

/// What a key holds: the id of the transaction that wrote it last (0 before any write), so a
/// read names the write it saw.
pub type Value = u64;

/// Transaction ids per client: client `c`'s n-th transaction is `c * TXNS_PER_CLIENT + n`.
pub const TXNS_PER_CLIENT: u64 = 1_000_000;

/// What a learner, a lesson or a scenario may ask of a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// A participant votes no: on the oldest transaction waiting for its locks, or else on
    /// the next one it is asked to prepare. The coordinator ignores it.
    VoteNo,
}

/// A transaction's short name on the page and in its words: `T<client>.<n>`, the n-th
/// transaction of client `client` (see [`TxnId`]).
pub fn txn_name(txn: TxnId) -> String {
    format!("T{}.{}", txn / TXNS_PER_CLIENT, txn % TXNS_PER_CLIENT)
}
