//! Primary-backup scenario files (`"protocol": "primary-backup"`, docs/scenario-format.md):
//! the settings the `pb=` link carries, by name, and the run's actions, the engine's faults and
//! its own, aimed at whoever is primary when they happen:
//! `{"action": "crash_primary", "down_ms": 4000}`, `{"action": "pause_primary", "for_ms": 2000}`,
//! `{"action": "isolate_primary", "for_ms": 4000}` and `{"action": "checkpoint"}`. Durations
//! are read in milliseconds (`down_ms`) or microseconds (`down_us`) and written in
//! microseconds, so that a saved run of the fault search, whose durations are drawn to the
//! microsecond, replays exactly.

use super::json::{at_line, Json};
use super::pb_link::FORMAT as LINK;
use super::run_scenario::{RunScenario, ScenarioFormat, SettingName};
use super::scenario_json::object;
use crate::i18n::Text;
use crate::sim::engine::RunSettings;
use crate::sim::pb::{PbAction, PbSettings, PrimaryBackup};
use crate::sim::types::{Micros, MICROS_PER_MS};
use std::fmt::Write;

/// A primary-backup scenario as a file holds it.
pub type PbScenario = RunScenario<PbSettings, PbAction>;

use SettingName::{Choice, Flags, Number, Unused};

/// The name of each tag of the `pb=` link's settings (`codec::pb_link`), in tag order.
const NAMES: [SettingName; 22] = [
    Unused,
    Number("seed"),
    // In `pb_link`'s replication code order.
    Choice("pb.replication", &["hot", "warm", "cold"]),
    Number("pb.backups"),
    Number("pb.ping_interval_us"),
    Number("pb.dead_timeout_us"),
    Number("pb.lease_us"),
    Number("pb.resend_us_min"),
    Number("pb.ship_interval_us"),
    Number("pb.checkpoint_every_writes"),
    Number("pb.replay_us_per_entry"),
    Number("pb.checkpoint_load_us"),
    Number("pb.clients"),
    Number("pb.keys"),
    Number("pb.think_us"),
    Number("pb.client_timeout_us"),
    Flags("pb.bugs", &["no_fencing", "no_lease", "ack_before_forward"]),
    Number("network.latency_us_min"),
    Number("network.latency_us_max"),
    Number("network.loss_ppm"),
    Number("network.duplicate_ppm"),
    Number("network.bandwidth_bytes_per_s"),
];

const FORMAT: ScenarioFormat<PbSettings, PbAction> = ScenarioFormat {
    protocol: "primary-backup",
    link: &LINK,
    names: &NAMES,
    nodes: |s| RunSettings::<PrimaryBackup>::nodes(s),
    of_fault: PbAction::Fault,
    fault_of: |a| match a {
        PbAction::Fault(f) => Some(f),
        _ => None,
    },
    read_own,
    own_names: &[
        "crash_primary",
        "pause_primary",
        "isolate_primary",
        "checkpoint",
    ],
    write_own,
};

/// Reads a primary-backup scenario file; `name` starts every error, which names the line.
pub fn parse(name: &str, text: &str) -> Result<PbScenario, Text> {
    FORMAT.parse(name, text)
}

/// Writes a primary-backup scenario file, every setting spelled out.
pub fn write(scenario: &PbScenario) -> String {
    FORMAT.write(scenario)
}

/// The duration `{base}_us`, or `{base}_ms` in milliseconds, of an action object.
fn duration(node: &Json, base: &'static str) -> Result<Micros, Text> {
    let (us, ms) = match base {
        "down" => ("down_us", "down_ms"),
        _ => ("for_us", "for_ms"),
    };
    node.get(us)
        .and_then(Json::as_u64)
        .or_else(|| {
            node.get(ms)
                .and_then(Json::as_u64)
                .and_then(|v| v.checked_mul(MICROS_PER_MS))
        })
        .ok_or_else(|| at_line(node.line, Text::new("json.missing").with("field", ms)))
}

fn read_own(name: &str, node: &Json) -> Option<Result<PbAction, Text>> {
    Some(match name {
        "crash_primary" => object(
            node,
            "action `crash_primary`",
            &["action", "down_ms", "down_us"],
        )
        .and_then(|_| duration(node, "down"))
        .map(|down_us| PbAction::CrashPrimary { down_us }),
        "pause_primary" => object(
            node,
            "action `pause_primary`",
            &["action", "for_ms", "for_us"],
        )
        .and_then(|_| duration(node, "for"))
        .map(|for_us| PbAction::PausePrimary { for_us }),
        "isolate_primary" => object(
            node,
            "action `isolate_primary`",
            &["action", "for_ms", "for_us"],
        )
        .and_then(|_| duration(node, "for"))
        .map(|for_us| PbAction::IsolatePrimary { for_us }),
        "checkpoint" => {
            object(node, "action `checkpoint`", &["action"]).map(|_| PbAction::Checkpoint)
        }
        _ => return None,
    })
}

