//! What Raft tells the fault search (`sim::fuzz`): settings drawn from the seed (cluster
//! size, PreVote, CheckQuorum, snapshots, batching, client load, disk sync), its own fault
//! kinds (a leadership transfer, a vote race), and what the healed cluster must reach: one
//! leader, and every acknowledged write applied on every server.

use crate::sim::disk::SyncPolicy;
use crate::sim::engine::Engine;
use crate::sim::fuzz::faults::{
    any_node, crash_mode, draw_latency, draw_sync_policy, schedule, Vocabulary,
};
use crate::sim::fuzz::{run_seed_covered, Fuzz, Phases, Verdict};
use crate::sim::raft::action::{Action, TimedAction};
use crate::sim::raft::checks::{Property, Violation};
use crate::sim::raft::config::Bugs;
use crate::sim::raft::effect::Role;
use crate::sim::raft::fuzz_membership;
use crate::sim::raft::settings::Settings;
use crate::sim::raft::types::Raft;
use crate::sim::rng::{SimRng, Stream, PPM_ONE};
use crate::sim::types::{LogIndex, Micros, MICROS_PER_MS};
use crate::sim::Simulation;

/// What a Raft search runs with beyond the seed: the broken switches, and whether servers
/// are added and removed among the faults (`--membership`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FuzzOptions {
    pub bugs: Bugs,
    pub membership: bool,
    /// With `membership`: changes by joint consensus (`raft.joint_consensus`, paper section 6).
    pub joint: bool,
}

impl From<&Bugs> for FuzzOptions {
    fn from(bugs: &Bugs) -> FuzzOptions {
        FuzzOptions {
            bugs: bugs.clone(),
            membership: false,
            joint: false,
        }
    }
}

/// Settings drawn from the seed with the search's options: with membership changes, the
/// run also has spare servers (`fuzz_membership::draw_cluster`).
pub fn settings_for_seed_with(seed: u64, nodes: Option<u32>, options: &FuzzOptions) -> Settings {
    let mut s = settings_for_seed(seed, nodes, &options.bugs);
    if options.membership {
        fuzz_membership::draw_cluster(&mut s, nodes);
        s.raft.joint_consensus = options.joint;
    }
    s
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
    draw_latency(&mut rng, &mut s.network);
    s.workload.clients = rng.between(1, 4) as u32;
    s.workload.keys = rng.between(1, 4) as u32;
    s.workload.think_us_min = rng.between(0, 20) * MICROS_PER_MS;
    s.workload.think_us_max = s.workload.think_us_min + rng.between(0, 80) * MICROS_PER_MS;
    s.disk.sync = draw_sync_policy(&mut rng);
    s.disk.replay_us_per_entry = rng.below(3) * MICROS_PER_MS;
    s.disk.load_us_per_snapshot_kb = rng.below(1_000);
    s
}

/// A random fault schedule over `[0, until_us)`, followed by a full repair at `until_us`: the
/// shared fault kinds plus Raft's two, a leadership transfer and a vote race, and in a run
/// with spare servers the membership changes of `fuzz_membership`.
pub fn fault_schedule(settings: &Settings, until_us: Micros) -> Vec<TimedAction> {
    let membership = settings.raft.voters_initial > 0;
    let vocabulary = Vocabulary {
        seed: settings.seed,
        nodes: settings.nodes,
        network: settings.network.clone(),
        bounce_us_max: settings.raft.election_timeout_us_min,
        own_kinds: if membership {
            2 + fuzz_membership::KINDS
        } else {
            2
        },
    };
    let n = settings.nodes;
    let (lat_min, lat_max) = (
        settings.network.latency_us_min,
        settings.network.latency_us_max,
    );
    let mut actions = schedule(&vocabulary, until_us, |kind, rng, down| match kind {
        0 => vec![(
            0,
            Action::Transfer {
                to: any_node(rng, n),
            },
        )],
        k if k >= 2 => fuzz_membership::draw(k - 2, rng, settings),
        _ => {
            // A vote race: two servers time out before hearing each other's vote
            // requests, while a third crashes and restarts between receiving them.
            let first = Action::Timeout {
                node: any_node(rng, n),
            };
            let second = Action::Timeout {
                node: any_node(rng, n),
            };
            let mut race = vec![(0, first), (rng.below(lat_min.max(1)), second)];
            let target = any_node(rng, n);
            if !down[target.slot()] {
                let crash_us = rng.between(lat_min, lat_max + lat_min);
                let mode = crash_mode(rng);
                race.push((crash_us, Action::Crash { node: target, mode }));
                let restart_us = crash_us + rng.between(1, lat_min.max(1));
                race.push((restart_us, Action::Restart { node: target }));
            }
            race
        }
    });
    // A membership fault's later steps (a partition, a lossy network) must not outlast the
    // repair that starts the liveness phase; restarts may. Runs without membership keep
    // their schedules.
    if membership {
        actions.retain(|a| a.at_us <= until_us || matches!(a.action, Action::Restart { .. }));
    }
    actions
}

