//! The lesson player's reducer: opening a lesson, its steps and predictions, and following
//! the run to tell when a step's goal is met.

use super::session::{Answer, LessonMsg, LessonSession};
use super::translated;
use crate::content::lesson::live::{LiveBaseline, LiveRun, LiveStep};
use crate::content::lesson::paxos::PxStep;
use crate::content::lesson::pb::PbStep;
use crate::content::lesson::ring::{RingBaseline, RingStep};
use crate::content::lesson::twopc::TpStep;
use crate::content::lesson::{self, Baseline, Goal, Lesson, LessonMode};
use crate::i18n::Text;
use crate::ui::modes::paxos::model::{PaxosMsg, PaxosRun};
use crate::ui::modes::pb::model::{PbMsg, PbRun};
use crate::ui::modes::retransmit::model::{RetransmitMsg, RetransmitRun};
use crate::ui::modes::ring::model::RingMsg;
use crate::ui::modes::twopc::model::{TwoPcMsg, TwoPcRun};
use crate::ui::modes::Mode;
use crate::ui::store::model::{Model, Tab};
use std::rc::Rc;

pub fn reduce(m: &mut Model, msg: LessonMsg) {
    match msg {
        LessonMsg::Open(lesson) => match lesson.mode {
            LessonMode::Ring => open_ring(m, lesson, 0),
            LessonMode::Retransmit
            | LessonMode::TwoPc
            | LessonMode::Paxos
            | LessonMode::PrimaryBackup => open_live(m, lesson, 0, true),
            LessonMode::Raft | LessonMode::LogReplay => {
                m.mode = mode_of(&lesson);
                open_step(m, lesson, 0);
            }
        },
        LessonMsg::Go(step) => {
            if let Some(s) = m.lesson.as_mut() {
                let lesson = s.lesson.clone();
                if step >= lesson.steps.len() {
                    return;
                }
                // Live lessons' steps are words only: the run stays as the learner made it.
                if lesson.mode.live() {
                    m.lesson = Some(session(m, lesson, step));
                    return;
                }
                open_step(m, lesson, step);
            }
        }
        LessonMsg::ShowMe => {
            let Some(s) = &m.lesson else { return };
            let (lesson, index) = (s.lesson.clone(), s.step);
            let Some(step) = lesson.steps.get(index) else {
                return;
            };
            let Some(task) = &step.task else { return };
            if lesson.mode == LessonMode::Ring {
                ring_steps(m, &task.ring_solution);
                return;
            }
            if lesson.mode.counts_live_events() {
                let mut start = m.lesson.as_ref().and_then(|s| s.live_baseline.clone());
                let done = live_steps(m, &task.live_solution, &mut start);
                if let Some(s) = m.lesson.as_mut() {
                    s.live_baseline = start;
                }
                if let Err(e) = done {
                    m.notice = Some(
                        Text::new("lesson.error.show_me")
                            .with("lesson", &lesson.title)
                            .with_text("error", e),
                    );
                }
                return;
            }
            let solved = step.history().and_then(|mut h| {
                lesson::apply(&mut h, &task.solution)?;
                Ok(h)
            });
            match solved {
                Ok(h) => {
                    m.load_history(h);
                    m.playing = true;
                }
                Err(e) => {
                    m.notice = Some(
                        Text::new("lesson.error.show_me")
                            .with("lesson", &lesson.title)
                            .with("error", e),
                    )
                }
            }
        }
        LessonMsg::Predict(chosen) => predict(m, chosen),
        LessonMsg::Leave => m.lesson = None,
        LessonMsg::Resume {
            lesson,
            step,
            keep_run,
        } => {
            let step = step.min(lesson.steps.len().saturating_sub(1));
            // The same lesson and step again (the language changed, so its words were
            // fetched anew): the task the learner already did stays done.
            let kept = m
                .lesson
                .as_ref()
                .filter(|s| keep_run && s.lesson.source == lesson.source && s.step == step)
                .cloned();
            if let Some(kept) = kept {
                m.lesson = Some(LessonSession { lesson, ..kept });
                return;
            }
            if lesson.mode == LessonMode::Ring {
                open_ring(m, lesson, step);
                return;
            }
            if lesson.mode.counts_live_events() {
                // A link's own run (restored with the page) is kept; otherwise the lesson
                // opens the page's default run.
                open_live(m, lesson, step, !keep_run);
                return;
            }
            if !keep_run {
                m.mode = mode_of(&lesson);
                open_step(m, lesson, step);
                return;
            }
            match lesson.history_at(step) {
                Ok(start) => {
                    let mut s = session(m, lesson, step);
                    s.baseline = Baseline::of(start.sim());
                    m.lesson = Some(s);
                }
                Err(e) => m.notice = Some(step_failed(&lesson, step, &e)),
            }
        }
    }
}

