//! Retransmission scenario files (`"protocol": "retransmit"`, docs/scenario-format.md): the
//! settings the `rt=` link carries, by name, and the run's actions, the engine's faults and
//! one of its own: `{"action": "hand_over", "node": 1}`.

use super::json::{at_line, Json};
use super::retransmit_link::FORMAT as LINK;
use super::run_scenario::{RunScenario, ScenarioFormat, SettingName};
use super::scenario_json::object;
use crate::i18n::Text;
use crate::sim::engine::RunSettings;
use crate::sim::retransmit::{RetransmitAction, RetransmitSettings};
use crate::sim::types::NodeId;
use std::fmt::Write;

/// A retransmission scenario as a file holds it.
pub type RetransmitScenario = RunScenario<RetransmitSettings, RetransmitAction>;

use SettingName::{Choice, Number, Unused};

/// The name of each tag of the `rt=` link's settings (`codec::retransmit_link`), in tag order.
const NAMES: [SettingName; 18] = [
    Unused,
    Number("seed"),
    Number("retransmit.pairs"),
    Choice(
        "retransmit.scheme",
        &["stop_and_wait", "go_back_n", "selective_repeat"],
    ),
    Number("retransmit.window"),
    Choice("retransmit.ack", &["cumulative", "selective"]),
    Choice("retransmit.rto", &["adaptive", "fixed"]),
    Number("retransmit.rto_fixed_us"),
    Number("retransmit.rto_initial_us"),
    Number("retransmit.rto_min_us"),
    Number("retransmit.rto_max_us"),
    Number("retransmit.messages"),
    Number("retransmit.offered_interval_us"),
    Number("network.latency_us_min"),
    Number("network.latency_us_max"),
    Number("network.loss_ppm"),
    Number("network.duplicate_ppm"),
    Number("network.bandwidth_bytes_per_s"),
];

const FORMAT: ScenarioFormat<RetransmitSettings, RetransmitAction> = ScenarioFormat {
    protocol: "retransmit",
    link: &LINK,
    names: &NAMES,
    nodes: |s| RunSettings::<crate::sim::retransmit::Retransmit>::nodes(s),
    of_fault: RetransmitAction::Fault,
    fault_of: |a| match a {
        RetransmitAction::Fault(f) => Some(f),
        RetransmitAction::HandOver { .. } => None,
    },
    read_own,
    own_names: &["hand_over"],
    write_own,
};

/// Reads a retransmission scenario file; `name` starts every error, which names the line.
pub fn parse(name: &str, text: &str) -> Result<RetransmitScenario, Text> {
    FORMAT.parse(name, text)
}

/// Writes a retransmission scenario file, every setting spelled out.
pub fn write(scenario: &RetransmitScenario) -> String {
    FORMAT.write(scenario)
}

fn read_own(name: &str, node: &Json) -> Option<Result<RetransmitAction, Text>> {
    if name != "hand_over" {
        return None;
    }
    let line = node.line;
    Some(
        object(node, "action `hand_over`", &["action", "node"]).and_then(|_| {
            node.get("node")
                .and_then(Json::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .map(|n| RetransmitAction::HandOver { node: NodeId(n) })
                .ok_or_else(|| at_line(line, Text::new("json.missing").with("field", "node")))
        }),
    )
}

fn write_own(out: &mut String, action: &RetransmitAction) {
    if let RetransmitAction::HandOver { node } = action {
        let _ = write!(out, "\"action\": \"hand_over\", \"node\": {}", node.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::disk::CrashMode;
    use crate::sim::engine::{Fault, TimedAction};
    use crate::sim::retransmit::{AckMode, RtoPolicy, Scheme};

    #[test]
    fn every_tag_of_the_link_has_a_name() {
        let flat = (LINK.flat)(&RetransmitSettings::default());
        assert_eq!(
            flat.len(),
            NAMES.len(),
            "a setting of the rt= link has no name"
        );
    }

    #[test]
    fn a_written_scenario_reads_back_the_same() {
        let mut settings = crate::sim::retransmit::page_settings();
        settings.retransmit.scheme = Scheme::SelectiveRepeat;
        settings.retransmit.ack = AckMode::Selective;
        settings.retransmit.rto = RtoPolicy::Fixed { rto_us: 150_000 };
        let s = RetransmitScenario {
            settings,
            actions: vec![
                TimedAction {
                    at_us: 1_000,
                    action: RetransmitAction::HandOver { node: NodeId(1) },
                },
                TimedAction {
                    at_us: 2_000,
                    action: RetransmitAction::Fault(Fault::Crash {
                        node: NodeId(2),
                        mode: CrashMode::Clean,
                    }),
                },
            ],
        };
        let text = write(&s);
        assert!(text.contains("\"scheme\": \"selective_repeat\""), "{text}");
        assert!(text.contains("\"rto\": \"fixed\""), "{text}");
        assert_eq!(parse("r.json", &text).unwrap(), s, "{text}");
        let e = parse("r.json", &text.replace("selective_repeat", "fast"))
            .unwrap_err()
            .english();
        assert!(e.contains("unknown retransmit.scheme `fast`"), "{e}");
    }
}
