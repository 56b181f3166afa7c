//! The app state Yew sees: the shared [`Model`] and the [`View`] last built from it. Every
//! change goes through [`Msg`]; the reducer mutates the model and rebuilds the view.

use super::model::{EventFilter, Mode, Model, Tab, SPEED_STEP_MAX, SPEED_STEP_MIN};
use super::ring::model::RingMsg;
use super::view::View;
use crate::sim::disk::DiskConfig;
use crate::sim::types::{Micros, MsgId, NodeId};
use crate::sim::{Action, Settings};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Everything a control can ask of the playground.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// The frame loop saw the run change: rebuild the view.
    Refresh,
    Play,
    Pause,
    TogglePlay,
    Step,
    StepInteresting,
    SetSpeed(i32),
    Seek(Micros),
    Select(Option<NodeId>),
    SelectMessage(Option<MsgId>),
    /// Apply an action to the run (asks first when it would fork the run).
    Act(Action),
    ConfirmFork,
    CancelFork,
    SetNodes(u32),
    NewSeed(u64),
    SetTab(Tab),
    SetMode(Mode),
    SetDisk(DiskConfig),
    ComputeRecoveryChart,
    SetFilter(EventFilter),
    DismissNotice,
    /// Anything Hash ring mode asks of its own run.
    Ring(RingMsg),
}

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
                        ..m.history.sim().settings().clone()
                    };
                    m.restart(settings);
                }
                Msg::NewSeed(seed) => {
                    let settings = Settings {
                        seed,
                        ..m.history.sim().settings().clone()
                    };
                    m.restart(settings);
                }
                Msg::SetTab(tab) => m.tab = tab,
                Msg::SetMode(mode) => m.set_mode(mode),
                Msg::SetDisk(disk) => m.set_disk(disk),
                Msg::ComputeRecoveryChart => m.compute_recovery_chart(),
                Msg::SetFilter(f) => m.filter = f,
                Msg::DismissNotice => m.notice = None,
                Msg::Ring(msg) => {
                    if let Some(ring) = m.ring.as_mut() {
                        ring.update(msg);
                    }
                }
            }
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
