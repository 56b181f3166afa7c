//! Reads the scenario types (`Settings`, `Action`) from a [`Json`] tree by hand, in exactly
//! the shape their serde derives define (docs/scenario-format.md): every settings field
//! optional with its default, unknown fields refused. It exists for size: serde's derived
//! deserializers, instantiated for the page, cost about 75 KB of gzipped wasm, while this
//! costs a few. `tests/lessons.rs` checks that it agrees with serde on every lesson file.

use crate::codec::json::{at_line, Json, Value};
use crate::i18n::Text;
use crate::sim::action::{Action, TimedAction};
use crate::sim::disk::{CrashMode, DiskConfig, SyncPolicy};
use crate::sim::net::NetConfig;
use crate::sim::raft::{Bugs, Command, RaftConfig};
use crate::sim::settings::{Settings, Workload};
use crate::sim::types::{ClientId, MsgId, NodeId, MICROS_PER_MS};

type Members<'a> = &'a [(String, Json)];

/// The members of an object, refusing any key not in `known`.
pub(crate) fn object<'a>(node: &'a Json, what: &str, known: &[&str]) -> Result<Members<'a>, Text> {
    let members = node.members().ok_or_else(|| {
        at_line(
            node.line,
            Text::new("json.not_object")
                .with("what", what)
                .with_text("kind", node.kind_text()),
        )
    })?;
    for (k, v) in members {
        if !known.contains(&k.as_str()) {
            return Err(at_line(
                v.line,
                Text::new("json.unknown_field")
                    .with("field", k)
                    .with("what", what)
                    .with("known", known.join(", ")),
            ));
        }
    }
    Ok(members)
}

fn u64_of(v: &Json, field: &str) -> Result<u64, Text> {
    v.as_u64().ok_or_else(|| {
        at_line(
            v.line,
            Text::new("json.field_not_whole")
                .with("field", field)
                .with_text("kind", v.kind_text()),
        )
    })
}

fn u32_of(v: &Json, field: &str) -> Result<u32, Text> {
    u32::try_from(u64_of(v, field)?)
        .map_err(|_| at_line(v.line, Text::new("json.too_large").with("field", field)))
}

fn bool_of(v: &Json, field: &str) -> Result<bool, Text> {
    v.as_bool()
        .ok_or_else(|| at_line(v.line, Text::new("json.not_bool").with("field", field)))
}

fn string_of(v: &Json, field: &str) -> Result<String, Text> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| at_line(v.line, Text::new("json.not_string").with("field", field)))
}

fn required<'a>(node: &'a Json, members: Members<'a>, field: &str) -> Result<&'a Json, Text> {
    members
        .iter()
        .find(|(k, _)| k == field)
        .map(|(_, v)| v)
        .ok_or_else(|| at_line(node.line, Text::new("json.missing").with("field", field)))
}

/// Settings as in a scenario file's `settings`.
pub(crate) fn settings(node: &Json) -> Result<Settings, Text> {
    let mut s = Settings::default();
    for (k, v) in object(
        node,
        "settings",
        &["nodes", "seed", "raft", "network", "disk", "workload"],
    )? {
        match k.as_str() {
            "nodes" => s.nodes = u32_of(v, k)?,
            "seed" => s.seed = u64_of(v, k)?,
            "raft" => s.raft = raft(v)?,
            "network" => s.network = network(v)?,
            "disk" => s.disk = disk(v)?,
            _ => s.workload = workload(v)?,
        }
    }
    Ok(s)
}

