//! Reads the scenario types (`Settings`, `Action`) from a [`Json`] tree by walking their
//! field tables ([`crate::codec::fields`]), in exactly the shape their serde derives define
//! (docs/scenario-format.md): every settings field optional with its default, unknown fields
//! refused. Scenario files (page and command line) and lessons read runs with it. It exists
//! for size: serde's derived deserializers, instantiated for the page, cost about 75 KB of
//! gzipped wasm, while this costs a few. The tests below check that it agrees with serde
//! (serde_json over the same text) on every variant.

use super::fields::actions::{self, ActionValue, ACTIONS, CRASH_MODES};
use super::fields::settings::SETTINGS;
use super::fields::{self, Field, Presence, Value};
use super::json::{at_line, Json, Value as JsonValue};
use crate::i18n::Text;
use crate::sim::raft::action::{Action, TimedAction};
use crate::sim::raft::settings::Settings;
use crate::sim::raft::Command;
use crate::sim::types::{ClientId, Micros, MsgId, NodeId, MICROS_PER_MS};

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
pub fn settings(node: &Json) -> Result<Settings, Text> {
    let mut s = Settings::default();
    read_object(node, "settings", SETTINGS, &mut s)?;
    Ok(s)
}

/// Reads the members of `node` into `s` by `table`, in table order: every field optional
/// (absent keeps its value) unless the table says otherwise, unknown members refused.
fn read_object(
    node: &Json,
    what: &str,
    table: &'static [Field<Settings>],
    s: &mut Settings,
) -> Result<(), Text> {
    let known: Vec<&str> = table.iter().map(|f| f.name).collect();
    let members = object(node, what, &known)?;
    for f in table {
        let found = members.iter().find(|(k, _)| k == f.name).map(|(_, v)| v);
        let v = match (found, fields::wanted(table, f, s)) {
            (None, Some(true)) => {
                return Err(at_line(
                    node.line,
                    Text::new("json.missing").with("field", f.name),
                ))
            }
            (Some(_), Some(false)) => return Err(at_line(node.line, only_with(table, f))),
            (None, _) => continue,
            (Some(v), _) => v,
        };
        let k = f.name;
        match f.value {
            Value::U64(_, set) => set(s, u64_of(v, k)?),
            Value::U32(_, set) => set(s, u32_of(v, k)?),
            Value::Bool(_, set) => set(s, bool_of(v, k)?),
            Value::OptionU64(_, set) => match v.value {
                JsonValue::Null => set(s, None),
                _ => set(s, Some(u64_of(v, k)?)),
            },
            Value::Choice(names, _, set) => {
                let name = string_of(v, k)?;
                let code = names
                    .iter()
                    .position(|n| *n == name)
                    .ok_or_else(|| unknown_value(v.line, k, &name, names))?;
                set(s, code as u64)
            }
            Value::Object(inner) => read_object(v, k, inner, s)?,
        }
    }
    Ok(())
}

/// "`interval_us` only goes with policy "interval"": `f` is present when its condition does
/// not hold.
fn only_with(table: &'static [Field<Settings>], f: &Field<Settings>) -> Text {
    let Presence::When { tag, code } = f.presence else {
        return Text::new("json.missing").with("field", f.name);
    };
    let (choice, value) = table
        .iter()
        .find_map(|c| match c.value {
            Value::Choice(names, ..) if c.link.tag() == Some(tag) => {
                Some((c.name, names.get(code as usize).copied().unwrap_or("")))
            }
            _ => None,
        })
        .unwrap_or(("", ""));
    Text::new("json.only_with")
        .with("field", f.name)
        .with("choice", choice)
        .with("value", value)
}

