//! The flags of `faultline ring`, parsed and checked into `RingArgs`, with errors that name
//! the flag; the report and the benchmark both read the result.

use crate::cli::args::{number, Args, Flag};
use crate::sim::ring::keys::{Skew, MAX_KEYS};
use crate::sim::ring::strategy::{PlacementConfig, Strategy, MAX_VNODES};

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
pub(super) enum Which {
    One(Strategy),
    All,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Change {
    Add(u32),
    Remove(u32),
}

/// The settings of one `faultline ring` command, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RingArgs {
    pub(super) which: Which,
    pub(super) nodes: u32,
    pub(super) vnodes: u32,
    pub(super) keys: u32,
    pub(super) change: Option<Change>,
    pub(super) seed: u64,
    pub(super) skew: Skew,
    pub(super) load_factor_milli: u32,
    pub(super) table_size: u32,
    pub(super) bench: bool,
}

/// Parses a load factor such as `1.25` into thousandths.
pub(super) fn load_factor_milli(value: &str) -> Result<u32, String> {
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

pub(super) fn parse(raw: &[String]) -> Result<RingArgs, String> {
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

/// Names the command-line flag behind a placement setting's error.
pub(super) fn flag_for(error: &str) -> String {
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
