//! `faultline run --protocol paxos`: one Paxos run (single-decree or Multi-Paxos), a summary
//! with the run's counters, and optionally its trace.

use super::runner::{network_flags, print_counters_and_violations, run_engine};
use crate::cli::args::{bugs_from, duration_us, Args, Flag};
use crate::sim::engine::Engine;
use crate::sim::fuzz::Fuzz;
use crate::sim::paxos::{Paxos, PaxosSettings, Variant};

const FLAGS: &[Flag] = &[
    Flag("protocol", true),
    Flag("variant", true),
    Flag("seed", true),
    Flag("duration", true),
    Flag("faults", true),
    Flag("trace", true),
    Flag("nodes", true),
    Flag("proposers", true),
    Flag("retry-delay", true),
    Flag("clients", true),
    Flag("keys", true),
    Flag("loss-percent", true),
    Flag("latency", true),
    Flag("bug", true),
];

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(raw, FLAGS)?;
    let mut settings = PaxosSettings {
        seed: args.number("seed", 1)?,
        ..PaxosSettings::default()
    };
    let options = bugs_from::<Paxos>(args.value("bug"))?;
    let options = match args.value("variant") {
        Some(v) => Paxos::with_variant(options, v)?,
        None => options,
    };
    let c = &mut settings.paxos;
    c.variant = options.variant;
    c.bugs = options.bugs;
    c.nodes = args.number("nodes", c.nodes)?;
    c.proposers = args.number("proposers", c.proposers.min(c.nodes))?;
    c.clients = args.number("clients", c.clients)?;
    c.keys = args.number("keys", c.keys)?;
    if let Some(range) = args.value("retry-delay") {
        let (min, max) = match range.split_once('-') {
            Some((lo, hi)) => (
                duration_us("retry-delay", lo)?,
                duration_us("retry-delay", hi)?,
            ),
            None => {
                let fixed = duration_us("retry-delay", range)?;
                (fixed, fixed)
            }
        };
        if max < min {
            return Err(format!("--retry-delay: \"{range}\" ends before it starts"));
        }
        c.retry_delay_us_min = min;
        c.retry_delay_us_max = max;
    }
    network_flags(&args, &mut settings.network)?;
    // Faults are healed by half the run.
    let (engine, duration) = run_engine::<Paxos>(&args, settings.clone(), |d| d / 2)?;
    print_summary(&engine, &settings, duration);
    Ok(if engine.violations().is_empty() { 0 } else { 1 })
}

fn print_summary(engine: &Engine<Paxos>, settings: &PaxosSettings, duration_us: u64) {
    let c = &settings.paxos;
    let what = match c.variant {
        Variant::Single => format!("single-decree, {} proposers", c.proposers),
        Variant::Multi => format!("Multi-Paxos, {} clients", c.clients),
    };
    println!(
        "faultline run: paxos ({what}), {} nodes, seed {}, {:.1} s simulated, {} events, {} trace lines",
        c.nodes,
        settings.seed,
        duration_us as f64 / 1e6,
        engine.events_processed(),
        engine.trace().len()
    );
    for slot in engine.nodes() {
        let state = match &slot.process {
            None => "down".to_string(),
            Some(n) => format!(
                "promised {}, {} slots accepted, {} learned, applied up to {}",
                n.acceptor.promised,
                n.acceptor.accepted.len(),
                n.learner.learned.len(),
                n.learner.applied
            ),
        };
        println!("{}: {state}", slot.id);
    }
    if c.variant == Variant::Multi {
        println!("clients: {} commands completed", engine.world().completed());
    }
    print_counters_and_violations(engine);
}
