//! Retransmission mode: a sender resends what is not acknowledged in time and a receiver
//! drops duplicates, on the same page shell as Raft. It runs `Engine<Retransmit>` through a
//! `History` (so the scrubber and time travel work as for Raft); the components render a plain
//! [`view::RetransmitView`] and send [`model::RetransmitMsg`]s.
//!
//! - [`model`]: the run, its wall clock and the goodput chart once measured.
//! - [`run`]: the run as the shell's `ModeRun` (messages in flight, losses, timers).
//! - [`view`]: the projection the components read.
//! - [`geometry`]: where pairs, lanes and window cells sit; [`stage`], [`controls`], [`page`].

pub mod controls;
pub mod geometry;
pub mod model;
pub mod page;
pub mod run;
pub mod safety;
pub mod stage;
pub mod view;
