//! Hash placement strategies and the Dynamo-style replicated ring store that runs on them.
//!
//! - [`hash`]: the fixed, portable hash (xxHash64) that puts keys and tokens on a ring of 2^64
//!   positions.
//! - [`strategy`]: modulo-N, ring with virtual nodes, rendezvous, jump, Maglev and bounded
//!   loads, each mapping positions to the nodes of a [`Membership`].
//! - [`keys`], [`stats`], [`recompute`], [`theory`]: a key set, its load and movement
//!   statistics computed in frame-sized chunks, and the numbers theory predicts.
//! - [`store`]: the replicated store as a protocol in simulated time, where membership changes
//!   stream keys between nodes.
//! - [`bench`](mod@bench): the recompute benchmark, timed with a clock the caller passes
//!   (`faultline ring --bench` prints it).

pub mod bench;
pub mod hash;
pub mod keys;
pub mod membership;
pub mod recompute;
pub mod stats;
pub mod store;
pub mod strategy;
pub mod theory;

pub use keys::{KeySet, Skew};
pub use membership::Membership;
pub use recompute::{Recompute, Report};
pub use stats::{LoadStats, Movement, NodeLoad, Spread};
pub use strategy::{Assigner, LookupCost, Placement, PlacementConfig, Strategy};

#[cfg(test)]
mod properties;
