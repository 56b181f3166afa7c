//! Paxos's properties, checked after every trace line: at most one value chosen per slot,
//! computed from the acceptors' accepted state (Agreement), only proposed values chosen
//! (Validity), learners learning only the chosen value (Learners Agree), and, for
//! Multi-Paxos's clients, acknowledged commands kept where they were acknowledged and a
//! linearizable history per key. They read only the trace, so `faultline check` can run them
//! again over a saved file.

mod acked;
mod agreement;
mod checker;
mod learners;
mod linearizable;
mod property;
mod validity;
mod words;

pub use words::value_text;

pub use checker::PaxosChecks;
pub use property::{Detail, Property, Violation};
