//! Primary-backup mode: a view service, a primary and its backups (or, in cold mode, standbys
//! and the shared storage), and the clients, on the same page shell. It runs
//! `Engine<PrimaryBackup>` through a `History` (so the scrubber and time travel work as for
//! Raft); the components render a plain [`view::PbView`] and send [`model::PbMsg`]s.
//!
//! - [`model`]: the run, and what the learner asks of it.
//! - [`run`]: the run as the shell's `ModeRun` (messages in flight, the primary's lease ring).
//! - [`view`]: the projection the components read, from `sim::pb::page`.
//! - [`geometry`]: where the nodes and the clients sit; [`stage`], [`timeline`] (each
//!   failover, from the trace), [`controls`], [`page`]; [`safety`]: the checks for the shell's
//!   indicator.

pub mod controls;
pub mod geometry;
pub mod model;
pub mod page;
pub mod run;
pub mod safety;
pub mod stage;
pub mod timeline;
pub mod view;
