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
