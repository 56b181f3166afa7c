//! Guided lessons: data files of steps that drive the real simulation (format in
//! docs/lesson-format.md). Each step is a scenario state (settings, seed, the actions so far,
//! a moment), text, what to highlight, and optionally a task checked against the live run.
//!
//! Everything here is pure: parsing, building the run a step shows, and checking tasks. The
//! page and the tests call the same functions, so a lesson that passes `tests/lessons.rs`
//! shows the learner exactly the states the tests replayed.

pub mod availability;
pub mod facts;
pub mod labels;
pub mod live;
mod mode;
pub mod paxos;
pub mod pb;
pub mod predict;
pub mod retransmit;
pub mod ring;
mod step_json;
pub mod task;
pub mod translation;
pub mod twopc;

use crate::codec::json::{self, Json};
use crate::codec::scenario::Scenario;
use crate::codec::scenario_json;
use crate::sim::raft::action::TimedAction;
use crate::sim::raft::settings::Settings;
use crate::sim::raft::RaftHistory;
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};
pub use mode::LessonMode;
pub use task::{Baseline, Goal};

/// The lesson format version this build reads.
pub const LESSON_VERSION: u64 = 1;
/// Bounds on a lesson's length, from the issue: long enough to build an idea, short enough
/// to finish in one sitting.
pub const STEPS_MIN: usize = 5;
pub const STEPS_MAX: usize = 12;

/// Panels a step may point at: the page's tab ids.
pub const PANELS: [&str; 7] = [
    "logs", "node", "disks", "events", "network", "diagram", "messages",
];
/// Message kinds a step may highlight: the `data-type` of messages on the page.
pub const MESSAGE_KINDS: [&str; 12] = [
    "RequestVote",
    "PreVote",
    "RequestVoteReply",
    "PreVoteReply",
    "Heartbeat",
    "AppendEntries",
    "AppendEntriesReply",
    "InstallSnapshot",
    "InstallSnapshotReply",
    "TimeoutNow",
    "ClientRequest",
    "ClientReply",
];

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// The file it was read from (`02-leader-election.json`): share links name lessons by it.
    pub source: String,
    pub id: String,
    pub title: String,
    pub summary: String,
    pub mode: LessonMode,
    pub steps: Vec<Step>,
    /// The lesson's revision (1 unless steps were added since links to it were shared), and
    /// the steps each later revision added (1-based numbers in that revision), so that a link
    /// made in an earlier revision opens the step it named.
    pub revision: u32,
    pub added_steps: Vec<(u32, Vec<usize>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: String,
    /// Paragraphs.
    pub text: Vec<String>,
    /// The whole run up to this step: settings, seed, and every action of the earlier steps
    /// and their tasks' solutions, then this step's own.
    pub scenario: Scenario,
    /// The moment the step shows.
    pub at_us: Micros,
    /// Whether time runs as soon as the step opens.
    pub play: bool,
    pub highlight: Highlight,
    pub task: Option<Task>,
    pub calculator: Option<Calculator>,
    /// Facts of the run the text states, checked by the lesson tests ([`facts`]).
    pub facts: Vec<facts::Fact>,
    /// A prediction to make before the run continues ([`predict`]); a step has a task or a
    /// prediction, not both.
    pub predict: Option<predict::Prediction>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    pub nodes: Vec<NodeId>,
    /// Highlight whichever server leads at the moment.
    pub leader: bool,
    /// A panel (tab id) to open and outline.
    pub panel: Option<String>,
    /// A message kind to emphasize in flight.
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub goal: Goal,
    /// What to do, for the learner.
    pub text: String,
    /// Actions that accomplish the task from the step's state, at absolute times.
    pub solution: Vec<TimedAction>,
    /// The goal holds by this moment once the solution is applied.
    pub done_by_us: Micros,
    /// In ring lessons: what accomplishes the task on the live ring (the goal is a
    /// [`Goal::Ring`] one, and `solution` is empty).
    pub ring_solution: Vec<ring::RingStep>,
    /// In retransmission and two-phase commit lessons: what accomplishes the task on the live
    /// run (the goal is a [`Goal::Live`] one, and `solution` is empty).
    pub live_solution: Vec<live::LiveStep>,
}

