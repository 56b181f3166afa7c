//! The engine's faults ([`Fault`]) in the scenario files of engine runs
//! ([`super::run_scenario`]), spelled as Raft's scenario files spell the same actions
//! (docs/scenario-format.md): `{"action": "crash", "node": 2, "mode": "lose_unsynced"}`.

use super::fields::actions::CRASH_MODES;
use super::json::{at_line, Json};
use super::run_scenario::unknown_value;
use super::scenario_json::object;
use crate::i18n::Text;
use crate::sim::disk::CrashMode;
use crate::sim::engine::Fault;
use crate::sim::net::NetConfig;
use crate::sim::types::{MsgId, NodeId};
use std::fmt::Write;

/// The fault names a file may use.
pub const NAMES: [&str; 8] = [
    "crash",
    "restart",
    "partition",
    "heal",
    "cut",
    "repair",
    "set_network",
    "drop_message",
];

/// The fields of `set_network`'s `network`, as Raft's files name them.
const NETWORK_FIELDS: [&str; 5] = [
    "latency_us_min",
    "latency_us_max",
    "loss_ppm",
    "duplicate_ppm",
    "bandwidth_bytes_per_s",
];

/// Reads the fault named `name` from its object (`None`: `name` is not a fault).
pub fn read(name: &str, node: &Json) -> Option<Result<Fault, Text>> {
    let known: &[&str] = match name {
        "crash" => &["action", "node", "mode"],
        "restart" => &["action", "node"],
        "partition" => &["action", "groups"],
        "heal" => &["action"],
        "cut" | "repair" => &["action", "from", "to", "both"],
        "set_network" => &["action", "network"],
        "drop_message" => &["action", "id"],
        _ => return None,
    };
    Some(object(node, &format!("action `{name}`"), known).and_then(|_| fault(name, node)))
}

fn fault(name: &str, node: &Json) -> Result<Fault, Text> {
    let line = node.line;
    let required = |k: &str| {
        node.get(k)
            .ok_or_else(|| at_line(line, Text::new("json.missing").with("field", k)))
    };
    let whole = |k: &str| -> Result<u64, Text> {
        let v = required(k)?;
        v.as_u64().ok_or_else(|| {
            at_line(
                v.line,
                Text::new("json.field_not_whole")
                    .with("field", k)
                    .with_text("kind", v.kind_text()),
            )
        })
    };
    let node_id = |k: &str| -> Result<NodeId, Text> {
        u32::try_from(whole(k)?)
            .map(NodeId)
            .map_err(|_| at_line(line, Text::new("json.too_large").with("field", k)))
    };
    let both = || -> Result<bool, Text> {
        match node.get("both") {
            None => Ok(false),
            Some(v) => v
                .as_bool()
                .ok_or_else(|| at_line(v.line, Text::new("json.not_bool").with("field", "both"))),
        }
    };
    Ok(match name {
        "crash" => Fault::Crash {
            node: node_id("node")?,
            mode: crash_mode(node)?,
        },
        "restart" => Fault::Restart {
            node: node_id("node")?,
        },
        "partition" => {
            let list = required("groups")?;
            let groups = list.as_array().ok_or_else(|| {
                at_line(
                    list.line,
                    Text::new("json.not_array").with("field", "groups"),
                )
            })?;
            let mut out = Vec::with_capacity(groups.len());
            for g in groups {
                let members = g
                    .as_array()
                    .ok_or_else(|| at_line(g.line, Text::new("json.group_not_array")))?;
                let mut group = Vec::with_capacity(members.len());
                for m in members {
                    let n = m
                        .as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or_else(|| at_line(m.line, Text::new("json.group_not_array")))?;
                    group.push(NodeId(n));
                }
                out.push(group);
            }
            Fault::Partition { groups: out }
        }
        "heal" => Fault::Heal,
        "cut" => Fault::Cut {
            from: node_id("from")?,
            to: node_id("to")?,
            both: both()?,
        },
        "repair" => Fault::Repair {
            from: node_id("from")?,
            to: node_id("to")?,
            both: both()?,
        },
        "set_network" => {
            let n = required("network")?;
            object(n, "network", &NETWORK_FIELDS)?;
            let mut network = NetConfig::default();
            for (k, v) in n.members().unwrap_or_default() {
                let x = v.as_u64().ok_or_else(|| {
                    at_line(
                        v.line,
                        Text::new("json.field_not_whole")
                            .with("field", k)
                            .with_text("kind", v.kind_text()),
                    )
                })?;
                let small = || {
                    u32::try_from(x)
                        .map_err(|_| at_line(v.line, Text::new("json.too_large").with("field", k)))
                };
                match k.as_str() {
                    "latency_us_min" => network.latency_us_min = x,
                    "latency_us_max" => network.latency_us_max = x,
                    "loss_ppm" => network.loss_ppm = small()?,
                    "duplicate_ppm" => network.duplicate_ppm = small()?,
                    _ => network.bandwidth_bytes_per_s = x,
                }
            }
            network.validate().map_err(|e| at_line(n.line, e))?;
            Fault::SetNetwork { network }
        }
        _ => Fault::DropMessage {
            id: MsgId(whole("id")?),
        },
    })
}

