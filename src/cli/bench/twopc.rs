//! `faultline bench 2pc`: what putting the coordinator on Raft costs and what it buys. For
//! each coordinator (one node; a Raft group of 3; of 5): transactions committed per simulated
//! second and the mean and 99th-percentile commit latency of a closed-loop workload with no
//! faults, and the participant-seconds spent blocked per crash of the coordinator (the
//! group's leader) in the same workload with the coordinator crashed three times, each time
//! at two-phase commit's worst moment: every participant of a transaction has voted yes and
//! no decision has left (a crash at a random moment mostly finds a participant that has not
//! voted, and cooperative termination then aborts without waiting). Every run
//! has its checks on; a violation is a bug, not a number. Wall-clock time is read here only
//! for the whole bench.

use crate::cli::args::{Args, Flag};
use crate::sim::disk::CrashMode;
use crate::sim::engine::Engine;
use crate::sim::protocol::Event;
use crate::sim::twopc::coordinator::CoordPhase;
use crate::sim::twopc::participant::PState;
use crate::sim::twopc::{
    CoordinatorKind, Note, Outcome, TwoPc, TwoPcAction, TwoPcNode, TwoPcSettings,
};
use crate::sim::types::{Micros, MICROS_PER_MS};
use std::collections::BTreeMap;
use std::time::Instant;

/// Seeds per coordinator kind, by default.
pub const SEEDS_DEFAULT: u64 = 5;
/// One-way latency: a data centre's few milliseconds, with jitter.
pub const LATENCY_US_MIN: Micros = 2 * MICROS_PER_MS;
pub const LATENCY_US_MAX: Micros = 5 * MICROS_PER_MS;
/// How long each run lasts.
pub const RUN_US: Micros = 12_000 * MICROS_PER_MS;
/// The throughput runs count commits after this warm-up (the group's first election).
pub const WARM_UP_US: Micros = 2_000 * MICROS_PER_MS;
/// Crash runs: the coordinator goes down at these moments, for `DOWN_US` each.
pub const CRASHES_AT_US: [Micros; 3] = [
    3_000 * MICROS_PER_MS,
    6_000 * MICROS_PER_MS,
    9_000 * MICROS_PER_MS,
];
pub const DOWN_US: Micros = 1_500 * MICROS_PER_MS;

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(raw, &[Flag("seeds", true)])?;
    let seeds: u64 = args.number("seeds", SEEDS_DEFAULT)?;
    if seeds == 0 {
        return Err("--seeds must be at least 1".into());
    }
    let started = Instant::now();
    println!(
        "2pc, 3 participants, 12 keys, 4 closed-loop clients, one-way latency {}-{} ms, disks sync every write (instantly), {seeds} seeds of {} s each:",
        LATENCY_US_MIN / MICROS_PER_MS,
        LATENCY_US_MAX / MICROS_PER_MS,
        RUN_US / 1_000_000
    );
    println!(
        "{:>12} {:>12} {:>18} {:>17} {:>34}",
        "coordinator",
        "commits/s",
        "mean commit (ms)",
        "p99 commit (ms)",
        "blocked participant-s per crash"
    );
    for kind in CoordinatorKind::ALL {
        let mut latencies_us = Vec::new();
        let (mut commits, mut blocked_us, mut crashes) = (0u64, 0u64, 0u64);
        for seed in 1..=seeds {
            let quiet = match run(kind, seed, false) {
                Ok(e) => e,
                Err(e) => return broken(&e),
            };
            let (n, lat) = commits_after_warm_up(&quiet);
            commits += n;
            latencies_us.extend(lat);
            let crashed = match run(kind, seed, true) {
                Ok(e) => e,
                Err(e) => return broken(&e),
            };
            blocked_us += blocked_total_us(&crashed);
            crashes += CRASHES_AT_US.len() as u64;
        }
        latencies_us.sort_unstable();
        let measured_s = (seeds * (RUN_US - WARM_UP_US)) as f64 / 1e6;
        let mean_ms = if latencies_us.is_empty() {
            0.0
        } else {
            latencies_us.iter().sum::<u64>() as f64 / latencies_us.len() as f64 / 1e3
        };
        let p99_ms = percentile_us(&latencies_us, 99) as f64 / 1e3;
        println!(
            "{:>12} {:>12.1} {:>18.1} {:>17.1} {:>34.3}",
            kind.name(),
            commits as f64 / measured_s,
            mean_ms,
            p99_ms,
            blocked_us as f64 / 1e6 / crashes as f64
        );
    }
    println!("total wall time {:.2} s", started.elapsed().as_secs_f64());
    Ok(0)
}

fn broken(e: &str) -> Result<i32, String> {
    eprintln!("faultline: bench 2pc: broken run: {e}");
    Ok(1)
}

fn settings(kind: CoordinatorKind, seed: u64) -> TwoPcSettings {
    let mut s = TwoPcSettings {
        seed,
        ..TwoPcSettings::default()
    };
    s.network.latency_us_min = LATENCY_US_MIN;
    s.network.latency_us_max = LATENCY_US_MAX;
    let c = &mut s.twopc;
    c.coordinator = kind;
    c.clients = 4;
    c.transactions = 100_000;
    c.think_us = 0;
    s
}