pub(crate) fn raft(node: &Json) -> Result<RaftConfig, Text> {
    let mut r = RaftConfig::default();
    for (k, v) in object(
        node,
        "raft",
        &[
            "election_timeout_us_min",
            "election_timeout_us_max",
            "election_timeout_granularity_us",
            "heartbeat_interval_us",
            "pre_vote",
            "check_quorum",
            "max_entries_per_append",
            "snapshot_every_entries",
            "bugs",
        ],
    )? {
        match k.as_str() {
            "election_timeout_us_min" => r.election_timeout_us_min = u64_of(v, k)?,
            "election_timeout_us_max" => r.election_timeout_us_max = u64_of(v, k)?,
            "election_timeout_granularity_us" => r.election_timeout_granularity_us = u64_of(v, k)?,
            "heartbeat_interval_us" => r.heartbeat_interval_us = u64_of(v, k)?,
            "pre_vote" => r.pre_vote = bool_of(v, k)?,
            "check_quorum" => r.check_quorum = bool_of(v, k)?,
            "max_entries_per_append" => r.max_entries_per_append = u32_of(v, k)?,
            "snapshot_every_entries" => {
                r.snapshot_every_entries = match v.value {
                    Value::Null => None,
                    _ => Some(u64_of(v, k)?),
                }
            }
            _ => r.bugs = bugs(v)?,
        }
    }
    Ok(r)
}

fn bugs(node: &Json) -> Result<Bugs, Text> {
    let mut b = Bugs::default();
    for (k, v) in object(
        node,
        "bugs",
        &[
            "commit_previous_term_by_count",
            "vote_without_log_check",
            "forget_vote_on_restart",
        ],
    )? {
        let on = bool_of(v, k)?;
        match k.as_str() {
            "commit_previous_term_by_count" => b.commit_previous_term_by_count = on,
            "vote_without_log_check" => b.vote_without_log_check = on,
            _ => b.forget_vote_on_restart = on,
        }
    }
    Ok(b)
}

pub(crate) fn network(node: &Json) -> Result<NetConfig, Text> {
    let mut n = NetConfig::default();
    for (k, v) in object(
        node,
        "network",
        &[
            "latency_us_min",
            "latency_us_max",
            "loss_ppm",
            "duplicate_ppm",
            "bandwidth_bytes_per_s",
        ],
    )? {
        match k.as_str() {
            "latency_us_min" => n.latency_us_min = u64_of(v, k)?,
            "latency_us_max" => n.latency_us_max = u64_of(v, k)?,
            "loss_ppm" => n.loss_ppm = u32_of(v, k)?,
            "duplicate_ppm" => n.duplicate_ppm = u32_of(v, k)?,
            _ => n.bandwidth_bytes_per_s = u64_of(v, k)?,
        }
    }
    Ok(n)
}

fn disk(node: &Json) -> Result<DiskConfig, Text> {
    let mut d = DiskConfig::default();
    for (k, v) in object(
        node,
        "disk",
        &[
            "sync",
            "sync_latency_us",
            "replay_us_per_entry",
            "load_us_per_snapshot_kb",
        ],
    )? {
        match k.as_str() {
            "sync" => d.sync = sync_policy(v)?,
            "sync_latency_us" => d.sync_latency_us = u64_of(v, k)?,
            "replay_us_per_entry" => d.replay_us_per_entry = u64_of(v, k)?,
            _ => d.load_us_per_snapshot_kb = u64_of(v, k)?,
        }
    }
    Ok(d)
}

fn sync_policy(node: &Json) -> Result<SyncPolicy, Text> {
    let members = object(node, "sync", &["policy", "interval_us"])?;
    let policy = string_of(required(node, members, "policy")?, "policy")?;
    let interval = members.iter().find(|(k, _)| k == "interval_us");
    match (policy.as_str(), interval) {
        ("every_write", None) => Ok(SyncPolicy::EveryWrite),
        ("never", None) => Ok(SyncPolicy::Never),
        ("interval", Some((k, v))) => Ok(SyncPolicy::Interval {
            interval_us: u64_of(v, k)?,
        }),
        ("interval", None) => Err(at_line(
            node.line,
            Text::new("json.missing").with("field", "interval_us"),
        )),
        ("every_write" | "never", Some(_)) => {
            Err(at_line(node.line, Text::new("json.interval_only")))
        }
        (other, _) => Err(at_line(
            node.line,
            Text::new("json.unknown_value")
                .with("field", "policy")
                .with("value", other)
                .with("known", "every_write, interval, never"),
        )),
    }
}