/// The availability calculator of lesson 9, with the values it opens with.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Calculator {
    pub nodes: u32,
    pub down_percent: u32,
}

/// One entry of `lessons/index.json`: enough to list a lesson without fetching it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    pub file: String,
    pub title: String,
    pub mode: LessonMode,
}

/// Parses `lessons/index.json`; `name` is used in errors.
pub fn parse_index(name: &str, text: &str) -> Result<Vec<IndexEntry>, String> {
    let at = |e: String| format!("{name}: {e}");
    let doc = json::parse(text).map_err(|e| at(e.into()))?;
    check_version(&doc).map_err(at)?;
    let lessons = doc
        .get("lessons")
        .and_then(Json::as_array)
        .ok_or_else(|| at("`lessons` must be an array".into()))?;
    lessons
        .iter()
        .map(|l| {
            let field = |key: &str| {
                l.get(key)
                    .and_then(Json::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| at(format!("line {}: `{key}` must be a string", l.line)))
            };
            let file = field("file")?;
            // Only a plain file name next to the index: never a path elsewhere.
            if file.is_empty()
                || !file
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
                || file.starts_with('.')
            {
                return Err(at(format!(
                    "line {}: `{file}` is not a plain file name",
                    l.line
                )));
            }
            Ok(IndexEntry {
                file,
                title: field("title")?,
                mode: LessonMode::from_name(&field("mode")?)
                    .map_err(|e| at(format!("line {}: {e}", l.line)))?,
            })
        })
        .collect()
}

fn check_version(doc: &Json) -> Result<(), String> {
    match doc.get("version").and_then(Json::as_u64) {
        Some(LESSON_VERSION) => Ok(()),
        Some(v) => Err(format!(
            "version {v} is not supported (this build reads version {LESSON_VERSION})"
        )),
        None => Err("missing `version` (a number)".into()),
    }
}

impl Lesson {
    /// Parses a lesson file's text. `name` (the file name) starts every error message.
    pub fn parse(name: &str, text: &str) -> Result<Lesson, String> {
        let mut lesson = parse_lesson(text).map_err(|e| format!("{name}: {e}"))?;
        lesson.source = name.to_string();
        Ok(lesson)
    }

    /// The run as step `index` shows it.
    pub fn history_at(&self, index: usize) -> Result<RaftHistory, String> {
        let step = self
            .steps
            .get(index)
            .ok_or_else(|| format!("there is no step {}", index + 1))?;
        step.history()
    }
}

impl Step {
    /// Replays the step's scenario up to its moment.
    pub fn history(&self) -> Result<RaftHistory, String> {
        replay(&self.scenario, self.at_us)
    }
}

/// Replays `scenario` to `until_us`, applying each action after everything due at its
/// moment, as the page does when the learner acts.
pub fn replay(scenario: &Scenario, until_us: Micros) -> Result<RaftHistory, String> {
    let mut history = RaftHistory::new(scenario.settings.clone())?;
    apply(&mut history, &scenario.actions)?;
    history.advance(until_us);
    Ok(history)
}

/// Runs `history` to each action's moment and applies it there.
pub fn apply(history: &mut RaftHistory, actions: &[TimedAction]) -> Result<(), String> {
    for a in actions {
        history.advance(a.at_us);
        history.act(a.action.clone())?;
    }
    Ok(())
}

/// Applies a task's solution to the step's run and runs on until the goal holds. Returns
/// the run at the first event after which the goal holds, or why it never did.
/// Continues `step`'s run as its prediction says and returns it at `until_ms`, with the right
/// choice. The page shows this run once the learner has answered.
pub fn judge(step: &Step) -> Result<(RaftHistory, usize), String> {
    let p = step.predict.as_ref().ok_or("the step asks no prediction")?;
    let mut history = step.history()?;
    let start = Baseline::of(history.sim());
    apply(&mut history, &p.then)?;
    history.advance(p.until_us);
    let right = p.the_one(|o| match o {
        predict::Outcome::Fact { fact, holds } => Ok(fact.check(history.sim()).is_ok() == *holds),
        predict::Outcome::Goal { goal, holds } => {
            Ok(goal.satisfied(&start, history.sim()) == *holds)
        }
        predict::Outcome::Moved { .. } => Err("key shares are for ring lessons".into()),
    })?;
    Ok((history, right))
}

