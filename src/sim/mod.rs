//! The simulation: pure, deterministic and single-threaded. No clock, no global randomness,
//! no I/O and no browser types: the same seed and actions give the same run everywhere.

pub mod action;
pub mod address;
pub mod check;
pub mod disk;
pub mod engine;
pub mod fuzz;
pub mod history;
pub mod lesson;
pub mod net;
pub mod protocol;
pub mod presets;
pub mod queue;
pub mod raft;
pub mod retransmit;
pub mod ring;
pub mod rng;
pub mod scenario;
pub mod scenario_file;
pub mod settings;
pub mod share;
pub mod trace;
pub mod types;
pub mod workloads;

pub use action::{Action, TimedAction};
pub use engine::{Observe, Simulation};
pub use settings::Settings;
