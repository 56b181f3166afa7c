//! The lesson player: the header's lesson list, the step panel, and the little state that
//! ties a lesson to the run. Every step's run is rebuilt from the lesson data by
//! `content::lesson` (pure, tested natively), so Back lands on exactly the state the step showed.

mod calculator;
mod fetch;
mod menu;
mod panel;
mod translated;

use crate::content::lesson::{self, Baseline, Lesson, LessonMode};
use crate::i18n::Text;
use crate::ui::modes::Mode;
use crate::ui::store::model::{Model, Tab};
use std::rc::Rc;

pub mod session;

pub use menu::LessonMenu;
pub use panel::LessonPanel;
pub use session::{LessonMsg, LessonSession, LessonView};

pub fn view(m: &Model) -> Option<Rc<LessonView>> {
    let s = m.lesson.as_ref()?;
    Some(Rc::new(LessonView {
        lesson: s.lesson.clone(),
        step: s.step,
        done: s.done,
        leader: m.raft.sim().leader().map(|n| n.0),
    }))
}

pub fn reduce(m: &mut Model, msg: LessonMsg) {
    match msg {
        LessonMsg::Open(lesson) => {
            if lesson.mode == LessonMode::Ring {
                open_ring(m, lesson, 0);
                return;
            }
            m.mode = mode_of(&lesson);
            open_step(m, lesson, 0);
        }
        LessonMsg::Go(step) => {
            if let Some(s) = m.lesson.as_mut() {
                let lesson = s.lesson.clone();
                if step >= lesson.steps.len() {
                    return;
                }
                if lesson.mode == LessonMode::Ring {
                    s.step = step;
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
        LessonMsg::Leave => m.lesson = None,
        LessonMsg::Resume {
            lesson,
            step,
            keep_run,
        } => {
            let step = step.min(lesson.steps.len().saturating_sub(1));
            if lesson.mode == LessonMode::Ring {
                open_ring(m, lesson, step);
                return;
            }
            if !keep_run {
                m.mode = mode_of(&lesson);
                open_step(m, lesson, step);
                return;
            }
            // The same lesson and step again (the language changed, so its words were
            // fetched anew): the task the learner already did stays done.
            let kept = m
                .lesson
                .as_ref()
                .filter(|s| s.lesson.source == lesson.source && s.step == step)
                .map(|s| (s.baseline.clone(), s.done));
            if let Some((baseline, done)) = kept {
                m.lesson = Some(LessonSession {
                    baseline,
                    lesson,
                    step,
                    done,
                });
                return;
            }
            match lesson.history_at(step) {
                Ok(start) => {
                    m.lesson = Some(LessonSession {
                        baseline: Baseline::of(start.sim()),
                        lesson,
                        step,
                        done: false,
                    })
                }
                Err(e) => m.notice = Some(step_failed(&lesson, step, &e)),
            }
        }
    }
}

/// Opens a Hash ring lesson at `step`: the ring lessons guide the learner around the live
/// ring page, their steps are words only, so the ring stays as the learner made it.
fn open_ring(m: &mut Model, lesson: Rc<Lesson>, step: usize) {
    if m.mode != Mode::Ring {
        m.set_mode(Mode::Ring);
    }
    m.lesson = Some(LessonSession {
        baseline: Baseline::of(m.raft.sim()),
        lesson,
        step,
        done: false,
    });
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
    stem: String,
    step: usize,
    keep_run: bool,
    on_msg: yew::Callback<crate::ui::store::msg::Msg>,
) {
    yew::platform::spawn_local(async move {
        let file = format!("{stem}.json");
        let parsed = translated::lesson(&file).await;
        on_msg.emit(match parsed {
            Ok(lesson) => crate::ui::store::msg::Msg::Lesson(LessonMsg::Resume {
                lesson: Rc::new(lesson),
                step,
                keep_run,
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
            m.lesson = Some(LessonSession {
                baseline: Baseline::of(m.raft.sim()),
                lesson,
                step: index,
                done: false,
            });
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
        .is_some_and(|t| t.goal.satisfied(&s.baseline, m.raft.sim()));
    if let (true, Some(s)) = (done, m.lesson.as_mut()) {
        s.done = true;
    }
}
