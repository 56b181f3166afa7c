//! Scenario files: cluster settings, a seed and a timed list of actions, as JSON
//! (documented in docs/scenario-format.md). The page and the command line read and write
//! them with the same codec, [`crate::codec::scenario_file`], which walks the field tables of
//! [`crate::codec::fields`]. Parsing never panics: every error names the line and the field
//! that is wrong.
//!
//! This file holds only the data; `Scenario::parse` and `Scenario::to_json` are defined with
//! the codec, which names the data without being named back.

use crate::sim::raft::action::TimedAction;
use crate::sim::raft::settings::Settings;

/// The scenario format version this build reads and writes.
pub const SCENARIO_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub settings: Settings,
    pub actions: Vec<TimedAction>,
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
