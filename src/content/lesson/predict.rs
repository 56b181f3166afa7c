//! Prediction tasks: a step asks the learner what will happen before the run continues
//! ("which server will win this election?", "will this put commit?", "how many keys will
//! move?"), then continues the run (the prediction's `then` actions, up to `until_ms`) and
//! checks the answer against what happened. Which choice is right is never written in the
//! file: it is the one whose outcome holds in the continued run, so the lesson cannot claim
//! an outcome the simulation does not produce (`tests/lessons.rs` checks that exactly one
//! does).

use super::facts::Fact;
use super::live::{LiveBaseline, LiveGoal, LiveRun, LiveStep};
use super::mode::LessonMode;
use super::ring::{moved_percent_between, RingStep};
use super::task::Goal;
use crate::codec::json::Json;
use crate::sim::raft::action::TimedAction;
use crate::sim::ring::store::RingSim;
use crate::sim::types::{Micros, NodeId};

#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    pub question: String,
    pub choices: Vec<Choice>,
    /// What the run does once the learner has answered (Raft lessons), at absolute times.
    pub then: Vec<TimedAction>,
    /// What the page does to the live ring once the learner has answered (ring lessons).
    pub ring_then: Vec<RingStep>,
    /// What the page does to the live run once the learner has answered (retransmission and
    /// two-phase commit lessons).
    pub live_then: Vec<LiveStep>,
    /// The moment the continued run is judged at (Raft lessons).
    pub until_us: Micros,
    /// Why it happens, shown whichever choice was made.
    pub explain: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub text: String,
    pub outcome: Outcome,
}

/// What must hold once the run has continued for a choice to be the right one.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A fact of the continued run holds, or does not (`{"fact": "leader", "node": 3}`,
    /// `"holds": false` for its negation).
    Fact { fact: Fact, holds: bool },
    /// A task goal holds, or does not (`{"goal": "put_committed", "holds": false}`), measured
    /// from the step's start (in retransmission lessons, from the moment the learner answered,
    /// or the new run `then` started).
    Goal { goal: Goal, holds: bool },
    /// The share of keys whose owner changes lies in this range, in percent (ring lessons).
    Moved { min_percent: u32, max_percent: u32 },
}

pub const CHOICES_MIN: usize = 2;
pub const CHOICES_MAX: usize = 5;

impl Prediction {
    /// Which choice the continued run bears out: exactly one must.
    pub(super) fn the_one(
        &self,
        holds: impl Fn(&Outcome) -> Result<bool, String>,
    ) -> Result<usize, String> {
        let mut right = Vec::new();
        for (i, c) in self.choices.iter().enumerate() {
            if holds(&c.outcome)? {
                right.push(i);
            }
        }
        match right.as_slice() {
            [one] => Ok(*one),
            [] => Err("no choice holds in the continued run".into()),
            many => Err(format!(
                "{} choices hold in the continued run (exactly one must)",
                many.len()
            )),
        }
    }

    /// For a ring lesson: the right choice, from the keys' owners before `ring_then` was
    /// applied ([`super::ring::owners`]) and the ring after it.
    pub fn judge_ring(&self, before: &[NodeId], after: &RingSim) -> Result<usize, String> {
        let moved = moved_percent_between(before, after)?;
        self.the_one(|o| match o {
            Outcome::Moved {
                min_percent,
                max_percent,
            } => Ok((*min_percent..=*max_percent).contains(&moved)),
            _ => Err("a ring prediction's outcomes are key shares".into()),
        })
    }

    /// For a lesson read beside a live run that counts events (retransmission, two-phase
    /// commit): the right choice, from the run after `live_then` was applied and what its
    /// goals count from ([`super::live::LiveHistory::apply`] keeps `start` up to date).
    pub fn judge_live(&self, start: &LiveBaseline, after: LiveRun) -> Result<usize, String> {
        self.the_one(|o| match o {
            Outcome::Goal {
                goal: Goal::Live(goal),
                holds,
            } => Ok(goal.satisfied(start, after) == *holds),
            _ => Err("a live lesson's prediction outcomes are goals of its mode".into()),
        })
    }
}

