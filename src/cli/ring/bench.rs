//! `faultline ring --bench`: times the recompute benchmark (`sim::ring::bench`) with the
//! native clock and prints its table.

use super::flags::RingArgs;
use crate::sim::ring::bench::{bench, BenchResult, BenchSetup, STEP_KEYS};

pub(super) fn run_bench(args: &RingArgs) -> Result<String, String> {
    let setup = BenchSetup {
        keys: args.keys,
        nodes: args.nodes,
        vnodes: args.vnodes,
        seed: args.seed,
        ..BenchSetup::default()
    };
    // The only clock in the ring module: the benchmark measures the simulation from outside.
    let origin = std::time::Instant::now();
    let results = bench(&setup, &mut || origin.elapsed().as_micros() as u64)?;
    Ok(format_results(&setup, &results))
}

/// The results as the text table `faultline ring --bench` prints.
pub fn format_results(setup: &BenchSetup, results: &[BenchResult]) -> String {
    let mut out = format!(
        "bench: {} keys, {} -> {} nodes, V = {}, best and median of {} runs, steps of {} keys\n",
        setup.keys,
        setup.nodes,
        setup.nodes + setup.added,
        setup.vnodes,
        setup.repeats.max(1),
        STEP_KEYS
    );
    out.push_str("strategy     build_ms  total_ms_min  total_ms_median  step_ms_max\n");
    for r in results {
        out.push_str(&format!(
            "{:<12} {:>8.2}  {:>12.2}  {:>15.2}  {:>11.2}\n",
            r.strategy.name(),
            r.build_us_min as f64 / 1000.0,
            r.total_us_min as f64 / 1000.0,
            r.total_us_median as f64 / 1000.0,
            r.step_us_max as f64 / 1000.0
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake clock that advances 1 us per read: the benchmark's bookkeeping, without timing.
    #[test]
    fn bench_runs_every_strategy() {
        let setup = BenchSetup {
            keys: 2_000,
            nodes: 4,
            vnodes: 8,
            repeats: 1,
            ..BenchSetup::default()
        };
        let mut t = 0;
        let results = bench(&setup, &mut || {
            t += 1;
            t
        })
        .unwrap();
        assert_eq!(results.len(), 6);
        assert!(format_results(&setup, &results).contains("maglev"));
    }

    /// The recorded benchmark: run with
    /// `cargo test --profile cli --lib ring::bench::tests::recompute_benchmark -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn recompute_benchmark() {
        let setup = BenchSetup::default();
        let origin = std::time::Instant::now();
        let results = bench(&setup, &mut || origin.elapsed().as_micros() as u64).unwrap();
        println!("{}", format_results(&setup, &results));
    }
}
