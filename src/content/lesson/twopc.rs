//! What a two-phase commit lesson can ask of the learner: goals checked against the live
//! two-phase commit run (the page's own `History<TwoPc>`), the steps that accomplish them (new
//! settings as the settings form applies them, actions as the page's buttons do them, and
//! simulated time passing), and what a step's goals are measured from.
//!
//! Like the retransmission lessons, these have no scripted run: they are read beside the live
//! two-phase commit page, which they open on its default run ([`page_run`]), and
//! `tests/lessons.rs` proves each task and prediction in order from that run. Goals count what
//! happened since the step opened ([`TpBaseline`]), because the run on screen goes on by
//! itself.

use super::step_json::{GoalJson, StepJson};
use crate::codec::json::Json;
use crate::sim::engine::{Engine, Fault};
use crate::sim::history::History;
use crate::sim::net::NetConfig;
use crate::sim::twopc::{
    crash_coordinator_before_decision, page_settings, CoordinatorKind, TwoPc, TwoPcAction,
    TwoPcCoverage, TwoPcSettings,
};
use crate::sim::types::Micros;

pub type TpHistory = History<TwoPc>;
pub type TpEngine = Engine<TwoPc>;

/// A goal of a two-phase commit task or prediction. Names are the `goal` strings of lesson
/// files; each counts from the moment the step opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TpGoal {
    /// At least `count` transactions committed (every participant voted yes, the coordinator
    /// logged commit: Bernstein, Hadzilacos and Goodman, section 7.3).
    Committed { count: u32 },
    /// At least `count` transactions aborted.
    Aborted { count: u32 },
    /// A participant voted no.
    VotedNo,
    /// A prepared participant waited for a decision past its timeout: blocked, locks held.
    Blocked,
    /// A later transaction waited for locks a prepared (possibly blocked) participant holds.
    WaitedBehindPrepared,
    /// A participant learned the outcome from another participant (the cooperative
    /// termination protocol, section 7.4).
    Cooperative,
    /// A participant restarted and recovered its state from its log.
    ParticipantRecovered,
    /// The coordinator restarted and recovered its decisions from its log.
    CoordinatorRecovered,
    /// A recovered coordinator sent a logged commit decision again.
    CommitsResent,
    /// The coordinator answered an inquiry about a transaction it has no record of with
    /// "abort" (presumed abort: Mohan, Lindsay and Obermarck, 1986).
    PresumedAbort,
    /// A member of the coordinator group took over coordinating (with the coordinator on
    /// Raft: elected, with an entry of its term committed, Raft section 5.4.2).
    TakenOver,
    /// The live checks report a violation.
    Violated,
}

impl TpGoal {
    pub const NAMES: [&'static str; 12] = [
        "tp_committed",
        "tp_aborted",
        "tp_voted_no",
        "tp_blocked",
        "tp_waited_behind_prepared",
        "tp_cooperative",
        "tp_participant_recovered",
        "tp_coordinator_recovered",
        "tp_commits_resent",
        "tp_presumed_abort",
        "tp_taken_over",
        "tp_violated",
    ];

    /// Reads a goal from its object: `goal`, and `count` where the goal takes one (1 when
    /// none is given).
    pub fn parse(j: &Json) -> Result<TpGoal, String> {
        let goal = GoalJson::of(j)?;
        let count = || goal.count();
        Ok(match goal.name {
            "tp_committed" => TpGoal::Committed { count: count()? },
            "tp_aborted" => TpGoal::Aborted { count: count()? },
            "tp_voted_no" => TpGoal::VotedNo,
            "tp_blocked" => TpGoal::Blocked,
            "tp_waited_behind_prepared" => TpGoal::WaitedBehindPrepared,
            "tp_cooperative" => TpGoal::Cooperative,
            "tp_participant_recovered" => TpGoal::ParticipantRecovered,
            "tp_coordinator_recovered" => TpGoal::CoordinatorRecovered,
            "tp_commits_resent" => TpGoal::CommitsResent,
            "tp_presumed_abort" => TpGoal::PresumedAbort,
            "tp_taken_over" => TpGoal::TakenOver,
            "tp_violated" => TpGoal::Violated,
            _ => return Err(goal.unknown("two-phase commit", &TpGoal::NAMES)),
        })
    }