/// A crash's `mode` (`clean` when left out).
pub fn crash_mode(node: &Json) -> Result<CrashMode, Text> {
    let Some(v) = node.get("mode") else {
        return Ok(CrashMode::Clean);
    };
    let word = v
        .as_str()
        .ok_or_else(|| at_line(v.line, Text::new("json.not_string").with("field", "mode")))?;
    CRASH_MODES
        .iter()
        .find(|(n, _)| *n == word)
        .map(|(_, m)| *m)
        .ok_or_else(|| unknown_value(v.line, "mode", word, &CRASH_MODES.map(|(n, _)| n)))
}

/// The name a file gives crash mode `mode`.
pub fn crash_mode_name(mode: CrashMode) -> &'static str {
    CRASH_MODES
        .iter()
        .find(|(_, m)| *m == mode)
        .map_or("clean", |(n, _)| n)
}

/// Writes `fault` as the members of its object: `"action": "crash", "node": 2`.
pub fn write(out: &mut String, fault: &Fault) {
    match fault {
        Fault::Crash { node, mode } => {
            let _ = write!(out, "\"action\": \"crash\", \"node\": {}", node.0);
            if *mode != CrashMode::Clean {
                let _ = write!(out, ", \"mode\": \"{}\"", crash_mode_name(*mode));
            }
        }
        Fault::Restart { node } => {
            let _ = write!(out, "\"action\": \"restart\", \"node\": {}", node.0);
        }
        Fault::Partition { groups } => {
            let groups: Vec<String> = groups
                .iter()
                .map(|g| {
                    let ids: Vec<String> = g.iter().map(|n| n.0.to_string()).collect();
                    format!("[{}]", ids.join(", "))
                })
                .collect();
            let _ = write!(
                out,
                "\"action\": \"partition\", \"groups\": [{}]",
                groups.join(", ")
            );
        }
        Fault::Heal => out.push_str("\"action\": \"heal\""),
        Fault::Cut { from, to, both } | Fault::Repair { from, to, both } => {
            let name = if matches!(fault, Fault::Cut { .. }) {
                "cut"
            } else {
                "repair"
            };
            let _ = write!(
                out,
                "\"action\": \"{name}\", \"from\": {}, \"to\": {}, \"both\": {both}",
                from.0, to.0
            );
        }
        Fault::SetNetwork { network: n } => {
            let _ = write!(
                out,
                "\"action\": \"set_network\", \"network\": {{ \"latency_us_min\": {}, \"latency_us_max\": {}, \"loss_ppm\": {}, \"duplicate_ppm\": {}, \"bandwidth_bytes_per_s\": {} }}",
                n.latency_us_min, n.latency_us_max, n.loss_ppm, n.duplicate_ppm, n.bandwidth_bytes_per_s
            );
        }
        Fault::DropMessage { id } => {
            let _ = write!(out, "\"action\": \"drop_message\", \"id\": {}", id.0);
        }
    }
}
