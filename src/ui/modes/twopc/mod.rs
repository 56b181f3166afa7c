//! Two-phase commit mode: a coordinator makes transactions over several shards commit
//! everywhere or nowhere, and blocks its participants when it fails at the wrong moment; on the
//! same page shell as Raft. It runs `Engine<TwoPc>` through a `History` (so the scrubber and
//! time travel work as for Raft); the components render a plain [`view::TwoPcView`] and send
//! [`model::TwoPcMsg`]s.
//!
//! - [`model`]: the run, and what the learner asks of it.
//! - [`run`]: the run as the shell's `ModeRun` (messages in flight and how they look).
//! - [`view`]: the projection the components read; [`timeline`]: each transaction's phases.
//! - [`geometry`]: where the clients, the coordinator and the shards sit; [`stage`],
//!   [`controls`], [`page`]; [`safety`]: the checks for the shell's indicator.

pub mod controls;
pub mod geometry;
pub mod model;
pub mod page;
pub mod run;
pub mod safety;
pub mod stage;
pub mod timeline;
pub mod view;
