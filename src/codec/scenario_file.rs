//! Scenario files (docs/scenario-format.md), read and written without serde_json, for the
//! page's Download and Open buttons and for `faultline run --scenario`: the small JSON reader
//! of `codec::json` and the table walker of `codec::scenario_json` on the way in, a writer
//! that walks the same field tables (`codec::fields`) and spells every field on the way out.

use crate::codec::fields::actions::{self, ActionValue, CRASH_MODES};
use crate::codec::fields::settings::SETTINGS;
use crate::codec::fields::{self, Field, Presence, Value};
use crate::codec::json::{self, at_line};
use crate::codec::scenario::{Scenario, SCENARIO_VERSION};
use crate::codec::scenario_json;
use crate::i18n::Text;
use crate::sim::raft::action::Action;
use crate::sim::raft::settings::Settings;
use crate::sim::raft::Command;
use std::fmt::Write;

/// The largest file the page reads: a long classroom run is far below it.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Reads a scenario file the page was given, of at most [`MAX_FILE_BYTES`]; `name` starts
/// every error, which names the line.
pub fn read(name: &str, text: &str) -> Result<Scenario, Text> {
    if text.len() > MAX_FILE_BYTES {
        return Err(Text::new("error.file.named").with("name", name).with_text(
            "error",
            Text::new("error.file.too_big")
                .with("bytes", text.len())
                .with("max", MAX_FILE_BYTES),
        ));
    }
    parse(name, text)
}

/// Reads a scenario file of any size (the command line's); `name` starts every error.
pub fn parse(name: &str, text: &str) -> Result<Scenario, Text> {
    let at = |e: Text| {
        Text::new("error.file.named")
            .with("name", name)
            .with_text("error", e)
    };
    let root = json::parse(text).map_err(at)?;
    let members = scenario_json::object(
        &root,
        "scenario",
        &["version", "protocol", "settings", "actions"],
    )
    .map_err(at)?;
    let field = |k: &str| members.iter().find(|(name, _)| name == k).map(|(_, v)| v);
    scenario_json::check_version(field("version"), SCENARIO_VERSION).map_err(at)?;
    if let Some(p) = field("protocol") {
        if p.as_str() != Some("raft") {
            return Err(at(at_line(p.line, Text::new("error.file.protocol"))));
        }
    }
    let settings = match field("settings") {
        Some(s) => scenario_json::settings(s).map_err(at)?,
        None => Settings::default(),
    };
    settings
        .validate()
        .map_err(|e| at(Text::new("error.file.settings").with_text("error", e)))?;
    let mut actions = Vec::new();
    if let Some(list) = field("actions") {
        let list = list.as_array().ok_or_else(|| {
            at(at_line(
                list.line,
                Text::new("json.not_array").with("field", "actions"),
            ))
        })?;
        for (i, a) in list.iter().enumerate() {
            let timed = scenario_json::timed_action(a, settings.nodes).map_err(|e| {
                at(Text::new("error.file.action")
                    .with("index", i)
                    .with_text("error", e))
            })?;
            actions.push(timed);
        }
    }
    Ok(Scenario { settings, actions })
}

/// Writes `scenario` as a scenario file, every setting spelled out.
pub fn write(scenario: &Scenario) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "{{\n  \"version\": {SCENARIO_VERSION},\n  \"protocol\": \"raft\",\n  \"settings\": "
    );
    write_object(&mut out, SETTINGS, &scenario.settings, true);
    out.push_str(",\n  \"actions\": [");
    for (i, a) in scenario.actions.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(out, "{sep}\n    {{ \"at_us\": {}, ", a.at_us);
        write_action(&mut out, &a.action);
        out.push_str(" }");
    }
    out.push_str(if scenario.actions.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}

/// Writes the fields of `table` as an object: on one line (`{ "a": 1, "b": 2 }`), or for the
/// `top` object (`settings`) its plain values on one line and each nested object on its own.
fn write_object(out: &mut String, table: &'static [Field<Settings>], s: &Settings, top: bool) {
    let defaults = Settings::default();
    out.push('{');
    let mut first = true;
    for f in table {
        let present = match f.presence {
            Presence::UnlessDefault => f.link_value(s) != f.link_value(&defaults),
            Presence::When { .. } => fields::wanted(table, f, s) == Some(true),
            Presence::Always | Presence::Required => true,
        };
        if !present {
            continue;
        }
        let nested = matches!(f.value, Value::Object(_));
        out.push_str(match (top, first, nested) {
            (true, true, _) => "\n    ",
            (true, false, true) => ",\n    ",
            (false, true, _) => " ",
            _ => ", ",
        });
        first = false;
        let _ = write!(out, "\"{}\": ", f.name);
        let _ = match f.value {
            Value::U64(get, _) => write!(out, "{}", get(s)),
            Value::U32(get, _) => write!(out, "{}", get(s)),
            Value::Bool(get, _) => write!(out, "{}", get(s)),
            Value::OptionU64(get, _) => match get(s) {
                Some(v) => write!(out, "{v}"),
                None => write!(out, "null"),
            },
            Value::Choice(names, get, _) => {
                let name = names.get(get(s) as usize).copied().unwrap_or_default();
                write!(out, "\"{name}\"")
            }
            Value::Object(inner) => {
                write_object(out, inner, s, false);
                Ok(())
            }
        };
    }
    out.push_str(if top { "\n  }" } else { " }" });
}

