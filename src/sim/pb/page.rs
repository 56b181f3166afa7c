//! What the page's primary-backup mode starts from and what its buttons do: the run a learner
//! first sees, and how long a crashed primary stays down or a cut-off one stays cut off. Here,
//! not in the page, so that the tests and the lessons read the same definitions.

use super::config::{PbConfig, Replication};
use super::driver::{PbAction, PbSettings};
use crate::sim::net::NetConfig;
use crate::sim::types::{Micros, MICROS_PER_MS};

const MS: Micros = MICROS_PER_MS;

/// How long the page's "crash the primary" keeps it down before it restarts (as a backup of
/// a newer view, its state gone).
pub const CRASH_DOWN_US: Micros = 4_000 * MS;
/// How long the page's "cut the primary off from the view service" lasts.
pub const ISOLATE_US: Micros = 3_000 * MS;
/// How long the page's "pause the primary" stops it: over three dead timeouts, so the view
/// service gives up on it and promotes a backup while it is still stopped.
pub const PAUSE_US: Micros = 2_000 * MS;

/// The run the page's primary-backup mode first shows: the view service, a primary and two
/// hot backups, two clients. Every timing is the library default's times three or so, and the
/// one-way latency 30 to 50 ms, so that at the page's 1/20x a ping is on screen for most of a
/// second and a failover (a dead timeout of 600 ms, a lease of 450 ms) lasts long enough to
/// be followed. Warm mode ships every 400 ms, so a crash almost always leaves an acknowledged
/// tail unshipped.
pub fn page_settings() -> PbSettings {
    PbSettings {
        seed: 1,
        network: NetConfig {
            latency_us_min: 30 * MS,
            latency_us_max: 50 * MS,
            ..NetConfig::default()
        },
        pb: PbConfig {
            replication: Replication::Hot,
            backups: 2,
            ping_interval_us: 150 * MS,
            dead_timeout_us: 600 * MS,
            lease_us: 450 * MS,
            resend_us_min: 150 * MS,
            ship_interval_us: 400 * MS,
            checkpoint_every_writes: 20,
            replay_us_per_entry: 10 * MS,
            checkpoint_load_us: 60 * MS,
            clients: 2,
            keys: 3,
            think_us: 150 * MS,
            client_timeout_us: 1_500 * MS,
            ..PbConfig::default()
        },
        ..PbSettings::default()
    }
}

/// The page's "crash the primary".
pub fn crash_primary() -> PbAction {
    PbAction::CrashPrimary {
        down_us: CRASH_DOWN_US,
    }
}

/// The page's "pause the primary".
pub fn pause_primary() -> PbAction {
    PbAction::PausePrimary { for_us: PAUSE_US }
}

/// The page's "cut the primary off from the view service".
pub fn isolate_primary() -> PbAction {
    PbAction::IsolatePrimary { for_us: ISOLATE_US }
}
