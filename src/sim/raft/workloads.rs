//! Standard clusters for benchmarks, shared by the native CLI and the wasm32 benchmark so both
//! measure exactly the same run.

use crate::sim::engine::Observe;
use crate::sim::raft::action::Action;
use crate::sim::raft::settings::Settings;
use crate::sim::rng::Ppm;
use crate::sim::types::NodeId;
use crate::sim::types::MICROS_PER_MS;
use crate::sim::Simulation;

/// `nodes` servers under steady load from 8 clients over 16 keys, with `loss_ppm` message
/// loss; the trace is not kept, and the safety checks run when `checks` is set.
pub fn loaded_cluster(nodes: u32, loss_ppm: Ppm, checks: bool) -> Result<Simulation, String> {
    let mut settings = Settings {
        nodes,
        seed: 1,
        ..Settings::default()
    };
    settings.workload.clients = 8;
    settings.workload.think_us_min = 0;
    settings.workload.think_us_max = 5 * MICROS_PER_MS;
    settings.workload.keys = 16;
    settings.network.loss_ppm = loss_ppm;
    Simulation::with_observe(
        settings,
        Observe {
            trace: false,
            checks,
        },
    )
    .map_err(String::from)
}

/// Recovery costs used by the log-replay benchmark and the page's chart: 1 ms to replay an
/// entry, 0.1 ms to load a kilobyte of snapshot.
pub const REPLAY_US_PER_ENTRY: u64 = 1_000;
pub const LOAD_US_PER_SNAPSHOT_KB: u64 = 100;

/// One row of the recovery benchmark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryRow {
    /// Simulated time from restart until the node's state machine is rebuilt.
    pub recovery_us: u64,
    /// Everything the node wrote to its disk: log records and snapshots.
    pub bytes_written: u64,
}

/// How many crash points `recovery_run` averages over, spread over the last entries.
const RECOVERY_SAMPLES: u64 = 16;

/// Runs a 3-node cluster until `entries` entries are committed, checkpointing every
/// `interval` applied entries (never with `None`), then crashes and restarts node 2 and
/// measures its recovery by running the simulation, not by a formula. Recovery time depends
/// on where the crash falls between two checkpoints, so it is the mean over crashes at
/// `RECOVERY_SAMPLES` points spread over a further `entries / 2` entries.
pub fn recovery_run(interval: Option<u64>, entries: u64) -> Result<RecoveryRow, String> {
    let mut settings = Settings {
        nodes: 3,
        seed: 5,
        ..Settings::default()
    };
    settings.raft.snapshot_every_entries = interval;
    settings.workload.clients = 4;
    settings.workload.keys = 64;
    settings.workload.think_us_min = 0;
    settings.workload.think_us_max = 2 * MICROS_PER_MS;
    settings.disk.replay_us_per_entry = REPLAY_US_PER_ENTRY;
    settings.disk.load_us_per_snapshot_kb = LOAD_US_PER_SNAPSHOT_KB;
    let mut sim = Simulation::with_observe(
        settings,
        Observe {
            trace: false,
            checks: false,
        },
    )?;
    let node = NodeId(2);
    let step = (entries / 2 / RECOVERY_SAMPLES).max(1);
    let mut total_us = 0;
    let mut bytes_written = 0;
    for sample in 0..RECOVERY_SAMPLES {
        run_until_committed(&mut sim, node, entries + sample * step)?;
        if sample == 0 {
            bytes_written = sim.node(node).map(|n| n.disk.bytes_written()).unwrap_or(0);
        }
        let mut crashed = sim.clone();
        crashed.act(Action::Crash {
            node,
            mode: Default::default(),
        })?;
        crashed.run_until(crashed.now_us());
        crashed.act(Action::Restart { node })?;
        let restarted_at = crashed.now_us();
        while crashed.node(node).is_some_and(|n| !n.is_up()) {
            if !crashed.step() {
                return Err("the node did not finish recovering".into());
            }
        }
        total_us += crashed.now_us() - restarted_at;
    }
    Ok(RecoveryRow {
        recovery_us: total_us / RECOVERY_SAMPLES,
        bytes_written,
    })
}

fn run_until_committed(sim: &mut Simulation, node: NodeId, entries: u64) -> Result<(), String> {
    let committed = |sim: &Simulation| {
        sim.node(node)
            .and_then(|n| n.process.as_ref())
            .map(|r| r.commit_index().0)
            .unwrap_or(0)
    };
    while committed(sim) < entries {
        let next = sim.now_us() + 10 * MICROS_PER_MS;
        sim.run_until(next);
        if sim.now_us() > 3_600_000_000 {
            return Err("the cluster did not commit enough entries within an hour".into());
        }
    }
    Ok(())
}