/// An action's members: `"action": "cut", "from": 1, "to": 2, "both": true`.
fn write_action(out: &mut String, a: &Action) {
    let variant = actions::for_file(a);
    let _ = write!(out, "\"action\": \"{}\"", variant.name);
    for f in variant.fields {
        let _ = write!(out, ", \"{}\": ", f.name);
        let _ = match f.value {
            ActionValue::Node(get, _) => write!(out, "{}", get(a).0),
            ActionValue::Client(get, _) => write!(out, "{}", get(a).0),
            ActionValue::CrashMode(get, _) => {
                let mode = get(a);
                let name = CRASH_MODES
                    .iter()
                    .find(|(_, m)| *m == mode)
                    .map(|(n, _)| *n);
                write!(out, "\"{}\"", name.unwrap_or_default())
            }
            ActionValue::Bool(get, _) => write!(out, "{}", get(a)),
            ActionValue::MessageId(get, _) => write!(out, "{}", get(a).0),
            ActionValue::Command(get, _) => {
                out.push_str(&command(get(a)));
                Ok(())
            }
            ActionValue::Groups(get, _) => {
                out.push('[');
                for (i, g) in get(a).iter().enumerate() {
                    out.push_str(if i == 0 { "[" } else { ", [" });
                    for (j, n) in g.iter().enumerate() {
                        let _ = write!(out, "{}{}", if j == 0 { "" } else { ", " }, n.0);
                    }
                    out.push(']');
                }
                out.push(']');
                Ok(())
            }
            ActionValue::Settings { table, put, .. } => {
                let mut s = Settings::default();
                put(a, &mut s);
                write_object(out, table, &s, false);
                Ok(())
            }
        };
    }
}

/// A JSON string literal.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn command(c: &Command) -> String {
    match c {
        Command::Noop => "{ \"op\": \"noop\" }".to_string(),
        // Never in a valid action (`Action::validate` refuses a client's configuration); the
        // reader refuses the op by name rather than reading another command.
        Command::Config(_) => "{ \"op\": \"config\" }".to_string(),
        Command::Put { key, value } => {
            format!(
                "{{ \"op\": \"put\", \"key\": {}, \"value\": {} }}",
                quoted(key),
                quoted(value)
            )
        }
        Command::Get { key } => format!("{{ \"op\": \"get\", \"key\": {} }}", quoted(key)),
        Command::Delete { key } => format!("{{ \"op\": \"delete\", \"key\": {} }}", quoted(key)),
        Command::Cas {
            key,
            expected,
            value,
        } => format!(
            "{{ \"op\": \"cas\", \"key\": {}, \"expected\": {}, \"value\": {} }}",
            quoted(key),
            expected.as_deref().map_or("null".to_string(), quoted),
            quoted(value)
        ),
    }
}

impl Scenario {
    /// Parses a scenario file's text, of any size (the command line reads the user's own
    /// files). `name` starts every error, in English.
    pub fn parse(name: &str, text: &str) -> Result<Scenario, String> {
        parse(name, text).map_err(|e| e.english())
    }