pub fn solve(step: &Step) -> Result<RaftHistory, String> {
    let task = step.task.as_ref().ok_or("the step has no task")?;
    let mut history = step.history()?;
    let start = Baseline::of(history.sim());
    apply(&mut history, &task.solution)?;
    loop {
        if task.goal.satisfied(&start, history.sim()) {
            return Ok(history);
        }
        let next = history.sim().next_event_us();
        if next.is_none_or(|t| t > task.done_by_us) || !history.step() {
            return Err(format!(
                "goal {:?} does not hold by {} ms",
                task.goal,
                task.done_by_us / MICROS_PER_MS
            ));
        }
    }
}

// ----- parsing -----

fn parse_lesson(text: &str) -> Result<Lesson, String> {
    let doc = json::parse(text)?;
    check_version(&doc)?;
    known_keys(
        &doc,
        "the lesson",
        &[
            "version",
            "id",
            "title",
            "summary",
            "mode",
            "settings",
            "steps",
            "revisions",
        ],
    )?;
    let string = |node: &Json, key: &str| -> Result<String, String> {
        node.get(key)
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("line {}: `{key}` must be a string", v.line))
            })
            .unwrap_or_else(|| Err(format!("line {}: missing `{key}`", node.line)))
    };
    let mode = LessonMode::from_name(&string(&doc, "mode")?)?;
    let mut settings = match doc.get("settings") {
        Some(s) => settings_of(s)?,
        None => Settings::default(),
    };
    let steps_json = doc
        .get("steps")
        .and_then(Json::as_array)
        .ok_or("`steps` must be an array")?;
    if !(STEPS_MIN..=STEPS_MAX).contains(&steps_json.len()) {
        return Err(format!(
            "a lesson has {STEPS_MIN} to {STEPS_MAX} steps; this one has {}",
            steps_json.len()
        ));
    }
    let mut actions: Vec<TimedAction> = Vec::new();
    let mut steps = Vec::with_capacity(steps_json.len());
    for (i, s) in steps_json.iter().enumerate() {
        let at = |e: String| format!("steps[{i}]: {e}");
        known_keys(
            s,
            "a step",
            &[
                "title",
                "text",
                "at_ms",
                "settings",
                "actions",
                "play",
                "highlight",
                "task",
                "calculator",
                "facts",
                "predict",
            ],
        )
        .map_err(at)?;
        // A step with its own settings starts a new run.
        if let Some(new) = s.get("settings") {
            settings = settings_of(new).map_err(at)?;
            actions.clear();
        }
        if let Some(list) = s.get("actions") {
            actions.extend(actions_of(list, settings.nodes).map_err(at)?);
        }
        let at_us = match s.get("at_ms") {
            Some(v) => ms(v).map_err(at)?,
            None if mode.live() => 0,
            None => return Err(at(format!("line {}: missing `at_ms`", s.line))),
        };
        check_order(&actions, at_us).map_err(at)?;
        let task = match (s.get("task"), mode) {
            (Some(t), LessonMode::Ring) => Some(ring_task_of(t).map_err(at)?),
            (Some(t), mode) if mode.counts_live_events() => {
                Some(live_task_of(t, mode).map_err(at)?)
            }
            (Some(t), _) => Some(task_of(t, settings.nodes, at_us).map_err(at)?),
            (None, _) => None,
        };
        let predict = match s.get("predict") {
            Some(p) => {
                if task.is_some() {
                    return Err(at(format!(
                        "line {}: a step has a task or a prediction, not both",
                        p.line
                    )));
                }
                if s.get("play").and_then(Json::as_bool) == Some(true) {
                    return Err(at(format!(
                        "line {}: a prediction is asked before time runs on: no `play`",
                        p.line
                    )));
                }
                let nodes = settings.nodes;
                Some(
                    predict::parse(p, mode, nodes, at_us, |list| actions_of(list, nodes))
                        .map_err(at)?,
                )
            }
            None => None,
        };
        let step = Step {
            title: string(s, "title").map_err(at)?,
            text: text_of(s).map_err(at)?,
            scenario: Scenario {
                settings: settings.clone(),
                actions: actions.clone(),
            },
            at_us,
            play: match s.get("play") {
                Some(v) => v
                    .as_bool()
                    .ok_or_else(|| at(format!("line {}: `play` must be true or false", v.line)))?,
                None => false,
            },
            highlight: match s.get("highlight") {
                Some(h) => highlight_of(h, settings.nodes).map_err(at)?,
                None => Highlight::default(),
            },
            calculator: match s.get("calculator") {
                Some(c) => Some(calculator_of(c).map_err(at)?),
                None => None,
            },
            facts: match s.get("facts").map(|f| (f, f.as_array())) {
                Some((_, Some(list))) => list
                    .iter()
                    .map(|f| facts::Fact::parse(f, settings.nodes, at_us))
                    .collect::<Result<_, _>>()
                    .map_err(at)?,
                Some((f, None)) => {
                    return Err(at(format!("line {}: `facts` must be an array", f.line)))
                }
                None => Vec::new(),
            },
            task,
            predict,
        };
        // The learner did the task (or was shown how), or answered the prediction and saw
        // the run go on: later steps start from there.
        if let Some(t) = &step.task {
            actions.extend(t.solution.iter().cloned());
        }
        if let Some(p) = &step.predict {
            actions.extend(p.then.iter().cloned());
        }
        steps.push(step);
    }
    let added_steps = match doc.get("revisions") {
        Some(r) => revisions_of(r, steps.len())?,
        None => Vec::new(),
    };
    Ok(Lesson {
        source: String::new(),
        id: string(&doc, "id")?,
        title: string(&doc, "title")?,
        summary: string(&doc, "summary")?,
        mode,
        steps,
        revision: added_steps.last().map_or(1, |(r, _)| *r),
        added_steps,
    })
}

