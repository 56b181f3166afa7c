//! Two-phase commit's properties, checked after every trace line: one outcome per
//! transaction everywhere (Atomicity), commits only with every vote yes (Commit Validity), a
//! coordinator that never contradicts its decision after a crash (Decision Durability), no
//! writes applied without a commit decision, locks held until the decision is logged, and
//! (from the clients' side) acknowledged commits visible to every later read; at the end of a
//! healed run, nobody left in doubt. They read only the trace, so `faultline check` can run
//! them again over a saved file.

mod atomicity;
mod checker;
mod commit_validity;
mod decision_durability;
mod ledger;
mod liveness;
mod locks;
mod no_apply;
mod property;
mod visibility;
mod words;

pub use checker::TwoPcChecks;
pub use ledger::Ledger;
pub use property::{Detail, Property, Violation};
