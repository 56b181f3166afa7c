//! The fault vocabulary of the search, shared by every protocol: crashes of three kinds and
//! restarts, partitions, heals, one-way and two-way cuts, loss and duplication, and bounces
//! (a crash and a quick restart), plus whatever kinds a protocol adds of its own. Each seed
//! enables its own subset of the kinds (swarm testing, as in TigerBeetle's VOPR), so that
//! some runs concentrate on one kind of trouble instead of averaging everything out.

use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::engine::{Fault, RunAction, TimedAction};
use crate::sim::net::NetConfig;
use crate::sim::rng::{SimRng, Stream, PPM_ONE};
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};

/// What the shared fault kinds need to know about a run.
#[derive(Clone, Debug)]
pub struct Vocabulary {
    pub seed: u64,
    pub nodes: u32,
    pub network: NetConfig,
    /// A bounce restarts the node within this long (Raft: within an election timeout).
    pub bounce_us_max: Micros,
    /// How many kinds of fault the protocol adds (drawn by `own`).
    pub own_kinds: u64,
}

/// The shared kinds before the protocol's own: crash or restart, partition, heal, cut, network.
const SHARED_KINDS_BEFORE_OWN: u64 = 5;

/// A crash of a random kind: the process alone, a power loss, or a power loss mid-write.
pub fn crash_mode(rng: &mut SimRng) -> CrashMode {
    match rng.below(4) {
        0 => CrashMode::LoseUnsynced,
        1 => CrashMode::TearLast,
        _ => CrashMode::Clean,
    }
}

/// A network latency range drawn for a seed: 1 to 10 ms at least, up to 30 ms of jitter
/// (which reorders messages).
pub fn draw_latency(rng: &mut SimRng, network: &mut NetConfig) {
    network.latency_us_min = rng.between(1, 10) * MICROS_PER_MS;
    network.latency_us_max = network.latency_us_min + rng.between(0, 30) * MICROS_PER_MS;
}

/// A disk sync policy drawn for a seed: most runs sync every write, which the protocols'
/// guarantees need; some group-commit or never sync, to check that a crash then loses only
/// what such a disk is allowed to lose.
pub fn draw_sync_policy(rng: &mut SimRng) -> SyncPolicy {
    match rng.below(8) {
        0 => SyncPolicy::Interval {
            interval_us: rng.between(1, 50) * MICROS_PER_MS,
        },
        1 => SyncPolicy::Never,
        _ => SyncPolicy::EveryWrite,
    }
}

/// A node of a run of `nodes`, uniformly.
pub fn any_node(rng: &mut SimRng, nodes: u32) -> NodeId {
    NodeId(1 + rng.below(nodes as u64) as u32)
}

/// A random fault schedule over `[0, until_us)`, followed by a full repair at `until_us`.
/// `own(kind, rng, down)` draws the protocol's own kind `kind` (from 0) and returns its
/// actions with their delays; `down` says which nodes the schedule has left crashed.
pub fn schedule<A: RunAction>(
    vocabulary: &Vocabulary,
    until_us: Micros,
    mut own: impl FnMut(u64, &mut SimRng, &[bool]) -> Vec<(Micros, A)>,
) -> Vec<TimedAction<A>> {
    let mut rng = SimRng::stream(vocabulary.seed, Stream::Faults);
    // Skip the draws the settings made from this stream, so the two do not share choices.
    for _ in 0..16 {
        rng.next_u64();
    }
    let n = vocabulary.nodes;
    let kinds = SHARED_KINDS_BEFORE_OWN + vocabulary.own_kinds + 1;
    let bounce = kinds - 1;
    let mut down = vec![false; n as usize];
    let mut actions = Vec::new();
    let mean_gap_us = rng.between(30, 400) * MICROS_PER_MS;
    let enabled: Vec<u64> = loop {
        let chosen: Vec<u64> = (0..kinds).filter(|_| rng.chance(PPM_ONE / 2)).collect();
        if !chosen.is_empty() {
            break chosen;
        }
    };
    let mut t = 0;
    loop {
        t += rng.between(mean_gap_us / 4, mean_gap_us * 2);
        if t >= until_us {
            break;
        }
        let mut at = |fault: Fault, delay_us: Micros| {
            actions.push(TimedAction {
                at_us: t + delay_us,
                action: A::from_fault(fault),
            })
        };
        let kind = enabled[rng.below(enabled.len() as u64) as usize];
        match kind {
            0 => {
                let target = any_node(&mut rng, n);
                if down[target.slot()] {
                    down[target.slot()] = false;
                    at(Fault::Restart { node: target }, 0);
                } else {
                    down[target.slot()] = true;
                    let mode = crash_mode(&mut rng);
                    at(Fault::Crash { node: target, mode }, 0);
                }
            }
            1 => {
                let mut groups = vec![Vec::new(), Vec::new()];
                for id in 1..=n {
                    groups[rng.below(2) as usize].push(NodeId(id));
                }
                at(Fault::Partition { groups }, 0);
            }
            2 => at(Fault::Heal, 0),
            3 => {
                let (a, b) = (any_node(&mut rng, n), any_node(&mut rng, n));
                if a != b {
                    let both = rng.chance(PPM_ONE / 2);
                    at(
                        Fault::Cut {
                            from: a,
                            to: b,
                            both,
                        },
                        0,
                    );
                }
            }
            4 => {
                let mut network = vocabulary.network.clone();
                network.loss_ppm = rng.below(300_000) as u32;
                network.duplicate_ppm = rng.below(200_000) as u32;
                at(Fault::SetNetwork { network }, 0);
            }
            k if k == bounce => {
                // A bounce: a crash and a restart soon after, while messages are in flight.
                let target = any_node(&mut rng, n);
                if !down[target.slot()] {
                    let mode = crash_mode(&mut rng);
                    at(Fault::Crash { node: target, mode }, 0);
                    let restart_us = rng.below(vocabulary.bounce_us_max);
                    at(Fault::Restart { node: target }, restart_us);
                }
            }
            k => {
                for (delay_us, action) in own(k - SHARED_KINDS_BEFORE_OWN, &mut rng, &down) {
                    actions.push(TimedAction {
                        at_us: t + delay_us,
                        action,
                    });
                }
            }
        }
    }
    // The liveness phase starts from a healed, fully running cluster.
    let mut repair = |fault: Fault| {
        actions.push(TimedAction {
            at_us: until_us,
            action: A::from_fault(fault),
        })
    };
    repair(Fault::Heal);
    repair(Fault::SetNetwork {
        network: NetConfig {
            loss_ppm: 0,
            duplicate_ppm: 0,
            ..vocabulary.network.clone()
        },
    });
    for id in 1..=n {
        if down[(id - 1) as usize] {
            repair(Fault::Restart { node: NodeId(id) });
        }
    }
    actions
}
