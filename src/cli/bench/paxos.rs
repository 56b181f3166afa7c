//! `faultline bench paxos`: what one chosen command costs in single-decree Paxos and in
//! Multi-Paxos (messages between nodes, round trips from the proposer to the acceptors), and
//! how often two duelling proposers livelock for 10 s of simulated time with a fixed retry
//! delay and with a randomized one ("Paxos Made Simple", sections 2.4 and 3). Every run has
//! its checks on; a violation is a bug, not a number. Wall-clock time is read here only for
//! the whole bench.

use crate::cli::args::{Args, Flag};
use crate::sim::engine::{Engine, Observe};
use crate::sim::paxos::{Message, Note, Paxos, PaxosSettings, Variant};
use crate::sim::protocol::Event;
use crate::sim::types::{Micros, MICROS_PER_MS};
use std::time::Instant;

/// Cluster sizes measured.
pub const NODE_COUNTS: [u32; 3] = [3, 5, 7];
/// One-way latency of the cost runs: fixed, so round trips are exact.
pub const COST_LATENCY_US: Micros = 5 * MICROS_PER_MS;
/// Multi-Paxos cost runs: one client, no pause, for this long.
pub const MULTI_RUN_US: Micros = 10_000 * MICROS_PER_MS;
/// Duel runs: one-way latency drawn from this range per message.
pub const DUEL_LATENCY_US_MIN: Micros = 4 * MICROS_PER_MS;
pub const DUEL_LATENCY_US_MAX: Micros = 6 * MICROS_PER_MS;
/// A duel that has chosen nothing after this long counts as a livelock.
pub const DUEL_LIMIT_US: Micros = 10_000 * MICROS_PER_MS;
/// The fixed retry delay, and the randomized range.
pub const RETRY_FIXED_US: Micros = 2 * MICROS_PER_MS;
pub const RETRY_RANDOM_US_MAX: Micros = 40 * MICROS_PER_MS;
pub const DUEL_SEEDS_DEFAULT: u64 = 200;

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(raw, &[Flag("seeds", true)])?;
    let seeds: u64 = args.number("seeds", DUEL_SEEDS_DEFAULT)?;
    if seeds == 0 {
        return Err("--seeds must be at least 1".into());
    }
    let started = Instant::now();
    println!(
        "cost per chosen command (one-way latency {} ms, no jitter, no loss, instant disk):",
        COST_LATENCY_US / MICROS_PER_MS
    );
    println!(
        "{:>5}  {:>22} {:>22}  {:>22} {:>22}",
        "nodes", "single: messages", "single: round trips", "multi: messages", "multi: round trips"
    );
    for nodes in NODE_COUNTS {
        let single = match single_cost(nodes) {
            Ok(cost) => cost,
            Err(e) => return broken(&e),
        };
        let multi = match multi_cost(nodes) {
            Ok(cost) => cost,
            Err(e) => return broken(&e),
        };
        println!(
            "{nodes:>5}  {:>22.2} {:>22.2}  {:>22.2} {:>22.2}",
            single.messages, single.round_trips, multi.messages, multi.round_trips
        );
    }
    println!(
        "\nduelling proposers (2 proposers starting together, latency {}-{} ms): runs with nothing chosen after {} s, of {seeds}",
        DUEL_LATENCY_US_MIN / MICROS_PER_MS,
        DUEL_LATENCY_US_MAX / MICROS_PER_MS,
        DUEL_LIMIT_US / 1_000_000
    );
    println!(
        "{:>5}  {:>28} {:>28}",
        "nodes",
        format!("retry fixed {} ms", RETRY_FIXED_US / MICROS_PER_MS),
        format!(
            "retry random {}-{} ms",
            RETRY_FIXED_US / MICROS_PER_MS,
            RETRY_RANDOM_US_MAX / MICROS_PER_MS
        )
    );
    for nodes in NODE_COUNTS {
        let mut cells = Vec::new();
        for retry_us_max in [RETRY_FIXED_US, RETRY_RANDOM_US_MAX] {
            let mut livelocked = 0;
            let mut chosen_ms = Vec::new();
            for seed in 1..=seeds {
                match duel(nodes, retry_us_max, seed) {
                    Ok(None) => livelocked += 1,
                    Ok(Some(t)) => chosen_ms.push(t as f64 / 1e3),
                    Err(e) => return broken(&e),
                }
            }
            let mean = if chosen_ms.is_empty() {
                "-".to_string()
            } else {
                format!(
                    "{:.0} ms",
                    chosen_ms.iter().sum::<f64>() / chosen_ms.len() as f64
                )
            };
            cells.push(format!(
                "{:.1}% (mean to choose {mean})",
                100.0 * livelocked as f64 / seeds as f64
            ));
        }
        println!("{nodes:>5}  {:>28} {:>28}", cells[0], cells[1]);
    }
    println!("total wall time {:.2} s", started.elapsed().as_secs_f64());
    Ok(0)
}

fn broken(e: &str) -> Result<i32, String> {
    eprintln!("faultline: bench paxos: broken run: {e}");
    Ok(1)
}

/// What one chosen command cost.
pub struct Cost {
    /// Messages between nodes per chosen command (Multi-Paxos: heartbeats and their
    /// answers, and the client's request and reply, left out).
    pub messages: f64,
    /// From the proposer's first prepare (Multi-Paxos: its phase 1, shared by every command)
    /// to the proposer learning the command, in round trips of the network.
    pub round_trips: f64,
}

fn cost_settings(nodes: u32, variant: Variant) -> PaxosSettings {
    let mut s = PaxosSettings::default();
    s.network.latency_us_min = COST_LATENCY_US;
    s.network.latency_us_max = COST_LATENCY_US;
    s.network.bandwidth_bytes_per_s = 0;
    s.paxos.nodes = nodes;
    s.paxos.variant = variant;
    s.paxos.proposers = 1;
    s.paxos.clients = 1;
    s.paxos.think_us = 0;
    s
}