/// Reads `revisions`: `[{"revision": 2, "added_steps": [5]}, ...]`, revisions from 2 up in
/// order, each naming the steps it added (1-based, in that revision's numbering).
fn revisions_of(list: &Json, steps: usize) -> Result<Vec<(u32, Vec<usize>)>, String> {
    let items = list
        .as_array()
        .ok_or_else(|| format!("line {}: `revisions` must be an array", list.line))?;
    let mut out: Vec<(u32, Vec<usize>)> = Vec::new();
    for item in items {
        known_keys(item, "a revision", &["revision", "added_steps"])?;
        let line = item.line;
        let revision = item
            .get("revision")
            .and_then(Json::as_u64)
            .and_then(|r| u32::try_from(r).ok())
            .ok_or_else(|| format!("line {line}: a revision needs its number"))?;
        let expected = out.last().map_or(2, |(r, _)| r + 1);
        if revision != expected {
            return Err(format!(
                "line {line}: revision {revision} should be {expected}"
            ));
        }
        let added = item
            .get("added_steps")
            .and_then(Json::as_array)
            .ok_or_else(|| format!("line {line}: `added_steps` must be an array"))?
            .iter()
            .map(|n| {
                n.as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .filter(|n| (1..=steps).contains(n))
                    .ok_or_else(|| format!("line {}: a step number from 1 to {steps}", n.line))
            })
            .collect::<Result<Vec<usize>, String>>()?;
        out.push((revision, added));
    }
    Ok(out)
}

impl Lesson {
    /// The step (0-based) that step `index` (0-based) of a link made in `revision` names now:
    /// each step added since moves the later ones one on.
    pub fn step_of_link(&self, index: usize, revision: u32) -> usize {
        let mut index = index;
        for (r, added) in &self.added_steps {
            if *r <= revision {
                continue;
            }
            let mut sorted = added.clone();
            sorted.sort_unstable();
            for n in sorted {
                if index + 1 >= n {
                    index += 1;
                }
            }
        }
        index.min(self.steps.len().saturating_sub(1))
    }
}

/// Refuses members the format does not know, so that a typo is reported, not ignored.
fn known_keys(node: &Json, what: &str, keys: &[&str]) -> Result<(), String> {
    scenario_json::object(node, what, keys)
        .map(|_| ())
        .map_err(String::from)
}

fn settings_of(node: &Json) -> Result<Settings, String> {
    let settings = scenario_json::settings(node)?;
    settings
        .validate()
        .map_err(|e| format!("line {}: settings.{}", node.line, e.english()))?;
    Ok(settings)
}

