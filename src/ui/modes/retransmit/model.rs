//! The retransmission run behind the mode: its recorded history (for time travel), the wall
//! clock that drives it, and what the learner asks of it. Every setting change is a new run;
//! a setting the simulation refuses is returned as the notice that names it.

use crate::i18n::Text;
use crate::sim::engine::Engine;
use crate::sim::history::History;
use crate::sim::retransmit::goodput::GoodputChart;
use crate::sim::retransmit::{Retransmit, RetransmitAction, RetransmitSettings, RtoPolicy};
use crate::sim::types::{Micros, MICROS_PER_MS};
use crate::ui::shell::recorded::Recorded;
use std::rc::Rc;

pub type RetransmitHistory = History<Retransmit>;
pub type RetransmitEngine = Engine<Retransmit>;

/// What the mode's controls ask of its run.
#[derive(Clone, Debug, PartialEq)]
pub enum RetransmitMsg {
    /// A new run with these settings (any control of the settings form).
    Restart(Box<RetransmitSettings>),
    /// A crash, a restart or "hand over a message now", at the current moment.
    Act(RetransmitAction),
    /// Measure goodput against loss by running the simulation.
    ComputeChart,
}

/// The run a learner first sees (`sim::retransmit::page_settings`, where the lesson tests
/// read it too).
pub fn default_settings() -> RetransmitSettings {
    crate::sim::retransmit::page_settings()
}

/// The adaptive timeout the form offers (`sim::retransmit::page_rto`).
pub fn adaptive_rto() -> RtoPolicy {
    crate::sim::retransmit::page_rto()
}

/// The fixed timeout the form offers first.
pub const FIXED_RTO_US_DEFAULT: Micros = 200 * MICROS_PER_MS;

pub struct RetransmitRun {
    /// The recorded run and the wall clock that drives it.
    pub run: Recorded<Retransmit>,
    /// Goodput against loss, once the learner has asked for it.
    pub chart: Option<Rc<GoodputChart>>,
}

impl RetransmitRun {
    /// The default run.
    pub fn new() -> RetransmitRun {
        RetransmitRun::with_settings(default_settings())
            .or_else(|_| RetransmitRun::with_settings(RetransmitSettings::default()))
            .unwrap_or_else(|e| {
                panic!(
                    "default retransmission settings are invalid: {}",
                    e.english()
                )
            })
    }

    /// A fresh run of `settings`; the error says which setting is wrong.
    pub fn with_settings(settings: RetransmitSettings) -> Result<RetransmitRun, Text> {
        Ok(RetransmitRun::of(RetransmitHistory::new(settings)?))
    }

    /// The run `history` holds, at the moment it is at.
    pub fn of(history: RetransmitHistory) -> RetransmitRun {
        RetransmitRun {
            run: Recorded::of(history),
            chart: None,
        }
    }

    pub fn sim(&self) -> &RetransmitEngine {
        self.run.history.sim()
    }

    pub fn settings(&self) -> &RetransmitSettings {
        self.run.history.sim().settings()
    }

    /// Carries out what a control asked; the error is the notice to show (the run on screen
    /// stays as it was).
    pub fn update(&mut self, msg: RetransmitMsg) -> Result<(), Text> {
        match msg {
            RetransmitMsg::Restart(settings) => {
                let chart = self.chart.take();
                *self = RetransmitRun::with_settings(*settings)?;
                self.chart = chart;
            }
            RetransmitMsg::Act(action) => self.run.act(action)?,
            RetransmitMsg::ComputeChart => {
                let chart = crate::sim::retransmit::goodput::chart(&self.settings().retransmit)
                    .map_err(|e| Text::new("rt.chart_failed").with("error", e))?;
                self.chart = Some(Rc::new(chart));
            }
        }
        Ok(())
    }
}

impl Default for RetransmitRun {
    fn default() -> Self {
        RetransmitRun::new()
    }
}

impl RetransmitRun {
    /// The run a link holds, at its moment; the error names what could not be replayed.
    pub fn restore(
        link: crate::codec::retransmit_link::RetransmitLink,
    ) -> Result<RetransmitRun, Text> {
        let mut history = RetransmitHistory::from_recording(link.settings, link.actions)?;
        history.seek(link.now_us);
        Ok(RetransmitRun::of(history))
    }

    /// The run so far as a link holds it: settings, actions and the moment shown.
    pub fn link(&self) -> crate::codec::retransmit_link::RetransmitLink {
        crate::codec::retransmit_link::RetransmitLink {
            settings: self.settings().clone(),
            actions: self.run.history.actions().to_vec(),
            now_us: self.run.history.now_us(),
        }
    }

    /// A documentation page's widget (`data-faultline="retransmit"`): the default run, with
    /// the widget's seed if it names one.
    pub fn for_widget(seed: Option<u64>) -> Result<RetransmitRun, Text> {
        let mut settings = default_settings();
        if let Some(seed) = seed {
            settings.seed = seed;
        }
        RetransmitRun::with_settings(settings)
    }
}
