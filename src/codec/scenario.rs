//! Scenario files: cluster settings, a seed and a timed list of actions, as JSON
//! (documented in docs/scenario-format.md). Parsing never panics: every error names the
//! line and the field that is wrong.

use crate::sim::action::{Action, TimedAction};
use crate::sim::settings::Settings;
use crate::sim::types::{Micros, MICROS_PER_MS};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The scenario format version this build reads and writes.
pub const SCENARIO_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub settings: Settings,
    pub actions: Vec<TimedAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario<'a> {
    version: u32,
    #[serde(default = "raft")]
    protocol: String,
    #[serde(default)]
    settings: Settings,
    #[serde(default, borrow)]
    actions: Vec<&'a RawValue>,
}

fn raft() -> String {
    "raft".into()
}

/// One action as written in a file: its time in milliseconds or microseconds.
#[derive(Deserialize)]
struct RawAction {
    at_ms: Option<u64>,
    at_us: Option<Micros>,
    #[serde(flatten)]
    action: Action,
}

#[derive(Serialize)]
struct WrittenScenario<'a> {
    version: u32,
    protocol: &'a str,
    settings: &'a Settings,
    actions: &'a [TimedAction],
}

impl Scenario {
    /// Parses a scenario file's text. `name` is used in error messages.
    pub fn parse(name: &str, text: &str) -> Result<Scenario, String> {
        let raw: RawScenario = serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?;
        if raw.version != SCENARIO_VERSION {
            return Err(format!(
                "{name}: version {} is not supported (this build reads version {SCENARIO_VERSION})",
                raw.version
            ));
        }
        if raw.protocol != "raft" {
            return Err(format!(
                "{name}: protocol \"{}\" is not supported (expected \"raft\")",
                raw.protocol
            ));
        }
        raw.settings
            .validate()
            .map_err(|e| format!("{name}: settings.{}", e.english()))?;
        let mut actions = Vec::with_capacity(raw.actions.len());
        for (i, value) in raw.actions.iter().enumerate() {
            let line = line_of(text, value.get());
            let at = |msg: String| format!("{name} line {line}: actions[{i}]: {msg}");
            let parsed: RawAction =
                serde_json::from_str(value.get()).map_err(|e| at(strip_position(&e)))?;
            let at_us = match (parsed.at_ms, parsed.at_us) {
                (Some(ms), None) => ms
                    .checked_mul(MICROS_PER_MS)
                    .ok_or_else(|| at("at_ms is too large".into()))?,
                (None, Some(us)) => us,
                (None, None) => return Err(at("missing field `at_ms` (or `at_us`)".into())),
                (Some(_), Some(_)) => {
                    return Err(at("give either `at_ms` or `at_us`, not both".into()))
                }
            };
            // `flatten` cannot deny unknown fields: compare the keys written with those the
            // action has, so that a typo ("nodes" for "node") is an error, not ignored.
            if let (Ok(serde_json::Value::Object(written)), Ok(serde_json::Value::Object(known))) = (
                serde_json::from_str::<serde_json::Value>(value.get()),
                serde_json::to_value(&parsed.action),
            ) {
                if let Some(extra) = written
                    .keys()
                    .find(|k| !known.contains_key(*k) && *k != "at_ms" && *k != "at_us")
                {
                    return Err(at(format!("unknown field `{extra}`")));
                }
            }
            parsed
                .action
                .validate(raw.settings.nodes)
                .map_err(|e| at(e.into()))?;
            actions.push(TimedAction {
                at_us,
                action: parsed.action,
            });
        }
        Ok(Scenario {
            settings: raw.settings,
            actions,
        })
    }

    /// Writes the scenario in the format `parse` reads.
    pub fn to_json(&self) -> String {
        let written = WrittenScenario {
            version: SCENARIO_VERSION,
            protocol: "raft",
            settings: &self.settings,
            actions: &self.actions,
        };
        serde_json::to_string_pretty(&written).unwrap_or_default()
    }
}

/// The 1-based line of `part` inside `whole` (`part` must be a slice of `whole`).
fn line_of(whole: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    whole
        .get(..offset)
        .map(|s| s.matches('\n').count() + 1)
        .unwrap_or(1)
}

/// serde_json appends "at line L column C" relative to the action; the caller already
/// names the line in the file.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
  "version": 1,
  "settings": { "nodes": 3, "seed": 9 },
  "actions": [
    { "at_ms": 1000, "action": "crash", "node": 1 },
    { "at_us": 1500000, "action": "restart", "node": 1 },
    { "at_ms": 2000, "action": "request", "node": 2, "cmd": { "op": "put", "key": "x", "value": "1" } }
  ]
}"#;

    #[test]
    fn parses_and_round_trips() {
        let s = Scenario::parse("good.json", GOOD).unwrap();
        assert_eq!(s.settings.nodes, 3);
        assert_eq!(s.actions.len(), 3);
        assert_eq!(s.actions[1].at_us, 1_500_000);
        let again = Scenario::parse("again.json", &s.to_json()).unwrap();
        assert_eq!(again, s);
    }

    #[test]
    fn errors_name_line_and_field() {
        let bad_node = GOOD.replace("\"restart\", \"node\": 1", "\"restart\", \"node\": 7");
        let e = Scenario::parse("s.json", &bad_node).unwrap_err();
        assert!(
            e.contains("line 6") && e.contains("actions[1]") && e.contains("node 7"),
            "{e}"
        );

        let unknown = GOOD.replace("\"seed\": 9", "\"sead\": 9");
        let e = Scenario::parse("s.json", &unknown).unwrap_err();
        assert!(e.contains("sead") && e.contains("line 3"), "{e}");

        let no_time = GOOD.replace("\"at_ms\": 1000, ", "");
        let e = Scenario::parse("s.json", &no_time).unwrap_err();
        assert!(e.contains("line 5") && e.contains("at_ms"), "{e}");

        let bad_kind = GOOD.replace("\"crash\"", "\"explode\"");
        let e = Scenario::parse("s.json", &bad_kind).unwrap_err();
        assert!(e.contains("line 5") && e.contains("explode"), "{e}");

        let e = Scenario::parse("s.json", "{\"version\": 1, \"settings\": {\"nodes\": 40}}")
            .unwrap_err();
        assert!(e.contains("nodes"), "{e}");
        assert!(Scenario::parse("s.json", "not json").is_err());
        assert!(Scenario::parse("s.json", "").is_err());

        // An action's fields are checked too, also for actions that have none.
        let typo = GOOD.replace(
            "\"restart\", \"node\": 1",
            "\"restart\", \"nodes\": 1, \"node\": 1",
        );
        let e = Scenario::parse("s.json", &typo).unwrap_err();
        assert!(e.contains("line 6") && e.contains("`nodes`"), "{e}");
        let heal = GOOD.replace(
            "{ \"at_ms\": 1000, \"action\": \"crash\", \"node\": 1 }",
            "{ \"at_ms\": 1000, \"action\": \"heal\", \"colour\": \"red\" }",
        );
        let e = Scenario::parse("s.json", &heal).unwrap_err();
        assert!(e.contains("`colour`"), "{e}");
    }
}
