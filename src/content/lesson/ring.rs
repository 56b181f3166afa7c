//! What a Hash ring lesson can ask of the learner: goals checked against the live ring store
//! (the page's own `RingSim`), the steps that accomplish them (new settings, node actions),
//! and how many keys a membership change moves, which ring predictions are checked against.
//! Ring lessons have no scripted run: they start from the page's ring as the learner has it,
//! and `tests/lessons.rs` proves each task from the page's default ring.

use crate::codec::json::Json;
use crate::sim::ring::store::{NodeStatus, RingAction, RingSettings, RingSim, PAGE_VNODES};
use crate::sim::types::NodeId;

/// A goal of a Hash ring task. Names are the `goal` strings of lesson files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RingGoal {
    /// The ring runs with `count` tokens per node (Dynamo section 4.2's virtual nodes).
    Vnodes { count: u32 },
    /// At least `count` nodes are crashed or down.
    NodesDown { count: u32 },
    /// More nodes than when the step opened.
    NodeAdded,
    /// Read and write quorums no longer overlap: R_read + W ≤ R (Dynamo section 4.5).
    QuorumsApart,
}

impl RingGoal {
    pub const NAMES: [&'static str; 4] = [
        "ring_vnodes",
        "ring_nodes_down",
        "ring_node_added",
        "ring_quorums_apart",
    ];

    /// Reads a goal from its name and its `count`.
    pub fn from_name(name: &str, count: Option<u64>) -> Result<RingGoal, String> {
        let count = || {
            count
                .and_then(|c| u32::try_from(c).ok())
                .filter(|c| *c > 0)
                .ok_or(format!("goal `{name}` needs a positive `count`"))
        };
        Ok(match name {
            "ring_vnodes" => RingGoal::Vnodes { count: count()? },
            "ring_nodes_down" => RingGoal::NodesDown { count: count()? },
            "ring_node_added" => RingGoal::NodeAdded,
            "ring_quorums_apart" => RingGoal::QuorumsApart,
            other => {
                return Err(format!(
                    "unknown ring goal `{other}` (expected one of {})",
                    RingGoal::NAMES.join(", ")
                ))
            }
        })
    }

    pub fn satisfied(&self, start: &RingBaseline, sim: &RingSim) -> bool {
        let s = sim.settings();
        match self {
            RingGoal::Vnodes { count } => s.vnodes == *count,
            RingGoal::NodesDown { count } => down(sim) >= *count,
            RingGoal::NodeAdded => sim.nodes().len() as u32 > start.nodes,
            RingGoal::QuorumsApart => s.read_quorum + s.write_quorum <= s.replication,
        }
    }
}

fn down(sim: &RingSim) -> u32 {
    sim.nodes()
        .iter()
        .filter(|n| matches!(n.status, NodeStatus::Crashed | NodeStatus::Down))
        .count() as u32
}

/// What the ring looked like when a step opened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RingBaseline {
    pub nodes: u32,
}

impl RingBaseline {
    pub fn of(sim: &RingSim) -> RingBaseline {
        RingBaseline {
            nodes: sim.nodes().len() as u32,
        }
    }
}

/// One step of a ring task's solution, or of what a ring prediction does once answered.
#[derive(Clone, Debug, PartialEq)]
pub enum RingStep {
    /// Apply new settings (a new run): the fields given, the others as they are.
    Set {
        vnodes: Option<u32>,
        replication: Option<u32>,
        write_quorum: Option<u32>,
        read_quorum: Option<u32>,
    },
    /// A node action, as the page's buttons do it.
    Act(RingAction),
}

impl RingStep {
    /// Reads `{"set": {"vnodes": 1}}`, `{"action": "add"}` or `{"action": "crash", "node": 3}`.
    pub fn parse(j: &Json) -> Result<RingStep, String> {
        let line = j.line;
        let err = |e: String| format!("line {line}: {e}");
        if let Some(set) = j.get("set") {
            let field = |key: &str| -> Result<Option<u32>, String> {
                match set.get(key) {
                    None => Ok(None),
                    Some(v) => v
                        .as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .map(Some)
                        .ok_or_else(|| err(format!("set.{key} must be a whole number"))),
                }
            };
            if let Some(members) = set.members() {
                for (k, _) in members {
                    if !["vnodes", "replication", "write_quorum", "read_quorum"]
                        .contains(&k.as_str())
                    {
                        return Err(err(format!("set: unknown field `{k}`")));
                    }
                }
            }
            return Ok(RingStep::Set {
                vnodes: field("vnodes")?,
                replication: field("replication")?,
                write_quorum: field("write_quorum")?,
                read_quorum: field("read_quorum")?,
            });
        }
        let node = || {
            j.get("node")
                .and_then(Json::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n > 0)
                .map(NodeId)
                .ok_or_else(|| err("`node` must be a node number".into()))
        };
        let action = match j.get("action").and_then(Json::as_str) {
            Some("add") => RingAction::Add,
            Some("crash") => RingAction::Crash { node: node()? },
            Some("restart") => RingAction::Restart { node: node()? },
            Some("remove") => RingAction::Remove { node: node()? },
            Some("heal") => RingAction::Heal,
            Some(other) => return Err(err(format!("unknown ring action `{other}`"))),
            None => return Err(err("a ring step is a `set` or an `action`".into())),
        };
        Ok(RingStep::Act(action))
    }

