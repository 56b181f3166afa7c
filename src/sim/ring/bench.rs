//! The recompute benchmark: how long placement and movement of a key set take per strategy.
//!
//! The simulation never reads a clock, so the caller passes one: the CLI passes
//! `std::time::Instant` (`faultline ring --bench`, which also prints the table,
//! `cli::ring::bench`), the page can pass `performance.now()`.

use super::keys::{KeySet, Skew};
use super::membership::Membership;
use super::recompute::Recompute;
use super::strategy::{PlacementConfig, Strategy};
use serde::Serialize;
use std::rc::Rc;

/// The benchmark's workload: the 100,000 keys, 32 nodes and V = 256, adding one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BenchSetup {
    pub keys: u32,
    pub nodes: u32,
    pub vnodes: u32,
    pub added: u32,
    /// Runs per strategy; the report keeps the fastest and the median.
    pub repeats: u32,
    pub seed: u64,
}

impl Default for BenchSetup {
    fn default() -> Self {
        BenchSetup {
            keys: 100_000,
            nodes: 32,
            vnodes: 256,
            added: 1,
            repeats: 5,
            seed: 1,
        }
    }
}

/// Timings of one strategy, in microseconds of the caller's clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BenchResult {
    pub strategy: Strategy,
    /// Building both placements (sorting tokens, filling Maglev tables), fastest run.
    pub build_us_min: u64,
    /// Build plus placing every key in both memberships and counting moves: fastest run.
    pub total_us_min: u64,
    pub total_us_median: u64,
    /// The slowest single `step` of [`STEP_KEYS`] keys: what one frame would pay.
    pub step_us_max: u64,
}

/// Keys per `Recompute::step` in the benchmark, as the page would use per frame.
pub const STEP_KEYS: u32 = 10_000;

/// Times every strategy on `setup` with the clock `now_us` (any monotonic microsecond clock).
pub fn bench(
    setup: &BenchSetup,
    now_us: &mut dyn FnMut() -> u64,
) -> Result<Vec<BenchResult>, String> {
    let keys = Rc::new(KeySet::generate(setup.keys, setup.seed, Skew::Uniform)?);
    let before = Membership::contiguous(setup.nodes)?;
    let after = before.with_added(setup.added);
    let mut results = Vec::new();
    for strategy in Strategy::ALL {
        let config = PlacementConfig {
            strategy,
            vnodes: setup.vnodes,
            seed: setup.seed,
            ..PlacementConfig::default()
        };
        let mut builds = Vec::new();
        let mut totals = Vec::new();
        let mut step_us_max = 0;
        for _ in 0..setup.repeats.max(1) {
            let start = now_us();
            let mut recompute = Recompute::new(keys.clone(), &config, &before, &after)?;
            let built = now_us();
            loop {
                let step_start = now_us();
                let done = recompute.step(STEP_KEYS);
                step_us_max = step_us_max.max(now_us() - step_start);
                if done {
                    break;
                }
            }
            let report = recompute.report();
            let end = now_us();
            // Keep the result alive until the clock is read, so the work is not optimised away.
            std::hint::black_box(report);
            builds.push(built - start);
            totals.push(end - start);
        }
        totals.sort_unstable();
        results.push(BenchResult {
            strategy,
            build_us_min: builds.iter().copied().min().unwrap_or(0),
            total_us_min: totals[0],
            total_us_median: totals[totals.len() / 2],
            step_us_max,
        });
    }
    Ok(results)
}
