//! What a Paxos lesson can ask of the learner: goals checked against the live Paxos run (the
//! page's own `History<Paxos>`), the steps that accomplish them (new settings as the page's
//! settings apply them, actions as its buttons do them, and simulated time passing), and what
//! a step's goals are measured from.
//!
//! Like the retransmission and two-phase commit lessons, these are read beside the live page,
//! which they open on its default single-decree run ([`page_run`]), and `tests/lessons.rs`
//! proves each task and prediction in order from that run. Goals count what happened since the
//! step opened ([`PxBaseline`]).

use super::step_json::{GoalJson, StepJson};
use crate::codec::json::Json;
use crate::sim::engine::{Engine, Fault};
use crate::sim::history::History;
use crate::sim::net::NetConfig;
use crate::sim::paxos::{
    page_settings, set_retry, switch_variant, Paxos, PaxosAction, PaxosCoverage, PaxosSettings,
    Variant,
};
use crate::sim::types::Micros;

pub type PxHistory = History<Paxos>;
pub type PxEngine = Engine<Paxos>;

/// A goal of a Paxos task or prediction. Names are the `goal` strings of lesson files; each
/// counts from the moment the step opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PxGoal {
    /// At least `count` learners learned a chosen value ("Paxos Made Simple", section 2.3).
    Learned { count: u32 },
    /// A proposer's phase 2 carried a value a promise reported, not its own: rule P2c at work
    /// (section 2.2).
    Adopted,
    /// At least `count` proposers abandoned a ballot because an acceptor had promised a
    /// higher one (section 2.4: the progress problem).
    Preempted { count: u32 },
    /// Two proposers pre-empted each other five or more times in a row: a duel.
    Duel,
    /// A Multi-Paxos leader was established by phase 1 (section 3).
    Leader,
    /// A new leader proposed again a slot an earlier leader left unfinished, or filled a gap
    /// with a no-op (section 3).
    Reproposed,
    /// At least `count` client commands were answered (Multi-Paxos).
    Replied { count: u32 },
    /// A node restarted with a promise or an accepted proposal on its disk.
    RecoveredWithState,
    /// The live checks report a violation.
    Violated,
}

impl PxGoal {
    pub const NAMES: [&'static str; 9] = [
        "px_learned",
        "px_adopted",
        "px_preempted",
        "px_duel",
        "px_leader",
        "px_reproposed",
        "px_replied",
        "px_recovered_with_state",
        "px_violated",
    ];

    /// Reads a goal from its object: `goal`, and `count` where the goal takes one (1 when
    /// none is given).
    pub fn parse(j: &Json) -> Result<PxGoal, String> {
        let goal = GoalJson::of(j)?;
        let count = || goal.count();
        Ok(match goal.name {
            "px_learned" => PxGoal::Learned { count: count()? },
            "px_adopted" => PxGoal::Adopted,
            "px_preempted" => PxGoal::Preempted { count: count()? },
            "px_duel" => PxGoal::Duel,
            "px_leader" => PxGoal::Leader,
            "px_reproposed" => PxGoal::Reproposed,
            "px_replied" => PxGoal::Replied { count: count()? },
            "px_recovered_with_state" => PxGoal::RecoveredWithState,
            "px_violated" => PxGoal::Violated,
            _ => return Err(goal.unknown("Paxos", &PxGoal::NAMES)),
        })
    }

    /// Whether the run satisfies the goal, counted from `start`.
    pub fn satisfied(&self, start: &PxBaseline, sim: &PxEngine) -> bool {
        let now = sim.coverage();
        let since = |of: fn(&PaxosCoverage) -> u64| of(now).saturating_sub(of(&start.counts));
        match self {
            PxGoal::Learned { count } => since(|c| c.learns) >= u64::from(*count),
            PxGoal::Adopted => since(|c| c.adopted_values) > 0,
            PxGoal::Preempted { count } => since(|c| c.preemptions) >= u64::from(*count),
            PxGoal::Duel => since(|c| c.long_streaks) > 0,
            PxGoal::Leader => since(|c| c.leaders) > 0,
            PxGoal::Reproposed => since(|c| c.reproposed_slots + c.noop_slots) > 0,
            PxGoal::Replied { count } => since(|c| c.client_replies) >= u64::from(*count),
            PxGoal::RecoveredWithState => since(|c| c.recoveries_with_state) > 0,
            PxGoal::Violated => sim.violations().len() > start.violations,
        }
    }
}