    /// Writes the scenario in the format `parse` reads (what the page's Download writes).
    pub fn to_json(&self) -> String {
        write(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::disk::CrashMode;
    use crate::sim::disk::SyncPolicy;
    use crate::sim::raft::action::TimedAction;
    use crate::sim::types::{ClientId, MsgId, NodeId};

    /// A scenario with every kind of action and every setting away from its default.
    fn everything() -> Scenario {
        let mut s = Settings {
            nodes: 5,
            seed: 77,
            ..Settings::default()
        };
        s.raft.election_timeout_us_min = 120_000;
        s.raft.election_timeout_granularity_us = 1_000;
        s.raft.pre_vote = true;
        s.raft.snapshot_every_entries = Some(40);
        s.raft.bugs.vote_without_log_check = true;
        s.network.loss_ppm = 50_000;
        s.disk.sync = SyncPolicy::Interval { interval_us: 5_000 };
        s.disk.replay_us_per_entry = 4_000;
        s.workload.clients = 2;
        let at = |at_us, action| TimedAction { at_us, action };
        let put = Command::Put {
            key: "quote\"d\\ key\n".into(),
            value: "值".into(),
        };
        Scenario {
            settings: s.clone(),
            actions: vec![
                at(
                    1,
                    Action::Crash {
                        node: NodeId(2),
                        mode: CrashMode::TearLast,
                    },
                ),
                at(2, Action::Restart { node: NodeId(2) }),
                at(3, Action::Timeout { node: NodeId(3) }),
                at(4, Action::Snapshot { node: NodeId(1) }),
                at(
                    5,
                    Action::Request {
                        node: NodeId(1),
                        cmd: put,
                    },
                ),
                at(
                    6,
                    Action::RequestFrom {
                        client: ClientId(900),
                        node: NodeId(4),
                        cmd: Command::Cas {
                            key: "k".into(),
                            expected: None,
                            value: "v".into(),
                        },
                    },
                ),
                at(7, Action::Transfer { to: NodeId(5) }),
                at(
                    8,
                    Action::Partition {
                        groups: vec![vec![NodeId(1), NodeId(2)], vec![NodeId(3)]],
                    },
                ),
                at(9, Action::Heal),
                at(
                    10,
                    Action::Cut {
                        from: NodeId(1),
                        to: NodeId(2),
                        both: true,
                    },
                ),
                at(
                    11,
                    Action::Repair {
                        from: NodeId(1),
                        to: NodeId(2),
                        both: false,
                    },
                ),
                at(
                    12,
                    Action::SetNetwork {
                        network: s.network.clone(),
                    },
                ),
                at(
                    13,
                    Action::SetRaft {
                        raft: s.raft.clone(),
                    },
                ),
                at(14, Action::DropMessage { id: MsgId(42) }),
                at(
                    15,
                    Action::Request {
                        node: NodeId(1),
                        cmd: Command::Delete { key: "k".into() },
                    },
                ),
                at(
                    16,
                    Action::Request {
                        node: NodeId(1),
                        cmd: Command::Get { key: "k".into() },
                    },
                ),
            ],
        }
    }

    #[test]
    fn what_the_page_writes_both_readers_read_back() {
        let scenario = everything();
        let text = write(&scenario);
        assert_eq!(read("page.json", &text).unwrap(), scenario);
        assert_eq!(Scenario::parse("cli.json", &text).unwrap(), scenario);
        let empty = Scenario {
            settings: Settings::default(),
            actions: vec![],
        };
        assert_eq!(read("empty.json", &write(&empty)).unwrap(), empty);
        assert_eq!(
            Scenario::parse("empty.json", &write(&empty)).unwrap(),
            empty
        );
    }

    /// A run without the election timeout granularity is written as before the field existed,
    /// and a file without it reads as granularity 0.
    #[test]
    fn the_granularity_is_written_only_when_set() {
        let mut scenario = everything();
        scenario.settings.raft.election_timeout_granularity_us = 0;
        scenario.actions.clear();
        let text = write(&scenario);
        assert!(!text.contains("granularity"), "{text}");
        assert!(!scenario.to_json().contains("granularity"));
        assert_eq!(read("old.json", &text).unwrap(), scenario);
        scenario.settings.raft.election_timeout_granularity_us = 1_000;
        let text = write(&scenario);
        assert!(
            text.contains("\"election_timeout_granularity_us\": 1000,"),
            "{text}"
        );
        assert_eq!(read("new.json", &text).unwrap(), scenario);
        assert_eq!(Scenario::parse("new.json", &text).unwrap(), scenario);
    }

    #[test]
    fn what_the_cli_writes_the_page_reads() {
        let scenario = everything();
        assert_eq!(read("cli.json", &scenario.to_json()).unwrap(), scenario);
    }

    #[test]
    fn a_bad_file_is_named_and_never_panics() {
        let good = write(&everything());
        let cases = [
            ("", "page.json"),
            ("[]", "scenario must be an object"),
            ("{\"version\": 2}", "version 2"),
            ("{\"version\": 1, \"colour\": 1}", "`colour`"),
            ("{\"version\": 1, \"settings\": {\"nodes\": 40}}", "nodes"),
            (
                "{\"version\": 1, \"actions\": [{\"at_ms\": 1, \"action\": \"crash\", \"node\": 9}]}",
                "actions[0]",
            ),
            ("{\"version\": 1, \"actions\": [{\"action\": \"heal\"}]}", "at_ms"),
        ];
        for (text, expected) in cases {
            let e = read("page.json", text).unwrap_err().english();
            assert!(
                e.starts_with("page.json") && e.contains(expected),
                "{e} should name {expected}"
            );
        }
        // Every prefix of a good file is an error, not a panic.
        for cut in (0..good.len())
            .step_by(7)
            .filter(|c| good.is_char_boundary(*c))
        {
            assert!(read("page.json", &good[..cut]).is_err());
        }
    }
}
