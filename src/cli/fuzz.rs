//! `faultline fuzz`: many seeds of random faults; reports every failing seed with the command
//! that reproduces it.

use super::{bugs_from, duration_us, Args, Flag};
use crate::sim::fuzz::{run_seed, Phases, Verdict};

const FLAGS: &[Flag] = &[
    Flag("seeds", true),
    Flag("start", true),
    Flag("nodes", true),
    Flag("bug", true),
    Flag("safety", true),
    Flag("liveness", true),
    Flag("expect-unsafe", false),
];

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(raw, FLAGS)?;
    let seeds: u64 = args.number("seeds", 100)?;
    let start: u64 = args.number("start", 1)?;
    let nodes = match args.value("nodes") {
        Some(_) => Some(args.number("nodes", 5u32)?),
        None => None,
    };
    if let Some(n) = nodes {
        if !(1..=crate::sim::settings::NODES_MAX).contains(&n) {
            return Err(format!(
                "--nodes: {n} is outside 1..={}",
                crate::sim::settings::NODES_MAX
            ));
        }
    }
    let bugs = bugs_from(args.value("bug"))?;
    let mut phases = Phases::default();
    if let Some(d) = args.value("safety") {
        phases.safety_us = duration_us("safety", d)?;
    }
    if let Some(d) = args.value("liveness") {
        phases.liveness_us = duration_us("liveness", d)?;
    }
    // With --expect-unsafe the search must find a safety violation (a broken-Raft switch
    // the checks are meant to catch): it stops at the first one and succeeds.
    let expect_unsafe = args.switch("expect-unsafe");
    let mut failures = 0u64;
    let mut lossy = 0u64;
    let (mut events, mut ops) = (0u64, 0u64);
    for seed in start..start.saturating_add(seeds) {
        match run_seed(seed, nodes, &bugs, phases) {
            Verdict::Pass { events: e, ops: o } => {
                events += e;
                ops += o;
            }
            Verdict::LossyDisk(_) => lossy += 1,
            Verdict::Unsafe(v) if expect_unsafe => {
                println!("seed {seed}: UNSAFE {v}");
                println!(
                    "fuzz: found the expected violation after {} seeds",
                    seed - start + 1
                );
                return Ok(0);
            }
            failure => {
                failures += 1;
                let what = match failure {
                    Verdict::Unsafe(v) => format!("UNSAFE {v}"),
                    Verdict::Stuck(why) => format!("STUCK {why}"),
                    Verdict::Pass { .. } | Verdict::LossyDisk(_) => String::new(),
                };
                println!("seed {seed}: {what}");
                println!(
                    "  reproduce: faultline fuzz --seeds 1 --start {seed}{}",
                    repro_flags(raw)
                );
            }
        }
    }
    println!(
        "fuzz: {seeds} seeds from {start}, {} passed, {failures} failed ({events} events, {ops} client operations in passing runs; \
         {lossy} runs on disks that do not sync every write lost acknowledged data after a power loss, as expected)",
        seeds - failures
    );
    if expect_unsafe {
        println!("fuzz: expected a safety violation in {seeds} seeds and found none");
        return Ok(1);
    }
    Ok(if failures == 0 { 0 } else { 1 })
}

/// The flags of this run that matter for reproducing one seed.
fn repro_flags(raw: &[String]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < raw.len() {
        let flag = raw[i].as_str();
        let keep = ["--nodes", "--bug", "--safety", "--liveness"]
            .iter()
            .any(|k| flag.starts_with(k));
        if keep {
            out.push(' ');
            out.push_str(flag);
            if !flag.contains('=') {
                if let Some(v) = raw.get(i + 1) {
                    out.push(' ');
                    out.push_str(v);
                    i += 1;
                }
            }
        }
        i += 1;
    }
    out
}
