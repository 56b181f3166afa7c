//! The simulation: pure, deterministic and single-threaded. No clock, no global randomness,
//! no I/O and no browser types: the same seed and actions give the same run everywhere.
//! One engine (`engine`, `protocol`) runs every protocol, each in its own folder (`raft`,
//! `retransmit`, `ring`, `twopc`, `paxos`); docs/ARCHITECTURE.md shows the layers.
//!
//! It holds the simulated world only: byte formats live in `crate::codec`, lessons and
//! presets in `crate::content`, flag parsing in `crate::cli`; `tests/layout.rs` fails if
//! anything here uses them.

pub mod disk;
pub mod engine;
pub mod fnv;
pub mod fuzz;
pub mod history;
pub mod kv;
pub mod linearizability;
pub mod net;
pub mod paxos;
pub mod pb;
pub mod protocol;
pub mod queue;
pub mod raft;
pub mod retransmit;
pub mod ring;
pub mod rng;
pub mod trace;
pub mod twopc;
pub mod types;
pub mod wal;

pub use engine::{Engine, Observe};

// Raft, the page's first mode, by the short names most of the code uses.
pub use raft::action::{Action, TimedAction};
pub use raft::settings::Settings;

/// A Raft run: the engine with Raft's nodes, clients and checks.
pub type Simulation = Engine<raft::Raft>;