/// A session at `step` of `lesson`, measured from the page as it is now.
fn session(m: &Model, lesson: Rc<Lesson>, step: usize) -> LessonSession {
    LessonSession {
        baseline: Baseline::of(m.raft.sim()),
        ring_baseline: m
            .ring
            .as_ref()
            .map(|r| RingBaseline::of(&r.sim))
            .unwrap_or_default(),
        live_baseline: live_run(m, lesson.mode).map(LiveBaseline::of),
        lesson,
        step,
        done: false,
        answer: None,
    }
}

/// Applies ring steps to the live ring as its controls would: node actions as actions, new
/// settings through the settings form.
fn ring_steps(m: &mut Model, steps: &[RingStep]) {
    let Some(ring) = m.ring.as_mut() else { return };
    for step in steps {
        match step {
            RingStep::Act(a) => ring.update(RingMsg::Act(a.clone())),
            RingStep::Set { .. } => {
                if let Some(store) = step.settings(&ring.form.store) {
                    let mut form = ring.form.clone();
                    form.store = store;
                    ring.update(RingMsg::Apply(form));
                }
            }
        }
    }
}

/// The live run a lesson of `mode` reads (retransmission, two-phase commit, Paxos), if open.
fn live_run(m: &Model, mode: LessonMode) -> Option<LiveRun<'_>> {
    match mode {
        LessonMode::Retransmit => m.retransmit.as_ref().map(|r| LiveRun::Retransmit(r.sim())),
        LessonMode::TwoPc => m.twopc.as_ref().map(|r| LiveRun::TwoPc(r.sim())),
        LessonMode::Paxos => m.paxos.as_ref().map(|r| LiveRun::Paxos(r.sim())),
        LessonMode::Raft | LessonMode::LogReplay | LessonMode::Ring => None,
        LessonMode::PrimaryBackup => m.pb.as_ref().map(|r| LiveRun::PrimaryBackup(r.sim())),
    }
}

/// Applies live steps to the live run as its controls would: new settings through the
/// settings form's message (a new run, which `start` then counts from), actions as its buttons
/// send them, and waits by running the simulation on at once.
fn live_steps(
    m: &mut Model,
    steps: &[LiveStep],
    start: &mut Option<LiveBaseline>,
) -> Result<(), Text> {
    for step in steps {
        match step {
            LiveStep::Retransmit(step) => rt_step(m, step, start)?,
            LiveStep::TwoPc(step) => tp_step(m, step, start)?,
            LiveStep::Paxos(step) => px_step(m, step, start)?,
            LiveStep::PrimaryBackup(step) => pb_step(m, step, start)?,
        }
    }
    m.pending_fork = None;
    m.selected_msg = None;
    Ok(())
}

/// One retransmission step on the live run. The lesson opened the mode, which made its run:
/// without one there is nothing to act on.
fn rt_step(
    m: &mut Model,
    step: &crate::content::lesson::retransmit::RtStep,
    start: &mut Option<LiveBaseline>,
) -> Result<(), Text> {
    use crate::content::lesson::retransmit::RtStep;
    let Some(run) = m.retransmit.as_mut() else {
        return Ok(());
    };
    match step {
        RtStep::Set(set) => {
            let settings = set.settings(run.settings());
            run.update(RetransmitMsg::Restart(Box::new(settings)))?;
            *start = Some(LiveBaseline::of(LiveRun::Retransmit(run.sim())));
        }
        RtStep::Act(action) => run.update(RetransmitMsg::Act(action.clone()))?,
        RtStep::Wait { us } => run.run.wait_us(*us),
    }
    Ok(())
}

/// One two-phase commit step on the live run, as [`rt_step`] does it.
fn tp_step(m: &mut Model, step: &TpStep, start: &mut Option<LiveBaseline>) -> Result<(), Text> {
    let Some(run) = m.twopc.as_mut() else {
        return Ok(());
    };
    match step {
        TpStep::Set(set) => {
            let settings = set.settings(run.settings());
            run.update(TwoPcMsg::Restart(Box::new(settings)))?;
            *start = Some(LiveBaseline::of(LiveRun::TwoPc(run.sim())));
        }
        TpStep::Act(action) => run.update(TwoPcMsg::Act(action.clone()))?,
        TpStep::CrashBeforeDecision => run.update(TwoPcMsg::CrashBeforeDecision)?,
        TpStep::Wait { us } => run.run.wait_us(*us),
    }
    Ok(())
}

