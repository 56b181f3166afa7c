//! `History` serves every protocol's time travel: for the ring store as for Raft (whose tests
//! are in `sim::history`) and retransmission (`tests/retransmit.rs`), seeking back and forth
//! lands on exactly the run a straight replay gives.

use faultline::codec::trace_jsonl::to_jsonl;
use faultline::sim::history::History;
use faultline::sim::ring::store::{RingAction, RingRunSettings, RingSettings, RingStore};
use faultline::sim::types::NodeId;

#[test]
fn history_seeks_a_ring_store_run_back_and_forth() {
    let store = RingSettings {
        seed: 12,
        nodes: 5,
        keys: 300,
        workload_interval_us: 50_000,
        ..RingSettings::default()
    };
    let mut history = History::<RingStore>::new(RingRunSettings::from_store(store))
        .expect("valid settings")
        .with_interval(250_000);
    history.advance(1_000_000);
    history
        .act(RingAction::Crash { node: NodeId(3) })
        .expect("valid");
    history.advance(4_000_000);
    history
        .act(RingAction::Restart { node: NodeId(3) })
        .expect("valid");
    history.advance(9_000_000);
    let straight = to_jsonl(history.sim().trace());
    assert!(
        straight.contains("ring_transfer_done"),
        "copies streamed back"
    );
    history.seek(2_500_000);
    assert!(history.in_past());
    assert_eq!(history.sim().now_us(), 2_500_000);
    history.seek(9_000_000);
    assert_eq!(
        to_jsonl(history.sim().trace()),
        straight,
        "the same run again"
    );
    assert_eq!(history.sim().violations(), &[]);
}
