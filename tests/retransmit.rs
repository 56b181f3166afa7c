//! Retransmission on the shared engine: every scheme delivers every message exactly once and
//! in order through random faults (Kurose & Ross, section 3.4), the fault search catches each
//! broken switch, and a saved trace re-checks to the same verdict.

use faultline::codec::trace_jsonl::{from_jsonl, to_jsonl};
use faultline::sim::engine::{Engine, Fault, Observe};
use faultline::sim::fuzz::{run_seed_covered, Fuzz, Phases, Verdict};
use faultline::sim::protocol::Checks;
use faultline::sim::retransmit::{
    fuzz::delivered, AckMode, Bugs, Property, Retransmit, RetransmitAction, RetransmitChecks,
    RetransmitSettings, RtoPolicy, Scheme,
};
use faultline::sim::types::NodeId;

fn settings(seed: u64, scheme: Scheme, ack: AckMode) -> RetransmitSettings {
    let mut s = RetransmitSettings {
        seed,
        ..RetransmitSettings::default()
    };
    s.retransmit.scheme = scheme;
    s.retransmit.ack = ack;
    s.retransmit.pairs = 2;
    s.retransmit.messages = 30;
    // RFC 6298 lets the backed-off timeout grow to 60 s or more; capped at 2 s here, a sender
    // that backed off during the faults retries soon after the repair.
    s.retransmit.rto = RtoPolicy::Adaptive {
        initial_us: 500_000,
        min_us: 100_000,
        max_us: 2_000_000,
    };
    s.network.latency_us_max = 25_000;
    s
}

/// Runs random faults for 8 s, then heals and runs to 90 s.
fn faulty_run(settings: RetransmitSettings) -> Engine<Retransmit> {
    let schedule = Retransmit::fault_schedule(&settings, 8_000_000);
    let mut engine = Engine::<Retransmit>::new(settings).expect("valid settings");
    for a in schedule {
        engine.schedule(a.at_us, a.action).expect("valid action");
    }
    engine.run_until(90_000_000);
    engine.finish_checks();
    engine
}

#[test]
fn every_scheme_delivers_everything_exactly_once_through_faults() {
    let schemes = [
        (Scheme::StopAndWait, AckMode::Cumulative),
        (Scheme::GoBackN, AckMode::Cumulative),
        (Scheme::SelectiveRepeat, AckMode::Cumulative),
        (Scheme::SelectiveRepeat, AckMode::Selective),
    ];
    for (scheme, ack) in schemes {
        let mut resent = 0;
        for seed in 1..=6 {
            let engine = faulty_run(settings(seed, scheme, ack));
            assert_eq!(engine.violations(), &[], "{scheme:?} {ack:?} seed {seed}");
            assert_eq!(
                delivered(&engine),
                60,
                "{scheme:?} {ack:?} seed {seed}: 2 pairs x 30"
            );
            resent += engine.coverage().retransmissions;
        }
        assert!(resent > 0, "{scheme:?}: the faults forced resends");
    }
}

/// The receiver drops duplicates and acknowledges them again; the network's duplicates and
/// the sender's resends both reach it (Kurose & Ross, rdt2.1's sequence numbers).
#[test]
fn duplicates_on_the_wire_never_reach_the_application() {
    let mut s = settings(5, Scheme::GoBackN, AckMode::Cumulative);
    s.network.duplicate_ppm = 300_000;
    let engine = faulty_run(s);
    assert_eq!(engine.violations(), &[]);
    assert!(engine.coverage().messages_duplicated > 0);
    assert!(engine.coverage().duplicates_dropped > 0);
    assert_eq!(delivered(&engine), 60);
}