fn ms(node: &Json) -> Result<Micros, String> {
    node.as_u64()
        .and_then(|v| v.checked_mul(MICROS_PER_MS))
        .ok_or_else(|| format!("line {}: a time in ms must be a whole number", node.line))
}

/// Reads a list of scenario actions (each with `at_ms` or `at_us`, as in scenario files).
fn actions_of(list: &Json, nodes: u32) -> Result<Vec<TimedAction>, String> {
    let items = list
        .as_array()
        .ok_or_else(|| format!("line {}: actions must be an array", list.line))?;
    items
        .iter()
        .map(|item| scenario_json::timed_action(item, nodes).map_err(String::from))
        .collect()
}

/// Actions of a run must come in time order and, for a step, not after the step's moment.
fn check_order(actions: &[TimedAction], at_us: Micros) -> Result<(), String> {
    let mut previous = 0;
    for a in actions {
        if a.at_us < previous {
            return Err(format!(
                "actions go back in time (an action at {} ms follows one at {} ms)",
                a.at_us / MICROS_PER_MS,
                previous / MICROS_PER_MS
            ));
        }
        previous = a.at_us;
    }
    if previous > at_us {
        return Err(format!(
            "an action at {} ms comes after the step's moment ({} ms)",
            previous / MICROS_PER_MS,
            at_us / MICROS_PER_MS
        ));
    }
    Ok(())
}

fn text_of(step: &Json) -> Result<Vec<String>, String> {
    let text = step
        .get("text")
        .ok_or_else(|| format!("line {}: missing `text`", step.line))?;
    let paragraphs: Vec<String> = match (text.as_str(), text.as_array()) {
        (Some(s), _) => vec![s.to_string()],
        (_, Some(items)) => items
            .iter()
            .map(|p| {
                p.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("line {}: a paragraph must be a string", p.line))
            })
            .collect::<Result<_, _>>()?,
        _ => {
            return Err(format!(
                "line {}: `text` must be a string or an array of strings",
                text.line
            ))
        }
    };
    if paragraphs.iter().all(|p| p.trim().is_empty()) {
        return Err(format!("line {}: `text` is empty", text.line));
    }
    Ok(paragraphs)
}

fn highlight_of(h: &Json, nodes: u32) -> Result<Highlight, String> {
    known_keys(h, "highlight", &["nodes", "leader", "panel", "message"])?;
    let mut out = Highlight::default();
    if let Some(list) = h.get("nodes") {
        let items = list
            .as_array()
            .ok_or_else(|| format!("line {}: highlight.nodes must be an array", list.line))?;
        for n in items {
            match n.as_u64() {
                Some(id) if id >= 1 && id <= nodes as u64 => out.nodes.push(NodeId(id as u32)),
                _ => {
                    return Err(format!(
                        "line {}: highlight.nodes: nodes are numbered 1 to {nodes}",
                        n.line
                    ))
                }
            }
        }
    }
    if let Some(v) = h.get("leader") {
        out.leader = v
            .as_bool()
            .ok_or_else(|| format!("line {}: highlight.leader must be true or false", v.line))?;
    }
    if let Some(v) = h.get("panel") {
        let panel = v.as_str().filter(|p| PANELS.contains(p)).ok_or_else(|| {
            format!(
                "line {}: highlight.panel must be one of {}",
                v.line,
                PANELS.join(", ")
            )
        })?;
        out.panel = Some(panel.to_string());
    }
    if let Some(v) = h.get("message") {
        let kind = v
            .as_str()
            .filter(|k| MESSAGE_KINDS.contains(k))
            .ok_or_else(|| {
                format!(
                    "line {}: highlight.message must be one of {}",
                    v.line,
                    MESSAGE_KINDS.join(", ")
                )
            })?;
        out.message = Some(kind.to_string());
    }
    Ok(out)
}