/// Runs one seed through both phases.
pub fn run_seed(seed: u64, nodes: Option<u32>, bugs: &Bugs, phases: Phases) -> Verdict<Violation> {
    run_seed_covered::<Raft>(seed, nodes, &bugs.into(), phases).0
}

impl Fuzz for Raft {
    type Bugs = FuzzOptions;

    const BUG_NAMES: &'static [&'static str] = &[
        "commit-previous-term",
        "vote-without-log-check",
        "forget-vote-on-restart",
        "config-before-own-term-commit",
        "concurrent-config-changes",
    ];
    const WORK_NAME: &'static str = "client operations";

    fn bug(name: &str) -> Option<FuzzOptions> {
        let mut bugs = Bugs::default();
        match name {
            "commit-previous-term" => bugs.commit_previous_term_by_count = true,
            "vote-without-log-check" => bugs.vote_without_log_check = true,
            "forget-vote-on-restart" => bugs.forget_vote_on_restart = true,
            "config-before-own-term-commit" => bugs.config_before_own_term_commit = true,
            "concurrent-config-changes" => bugs.concurrent_config_changes = true,
            _ => return None,
        }
        Some((&bugs).into())
    }

    fn with_membership(options: FuzzOptions) -> Result<FuzzOptions, String> {
        Ok(FuzzOptions {
            membership: true,
            ..options
        })
    }

    fn with_joint(options: FuzzOptions) -> Result<FuzzOptions, String> {
        Ok(FuzzOptions {
            joint: true,
            ..options
        })
    }

    fn settings_for_seed(seed: u64, nodes: Option<u32>, options: &FuzzOptions) -> Settings {
        settings_for_seed_with(seed, nodes, options)
    }

    fn fault_schedule(settings: &Settings, until_us: Micros) -> Vec<TimedAction> {
        fault_schedule(settings, until_us)
    }

    /// Recovery itself must replay correctly whatever the disk kept.
    fn excused(settings: &Settings, violation: &Violation) -> bool {
        settings.disk.sync != SyncPolicy::EveryWrite
            && violation.property != Property::RecoveryReplay
    }

    /// Writes acknowledged this long before the end must have reached every server: a
    /// follower learns of a commit only with the leader's next message.
    fn settle_us(settings: &Settings, phases: Phases) -> Micros {
        (10 * settings.raft.heartbeat_interval_us).min(phases.liveness_us / 2)
    }

    fn promised(engine: &Engine<Raft>) -> u64 {
        engine.highest_acknowledged_index().0
    }

    fn liveness_problem(engine: &mut Engine<Raft>, promised: u64) -> Option<String> {
        // A disk that may lose acknowledged writes cannot promise they reach every server.
        let lossy = engine.settings().disk.sync != SyncPolicy::EveryWrite;
        let acked = if lossy {
            LogIndex(0)
        } else {
            LogIndex(promised)
        };
        if engine.settings().raft.voters_initial > 0 {
            return fuzz_membership::liveness_problem(engine, acked, lossy);
        }
        liveness_problem(engine, acked)
    }

    fn work_done(engine: &Engine<Raft>) -> u64 {
        engine.completed_ops()
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
