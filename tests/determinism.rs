//! Same seed and same actions give the same run, byte for byte, on native and on wasm32:
//! both targets hash the JSON Lines trace of one faulty run and compare it with one pinned
//! value (the CI runs this file natively and in headless Chromium).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use faultline::sim::fuzz::{fault_schedule, settings_for_seed};
use faultline::sim::trace::{fnv1a, to_jsonl};
use faultline::sim::Simulation;

/// A five-second run of seed 2024 with random faults, snapshots and client load.
fn trace_of_a_faulty_run() -> String {
    let mut settings = settings_for_seed(2024, Some(5), &Default::default());
    settings.raft.snapshot_every_entries = Some(8);
    let schedule = fault_schedule(&settings, 4_000_000);
    let mut sim = Simulation::new(settings).expect("valid settings");
    for a in schedule {
        sim.schedule(a.at_us, a.action).expect("valid action");
    }
    sim.run_until(5_000_000);
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
    to_jsonl(sim.trace())
}

/// Update only on purpose: a change here means old shared links replay differently.
const PINNED_TRACE_HASH: u64 = 1831395536938695351;

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_trace_is_identical_on_every_platform() {
    let trace = trace_of_a_faulty_run();
    assert!(trace.lines().count() > 1_000, "a substantial run");
    assert_eq!(fnv1a(trace.as_bytes()), PINNED_TRACE_HASH, "trace hash");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_same_run_twice_is_identical() {
    assert_eq!(trace_of_a_faulty_run(), trace_of_a_faulty_run());
}
