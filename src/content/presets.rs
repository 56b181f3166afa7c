//! Named runs for widgets in documentation pages: `<div data-faultline="raft-partition">`
//! asks for one of these by name, optionally with its own node count and seed.

use crate::codec::scenario::Scenario;
use crate::i18n::Text;
use crate::sim::raft::action::{Action, TimedAction};
use crate::sim::raft::settings::Settings;
use crate::sim::ring::store::{RingSettings, PAGE_VNODES};
use crate::sim::types::{NodeId, MICROS_PER_MS};

/// A named run: the page mode it is shown in (`raft`, `replay` or `ring`) and the run itself;
/// a Hash ring widget's run is its ring's settings (`ring`), the Raft run is then the default.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub mode: &'static str,
    pub run: Scenario,
    pub ring: Option<RingSettings>,
}

/// The names [`preset`] knows (what each shows: docs/embedding.md).
pub const PRESETS: [&str; 5] = [
    "raft-election",
    "raft-crash",
    "raft-partition",
    "log-replay",
    "hash-ring",
];

/// The most nodes a Hash ring widget shows (the page's limit).
pub const RING_WIDGET_NODES_MAX: u32 = 32;

/// The preset called `name` with `nodes` servers (default 5) and `seed` (default 1); the
/// error names what is wrong.
pub fn preset(name: &str, nodes: Option<u32>, seed: Option<u64>) -> Result<Preset, Text> {
    if name == "hash-ring" {
        return ring_preset(nodes, seed);
    }
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
                .with("name", crate::codec::share::shorten(name))
                .with("known", known.join(", ")));
        }
    };
    Ok(Preset {
        mode,
        run: Scenario { settings, actions },
        ring: None,
    })
}

/// The page's Hash ring with `nodes` nodes (default 8) and `seed`: the reader kills, removes
/// and adds nodes in the widget and watches keys stream.
fn ring_preset(nodes: Option<u32>, seed: Option<u64>) -> Result<Preset, Text> {
    let defaults = RingSettings::default();
    let nodes = nodes.unwrap_or(defaults.nodes);
    if nodes == 0 || nodes > RING_WIDGET_NODES_MAX {
        return Err(Text::new("error.settings.outside")
            .with("field", "data-nodes")
            .with("value", nodes)
            .with("min", 1)
            .with("max", RING_WIDGET_NODES_MAX));
    }
    // A ring of fewer nodes than replicas keeps a copy on every node.
    let replication = defaults.replication.min(nodes);
    let ring = RingSettings {
        nodes,
        seed: seed.unwrap_or(defaults.seed),
        vnodes: PAGE_VNODES,
        replication,
        write_quorum: defaults.write_quorum.min(replication),
        read_quorum: defaults.read_quorum.min(replication),
        ..defaults
    };
    ring.validate()?;
    Ok(Preset {
        mode: "ring",
        run: Scenario {
            settings: Settings::default(),
            actions: Vec::new(),
        },
        ring: Some(ring),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::raft::RaftHistory;

    #[test]
    fn every_preset_plays_for_ten_seconds_with_every_cluster_size() {
        for name in PRESETS {
            for nodes in 1..=9 {
                let p = preset(name, Some(nodes), Some(3)).unwrap();
                let mut h = RaftHistory::from_recording(p.run.settings, p.run.actions).unwrap();
                h.seek(10_000 * MICROS_PER_MS);
                assert_eq!(h.now_us(), 10_000 * MICROS_PER_MS, "{name} with {nodes}");
                assert!(h.sim().violations().is_empty(), "{name} with {nodes}");
            }
        }
    }

    #[test]
    fn the_hash_ring_preset_is_the_pages_ring_with_the_widgets_size() {
        let p = preset("hash-ring", Some(12), Some(7)).unwrap();
        assert_eq!(p.mode, "ring");
        let ring = p.ring.unwrap();
        assert_eq!((ring.nodes, ring.seed, ring.vnodes), (12, 7, PAGE_VNODES));
        assert!(crate::sim::ring::store::RingSim::new(ring).is_ok());
        for nodes in 1..=RING_WIDGET_NODES_MAX {
            let ring = preset("hash-ring", Some(nodes), None)
                .unwrap()
                .ring
                .unwrap();
            assert!(
                crate::sim::ring::store::RingSim::new(ring).is_ok(),
                "{nodes} nodes"
            );
        }
        assert!(preset("hash-ring", Some(33), None).is_err());
        assert!(preset("hash-ring", Some(0), None).is_err());
    }

    #[test]
    fn an_unknown_name_or_a_bad_size_is_named() {
        let e = preset("raft-electoin", None, None).unwrap_err().english();
        assert!(
            e.contains("raft-electoin") && e.contains("raft-election"),
            "{e}"
        );
        assert!(preset("raft-election", Some(0), None).is_err());
        assert!(preset("raft-election", Some(99), None).is_err());
    }
}
