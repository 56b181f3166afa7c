//! The text `faultline ring` prints for one strategy: loads before and after, lookup cost and
//! the keys moved, beside what theory predicts.

use super::flags::{Change, RingArgs};
use crate::sim::ring::keys::Skew;
use crate::sim::ring::recompute::Report;
use crate::sim::ring::stats::LoadStats;
use crate::sim::ring::strategy::{PlacementConfig, Strategy};
use crate::sim::ring::theory::{modulo_moved_fraction, ring_load_rel_std_dev};
use crate::sim::types::NodeId;

pub(super) fn names(ids: &[NodeId]) -> String {
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

pub(super) fn format_report(
    args: &RingArgs,
    config: &PlacementConfig,
    report: &Report,
    change: &str,
) -> String {
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
