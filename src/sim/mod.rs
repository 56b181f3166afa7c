//! The simulation: pure, deterministic and single-threaded. No clock, no global randomness,
//! no I/O and no browser types: the same seed and actions give the same run everywhere.
//!
//! It holds the simulated world only: byte formats live in `crate::codec`, lessons and
//! presets in `crate::content`, flag parsing in `crate::cli`; `tests/layout.rs` fails if
//! anything here uses them.

pub mod action;
pub mod disk;
pub mod engine;
pub mod fuzz;
pub mod history;
pub mod net;
pub mod protocol;
pub mod queue;
pub mod raft;
pub mod retransmit;
pub mod ring;
pub mod rng;
pub mod settings;
pub mod trace;
pub mod types;
pub mod wal;
pub mod workloads;

pub use action::{Action, TimedAction};
pub use engine::{Engine, Observe};

/// A Raft run: the engine with Raft's nodes, clients and checks.
pub type Simulation = Engine<raft::Raft>;
pub use settings::Settings;