fn workload(node: &Json) -> Result<Workload, Text> {
    let mut w = Workload::default();
    for (k, v) in object(
        node,
        "workload",
        &[
            "clients",
            "think_us_min",
            "think_us_max",
            "keys",
            "request_timeout_us",
            "get_ppm",
            "cas_ppm",
            "delete_ppm",
        ],
    )? {
        match k.as_str() {
            "clients" => w.clients = u32_of(v, k)?,
            "think_us_min" => w.think_us_min = u64_of(v, k)?,
            "think_us_max" => w.think_us_max = u64_of(v, k)?,
            "keys" => w.keys = u32_of(v, k)?,
            "request_timeout_us" => w.request_timeout_us = u64_of(v, k)?,
            "get_ppm" => w.get_ppm = u32_of(v, k)?,
            "cas_ppm" => w.cas_ppm = u32_of(v, k)?,
            _ => w.delete_ppm = u32_of(v, k)?,
        }
    }
    Ok(w)
}

fn command(node: &Json) -> Result<Command, Text> {
    let members = object(node, "cmd", &["op", "key", "value", "expected"])?;
    let op = string_of(required(node, members, "op")?, "op")?;
    let text = |field: &str| string_of(required(node, members, field)?, field);
    let refuse = |fields: &[&str]| -> Result<(), Text> {
        match members.iter().find(|(k, _)| fields.contains(&k.as_str())) {
            Some((k, v)) => Err(at_line(
                v.line,
                Text::new("json.unknown_field")
                    .with("field", k)
                    .with("what", format!("op \"{op}\""))
                    .with("known", "op, key, value, expected"),
            )),
            None => Ok(()),
        }
    };
    Ok(match op.as_str() {
        "noop" => {
            refuse(&["key", "value", "expected"])?;
            Command::Noop
        }
        "put" => {
            refuse(&["expected"])?;
            Command::Put {
                key: text("key")?,
                value: text("value")?,
            }
        }
        "get" | "delete" => {
            refuse(&["value", "expected"])?;
            let key = text("key")?;
            if op == "get" {
                Command::Get { key }
            } else {
                Command::Delete { key }
            }
        }
        "cas" => Command::Cas {
            key: text("key")?,
            value: text("value")?,
            expected: match members.iter().find(|(k, _)| k == "expected") {
                None => None,
                Some((_, v)) if v.value == Value::Null => None,
                Some((k, v)) => Some(string_of(v, k)?),
            },
        },
        other => {
            return Err(at_line(
                node.line,
                Text::new("json.unknown_value")
                    .with("field", "op")
                    .with("value", other)
                    .with("known", "noop, put, get, delete, cas"),
            ))
        }
    })
}

/// One timed action as scenario and lesson files write it: its time (`at_ms` or `at_us`),
/// then its `action` tag and fields, checked against a cluster of `nodes`.
pub(crate) fn timed_action(item: &Json, nodes: u32) -> Result<TimedAction, Text> {
    let line = item.line;
    let whole = |v: &Json, k: &str| {
        v.as_u64().ok_or_else(|| {
            at_line(
                line,
                Text::new("json.field_not_whole")
                    .with("field", k)
                    .with_text("kind", v.kind_text()),
            )
        })
    };
    let at_us = match (item.get("at_ms"), item.get("at_us")) {
        (Some(v), None) => whole(v, "at_ms")?
            .checked_mul(MICROS_PER_MS)
            .ok_or_else(|| at_line(line, Text::new("json.too_large").with("field", "at_ms")))?,
        (None, Some(v)) => whole(v, "at_us")?,
        (None, None) => {
            return Err(at_line(
                line,
                Text::new("json.missing").with("field", "at_ms"),
            ))
        }
        (Some(_), Some(_)) => return Err(at_line(line, Text::new("json.at_both"))),
    };
    let action = action(&item.without(&["at_ms", "at_us"]))?;
    action.validate(nodes).map_err(|e| at_line(line, e))?;
    Ok(TimedAction { at_us, action })
}

