//! Retransmission: a sender resends a message when its acknowledgement does not arrive in
//! time, and a receiver acknowledges what it has and drops duplicates, so that a stream of
//! numbered messages arrives exactly once and in order over a network that loses, duplicates
//! and reorders them, between nodes that crash and recover from their logs.
//!
//! A run has one or more pairs: pair k (from 0) is sender node 2k+1 and receiver node 2k+2.
//! The schemes are stop-and-wait, go-back-N and selective repeat (Kurose & Ross, "Computer
//! Networking", section 3.4; Tanenbaum, "Computer Networks", section 3.4), with cumulative or
//! selective acknowledgements (RFC 2018) and a fixed or an adaptive timeout (RFC 6298).

pub mod checks;
pub mod config;
pub mod driver;
pub mod fuzz;
pub mod goodput;
pub mod message;
pub mod note;
mod pairs;
mod protocol;
pub mod receiver;
pub mod record;
pub mod rto;
pub mod sender;
#[cfg(test)]
mod tests;
pub mod timer;
mod types;

pub use checks::{Property, RetransmitChecks, Violation};
pub use config::{AckMode, Bugs, RetransmitConfig, RtoPolicy, Scheme};
pub use driver::{
    page_rto, page_settings, RetransmitAction, RetransmitCoverage, RetransmitSettings,
};
pub use message::{payload_of, Message, SackBlock, Seq};
pub use note::{DiscardReason, Note, RetransmitReason};
pub use pairs::{nodes_of, pair_of, Role};
pub use protocol::RetransmitNode;
pub use receiver::Receiver;
pub use record::Record;
pub use rto::RtoEstimator;
pub use sender::Sender;
pub use timer::Timer;
pub use types::{Command, Retransmit};