    /// Whether the run satisfies the goal, counted from `start`.
    pub fn satisfied(&self, start: &TpBaseline, sim: &TpEngine) -> bool {
        let now = sim.coverage();
        let since = |of: fn(&TwoPcCoverage) -> u64| of(now).saturating_sub(of(&start.counts));
        match self {
            TpGoal::Committed { count } => since(|c| c.commits) >= u64::from(*count),
            TpGoal::Aborted { count } => since(|c| c.aborts) >= u64::from(*count),
            TpGoal::VotedNo => since(|c| c.votes_no) > 0,
            TpGoal::Blocked => since(|c| c.blocked) > 0,
            TpGoal::WaitedBehindPrepared => since(|c| c.lock_waits_behind_prepared) > 0,
            TpGoal::Cooperative => since(|c| c.cooperative_resolutions) > 0,
            TpGoal::ParticipantRecovered => since(|c| c.participant_recoveries) > 0,
            TpGoal::CoordinatorRecovered => since(|c| c.coordinator_recoveries) > 0,
            TpGoal::CommitsResent => since(|c| c.commits_resent_after_recovery) > 0,
            TpGoal::PresumedAbort => since(|c| c.presumed_aborts) > 0,
            TpGoal::TakenOver => since(|c| c.group_takeovers) > 0,
            TpGoal::Violated => sim.violations().len() > start.violations,
        }
    }
}

/// What the run had counted when a step opened (or when the run was replaced since: a new run
/// counts from nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TpBaseline {
    pub counts: TwoPcCoverage,
    pub violations: usize,
}

impl TpBaseline {
    pub fn of(sim: &TpEngine) -> TpBaseline {
        TpBaseline {
            counts: *sim.coverage(),
            violations: sim.violations().len(),
        }
    }
}

/// New settings as the page's settings form applies them: the fields given, the others as
/// they are. Every change is a new run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TpSet {
    pub coordinator: Option<CoordinatorKind>,
    pub participants: Option<u32>,
    pub clients: Option<u32>,
    pub latency_ms: Option<u64>,
    pub loss_percent: Option<u64>,
    pub seed: Option<u64>,
}

/// The names of [`TpSet`]'s fields in lesson files.
const SET_FIELDS: [&str; 6] = [
    "coordinator",
    "participants",
    "clients",
    "latency_ms",
    "loss_percent",
    "seed",
];