fn run(settings: PaxosSettings, until_us: Micros) -> Result<Engine<Paxos>, String> {
    let mut engine = Engine::<Paxos>::new(settings).map_err(|e| e.english())?;
    engine.run_until(until_us);
    match engine.violations().first() {
        Some(v) => Err(v.to_string()),
        None => Ok(engine),
    }
}

/// Single-decree, one proposer: every message of the run, and the proposer's time from its
/// prepare to learning the value.
pub fn single_cost(nodes: u32) -> Result<Cost, String> {
    let engine = run(cost_settings(nodes, Variant::Single), 1_000 * MICROS_PER_MS)?;
    let (mut messages, mut prepared, mut learned) = (0u64, None, None);
    for line in engine.trace().iter() {
        match &line.event {
            Event::Send { .. } => messages += 1,
            Event::Protocol(Note::PaxosPrepare { .. }) => {
                prepared.get_or_insert(line.t);
            }
            Event::Protocol(Note::PaxosLearn { node, .. }) if node.0 == 1 => {
                learned.get_or_insert(line.t);
            }
            _ => {}
        }
    }
    let (Some(from), Some(to)) = (prepared, learned) else {
        return Err(format!("{nodes} nodes: the value was not learned"));
    };
    Ok(Cost {
        messages: messages as f64,
        round_trips: (to - from) as f64 / (2 * COST_LATENCY_US) as f64,
    })
}

/// Multi-Paxos, one client with no pause: the leader's messages per chosen command, and its
/// phase 1 plus every command's phase 2 in round trips, per command.
pub fn multi_cost(nodes: u32) -> Result<Cost, String> {
    let engine = run(cost_settings(nodes, Variant::Multi), MULTI_RUN_US)?;
    let (mut messages, mut commands) = (0u64, 0u64);
    let (mut prepared, mut led, mut phase2_us) = (None, None, 0u64);
    let mut proposed = std::collections::BTreeMap::new();
    for line in engine.trace().iter() {
        match &line.event {
            Event::Send { msg, from, to, .. } => {
                let between_nodes = matches!(
                    (from, to),
                    (
                        crate::sim::types::Addr::Node(_),
                        crate::sim::types::Addr::Node(_)
                    )
                );
                let heartbeat = matches!(
                    msg,
                    Message::Heartbeat { .. } | Message::HeartbeatAck { .. }
                );
                if between_nodes && !heartbeat {
                    messages += 1;
                }
            }
            Event::Protocol(Note::PaxosPrepare { .. }) => {
                prepared.get_or_insert(line.t);
            }
            Event::Protocol(Note::PaxosLeader { node, .. }) => {
                led.get_or_insert((line.t, *node));
            }
            Event::Protocol(Note::PaxosPropose { slot, .. }) => {
                proposed.insert(*slot, line.t);
            }
            Event::Protocol(Note::PaxosLearn { node, slot, .. })
                if led.is_some_and(|(_, leader)| leader == *node) =>
            {
                if let Some(t) = proposed.get(slot) {
                    phase2_us += line.t - t;
                    commands += 1;
                }
            }
            _ => {}
        }
    }
    let (Some(from), Some((to, _))) = (prepared, led) else {
        return Err(format!("{nodes} nodes: no leader"));
    };
    if commands == 0 {
        return Err(format!("{nodes} nodes: no command chosen"));
    }
    let total_us = (to - from) + phase2_us;
    Ok(Cost {
        messages: messages as f64 / commands as f64,
        round_trips: total_us as f64 / commands as f64 / (2 * COST_LATENCY_US) as f64,
    })
}

/// Two proposers of `nodes` starting together with retries between the fixed delay and
/// `retry_us_max`: when a value was first learned, or None if nothing was after 10 s.
pub fn duel(nodes: u32, retry_us_max: Micros, seed: u64) -> Result<Option<Micros>, String> {
    let mut s = PaxosSettings {
        seed,
        ..PaxosSettings::default()
    };
    s.network.latency_us_min = DUEL_LATENCY_US_MIN;
    s.network.latency_us_max = DUEL_LATENCY_US_MAX;
    s.paxos.nodes = nodes;
    s.paxos.proposers = 2;
    s.paxos.proposer_start_us_max = 0;
    s.paxos.retry_delay_us_min = RETRY_FIXED_US;
    s.paxos.retry_delay_us_max = retry_us_max;
    let observe = Observe {
        trace: false,
        checks: true,
    };
    let mut engine = Engine::<Paxos>::with_observe(s, observe).map_err(|e| e.english())?;
    let mut t = 0;
    while t < DUEL_LIMIT_US {
        t += MICROS_PER_MS;
        engine.run_until(t);
        if let Some(v) = engine.violations().first() {
            return Err(v.to_string());
        }
        let learned = engine
            .nodes()
            .iter()
            .filter_map(|n| n.process.as_ref())
            .any(|n| !n.learner.learned.is_empty());
        if learned {
            return Ok(Some(t));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Section 2.2 and 3: a single decree takes two round trips (prepare, accept); Multi-Paxos
    /// amortizes phase 1, so a command costs little more than one.
    #[test]
    fn single_decree_takes_two_round_trips_and_multi_paxos_about_one() {
        let single = single_cost(3).expect("a clean run");
        assert!(
            (single.round_trips - 2.0).abs() < 0.01,
            "{}",
            single.round_trips
        );
        let multi = multi_cost(3).expect("a clean run");
        assert!(
            multi.round_trips > 1.0 && multi.round_trips < 1.1,
            "{}",
            multi.round_trips
        );
    }
}
