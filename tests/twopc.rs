//! Two-phase commit on the shared engine: random faults never break atomicity or lose a
//! decision (Gray and Reuter, "Transaction Processing", chapter 10; Bernstein, Hadzilacos and
//! Goodman, "Concurrency Control and Recovery", chapter 7), the fault search catches each
//! broken switch from a pinned seed, a saved trace re-checks to the same verdict, and a seed
//! gives the same run twice.

use faultline::codec::trace_jsonl::{from_jsonl, to_jsonl};
use faultline::sim::engine::Engine;
use faultline::sim::fuzz::{run_seed_covered, Fuzz, Phases, Verdict};
use faultline::sim::trace::fnv1a;
use faultline::sim::twopc::{Property, TwoPc, TwoPcChecks, TwoPcCoverage};

/// Runs the fault search's schedule for seed `seed` for 8 s, then heals and runs to 20 s.
fn faulty_run(seed: u64) -> Engine<TwoPc> {
    let settings = TwoPc::settings_for_seed(seed, None, &Default::default());
    let schedule = TwoPc::fault_schedule(&settings, 8_000_000);
    let mut engine = Engine::<TwoPc>::new(settings).expect("valid settings");
    for a in schedule {
        engine.schedule(a.at_us, a.action).expect("valid action");
    }
    engine.run_until(20_000_000);
    engine.finish_checks();
    engine
}

#[test]
fn random_faults_keep_every_property_and_reach_the_blocking_states() {
    let mut reached = TwoPcCoverage::default();
    for seed in 1..=40 {
        let (verdict, coverage) =
            run_seed_covered::<TwoPc>(seed, None, &Default::default(), Phases::default());
        assert!(
            matches!(verdict, Verdict::Pass { .. } | Verdict::LossyDisk(_)),
            "seed {seed}: {verdict:?}"
        );
        reached += coverage;
    }
    // The search gets where two-phase commit is interesting.
    assert!(reached.commits > 100 && reached.aborts > 10, "{reached:?}");
    assert!(reached.blocked > 0 && reached.blocked_ms > 0, "{reached:?}");
    assert!(reached.cooperative_resolutions > 0, "{reached:?}");
    assert!(reached.presumed_aborts > 0, "{reached:?}");
    assert!(reached.crashes_coordinator_committing > 0, "{reached:?}");
    assert!(reached.crashes_participant_prepared > 0, "{reached:?}");
    assert!(reached.commits_resent_after_recovery > 0, "{reached:?}");
}

/// Each broken switch, from the seed the search finds it at first, breaks the property
/// meant to catch it.
#[test]
fn every_broken_switch_is_caught_from_a_pinned_seed() {
    let cases = [
        ("decide-before-log", 1, Property::DecisionDurability),
        ("forget-prepared-on-crash", 1, Property::Atomicity),
        ("commit-on-timeout", 1, Property::Atomicity),
        (
            "release-locks-at-prepare",
            1,
            Property::LocksHeldUntilDecision,
        ),
    ];
    for (name, seed, property) in cases {
        let bugs = TwoPc::bug(name).expect("a known switch");
        let (verdict, _) = run_seed_covered::<TwoPc>(seed, None, &bugs, Phases::default());
        match verdict {
            Verdict::Unsafe(v) => assert_eq!(v.property, property, "{name}: {v}"),
            other => panic!("{name}: seed {seed} gave {other:?}"),
        }
    }
}

#[test]
fn a_saved_trace_rechecks_to_the_same_verdict() {
    let engine = faulty_run(11);
    assert_eq!(engine.violations(), &[]);
    let text = to_jsonl(engine.trace());
    let lines = from_jsonl::<TwoPc>(&text).expect("the trace reads back");
    assert_eq!(lines.len(), engine.trace().len());
    assert_eq!(TwoPcChecks::check_all(&lines, engine.now_us()), vec![]);
    assert_eq!(
        to_jsonl(&lines),
        text,
        "reading and writing changes nothing"
    );
}

#[test]
fn a_seed_gives_the_same_run_twice() {
    let a = to_jsonl(faulty_run(5).trace());
    let b = to_jsonl(faulty_run(5).trace());
    assert!(a.lines().count() > 500, "a substantial run");
    assert_eq!(fnv1a(a.as_bytes()), fnv1a(b.as_bytes()));
}