/// Reads a step's `predict` in a lesson of `mode` (a ring lesson's `then` are ring steps, a
/// retransmission lesson's retransmission steps, and neither has `until_ms`).
pub fn parse(
    j: &Json,
    mode: LessonMode,
    nodes: u32,
    step_at_us: Micros,
    actions: impl Fn(&Json) -> Result<Vec<TimedAction>, String>,
) -> Result<Prediction, String> {
    let line = j.line;
    let err = |e: &str| format!("line {line}: predict: {e}");
    if let Some(members) = j.members() {
        for (k, _) in members {
            if !["question", "choices", "then", "until_ms", "explain"].contains(&k.as_str()) {
                return Err(err(&format!("unknown field `{k}`")));
            }
        }
    }
    let text = |key: &str| {
        j.get(key)
            .and_then(Json::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
            .ok_or_else(|| err(&format!("`{key}` must be a non-empty string")))
    };
    let ring = mode == LessonMode::Ring;
    let live = mode.live();
    let until_us = match (live, j.get("until_ms")) {
        (true, None) => 0,
        (false, None) => return Err(err("`until_ms` is missing")),
        (_, Some(v)) => v
            .as_u64()
            .and_then(|ms| ms.checked_mul(crate::sim::types::MICROS_PER_MS))
            .filter(|t| *t >= step_at_us)
            .ok_or_else(|| err("`until_ms` must be a whole number, not before the step"))?,
    };
    let (then, ring_then, live_then) = match (mode, j.get("then")) {
        (_, None) => (Vec::new(), Vec::new(), Vec::new()),
        (
            LessonMode::Retransmit
            | LessonMode::TwoPc
            | LessonMode::Paxos
            | LessonMode::PrimaryBackup,
            Some(list),
        ) => (
            Vec::new(),
            Vec::new(),
            list.as_array()
                .ok_or_else(|| err("`then` must be an array"))?
                .iter()
                .map(|s| LiveStep::parse(mode, s))
                .collect::<Result<_, _>>()?,
        ),
        (LessonMode::Raft | LessonMode::LogReplay, Some(list)) => {
            let then = actions(list).map_err(|e| err(&e))?;
            if then
                .iter()
                .any(|a| a.at_us < step_at_us || a.at_us > until_us)
            {
                return Err(err(
                    "`then` actions must come between the step's moment and `until_ms`",
                ));
            }
            (then, Vec::new(), Vec::new())
        }
        (LessonMode::Ring, Some(list)) => (
            Vec::new(),
            list.as_array()
                .ok_or_else(|| err("`then` must be an array"))?
                .iter()
                .map(RingStep::parse)
                .collect::<Result<_, _>>()?,
            Vec::new(),
        ),
    };
    let choices_json = j
        .get("choices")
        .and_then(Json::as_array)
        .ok_or_else(|| err("`choices` must be an array"))?;
    if !(CHOICES_MIN..=CHOICES_MAX).contains(&choices_json.len()) {
        return Err(err(&format!(
            "a prediction has {CHOICES_MIN} to {CHOICES_MAX} choices"
        )));
    }
    let mut choices = Vec::with_capacity(choices_json.len());
    for c in choices_json {
        let cerr = |e: &str| format!("line {}: predict.choices: {e}", c.line);
        let text = c
            .get("text")
            .and_then(Json::as_str)
            .ok_or_else(|| cerr("`text` must be a string"))?
            .to_string();
        let o = c
            .get("outcome")
            .ok_or_else(|| cerr("`outcome` is missing"))?;
        let holds = o.get("holds").and_then(Json::as_bool).unwrap_or(true);
        let outcome = if o.get("fact").is_some() {
            Outcome::Fact {
                fact: Fact::parse(&o.without(&["holds"]), nodes, until_us)?,
                holds,
            }
        } else if mode.counts_live_events() && o.get("goal").is_some() {
            outcome_keys(o, &["goal", "count", "ms", "holds", "property"]).map_err(|e| cerr(&e))?;
            Outcome::Goal {
                goal: Goal::Live(LiveGoal::parse(mode, o)?),
                holds,
            }
        } else if let Some(name) = o.get("goal").and_then(Json::as_str) {
            Outcome::Goal {
                goal: Goal::from_name(name, o.get("count").and_then(Json::as_u64))
                    .map_err(|e| cerr(&e))?,
                holds,
            }
        } else if let (Some(min), Some(max)) = (
            o.get("moved_percent_min").and_then(Json::as_u64),
            o.get("moved_percent_max").and_then(Json::as_u64),
        ) {
            Outcome::Moved {
                min_percent: min.min(100) as u32,
                max_percent: max.min(100) as u32,
            }
        } else {
            return Err(cerr(
                "`outcome` is a fact, a goal, or moved_percent_min and moved_percent_max",
            ));
        };
        if ring != matches!(outcome, Outcome::Moved { .. }) {
            return Err(cerr(
                "ring lessons predict key shares; other lessons predict facts or goals",
            ));
        }
        if mode.counts_live_events()
            != matches!(
                outcome,
                Outcome::Goal {
                    goal: Goal::Live(_),
                    ..
                }
            )
        {
            return Err(cerr(
                "retransmission, two-phase commit, Paxos and primary-backup lessons predict goals of their mode (rt_..., tp_..., px_..., pb_...), and only they do",
            ));
        }
        choices.push(Choice { text, outcome });
    }
    Ok(Prediction {
        question: text("question")?,
        choices,
        then,
        ring_then,
        live_then,
        until_us,
        explain: text("explain")?,
    })
}

/// Refuses an outcome's members the format does not know.
fn outcome_keys(o: &Json, keys: &[&str]) -> Result<(), String> {
    for (k, _) in o.members().unwrap_or_default() {
        if !keys.contains(&k.as_str()) {
            return Err(format!("unknown field `{k}` in an outcome"));
        }
    }
    Ok(())
}
