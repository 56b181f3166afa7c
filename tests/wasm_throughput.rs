//! The engine's speed in the browser: the same loaded cluster as `faultline bench sim`, timed
//! with the page's clock. A benchmark that prints, never a timed assertion, and ignored by the
//! test command; rerun with `CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target
//! wasm32-unknown-unknown --test wasm_throughput -- --include-ignored --nocapture`.
#![cfg(target_arch = "wasm32")]

use faultline::sim::raft::workloads::loaded_cluster;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
#[ignore = "a benchmark: run it with --include-ignored"]
fn engine_throughput_in_the_browser() {
    // Warm up the browser's compiler on the same code first.
    let mut warm_up = loaded_cluster(5, 0, true).expect("valid settings");
    warm_up.run_until(30_000_000);
    for (name, nodes, loss_ppm, checks, seconds) in [
        ("5 nodes, 8 clients", 5, 0, false, 300),
        ("5 nodes, 8 clients, checks on", 5, 0, true, 300),
        ("9 nodes, 8 clients, 10% loss", 9, 100_000, false, 300),
        (
            "9 nodes, 8 clients, 10% loss, checks on",
            9,
            100_000,
            true,
            300,
        ),
    ] {
        let mut sim = loaded_cluster(nodes, loss_ppm, checks).expect("valid settings");
        let started = js_sys::Date::now();
        sim.run_until(seconds * 1_000_000);
        let wall_s = ((js_sys::Date::now() - started) / 1000.0).max(1e-3);
        let events = sim.events_processed();
        assert!(events > 10_000, "the cluster did work");
        console_log!(
            "wasm {name}: {events} events in {wall_s:.3} s = {:.2} M events/s",
            events as f64 / wall_s / 1e6
        );
    }
}
