//! The lessons read beside a live page (Retransmission, Two-phase commit, Paxos,
//! Primary-backup): one layer over
//! their goals, steps, baselines and runs, so that the lesson format, the page's lesson player
//! and `tests/lessons.rs` treat every live mode alike. Each mode's own vocabulary is in its
//! module ([`super::retransmit`], [`super::twopc`], [`super::paxos`],
//! [`super::pb`]); this one only says which mode a value
//! belongs to. (The Hash ring lessons are live too, but their tasks compare the ring before
//! and after rather than count events, so they keep their own path.)

use super::mode::LessonMode;
use super::paxos::{PxBaseline, PxEngine, PxGoal, PxHistory, PxStep};
use super::pb::{PbBaseline, PbEngine, PbGoal, PbHistory, PbStep};
use super::retransmit::{RtBaseline, RtEngine, RtGoal, RtHistory, RtStep};
use super::twopc::{TpBaseline, TpEngine, TpGoal, TpHistory, TpStep};
use crate::codec::json::Json;

/// A goal of a live lesson's task or prediction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveGoal {
    Retransmit(RtGoal),
    TwoPc(TpGoal),
    Paxos(PxGoal),
    PrimaryBackup(PbGoal),
}

/// One thing a live lesson's solution (or a prediction's `then`) does to the live run.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveStep {
    Retransmit(RtStep),
    TwoPc(TpStep),
    Paxos(PxStep),
    PrimaryBackup(PbStep),
}

/// What a live run had counted when a step opened (or its run was last replaced).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveBaseline {
    Retransmit(RtBaseline),
    TwoPc(TpBaseline),
    Paxos(PxBaseline),
    PrimaryBackup(PbBaseline),
}

