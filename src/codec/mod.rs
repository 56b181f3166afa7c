//! Byte formats: how runs, links and files are written and read. Every reader here is built
//! for hostile input: it never panics, bounds what it reads, and its errors name the field
//! (and the line, in files) that is wrong.
//!
//! - [`fields`]: the field tables, one description of every setting and action of a Raft run
//!   (share-link tag, name in files, getter, setter) that the codecs below walk.
//! - [`scenario`] and [`scenario_file`]: scenario files (docs/scenario-format.md), the same
//!   codec for the page and the command line.
//! - [`json`] and [`scenario_json`]: the small JSON reader used instead of serde_json, and the
//!   scenario types read from its tree (scenario files and lessons).
//! - [`share`], [`ring_link`] and [`address`]: share links for Raft and Hash ring runs, and
//!   the page's address that carries them.
//! - [`run_link`], [`retransmit_link`], [`twopc_link`], [`paxos_link`] and [`pb_link`]: share
//!   links of the other engine runs; [`run_scenario`], [`fault_json`], [`retransmit_scenario`] and [`twopc_scenario`]:
//!   their scenario files, named after the same settings.
//! - [`trace_jsonl`]: traces of every protocol as JSON Lines.

pub mod address;
pub mod fault_json;
pub mod fields;
pub mod json;
pub mod paxos_link;
pub mod pb_link;
pub mod pb_scenario;
pub mod retransmit_link;
pub mod retransmit_scenario;
pub mod ring_link;
pub mod run_link;
pub mod run_scenario;
pub mod scenario;
pub mod scenario_file;
pub mod scenario_json;
pub mod share;
pub mod trace_jsonl;
pub mod twopc_link;
pub mod twopc_scenario;
