//! Hash ring mode: consistent hashing and a Dynamo-style replicated store on the same page
//! shell as Raft. It runs a `sim::ring::store::RingSim`; the components render a plain
//! [`view::RingView`] and send [`model::RingMsg`]s, and the animator advances time and draws
//! the transfers in flight.
//!
//! - [`model`]: the run, the settings as applied, the chunked strategies table.
//! - [`view`]: the projection the components read.
//! - [`stage`]: the ring in SVG ([`geometry`]: where its nodes sit); [`charts`], [`table`], [`controls`], [`page`].

pub mod charts;
pub mod controls;
pub mod geometry;
pub mod model;
pub mod page;
pub mod run;
pub mod stage;
pub mod table;
pub mod view;
