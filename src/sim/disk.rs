//! The disk settings every protocol shares: when writes become durable (the sync policy),
//! what a crash does to unsynced writes, and what a restart costs. The log itself is
//! `sim::wal`; Raft's disk, a log plus a snapshot file, is `sim::raft::disk`.

use crate::sim::types::Micros;
use serde::{Deserialize, Serialize};

/// When written records become durable.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "policy")]
pub enum SyncPolicy {
    /// fsync after every write, before anything that depends on it leaves the server.
    EveryWrite,
    /// Group commit: one sync every `interval_us`; replies do not wait for it.
    Interval { interval_us: Micros },
    /// Never sync: only a clean crash keeps anything written since the last snapshot.
    Never,
}

/// What a crash does to the disk.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrashMode {
    /// The process dies but the operating system still writes out its page cache.
    #[default]
    Clean,
    /// The machine loses power: whatever was not synced is gone.
    LoseUnsynced,
    /// The machine loses power in the middle of a write: the unsynced tail is gone and the
    /// record being written is left half-written, with a checksum that does not match.
    TearLast,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiskConfig {
    pub sync: SyncPolicy,
    /// How long one fsync takes. Under `EveryWrite`, messages that follow a write leave
    /// only once it is durable, so this adds to every vote and every append reply.
    pub sync_latency_us: Micros,
    /// Restart cost of replaying one log entry into the state machine.
    pub replay_us_per_entry: Micros,
    /// Restart cost of loading the snapshot, per kilobyte.
    pub load_us_per_snapshot_kb: Micros,
}

impl Default for DiskConfig {
    fn default() -> Self {
        DiskConfig {
            sync: SyncPolicy::EveryWrite,
            sync_latency_us: 0,
            replay_us_per_entry: 0,
            load_us_per_snapshot_kb: 0,
        }
    }
}