impl TpSet {
    /// `current` with these fields changed, as the form changes them.
    pub fn settings(&self, current: &TwoPcSettings) -> TwoPcSettings {
        let mut s = current.clone();
        if let Some(kind) = self.coordinator {
            s.twopc.coordinator = kind;
        }
        if let Some(p) = self.participants {
            s.twopc.participants = p;
        }
        if let Some(c) = self.clients {
            s.twopc.clients = c;
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

/// One thing a two-phase commit lesson's solution (or a prediction's `then`) does to the live
/// run, as the page's controls do it.
#[derive(Clone, Debug, PartialEq)]
pub enum TpStep {
    /// New settings: a new run.
    Set(TpSet),
    /// A crash, a restart or a "votes no", as the page's buttons do it.
    Act(TwoPcAction),
    /// The page's "crash the coordinator before it decides": runs on to a transaction whose
    /// votes are all yes and crashes the coordinator there.
    CrashBeforeDecision,
    /// Simulated time runs on this long.
    Wait { us: Micros },
}

impl TpStep {
    /// Reads `{"set": {"participants": 4}}`, `{"action": "crash", "node": 2}` (also
    /// `restart` and `vote_no`), `{"action": "crash_before_decision"}` or
    /// `{"wait_ms": 1000}`.
    pub fn parse(j: &Json) -> Result<TpStep, String> {
        let step = StepJson {
            j,
            what: "a two-phase commit step",
        };
        step.known(&["set", "action", "node", "wait_ms"])?;
        if let Some(set) = step.set(&SET_FIELDS) {
            let set = set?;
            let kinds = CoordinatorKind::ALL.map(CoordinatorKind::name);
            return Ok(TpStep::Set(TpSet {
                coordinator: set
                    .choice("coordinator", &kinds)?
                    .map(|i| CoordinatorKind::ALL[i]),
                participants: set.small("participants")?,
                clients: set.small("clients")?,
                latency_ms: set.number("latency_ms")?,
                loss_percent: set.number("loss_percent")?,
                seed: set.number("seed")?,
            }));
        }
        if let Some(us) = step.wait_us() {
            return Ok(TpStep::Wait { us: us? });
        }
        let action = match step.action() {
            Some("crash") => TwoPcAction::Fault(Fault::Crash {
                node: step.node()?,
                mode: Default::default(),
            }),
            Some("restart") => TwoPcAction::Fault(Fault::Restart { node: step.node()? }),
            Some("vote_no") => TwoPcAction::VoteNo { node: step.node()? },
            Some("crash_before_decision") => return Ok(TpStep::CrashBeforeDecision),
            Some(other) => {
                return Err(step.err(format!("unknown two-phase commit action `{other}`")))
            }
            None => {
                return Err(
                    step.err("a two-phase commit step is a `set`, an `action` or a `wait_ms`")
                )
            }
        };
        Ok(TpStep::Act(action))
    }

    /// Applies the step to `history` as the page does: new settings replace the run (and
    /// `start` with it), actions act now, waits run on.
    pub fn apply(&self, history: &mut TpHistory, start: &mut TpBaseline) -> Result<(), String> {
        match self {
            TpStep::Set(set) => {
                let settings = set.settings(history.sim().settings());
                *history = TpHistory::new(settings).map_err(|e| e.english())?;
                *start = TpBaseline::of(history.sim());
            }
            TpStep::Act(action) => history.act(action.clone()).map_err(|e| e.english())?,
            TpStep::CrashBeforeDecision => {
                crash_coordinator_before_decision(history).map_err(|e| e.english())?;
            }
            TpStep::Wait { us } => history.advance(history.now_us().saturating_add(*us)),
        }
        Ok(())
    }
}

/// The page's two-phase commit run as a lesson opens it: the default settings, at its start.
pub fn page_run() -> Result<TpHistory, String> {
    TpHistory::new(page_settings()).map_err(|e| e.english())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::json;
    use crate::sim::twopc::config::COORDINATOR;

    fn step(text: &str) -> TpStep {
        TpStep::parse(&json::parse(text).unwrap()).unwrap()
    }

    fn goal(text: &str) -> TpGoal {
        TpGoal::parse(&json::parse(text).unwrap()).unwrap()
    }

    /// Bernstein, Hadzilacos and Goodman, section 7.3: with every participant prepared and the
    /// coordinator down, a participant cannot decide alone: it blocks, and the coordinator's
    /// log settles it once the coordinator is back (section 7.5: recovery resends decisions).
    #[test]
    fn a_crash_before_the_decision_blocks_until_the_coordinator_recovers() {
        let mut h = page_run().unwrap();
        let mut start = TpBaseline::of(h.sim());
        let committed = goal(r#"{"goal": "tp_committed", "count": 2}"#);
        assert!(!committed.satisfied(&start, h.sim()));
        step(r#"{"wait_ms": 3000}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert!(committed.satisfied(&start, h.sim()));

        let start = TpBaseline::of(h.sim());
        let mut s = start.clone();
        step(r#"{"action": "crash_before_decision"}"#)
            .apply(&mut h, &mut s)
            .unwrap();
        assert!(h
            .sim()
            .node(COORDINATOR)
            .is_some_and(|n| n.process.is_none()));
        step(r#"{"wait_ms": 3000}"#).apply(&mut h, &mut s).unwrap();
        assert!(goal(r#"{"goal": "tp_blocked"}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "tp_coordinator_recovered"}"#).satisfied(&start, h.sim()));
        step(&format!(
            r#"{{"action": "restart", "node": {}}}"#,
            COORDINATOR.0
        ))
        .apply(&mut h, &mut s)
        .unwrap();
        step(r#"{"wait_ms": 3000}"#).apply(&mut h, &mut s).unwrap();
        assert!(goal(r#"{"goal": "tp_coordinator_recovered"}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "tp_violated"}"#).satisfied(&start, h.sim()));
    }

    /// A "no" vote aborts the transaction everywhere (section 7.3: one no suffices).
    #[test]
    fn a_no_vote_aborts_and_a_new_run_counts_from_nothing() {
        let mut h = page_run().unwrap();
        let mut start = TpBaseline::of(h.sim());
        step(r#"{"set": {"participants": 4, "seed": 3, "loss_percent": 5}}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert_eq!(h.sim().settings().twopc.participants, 4);
        assert_eq!(h.sim().settings().network.loss_ppm, 50_000);
        assert_eq!(start, TpBaseline::of(h.sim()));
        step(r#"{"action": "vote_no", "node": 2}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        step(r#"{"wait_ms": 3000}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert!(goal(r#"{"goal": "tp_voted_no"}"#).satisfied(&start, h.sim()));
        assert!(goal(r#"{"goal": "tp_aborted"}"#).satisfied(&start, h.sim()));
    }

    #[test]
    fn bad_steps_and_goals_are_named() {
        let cases = [
            (r#"{"set": {"colour": 1}}"#, "unknown field `colour`"),
            (r#"{"set": {"participants": -1}}"#, "set.participants"),
            (r#"{"wait_ms": 0}"#, "wait_ms"),
            (r#"{"action": "explode", "node": 1}"#, "explode"),
            (r#"{"action": "vote_no"}"#, "node"),
            (r#"{"jump": 1}"#, "unknown field `jump`"),
        ];
        for (text, expected) in cases {
            let e = TpStep::parse(&json::parse(text).unwrap()).unwrap_err();
            assert!(e.contains(expected), "{e} should mention {expected}");
        }
        for (text, expected) in [
            (r#"{"goal": "tp_fly"}"#, "tp_fly"),
            (r#"{"goal": "tp_committed", "count": 0}"#, "count"),
        ] {
            let e = TpGoal::parse(&json::parse(text).unwrap()).unwrap_err();
            assert!(e.contains(expected), "{e} should mention {expected}");
        }
        for name in TpGoal::NAMES {
            let text = format!(r#"{{"goal": "{name}", "count": 2}}"#);
            assert!(
                TpGoal::parse(&json::parse(&text).unwrap()).is_ok(),
                "{name}"
            );
        }
    }
}
