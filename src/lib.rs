//! Faultline: a playground for watching fault-tolerant distributed systems.
//!
//! [`sim`] is the pure, deterministic simulation (Raft, write-ahead logs, hash rings) shared by
//! the web page, the `faultline` command-line tool and the tests. [`ui`] is the Yew front end,
//! compiled only for wasm32.

pub mod codec;
pub mod content;
pub mod i18n;
pub mod sim;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod ui;

/// The version shown in the page footer and printed by `faultline --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
