//! Byte formats: how runs, links and files are written and read. Every reader here is built
//! for hostile input: it never panics, bounds what it reads, and its errors name the field
//! (and the line, in files) that is wrong.
//!
//! - [`scenario`] and [`scenario_file`]: scenario files (docs/scenario-format.md), read with
//!   serde for the command line and by hand for the page.
//! - [`json`] and [`scenario_json`]: the small JSON reader the page uses instead of
//!   serde_json, and the scenario types read from its tree.
//! - [`share`], [`ring_link`] and [`address`]: share links for Raft and Hash ring runs, and
//!   the page's address that carries them.

pub mod address;
pub mod fields;
pub mod json;
#[cfg(test)]
mod old;
pub mod ring_link;
pub mod scenario;
pub mod scenario_file;
pub mod scenario_json;
pub mod share;
