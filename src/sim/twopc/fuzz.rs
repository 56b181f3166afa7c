//! What two-phase commit tells the fault search (`sim::fuzz`): settings drawn from the seed
//! (participants, keys, clients and their workload, every timeout, lock waiting or not, disk
//! sync), two fault kinds of its own (a participant told to vote no, and an outage of the
//! coordinator of up to three seconds, which is what makes participants block), and what the
//! healed run must reach: nobody left in doubt (the None Left In Doubt check) and every node up.
//! `--variant raft3|raft5` puts the coordinator on a Raft group (its election timeouts drawn
//! from the seed too), whose leader the outage then takes down, whichever member it is.

use super::config::{CoordinatorKind, COORDINATOR};
use super::{Bugs, TwoPc, TwoPcAction, TwoPcSettings, Violation};
use crate::sim::disk::SyncPolicy;
use crate::sim::engine::{Engine, Fault, TimedAction};
use crate::sim::fuzz::faults::{crash_mode, draw_latency, draw_sync_policy, schedule, Vocabulary};
use crate::sim::fuzz::{Fuzz, Phases};
use crate::sim::rng::{SimRng, Stream, PPM_ONE};
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};

/// What a two-phase commit search varies besides the seed: who coordinates (`--variant`)
/// and the broken switches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchOptions {
    pub coordinator: CoordinatorKind,
    pub bugs: Bugs,
}

impl Fuzz for TwoPc {
    type Bugs = SearchOptions;

