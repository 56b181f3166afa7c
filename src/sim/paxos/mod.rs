//! Paxos ("Paxos Made Simple", Lamport 2001): single-decree Paxos, in which proposers,
//! acceptors and learners choose one value (section 2), and Multi-Paxos, in which a
//! distinguished proposer, the leader, chooses a replicated log of a key-value store's
//! commands (section 3). Every node is an acceptor and a learner; in single-decree runs nodes
//! `1..=proposers` also propose, in Multi-Paxos any node may become the leader.
//!
//! Ballots are (round, proposer id), totally ordered. Phase 1: a proposer sends prepare
//! requests; an acceptor promises to accept nothing below the ballot and reports the
//! highest-numbered proposal it accepted. Phase 2: with a majority of promises the proposer
//! asks acceptors to accept the reported value of the highest ballot, or its own if none was
//! reported; a value accepted by a majority under one ballot is chosen, and learners learn it.
//! Acceptors log their promise and what they accept before they answer (section 2.5), on the
//! node's simulated write-ahead log. Two proposers that keep pre-empting each other can
//! livelock (section 2.4): the trace shows it, and randomized retry delays end it.
//!
//! In Multi-Paxos the leader runs phase 1 once for every slot from the first it has not
//! learned, proposes again the values acceptors report for unfinished slots and fills gaps
//! with no-ops, then needs only phase 2 per client command. Heartbeats keep followers from
//! campaigning and bring lagging learners up to date; a node that hears no leader for a
//! random election timeout campaigns with a higher ballot.

pub mod acceptor;
pub mod checks;
pub mod clients;
pub mod config;
pub mod driver;
pub mod fuzz;
pub mod leader;
pub mod learner;
pub mod message;
pub mod node;
pub mod note;
pub mod page;
pub mod phase;
pub mod proposer;
mod protocol;
pub mod record;
mod single;
#[cfg(test)]
mod tests;
pub mod timer;
pub mod types;

pub use checks::{PaxosChecks, Property, Violation};
pub use config::{Bugs, PaxosConfig, Variant};
pub use driver::{PaxosAction, PaxosCoverage, PaxosSettings};
pub use message::Message;
pub use node::PaxosNode;
pub use note::Note;
pub use page::{page_settings, retry_randomized, set_retry, PAGE_RETRY_US_MAX, PAGE_RETRY_US_MIN};
pub use record::Record;
pub use timer::Timer;
pub use types::{Ballot, Paxos, PaxosCommand, Slot, Value};
