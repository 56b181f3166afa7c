//! Random fault search in the style of TigerBeetle's VOPR: every knob of a run comes from its
//! seed (swarm testing); a safety phase of crashes, restarts, partitions, cuts, loss and
//! duplication under client load is followed by a healed liveness phase that must elect a
//! leader and apply every acknowledged write on every server.

use crate::sim::action::{Action, TimedAction};
use crate::sim::check::Property;
use crate::sim::check::Violation;
use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::engine::Observe;
use crate::sim::net::NetConfig;
use crate::sim::raft::driver::Coverage;
use crate::sim::raft::{Bugs, Role};
use crate::sim::rng::{SimRng, Stream, PPM_ONE};
use crate::sim::settings::Settings;
use crate::sim::types::{LogIndex, Micros, NodeId, MICROS_PER_MS};
use crate::sim::Simulation;

/// How long each phase of a fuzz run lasts, in simulated time.
#[derive(Copy, Clone, Debug)]
pub struct Phases {
    pub safety_us: Micros,
    pub liveness_us: Micros,
}

impl Default for Phases {
    fn default() -> Self {
        Phases {
            safety_us: 10_000 * MICROS_PER_MS,
            liveness_us: 10_000 * MICROS_PER_MS,
        }
    }
}

/// Settings drawn from the seed: cluster size, protocol options, client load.
pub fn settings_for_seed(seed: u64, nodes: Option<u32>, bugs: &Bugs) -> Settings {
    let mut rng = SimRng::stream(seed, Stream::Faults);
    let mut s = Settings {
        seed,
        nodes: nodes.unwrap_or(3 + rng.below(5) as u32),
        ..Settings::default()
    };
    s.raft.pre_vote = rng.chance(PPM_ONE / 2);
    s.raft.check_quorum = rng.chance(PPM_ONE / 2);
    s.raft.snapshot_every_entries = if rng.chance(PPM_ONE / 2) {
        Some(rng.between(4, 40))
    } else {
        None
    };
    s.raft.max_entries_per_append = rng.between(1, 64) as u32;
    s.raft.bugs = bugs.clone();
    s.network.latency_us_min = rng.between(1, 10) * MICROS_PER_MS;
    s.network.latency_us_max = s.network.latency_us_min + rng.between(0, 30) * MICROS_PER_MS;
    s.workload.clients = rng.between(1, 4) as u32;
    s.workload.keys = rng.between(1, 4) as u32;
    s.workload.think_us_min = rng.between(0, 20) * MICROS_PER_MS;
    s.workload.think_us_max = s.workload.think_us_min + rng.between(0, 80) * MICROS_PER_MS;
    // Most runs sync every write, which Raft's safety needs; some group-commit or never
    // sync, to check that recovery loses only what such a disk is allowed to lose.
    s.disk.sync = match rng.below(8) {
        0 => SyncPolicy::Interval {
            interval_us: rng.between(1, 50) * MICROS_PER_MS,
        },
        1 => SyncPolicy::Never,
        _ => SyncPolicy::EveryWrite,
    };
    s.disk.replay_us_per_entry = rng.below(3) * MICROS_PER_MS;
    s.disk.load_us_per_snapshot_kb = rng.below(1_000);
    s
}

/// A crash of a random kind: the process alone, a power loss, or a power loss mid-write.
fn crash_mode(rng: &mut SimRng) -> CrashMode {
    match rng.below(4) {
        0 => CrashMode::LoseUnsynced,
        1 => CrashMode::TearLast,
        _ => CrashMode::Clean,
    }
}

/// How many kinds of fault `fault_schedule` draws from.
const FAULT_KINDS: u64 = 8;

