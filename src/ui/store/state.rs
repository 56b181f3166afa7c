//! The app state Yew sees: the shared [`Model`] and the [`View`] last built from it. Every
//! change goes through a [`Msg`]; the reducer mutates the model and rebuilds the view.

use crate::i18n::Text;
use crate::sim::{Action, Settings};
use crate::ui::i18n::{self, Lang};
use crate::ui::modes::Mode;
use crate::ui::store::link;
use crate::ui::store::model::{first_tab, Model, Tab, SPEED_STEP_MAX, SPEED_STEP_MIN};
use crate::ui::store::msg::Msg;
use crate::ui::store::view::View;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

pub struct AppState {
    pub model: Rc<RefCell<Model>>,
    pub view: Rc<View>,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.view == other.view
    }
}

impl AppState {
    pub fn new(model: Model) -> AppState {
        let view = Rc::new(View::build(&model));
        AppState {
            model: Rc::new(RefCell::new(model)),
            view,
        }
    }
}

impl Reducible for AppState {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        {
            let Ok(mut m) = self.model.try_borrow_mut() else {
                return self;
            };
            // The session is saved whenever the learner changes the run or where they look
            // (while playing, time moves on its own: the page saves again when it is hidden).
            let changes_session = !matches!(
                msg,
                Msg::Refresh
                    | Msg::Play
                    | Msg::Pause
                    | Msg::TogglePlay
                    | Msg::SetSpeed(_)
                    | Msg::Share
                    | Msg::DismissShare
                    | Msg::OpenFull
                    | Msg::DismissNotice
                    | Msg::ShowNotice(_)
                    | Msg::ExportScenario
                    | Msg::SelectMessage(_)
                    | Msg::SetFilter(_)
                    | Msg::ComputeRecoveryChart
                    | Msg::LangFailed(_)
            ) && !m.embed;
            match msg {
                Msg::Refresh => {}
                Msg::Play => m.playing = true,
                Msg::Pause => m.playing = false,
                Msg::TogglePlay => m.playing = !m.playing,
                Msg::Step => {
                    m.playing = false;
                    m.step();
                }
                Msg::StepInteresting => {
                    m.playing = false;
                    m.step_interesting();
                }
                Msg::SetSpeed(s) => m.speed_step = s.clamp(SPEED_STEP_MIN, SPEED_STEP_MAX),
                Msg::Seek(t) => m.seek(t),
                Msg::Select(n) => {
                    m.selected = if m.selected == n { None } else { n };
                    if m.selected.is_some() && !matches!(m.tab, Tab::Logs | Tab::Disks) {
                        m.tab = Tab::Node;
                    }
                }
                Msg::SelectMessage(id) => m.selected_msg = id,
                Msg::Act(action) => m.act(action, false),
                Msg::ConfirmFork => {
                    if let Some(action) = m.pending_fork.take() {
                        m.act(action, true);
                    }
                }
                Msg::CancelFork => m.pending_fork = None,
                Msg::SetNodes(n) => {
                    let settings = Settings {
                        nodes: n,
                        ..m.raft.sim().settings().clone()
                    };
                    m.restart(settings);
                }
                Msg::NewSeed(seed) => {
                    let settings = Settings {
                        seed,
                        ..m.raft.sim().settings().clone()
                    };
                    m.restart(settings);
                }
                Msg::SetTab(tab) => m.tab = tab,
                Msg::SetMode(mode) => m.set_mode(mode),
                Msg::SetDisk(disk) => m.set_disk(disk),
                Msg::ComputeRecoveryChart => m.compute_recovery_chart(),
                Msg::SetFilter(f) => m.filter = f,
                Msg::DismissNotice => m.notice = None,
                Msg::Share => {
                    let url = link::share_url(&m);
                    link::show_in_address_bar(&url);
                    link::copy(&url);
                    m.share_url = Some(url);
                    m.embed_code = Some(link::embed_snippet(&m));
                }
                Msg::DismissShare => {
                    m.share_url = None;
                    m.embed_code = None;
                }
                Msg::OpenFull => link::open_full(&m),
                Msg::TogglePresent => m.present = !m.present,
                Msg::SetLang(lang) => {
                    m.lang = lang;
                    i18n::choose(lang);
                    if !m.embed {
                        i18n::remember(lang);
                    }
                }
                Msg::LangFailed(error) => {
                    m.lang = Lang::En;
                    i18n::choose(Lang::En);
                    m.notice = Some(Text::new("notice.lang_failed").with("error", error));
                }
                Msg::DropNode { node, onto } => {
                    if onto != Some(node) {
                        let sim = m.raft.sim();
                        let net = sim.network();
                        let groups = net.regroup(sim.settings().nodes, node, onto);
                        let action = if groups.len() <= 1 && net.cuts().is_empty() {
                            Action::Heal
                        } else {
                            Action::Partition { groups }
                        };
                        m.act(action, false);
                    }
                }
                Msg::Lesson(l) => crate::ui::lesson::reduce(&mut m, l),
                Msg::ShowNotice(text) => m.notice = Some(text),
                Msg::ExportScenario => {
                    if let Some(run) = link::address_of(&m).run {
                        crate::ui::shell::share::download(&run);
                    }
                }
                Msg::ImportScenario { name, text } => {
                    match crate::codec::scenario_file::read(&name, &text) {
                        Ok(run) => {
                            let count = run.actions.len();
                            // A run that replays its log at a cost is a Log replay run.
                            let mode = if run.settings.disk.replay_us_per_entry > 0 {
                                Mode::LogReplay
                            } else {
                                Mode::Raft
                            };
                            match crate::sim::raft::RaftHistory::from_recording(
                                run.settings,
                                run.actions,
                            ) {
                                Ok(history) => {
                                    m.lesson = None;
                                    m.mode = mode;
                                    m.tab = first_tab(mode);
                                    m.load_history(history);
                                    m.playing = false;
                                    m.share_url = None;
                                    m.embed_code = None;
                                    m.notice = Some(
                                        Text::new("import.opened")
                                            .with("name", name)
                                            .with("count", count),
                                    );
                                }
                                Err(e) => {
                                    m.notice = Some(
                                        Text::new("import.unplayable")
                                            .with("name", name)
                                            .with_text("error", e),
                                    )
                                }
                            }
                        }
                        Err(e) => m.notice = Some(Text::new("import.failed").with_text("error", e)),
                    }
                }
                Msg::Retransmit(msg) => {
                    if let Some(run) = m.retransmit.as_mut() {
                        if let Err(e) = run.update(msg) {
                            m.notice = Some(e);
                        }
                    }
                }
                Msg::Ring(msg) => {
                    if let Some(ring) = m.ring.as_mut() {
                        ring.update(msg);
                    }
                }
            }
            if changes_session {
                link::save_session(&m);
            }
            crate::ui::lesson::observe(&mut m);
        }
        let view = {
            let Ok(m) = self.model.try_borrow() else {
                return self;
            };
            View::build(&m)
        };
        if *self.view == view {
            return self;
        }
        Rc::new(AppState {
            model: self.model.clone(),
            view: Rc::new(view),
        })
    }
}
