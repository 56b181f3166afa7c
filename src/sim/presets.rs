//! Named runs for widgets in documentation pages: `<div data-faultline="raft-partition">`
//! asks for one of these by name, optionally with its own node count and seed.

use crate::i18n::Text;
use crate::sim::action::{Action, TimedAction};
use crate::sim::scenario::Scenario;
use crate::sim::settings::Settings;
use crate::sim::types::{NodeId, MICROS_PER_MS};

/// A named run: the page mode it is shown in (`raft` or `replay`) and the run itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub mode: &'static str,
    pub run: Scenario,
}

/// The names [`preset`] knows (what each shows: docs/embedding.md).
pub const PRESETS: [&str; 4] = [
    "raft-election",
    "raft-crash",
    "raft-partition",
    "log-replay",
];

/// The preset called `name` with `nodes` servers (default 5) and `seed` (default 1); the
/// error names what is wrong.
pub fn preset(name: &str, nodes: Option<u32>, seed: Option<u64>) -> Result<Preset, Text> {
    let mut settings = Settings::default();
    if let Some(n) = nodes {
        settings.nodes = n;
    }
    if let Some(s) = seed {
        settings.seed = s;
    }
    settings.validate()?;
    let at = |ms: u64, action: Action| TimedAction {
        at_us: ms * MICROS_PER_MS,
        action,
    };
    let n = settings.nodes;
    let (mode, actions) = match name {
        "raft-election" => ("raft", vec![]),
        "raft-crash" => (
            "raft",
            vec![
                at(
                    1_500,
                    Action::Crash {
                        node: NodeId(1),
                        mode: Default::default(),
                    },
                ),
                at(4_000, Action::Restart { node: NodeId(1) }),
            ],
        ),
        "raft-partition" => {
            let minority: Vec<NodeId> = (1..=(n - 1) / 2).map(NodeId).collect();
            let majority: Vec<NodeId> = ((n - 1) / 2 + 1..=n).map(NodeId).collect();
            (
                "raft",
                vec![
                    at(
                        1_500,
                        Action::Partition {
                            groups: vec![minority, majority],
                        },
                    ),
                    at(5_000, Action::Heal),
                ],
            )
        }
        "log-replay" => {
            // The page's Log replay mode adds the clients and the replay costs.
            let node = NodeId(n.min(2));
            (
                "replay",
                vec![
                    at(
                        3_000,
                        Action::Crash {
                            node,
                            mode: Default::default(),
                        },
                    ),
                    at(3_500, Action::Restart { node }),
                ],
            )
        }
        _ => {
            let known = PRESETS;
            return Err(Text::new("error.preset.unknown")
                .with("name", crate::sim::share::shorten(name))
                .with("known", known.join(", ")));
        }
    };
    Ok(Preset {
        mode,
        run: Scenario { settings, actions },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::history::History;

    #[test]
    fn every_preset_plays_for_ten_seconds_with_every_cluster_size() {
        for name in PRESETS {
            for nodes in 1..=9 {
                let p = preset(name, Some(nodes), Some(3)).unwrap();
                let mut h = History::from_recording(p.run.settings, p.run.actions).unwrap();
                h.seek(10_000 * MICROS_PER_MS);
                assert_eq!(h.now_us(), 10_000 * MICROS_PER_MS, "{name} with {nodes}");
                assert!(h.sim().violations().is_empty(), "{name} with {nodes}");
            }
        }
    }

    #[test]
    fn an_unknown_name_or_a_bad_size_is_named() {
        let e = preset("raft-electoin", None, None).unwrap_err().to_string();
        assert!(
            e.contains("raft-electoin") && e.contains("raft-election"),
            "{e}"
        );
        assert!(preset("raft-election", Some(0), None).is_err());
        assert!(preset("raft-election", Some(99), None).is_err());
    }
}
