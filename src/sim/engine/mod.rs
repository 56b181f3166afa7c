//! The discrete-event engine, one for every protocol: one virtual clock, one event queue,
//! the network, the nodes' lifecycle and disks, the trace and the live checks. A protocol's
//! nodes (`Protocol`) return effects; the engine turns them into queued events and trace
//! lines, and feeds every line to the protocol's checks. What a protocol adds around its
//! nodes (clients, a visible replay) plugs in through `Driver`.
//!
//! `core.rs` holds the engine's state and the `Driver` trait, `run.rs` what a run is made of
//! (settings, actions, counters); the other files are what the engine does with them.

mod core;
mod events;
mod faults;
mod flights;
mod nodes;
mod run;
mod views;

pub use self::core::{Driver, Engine, NodeSlot, Observe, TimerState, Violation};
pub use flights::Flight;
pub use run::{nodes_in_run, within, Counters, Fault, RunAction, RunSettings, TimedAction};