/// A live run as a goal reads it.
#[derive(Copy, Clone)]
pub enum LiveRun<'a> {
    Retransmit(&'a RtEngine),
    TwoPc(&'a TpEngine),
    Paxos(&'a PxEngine),
    PrimaryBackup(&'a PbEngine),
}

/// A live run with its history, as the lesson tests drive it (boxed: the histories are large
/// and of different sizes).
pub enum LiveHistory {
    Retransmit(Box<RtHistory>),
    TwoPc(Box<TpHistory>),
    Paxos(Box<PxHistory>),
    PrimaryBackup(Box<PbHistory>),
}

impl LiveGoal {
    /// The names a lesson of `mode` may use as goals (`None`: not a live mode with goals).
    pub fn names(mode: LessonMode) -> Option<&'static [&'static str]> {
        match mode {
            LessonMode::Retransmit => Some(&RtGoal::NAMES),
            LessonMode::TwoPc => Some(&TpGoal::NAMES),
            LessonMode::Paxos => Some(&PxGoal::NAMES),
            LessonMode::PrimaryBackup => Some(&PbGoal::NAMES),
            LessonMode::Raft | LessonMode::LogReplay | LessonMode::Ring => None,
        }
    }

    /// Reads a goal of a lesson of `mode` from its object.
    pub fn parse(mode: LessonMode, j: &Json) -> Result<LiveGoal, String> {
        match mode {
            LessonMode::Retransmit => RtGoal::parse(j).map(LiveGoal::Retransmit),
            LessonMode::TwoPc => TpGoal::parse(j).map(LiveGoal::TwoPc),
            LessonMode::Paxos => PxGoal::parse(j).map(LiveGoal::Paxos),
            LessonMode::PrimaryBackup => PbGoal::parse(j).map(LiveGoal::PrimaryBackup),
            other => Err(format!(
                "line {}: {other:?} lessons have no live goals",
                j.line
            )),
        }
    }

    /// Whether `run` satisfies the goal, counted from `start`; a goal of another mode's run
    /// never holds.
    pub fn satisfied(&self, start: &LiveBaseline, run: LiveRun) -> bool {
        match (self, start, run) {
            (LiveGoal::Retransmit(g), LiveBaseline::Retransmit(b), LiveRun::Retransmit(r)) => {
                g.satisfied(b, r)
            }
            (LiveGoal::TwoPc(g), LiveBaseline::TwoPc(b), LiveRun::TwoPc(r)) => g.satisfied(b, r),
            (LiveGoal::Paxos(g), LiveBaseline::Paxos(b), LiveRun::Paxos(r)) => g.satisfied(b, r),
            (
                LiveGoal::PrimaryBackup(g),
                LiveBaseline::PrimaryBackup(b),
                LiveRun::PrimaryBackup(r),
            ) => g.satisfied(b, r),
            _ => false,
        }
    }
}

impl LiveStep {
    /// Reads a step of a lesson of `mode`.
    pub fn parse(mode: LessonMode, j: &Json) -> Result<LiveStep, String> {
        match mode {
            LessonMode::Retransmit => RtStep::parse(j).map(LiveStep::Retransmit),
            LessonMode::TwoPc => TpStep::parse(j).map(LiveStep::TwoPc),
            LessonMode::Paxos => PxStep::parse(j).map(LiveStep::Paxos),
            LessonMode::PrimaryBackup => PbStep::parse(j).map(LiveStep::PrimaryBackup),
            other => Err(format!(
                "line {}: {other:?} lessons have no live steps",
                j.line
            )),
        }
    }
}

impl LiveBaseline {
    /// What `run` has counted now.
    pub fn of(run: LiveRun) -> LiveBaseline {
        match run {
            LiveRun::Retransmit(r) => LiveBaseline::Retransmit(RtBaseline::of(r)),
            LiveRun::TwoPc(r) => LiveBaseline::TwoPc(TpBaseline::of(r)),
            LiveRun::Paxos(r) => LiveBaseline::Paxos(PxBaseline::of(r)),
            LiveRun::PrimaryBackup(r) => LiveBaseline::PrimaryBackup(PbBaseline::of(r)),
        }
    }
}

impl LiveHistory {
    /// The page's run of `mode` as a lesson opens it: the default settings, at its start.
    pub fn page_run(mode: LessonMode) -> Result<LiveHistory, String> {
        match mode {
            LessonMode::Retransmit => {
                super::retransmit::page_run().map(|h| LiveHistory::Retransmit(Box::new(h)))
            }
            LessonMode::TwoPc => super::twopc::page_run().map(|h| LiveHistory::TwoPc(Box::new(h))),
            LessonMode::Paxos => super::paxos::page_run().map(|h| LiveHistory::Paxos(Box::new(h))),
            LessonMode::PrimaryBackup => {
                super::pb::page_run().map(|h| LiveHistory::PrimaryBackup(Box::new(h)))
            }
            other => Err(format!("{other:?} lessons have no live run")),
        }
    }

    pub fn run(&self) -> LiveRun<'_> {
        match self {
            LiveHistory::Retransmit(h) => LiveRun::Retransmit(h.sim()),
            LiveHistory::TwoPc(h) => LiveRun::TwoPc(h.sim()),
            LiveHistory::Paxos(h) => LiveRun::Paxos(h.sim()),
            LiveHistory::PrimaryBackup(h) => LiveRun::PrimaryBackup(h.sim()),
        }
    }

    /// Applies `step` as the page does (a new run moves `start` to its beginning); a step of
    /// another mode is refused.
    pub fn apply(&mut self, step: &LiveStep, start: &mut LiveBaseline) -> Result<(), String> {
        // A baseline of another mode (none should reach here) counts from now.
        match (self, step) {
            (LiveHistory::Retransmit(h), LiveStep::Retransmit(s)) => {
                let mut b = match start {
                    LiveBaseline::Retransmit(b) => b.clone(),
                    _ => RtBaseline::of(h.sim()),
                };
                s.apply(h, &mut b)?;
                *start = LiveBaseline::Retransmit(b);
            }
            (LiveHistory::TwoPc(h), LiveStep::TwoPc(s)) => {
                let mut b = match start {
                    LiveBaseline::TwoPc(b) => b.clone(),
                    _ => TpBaseline::of(h.sim()),
                };
                s.apply(h, &mut b)?;
                *start = LiveBaseline::TwoPc(b);
            }
            (LiveHistory::Paxos(h), LiveStep::Paxos(s)) => {
                let mut b = match start {
                    LiveBaseline::Paxos(b) => b.clone(),
                    _ => PxBaseline::of(h.sim()),
                };
                s.apply(h, &mut b)?;
                *start = LiveBaseline::Paxos(b);
            }
            (LiveHistory::PrimaryBackup(h), LiveStep::PrimaryBackup(s)) => {
                let mut b = match start {
                    LiveBaseline::PrimaryBackup(b) => b.clone(),
                    _ => PbBaseline::of(h.sim()),
                };
                s.apply(h, &mut b)?;
                *start = LiveBaseline::PrimaryBackup(b);
            }
            _ => return Err("a step of another mode's lesson".into()),
        }
        Ok(())
    }

    /// Whether the run has a broken switch on (a lesson turns one on to show the alarm; the
    /// checks must then find it, and only then may they).
    pub fn broken(&self) -> bool {
        match self {
            LiveHistory::PrimaryBackup(h) => h.sim().settings().pb.bugs.any(),
            // The other live lessons turn no broken switch on.
            LiveHistory::Retransmit(_) | LiveHistory::TwoPc(_) | LiveHistory::Paxos(_) => false,
        }
    }

    /// How many violations the live checks have reported, with the first one's words.
    pub fn violations(&self) -> (usize, Option<String>) {
        match self {
            LiveHistory::Retransmit(h) => (
                h.sim().violations().len(),
                h.sim().violations().first().map(|v| format!("{v:?}")),
            ),
            LiveHistory::TwoPc(h) => (
                h.sim().violations().len(),
                h.sim().violations().first().map(|v| format!("{v:?}")),
            ),
            LiveHistory::Paxos(h) => (
                h.sim().violations().len(),
                h.sim().violations().first().map(|v| format!("{v:?}")),
            ),
            LiveHistory::PrimaryBackup(h) => (
                h.sim().violations().len(),
                h.sim().violations().first().map(|v| format!("{v:?}")),
            ),
        }
    }
}
