//! Primary-backup traces read back: a saved trace of each replication mode parses line for
//! line and its checks find what the live checks found (nothing), as `faultline check` does.

use faultline::codec::trace_jsonl::{from_jsonl, to_jsonl};
use faultline::sim::engine::Engine;
use faultline::sim::pb::{PbAction, PbChecks, PbSettings, PrimaryBackup, Replication};

#[test]
fn a_saved_trace_of_every_mode_reads_back_and_checks_clean() {
    for replication in Replication::ALL {
        let mut settings = PbSettings {
            seed: 3,
            ..PbSettings::default()
        };
        settings.pb.replication = replication;
        let mut engine = Engine::<PrimaryBackup>::new(settings).expect("valid settings");
        let crash = PbAction::CrashPrimary { down_us: 1_000_000 };
        engine.schedule(2_000_000, crash).expect("valid action");
        engine.run_until(5_000_000);
        assert!(engine.violations().is_empty(), "{:?}", engine.violations());
        let text = to_jsonl(engine.trace());
        let lines = from_jsonl::<PrimaryBackup>(&text).expect("the trace reads back");
        assert_eq!(lines.len(), engine.trace().len(), "{}", replication.name());
        assert!(text.contains("\"type\":\"install\"") || text.contains("\"type\":\"loaded\""));
        assert_eq!(PbChecks::check_all(&lines), Vec::new());
    }
}

use faultline::sim::fuzz::{run_seed_covered, Fuzz, Phases, Verdict};
use faultline::sim::pb::Property;

/// Each broken switch is caught by the fault search within a few dozen seeds, by the
/// property it breaks (the full bounded searches are in scripts/test.sh).
#[test]
fn the_fault_search_catches_each_broken_switch() {
    let cases = [
        ("no-lease", Replication::Hot, Property::PrimaryHoldsTheView),
        (
            "ack-before-forward",
            Replication::Hot,
            Property::AckedWritesKept,
        ),
        ("no-fencing", Replication::Warm, Property::BackupOrder),
        ("no-fencing", Replication::Cold, Property::BackupOrder),
    ];
    for (bug, replication, property) in cases {
        let options = PrimaryBackup::bug(bug).expect("a known bug");
        let options = PrimaryBackup::with_variant(options, replication.name()).expect("a mode");
        let found = (1..=50).find_map(|seed| {
            match run_seed_covered::<PrimaryBackup>(seed, None, &options, Phases::default()).0 {
                Verdict::Unsafe(v) => Some(v),
                _ => None,
            }
        });
        let v = found.unwrap_or_else(|| panic!("{bug} in {} mode not caught", replication.name()));
        assert_eq!(v.property, property, "{bug}: {v}");
    }
}