// ----- the coordinator on Raft -----

use faultline::sim::disk::CrashMode;
use faultline::sim::engine::Fault;
use faultline::sim::twopc::checks::blocking_bound_us;
use faultline::sim::twopc::participant::PState;
use faultline::sim::twopc::{
    CoordinatorKind, Op, SearchOptions, TwoPcAction, TwoPcNode, TwoPcSettings, TXNS_PER_CLIENT,
};
use faultline::sim::types::{Micros, NodeId};

const MS: Micros = 1_000;

/// The node that coordinates now: the single coordinator, or the group member that leads and
/// has taken over.
fn coordinating(e: &Engine<TwoPc>) -> Option<NodeId> {
    e.settings().twopc.group_members().into_iter().find(|n| {
        match e.node(*n).and_then(|s| s.process.as_ref()) {
            Some(TwoPcNode::Coordinator(_)) => true,
            Some(TwoPcNode::Member(m)) => m.coordinating(),
            _ => false,
        }
    })
}

fn prepared_everywhere(e: &Engine<TwoPc>, txn: u64) -> bool {
    (2..=4).all(
        |p| match e.node(NodeId(p)).and_then(|s| s.process.as_ref()) {
            Some(TwoPcNode::Participant(part)) => part
                .txns
                .get(&txn)
                .is_some_and(|t| t.state == PState::Prepared),
            _ => false,
        },
    )
}

fn locks_held(e: &Engine<TwoPc>) -> usize {
    (2..=4)
        .map(
            |p| match e.node(NodeId(p)).and_then(|s| s.process.as_ref()) {
                Some(TwoPcNode::Participant(part)) => part.locks.len(),
                _ => 0,
            },
        )
        .sum()
}

