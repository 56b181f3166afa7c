//! `faultline ring`: the placement statistics of the page's strategies table, headless.
//!
//! ```text
//! faultline ring --strategy S --nodes N --vnodes V --keys K (--add M | --remove M)
//!                [--seed S] [--skew uniform|zipf] [--load-factor C] [--table-size M]
//! faultline ring --bench [--keys K] [--nodes N] [--vnodes V] [--seed S]
//! ```
//! Defaults: 32 nodes, V = 256, 100,000 keys, seed 1, uniform, c = 1.25, table 65537 (the
//! benchmark's setting). `--strategy all` prints every strategy. `--remove M` removes M nodes picked with the seeded
//! PRNG (the faults stream), so jump hash and modulo-N face removals from the middle too.
//! Flags are read by the parser every subcommand shares ([`super::args`]).

mod bench;
mod flags;
mod report;

use crate::sim::ring::keys::KeySet;
use crate::sim::ring::membership::Membership;
use crate::sim::ring::recompute::Recompute;
use crate::sim::ring::strategy::{PlacementConfig, Strategy};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::NodeId;
use bench::run_bench;
use flags::{flag_for, parse, Change, Which};
use report::{format_report, names};
use std::rc::Rc;

/// Runs `faultline ring` with the arguments after `ring` and prints its report.
pub fn main(args: &[String]) -> Result<i32, String> {
    print!("{}", run(args)?);
    Ok(0)
}

/// Runs `faultline ring` with the arguments after `ring`; the text to print, or an error that
/// names the bad argument.
pub fn run(args: &[String]) -> Result<String, String> {
    let args = parse(args)?;
    if args.bench {
        return run_bench(&args);
    }
    let before = Membership::contiguous(args.nodes)?;
    let (after, change_text) = match args.change {
        Some(Change::Add(m)) => {
            let after = before.with_added(m);
            let text = format!("added {}", names(&after.slots()[args.nodes as usize..]));
            (after, text)
        }
        Some(Change::Remove(m)) => {
            let removed = pick_removed(&before, m, args.seed);
            (
                before.without(&removed)?,
                format!("removed {}", names(&removed)),
            )
        }
        None => return Err("--add or --remove: one is required".into()),
    };
    let keys = Rc::new(KeySet::generate(args.keys, args.seed, args.skew)?);
    let strategies = match args.which {
        Which::One(strategy) => vec![strategy],
        Which::All => Strategy::ALL.to_vec(),
    };
    let mut out = String::new();
    for (i, strategy) in strategies.into_iter().enumerate() {
        let config = PlacementConfig {
            strategy,
            vnodes: args.vnodes,
            maglev_table_size: args.table_size,
            load_factor_milli: args.load_factor_milli,
            seed: args.seed,
        };
        let report = Recompute::new(keys.clone(), &config, &before, &after)
            .map_err(|e| flag_for(&e))?
            .run();
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format_report(&args, &config, &report, &change_text));
    }
    Ok(out)
}

/// `count` distinct members drawn with the run's faults stream.
fn pick_removed(members: &Membership, count: u32, seed: u64) -> Vec<NodeId> {
    let mut rng = SimRng::stream(seed, Stream::Faults);
    let mut pool = members.slots().to_vec();
    let mut picked = Vec::new();
    for _ in 0..count.min(pool.len() as u32) {
        let at = rng.below(pool.len() as u64) as usize;
        picked.push(pool.remove(at));
    }
    picked.sort_unstable();
    picked
}

#[cfg(test)]
mod tests {
    use super::flags::USAGE;
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    fn moved_fraction(output: &str) -> f64 {
        let line = output.lines().find(|l| l.starts_with("moved:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    #[test]
    fn prints_statistics_and_the_moved_line() {
        let out = run(&args(
            "--strategy ring --nodes 8 --vnodes 128 --keys 20000 --add 1",
        ))
        .unwrap();
        assert!(out.contains("strategy: ring"));
        assert!(out.contains("max/mean"));
        assert!(out.contains("rel std dev"));
        assert!(out.contains("lookup cost:"));
        assert!(out.contains("ideal 1/(n+1) = 0.1111"));
        let moved = moved_fraction(&out);
        assert!((moved - 1.0 / 9.0).abs() < 0.04, "{out}");
    }

    #[test]
    fn removes_seeded_nodes_and_reports_every_strategy() {
        let out = run(&args(
            "--strategy=all --nodes 10 --vnodes 64 --keys 5000 --remove 2 --skew zipf",
        ))
        .unwrap();
        assert_eq!(out.lines().filter(|l| l.starts_with("moved:")).count(), 6);
        assert!(out.contains("removed S"));
        assert!(out.contains("weighted load after"));
    }

    #[test]
    fn help_stray_words_and_a_second_change_are_refused() {
        for text in ["--help", "-h", "--strategy ring --add 1 -h"] {
            assert_eq!(run(&args(text)).unwrap_err(), USAGE, "{text}");
        }
        let err = run(&args("--strategy ring --add 1 extra")).unwrap_err();
        assert!(err.starts_with("unknown argument \"extra\""), "{err}");
        let err = run(&args("--strategy ring --add 1 --add 2")).unwrap_err();
        assert!(err.starts_with("--add: give only one"), "{err}");
        let err = run(&args("--strategy ring --remove 1 --add=2")).unwrap_err();
        assert!(err.starts_with("--add: give only one"), "{err}");
    }

    #[test]
    fn bad_arguments_name_the_flag() {
        let cases = [
            ("--strategy chord --add 1", "--strategy"),
            ("--strategy ring --nodes x --add 1", "--nodes"),
            ("--strategy ring --nodes 0 --add 1", "--nodes"),
            ("--strategy ring --vnodes 0 --add 1", "--vnodes"),
            ("--strategy ring --keys 0 --add 1", "--keys"),
            ("--strategy ring", "--add"),
            ("--strategy ring --add 1 --remove 1", "--remove"),
            ("--strategy ring --nodes 3 --remove 3", "--remove"),
            ("--strategy ring --add", "--add"),
            ("--strategy ring --add 1 --skew pareto", "--skew"),
            (
                "--strategy bounded --add 1 --load-factor 0.5",
                "--load-factor",
            ),
            (
                "--strategy maglev --add 1 --table-size 1000",
                "--table-size",
            ),
            ("--strategy ring --add 1 --frobnicate", "--frobnicate"),
            ("--nodes 4 --add 1", "--strategy"),
        ];
        for (text, flag) in cases {
            let err = run(&args(text)).unwrap_err();
            assert!(err.contains(flag), "{text}: {err}");
        }
    }
}