/// A random fault schedule over `[0, until_us)`, followed by a full repair at `until_us`.
pub fn fault_schedule(settings: &Settings, until_us: Micros) -> Vec<TimedAction> {
    let mut rng = SimRng::stream(settings.seed, Stream::Faults);
    // Skip the draws settings_for_seed made, so the two do not share choices.
    for _ in 0..16 {
        rng.next_u64();
    }
    let n = settings.nodes;
    let node = |rng: &mut SimRng| NodeId(1 + rng.below(n as u64) as u32);
    let mut down = vec![false; n as usize];
    let mut actions = Vec::new();
    let mean_gap_us = rng.between(30, 400) * MICROS_PER_MS;
    let election_us = settings.raft.election_timeout_us_min;
    // Swarm testing: each seed enables its own subset of the fault kinds, so that some runs
    // concentrate on one kind of trouble instead of averaging everything out.
    let enabled: Vec<u64> = loop {
        let kinds: Vec<u64> = (0..FAULT_KINDS)
            .filter(|_| rng.chance(PPM_ONE / 2))
            .collect();
        if !kinds.is_empty() {
            break kinds;
        }
    };
    let mut t = 0;
    loop {
        t += rng.between(mean_gap_us / 4, mean_gap_us * 2);
        if t >= until_us {
            break;
        }
        let mut at = |action: Action, delay_us: Micros| {
            actions.push(TimedAction {
                at_us: t + delay_us,
                action,
            })
        };
        let kind = enabled[rng.below(enabled.len() as u64) as usize];
        match kind {
            0 => {
                let target = node(&mut rng);
                if down[target.slot()] {
                    down[target.slot()] = false;
                    at(Action::Restart { node: target }, 0);
                } else {
                    down[target.slot()] = true;
                    let mode = crash_mode(&mut rng);
                    at(Action::Crash { node: target, mode }, 0);
                }
            }
            1 => {
                let mut groups = vec![Vec::new(), Vec::new()];
                for id in 1..=n {
                    groups[rng.below(2) as usize].push(NodeId(id));
                }
                at(Action::Partition { groups }, 0);
            }
            2 => at(Action::Heal, 0),
            3 => {
                let (a, b) = (node(&mut rng), node(&mut rng));
                if a != b {
                    at(
                        Action::Cut {
                            from: a,
                            to: b,
                            both: rng.chance(PPM_ONE / 2),
                        },
                        0,
                    );
                }
            }
            4 => {
                let mut network = settings.network.clone();
                network.loss_ppm = rng.below(300_000) as u32;
                network.duplicate_ppm = rng.below(200_000) as u32;
                at(Action::SetNetwork { network }, 0);
            }
            5 => at(Action::Transfer { to: node(&mut rng) }, 0),
            6 => {
                // A vote race: two servers time out before hearing each other's vote
                // requests, while a third crashes and restarts between receiving them.
                let (lat_min, lat_max) = (
                    settings.network.latency_us_min,
                    settings.network.latency_us_max,
                );
                at(
                    Action::Timeout {
                        node: node(&mut rng),
                    },
                    0,
                );
                at(
                    Action::Timeout {
                        node: node(&mut rng),
                    },
                    rng.below(lat_min.max(1)),
                );
                let target = node(&mut rng);
                if !down[target.slot()] {
                    let crash_us = rng.between(lat_min, lat_max + lat_min);
                    at(
                        Action::Crash {
                            node: target,
                            mode: crash_mode(&mut rng),
                        },
                        crash_us,
                    );
                    at(
                        Action::Restart { node: target },
                        crash_us + rng.between(1, lat_min.max(1)),
                    );
                }
            }
            _ => {
                // A bounce: a crash and a restart within an election, while votes and
                // entries are in flight.
                let target = node(&mut rng);
                if !down[target.slot()] {
                    at(
                        Action::Crash {
                            node: target,
                            mode: crash_mode(&mut rng),
                        },
                        0,
                    );
                    at(Action::Restart { node: target }, rng.below(election_us));
                }
            }
        }
    }
    // The liveness phase starts from a healed, fully running cluster.
    actions.push(TimedAction {
        at_us: until_us,
        action: Action::Heal,
    });
    actions.push(TimedAction {
        at_us: until_us,
        action: Action::SetNetwork {
            network: NetConfig {
                loss_ppm: 0,
                duplicate_ppm: 0,
                ..settings.network.clone()
            },
        },
    });
    for id in 1..=n {
        if down[(id - 1) as usize] {
            actions.push(TimedAction {
                at_us: until_us,
                action: Action::Restart { node: NodeId(id) },
            });
        }
    }
    actions
}

/// How one fuzz run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Pass {
        events: u64,
        ops: u64,
    },
    Unsafe(Violation),
    /// The healed cluster did not recover in the liveness phase; says what was missing.
    Stuck(String),
    /// The disk did not sync every write, a crash lost what was not synced, and Raft's
    /// guarantees failed as a result (as they must: Figure 2 requires stable storage).
    /// Recovery itself replayed correctly.
    LossyDisk(Violation),
}

