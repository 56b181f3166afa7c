//! Raft as a pure state machine, following the extended Raft paper (Ongaro and Ousterhout,
//! "In Search of an Understandable Consensus Algorithm"), whose Figure 2 is the contract.

pub mod action;
mod catchup;
pub mod checks;
pub mod config;
pub mod disk;
pub mod driver;
pub mod effect;
mod election;
pub mod fuzz;
pub mod fuzz_membership;
pub use crate::sim::kv;
pub mod log;
mod membership;
pub mod message;
pub mod node;
mod protocol;
mod replication;
pub mod settings;
pub mod snapshot;
mod trace;
mod types;
pub mod workloads;

pub use catchup::Catchup;
pub use config::{Bugs, RaftConfig};
pub use driver::RaftHistory;
pub use effect::{Input, Note, PersistOp, Role, Timer};
pub use kv::{Command, Configuration, KvStore, Origin, Outcome};
pub use log::{Entry, RaftLog};
pub use message::{ClientReply, Message};
pub use node::{Durable, Progress, ProgressState, RaftNode};
pub use protocol::RaftCommand;
pub use snapshot::Snapshot;
pub use trace::RaftEvent;
pub use types::{Effect, Raft, TraceEvent, TraceLine};
