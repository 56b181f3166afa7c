//! Scenario files (docs/scenario-format.md) read and written without serde_json, for the page's
//! Export and Import buttons: the small JSON reader of `codec::json` and the hand-written
//! field readers of `codec::scenario_json` on the way in, a writer that spells every field
//! on the way out. The CLI keeps `Scenario::parse` (serde); tests check both readers agree on
//! what this writer writes, so a file exported from the page runs with `faultline run`.

use crate::codec::json::{self, at_line, Json};
use crate::codec::scenario::{Scenario, SCENARIO_VERSION};
use crate::codec::scenario_json;
use crate::i18n::Text;
use crate::sim::action::Action;
use crate::sim::disk::{CrashMode, DiskConfig, SyncPolicy};
use crate::sim::net::NetConfig;
use crate::sim::raft::{Command, RaftConfig};
use crate::sim::settings::{Settings, Workload};
use std::fmt::Write;

/// The largest file the page reads: a long classroom run is far below it.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Reads a scenario file; `name` starts every error, which names the line.
pub fn read(name: &str, text: &str) -> Result<Scenario, Text> {
    let at = |e: Text| {
        Text::new("error.file.named")
            .with("name", name)
            .with_text("error", e)
    };
    if text.len() > MAX_FILE_BYTES {
        return Err(at(Text::new("error.file.too_big")
            .with("bytes", text.len())
            .with("max", MAX_FILE_BYTES)));
    }
    let root = json::parse(text).map_err(at)?;
    let members = scenario_json::object(
        &root,
        "scenario",
        &["version", "protocol", "settings", "actions"],
    )
    .map_err(at)?;
    let field = |k: &str| members.iter().find(|(name, _)| name == k).map(|(_, v)| v);
    match field("version").and_then(Json::as_u64) {
        Some(v) if v == u64::from(SCENARIO_VERSION) => {}
        Some(v) => {
            return Err(at(Text::new("error.file.version")
                .with("version", v)
                .with("expected", SCENARIO_VERSION)))
        }
        None => return Err(at(Text::new("error.file.no_version"))),
    }
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
    let s = &scenario.settings;
    let mut out = String::new();
    let _ = write!(
        out,
        "{{\n  \"version\": {SCENARIO_VERSION},\n  \"protocol\": \"raft\",\n  \"settings\": {{\n    \"nodes\": {}, \"seed\": {},\n    \"raft\": {},\n    \"network\": {},\n    \"disk\": {},\n    \"workload\": {}\n  }},\n  \"actions\": [",
        s.nodes,
        s.seed,
        raft(&s.raft),
        network(&s.network),
        disk(&s.disk),
        workload(&s.workload)
    );
    for (i, a) in scenario.actions.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            out,
            "{sep}\n    {{ \"at_us\": {}, {} }}",
            a.at_us,
            action(&a.action)
        );
    }
    out.push_str(if scenario.actions.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}

fn raft(r: &RaftConfig) -> String {
    let snapshot = r
        .snapshot_every_entries
        .map_or("null".to_string(), |n| n.to_string());
    // Written only when set, as serde writes it, so that files of runs without it stay
    // readable by builds that do not know the field.
    let granularity = match r.election_timeout_granularity_us {
        0 => String::new(),
        g => format!(" \"election_timeout_granularity_us\": {g},"),
    };
    format!(
        "{{ \"election_timeout_us_min\": {}, \"election_timeout_us_max\": {},{granularity} \"heartbeat_interval_us\": {}, \"pre_vote\": {}, \"check_quorum\": {}, \"max_entries_per_append\": {}, \"snapshot_every_entries\": {snapshot}, \"bugs\": {{ \"commit_previous_term_by_count\": {}, \"vote_without_log_check\": {}, \"forget_vote_on_restart\": {} }} }}",
        r.election_timeout_us_min,
        r.election_timeout_us_max,
        r.heartbeat_interval_us,
        r.pre_vote,
        r.check_quorum,
        r.max_entries_per_append,
        r.bugs.commit_previous_term_by_count,
        r.bugs.vote_without_log_check,
        r.bugs.forget_vote_on_restart
    )
}

