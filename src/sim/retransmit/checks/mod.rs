//! The retransmission protocol's properties, checked after every trace line: nothing is
//! delivered twice, everything is delivered in order with the content the sender accepted,
//! and (at the end of a run that healed and ran quiet) everything accepted was delivered.
//! They read only the trace, so `faultline check` can run them again over a saved file.

mod checker;
mod detail;
mod in_order;
mod ledger;
mod liveness;
mod no_duplicate;
mod property;

pub use checker::RetransmitChecks;
pub use detail::{Detail, DuplicateDetail, LivenessDetail, OrderDetail};
pub use ledger::{Accepted, Ledger};
pub use property::{Property, Violation};