pub(crate) fn unknown_value(line: u32, field: &str, value: &str, known: &[&str]) -> Text {
    at_line(
        line,
        Text::new("json.unknown_value")
            .with("field", field)
            .with("value", value)
            .with("known", known.join(", ")),
    )
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
                Some((_, v)) if v.value == JsonValue::Null => None,
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
pub fn timed_action(item: &Json, nodes: u32) -> Result<TimedAction, Text> {
    let at_us = at_us_of(item)?;
    let action = action(&item.without(&["at_ms", "at_us"]))?;
    action.validate(nodes).map_err(|e| at_line(item.line, e))?;
    Ok(TimedAction { at_us, action })
}

/// A scenario file's `version`: present, and `expected`, the one this build reads.
pub(crate) fn check_version(version: Option<&Json>, expected: u32) -> Result<(), Text> {
    match version.and_then(Json::as_u64) {
        Some(v) if v == u64::from(expected) => Ok(()),
        Some(v) => Err(Text::new("error.file.version")
            .with("version", v)
            .with("expected", expected)),
        None => Err(Text::new("error.file.no_version")),
    }
}

/// An action's moment: `at_ms` or `at_us`, exactly one of them (every scenario file's actions,
/// Raft's and the other protocols').
pub(crate) fn at_us_of(item: &Json) -> Result<Micros, Text> {
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
    match (item.get("at_ms"), item.get("at_us")) {
        (Some(v), None) => whole(v, "at_ms")?
            .checked_mul(MICROS_PER_MS)
            .ok_or_else(|| at_line(line, Text::new("json.too_large").with("field", "at_ms"))),
        (None, Some(v)) => whole(v, "at_us"),
        (None, None) => Err(at_line(
            line,
            Text::new("json.missing").with("field", "at_ms"),
        )),
        (Some(_), Some(_)) => Err(at_line(line, Text::new("json.at_both"))),
    }
}

/// One action (its `action` tag and fields; the time is read by the caller).
pub fn action(node: &Json) -> Result<Action, Text> {
    let members = node.members().ok_or_else(|| {
        at_line(
            node.line,
            Text::new("json.not_object")
                .with("what", "action")
                .with_text("kind", node.kind_text()),
        )
    })?;
    let name = string_of(required(node, members, "action")?, "action")?;
    let variant = actions::by_name(&name).ok_or_else(|| {
        let mut known: Vec<&str> = Vec::new();
        for v in ACTIONS {
            if !known.contains(&v.name) {
                known.push(v.name);
            }
        }
        unknown_value(node.line, "action", &name, &known)
    })?;
    let mut known = vec!["action"];
    known.extend(variant.fields.iter().map(|f| f.name));
    let members = object(node, &format!("action `{name}`"), &known)?;
    let mut a = (variant.new)();
    for f in variant.fields {
        let k = f.name;
        let v = match members.iter().find(|(m, _)| m == k) {
            Some((_, v)) => v,
            None if f.optional => continue,
            None => {
                return Err(at_line(
                    node.line,
                    Text::new("json.missing").with("field", k),
                ))
            }
        };
        match f.value {
            ActionValue::Node(_, set) => set(&mut a, NodeId(u32_of(v, k)?)),
            // `Action::validate` refuses workload clients (below FIRST_MANUAL_CLIENT).
            ActionValue::Client(_, set) => set(&mut a, ClientId(u32_of(v, k)?)),
            ActionValue::CrashMode(_, set) => {
                let mode = string_of(v, k)?;
                let (_, m) = CRASH_MODES
                    .iter()
                    .find(|(n, _)| *n == mode)
                    .ok_or_else(|| {
                        let names = CRASH_MODES.map(|(n, _)| n);
                        unknown_value(v.line, k, &mode, &names)
                    })?;
                set(&mut a, *m)
            }
            ActionValue::Bool(_, set) => set(&mut a, bool_of(v, k)?),
            ActionValue::MessageId(_, set) => set(&mut a, MsgId(u64_of(v, k)?)),
            ActionValue::Command(_, set) => set(&mut a, command(v)?),
            ActionValue::Groups(_, set) => {
                let outer = v
                    .as_array()
                    .ok_or_else(|| at_line(v.line, Text::new("json.not_array").with("field", k)))?;
                let mut groups = Vec::with_capacity(outer.len());
                for g in outer {
                    let inner = g
                        .as_array()
                        .ok_or_else(|| at_line(g.line, Text::new("json.group_not_array")))?;
                    groups.push(
                        inner
                            .iter()
                            .map(|n| u32_of(n, k).map(NodeId))
                            .collect::<Result<Vec<_>, _>>()?,
                    );
                }
                set(&mut a, groups)
            }
            ActionValue::Settings { table, take, .. } => {
                let mut s = Settings::default();
                read_object(v, k, table, &mut s)?;
                take(&mut a, &s)
            }
        }
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::json::parse;
    use crate::sim::disk::{CrashMode, SyncPolicy};
    use crate::sim::net::NetConfig;
    use crate::sim::raft::settings::Workload;
    use crate::sim::raft::{Bugs, RaftConfig};
    use crate::sim::types::MICROS_PER_MS;

    /// Every action variant and command, with every optional field set and unset.
    fn every_action() -> Vec<Action> {
        let put = Command::Put {
            key: "x".into(),
            value: "é\"1".into(),
        };
        vec![
            Action::Crash {
                node: NodeId(2),
                mode: CrashMode::Clean,
            },
            Action::Crash {
                node: NodeId(2),
                mode: CrashMode::LoseUnsynced,
            },
            Action::Crash {
                node: NodeId(2),
                mode: CrashMode::TearLast,
            },
            Action::Restart { node: NodeId(1) },
            Action::Timeout { node: NodeId(3) },
            Action::Snapshot { node: NodeId(4) },
            Action::Request {
                node: NodeId(1),
                cmd: put.clone(),
            },
            Action::Request {
                node: NodeId(1),
                cmd: Command::Noop,
            },
            Action::Request {
                node: NodeId(1),
                cmd: Command::Get { key: "k".into() },
            },
            Action::Request {
                node: NodeId(1),
                cmd: Command::Delete { key: "k".into() },
            },
            Action::RequestFrom {
                client: ClientId(101),
                node: NodeId(5),
                cmd: Command::Cas {
                    key: "k".into(),
                    expected: Some("1".into()),
                    value: "2".into(),
                },
            },
            Action::RequestFrom {
                client: ClientId(102),
                node: NodeId(5),
                cmd: Command::Cas {
                    key: "k".into(),
                    expected: None,
                    value: "2".into(),
                },
            },
            Action::Transfer { to: NodeId(3) },
            Action::Partition {
                groups: vec![vec![NodeId(1), NodeId(2)], vec![NodeId(3)]],
            },
            Action::Heal,
            Action::Cut {
                from: NodeId(1),
                to: NodeId(2),
                both: true,
            },
            Action::Repair {
                from: NodeId(1),
                to: NodeId(2),
                both: false,
            },
            Action::SetNetwork {
                network: NetConfig {
                    latency_us_min: 1,
                    latency_us_max: 2,
                    loss_ppm: 3,
                    duplicate_ppm: 4,
                    bandwidth_bytes_per_s: 5,
                },
            },
            Action::SetRaft {
                raft: RaftConfig {
                    election_timeout_us_min: 7,
                    election_timeout_us_max: 8,
                    election_timeout_granularity_us: 12,
                    heartbeat_interval_us: 9,
                    pre_vote: true,
                    check_quorum: true,
                    max_entries_per_append: 10,
                    snapshot_every_entries: Some(11),
                    voters_initial: 0,
                    joint_consensus: false,
                    bugs: Bugs {
                        commit_previous_term_by_count: true,
                        vote_without_log_check: true,
                        forget_vote_on_restart: true,
                        ..Bugs::default()
                    },
                },
            },
            Action::DropMessage { id: MsgId(77) },
        ]
    }

    fn every_setting() -> Settings {
        let mut s = Settings {
            nodes: 7,
            seed: 123_456_789_012,
            ..Settings::default()
        };
        s.raft.snapshot_every_entries = Some(25);
        s.raft.election_timeout_granularity_us = MICROS_PER_MS;
        s.raft.bugs.vote_without_log_check = true;
        s.network.loss_ppm = 50_000;
        s.network.latency_us_max = 30 * MICROS_PER_MS;
        s.disk.sync = SyncPolicy::Interval { interval_us: 5_000 };
        s.disk.sync_latency_us = 100;
        s.disk.replay_us_per_entry = 4_000;
        s.disk.load_us_per_snapshot_kb = 2_000;
        s.workload = Workload {
            clients: 3,
            think_us_min: 1,
            think_us_max: 2,
            keys: 4,
            request_timeout_us: 5,
            get_ppm: 6,
            cas_ppm: 7,
            delete_ppm: 8,
        };
        s
    }

    /// The hand-written reader and the serde derives read the same text to the same values,
    /// for what serde writes (every field) and for hand-written files (defaults left out).
    #[test]
    fn agrees_with_serde_on_every_variant() {
        for a in every_action() {
            let text = serde_json::to_string(&a).unwrap();
            let tree = parse(&text).unwrap();
            assert_eq!(action(&tree), Ok(a.clone()), "{text}");
            assert_eq!(
                serde_json::from_str::<Action>(&text).ok(),
                Some(a),
                "{text}"
            );
        }
        for s in [every_setting(), Settings::default()] {
            let text = serde_json::to_string(&s).unwrap();
            let tree = parse(&text).unwrap();
            assert_eq!(settings(&tree), Ok(s.clone()), "{text}");
        }
        for text in [
            r#"{"nodes": 3}"#,
            r#"{"raft": {"pre_vote": true}, "disk": {"sync": {"policy": "never"}}}"#,
            r#"{"raft": {"snapshot_every_entries": null}, "network": {}}"#,
            r#"{"raft": {"election_timeout_granularity_us": 1000}}"#,
        ] {
            let tree = parse(text).unwrap();
            assert_eq!(
                settings(&tree).ok(),
                serde_json::from_str::<Settings>(text).ok(),
                "{text}"
            );
        }
        for text in [
            r#"{"action": "crash", "node": 1}"#,
            r#"{"action": "cut", "from": 1, "to": 2}"#,
            r#"{"action": "set_raft", "raft": {"election_timeout_us_min": 1}}"#,
        ] {
            let tree = parse(text).unwrap();
            assert_eq!(
                action(&tree).ok(),
                serde_json::from_str::<Action>(text).ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn refuses_what_serde_refuses_and_names_it() {
        for (text, expected) in [
            (r#"{"sead": 1}"#, "unknown field `sead`"),
            (
                r#"{"raft": {"bugs": {"typo": true}}}"#,
                "unknown field `typo`",
            ),
            (r#"{"nodes": "five"}"#, "whole number"),
            (r#"{"nodes": 99999999999}"#, "too large"),
            (
                r#"{"disk": {"sync": {"policy": "interval"}}}"#,
                "interval_us",
            ),
            (
                r#"{"disk": {"sync": {"policy": "sometimes"}}}"#,
                "sometimes",
            ),
        ] {
            let tree = parse(text).unwrap();
            let e = settings(&tree).unwrap_err().english();
            assert!(e.contains(expected), "{text}: {e}");
            assert!(
                serde_json::from_str::<Settings>(text).is_err(),
                "serde also refuses {text}"
            );
        }
        for (text, expected) in [
            (r#"{"action": "explode"}"#, "explode"),
            (r#"{"action": "crash"}"#, "missing field `node`"),
            (
                r#"{"action": "crash", "node": 1, "mode": "gently"}"#,
                "gently",
            ),
            (
                r#"{"action": "request", "node": 1, "cmd": {"op": "fly"}}"#,
                "fly",
            ),
            (
                r#"{"action": "partition", "groups": [1, 2]}"#,
                "array of nodes",
            ),
            (r#"[1]"#, "must be an object"),
        ] {
            let tree = parse(text).unwrap();
            let e = action(&tree).unwrap_err().english();
            assert!(e.contains(expected), "{text}: {e}");
            assert!(
                serde_json::from_str::<Action>(text).is_err(),
                "serde also refuses {text}"
            );
        }
        // Stricter than serde, whose internally tagged unit variants ignore extra fields: a
        // field that does nothing in a lesson file is a mistake worth reporting.
        let tree = parse(r#"{"action": "heal", "node": 1}"#).unwrap();
        assert!(action(&tree)
            .unwrap_err()
            .english()
            .contains("unknown field `node`"));
    }
}