/// Each broken switch is caught by the search, by the property it breaks.
#[test]
fn the_search_catches_each_broken_switch() {
    let phases = Phases::default();
    let cases = [
        (
            Bugs {
                no_duplicate_suppression: true,
                ..Bugs::default()
            },
            Property::NoDuplicateDelivery,
        ),
        (
            Bugs {
                forget_unacked_on_crash: true,
                ..Bugs::default()
            },
            Property::Liveness,
        ),
    ];
    for (bugs, property) in cases {
        let found = (1..=300).find_map(|seed| {
            match run_seed_covered::<Retransmit>(seed, None, &bugs, phases).0 {
                Verdict::Unsafe(v) => Some(v),
                _ => None,
            }
        });
        let v = found.unwrap_or_else(|| panic!("{bugs:?} not caught in 300 seeds"));
        assert_eq!(v.property, property, "{v}");
    }
    // And the correct protocol passes the same seeds.
    for seed in 1..=300 {
        let verdict = run_seed_covered::<Retransmit>(seed, None, &Bugs::default(), phases).0;
        assert!(
            matches!(verdict, Verdict::Pass { .. } | Verdict::LossyDisk(_)),
            "seed {seed}: {verdict:?}"
        );
    }
}

/// `faultline check` reads a saved trace back and finds what the live checks found.
#[test]
fn a_saved_trace_re_checks_to_the_same_verdict() {
    let mut s = settings(3, Scheme::SelectiveRepeat, AckMode::Selective);
    s.retransmit.bugs.no_duplicate_suppression = true;
    s.network.duplicate_ppm = 200_000;
    let engine = faulty_run(s);
    let live = engine.violations().first().cloned().expect("the bug shows");
    let text = to_jsonl(engine.trace());
    let lines = from_jsonl::<Retransmit>(&text).expect("the trace reads back");
    assert_eq!(lines.len(), engine.trace().len());
    let mut checks = RetransmitChecks::default();
    let again = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| checks.observe(l, i as u64));
    assert_eq!(again, Some(live));
}

/// A learner's hand-over reaches the sender; a hand-over to a receiver is ignored, and one to
/// a node outside the run is refused with a message naming it.
#[test]
fn hand_overs_go_to_senders_and_bad_nodes_are_refused() {
    let mut s = settings(2, Scheme::StopAndWait, AckMode::Cumulative);
    s.retransmit.pairs = 1;
    s.retransmit.messages = 0;
    s.retransmit.offered_interval_us = 0;
    let observe = Observe {
        trace: true,
        checks: true,
    };
    let mut engine = Engine::<Retransmit>::with_observe(s, observe).expect("valid");
    engine.run_until(2_000_000);
    let before = delivered(&engine);
    engine
        .act(RetransmitAction::HandOver { node: NodeId(2) })
        .expect("a receiver is a node");
    let err = engine
        .act(RetransmitAction::Fault(Fault::Crash {
            node: NodeId(7),
            mode: Default::default(),
        }))
        .expect_err("no node 7");
    assert!(err.english().contains('7'), "{}", err.english());
    engine.run_until(4_000_000);
    assert!(delivered(&engine) > before, "the backlogged stream went on");
    assert_eq!(engine.violations(), &[]);
}

/// Time travel serves retransmission as it serves Raft: seeking back and forth lands on
/// exactly the run a straight replay gives, and acting in the past forks.
#[test]
fn history_seeks_a_retransmission_run_back_and_forth() {
    use faultline::sim::history::History;
    let s = settings(8, Scheme::SelectiveRepeat, AckMode::Selective);
    let mut history = History::<Retransmit>::new(s.clone())
        .expect("valid")
        .with_interval(200_000);
    history.advance(1_000_000);
    history
        .act(RetransmitAction::Fault(Fault::Crash {
            node: NodeId(2),
            mode: Default::default(),
        }))
        .expect("valid");
    history.advance(1_500_000);
    history
        .act(RetransmitAction::Fault(Fault::Restart { node: NodeId(2) }))
        .expect("valid");
    history.advance(6_000_000);
    let straight = to_jsonl(history.sim().trace());
    history.seek(700_000);
    assert!(history.in_past());
    assert!(history.sim().now_us() == 700_000);
    history.seek(6_000_000);
    assert_eq!(
        to_jsonl(history.sim().trace()),
        straight,
        "the same run again"
    );
    // Acting in the past discards the recorded future.
    history.seek(1_200_000);
    history
        .act(RetransmitAction::HandOver { node: NodeId(1) })
        .expect("valid");
    assert_eq!(history.actions().len(), 2, "the restart was forked away");
}
