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
mod report;

use super::args::number;
use super::{Args, Flag};
use crate::sim::ring::keys::{KeySet, Skew, MAX_KEYS};
use crate::sim::ring::membership::Membership;
use crate::sim::ring::recompute::Recompute;
use crate::sim::ring::strategy::{PlacementConfig, Strategy, MAX_VNODES};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::NodeId;
use bench::run_bench;
use report::{format_report, names};
use std::rc::Rc;

pub const USAGE: &str = "usage: faultline ring --strategy modulo|ring|rendezvous|jump|maglev|bounded|all \
--nodes N --vnodes V --keys K (--add M | --remove M) [--seed S] [--skew uniform|zipf] \
[--load-factor C] [--table-size M]\n       faultline ring --bench [--keys K] [--nodes N] [--vnodes V] [--seed S]";

/// The most nodes the command accepts.
pub const MAX_NODES: u32 = 10_000;

const FLAGS: &[Flag] = &[
    Flag("strategy", true),
    Flag("nodes", true),
    Flag("vnodes", true),
    Flag("keys", true),
    Flag("add", true),
    Flag("remove", true),
    Flag("seed", true),
    Flag("skew", true),
    Flag("load-factor", true),
    Flag("table-size", true),
    Flag("bench", false),
    Flag("help", false),
];

/// Which strategies to report.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Which {
    One(Strategy),
    All,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Change {
    Add(u32),
    Remove(u32),
}

/// The settings of one `faultline ring` command, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RingArgs {
    which: Which,
    nodes: u32,
    vnodes: u32,
    keys: u32,
    change: Option<Change>,
    seed: u64,
    skew: Skew,
    load_factor_milli: u32,
    table_size: u32,
    bench: bool,
}

/// Parses a load factor such as `1.25` into thousandths.
fn load_factor_milli(value: &str) -> Result<u32, String> {
    let c: f64 = value
        .parse()
        .map_err(|_| format!("--load-factor: expected a number such as 1.25, got {value:?}"))?;
    if !c.is_finite() || !(1.0..=1000.0).contains(&c) {
        return Err(format!(
            "--load-factor: must be between 1 and 1000, got {value}"
        ));
    }
    Ok((c * 1000.0).round() as u32)
}

fn parse(raw: &[String]) -> Result<RingArgs, String> {
    let args = Args::parse(raw, FLAGS).map_err(|e| format!("{e}\n{USAGE}"))?;
    if args.switch("help") || args.positional.iter().any(|a| a == "-h") {
        return Err(USAGE.to_string());
    }
    if let Some(arg) = args.positional.first() {
        return Err(format!("unknown argument {arg:?}\n{USAGE}"));
    }
    let defaults = PlacementConfig::default();
    let strategy_given = args.value("strategy").is_some();
    let which = match args.value("strategy") {
        None => Which::One(Strategy::Ring),
        Some("all") => Which::All,
        Some(name) => Which::One(name.parse().map_err(|e| format!("--strategy: {e}"))?),
    };
    // Only one membership change per command: --add and --remove exclude each other, and
    // neither may be given twice.
    let mut change = None;
    for (flag, value) in args.given() {
        if flag != "add" && flag != "remove" {
            continue;
        }
        if change.is_some() {
            return Err(format!("--{flag}: give only one of --add and --remove"));
        }
        let count = number(flag, value)?;
        change = Some(if flag == "add" {
            Change::Add(count)
        } else {
            Change::Remove(count)
        });
    }
    let parsed = RingArgs {
        which,
        nodes: args.number("nodes", 32)?,
        vnodes: args.number("vnodes", defaults.vnodes)?,
        keys: args.number("keys", 100_000)?,
        change,
        seed: args.number("seed", 1)?,
        skew: match args.value("skew") {
            None => Skew::Uniform,
            Some(value) => value.parse().map_err(|e| format!("--skew: {e}"))?,
        },
        load_factor_milli: match args.value("load-factor") {
            None => defaults.load_factor_milli,
            Some(value) => load_factor_milli(value)?,
        },
        table_size: args.number("table-size", defaults.maglev_table_size)?,
        bench: args.switch("bench"),
    };
    if !(1..=MAX_NODES).contains(&parsed.nodes) {
        return Err(format!(
            "--nodes: must be 1 to {MAX_NODES}, got {}",
            parsed.nodes
        ));
    }
    if !(1..=MAX_VNODES).contains(&parsed.vnodes) {
        return Err(format!(
            "--vnodes: must be 1 to {MAX_VNODES}, got {}",
            parsed.vnodes
        ));
    }
    if !(1..=MAX_KEYS).contains(&parsed.keys) {
        return Err(format!(
            "--keys: must be 1 to {MAX_KEYS}, got {}",
            parsed.keys
        ));
    }
    if parsed.bench {
        return Ok(parsed);
    }
    if !strategy_given {
        return Err(format!("--strategy: missing (one of modulo, ring, rendezvous, jump, maglev, bounded, all)\n{USAGE}"));
    }
    match parsed.change {
        None => return Err(format!("--add or --remove: one is required\n{USAGE}")),
        Some(Change::Add(0)) => return Err("--add: must be at least 1".into()),
        Some(Change::Add(m)) if parsed.nodes.saturating_add(m) > MAX_NODES => {
            return Err(format!("--add: at most {MAX_NODES} nodes in all"))
        }
        Some(Change::Remove(m)) if m == 0 || m >= parsed.nodes => {
            return Err(format!(
                "--remove: must be 1 to {} (one node must stay), got {m}",
                parsed.nodes - 1
            ))
        }
        _ => {}
    }
    Ok(parsed)
}

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

/// Names the command-line flag behind a placement setting's error.
fn flag_for(error: &str) -> String {
    if error.starts_with("maglev_table_size") {
        format!(
            "--table-size: {}",
            error.trim_start_matches("maglev_table_size ")
        )
    } else if error.starts_with("vnodes") {
        format!("--vnodes: {error}")
    } else if error.starts_with("load factor") {
        format!("--load-factor: {error}")
    } else {
        error.to_string()
    }
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
