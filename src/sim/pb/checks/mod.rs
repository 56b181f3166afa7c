//! Primary-backup's properties, checked after every trace line: one primary per view, a
//! primary serving only while it holds the view (lease and fencing), backups applying the
//! primary's writes in its order, acknowledged writes kept (hot and cold; warm mode's losses
//! are reported as expected), and a linearizable client history per key (hot and cold).
//! They read only the trace, so `faultline check` can run them again over a saved file.
//! `failover.rs` reads the failure detector's and the failovers' timings from the same lines.

mod checker;
mod failover;
mod history;
mod linearizable;
mod order;
mod property;
mod views;
mod words;

pub use checker::PbChecks;
pub use failover::Failover;
pub use history::Loss;
pub use property::{Detail, Property, Violation};
