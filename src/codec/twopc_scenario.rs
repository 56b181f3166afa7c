//! Two-phase commit scenario files (`"protocol": "2pc"`, docs/scenario-format.md): the
//! settings the `tp=` link carries, by name, and the run's actions, the engine's faults and
//! its own: `{"action": "vote_no", "node": 3}`,
//! `{"action": "submit", "ops": [{"key": 0, "write": true}, {"key": 4}]}`, and the fault
//! search's coordinator outages `{"action": "crash_leader", "mode": "clean"}` and
//! `{"action": "restart_crashed_leader"}`.

use super::fault_json;
use super::json::{at_line, Json};
use super::run_scenario::{RunScenario, ScenarioFormat, SettingName};
use super::scenario_json::object;
use super::twopc_link::FORMAT as LINK;
use crate::i18n::Text;
use crate::sim::engine::RunSettings;
use crate::sim::twopc::config::OPS_MAX;
use crate::sim::twopc::{Op, TwoPcAction, TwoPcSettings};
use crate::sim::types::NodeId;
use std::fmt::Write;

/// A two-phase commit scenario as a file holds it.
pub type TwoPcScenario = RunScenario<TwoPcSettings, TwoPcAction>;

use SettingName::{Choice, Flags, Number, Unused};

/// The name of each tag of the `tp=` link's settings (`codec::twopc_link`), in tag order.
const NAMES: [SettingName; 22] = [
    Unused,
    Number("seed"),
    Number("twopc.participants"),
    Number("twopc.keys"),
    Number("twopc.clients"),
    Number("twopc.transactions"),
    Number("twopc.ops_max"),
    Number("twopc.write_percent"),
    Number("twopc.think_us"),
    Number("twopc.client_timeout_us"),
    Number("twopc.vote_timeout_us"),
    Number("twopc.decision_timeout_us"),
    Number("twopc.lock_wait_us"),
    Number("twopc.resend_us"),
    Number("twopc.tick_us"),
    Flags(
        "twopc.bugs",
        &[
            "decide_before_log",
            "forget_prepared_on_crash",
            "commit_on_timeout",
            "release_locks_at_prepare",
        ],
    ),
    Number("network.latency_us_min"),
    Number("network.latency_us_max"),
    Number("network.loss_ppm"),
    Number("network.duplicate_ppm"),
    Number("network.bandwidth_bytes_per_s"),
    // In `CoordinatorKind::code` order.
    Choice("twopc.coordinator", &["single", "raft3", "raft5"]),
];

const FORMAT: ScenarioFormat<TwoPcSettings, TwoPcAction> = ScenarioFormat {
    protocol: "2pc",
    link: &LINK,
    names: &NAMES,
    nodes: |s| RunSettings::<crate::sim::twopc::TwoPc>::nodes(s),
    of_fault: TwoPcAction::Fault,
    fault_of: |a| match a {
        TwoPcAction::Fault(f) => Some(f),
        _ => None,
    },
    read_own,
    own_names: &[
        "vote_no",
        "submit",
        "crash_leader",
        "restart_crashed_leader",
    ],
    write_own,
};

/// Reads a two-phase commit scenario file; `name` starts every error, which names the line.
pub fn parse(name: &str, text: &str) -> Result<TwoPcScenario, Text> {
    FORMAT.parse(name, text)
}

/// Writes a two-phase commit scenario file, every setting spelled out.
pub fn write(scenario: &TwoPcScenario) -> String {
    FORMAT.write(scenario)
}

