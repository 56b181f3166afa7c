//! `faultline run --protocol ring`: one ring store run with a workload, a summary, and
//! optionally its trace.

use super::runner::{print_violations, run_engine};
use crate::cli::args::{bugs_from, Args, Flag};
use crate::sim::protocol::Event;
use crate::sim::ring::store::{RingEvent, RingRunSettings, RingSettings, RingStore};
use crate::sim::types::MICROS_PER_MS;

const FLAGS: &[Flag] = &[
    Flag("protocol", true),
    Flag("seed", true),
    Flag("duration", true),
    Flag("faults", true),
    Flag("trace", true),
    Flag("nodes", true),
    Flag("replication", true),
    Flag("write-quorum", true),
    Flag("read-quorum", true),
    Flag("keys", true),
    Flag("bug", true),
];

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(raw, FLAGS)?;
    let defaults = RingSettings::default();
    let store = RingSettings {
        seed: args.number("seed", 1)?,
        nodes: args.number("nodes", 6)?,
        replication: args.number("replication", defaults.replication)?,
        write_quorum: args.number("write-quorum", defaults.write_quorum)?,
        read_quorum: args.number("read-quorum", defaults.read_quorum)?,
        keys: args.number("keys", 2_000)?,
        workload_interval_us: 20 * MICROS_PER_MS,
        ..defaults
    };
    let mut settings = RingRunSettings::from_store(store);
    settings.bugs = bugs_from::<RingStore>(args.value("bug"))?;
    // Faults are healed by a third of the run: the keys must be whole again by its end.
    let (engine, duration) = run_engine::<RingStore>(&args, settings.clone(), |d| d / 3)?;
    let s = &settings.store;
    println!(
        "faultline run: ring, {} node(s), R {} W {} R_read {}, {} keys, seed {}, {:.1} s simulated, {} events, {} trace lines",
        s.nodes,
        s.replication,
        s.write_quorum,
        s.read_quorum,
        s.keys,
        s.seed,
        duration as f64 / 1e6,
        engine.events_processed(),
        engine.trace().len()
    );
    let (mut crashes, mut transfers, mut lost, mut ok, mut failed) = (0, 0, 0, 0, 0);
    for line in engine.trace() {
        match &line.event {
            Event::Crash { .. } => crashes += 1,
            Event::Protocol(RingEvent::RingTransferDone { .. }) => transfers += 1,
            Event::Protocol(RingEvent::RingTransferLost { .. }) => lost += 1,
            Event::Protocol(
                RingEvent::PutDone { ok: o, .. } | RingEvent::GetDone { ok: o, .. },
            ) => {
                if *o {
                    ok += 1
                } else {
                    failed += 1
                }
            }
            _ => {}
        }
    }
    let counts = engine.world_counts();
    println!(
        "crashes: {crashes}; transfers done {transfers}, lost {lost}; reads and writes ok {ok}, failed {failed}"
    );
    println!(
        "keys now: under-replicated {}, unavailable {}, lost {}",
        counts.under_replicated, counts.unavailable, counts.lost
    );
    print_violations(&engine);
    Ok(if engine.violations().is_empty() { 0 } else { 1 })
}
