//! The retransmission run behind the mode: its recorded history (for time travel), the wall
//! clock that drives it, and what the learner asks of it. Every setting change is a new run;
//! a setting the simulation refuses is returned as the notice that names it.

use crate::i18n::Text;
use crate::sim::engine::Engine;
use crate::sim::history::History;
use crate::sim::net::NetConfig;
use crate::sim::retransmit::goodput::GoodputChart;
use crate::sim::retransmit::{
    AckMode, Retransmit, RetransmitAction, RetransmitConfig, RetransmitSettings, RtoPolicy, Scheme,
};
use crate::sim::rng::PPM_ONE;
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

/// The run a learner first sees: one pair, go-back-N with a window of 4, an adaptive timeout,
/// a constant 30 ms one-way latency (a jittered one reorders messages, which makes go-back-N
/// resend even without loss) and 10 % loss, so that a resend shows up within seconds.
pub fn default_settings() -> RetransmitSettings {
    RetransmitSettings {
        seed: 1,
        network: NetConfig {
            latency_us_min: 30 * MICROS_PER_MS,
            latency_us_max: 30 * MICROS_PER_MS,
            loss_ppm: PPM_ONE / 10,
            duplicate_ppm: 0,
            ..NetConfig::default()
        },
        retransmit: RetransmitConfig {
            pairs: 1,
            scheme: Scheme::GoBackN,
            window: 4,
            ack: AckMode::Cumulative,
            rto: adaptive_rto(),
            messages: 40,
            offered_interval_us: 0,
            ..RetransmitConfig::default()
        },
        ..RetransmitSettings::default()
    }
}

/// RFC 6298's one second before the first measurement and its 60 s ceiling, with a floor of
/// 100 ms (the RFC says one second, Linux uses 200 ms) so that a 60 ms round trip is not
/// dwarfed by it.
pub fn adaptive_rto() -> RtoPolicy {
    RtoPolicy::Adaptive {
        initial_us: 1_000 * MICROS_PER_MS,
        min_us: 100 * MICROS_PER_MS,
        max_us: 60_000 * MICROS_PER_MS,
    }
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
