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

use super::keys::{KeySet, Skew, MAX_KEYS};
use super::membership::Membership;
use super::recompute::{Recompute, Report};
use super::stats::LoadStats;
use super::strategy::{PlacementConfig, Strategy, MAX_VNODES};
use super::theory::{modulo_moved_fraction, ring_load_rel_std_dev};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::NodeId;
use std::rc::Rc;

pub const USAGE: &str = "usage: faultline ring --strategy modulo|ring|rendezvous|jump|maglev|bounded|all \
--nodes N --vnodes V --keys K (--add M | --remove M) [--seed S] [--skew uniform|zipf] \
[--load-factor C] [--table-size M]\n       faultline ring --bench [--keys K] [--nodes N] [--vnodes V] [--seed S]";

/// The most nodes the command accepts.
pub const MAX_NODES: u32 = 10_000;

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

#[derive(Clone, Debug, PartialEq, Eq)]
struct Args {
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

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: expected a whole number, got {value:?}"))
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

fn parse(args: &[String]) -> Result<Args, String> {
    let defaults = PlacementConfig::default();
    let mut parsed = Args {
        which: Which::One(Strategy::Ring),
        nodes: 32,
        vnodes: defaults.vnodes,
        keys: 100_000,
        change: None,
        seed: 1,
        skew: Skew::Uniform,
        load_factor_milli: defaults.load_factor_milli,
        table_size: defaults.maglev_table_size,
        bench: false,
    };
    let mut strategy_given = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        if flag == "--bench" {
            parsed.bench = true;
            continue;
        }
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_string());
        }
        let known = [
            "--strategy",
            "--nodes",
            "--vnodes",
            "--keys",
            "--add",
            "--remove",
            "--seed",
            "--skew",
            "--load-factor",
            "--table-size",
        ];
        if !known.contains(&flag) {
            return Err(format!("unknown argument {arg:?}\n{USAGE}"));
        }
        let value = match inline {
            Some(value) => value,
            None => rest
                .next()
                .cloned()
                .ok_or_else(|| format!("{flag}: missing value"))?,
        };
        match flag {
            "--strategy" => {
                strategy_given = true;
                parsed.which = if value == "all" {
                    Which::All
                } else {
                    Which::One(value.parse().map_err(|e| format!("--strategy: {e}"))?)
                };
            }
            "--nodes" => parsed.nodes = number(flag, &value)?,
            "--vnodes" => parsed.vnodes = number(flag, &value)?,
            "--keys" => parsed.keys = number(flag, &value)?,
            "--add" | "--remove" => {
                if parsed.change.is_some() {
                    return Err(format!("{flag}: give only one of --add and --remove"));
                }
                let count = number(flag, &value)?;
                parsed.change = Some(if flag == "--add" {
                    Change::Add(count)
                } else {
                    Change::Remove(count)
                });
            }
            "--seed" => parsed.seed = number(flag, &value)?,
            "--skew" => parsed.skew = value.parse().map_err(|e| format!("--skew: {e}"))?,
            "--load-factor" => parsed.load_factor_milli = load_factor_milli(&value)?,
            _ => parsed.table_size = number(flag, &value)?,
        }
    }
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

fn names(ids: &[NodeId]) -> String {
    ids.iter()
        .map(|id| id.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn format_loads(label: &str, loads: &LoadStats, weighted: bool) -> String {
    let mut out = format!(
        "load {label}: mean {:.1} keys/node, min {:.0}, max {:.0}, max/mean {:.3}, rel std dev {:.4}\n",
        loads.keys.mean, loads.keys.min, loads.keys.max, loads.keys.max_over_mean, loads.keys.rel_std_dev
    );
    if weighted {
        out.push_str(&format!(
            "weighted load {label}: max/mean {:.3}, rel std dev {:.4}\n",
            loads.weight.max_over_mean, loads.weight.rel_std_dev
        ));
    }
    out.push_str(&format!("per node {label}:"));
    for (i, load) in loads.per_node.iter().enumerate() {
        if i > 0 && i % 8 == 0 {
            out.push_str(&format!("\nper node {label}:"));
        }
        out.push_str(&format!(" {}={}", load.node, load.keys));
    }
    out.push('\n');
    out
}

fn format_report(args: &Args, config: &PlacementConfig, report: &Report, change: &str) -> String {
    let n_before = report.before.per_node.len() as u32;
    let n_after = report.after.per_node.len() as u32;
    let mut out = format!(
        "strategy: {}  nodes: {} -> {} ({})  keys: {} ({})  seed: {}\n",
        report.strategy, n_before, n_after, change, report.keys, args.skew, args.seed
    );
    match report.strategy {
        Strategy::Ring | Strategy::Bounded => out.push_str(&format!(
            "vnodes: {}  (ring theory: rel std dev {:.4} before, 1/sqrt(V) = {:.4})\n",
            config.vnodes,
            ring_load_rel_std_dev(config.vnodes, n_before, report.keys),
            1.0 / (config.vnodes as f64).sqrt()
        )),
        Strategy::Maglev => out.push_str(&format!("table size: {}\n", config.maglev_table_size)),
        _ => {}
    }
    if let Some(capacity) = report.capacity_after {
        out.push_str(&format!(
            "load factor: {:.3}  capacity after: {} keys/node\n",
            config.load_factor_milli as f64 / 1000.0,
            capacity
        ));
    }
    let weighted = args.skew != Skew::Uniform;
    out.push_str(&format_loads("before", &report.before, weighted));
    out.push_str(&format_loads("after", &report.after, weighted));
    out.push_str(&format!(
        "lookup cost: {:.2} {} per key, {}; build {} ops\n",
        report.lookup.ops_per_key_mean,
        report.lookup.unit,
        report.lookup.complexity,
        report.lookup.build_ops
    ));
    let m = &report.movement;
    let ideal_label = match args.change {
        Some(Change::Add(1)) => format!("ideal 1/(n+1) = {:.4}", m.ideal_fraction),
        Some(Change::Add(_)) => format!("ideal M/(n+M) = {:.4}", m.ideal_fraction),
        _ => format!("ideal M/n = {:.4}", m.ideal_fraction),
    };
    out.push_str(&format!(
        "moved: {:.4} ({} of {} keys, {:.4} of weight); {}; modulo-N: {:.4}\n",
        m.moved_fraction,
        m.moved_keys,
        report.keys,
        m.moved_weight_fraction,
        ideal_label,
        modulo_moved_fraction(n_before, n_after)
    ));
    out
}

#[cfg(not(target_arch = "wasm32"))]
fn run_bench(args: &Args) -> Result<String, String> {
    use super::bench::{bench, format_results, BenchSetup};
    let setup = BenchSetup {
        keys: args.keys,
        nodes: args.nodes,
        vnodes: args.vnodes,
        seed: args.seed,
        ..BenchSetup::default()
    };
    // The only clock in the ring module: the benchmark measures the simulation from outside.
    let origin = std::time::Instant::now();
    let results = bench(&setup, &mut || origin.elapsed().as_micros() as u64)?;
    Ok(format_results(&setup, &results))
}

#[cfg(target_arch = "wasm32")]
fn run_bench(_: &Args) -> Result<String, String> {
    Err("--bench: only the native command line has a clock; the page times itself".into())
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
