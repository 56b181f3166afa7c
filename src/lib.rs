//! Faultline: a playground for watching fault-tolerant distributed systems.
//!
//! [`sim`] is the pure, deterministic simulation (Raft, write-ahead logs, hash rings) shared by
//! the web page, the `faultline` command-line tool and the tests. Above it, [`codec`] holds the
//! byte formats (share links, the page address, scenario files) and [`content`] the lessons and
//! widget presets. [`cli`] is the native command line (not built for wasm32) and [`ui`] the Yew
//! front end (built only for wasm32). Each layer uses only those below it (`tests/layout.rs`).

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
