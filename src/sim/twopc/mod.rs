//! Two-phase commit: a coordinator and 2 to 5 participants make a transaction that reads and
//! writes keys on several shards commit everywhere or nowhere, across crashes, with each node
//! recovering from its own write-ahead log (Gray and Reuter, "Transaction Processing:
//! Concepts and Techniques", chapter 10; Bernstein, Hadzilacos and Goodman, "Concurrency
//! Control and Recovery in Database Systems", chapter 7).
//!
//! Node 1 is the coordinator; participant `i` (from 0) is node `i + 2` and owns every key `k`
//! with `k % participants == i` (`config::TwoPcConfig::owner_of`). Clients (a workload drawn
//! from the seed, `driver`) send each transaction to the coordinator, which asks every
//! participant it touches to lock its keys and prepare. A participant that can lock them
//! forces a prepare record and votes yes; one that cannot in time, or that is told to, votes
//! no. The coordinator forces a commit record only when every vote is yes and sends the
//! decision; participants force it, apply or undo, release their locks and acknowledge a
//! commit; the coordinator then writes an end record.
//!
//! The variant is **presumed abort** (Mohan, Lindsay and Obermarck 1986; Bernstein et al.,
//! section 7.4; Gray and Reuter, section 10.4.3): the coordinator writes nothing for a
//! transaction it aborts and waits for no acknowledgement of an abort, and it answers any
//! question about a transaction it has no record of with "abort". A participant prepared while
//! the coordinator is unreachable is blocked: it keeps its locks, and transactions on those keys
//! wait. It asks the coordinator and the other participants (the cooperative termination
//! protocol, Bernstein et al., section 7.4): one that has decided, or has not voted (and so may
//! abort), settles it; when every participant voted yes and the coordinator is down it stays
//! blocked until the coordinator recovers.

pub mod checks;
pub mod config;
pub mod coordinator;
pub mod driver;
pub mod fuzz;
pub mod group;
#[cfg(test)]
mod group_tests;
pub mod message;
pub mod note;
pub mod page;
pub mod participant;
mod protocol;
pub mod record;
#[cfg(test)]
mod tests;
pub mod timer;
mod types;

pub use checks::{Property, TwoPcChecks, Violation};
pub use config::{Bugs, CoordinatorKind, TwoPcConfig};
pub use coordinator::Coordinator;
pub use driver::{TwoPcAction, TwoPcCoverage, TwoPcSettings, TwoPcWorld};
pub use fuzz::SearchOptions;
pub use message::{Message, Op, Outcome};
pub use note::{AbortReason, CommitReason, DecideReason, Note, Phase, VoteReason};
pub use page::{
    all_voted_yes_undecided, crash_coordinator_before_decision, page_settings,
    run_to_all_voted_yes, write_every_shard, ALL_VOTED_YES_SEARCH_EVENTS_MAX,
};
pub use participant::Participant;
pub use protocol::TwoPcNode;
pub use record::Record;
pub use timer::Timer;
pub use types::{txn_name, Command, Key, TwoPc, TxnId, Value, TXNS_PER_CLIENT};
