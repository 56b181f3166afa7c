//! A lesson in progress, what the panel shows of it, and what the learner can ask of it: the
//! types the page's model, messages and the lesson components share.

use crate::content::lesson::live::LiveBaseline;
use crate::content::lesson::ring::RingBaseline;
use crate::content::lesson::{Baseline, Lesson};
use std::rc::Rc;

/// A lesson in progress: which step, and what the run looked like when the step opened.
#[derive(Clone, Debug)]
pub struct LessonSession {
    pub lesson: Rc<Lesson>,
    pub step: usize,
    pub baseline: Baseline,
    /// The ring as the step opened (ring lessons' tasks are measured from it).
    pub ring_baseline: RingBaseline,
    /// What the live run (retransmission, two-phase commit) had counted as the step opened,
    /// or when the run was last replaced (those lessons' goals count from it); `None` when
    /// the lesson's mode has no such run open.
    pub live_baseline: Option<LiveBaseline>,
    /// The step's task was seen done; it stays done so Next stays unlocked.
    pub done: bool,
    /// The learner's answer to the step's prediction, once given.
    pub answer: Option<Answer>,
}

/// A prediction answered: the choice made and the one the run bore out (0-based).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub chosen: usize,
    pub right: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LessonMsg {
    Open(Rc<Lesson>),
    /// Go to a step (0-based): Back and Next.
    Go(usize),
    /// Apply the task's solution to the step's run.
    ShowMe,
    /// The learner predicts this choice (0-based): the run goes on and the answer is judged.
    Predict(usize),
    /// Back to free play, keeping the run as it is.
    Leave,
    /// A share link or the saved session named this lesson and step: go there, or, when
    /// the link also held the run (`keep_run`), keep that run and only resume the lesson.
    Resume {
        lesson: Rc<Lesson>,
        step: usize,
        keep_run: bool,
    },
}

/// What the panel shows. Compared by the lesson's identity, not its contents, since the view
/// is rebuilt every frame.
#[derive(Clone, Debug)]
pub struct LessonView {
    pub lesson: Rc<Lesson>,
    pub step: usize,
    pub done: bool,
    pub answer: Option<Answer>,
    /// The current leader, for highlights that follow it.
    pub leader: Option<u32>,
}

impl PartialEq for LessonView {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.lesson, &other.lesson)
            && self.step == other.step
            && self.done == other.done
            && self.answer == other.answer
            && self.leader == other.leader
    }
}