/// One action (its `action` tag and fields; the time is read by the caller).
pub(crate) fn action(node: &Json) -> Result<Action, Text> {
    let members = node.members().ok_or_else(|| {
        at_line(
            node.line,
            Text::new("json.not_object")
                .with("what", "action")
                .with_text("kind", node.kind_text()),
        )
    })?;
    let name = string_of(required(node, members, "action")?, "action")?;
    let fields: &[&str] = match name.as_str() {
        "crash" => &["action", "node", "mode"],
        "restart" | "timeout" | "snapshot" => &["action", "node"],
        "request" => &["action", "node", "cmd"],
        "request_from" => &["action", "client", "node", "cmd"],
        "transfer" => &["action", "to"],
        "partition" => &["action", "groups"],
        "heal" => &["action"],
        "cut" | "repair" => &["action", "from", "to", "both"],
        "set_network" => &["action", "network"],
        "set_raft" => &["action", "raft"],
        "drop_message" => &["action", "id"],
        other => {
            return Err(at_line(
                node.line,
                Text::new("json.unknown_value")
                    .with("field", "action")
                    .with("value", other)
                    .with("known", "crash, restart, timeout, request, request_from, transfer, snapshot, partition, heal, cut, repair, set_network, set_raft, drop_message"),
            ))
        }
    };
    let members = object(node, &format!("action `{name}`"), fields)?;
    let field = |f: &str| required(node, members, f);
    let node_id = |f: &str| -> Result<NodeId, Text> { Ok(NodeId(u32_of(field(f)?, f)?)) };
    let both = || -> Result<bool, Text> {
        match members.iter().find(|(k, _)| k == "both") {
            Some((k, v)) => bool_of(v, k),
            None => Ok(false),
        }
    };
    Ok(match name.as_str() {
        "crash" => Action::Crash {
            node: node_id("node")?,
            mode: match members.iter().find(|(k, _)| k == "mode") {
                None => CrashMode::Clean,
                Some((k, v)) => match string_of(v, k)?.as_str() {
                    "clean" => CrashMode::Clean,
                    "lose_unsynced" => CrashMode::LoseUnsynced,
                    "tear_last" => CrashMode::TearLast,
                    other => {
                        return Err(at_line(
                            v.line,
                            Text::new("json.unknown_value")
                                .with("field", "mode")
                                .with("value", other)
                                .with("known", "clean, lose_unsynced, tear_last"),
                        ))
                    }
                },
            },
        },
        "restart" => Action::Restart {
            node: node_id("node")?,
        },
        "timeout" => Action::Timeout {
            node: node_id("node")?,
        },
        "snapshot" => Action::Snapshot {
            node: node_id("node")?,
        },
        "request" => Action::Request {
            node: node_id("node")?,
            cmd: command(field("cmd")?)?,
        },
        "request_from" => Action::RequestFrom {
            // `Action::validate` refuses workload clients (below FIRST_MANUAL_CLIENT).
            client: ClientId(u32_of(field("client")?, "client")?),
            node: node_id("node")?,
            cmd: command(field("cmd")?)?,
        },
        "transfer" => Action::Transfer { to: node_id("to")? },
        "partition" => {
            let groups = field("groups")?;
            let outer = groups.as_array().ok_or_else(|| {
                at_line(
                    groups.line,
                    Text::new("json.not_array").with("field", "groups"),
                )
            })?;
            let mut out = Vec::with_capacity(outer.len());
            for g in outer {
                let inner = g
                    .as_array()
                    .ok_or_else(|| at_line(g.line, Text::new("json.group_not_array")))?;
                out.push(
                    inner
                        .iter()
                        .map(|n| u32_of(n, "groups").map(NodeId))
                        .collect::<Result<Vec<_>, _>>()?,
                );
            }
            Action::Partition { groups: out }
        }
        "heal" => Action::Heal,
        "cut" => Action::Cut {
            from: node_id("from")?,
            to: node_id("to")?,
            both: both()?,
        },
        "repair" => Action::Repair {
            from: node_id("from")?,
            to: node_id("to")?,
            both: both()?,
        },
        "set_network" => Action::SetNetwork {
            network: network(field("network")?)?,
        },
        "set_raft" => Action::SetRaft {
            raft: raft(field("raft")?)?,
        },
        _ => Action::DropMessage {
            id: MsgId(u64_of(field("id")?, "id")?),
        },
    })
}