/// One run of `kind` and `seed`; with `crashes`, the coordinator (the group's leader at the
/// moment) crashes at each of `CRASHES_AT_US` and restarts `DOWN_US` later.
pub fn run(kind: CoordinatorKind, seed: u64, crashes: bool) -> Result<Engine<TwoPc>, String> {
    let mut engine = Engine::<TwoPc>::new(settings(kind, seed)).map_err(|e| e.english())?;
    if crashes {
        for at_us in CRASHES_AT_US {
            engine.run_until(at_us);
            // The first moment a transaction has every yes vote and no decision out, if one
            // comes within the crash's window.
            while engine.now_us() < at_us + DOWN_US && !all_yes_undecided(&engine) {
                if !engine.step() {
                    break;
                }
            }
            let crash = TwoPcAction::CrashLeader {
                mode: CrashMode::Clean,
            };
            engine.apply(crash).map_err(|e| e.english())?;
            let back_us = engine.now_us() + DOWN_US;
            engine
                .schedule(back_us, TwoPcAction::RestartCrashedLeader)
                .map_err(|e| e.english())?;
        }
    }
    engine.run_until(RUN_US);
    match engine.violations().first() {
        Some(v) => Err(format!("{} seed {seed}: {v}", kind.name())),
        None => Ok(engine),
    }
}

/// Whether the coordinating node runs a transaction whose every participant is prepared and
/// whose decision has not left (collecting the last votes, or logging the decision).
fn all_yes_undecided(engine: &Engine<TwoPc>) -> bool {
    let txns = engine
        .settings()
        .twopc
        .group_members()
        .into_iter()
        .find_map(|n| match engine.node(n)?.process.as_ref()? {
            TwoPcNode::Coordinator(c) => Some(&c.txns),
            TwoPcNode::Member(m) => m.lead.as_ref().map(|l| &l.txns),
            TwoPcNode::Participant(_) => None,
        });
    txns.into_iter().flatten().any(|(txn, t)| {
        matches!(t.phase, CoordPhase::Collecting { .. } | CoordPhase::Logging)
            && t.parts.keys().all(|p| {
                matches!(
                    engine.node(*p).and_then(|n| n.process.as_ref()),
                    Some(TwoPcNode::Participant(part))
                        if part.txns.get(txn).is_some_and(|x| x.state == PState::Prepared)
                )
            })
    })
}

/// Commits told to clients after the warm-up, and each one's latency from its submission.
fn commits_after_warm_up(engine: &Engine<TwoPc>) -> (u64, Vec<Micros>) {
    let mut submitted: BTreeMap<u64, Micros> = BTreeMap::new();
    let mut latencies = Vec::new();
    for line in engine.trace().iter() {
        match &line.event {
            Event::Protocol(Note::TxnSubmit { txn, .. }) => {
                submitted.insert(*txn, line.t);
            }
            Event::Protocol(Note::TxnReply {
                txn,
                outcome: Outcome::Commit,
                ..
            }) if line.t >= WARM_UP_US => {
                if let Some(at) = submitted.get(txn) {
                    latencies.push(line.t - at);
                }
            }
            _ => {}
        }
    }
    (latencies.len() as u64, latencies)
}

/// Time participants spent blocked, summed: every block that ended, and every one still
/// open at the end of the run.
fn blocked_total_us(engine: &Engine<TwoPc>) -> Micros {
    let mut open: BTreeMap<(u32, u64), Micros> = BTreeMap::new();
    let mut total = 0;
    for line in engine.trace().iter() {
        match &line.event {
            Event::Protocol(Note::TxnBlocked { node, txn, .. }) => {
                open.insert((node.0, *txn), line.t);
            }
            Event::Protocol(Note::TxnUnblocked {
                node,
                txn,
                blocked_us,
                ..
            }) => {
                open.remove(&(node.0, *txn));
                total += blocked_us;
            }
            Event::Crash { node } => open.retain(|(n, _), since| {
                if *n == node.0 {
                    total += line.t - *since;
                }
                *n != node.0
            }),
            _ => {}
        }
    }
    total + open.values().map(|since| RUN_US - since).sum::<Micros>()
}

/// The `p`-th percentile of sorted values (nearest rank).
fn percentile_us(sorted: &[Micros], p: u64) -> Micros {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p * sorted.len() as u64).div_ceil(100).max(1) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<Micros> = (1..=100).collect();
        assert_eq!(percentile_us(&v, 99), 99);
        assert_eq!(percentile_us(&v, 50), 50);
        assert_eq!(percentile_us(&[7], 99), 7);
        assert_eq!(percentile_us(&[], 99), 0);
    }

    /// Crashes of the single coordinator block participants for several times longer than
    /// crashes of the group's leader do (the point of the coordinator on Raft), over 3 seeds.
    #[test]
    fn the_group_blocks_less_per_crash_than_one_coordinator() {
        let blocked = |kind| -> Micros {
            (1..=3)
                .map(|seed| blocked_total_us(&run(kind, seed, true).expect("a clean run")))
                .sum()
        };
        let (single, raft3) = (
            blocked(CoordinatorKind::Single),
            blocked(CoordinatorKind::Raft3),
        );
        assert!(single > 3 * raft3, "single {single}us, raft3 {raft3}us");
    }
}
