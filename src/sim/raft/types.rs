//! The Raft protocol as a type, and the engine's generic types as Raft's. They live apart from
//! `impl Protocol for Raft` (`protocol.rs`), which names the server, its disk and its checks,
//! so that those files can name `Effect` and the trace's lines without naming their user.

use crate::sim::protocol::{Event, Line};

/// The Raft protocol (Ongaro and Ousterhout, extended paper and thesis).
#[derive(Clone, Debug, PartialEq)]
pub struct Raft;

/// An effect the world must carry out for a server: the engine's effect type, with Raft's
/// messages, timers, writes and notes.
pub type Effect = crate::sim::protocol::Effect<Raft>;

/// One line of a Raft run's trace: the simulated time and what happened.
pub type TraceLine = Line<Raft>;

/// What happened in a Raft run: the engine's framing kinds or Raft's own (`RaftEvent`).
pub type TraceEvent = Event<Raft>;