fn task_of(t: &Json, nodes: u32, step_at_us: Micros) -> Result<Task, String> {
    known_keys(
        t,
        "task",
        &["goal", "count", "text", "solution", "done_by_ms"],
    )?;
    let line = t.line;
    let goal_name = t
        .get("goal")
        .and_then(Json::as_str)
        .ok_or_else(|| format!("line {line}: task.goal must be a string"))?;
    let goal = Goal::from_name(goal_name, t.get("count").and_then(Json::as_u64))
        .map_err(|e| format!("line {line}: {e}"))?;
    let text = t
        .get("text")
        .and_then(Json::as_str)
        .ok_or_else(|| format!("line {line}: task.text must be a string"))?
        .to_string();
    let solution = match t.get("solution") {
        Some(list) => actions_of(list, nodes).map_err(|e| format!("task.solution: {e}"))?,
        None => return Err(format!("line {line}: task.solution is missing")),
    };
    let mut previous = step_at_us;
    for a in &solution {
        if a.at_us < previous {
            return Err(format!(
                "line {line}: task.solution: actions must be in time order, at or after the step's moment"
            ));
        }
        previous = a.at_us;
    }
    let done_by_us = ms(t
        .get("done_by_ms")
        .ok_or_else(|| format!("line {line}: task.done_by_ms is missing"))?)?;
    if done_by_us < previous {
        return Err(format!(
            "line {line}: task.done_by_ms is before the solution's last action"
        ));
    }
    Ok(Task {
        goal,
        text,
        solution,
        done_by_us,
        ring_solution: Vec::new(),
        live_solution: Vec::new(),
    })
}

/// A Hash ring task: a ring goal and the ring steps that accomplish it.
fn ring_task_of(t: &Json) -> Result<Task, String> {
    known_keys(t, "task", &["goal", "count", "text", "solution"])?;
    let line = t.line;
    let goal = ring::RingGoal::from_name(
        t.get("goal")
            .and_then(Json::as_str)
            .ok_or_else(|| format!("line {line}: task.goal must be a string"))?,
        t.get("count").and_then(Json::as_u64),
    )
    .map_err(|e| format!("line {line}: {e}"))?;
    let ring_solution = t
        .get("solution")
        .and_then(Json::as_array)
        .ok_or_else(|| format!("line {line}: task.solution must be an array"))?
        .iter()
        .map(ring::RingStep::parse)
        .collect::<Result<_, _>>()?;
    Ok(Task {
        goal: Goal::Ring(goal),
        text: t
            .get("text")
            .and_then(Json::as_str)
            .ok_or_else(|| format!("line {line}: task.text must be a string"))?
            .to_string(),
        solution: Vec::new(),
        done_by_us: 0,
        ring_solution,
        live_solution: Vec::new(),
    })
}

/// A task of a lesson read beside a live run (retransmission, two-phase commit): a goal of
/// that mode and the steps that accomplish it on the live run.
fn live_task_of(t: &Json, mode: LessonMode) -> Result<Task, String> {
    known_keys(
        t,
        "task",
        &["goal", "count", "ms", "property", "text", "solution"],
    )?;
    let line = t.line;
    let goal = live::LiveGoal::parse(mode, t)?;
    let live_solution = t
        .get("solution")
        .and_then(Json::as_array)
        .ok_or_else(|| format!("line {line}: task.solution must be an array"))?
        .iter()
        .map(|s| live::LiveStep::parse(mode, s))
        .collect::<Result<_, _>>()?;
    Ok(Task {
        goal: Goal::Live(goal),
        text: t
            .get("text")
            .and_then(Json::as_str)
            .ok_or_else(|| format!("line {line}: task.text must be a string"))?
            .to_string(),
        solution: Vec::new(),
        done_by_us: 0,
        ring_solution: Vec::new(),
        live_solution,
    })
}