    const BUG_NAMES: &'static [&'static str] = &[
        "decide-before-log",
        "forget-prepared-on-crash",
        "commit-on-timeout",
        "release-locks-at-prepare",
    ];
    const WORK_NAME: &'static str = "transactions committed";

    fn bug(name: &str) -> Option<SearchOptions> {
        let mut bugs = Bugs::default();
        match name {
            "decide-before-log" => bugs.decide_before_log = true,
            "forget-prepared-on-crash" => bugs.forget_prepared_on_crash = true,
            "commit-on-timeout" => bugs.commit_on_timeout = true,
            "release-locks-at-prepare" => bugs.release_locks_at_prepare = true,
            _ => return None,
        }
        Some(SearchOptions {
            bugs,
            ..SearchOptions::default()
        })
    }

    fn with_variant(options: SearchOptions, name: &str) -> Result<SearchOptions, String> {
        let coordinator = CoordinatorKind::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = CoordinatorKind::ALL.iter().map(|k| k.name()).collect();
            format!(
                "--variant: \"{name}\" is not one of {} for 2pc",
                known.join(", ")
            )
        })?;
        Ok(SearchOptions {
            coordinator,
            ..options
        })
    }

    fn settings_for_seed(seed: u64, nodes: Option<u32>, options: &SearchOptions) -> TwoPcSettings {
        let bugs = &options.bugs;
        let group = options.coordinator.size();
        let mut rng = SimRng::stream(seed, Stream::Faults);
        let mut s = TwoPcSettings {
            seed,
            ..TwoPcSettings::default()
        };
        let c = &mut s.twopc;
        c.participants = match nodes {
            Some(n) => n.saturating_sub(group).clamp(2, 5),
            None => rng.between(2, 5) as u32,
        };
        c.keys = c.participants * rng.between(1, 6) as u32;
        c.clients = rng.between(1, 4) as u32;
        c.transactions = rng.between(10, 40);
        c.ops_max = rng.between(2, 4) as u32;
        c.write_percent = rng.between(30, 90) as u32;
        c.think_us = rng.between(0, 100) * MICROS_PER_MS;
        c.client_timeout_us = rng.between(1_000, 4_000) * MICROS_PER_MS;
        c.vote_timeout_us = rng.between(200, 1_000) * MICROS_PER_MS;
        c.decision_timeout_us = rng.between(100, 800) * MICROS_PER_MS;
        c.lock_wait_us = if rng.chance(PPM_ONE / 4) {
            0
        } else {
            rng.between(50, 600) * MICROS_PER_MS
        };
        c.resend_us = rng.between(50, 300) * MICROS_PER_MS;
        c.tick_us = rng.between(10, 50) * MICROS_PER_MS;
        c.bugs = bugs.clone();
        draw_latency(&mut rng, &mut s.network);
        s.disk.sync = draw_sync_policy(&mut rng);
        if options.coordinator.is_raft() {
            // A stream of its own, so that a single coordinator's run stays what it was.
            let mut rng = SimRng::stream(seed, Stream::Workload);
            let c = &mut s.twopc;
            c.coordinator = options.coordinator;
            let r = &mut c.group_raft;
            r.election_timeout_us_min = rng.between(100, 300) * MICROS_PER_MS;
            r.election_timeout_us_max =
                r.election_timeout_us_min + rng.between(50, 300) * MICROS_PER_MS;
            r.heartbeat_interval_us = r.election_timeout_us_min / rng.between(3, 6);
            r.pre_vote = rng.chance(PPM_ONE * 3 / 4);
            r.check_quorum = rng.chance(PPM_ONE * 3 / 4);
        }
        s
    }

    fn fault_schedule(settings: &TwoPcSettings, until_us: Micros) -> Vec<TimedAction<TwoPcAction>> {
        let vocabulary = Vocabulary {
            seed: settings.seed,
            nodes: settings.twopc.nodes(),
            network: settings.network.clone(),
            bounce_us_max: 500 * MICROS_PER_MS,
            own_kinds: 2,
        };
        let participants = settings.twopc.participants;
        let raft = settings.twopc.coordinator.is_raft();
        schedule(&vocabulary, until_us, |kind, rng, down| match kind {
            0 => {
                // A participant told to vote no.
                let node = NodeId(2 + rng.below(u64::from(participants)) as u32);
                vec![(0, TwoPcAction::VoteNo { node })]
            }
            _ if raft => {
                // The group's leader goes down for a while, whichever member it is then.
                let mode = crash_mode(rng);
                let back_us = rng.between(100, 3_000) * MICROS_PER_MS;
                vec![
                    (0, TwoPcAction::CrashLeader { mode }),
                    (back_us, TwoPcAction::RestartCrashedLeader),
                ]
            }
            _ => {
                // The coordinator goes down for a while, with transactions in every phase.
                if down[COORDINATOR.slot()] {
                    return Vec::new();
                }
                let mode = crash_mode(rng);
                let back_us = rng.between(100, 3_000) * MICROS_PER_MS;
                vec![
                    (
                        0,
                        TwoPcAction::Fault(Fault::Crash {
                            node: COORDINATOR,
                            mode,
                        }),
                    ),
                    (
                        back_us,
                        TwoPcAction::Fault(Fault::Restart { node: COORDINATOR }),
                    ),
                ]
            }
        })
    }

    /// On a disk that does not sync every write, a power loss can take a participant's
    /// prepare record or the coordinator's commit record after the vote or the decision left:
    /// every property then rests on storage it was denied.
    fn excused(settings: &TwoPcSettings, _violation: &Violation) -> bool {
        settings.disk.sync != SyncPolicy::EveryWrite
    }

    fn settle_us(_settings: &TwoPcSettings, _phases: Phases) -> Micros {
        0
    }

    fn promised(_engine: &Engine<TwoPc>) -> u64 {
        0
    }

    /// None Left In Doubt has spoken by now (`finish_checks`); what is left to ask is that
    /// every node is up again.
    fn liveness_problem(engine: &mut Engine<TwoPc>, _promised: u64) -> Option<String> {
        engine
            .nodes()
            .iter()
            .find(|n| !n.is_up())
            .map(|n| format!("{} is still down after the repair", n.id))
    }

    fn work_done(engine: &Engine<TwoPc>) -> u64 {
        engine.world().committed()
    }
}
