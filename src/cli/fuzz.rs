//! `faultline fuzz`: many seeds of random faults; reports every failing seed with the command
//! that reproduces it.

use super::args::{bugs_from, duration_us, Args, Flag};
use super::protocols::ProtocolName;
use crate::sim::engine::Counters;
use crate::sim::fuzz::{run_seed_covered, Fuzz, Phases, Verdict};
use crate::sim::paxos::Paxos;
use crate::sim::pb::PrimaryBackup;
use crate::sim::raft::Raft;
use crate::sim::retransmit::Retransmit;
use crate::sim::ring::store::RingStore;
use crate::sim::twopc::TwoPc;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;

const FLAGS: &[Flag] = &[
    Flag("protocol", true),
    Flag("seeds", true),
    Flag("start", true),
    Flag("nodes", true),
    Flag("bug", true),
    Flag("safety", true),
    Flag("liveness", true),
    Flag("jobs", true),
    Flag("expect-unsafe", false),
    Flag("variant", true),
    Flag("membership", false),
    Flag("joint", false),
];

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(raw, FLAGS)?;
    match ProtocolName::from_flag(args.value("protocol"))? {
        ProtocolName::Raft => search::<Raft>(raw, &args),
        ProtocolName::Retransmit => search::<Retransmit>(raw, &args),
        ProtocolName::Ring => search::<RingStore>(raw, &args),
        ProtocolName::TwoPc => search::<TwoPc>(raw, &args),
        ProtocolName::Paxos => search::<Paxos>(raw, &args),
        ProtocolName::PrimaryBackup => search::<PrimaryBackup>(raw, &args),
    }
}