/// What the run had counted when a step opened (or when the run was replaced since).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PxBaseline {
    pub counts: PaxosCoverage,
    pub violations: usize,
}

impl PxBaseline {
    pub fn of(sim: &PxEngine) -> PxBaseline {
        PxBaseline {
            counts: *sim.coverage(),
            violations: sim.violations().len(),
        }
    }
}

/// The page's variants by their names in lesson files.
const VARIANTS: [(&str, Variant); 2] = [("single", Variant::Single), ("multi", Variant::Multi)];

/// New settings as the page applies them: the fields given, the others as they are. Choosing
/// a variant is the page's variant switch ([`switch_variant`]: the page's run of that variant,
/// keeping the seed, the size and the network). Every change is a new run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PxSet {
    pub variant: Option<Variant>,
    pub nodes: Option<u32>,
    pub latency_ms: Option<u64>,
    pub loss_percent: Option<u64>,
    pub seed: Option<u64>,
}

/// The names of [`PxSet`]'s fields in lesson files.
const SET_FIELDS: [&str; 5] = ["variant", "nodes", "latency_ms", "loss_percent", "seed"];

impl PxSet {
    /// `current` with these fields changed.
    pub fn settings(&self, current: &PaxosSettings) -> PaxosSettings {
        let mut s = match self.variant {
            Some(v) => switch_variant(current, v),
            None => current.clone(),
        };
        if let Some(n) = self.nodes {
            s.paxos.nodes = n;
        }
        if let Some(ms) = self.latency_ms {
            s.network.set_latency_ms_keeping_jitter(ms);
        }
        if let Some(p) = self.loss_percent {
            s.network.loss_ppm = NetConfig::ppm_of_percent(p);
        }
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        s
    }
}

/// One thing a Paxos lesson's solution (or a prediction's `then`) does to the live run.
#[derive(Clone, Debug, PartialEq)]
pub enum PxStep {
    Set(PxSet),
    /// Propose from a node, crash, restart, partition, heal, or switch randomized retry, as
    /// the page's buttons do it.
    Act(PaxosAction),
    /// Simulated time runs on this long.
    Wait {
        us: Micros,
    },
}

impl PxStep {
    /// Reads `{"set": {"variant": "multi"}}`, `{"action": "propose", "node": 2}` (also
    /// `crash` and `restart`), `{"action": "partition", "groups": [[1, 2], [3, 4, 5]]}`,
    /// `{"action": "heal"}`, `{"action": "retry", "randomized": false}` or `{"wait_ms": 500}`.
    pub fn parse(j: &Json) -> Result<PxStep, String> {
        let step = StepJson {
            j,
            what: "a Paxos step",
        };
        step.known(&["set", "action", "node", "groups", "randomized", "wait_ms"])?;
        if let Some(set) = step.set(&SET_FIELDS) {
            let set = set?;
            let names = VARIANTS.map(|(n, _)| n);
            return Ok(PxStep::Set(PxSet {
                variant: set.choice("variant", &names)?.map(|i| VARIANTS[i].1),
                nodes: set.small("nodes")?,
                latency_ms: set.number("latency_ms")?,
                loss_percent: set.number("loss_percent")?,
                seed: set.number("seed")?,
            }));
        }
        if let Some(us) = step.wait_us() {
            return Ok(PxStep::Wait { us: us? });
        }
        let action = match step.action() {
            Some("propose") => PaxosAction::Propose { node: step.node()? },
            Some("crash") => PaxosAction::Fault(Fault::Crash {
                node: step.node()?,
                mode: Default::default(),
            }),
            Some("restart") => PaxosAction::Fault(Fault::Restart { node: step.node()? }),
            Some("partition") => PaxosAction::Fault(Fault::Partition {
                groups: step.groups()?,
            }),
            Some("heal") => PaxosAction::Fault(Fault::Heal),
            Some("retry") => set_retry(
                j.get("randomized")
                    .and_then(Json::as_bool)
                    .ok_or_else(|| step.err("`retry` needs `randomized`: true or false"))?,
            ),
            Some(other) => return Err(step.err(format!("unknown Paxos action `{other}`"))),
            None => return Err(step.err("a Paxos step is a `set`, an `action` or a `wait_ms`")),
        };
        Ok(PxStep::Act(action))
    }

