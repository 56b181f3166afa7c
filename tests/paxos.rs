//! Paxos on the shared engine ("Paxos Made Simple", Lamport 2001): random faults never break
//! Agreement, Validity, Learners Agree or the clients' guarantees, in single-decree Paxos and
//! Multi-Paxos; the fault search catches each broken switch from a pinned seed; a saved
//! trace re-checks to the same verdict (with `check` finding the broken one too); and a seed
//! gives the same run twice.

use faultline::codec::trace_jsonl::{from_jsonl, to_jsonl};
use faultline::sim::engine::Engine;
use faultline::sim::fuzz::{run_seed_covered, Fuzz, Phases, Verdict};
use faultline::sim::paxos::fuzz::SearchOptions;
use faultline::sim::paxos::{Paxos, PaxosChecks, PaxosCoverage, Property, Variant};
use faultline::sim::trace::fnv1a;

fn options(variant: Variant, bug: Option<&str>) -> SearchOptions {
    let bugs = bug.map_or_else(Default::default, |b| Paxos::bug(b).expect("known").bugs);
    SearchOptions { variant, bugs }
}

/// Runs the fault search's schedule for seed `seed` for 8 s, then heals and runs to 20 s.
fn faulty_run(seed: u64, options: &SearchOptions) -> Engine<Paxos> {
    let settings = Paxos::settings_for_seed(seed, None, options);
    let schedule = Paxos::fault_schedule(&settings, 8_000_000);
    let mut engine = Engine::<Paxos>::new(settings).expect("valid settings");
    for a in schedule {
        engine.schedule(a.at_us, a.action).expect("valid action");
    }
    engine.run_until(20_000_000);
    engine
}

#[test]
fn random_faults_keep_every_property_and_reach_the_interesting_states() {
    for variant in Variant::ALL {
        let mut reached = PaxosCoverage::default();
        for seed in 1..=40 {
            let (verdict, coverage) =
                run_seed_covered::<Paxos>(seed, None, &options(variant, None), Phases::default());
            assert!(
                matches!(verdict, Verdict::Pass { .. } | Verdict::LossyDisk(_)),
                "{variant:?} seed {seed}: {verdict:?}"
            );
            reached += coverage;
        }
        assert!(
            reached.preemptions > 0 && reached.rejects > 0,
            "{reached:?}"
        );
        assert!(reached.recoveries_with_state > 0, "{reached:?}");
        match variant {
            Variant::Single => {
                assert!(reached.adopted_values > 0, "{reached:?}");
                assert!(reached.long_streaks > 0, "{reached:?}");
            }
            Variant::Multi => {
                assert!(reached.leaders > 40, "{reached:?}");
                assert!(reached.reproposed_slots > 0, "{reached:?}");
                assert!(reached.client_replies > 1000, "{reached:?}");
            }
        }
    }
}

/// Each broken switch, from the first seed the search finds it at, breaks Agreement.
#[test]
fn every_broken_switch_is_caught_from_a_pinned_seed() {
    let cases = [
        (Variant::Single, "forget-promise-on-crash", 1528),
        (Variant::Single, "ignore-promise-values", 1),
        (Variant::Single, "accept-lower-ballot", 7),
        (Variant::Multi, "forget-promise-on-crash", 23),
        (Variant::Multi, "ignore-promise-values", 1),
        (Variant::Multi, "accept-lower-ballot", 3),
    ];
    for (variant, name, seed) in cases {
        let options = options(variant, Some(name));
        let (verdict, _) = run_seed_covered::<Paxos>(seed, None, &options, Phases::default());
        match verdict {
            Verdict::Unsafe(v) => {
                assert_eq!(v.property, Property::Agreement, "{variant:?} {name}: {v}")
            }
            other => panic!("{variant:?} {name}: seed {seed} gave {other:?}"),
        }
    }
}

#[test]
fn a_saved_trace_rechecks_to_the_same_verdict() {
    for (variant, bug) in [
        (Variant::Single, None),
        (Variant::Multi, None),
        (Variant::Multi, Some("ignore-promise-values")),
    ] {
        let engine = faulty_run(1, &options(variant, bug));
        let text = to_jsonl(engine.trace());
        let lines = from_jsonl::<Paxos>(&text).expect("the trace reads back");
        assert_eq!(lines.len(), engine.trace().len());
        assert_eq!(PaxosChecks::check_all(&lines), engine.violations());
        assert_eq!(
            bug.is_some(),
            !engine.violations().is_empty(),
            "{variant:?}"
        );
        assert_eq!(
            to_jsonl(&lines),
            text,
            "reading and writing changes nothing"
        );
    }
}

#[test]
fn a_seed_gives_the_same_run_twice() {
    for variant in Variant::ALL {
        let a = to_jsonl(faulty_run(5, &options(variant, None)).trace());
        let b = to_jsonl(faulty_run(5, &options(variant, None)).trace());
        assert!(a.lines().count() > 500, "a substantial run");
        assert_eq!(fnv1a(a.as_bytes()), fnv1a(b.as_bytes()));
    }
}
