//! What the page shows, rebuilt from the model after every message: the shell's part (clock,
//! transport, notices, share, language, the lesson) and the page of the mode on screen. Each
//! part is `PartialEq`, so a component whose slice did not change is not re-rendered.

use crate::sim::types::Micros;
use crate::ui::i18n::{self, Lang};
use crate::ui::modes::{self, Mode, ModePage};
use crate::ui::shell::safety::SafetyView;
use crate::ui::store::model::Model;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub now_us: Micros,
    pub horizon_us: Micros,
    pub in_past: bool,
    pub seekable: bool,
    pub playing: bool,
    pub speed_step: i32,
    /// What the safety indicator and alarm show; `None` for a mode without live checks.
    pub safety: Option<Rc<SafetyView>>,
    pub pending_fork: bool,
    pub notice: Option<crate::i18n::Text>,
    pub share_url: Option<String>,
    pub embed_code: Option<String>,
    pub embed: bool,
    pub present: bool,
    /// The language chosen, and the one shown (English until the chosen one has arrived).
    pub lang: Lang,
    pub shown_lang: Lang,
    pub mode: Mode,
    pub lesson: Option<Rc<crate::ui::lesson::LessonView>>,
    /// The mode's own page.
    pub page: ModePage,
}

impl View {
    pub fn build(m: &Model) -> View {
        let run = m.run();
        View {
            now_us: run.now_us(),
            horizon_us: run.horizon_us(),
            in_past: run.in_past(),
            seekable: run.seekable(),
            playing: m.playing,
            speed_step: m.speed_step,
            safety: modes::safety(m),
            pending_fork: m.pending_fork.is_some(),
            notice: m.notice.clone(),
            share_url: m.share_url.clone(),
            embed_code: m.embed_code.clone(),
            embed: m.embed,
            present: m.present,
            lang: m.lang,
            shown_lang: i18n::shown(),
            mode: m.mode,
            lesson: crate::ui::lesson::view(m),
            page: modes::page(m),
        }
    }
}
