//! Primary-backup replication (Alsberg & Day 1976, "A Principle for Resilient Sharing of
//! Distributed Resources"), with a view service in the style of MIT 6.824's Lab 2 (and of
//! VMware FT's test-and-set arbiter, Scales et al. 2010): servers ping the view service; it
//! declares a server dead after a timeout and moves to a new view (epoch) with a promoted
//! backup, and never moves on from a view its primary has not acknowledged.
//!
//! Three replication modes: hot (every write forwarded to every backup before the client is
//! answered), warm (answered first, shipped after: a failover loses the unshipped tail) and
//! cold (no running backup: the log is shipped to shared storage with checkpoints, and a
//! standby replays it on takeover). Fencing: every forward carries its view and backups and
//! storage refuse older views; a primary serves only under a lease from the view service,
//! which promotes no one else before the lease has run out. Forwards are retransmitted with
//! the retransmission protocol's RFC 6298 timeout, so loss is survived.
//!
//! Node 1 is the view service (a single node on purpose: it is the run's single point of
//! failure), nodes `2..=1 + servers` the servers, and in cold mode the last node the storage.

mod backup;
pub mod checks;
pub mod clients;
pub mod config;
pub mod driver;
pub mod events;
pub mod fuzz;
pub mod message;
pub mod node;
pub mod note;
pub mod page;
mod primary;
mod primary_state;
mod protocol;
pub mod record;
pub mod server;
pub mod storage;
#[cfg(test)]
mod tests;
pub mod timer;
pub mod types;
pub mod view_service;

pub use checks::{PbChecks, Property, Violation};
pub use config::{Bugs, PbConfig, Replication};
pub use driver::{PbAction, PbCoverage, PbSettings};
pub use message::Message;
pub use node::PbNode;
pub use note::Note;
pub use primary_state::PrimaryState;
pub use record::Record;
pub use timer::Timer;
pub use types::{Entry, PbCommand, PrimaryBackup, Seq, View};
