//! A Dynamo-style replicated key-value store on the token ring, on the shared engine
//! (DeCandia et al. 2007, sections 4.2 to 4.6 and 4.8).
//!
//! Nodes own tokens; each key lives on its preference list, the first R distinct nodes
//! clockwise. Reads and writes go through a coordinator that waits for R_read replies or W
//! acknowledgements. Membership changes are protocol: a crash is noticed after a detection
//! delay, then the new owners of each affected range stream the keys from surviving replicas
//! in transfer messages that take latency and bandwidth, and the under-replicated count falls
//! back to zero as they arrive.
//!
//! The store is partly global (the key table, the ring, the coordinators' requests, failure
//! detection after a delay), so it lives engine-side as the `Driver`'s world; its messages go
//! through the engine's one queue and network (partitions and cuts included), its crashes
//! and restarts are the engine's, and its trace is the engine's framing plus its own lines
//! (`RingEvent`). Its properties are checked live (`checks`). `RingSim` is the store as the
//! page and the tests drive it: actions apply at once and say why they are refused.

pub mod action;
pub mod checks;
pub mod driver;
mod events;
pub mod fuzz;
pub mod message;
mod nodes;
mod protocol;
mod rebalance;
pub mod replicas;
mod requests;
mod ring_sim;
pub mod settings;
pub mod trace;
mod types;
mod view;
pub mod world;
mod world_event;

pub use action::RingAction;
pub use checks::{RingChecks, RingDetail, RingProperty, RingViolation};
pub use driver::{RingBugs, RingCoverage, RingRunSettings};
pub use message::{LossReason, Message, MessageKind, RingMessage};
pub use protocol::{NoCommand, NoRecord, NoTimer, ReplicaDisk, RingNode};
pub use replicas::Counts;
pub use ring_sim::RingSim;
pub use settings::{RingSettings, MAX_NODE_ID, PAGE_VNODES};
pub use trace::{RingEvent, RingTraceLine, RING_KINDS};
pub use types::RingStore;
pub use view::{NodeStatus, NodeView};
pub use world_event::WorldEvent;

#[cfg(test)]
mod tests;