/// One Paxos step on the live run, as [`rt_step`] does it.
fn px_step(m: &mut Model, step: &PxStep, start: &mut Option<LiveBaseline>) -> Result<(), Text> {
    let Some(run) = m.paxos.as_mut() else {
        return Ok(());
    };
    match step {
        PxStep::Set(set) => {
            let settings = set.settings(run.settings());
            run.update(PaxosMsg::Restart(Box::new(settings)))?;
            *start = Some(LiveBaseline::of(LiveRun::Paxos(run.sim())));
        }
        PxStep::Act(action) => run.update(PaxosMsg::Act(action.clone()))?,
        PxStep::Wait { us } => run.run.wait_us(*us),
    }
    Ok(())
}

/// One primary-backup step on the live run, as [`rt_step`] does it.
fn pb_step(m: &mut Model, step: &PbStep, start: &mut Option<LiveBaseline>) -> Result<(), Text> {
    let Some(run) = m.pb.as_mut() else {
        return Ok(());
    };
    match step {
        PbStep::Set(set) => {
            let settings = set.settings(run.settings());
            run.update(PbMsg::Restart(Box::new(settings)))?;
            *start = Some(LiveBaseline::of(LiveRun::PrimaryBackup(run.sim())));
        }
        PbStep::Act(action) => run.update(PbMsg::Act(action.clone()))?,
        PbStep::Wait { us } => run.run.wait_us(*us),
    }
    Ok(())
}

/// Opens a live lesson (retransmission, two-phase commit, Paxos, primary-backup) at `step` beside its live page. Its
/// steps are words only; a lesson opened from the list (`fresh`) starts the page's default
/// run, paused at its start, so that the first step describes what is on screen.
fn open_live(m: &mut Model, lesson: Rc<Lesson>, step: usize, fresh: bool) {
    let mode = match lesson.mode {
        LessonMode::TwoPc => Mode::TwoPc,
        LessonMode::Paxos => Mode::Paxos,
        LessonMode::PrimaryBackup => Mode::PrimaryBackup,
        _ => Mode::Retransmit,
    };
    if m.mode != mode {
        m.set_mode(mode);
    }
    let missing = match mode {
        Mode::TwoPc => m.twopc.is_none(),
        Mode::Paxos => m.paxos.is_none(),
        Mode::PrimaryBackup => m.pb.is_none(),
        _ => m.retransmit.is_none(),
    };
    if fresh || missing {
        match mode {
            Mode::TwoPc => m.twopc = Some(TwoPcRun::new()),
            Mode::Paxos => m.paxos = Some(PaxosRun::new()),
            Mode::PrimaryBackup => m.pb = Some(PbRun::new()),
            _ => m.retransmit = Some(RetransmitRun::new()),
        }
        m.playing = false;
        m.pending_fork = None;
        m.selected_msg = None;
    }
    m.lesson = Some(session(m, lesson, step));
}

/// The live run was replaced (a settings change starts a new run): an open lesson's goals
/// count from the new run's start.
pub fn run_replaced(m: &mut Model) {
    let Some(mode) = m.lesson.as_ref().map(|s| s.lesson.mode) else {
        return;
    };
    let start = live_run(m, mode).map(LiveBaseline::of);
    if let (Some(s), Some(start)) = (m.lesson.as_mut(), start) {
        s.live_baseline = Some(start);
    }
}

/// Opens a Hash ring lesson at `step`: the ring lessons guide the learner around the live
/// ring page, their steps are words only, so the ring stays as the learner made it.
fn open_ring(m: &mut Model, lesson: Rc<Lesson>, step: usize) {
    if m.mode != Mode::Ring {
        m.set_mode(Mode::Ring);
    }
    m.lesson = Some(session(m, lesson, step));
}