/// Every participant votes yes on a transaction over three shards; the coordinator (the
/// group's leader) crashes before any decision arrives and stays down for 6 s. Returns the
/// locks still held 5 s after the crash and the longest time a participant was blocked.
fn crash_after_every_yes(kind: CoordinatorKind) -> (usize, Micros, Engine<TwoPc>) {
    let mut s = TwoPcSettings::default();
    s.twopc.coordinator = kind;
    s.twopc.clients = 0;
    s.twopc.transactions = 0;
    s.network.latency_us_min = 10 * MS;
    s.network.latency_us_max = 10 * MS;
    let mut e = Engine::<TwoPc>::new(s).expect("valid settings");
    while coordinating(&e).is_none() {
        assert!(e.now_us() < 2_000 * MS && e.step(), "a coordinator");
    }
    let ops = (0..3)
        .map(|key| Op {
            key,
            write: Some(0),
        })
        .collect();
    e.apply(TwoPcAction::Submit { ops }).expect("valid action");
    let txn = TXNS_PER_CLIENT + 1;
    while !prepared_everywhere(&e, txn) {
        assert!(e.now_us() < 3_000 * MS && e.step(), "every vote yes");
    }
    let node = coordinating(&e).expect("a coordinator");
    let crash = Fault::Crash {
        node,
        mode: CrashMode::Clean,
    };
    e.apply(TwoPcAction::Fault(crash)).expect("valid action");
    let crashed_us = e.now_us();
    e.run_until(crashed_us + 5_000 * MS);
    let held = locks_held(&e);
    e.run_until(crashed_us + 6_000 * MS);
    e.apply(TwoPcAction::Fault(Fault::Restart { node }))
        .expect("valid action");
    e.run_until(crashed_us + 12_000 * MS);
    let longest = e
        .trace()
        .iter()
        .filter_map(|l| match &l.event {
            faultline::sim::protocol::Event::Protocol(
                faultline::sim::twopc::Note::TxnUnblocked { blocked_us, .. },
            ) => Some(*blocked_us),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    (held, longest, e)
}

/// The scenario, as Bernstein et al. (section 7.4) tell it: with one coordinator,
/// participants that all voted yes stay blocked, locks held, until it restarts; with the
/// coordinator on a Raft group of 3 or 5, a new leader knows or presumes the decision
/// (through its log) within an election's time, and nobody waits for the restart.
#[test]
fn a_coordinator_crash_after_every_yes_blocks_only_the_single_coordinator() {
    let (held, longest, mut e) = crash_after_every_yes(CoordinatorKind::Single);
    assert!(held > 0, "locks held while the coordinator is down");
    assert!(
        longest >= 5_000 * MS,
        "blocked until the restart: {longest}us"
    );
    assert_eq!(e.violations(), &[]);
    assert_eq!(e.finish_checks(), None);
    for kind in [CoordinatorKind::Raft3, CoordinatorKind::Raft5] {
        let (held, longest, mut e) = crash_after_every_yes(kind);
        let bound = blocking_bound_us(&e.settings().twopc);
        assert_eq!(
            held, 0,
            "{kind:?}: no lock held while the old leader is down"
        );
        assert!(
            longest <= bound,
            "{kind:?}: blocked {longest}us > {bound}us"
        );
        assert!(longest < 2_000 * MS, "{kind:?}: blocked {longest}us");
        assert_eq!(e.violations(), &[]);
        assert_eq!(e.finish_checks(), None);
    }
}

fn raft(kind: CoordinatorKind, bugs: SearchOptions) -> SearchOptions {
    SearchOptions {
        coordinator: kind,
        ..bugs
    }
}

/// The fault search with the coordinator on Raft (random crashes of any node, outages of
/// whichever member leads, partitions, loss) keeps every property, the group's Raft safety
/// and Bounded Blocking included, and reaches leader changes with transactions in flight.
#[test]
fn random_faults_with_the_coordinator_on_raft_keep_every_property() {
    for kind in [CoordinatorKind::Raft3, CoordinatorKind::Raft5] {
        let options = raft(kind, SearchOptions::default());
        let mut reached = TwoPcCoverage::default();
        for seed in 1..=25 {
            let (verdict, coverage) =
                run_seed_covered::<TwoPc>(seed, None, &options, Phases::default());
            assert!(
                matches!(verdict, Verdict::Pass { .. } | Verdict::LossyDisk(_)),
                "{kind:?} seed {seed}: {verdict:?}"
            );
            reached += coverage;
        }
        assert!(reached.commits > 100 && reached.blocked > 0, "{reached:?}");
        assert!(reached.group_takeovers > 25, "{reached:?}");
        assert!(reached.crashes_coordinator_collecting > 0, "{reached:?}");
    }
}

/// Each broken switch is still caught with the coordinator on Raft, from a pinned seed.
#[test]
fn every_broken_switch_is_caught_with_the_coordinator_on_raft() {
    let cases = [
        ("decide-before-log", 4, Property::NoneLeftInDoubt),
        ("forget-prepared-on-crash", 1, Property::NoneLeftInDoubt),
        ("commit-on-timeout", 1, Property::CommitValidity),
        (
            "release-locks-at-prepare",
            1,
            Property::LocksHeldUntilDecision,
        ),
    ];
    for (name, seed, property) in cases {
        let bugs = raft(
            CoordinatorKind::Raft3,
            TwoPc::bug(name).expect("a known switch"),
        );
        let (verdict, _) = run_seed_covered::<TwoPc>(seed, None, &bugs, Phases::default());
        match verdict {
            Verdict::Unsafe(v) => assert_eq!(v.property, property, "{name}: {v}"),
            other => panic!("{name}: seed {seed} gave {other:?}"),
        }
    }
}

/// A run with the coordinator on Raft writes and reads back its nested Raft lines and
/// messages unchanged, and re-checks to the same verdict (`faultline check`).
#[test]
fn a_saved_raft_coordinator_trace_rechecks_to_the_same_verdict() {
    let options = raft(CoordinatorKind::Raft3, SearchOptions::default());
    let settings = TwoPc::settings_for_seed(11, None, &options);
    let schedule = TwoPc::fault_schedule(&settings, 8_000_000);
    let mut engine = Engine::<TwoPc>::new(settings).expect("valid settings");
    for a in schedule {
        engine.schedule(a.at_us, a.action).expect("valid action");
    }
    engine.run_until(20_000_000);
    assert_eq!(engine.finish_checks(), None);
    let text = to_jsonl(engine.trace());
    assert!(text.contains("\"kind\":\"group_raft\""));
    let lines = from_jsonl::<TwoPc>(&text).expect("the trace reads back");
    assert_eq!(
        to_jsonl(&lines),
        text,
        "reading and writing changes nothing"
    );
    assert_eq!(TwoPcChecks::check_all(&lines, engine.now_us()), vec![]);
}