    /// The settings `current` becomes under a `Set` step.
    pub fn settings(&self, current: &RingSettings) -> Option<RingSettings> {
        let RingStep::Set {
            vnodes,
            replication,
            write_quorum,
            read_quorum,
        } = self
        else {
            return None;
        };
        Some(RingSettings {
            vnodes: vnodes.unwrap_or(current.vnodes),
            replication: replication.unwrap_or(current.replication),
            write_quorum: write_quorum.unwrap_or(current.write_quorum),
            read_quorum: read_quorum.unwrap_or(current.read_quorum),
            ..current.clone()
        })
    }

    /// Applies the step to `sim` as the page does (new settings start a new run).
    pub fn apply(&self, sim: &mut RingSim) -> Result<(), String> {
        match self {
            RingStep::Act(a) => sim.act(a.clone()),
            RingStep::Set { .. } => {
                let settings = self.settings(sim.settings()).ok_or("not a settings step")?;
                *sim = RingSim::new(settings)?;
                Ok(())
            }
        }
    }
}

/// The page's ring as it opens (what ring lessons start from in the tests).
pub fn page_ring() -> Result<RingSim, String> {
    RingSim::new(RingSettings {
        vnodes: PAGE_VNODES,
        ..RingSettings::default()
    })
}

/// Each key's first replica (the node that owns the key's arc), in key order.
pub fn owners(sim: &RingSim) -> Result<Vec<NodeId>, String> {
    let ring = sim.ring().ok_or("the ring is empty")?;
    Ok(sim
        .key_positions()
        .iter()
        .map(|p| ring.owner(ring.successor(*p).0))
        .collect())
}

/// The share of keys, in percent, whose first replica in `after` differs from `before` (the
/// same keys' owners earlier, from [`owners`]). The page measures its live ring before and
/// after a change this way, without copying the store.
pub fn moved_percent_between(before: &[NodeId], after: &RingSim) -> Result<u32, String> {
    let after = owners(after)?;
    if before.is_empty() || before.len() != after.len() {
        return Err("the keys changed".into());
    }
    let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count();
    Ok((moved * 100 / before.len()) as u32)
}

/// The share of keys, in percent, whose first replica changes when `steps` are applied to a
/// copy of `sim`.
pub fn moved_percent(sim: &RingSim, steps: &[RingStep]) -> Result<u32, String> {
    let before = owners(sim)?;
    let mut after = sim.clone();
    for step in steps {
        step.apply(&mut after)?;
    }
    moved_percent_between(&before, &after)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Karger et al.: a joining node takes about 1/(n+1) of the keys, from its neighbours.
    #[test]
    fn a_join_moves_about_its_share_and_goals_follow_the_ring() {
        let sim = page_ring().unwrap();
        let start = RingBaseline::of(&sim);
        let moved = moved_percent(&sim, &[RingStep::Act(RingAction::Add)]).unwrap();
        assert!((5..=20).contains(&moved), "{moved}% moved");
        let mut after = sim.clone();
        assert!(!RingGoal::NodeAdded.satisfied(&start, &after));
        RingStep::Act(RingAction::Add).apply(&mut after).unwrap();
        assert!(RingGoal::NodeAdded.satisfied(&start, &after));
        let set = RingStep::Set {
            vnodes: Some(1),
            replication: None,
            write_quorum: Some(1),
            read_quorum: Some(1),
        };
        set.apply(&mut after).unwrap();
        assert!(RingGoal::Vnodes { count: 1 }.satisfied(&start, &after));
        assert!(RingGoal::QuorumsApart.satisfied(&start, &after));
    }
}