fn network(n: &NetConfig) -> String {
    format!(
        "{{ \"latency_us_min\": {}, \"latency_us_max\": {}, \"loss_ppm\": {}, \"duplicate_ppm\": {}, \"bandwidth_bytes_per_s\": {} }}",
        n.latency_us_min, n.latency_us_max, n.loss_ppm, n.duplicate_ppm, n.bandwidth_bytes_per_s
    )
}

fn disk(d: &DiskConfig) -> String {
    let sync = match d.sync {
        SyncPolicy::EveryWrite => "{ \"policy\": \"every_write\" }".to_string(),
        SyncPolicy::Never => "{ \"policy\": \"never\" }".to_string(),
        SyncPolicy::Interval { interval_us } => {
            format!("{{ \"policy\": \"interval\", \"interval_us\": {interval_us} }}")
        }
    };
    format!(
        "{{ \"sync\": {sync}, \"sync_latency_us\": {}, \"replay_us_per_entry\": {}, \"load_us_per_snapshot_kb\": {} }}",
        d.sync_latency_us, d.replay_us_per_entry, d.load_us_per_snapshot_kb
    )
}

fn workload(w: &Workload) -> String {
    format!(
        "{{ \"clients\": {}, \"think_us_min\": {}, \"think_us_max\": {}, \"keys\": {}, \"request_timeout_us\": {}, \"get_ppm\": {}, \"cas_ppm\": {}, \"delete_ppm\": {} }}",
        w.clients, w.think_us_min, w.think_us_max, w.keys, w.request_timeout_us, w.get_ppm, w.cas_ppm, w.delete_ppm
    )
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

fn action(a: &Action) -> String {
    let node = |name: &str, n: u32| format!("\"action\": \"{name}\", \"node\": {n}");
    let link = |name: &str, from: u32, to: u32, both: bool| {
        format!("\"action\": \"{name}\", \"from\": {from}, \"to\": {to}, \"both\": {both}")
    };
    match a {
        Action::Crash { node: n, mode } => {
            let mode = match mode {
                CrashMode::Clean => "clean",
                CrashMode::LoseUnsynced => "lose_unsynced",
                CrashMode::TearLast => "tear_last",
            };
            format!("{}, \"mode\": \"{mode}\"", node("crash", n.0))
        }
        Action::Restart { node: n } => node("restart", n.0),
        Action::Timeout { node: n } => node("timeout", n.0),
        Action::Snapshot { node: n } => node("snapshot", n.0),
        Action::Request { node: n, cmd } => {
            format!("{}, \"cmd\": {}", node("request", n.0), command(cmd))
        }
        Action::RequestFrom {
            client,
            node: n,
            cmd,
        } => format!(
            "\"action\": \"request_from\", \"client\": {}, \"node\": {}, \"cmd\": {}",
            client.0,
            n.0,
            command(cmd)
        ),
        Action::Transfer { to } => format!("\"action\": \"transfer\", \"to\": {}", to.0),
        Action::Partition { groups } => {
            let groups: Vec<String> = groups
                .iter()
                .map(|g| {
                    let ids: Vec<String> = g.iter().map(|n| n.0.to_string()).collect();
                    format!("[{}]", ids.join(", "))
                })
                .collect();
            format!(
                "\"action\": \"partition\", \"groups\": [{}]",
                groups.join(", ")
            )
        }
        Action::Heal => "\"action\": \"heal\"".to_string(),
        Action::Cut { from, to, both } => link("cut", from.0, to.0, *both),
        Action::Repair { from, to, both } => link("repair", from.0, to.0, *both),
        Action::SetNetwork { network: n } => {
            format!("\"action\": \"set_network\", \"network\": {}", network(n))
        }
        Action::SetRaft { raft: r } => format!("\"action\": \"set_raft\", \"raft\": {}", raft(r)),
        Action::DropMessage { id } => format!("\"action\": \"drop_message\", \"id\": {}", id.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::action::TimedAction;
    use crate::sim::disk::SyncPolicy;
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
