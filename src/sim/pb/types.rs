//! Primary-backup as a type, with its views, log entries and the effect list its nodes fill.
//! They live apart from `impl Protocol` (`protocol.rs`) so that the roles can name them
//! without naming it back.

use crate::sim::kv::{Command, Origin};
use crate::sim::protocol::Effect;
use crate::sim::types::{ClientId, NodeId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The protocol, for the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimaryBackup;

/// What one step of a node asks the world to do.
pub(crate) type Out = Vec<Effect<PrimaryBackup>>;

/// A position in the primary's log of writes, from 1; 0 is "before the first write".
pub type Seq = u64;

/// A view (epoch) of the view service (MIT 6.824 Lab 2, "Primary/Backup Key/Value Service":
/// "a view consists of a view number and the identity of the view's primary and backup
/// servers"); here with up to four backups. View 0 has no primary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub num: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<NodeId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backups: Vec<NodeId>,
}

impl View {
    /// Whether `node` is the primary or a backup of the view.
    pub fn has(&self, node: NodeId) -> bool {
        self.primary == Some(node) || self.backups.contains(&node)
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let backups: Vec<String> = self.backups.iter().map(|b| b.to_string()).collect();
        match self.primary {
            Some(p) => write!(f, "view {} (primary {p}", self.num)?,
            None => write!(f, "view {} (no primary", self.num)?,
        }
        if !backups.is_empty() {
            write!(f, ", backups {}", backups.join(" "))?;
        }
        write!(f, ")")
    }
}

/// One write in the primary's order: its position, who asked, and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: Seq,
    pub client: ClientId,
    pub request: u64,
    pub cmd: Command,
}

impl Entry {
    pub fn origin(&self) -> Origin {
        Origin {
            client: self.client,
            request: self.request,
        }
    }
}

/// The position a reply reports to the linearizability check: a write's is its sequence
/// number shifted left by `READ_BITS`; a read's is the position of the last write before it
/// plus the view (in the upper half of those bits) and a count of reads since in that view,
/// so every operation has its own position in the order it took effect, across failovers
/// that write nothing.
pub const READ_BITS: u32 = 32;

/// A write's position for the linearizability check.
pub fn write_index(seq: Seq) -> u64 {
    seq << READ_BITS
}

/// The position of the `reads`-th read in view `view` after the write at `seq`.
pub fn read_index(seq: Seq, view: u64, reads: u64) -> u64 {
    write_index(seq) | (view.min(0xffff) << 16) | reads.clamp(1, 0xffff)
}

/// What a learner, a lesson or a scenario may ask of a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PbCommand {
    /// Cold mode: the primary writes a checkpoint to shared storage now.
    Checkpoint,
}
