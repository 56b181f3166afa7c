//! The lesson player: the header's lesson list, the step panel, and the little state that
//! ties a lesson to the run. Every step's run is rebuilt from the lesson data by
//! `content::lesson` (pure, tested natively), so Back lands on exactly the state the step showed.

//!
//! The default page is built without the player (Cargo feature `lessons`): its menu lists the
//! lessons and opens the one chosen in the full page, which has the player.

#[cfg(feature = "lessons")]
mod calculator;
mod fetch;
mod menu;
#[cfg(feature = "lessons")]
mod panel;
#[cfg(feature = "lessons")]
mod player;
mod translated;

use crate::ui::store::model::Model;
use std::rc::Rc;
use yew::prelude::*;

pub mod session;

pub use menu::LessonMenu;
#[cfg(feature = "lessons")]
pub use player::{observe, reduce, resume_from_link, run_replaced};
pub use session::{Answer, LessonMsg, LessonSession, LessonView};

pub fn view(m: &Model) -> Option<Rc<LessonView>> {
    let s = m.lesson.as_ref()?;
    Some(Rc::new(LessonView {
        lesson: s.lesson.clone(),
        step: s.step,
        done: s.done,
        answer: s.answer,
        leader: m.raft.sim().leader().map(|n| n.0),
    }))
}

/// The step panel of the open lesson.
#[cfg(feature = "lessons")]
pub fn panel(lesson: Rc<LessonView>, on_msg: &Callback<crate::ui::store::msg::Msg>) -> Html {
    html! { <panel::LessonPanel {lesson} on_msg={on_msg.clone()} /> }
}

/// Without the player no lesson is ever open (`view` is `None`), so there is no panel.
#[cfg(not(feature = "lessons"))]
pub fn panel(_: Rc<LessonView>, _: &Callback<crate::ui::store::msg::Msg>) -> Html {
    Html::default()
}