/// Runs one seed through both phases.
pub fn run_seed(seed: u64, nodes: Option<u32>, bugs: &Bugs, phases: Phases) -> Verdict {
    run_seed_covered(seed, nodes, bugs, phases).0
}

/// Like `run_seed`, with the counters of what the run reached (up to where it stopped).
pub fn run_seed_covered(
    seed: u64,
    nodes: Option<u32>,
    bugs: &Bugs,
    phases: Phases,
) -> (Verdict, Coverage) {
    let settings = settings_for_seed(seed, nodes, bugs);
    let schedule = fault_schedule(&settings, phases.safety_us);
    let observe = Observe {
        trace: false,
        checks: true,
    };
    let mut sim = match Simulation::with_observe(settings, observe) {
        Ok(sim) => sim,
        Err(e) => {
            let why = format!("invalid settings: {}", e.english());
            return (Verdict::Stuck(why), Coverage::default());
        }
    };
    for a in schedule {
        if let Err(e) = sim.schedule(a.at_us, a.action) {
            let why = format!("invalid fault schedule: {}", e.english());
            return (Verdict::Stuck(why), Coverage::default());
        }
    }
    let verdict = run_phases(&mut sim, phases);
    (verdict, *sim.coverage())
}

/// Runs a scheduled simulation through the safety and liveness phases.
fn run_phases(sim: &mut Simulation, phases: Phases) -> Verdict {
    let end = phases.safety_us + phases.liveness_us;
    // Writes acknowledged this long before the end must have reached every server: a
    // follower learns of a commit only with the leader's next message.
    let settle_us = (10 * sim.settings().raft.heartbeat_interval_us).min(phases.liveness_us / 2);
    let mut acked_before_settle = None;
    // Stop at the first violation rather than running on in a broken state.
    let mut checkpoint = 0;
    while checkpoint < end {
        let next = (checkpoint + 100 * MICROS_PER_MS).min(end);
        if checkpoint < end - settle_us && next >= end - settle_us {
            sim.run_until(end - settle_us);
            acked_before_settle = Some(sim.highest_acknowledged_index());
        }
        checkpoint = next;
        sim.run_until(checkpoint);
        if let Some(v) = sim.violations().first() {
            let lossy = sim.settings().disk.sync != SyncPolicy::EveryWrite;
            return if lossy && v.property != Property::RecoveryReplay {
                Verdict::LossyDisk(v.clone())
            } else {
                Verdict::Unsafe(v.clone())
            };
        }
    }
    // A disk that may lose acknowledged writes cannot promise they reach every server.
    let acked = match sim.settings().disk.sync {
        SyncPolicy::EveryWrite => acked_before_settle.unwrap_or_default(),
        _ => LogIndex(0),
    };
    match liveness_problem(sim, acked) {
        Some(problem) => Verdict::Stuck(problem),
        None => Verdict::Pass {
            events: sim.events_processed(),
            ops: sim.completed_ops(),
        },
    }
}

/// After the healed phase: one leader, and every server has applied at least everything
/// acknowledged to a client up to index `acked`.
pub fn liveness_problem(sim: &Simulation, acked: LogIndex) -> Option<String> {
    let live: Vec<_> = sim
        .nodes()
        .iter()
        .filter_map(|n| n.process.as_ref())
        .collect();
    if live.len() != sim.nodes().len() {
        return Some("a server is still down after the repair".into());
    }
    let top_term = live.iter().map(|r| r.term()).max()?;
    let leaders = live
        .iter()
        .filter(|r| r.role() == Role::Leader && r.term() == top_term)
        .count();
    if leaders != 1 {
        return Some(format!(
            "no leader in term {top_term} after the healed phase"
        ));
    }
    let behind: Vec<String> = live
        .iter()
        .filter(|r| r.last_applied() < acked)
        .map(|r| format!("{} applied only up to {}", r.id(), r.last_applied()))
        .collect();
    if !behind.is_empty() {
        return Some(format!(
            "acknowledged writes up to index {acked} not applied everywhere: {}",
            behind.join(", ")
        ));
    }
    None
}
