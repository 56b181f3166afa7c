//! Primary-backup under the fault search: every knob of a run from its seed (the replication
//! mode comes from `--variant`), its broken switches, its own faults (the primary crashed and
//! restarted later; the primary cut off from the view service only, the split-brain set-up),
//! and what the healed run must reach (clients answered again, unless the view service is
//! stuck in the way 6.824 documents).
//!
//! Every seed syncs every write: the view service's log and the storage are the stable
//! storage the protocol's safety rests on, and the search is about the network and crashes.

use super::config::{Bugs, Replication, BACKUPS_MAX};
use super::driver::{PbAction, PbSettings};
use super::types::PrimaryBackup;
use super::Violation;
use crate::sim::disk::SyncPolicy;
use crate::sim::engine::{Engine, TimedAction};
use crate::sim::fuzz::faults::{draw_latency, schedule, Vocabulary};
use crate::sim::fuzz::{Fuzz, Phases};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::{Micros, MICROS_PER_MS};

/// What a primary-backup search varies besides the seed: the mode and the broken switches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchOptions {
    pub replication: Replication,
    pub bugs: Bugs,
}

impl Fuzz for PrimaryBackup {
    type Bugs = SearchOptions;

    const BUG_NAMES: &'static [&'static str] = &["no-fencing", "no-lease", "ack-before-forward"];
    const WORK_NAME: &'static str = "client operations answered";

    fn bug(name: &str) -> Option<SearchOptions> {
        let mut bugs = Bugs::default();
        match name {
            "no-fencing" => bugs.no_fencing = true,
            "no-lease" => bugs.no_lease = true,
            "ack-before-forward" => bugs.ack_before_forward = true,
            _ => return None,
        }
        Some(SearchOptions {
            bugs,
            ..SearchOptions::default()
        })
    }

    fn with_variant(options: SearchOptions, name: &str) -> Result<SearchOptions, String> {
        let replication = Replication::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Replication::ALL.iter().map(|r| r.name()).collect();
            format!(
                "--variant: \"{name}\" is not one of {} for primary-backup",
                known.join(", ")
            )
        })?;
        Ok(SearchOptions {
            replication,
            ..options
        })
    }

    fn settings_for_seed(seed: u64, nodes: Option<u32>, options: &SearchOptions) -> PbSettings {
        let mut rng = SimRng::stream(seed, Stream::Faults);
        let mut s = PbSettings {
            seed,
            ..PbSettings::default()
        };
        let c = &mut s.pb;
        c.replication = options.replication;
        c.bugs = options.bugs.clone();
        // `--nodes` counts the servers.
        c.backups = match nodes {
            Some(n) => n.saturating_sub(1).clamp(1, BACKUPS_MAX),
            None => rng.between(1, u64::from(BACKUPS_MAX)) as u32,
        };
        c.ping_interval_us = rng.between(20, 80) * MICROS_PER_MS;
        c.dead_timeout_us = c.ping_interval_us * rng.between(3, 6);
        // Shorter than the timeout, so that a failover does not wait for the lease as well.
        c.lease_us = c.dead_timeout_us * rng.between(50, 90) / 100;
        c.resend_us_min = rng.between(20, 80) * MICROS_PER_MS;
        c.clients = rng.between(1, 3) as u32;
        c.keys = rng.between(1, 4) as u32;
        c.think_us = rng.between(5, 60) * MICROS_PER_MS;
        c.client_timeout_us = rng.between(150, 600) * MICROS_PER_MS;
        c.ship_interval_us = rng.between(5, 100) * MICROS_PER_MS;
        c.checkpoint_every_writes = [0, 5, 20, 100][rng.below(4) as usize];
        c.replay_us_per_entry = rng.between(0, 3) * MICROS_PER_MS;
        c.checkpoint_load_us = rng.between(0, 30) * MICROS_PER_MS;
        draw_latency(&mut rng, &mut s.network);
        s.disk.sync = SyncPolicy::EveryWrite;
        s
    }

    fn fault_schedule(settings: &PbSettings, until_us: Micros) -> Vec<TimedAction<PbAction>> {
        let vocabulary = Vocabulary {
            seed: settings.seed,
            nodes: settings.pb.nodes(),
            network: settings.network.clone(),
            bounce_us_max: settings.pb.dead_timeout_us,
            own_kinds: 3,
        };
        let timeout_us = settings.pb.dead_timeout_us;
        schedule(&vocabulary, until_us, |kind, rng, _down| {
            let action = match kind {
                0 => PbAction::CrashPrimary {
                    down_us: rng.between(timeout_us / 2, 6 * timeout_us),
                },
                1 => PbAction::IsolatePrimary {
                    for_us: rng.between(timeout_us / 2, 6 * timeout_us),
                },
                // A pause long enough to be suspected, or not quite.
                _ => PbAction::PausePrimary {
                    for_us: rng.between(timeout_us / 2, 4 * timeout_us),
                },
            };
            vec![(0, action)]
        })
    }

    /// Nothing is excused: every seed syncs every write.
    fn excused(settings: &PbSettings, _violation: &Violation) -> bool {
        settings.disk.sync != SyncPolicy::EveryWrite
    }

    fn settle_us(_settings: &PbSettings, phases: Phases) -> Micros {
        phases.liveness_us / 2
    }

    /// The operations answered by the settling time.
    fn promised(engine: &Engine<PrimaryBackup>) -> u64 {
        engine.world().completed()
    }

    /// Clients were answered after the settling time began, unless the view service is stuck
    /// as 6.824 documents it: the current view's primary is gone and the view was never
    /// acknowledged, or no backup of it holds its state to promote.
    fn liveness_problem(engine: &mut Engine<PrimaryBackup>, promised: u64) -> Option<String> {
        if engine.settings().pb.clients == 0 || engine.world().completed() > promised {
            return None;
        }
        if stuck_as_documented(engine) {
            engine.coverage.stuck_as_documented += 1;
            return None;
        }
        Some(format!(
            "no client was answered in the settling time ({promised} answers before it)"
        ))
    }

    fn work_done(engine: &Engine<PrimaryBackup>) -> u64 {
        engine.world().completed()
    }
}

/// The view service cannot move on without losing data, in the way 6.824 documents: its
/// view's primary has lost its state (down, or restarted so that it holds no primary state
/// for the view) and either the view was never acknowledged or no backup is left holding it.
pub fn stuck_as_documented(engine: &Engine<PrimaryBackup>) -> bool {
    let config = &engine.settings().pb;
    let Some(vs) = engine
        .node(super::config::VIEW_SERVICE)
        .and_then(|n| n.process.as_ref())
        .and_then(|p| p.view_service())
    else {
        return false;
    };
    let view = &vs.view;
    let holds = |id| {
        engine
            .node(id)
            .and_then(|n| n.process.as_ref())
            .and_then(|p| p.server())
            .map(|s| (s.primary.as_ref().map(|p| p.view), s.installed))
    };
    let Some(primary) = view.primary else {
        return false;
    };
    let primary_lost =
        vs.restarted(primary) || holds(primary).is_none_or(|(p, _)| p != Some(view.num));
    if !primary_lost {
        return false;
    }
    if !vs.acked {
        return true;
    }
    config.replication != Replication::Cold
        && view
            .backups
            .iter()
            .all(|b| holds(*b).is_none_or(|(_, installed)| installed < view.num))
}
