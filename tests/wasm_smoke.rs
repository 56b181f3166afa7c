//! The simulation core gives the same results in the browser as natively.
//!
//! Every value below was produced by a native (x86_64) run. The same tests run natively under
//! `cargo test` and in headless Chromium under `cargo test --target wasm32-unknown-unknown`, so a
//! difference between the platforms (wasm32 has 32-bit `usize` and emulates `u128`) fails one of
//! them. Shared links and recorded seeds depend on this.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test_configure!(run_in_browser);

use faultline::sim::rng::{SimRng, Stream};

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn network_stream_matches_native() {
    let mut rng = SimRng::stream(42, Stream::Network);
    let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
    assert_eq!(
        first,
        [
            17_029_008_609_358_826_831,
            5_145_707_378_685_005_318,
            2_611_976_082_979_949_608,
        ]
    );
}

/// `below` and `between` multiply in `u128`, which wasm32 emulates.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn bounded_draws_match_native() {
    let mut node = SimRng::stream(7, Stream::Node(3));
    let below: Vec<u64> = (0..3).map(|_| node.below(1_000_000)).collect();
    assert_eq!(below, [995_360, 667_359, 310_664]);

    let mut client = SimRng::stream(u64::MAX, Stream::Client(2));
    let between: Vec<u64> = (0..3).map(|_| client.between(150_000, 300_000)).collect();
    assert_eq!(between, [299_410, 217_835, 239_372]);
}

/// The footer's version is compiled in on every platform.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn version_is_the_package_version() {
    assert_eq!(faultline::VERSION, env!("CARGO_PKG_VERSION"));
    assert!(!faultline::VERSION.is_empty());
}

/// Confirms the browser run really is the browser: a `window` with a `document`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test]
fn runs_in_a_browser_window() {
    let global = js_sys::global();
    let document = js_sys::Reflect::get(&global, &"document".into()).unwrap_or_default();
    assert!(
        document.is_object(),
        "expected to run in a browser page with a document"
    );
}
