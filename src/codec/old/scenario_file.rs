//! Scenario files (docs/scenario-format.md) read and written without serde_json, for the page's
//! Export and Import buttons: the small JSON reader of `codec::json` and the hand-written
//! field readers of `codec::scenario_json` on the way in, a writer that spells every field
//! on the way out. The CLI keeps `Scenario::parse` (serde); tests check both readers agree on
//! what this writer writes, so a file exported from the page runs with `faultline run`.

use crate::codec::json::{self, at_line, Json};
use crate::codec::old::scenario_json;
use crate::codec::scenario::{Scenario, SCENARIO_VERSION};
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
pub(crate) fn read(name: &str, text: &str) -> Result<Scenario, Text> {
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
pub(crate) fn write(scenario: &Scenario) -> String {
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
