//! Paxos mode: single-decree Paxos (proposers, acceptors, learners choosing one value) and
//! Multi-Paxos (a leader choosing a log of commands), beside Raft, on the same page shell. It
//! runs `Engine<Paxos>` through a `History` (so the scrubber and time travel work as for Raft);
//! the components render a plain [`view::PaxosView`] and send [`model::PaxosMsg`]s.
//!
//! - [`model`]: the run, and what the learner asks of it.
//! - [`run`]: the run as the shell's `ModeRun` (messages in flight with their ballots).
//! - [`view`]: the projection the components read; [`compare`]: Raft beside Paxos on this run.
//! - [`geometry`]: where the nodes and the clients sit; [`stage`], [`tables`], [`controls`],
//!   [`page`]; [`safety`]: the checks for the shell's indicator.

pub mod compare;
pub mod controls;
pub mod geometry;
pub mod model;
pub mod page;
pub mod run;
pub mod safety;
pub mod stage;
pub mod tables;
pub mod view;