fn write_own(out: &mut String, action: &PbAction) {
    match action {
        PbAction::CrashPrimary { down_us } => {
            let _ = write!(out, "\"action\": \"crash_primary\", \"down_us\": {down_us}");
        }
        PbAction::PausePrimary { for_us } => {
            let _ = write!(out, "\"action\": \"pause_primary\", \"for_us\": {for_us}");
        }
        PbAction::IsolatePrimary { for_us } => {
            let _ = write!(out, "\"action\": \"isolate_primary\", \"for_us\": {for_us}");
        }
        PbAction::Checkpoint => out.push_str("\"action\": \"checkpoint\""),
        // Faults are written by `run_scenario`.
        PbAction::Fault(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::disk::CrashMode;
    use crate::sim::engine::{Fault, TimedAction};
    use crate::sim::pb::page::{crash_primary, isolate_primary, page_settings, pause_primary};
    use crate::sim::pb::Replication;
    use crate::sim::types::NodeId;

    fn scenario() -> PbScenario {
        let mut settings = page_settings(Replication::Warm);
        settings.seed = 9;
        settings.pb.bugs.no_lease = true;
        settings.network.loss_ppm = 30_000;
        let at = |at_us, action| TimedAction { at_us, action };
        PbScenario {
            settings,
            actions: vec![
                at(500_000, crash_primary()),
                at(700_000, pause_primary()),
                at(900_000, isolate_primary()),
                at(1_000_000, PbAction::Checkpoint),
                at(
                    1_100_000,
                    PbAction::Fault(Fault::Crash {
                        node: NodeId(3),
                        mode: CrashMode::Clean,
                    }),
                ),
                at(1_500_000, PbAction::Fault(Fault::Heal)),
                at(
                    2_000_000,
                    PbAction::Fault(Fault::Restart { node: NodeId(3) }),
                ),
            ],
        }
    }

    #[test]
    fn every_tag_of_the_link_has_a_name() {
        let flat = (LINK.flat)(&PbSettings::default());
        assert_eq!(
            flat.len(),
            NAMES.len(),
            "a setting of the pb= link has no name"
        );
    }

    #[test]
    fn a_written_scenario_reads_back_the_same() {
        let s = scenario();
        let text = write(&s);
        assert!(text.contains("\"protocol\": \"primary-backup\""), "{text}");
        assert!(text.contains("\"replication\": \"warm\""), "{text}");
        assert!(text.contains("\"bugs\": [\"no_lease\"]"), "{text}");
        assert!(
            text.contains("\"action\": \"pause_primary\", \"for_us\": 2000000"),
            "{text}"
        );
        assert_eq!(parse("s.json", &text).unwrap(), s, "{text}");
        let empty = PbScenario {
            settings: PbSettings::default(),
            actions: Vec::new(),
        };
        assert_eq!(parse("e.json", &write(&empty)).unwrap(), empty);
    }

    #[test]
    fn a_short_file_takes_the_defaults() {
        let text = r#"{"version": 1, "protocol": "primary-backup",
            "settings": {"seed": 4, "pb": {"replication": "cold", "backups": 3}},
            "actions": [{"at_ms": 300, "action": "crash_primary", "down_ms": 1000},
                        {"at_ms": 900, "action": "checkpoint"}]}"#;
        let s = parse("s.json", text).unwrap();
        assert_eq!(s.settings.seed, 4);
        assert_eq!(s.settings.pb.replication, Replication::Cold);
        assert_eq!(s.settings.pb.backups, 3);
        assert_eq!(s.settings.pb.keys, PbSettings::default().pb.keys);
        assert_eq!(
            s.actions[0].action,
            PbAction::CrashPrimary { down_us: 1_000_000 }
        );
    }

    #[test]
    fn bad_files_are_named_with_their_line() {
        let cases = [
            (
                r#"{"version": 1, "protocol": "2pc"}"#,
                "protocol must be \"primary-backup\"",
            ),
            (
                r#"{"version": 1, "protocol": "primary-backup", "settings": {"pb": {"replication": "tepid"}}}"#,
                "tepid",
            ),
            (
                r#"{"version": 1, "protocol": "primary-backup", "settings": {"pb": {"backups": 9}}}"#,
                "backups",
            ),
            (
                r#"{"version": 1, "protocol": "primary-backup", "settings": {"pb": {"bugs": ["fly"]}}}"#,
                "unknown pb.bugs `fly`",
            ),
            (
                r#"{"version": 1, "protocol": "primary-backup",
                   "actions": [{"at_ms": 5, "action": "crash_primary"}]}"#,
                "down_ms",
            ),
            (
                r#"{"version": 1, "protocol": "primary-backup",
                   "actions": [{"at_ms": 5, "action": "pause_primary", "for_ms": 1, "node": 2}]}"#,
                "node",
            ),
            (
                r#"{"version": 1, "protocol": "primary-backup", "actions": [{"at_ms": 5, "action": "crash", "node": 9}]}"#,
                "node 9",
            ),
        ];
        for (text, expected) in cases {
            let e = parse("bad.json", text).unwrap_err().english();
            assert!(e.starts_with("bad.json: "), "{e}");
            assert!(e.contains(expected), "{e} should mention {expected}");
        }
    }
}