/// The learner predicted `chosen`: the run goes on as the prediction says (the Raft run is
/// continued to its moment; the ring gets the prediction's actions), and the answer is judged
/// by what happened.
fn predict(m: &mut Model, chosen: usize) {
    let Some(s) = &m.lesson else { return };
    if s.answer.is_some() {
        return;
    }
    let (lesson, index) = (s.lesson.clone(), s.step);
    let Some(p) = lesson.steps.get(index).and_then(|st| st.predict.as_ref()) else {
        return;
    };
    if chosen >= p.choices.len() {
        return;
    }
    let judged = if lesson.mode.counts_live_events() {
        // What the run has counted now, then the prediction's steps on the live run (a new
        // run among them counts from its start), then which outcome holds.
        let mut start = live_run(m, lesson.mode).map(LiveBaseline::of);
        if let Err(e) = live_steps(m, &p.live_then, &mut start) {
            m.notice = Some(
                Text::new("lesson.error.show_me")
                    .with("lesson", &lesson.title)
                    .with_text("error", e),
            );
            return;
        }
        match (live_run(m, lesson.mode), start) {
            (Some(run), Some(start)) => p.judge_live(&start, run),
            _ => Err("the lesson's mode is not open".to_string()),
        }
    } else if lesson.mode == LessonMode::Ring {
        // The keys' owners now, then the prediction's change on the live ring, then what moved.
        let before = m
            .ring
            .as_ref()
            .ok_or_else(|| "the Hash ring mode is not open".to_string())
            .and_then(|r| lesson::ring::owners(&r.sim));
        before.and_then(|before| {
            ring_steps(m, &p.ring_then);
            let ring = m.ring.as_ref().ok_or("the Hash ring mode is not open")?;
            p.judge_ring(&before, &ring.sim)
        })
    } else {
        lesson::judge(&lesson.steps[index]).map(|(h, right)| {
            m.load_history(h);
            m.playing = false;
            right
        })
    };
    match judged {
        Ok(right) => {
            if let Some(s) = m.lesson.as_mut() {
                s.answer = Some(Answer { chosen, right });
                s.done = true;
            }
        }
        Err(e) => {
            m.notice = Some(
                Text::new("lesson.error.show_me")
                    .with("lesson", &lesson.title)
                    .with("error", e),
            )
        }
    }
}

/// The page mode a lesson runs in.
fn mode_of(lesson: &Lesson) -> Mode {
    match lesson.mode {
        LessonMode::LogReplay => Mode::LogReplay,
        _ => Mode::Raft,
    }
}

/// Fetches the lesson a link named (`lesson=02-leader-election&step=3`) and resumes it at
/// that step (0-based here); a missing or broken file is said in the notice.
pub fn resume_from_link(
    link: crate::ui::store::model::PendingLesson,
    on_msg: yew::Callback<crate::ui::store::msg::Msg>,
) {
    yew::platform::spawn_local(async move {
        let file = format!("{}.json", link.stem);
        let parsed = translated::lesson(&file).await;
        on_msg.emit(match parsed {
            Ok(lesson) => crate::ui::store::msg::Msg::Lesson(LessonMsg::Resume {
                // A link made before steps were added names the step it showed then.
                step: lesson.step_of_link(link.step, link.revision),
                lesson: Rc::new(lesson),
                keep_run: link.keep_run,
            }),
            Err(e) => crate::ui::store::msg::Msg::ShowNotice(
                Text::new("link.lesson_failed").with("error", e),
            ),
        });
    });
}

/// Rebuilds step `index` of `lesson` from its data and shows it.
fn open_step(m: &mut Model, lesson: Rc<Lesson>, index: usize) {
    let Some(step) = lesson.steps.get(index) else {
        return;
    };
    match step.history() {
        Ok(h) => {
            m.load_history(h);
            m.playing = step.play;
            if let Some(tab) = step.highlight.panel.as_deref().and_then(tab_of) {
                m.tab = tab;
            }
            m.lesson = Some(session(m, lesson, index));
        }
        Err(e) => m.notice = Some(step_failed(&lesson, index, &e)),
    }
}

/// Why step `index` (0-based) of `lesson` could not be rebuilt, for the notice.
fn step_failed(lesson: &Lesson, index: usize, error: &str) -> Text {
    Text::new("lesson.error.step")
        .with("lesson", &lesson.title)
        .with("step", index + 1)
        .with("error", error)
}

fn tab_of(id: &str) -> Option<Tab> {
    Tab::ALL.iter().copied().find(|t| t.id() == id)
}

/// Checks the step's task against the live run after every change (the reducer calls it).
pub fn observe(m: &mut Model) {
    let Some(s) = m.lesson.as_ref() else { return };
    if s.done {
        return;
    }
    let done = s
        .lesson
        .steps
        .get(s.step)
        .and_then(|step| step.task.as_ref())
        .is_some_and(|t| match &t.goal {
            Goal::Ring(goal) => m
                .ring
                .as_ref()
                .is_some_and(|r| goal.satisfied(&s.ring_baseline, &r.sim)),
            Goal::Live(goal) => match (&s.live_baseline, live_run(m, s.lesson.mode)) {
                (Some(start), Some(run)) => goal.satisfied(start, run),
                _ => false,
            },
            goal => goal.satisfied(&s.baseline, m.raft.sim()),
        });
    if let (true, Some(s)) = (done, m.lesson.as_mut()) {
        s.done = true;
    }
}