fn read_own(name: &str, node: &Json) -> Option<Result<TwoPcAction, Text>> {
    let line = node.line;
    Some(match name {
        "vote_no" => object(node, "action `vote_no`", &["action", "node"]).and_then(|_| {
            node.get("node")
                .and_then(Json::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .map(|n| TwoPcAction::VoteNo { node: NodeId(n) })
                .ok_or_else(|| at_line(line, Text::new("json.missing").with("field", "node")))
        }),
        "submit" => object(node, "action `submit`", &["action", "ops"]).and_then(|_| ops(node)),
        "crash_leader" => object(node, "action `crash_leader`", &["action", "mode"])
            .and_then(|_| fault_json::crash_mode(node))
            .map(|mode| TwoPcAction::CrashLeader { mode }),
        "restart_crashed_leader" => object(node, "action `restart_crashed_leader`", &["action"])
            .map(|_| TwoPcAction::RestartCrashedLeader),
        _ => return None,
    })
}

fn ops(node: &Json) -> Result<TwoPcAction, Text> {
    let line = node.line;
    let list = node
        .get("ops")
        .and_then(Json::as_array)
        .ok_or_else(|| at_line(line, Text::new("json.not_array").with("field", "ops")))?;
    if list.is_empty() || list.len() > OPS_MAX as usize {
        return Err(at_line(
            line,
            Text::new("error.file.ops_count").with("max", OPS_MAX),
        ));
    }
    let mut ops = Vec::with_capacity(list.len());
    for op in list {
        object(op, "an operation", &["key", "write"])?;
        let key = op
            .get("key")
            .and_then(Json::as_u64)
            .and_then(|k| u32::try_from(k).ok())
            .ok_or_else(|| at_line(op.line, Text::new("json.missing").with("field", "key")))?;
        let write = match op.get("write") {
            None => false,
            Some(v) => v.as_bool().ok_or_else(|| {
                at_line(v.line, Text::new("json.not_bool").with("field", "write"))
            })?,
        };
        // The client stamps a write with its transaction's id when it sends it, as a link's
        // submitted transaction is stamped.
        ops.push(Op {
            key,
            write: write.then_some(0),
        });
    }
    Ok(TwoPcAction::Submit { ops })
}

fn write_own(out: &mut String, action: &TwoPcAction) {
    match action {
        TwoPcAction::VoteNo { node } => {
            let _ = write!(out, "\"action\": \"vote_no\", \"node\": {}", node.0);
        }
        TwoPcAction::Submit { ops } => {
            let ops: Vec<String> = ops
                .iter()
                .map(|op| {
                    format!(
                        "{{ \"key\": {}, \"write\": {} }}",
                        op.key,
                        op.write.is_some()
                    )
                })
                .collect();
            let _ = write!(out, "\"action\": \"submit\", \"ops\": [{}]", ops.join(", "));
        }
        TwoPcAction::CrashLeader { mode } => {
            let _ = write!(
                out,
                "\"action\": \"crash_leader\", \"mode\": \"{}\"",
                fault_json::crash_mode_name(*mode)
            );
        }
        TwoPcAction::RestartCrashedLeader => out.push_str("\"action\": \"restart_crashed_leader\""),
        // Faults are written by `run_scenario`.
        TwoPcAction::Fault(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::disk::CrashMode;
    use crate::sim::engine::{Fault, TimedAction};
    use crate::sim::types::MsgId;

    fn scenario() -> TwoPcScenario {
        let mut settings = crate::sim::twopc::page_settings();
        settings.seed = 9;
        settings.twopc.bugs.release_locks_at_prepare = true;
        settings.network.loss_ppm = 30_000;
        settings.twopc.coordinator = crate::sim::twopc::CoordinatorKind::Raft3;
        let at = |at_us, action| TimedAction { at_us, action };
        TwoPcScenario {
            settings,
            actions: vec![
                at(
                    500_000,
                    TwoPcAction::Submit {
                        ops: vec![
                            Op {
                                key: 0,
                                write: Some(0),
                            },
                            Op {
                                key: 4,
                                write: None,
                            },
                        ],
                    },
                ),
                at(700_000, TwoPcAction::VoteNo { node: NodeId(3) }),
                at(
                    900_000,
                    TwoPcAction::Fault(Fault::Crash {
                        node: NodeId(1),
                        mode: CrashMode::LoseUnsynced,
                    }),
                ),
                at(
                    1_000_000,
                    TwoPcAction::Fault(Fault::Partition {
                        groups: vec![vec![NodeId(1)], vec![NodeId(2), NodeId(3)]],
                    }),
                ),
                at(
                    1_100_000,
                    TwoPcAction::Fault(Fault::Cut {
                        from: NodeId(2),
                        to: NodeId(4),
                        both: true,
                    }),
                ),
                at(
                    1_200_000,
                    TwoPcAction::Fault(Fault::DropMessage { id: MsgId(17) }),
                ),
                at(1_500_000, TwoPcAction::Fault(Fault::Heal)),
                at(
                    1_600_000,
                    TwoPcAction::CrashLeader {
                        mode: CrashMode::TearLast,
                    },
                ),
                at(1_700_000, TwoPcAction::RestartCrashedLeader),
                at(
                    2_000_000,
                    TwoPcAction::Fault(Fault::Restart { node: NodeId(1) }),
                ),
            ],
        }
    }

    #[test]
    fn every_tag_of_the_link_has_a_name() {
        let flat = (LINK.flat)(&TwoPcSettings::default());
        assert_eq!(
            flat.len(),
            NAMES.len(),
            "a setting of the tp= link has no name"
        );
    }

    #[test]
    fn a_written_scenario_reads_back_the_same() {
        let s = scenario();
        let text = write(&s);
        assert!(text.contains("\"protocol\": \"2pc\""), "{text}");
        assert!(
            text.contains("\"bugs\": [\"release_locks_at_prepare\"]"),
            "{text}"
        );
        assert!(text.contains("\"mode\": \"lose_unsynced\""), "{text}");
        assert!(text.contains("\"coordinator\": \"raft3\""), "{text}");
        assert_eq!(parse("s.json", &text).unwrap(), s, "{text}");
        let empty = TwoPcScenario {
            settings: TwoPcSettings::default(),
            actions: Vec::new(),
        };
        assert_eq!(parse("e.json", &write(&empty)).unwrap(), empty);
    }

    #[test]
    fn a_short_file_takes_the_defaults() {
        let text = r#"{"version": 1, "protocol": "2pc",
            "settings": {"seed": 4, "twopc": {"participants": 4}},
            "actions": [{"at_ms": 300, "action": "crash", "node": 1},
                        {"at_ms": 900, "action": "restart", "node": 1}]}"#;
        let s = parse("s.json", text).unwrap();
        assert_eq!(s.settings.seed, 4);
        assert_eq!(s.settings.twopc.participants, 4);
        assert_eq!(s.settings.twopc.keys, TwoPcSettings::default().twopc.keys);
        assert_eq!(s.actions.len(), 2);
        assert_eq!(s.actions[0].at_us, 300_000);
    }

    #[test]
    fn bad_files_are_named_with_their_line() {
        let cases = [
            (r#"{"protocol": "2pc"}"#, "version"),
            (r#"{"version": 1}"#, "protocol must be \"2pc\""),
            (
                r#"{"version": 1, "protocol": "raft"}"#,
                "protocol must be \"2pc\"",
            ),
            (
                r#"{"version": 1, "protocol": "2pc", "settings": {"nodes": 3}}"#,
                "unknown field `nodes`",
            ),
            (
                r#"{"version": 1, "protocol": "2pc", "settings": {"twopc": {"participants": 1}}}"#,
                "participants",
            ),
            (
                r#"{"version": 1, "protocol": "2pc", "settings": {"twopc": {"bugs": ["fly"]}}}"#,
                "unknown twopc.bugs `fly`",
            ),
            (
                r#"{"version": 1, "protocol": "2pc", "settings": {"network": {"loss_ppm": 99999999999}}}"#,
                "too large",
            ),
            (
                r#"{"version": 1, "protocol": "2pc",
                   "actions": [{"at_ms": 5, "action": "explode"}]}"#,
                "line 2",
            ),
            (
                r#"{"version": 1, "protocol": "2pc", "actions": [{"at_ms": 5, "action": "crash", "node": 9}]}"#,
                "node 9",
            ),
            (
                r#"{"version": 1, "protocol": "2pc", "actions": [{"at_ms": 5, "action": "submit", "ops": []}]}"#,
                "operations",
            ),
            (
                r#"{"version": 1, "protocol": "2pc", "actions": [{"at_ms": 9, "action": "heal"}, {"at_ms": 5, "action": "heal"}]}"#,
                "order",
            ),
        ];
        for (text, expected) in cases {
            let e = parse("bad.json", text).unwrap_err().english();
            assert!(e.starts_with("bad.json: "), "{e}");
            assert!(e.contains(expected), "{e} should mention {expected}");
        }
    }
}
