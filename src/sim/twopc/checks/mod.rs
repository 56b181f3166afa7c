//! Two-phase commit's properties, checked after every trace line: one outcome per
//! transaction everywhere (Atomicity), commits only with every vote yes (Commit Validity), a
//! coordinator that never contradicts its decision after a crash (Decision Durability), no
//! writes applied without a commit decision, locks held until the decision is logged, and
//! (from the clients' side) acknowledged commits visible to every later read; at the end of a
//! healed run, nobody left in doubt. Also: the committed history is conflict serializable,
//! and, with the coordinator on Raft, the group keeps Raft's safety and nobody stays blocked
//! beyond an election's time once the world is whole again. They read only the trace, so `faultline check` can run
//! them again over a saved file.

mod atomicity;
mod bounded_blocking;
mod checker;
mod commit_validity;
mod decision_durability;
mod group_raft;
mod ledger;
mod liveness;
mod locks;
mod no_apply;
mod property;
mod serializable;
mod visibility;
mod words;

pub use bounded_blocking::{blocking_bound_us, ELECTION_ROUNDS, MESSAGE_DELAY_US_MAX};
pub use checker::TwoPcChecks;
pub use ledger::Ledger;
pub use property::{Detail, Property, Violation};
