//! Standard clusters for benchmarks, shared by the native CLI and the wasm32 benchmark so both
//! measure exactly the same run.

use crate::sim::engine::{Observe, Simulation};
use crate::sim::rng::Ppm;
use crate::sim::settings::Settings;
use crate::sim::types::MICROS_PER_MS;

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
}
