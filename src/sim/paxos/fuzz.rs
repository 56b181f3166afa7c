//! Paxos under the fault search: every knob of a run from its seed (the variant comes from
//! `--variant`), its broken switches, its own faults (a node told to propose now, whatever it
//! knows: duelling proposers and leader churn; and such a churn with another node bounced
//! while the ballots cross), and what the healed run must reach (every
//! node has learned the value, or every slot a client was told about).

use super::config::{Bugs, Variant};
use super::driver::{PaxosAction, PaxosSettings};
use super::types::{Paxos, SINGLE_SLOT};
use super::Violation;
use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::engine::{Engine, Fault, TimedAction};
use crate::sim::fuzz::faults::{any_node, draw_latency, draw_sync_policy, schedule, Vocabulary};
use crate::sim::fuzz::{Fuzz, Phases};
use crate::sim::rng::{SimRng, Stream, PPM_ONE};
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};

/// What a Paxos search varies besides the seed: the variant and the broken switches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchOptions {
    pub variant: Variant,
    pub bugs: Bugs,
}

impl Fuzz for Paxos {
    type Bugs = SearchOptions;

    const BUG_NAMES: &'static [&'static str] = &[
        "forget-promise-on-crash",
        "ignore-promise-values",
        "accept-lower-ballot",
    ];
    const WORK_NAME: &'static str = "values learned (single) or client commands completed (multi)";

    fn bug(name: &str) -> Option<SearchOptions> {
        let mut bugs = Bugs::default();
        match name {
            "forget-promise-on-crash" => bugs.forget_promise_on_crash = true,
            "ignore-promise-values" => bugs.ignore_promise_values = true,
            "accept-lower-ballot" => bugs.accept_lower_ballot = true,
            _ => return None,
        }
        Some(SearchOptions {
            bugs,
            ..SearchOptions::default()
        })
    }

    fn with_variant(options: SearchOptions, name: &str) -> Result<SearchOptions, String> {
        let variant = Variant::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
            format!(
                "--variant: \"{name}\" is not one of {} for paxos",
                known.join(", ")
            )
        })?;
        Ok(SearchOptions { variant, ..options })
    }

    fn settings_for_seed(seed: u64, nodes: Option<u32>, options: &SearchOptions) -> PaxosSettings {
        let mut rng = SimRng::stream(seed, Stream::Faults);
        let mut s = PaxosSettings {
            seed,
            ..PaxosSettings::default()
        };
        let c = &mut s.paxos;
        c.variant = options.variant;
        c.bugs = options.bugs.clone();
        c.nodes = match nodes {
            Some(n) => n.clamp(1, super::config::NODES_MAX),
            None => rng.between(3, 7) as u32,
        };
        match c.variant {
            Variant::Single => {
                c.proposers = rng.between(2, 3).min(u64::from(c.nodes)) as u32;
                c.proposer_start_us_max =
                    [0, 50, 2_000, 6_000][rng.below(4) as usize] * MICROS_PER_MS;
                c.retry_delay_us_min = rng.between(1, 10) * MICROS_PER_MS;
                // Half the seeds retry within a few milliseconds: duels then last (the range
                // doubles with each ballot lost in a row, so they still end), which is when
                // the proposers' ballots cross the most.
                let width_us = if rng.chance(PPM_ONE / 2) {
                    rng.between(1, 5) * MICROS_PER_MS
                } else {
                    rng.between(20, 200) * MICROS_PER_MS
                };
                c.retry_delay_us_max = c.retry_delay_us_min + width_us;
                c.phase_timeout_us = rng.between(50, 300) * MICROS_PER_MS;
                c.ask_us = rng.between(100, 400) * MICROS_PER_MS;
            }
            Variant::Multi => {
                c.heartbeat_us = rng.between(50, 120) * MICROS_PER_MS;
                c.election_timeout_us_min = rng.between(300, 600) * MICROS_PER_MS;
                c.election_timeout_us_max =
                    c.election_timeout_us_min + rng.between(100, 400) * MICROS_PER_MS;
                c.clients = rng.between(1, 3) as u32;
                c.keys = rng.between(1, 5) as u32;
                c.think_us = rng.between(10, 100) * MICROS_PER_MS;
                c.client_timeout_us = rng.between(200, 800) * MICROS_PER_MS;
            }
        }
        draw_latency(&mut rng, &mut s.network);
        s.disk.sync = draw_sync_policy(&mut rng);
        s
    }

    fn fault_schedule(settings: &PaxosSettings, until_us: Micros) -> Vec<TimedAction<PaxosAction>> {
        let vocabulary = Vocabulary {
            seed: settings.seed,
            nodes: settings.paxos.nodes,
            network: settings.network.clone(),
            bounce_us_max: 300 * MICROS_PER_MS,
            own_kinds: 2,
        };
        let config = &settings.paxos;
        let latency_us_max = settings.network.latency_us_max;
        let latency_us_min = settings.network.latency_us_min;
        schedule(&vocabulary, until_us, |kind, rng, down| {
            // A node starts phase 1 now: single-decree, one of the proposers; Multi-Paxos,
            // anyone, pre-empting the leader.
            let node = match config.variant {
                Variant::Single => NodeId(1 + rng.below(u64::from(config.proposers)) as u32),
                Variant::Multi => any_node(rng, config.nodes),
            };
            let mut actions = vec![(0, PaxosAction::Propose { node })];
            if kind == 1 {
                // A churn: another node goes down about when the prepare requests have reached
                // it and comes back soon, while the older ballot's accept requests are still
                // on their way or sent again (what an acceptor must not forget its promise
                // through).
                let other = any_node(rng, config.nodes);
                if other != node && !down[other.slot()] {
                    let crash_us = rng.between(latency_us_min, latency_us_max);
                    let back_us = crash_us + rng.between(0, 2 * MICROS_PER_MS);
                    actions.push((
                        crash_us,
                        PaxosAction::Fault(Fault::Crash {
                            node: other,
                            mode: CrashMode::Clean,
                        }),
                    ));
                    actions.push((back_us, PaxosAction::Fault(Fault::Restart { node: other })));
                }
            }
            actions
        })
    }

    /// On a disk that does not sync every write, a power loss can take an acceptor's promise
    /// or accepted proposal after its answer left: Paxos's safety rests on that storage.
    fn excused(settings: &PaxosSettings, _violation: &Violation) -> bool {
        settings.disk.sync != SyncPolicy::EveryWrite
    }

    fn settle_us(_settings: &PaxosSettings, phases: Phases) -> Micros {
        phases.liveness_us / 2
    }

    /// Multi-Paxos: the highest slot a client was told about.
    fn promised(engine: &Engine<Paxos>) -> u64 {
        engine.world().highest_acked()
    }

    /// Every node is up and has learned the value (single-decree) or applied every slot
    /// up to the highest a client was told about by the settling time (Multi-Paxos).
    fn liveness_problem(engine: &mut Engine<Paxos>, promised: u64) -> Option<String> {
        let variant = engine.settings().paxos.variant;
        for n in engine.nodes() {
            let Some(node) = &n.process else {
                return Some(format!("{} is still down after the repair", n.id));
            };
            match variant {
                Variant::Single if !node.learner.learned.contains_key(&SINGLE_SLOT) => {
                    return Some(format!("{} has learned no value after the repair", n.id));
                }
                Variant::Multi if node.learner.applied < promised => {
                    return Some(format!(
                        "{} applied slots up to {} only, below slot {promised} acknowledged to a client",
                        n.id, node.learner.applied
                    ));
                }
                _ => {}
            }
        }
        None
    }

    fn work_done(engine: &Engine<Paxos>) -> u64 {
        match engine.settings().paxos.variant {
            Variant::Single => engine
                .nodes()
                .iter()
                .filter_map(|n| n.process.as_ref())
                .filter(|n| n.learner.learned.contains_key(&SINGLE_SLOT))
                .count() as u64,
            Variant::Multi => engine.world().completed(),
        }
    }
}