fn calculator_of(c: &Json) -> Result<Calculator, String> {
    known_keys(c, "calculator", &["nodes", "down_percent"])?;
    let nodes = c
        .get("nodes")
        .and_then(Json::as_u64)
        .filter(|n| (1..=9).contains(n))
        .ok_or_else(|| format!("line {}: calculator.nodes must be 1 to 9", c.line))?;
    let down_percent = c
        .get("down_percent")
        .and_then(Json::as_u64)
        .filter(|p| *p <= 100)
        .ok_or_else(|| format!("line {}: calculator.down_percent must be 0 to 100", c.line))?;
    Ok(Calculator {
        nodes: nodes as u32,
        down_percent: down_percent as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(steps: &str) -> String {
        format!(
            r#"{{"version": 1, "id": "t", "title": "T", "summary": "S", "mode": "raft",
  "settings": {{"nodes": 3, "seed": 4}},
  "steps": [{steps}]}}"#
        )
    }

    const STEP: &str = r#"{"title": "a", "text": "b", "at_ms": 1000}"#;

    fn five(last: &str) -> String {
        lesson(&[STEP, STEP, STEP, STEP, last].join(",\n"))
    }

    #[test]
    fn steps_accumulate_actions_and_solutions() {
        let text = lesson(
            r#"{"title": "a", "text": ["b", "c"], "at_ms": 1000,
                "actions": [{"at_ms": 500, "action": "timeout", "node": 1}],
                "task": {"goal": "crash_leader", "text": "crash it",
                         "solution": [{"at_ms": 1100, "action": "crash", "node": 1}], "done_by_ms": 1200}},
               {"title": "a", "text": "b", "at_ms": 2000},
               {"title": "a", "text": "b", "at_ms": 2000, "settings": {"nodes": 5}},
               {"title": "a", "text": "b", "at_ms": 2000, "highlight": {"nodes": [5], "panel": "logs", "message": "RequestVote", "leader": true}},
               {"title": "a", "text": "b", "at_ms": 2000, "calculator": {"nodes": 4, "down_percent": 10}}"#,
        );
        let l = Lesson::parse("t.json", &text).unwrap();
        assert_eq!(l.steps.len(), 5);
        assert_eq!(l.steps[0].text.len(), 2);
        assert_eq!(l.steps[0].scenario.actions.len(), 1);
        assert_eq!(
            l.steps[1].scenario.actions.len(),
            2,
            "the solution carries over"
        );
        assert_eq!(
            l.steps[2].scenario.actions.len(),
            0,
            "new settings start a new run"
        );
        assert_eq!(l.steps[2].scenario.settings.nodes, 5);
        assert_eq!(l.steps[3].highlight.nodes, vec![NodeId(5)]);
        assert_eq!(
            l.steps[4].calculator,
            Some(Calculator {
                nodes: 4,
                down_percent: 10
            })
        );
    }

    #[test]
    fn errors_name_the_file_the_step_and_the_line() {
        let cases = [
            (lesson(&[STEP; 4].join(",")), "5 to 12 steps"),
            (
                five(r#"{"title": "a", "text": "b", "at_ms": 1000, "colour": 1}"#),
                "unknown field `colour`",
            ),
            (
                five(
                    r#"{"title": "a", "text": "b", "at_ms": 1000, "actions": [{"at_ms": 1, "action": "crash", "node": 9}]}"#,
                ),
                "node 9 does not exist",
            ),
            (
                five(
                    r#"{"title": "a", "text": "b", "at_ms": 10, "actions": [{"at_ms": 20, "action": "heal"}]}"#,
                ),
                "after the step's moment",
            ),
            (
                five(
                    r#"{"title": "a", "text": "b", "at_ms": 10, "task": {"goal": "fly", "text": "x", "solution": [], "done_by_ms": 20}}"#,
                ),
                "unknown goal `fly`",
            ),
            (
                five(
                    r#"{"title": "a", "text": "b", "at_ms": 10, "highlight": {"panel": "kitchen"}}"#,
                ),
                "highlight.panel",
            ),
            (
                five(r#"{"title": "a", "text": "b", "at_ms": 10, "settings": {"nodes": 40}}"#),
                "nodes",
            ),
            (five(r#"{"title": "a", "text": "", "at_ms": 10}"#), "empty"),
            (
                five(r#"{"title": "a", "text": "b", "at_ms": 10, "facts": [{"fact": "weather"}]}"#),
                "unknown kind `weather`",
            ),
            (
                five(
                    r#"{"title": "a", "text": "b", "at_ms": 10, "predict": {"question": "q", "explain": "e", "until_ms": 20, "choices": [{"text": "only", "outcome": {"fact": "no_leader"}}]}}"#,
                ),
                "2 to 5 choices",
            ),
            (
                five(
                    r#"{"title": "a", "text": "b", "at_ms": 10, "play": true, "predict": {"question": "q", "explain": "e", "until_ms": 20, "choices": [{"text": "a", "outcome": {"fact": "no_leader"}}, {"text": "b", "outcome": {"fact": "no_leader", "holds": false}}]}}"#,
                ),
                "no `play`",
            ),
            (
                five(
                    r#"{"title": "a", "text": "b", "at_ms": 10, "predict": {"question": "q", "explain": "e", "until_ms": 20, "choices": [{"text": "a", "outcome": {"moved_percent_min": 1, "moved_percent_max": 2}}, {"text": "b", "outcome": {"fact": "no_leader"}}]}}"#,
                ),
                "ring lessons predict key shares",
            ),
            (
                five(
                    r#"{"title": "a", "text": "b", "at_ms": 10, "facts": [{"fact": "leader", "node": 7}]}"#,
                ),
                "node 7 does not exist",
            ),
        ];
        for (text, expected) in cases {
            let e = Lesson::parse("bad.json", &text).unwrap_err();
            assert!(e.starts_with("bad.json: "), "{e}");
            assert!(e.contains(expected), "expected {expected:?} in {e}");
        }
        let e = Lesson::parse(
            "bad.json",
            &five(r#"{"title": "a", "text": "b", "at_ms": 1000, "colour": 1}"#),
        )
        .unwrap_err();
        assert!(e.contains("steps[4]") && e.contains("line 7"), "{e}");
        assert!(Lesson::parse("bad.json", "{").is_err());
        assert!(Lesson::parse("bad.json", r#"{"version": 2}"#)
            .unwrap_err()
            .contains("version 2"));
    }

    /// A retransmission lesson's steps need no moment, its tasks and predictions are
    /// retransmission steps and goals, and a Raft outcome there is refused.
    #[test]
    fn a_retransmission_lesson_reads_its_own_goals_and_steps() {
        let text = |predict: &str| {
            format!(
                r#"{{"version": 1, "id": "rt", "title": "T", "summary": "S", "mode": "retransmit",
  "steps": [{{"title": "a", "text": "b",
    "task": {{"goal": "rt_resent", "text": "t", "solution": [{{"set": {{"loss_percent": 20}}}}, {{"wait_ms": 500}}]}}}},
    {{"title": "a", "text": "b", "predict": {{"question": "q", "explain": "e",
      "choices": [{{"text": "x", "outcome": {predict}}}, {{"text": "y", "outcome": {{"goal": "rt_backoff", "holds": false}}}}],
      "then": [{{"action": "crash", "node": 2}}, {{"wait_ms": 3000}}]}}}},
    {{"title": "a", "text": "b"}}, {{"title": "a", "text": "b"}}, {{"title": "a", "text": "b"}}]}}"#
            )
        };
        let l = Lesson::parse("rt.json", &text(r#"{"goal": "rt_backoff", "count": 2}"#)).unwrap();
        assert_eq!(l.mode, LessonMode::Retransmit);
        let task = l.steps[0].task.as_ref().unwrap();
        assert_eq!(
            task.goal,
            Goal::Live(live::LiveGoal::Retransmit(retransmit::RtGoal::Resent {
                count: 1
            }))
        );
        assert_eq!(task.live_solution.len(), 2);
        let p = l.steps[1].predict.as_ref().unwrap();
        assert_eq!(p.live_then.len(), 2);
        assert!(p.then.is_empty() && p.ring_then.is_empty());
        for (outcome, expected) in [
            (r#"{"fact": "no_leader"}"#, "goals of their mode"),
            (r#"{"goal": "crash_leader"}"#, "unknown retransmission goal"),
            (
                r#"{"goal": "rt_resent", "colour": 1}"#,
                "unknown field `colour`",
            ),
        ] {
            let e = Lesson::parse("rt.json", &text(outcome)).unwrap_err();
            assert!(e.contains(expected), "{e} should mention {expected}");
        }
    }

    #[test]
    fn the_index_lists_plain_file_names_only() {
        let ok =
            r#"{"version": 1, "lessons": [{"file": "01-a.json", "title": "A", "mode": "ring"}]}"#;
        let index = parse_index("index.json", ok).unwrap();
        assert_eq!(index[0].mode, LessonMode::Ring);
        let hostile = ok.replace("01-a.json", "../../secret");
        assert!(parse_index("index.json", &hostile)
            .unwrap_err()
            .contains("plain file name"));
    }
}
