//! The settings of a Raft run, described once: objects and fields in the order scenario files
//! write them (docs/scenario-format.md), each with the share-link tag that carries it.
//! Tags are never renumbered: a new setting takes [`TAG_NEXT`], so that older links (which
//! never hold it) open exactly as before.

use super::Link::{Bit, Tag};
use super::{leaf, object, Field, Value};
use crate::sim::disk::SyncPolicy;
use crate::sim::raft::settings::Settings;

/// `Value::KIND(getter, setter)` for the field of `Settings` at a path:
/// `value!(U64, raft.heartbeat_interval_us)`.
macro_rules! value {
    ($kind:ident, $($path:ident).+) => {
        Value::<Settings>::$kind(|s| s.$($path).+, |s, v| s.$($path).+ = v)
    };
}

/// The tag the next new setting takes.
pub const TAG_NEXT: u64 = 32;

/// A scenario file's `settings`, and a share link's settings.
pub static SETTINGS: &[Field<Settings>] = &[
    leaf("nodes", Tag(1), value!(U32, nodes)),
    leaf("seed", Tag(2), value!(U64, seed)),
    object("raft", RAFT),
    object("network", NETWORK),
    object("disk", DISK),
    object("workload", WORKLOAD),
];

/// `raft`, also what a `set_raft` action carries.
pub static RAFT: &[Field<Settings>] = &[
    leaf(
        "election_timeout_us_min",
        Tag(3),
        value!(U64, raft.election_timeout_us_min),
    ),
    leaf(
        "election_timeout_us_max",
        Tag(4),
        value!(U64, raft.election_timeout_us_max),
    ),
    leaf(
        "election_timeout_granularity_us",
        Tag(29),
        value!(U64, raft.election_timeout_granularity_us),
    )
    .unless_default(),
    leaf(
        "heartbeat_interval_us",
        Tag(5),
        value!(U64, raft.heartbeat_interval_us),
    ),
    leaf("pre_vote", Tag(6), value!(Bool, raft.pre_vote)),
    leaf("check_quorum", Tag(7), value!(Bool, raft.check_quorum)),
    leaf(
        "max_entries_per_append",
        Tag(8),
        value!(U32, raft.max_entries_per_append),
    ),
    leaf(
        "snapshot_every_entries",
        Tag(9),
        value!(OptionU64, raft.snapshot_every_entries),
    ),
    leaf("voters_initial", Tag(30), value!(U32, raft.voters_initial)).unless_default(),
    leaf(
        "joint_consensus",
        Tag(31),
        value!(Bool, raft.joint_consensus),
    )
    .unless_default(),
    object("bugs", BUGS),
];

/// `raft.bugs`: the broken-Raft switches share tag 10, one bit each.
static BUGS: &[Field<Settings>] = &[
    leaf(
        "commit_previous_term_by_count",
        Bit(10, 0),
        value!(Bool, raft.bugs.commit_previous_term_by_count),
    ),
    leaf(
        "vote_without_log_check",
        Bit(10, 1),
        value!(Bool, raft.bugs.vote_without_log_check),
    ),
    leaf(
        "forget_vote_on_restart",
        Bit(10, 2),
        value!(Bool, raft.bugs.forget_vote_on_restart),
    ),
    leaf(
        "config_before_own_term_commit",
        Bit(10, 3),
        value!(Bool, raft.bugs.config_before_own_term_commit),
    )
    .unless_default(),
    leaf(
        "concurrent_config_changes",
        Bit(10, 4),
        value!(Bool, raft.bugs.concurrent_config_changes),
    )
    .unless_default(),
];

/// `network`, also what a `set_network` action carries.
pub static NETWORK: &[Field<Settings>] = &[
    leaf(
        "latency_us_min",
        Tag(11),
        value!(U64, network.latency_us_min),
    ),
    leaf(
        "latency_us_max",
        Tag(12),
        value!(U64, network.latency_us_max),
    ),
    leaf("loss_ppm", Tag(13), value!(U32, network.loss_ppm)),
    leaf("duplicate_ppm", Tag(14), value!(U32, network.duplicate_ppm)),
    leaf(
        "bandwidth_bytes_per_s",
        Tag(15),
        value!(U64, network.bandwidth_bytes_per_s),
    ),
];

static DISK: &[Field<Settings>] = &[
    object("sync", SYNC),
    leaf(
        "sync_latency_us",
        Tag(18),
        value!(U64, disk.sync_latency_us),
    ),
    leaf(
        "replay_us_per_entry",
        Tag(19),
        value!(U64, disk.replay_us_per_entry),
    ),
    leaf(
        "load_us_per_snapshot_kb",
        Tag(20),
        value!(U64, disk.load_us_per_snapshot_kb),
    ),
];

/// The names of the sync policies, by their number in links.
const SYNC_POLICIES: &[&str] = &["every_write", "interval", "never"];
const SYNC_INTERVAL: u64 = 1;

/// `disk.sync`: `{"policy": "interval", "interval_us": 5000}`, in links the policy's number
/// (tag 16) and, for an interval, the interval (tag 17).
static SYNC: &[Field<Settings>] = &[
    leaf(
        "policy",
        Tag(16),
        Value::Choice(
            SYNC_POLICIES,
            |s: &Settings| sync_kind(s.disk.sync),
            |s, v| s.disk.sync = sync_with_kind(s.disk.sync, v),
        ),
    )
    .required(),
    leaf(
        "interval_us",
        Tag(17),
        Value::U64(
            |s: &Settings| sync_interval(s.disk.sync),
            |s, v| s.disk.sync = sync_with_interval(s.disk.sync, v),
        ),
    )
    .when(16, SYNC_INTERVAL),
];

static WORKLOAD: &[Field<Settings>] = &[
    leaf("clients", Tag(21), value!(U32, workload.clients)),
    leaf("think_us_min", Tag(22), value!(U64, workload.think_us_min)),
    leaf("think_us_max", Tag(23), value!(U64, workload.think_us_max)),
    leaf("keys", Tag(24), value!(U32, workload.keys)),
    leaf(
        "request_timeout_us",
        Tag(25),
        value!(U64, workload.request_timeout_us),
    ),
    leaf("get_ppm", Tag(26), value!(U32, workload.get_ppm)),
    leaf("cas_ppm", Tag(27), value!(U32, workload.cas_ppm)),
    leaf("delete_ppm", Tag(28), value!(U32, workload.delete_ppm)),
];

fn sync_kind(p: SyncPolicy) -> u64 {
    match p {
        SyncPolicy::EveryWrite => 0,
        SyncPolicy::Interval { .. } => SYNC_INTERVAL,
        SyncPolicy::Never => 2,
    }
}

fn sync_interval(p: SyncPolicy) -> u64 {
    match p {
        SyncPolicy::Interval { interval_us } => interval_us,
        _ => 0,
    }
}

/// Any number but those of `interval` and `never` is `every_write`, as links have always read.
fn sync_with_kind(current: SyncPolicy, kind: u64) -> SyncPolicy {
    match kind {
        SYNC_INTERVAL => SyncPolicy::Interval {
            interval_us: sync_interval(current),
        },
        2 => SyncPolicy::Never,
        _ => SyncPolicy::EveryWrite,
    }
}

/// An interval means something only once the policy says "interval".
fn sync_with_interval(current: SyncPolicy, interval_us: u64) -> SyncPolicy {
    match current {
        SyncPolicy::Interval { .. } => SyncPolicy::Interval { interval_us },
        other => other,
    }
}