/// The search over protocol `P`.
fn search<P: Fuzz>(raw: &[String], args: &Args) -> Result<i32, String> {
    let seeds: u64 = args.number("seeds", 100)?;
    let start: u64 = args.number("start", 1)?;
    let nodes = match args.value("nodes") {
        Some(_) => Some(args.number("nodes", 5u32)?),
        None => None,
    };
    if let Some(n) = nodes {
        if !(1..=crate::sim::raft::settings::NODES_MAX).contains(&n) {
            return Err(format!(
                "--nodes: {n} is outside 1..={}",
                crate::sim::raft::settings::NODES_MAX
            ));
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let jobs: u32 = args.number("jobs", cores)?;
    if !(1..=JOBS_MAX).contains(&jobs) {
        return Err(format!("--jobs: {jobs} is outside 1..={JOBS_MAX}"));
    }
    let mut bugs = bugs_from::<P>(args.value("bug"))?;
    if let Some(variant) = args.value("variant") {
        bugs = P::with_variant(bugs, variant)?;
    }
    if args.switch("membership") {
        bugs = P::with_membership(bugs)?;
    }
    if args.switch("joint") {
        if !args.switch("membership") {
            return Err("--joint: only with --membership (changes by joint consensus)".into());
        }
        bugs = P::with_joint(bugs)?;
    }
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
    let end = start.saturating_add(seeds);
    let search = Search::<P> {
        seeds: start..end,
        nodes,
        bugs,
        phases,
    };
    let mut failures = 0u64;
    let mut passed = 0u64;
    let mut lossy = 0u64;
    let (mut events, mut ops) = (0u64, 0u64);
    let mut coverage = P::Coverage::default();
    let mut found_unsafe = false;
    // Results come back in whatever order the workers finish; they are read in seed order,
    // so the output is the same for every --jobs.
    search.run(jobs, |seed, outcome, reached| {
        coverage += reached;
        match outcome {
            Outcome::Pass { events: e, ops: o } => {
                passed += 1;
                events += e;
                ops += o;
            }
            Outcome::LossyDisk => lossy += 1,
            Outcome::Unsafe(v) if expect_unsafe => {
                println!("seed {seed}: {v}");
                println!(
                    "fuzz: found the expected violation after {} seeds",
                    seed - start + 1
                );
                found_unsafe = true;
                return Next::Stop;
            }
            Outcome::Unsafe(why) | Outcome::Stuck(why) => {
                failures += 1;
                println!("seed {seed}: {why}");
                println!(
                    "  reproduce: faultline fuzz --seeds 1 --start {seed}{}",
                    repro_flags(raw)
                );
            }
        }
        Next::Go
    });
    print_coverage::<P>(&coverage);
    if found_unsafe {
        return Ok(0);
    }
    println!(
        "fuzz: {seeds} {} seeds from {start}, {} passed, {failures} failed ({events} events, {ops} {} in passing runs; \
         {lossy} runs on disks that do not sync every write lost acknowledged data after a power loss, as expected)",
        P::NAME,
        passed + lossy,
        P::WORK_NAME,
    );
    if expect_unsafe {
        println!("fuzz: expected a safety violation in {seeds} seeds and found none");
        return Ok(1);
    }
    Ok(if failures == 0 { 0 } else { 1 })
}

/// More worker threads than this is a typing mistake, not a machine.
const JOBS_MAX: u32 = 256;

/// How one seed ended, in a form that can cross threads (a simulation holds `Rc`s, so each
/// worker builds its own and sends back only this).
enum Outcome {
    Pass { events: u64, ops: u64 },
    LossyDisk,
    Unsafe(String),
    Stuck(String),
}

/// Whether the search goes on after a seed's result has been read.
enum Next {
    Go,
    Stop,
}

/// The seeds to try and the options each run shares.
struct Search<P: Fuzz> {
    seeds: std::ops::Range<u64>,
    nodes: Option<u32>,
    bugs: P::Bugs,
    phases: Phases,
}

impl<P: Fuzz> Search<P> {
    fn outcome(&self, seed: u64) -> (Outcome, P::Coverage) {
        let (verdict, coverage) = run_seed_covered::<P>(seed, self.nodes, &self.bugs, self.phases);
        let outcome = match verdict {
            Verdict::Pass { events, ops } => Outcome::Pass { events, ops },
            Verdict::LossyDisk(_) => Outcome::LossyDisk,
            Verdict::Unsafe(v) => Outcome::Unsafe(format!("UNSAFE {v}")),
            Verdict::Stuck(why) => Outcome::Stuck(format!("STUCK {why}")),
        };
        (outcome, coverage)
    }

    /// Runs every seed on `jobs` threads and hands each result to `read` in seed order,
    /// until it says stop. Workers take the next seed from a shared counter, so a slow
    /// seed holds up only its own thread; results that finish early wait in a map.
    fn run(&self, jobs: u32, mut read: impl FnMut(u64, Outcome, P::Coverage) -> Next) {
        if jobs == 1 {
            for seed in self.seeds.clone() {
                let (outcome, coverage) = self.outcome(seed);
                if let Next::Stop = read(seed, outcome, coverage) {
                    return;
                }
            }
            return;
        }
        let next_seed = AtomicU64::new(self.seeds.start);
        let stop = AtomicBool::new(false);
        let (results, inbox) = mpsc::channel::<(u64, Outcome, P::Coverage)>();
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                let results = results.clone();
                let (next_seed, stop) = (&next_seed, &stop);
                scope.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let seed = next_seed.fetch_add(1, Ordering::Relaxed);
                        if seed >= self.seeds.end {
                            break;
                        }
                        let (outcome, coverage) = self.outcome(seed);
                        if results.send((seed, outcome, coverage)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(results);
            let mut waiting = BTreeMap::new();
            let mut due = self.seeds.start;
            for (seed, outcome, coverage) in inbox.iter() {
                waiting.insert(seed, (outcome, coverage));
                while let Some((outcome, coverage)) = waiting.remove(&due) {
                    if let Next::Stop = read(due, outcome, coverage) {
                        stop.store(true, Ordering::Relaxed);
                        return;
                    }
                    due += 1;
                }
            }
        });
    }
}

/// The counters of what the search reached, summed over the seeds read.
fn print_coverage<P: Fuzz>(coverage: &P::Coverage) {
    let counts: Vec<String> = coverage
        .named()
        .iter()
        .map(|(name, count)| format!("{name} {count}"))
        .collect();
    println!("coverage: {}", counts.join(", "));
}

/// The flags of this run that matter for reproducing one seed.
fn repro_flags(raw: &[String]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < raw.len() {
        let flag = raw[i].as_str();
        let keep = [
            "--protocol",
            "--nodes",
            "--bug",
            "--variant",
            "--safety",
            "--liveness",
        ]
        .iter()
        .any(|k| flag.starts_with(k));
        if flag == "--membership" || flag == "--joint" {
            out.push(' ');
            out.push_str(flag);
        } else if keep {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::types::MICROS_PER_MS;

    /// Everything `read` saw, in the order it saw it.
    fn results<P: Fuzz>(search: &Search<P>, jobs: u32, stop_after: Option<u64>) -> Vec<String> {
        let mut seen = Vec::new();
        search.run(jobs, |seed, outcome, coverage| {
            let what = match outcome {
                Outcome::Pass { events, ops } => format!("pass {events} {ops}"),
                Outcome::LossyDisk => "lossy".into(),
                Outcome::Unsafe(why) | Outcome::Stuck(why) => why,
            };
            seen.push(format!("{seed}: {what} {coverage:?}"));
            if Some(seed) == stop_after {
                Next::Stop
            } else {
                Next::Go
            }
        });
        seen
    }

    /// VOPR's rule: a search on more cores finds the same things, reported the same way.
    #[test]
    fn every_job_count_reads_the_same_results_in_seed_order() {
        let search = Search::<Raft> {
            seeds: 5..17,
            nodes: None,
            bugs: Default::default(),
            phases: Phases {
                safety_us: 600 * MICROS_PER_MS,
                liveness_us: 600 * MICROS_PER_MS,
            },
        };
        let one = results(&search, 1, None);
        assert_eq!(one.len(), 12);
        assert!(one[0].starts_with("5: ") && one[11].starts_with("16: "));
        assert_eq!(results(&search, 3, None), one);
        // Stopping (at the first violation, with --expect-unsafe) stops at the same seed.
        assert_eq!(results(&search, 4, Some(9)), one[..5].to_vec());
    }

    /// `--variant` names the flag and the choices when the value is not one of them.
    #[test]
    fn a_bad_variant_is_an_error_naming_the_flag() {
        use crate::sim::twopc::{CoordinatorKind, SearchOptions};
        let raft5 = <TwoPc as Fuzz>::with_variant(SearchOptions::default(), "raft5");
        assert_eq!(raft5.map(|o| o.coordinator), Ok(CoordinatorKind::Raft5));
        let bad = <TwoPc as Fuzz>::with_variant(SearchOptions::default(), "raft7");
        assert_eq!(
            bad,
            Err("--variant: \"raft7\" is not one of single, raft3, raft5 for 2pc".into())
        );
        let raw: Vec<String> = ["--protocol", "2pc", "--variant", "raft7", "--seeds", "1"]
            .map(String::from)
            .to_vec();
        let e = super::main(&raw).unwrap_err();
        assert!(e.starts_with("--variant: "), "{e}");
    }
}