    /// Applies the step to `history` as the page does: new settings replace the run (and
    /// `start` with it), actions act now, waits run on.
    pub fn apply(&self, history: &mut PxHistory, start: &mut PxBaseline) -> Result<(), String> {
        match self {
            PxStep::Set(set) => {
                let settings = set.settings(history.sim().settings());
                *history = PxHistory::new(settings).map_err(|e| e.english())?;
                *start = PxBaseline::of(history.sim());
            }
            PxStep::Act(action) => history.act(action.clone()).map_err(|e| e.english())?,
            PxStep::Wait { us } => history.advance(history.now_us().saturating_add(*us)),
        }
        Ok(())
    }
}

/// The page's Paxos run as a lesson opens it: single-decree, the default settings, at its
/// start.
pub fn page_run() -> Result<PxHistory, String> {
    PxHistory::new(page_settings(Variant::Single)).map_err(|e| e.english())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::json;

    fn step(text: &str) -> PxStep {
        PxStep::parse(&json::parse(text).unwrap()).unwrap()
    }

    fn goal(text: &str) -> PxGoal {
        PxGoal::parse(&json::parse(text).unwrap()).unwrap()
    }

    /// Section 2.3: once a value is chosen every learner learns it; section 2.4: two proposers
    /// with a fixed retry pre-empt each other, and a randomized retry ends the duel.
    #[test]
    fn a_value_is_learned_and_a_duel_ends_with_randomized_retry() {
        let mut h = page_run().unwrap();
        let mut start = PxBaseline::of(h.sim());
        step(r#"{"wait_ms": 1000}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert!(goal(r#"{"goal": "px_learned", "count": 5}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "px_duel"}"#).satisfied(&start, h.sim()));

        let mut h = page_run().unwrap();
        let mut start = PxBaseline::of(h.sim());
        for s in [
            r#"{"action": "retry", "randomized": false}"#,
            r#"{"action": "propose", "node": 2}"#,
            r#"{"wait_ms": 4000}"#,
        ] {
            step(s).apply(&mut h, &mut start).unwrap();
        }
        assert!(goal(r#"{"goal": "px_duel"}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "px_learned"}"#).satisfied(&start, h.sim()));
        let mut start = PxBaseline::of(h.sim());
        step(r#"{"action": "retry", "randomized": true}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        step(r#"{"wait_ms": 5000}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert!(goal(r#"{"goal": "px_learned", "count": 5}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "px_violated"}"#).satisfied(&start, h.sim()));
    }

    /// Section 3: the Multi-Paxos run elects a leader and answers its clients.
    #[test]
    fn the_multi_paxos_run_leads_and_replies() {
        let mut h = page_run().unwrap();
        let mut start = PxBaseline::of(h.sim());
        step(r#"{"set": {"variant": "multi", "seed": 3}}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert_eq!(h.sim().settings().paxos.variant, Variant::Multi);
        assert_eq!(h.sim().settings().seed, 3);
        step(r#"{"wait_ms": 6000}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert!(goal(r#"{"goal": "px_leader"}"#).satisfied(&start, h.sim()));
        assert!(goal(r#"{"goal": "px_replied", "count": 3}"#).satisfied(&start, h.sim()));
    }

    #[test]
    fn bad_steps_and_goals_are_named() {
        let cases = [
            (r#"{"set": {"colour": 1}}"#, "unknown field `colour`"),
            (
                r#"{"set": {"variant": "fast"}}"#,
                "set.variant is single or multi",
            ),
            (r#"{"wait_ms": 0}"#, "wait_ms"),
            (r#"{"action": "explode"}"#, "explode"),
            (r#"{"action": "propose"}"#, "node"),
            (r#"{"action": "retry"}"#, "randomized"),
            (r#"{"action": "partition", "groups": [[0]]}"#, "groups"),
            (r#"{"jump": 1}"#, "unknown field `jump`"),
        ];
        for (text, expected) in cases {
            let e = PxStep::parse(&json::parse(text).unwrap()).unwrap_err();
            assert!(e.contains(expected), "{e} should mention {expected}");
        }
        for name in PxGoal::NAMES {
            let text = format!(r#"{{"goal": "{name}", "count": 2}}"#);
            assert!(
                PxGoal::parse(&json::parse(&text).unwrap()).is_ok(),
                "{name}"
            );
        }
        let e = PxGoal::parse(&json::parse(r#"{"goal": "px_fly"}"#).unwrap()).unwrap_err();
        assert!(e.contains("px_fly"), "{e}");
    }
}
