//! The two-phase commit run behind the mode: its recorded history (for time travel), the wall
//! clock that drives it, and what the learner asks of it. Every setting change is a new run;
//! a setting the simulation refuses is returned as the notice that names it.

use crate::codec::twopc_link::TwoPcLink;
use crate::i18n::Text;
use crate::sim::engine::Engine;
use crate::sim::history::History;
use crate::sim::twopc::{crash_coordinator_before_decision, TwoPc, TwoPcAction, TwoPcSettings};
use crate::ui::shell::recorded::Recorded;

pub type TwoPcHistory = History<TwoPc>;
pub type TwoPcEngine = Engine<TwoPc>;

/// What the mode's controls ask of its run.
#[derive(Clone, Debug, PartialEq)]
pub enum TwoPcMsg {
    /// A new run with these settings (any control of the settings form).
    Restart(Box<TwoPcSettings>),
    /// A crash, a restart, a "votes no", a transaction, a partition or a heal, now.
    Act(TwoPcAction),
    /// Runs on to the first moment when every participant of a transaction has voted yes and
    /// the coordinator has not decided, and crashes the coordinator there.
    CrashBeforeDecision,
}

/// The run a learner first sees (`sim::twopc::page_settings`, where the tests read it too).
pub fn default_settings() -> TwoPcSettings {
    crate::sim::twopc::page_settings()
}

pub struct TwoPcRun {
    /// The recorded run and the wall clock that drives it.
    pub run: Recorded<TwoPc>,
}

impl TwoPcRun {
    /// The default run.
    pub fn new() -> TwoPcRun {
        TwoPcRun::with_settings(default_settings())
            .or_else(|_| TwoPcRun::with_settings(TwoPcSettings::default()))
            .unwrap_or_else(|e| {
                panic!(
                    "default two-phase commit settings are invalid: {}",
                    e.english()
                )
            })
    }

    /// A fresh run of `settings`; the error says which setting is wrong.
    pub fn with_settings(settings: TwoPcSettings) -> Result<TwoPcRun, Text> {
        Ok(TwoPcRun::of(TwoPcHistory::new(settings)?))
    }

    /// The run `history` holds, at the moment it is at.
    pub fn of(history: TwoPcHistory) -> TwoPcRun {
        TwoPcRun {
            run: Recorded::of(history),
        }
    }

    pub fn sim(&self) -> &TwoPcEngine {
        self.run.history.sim()
    }

    pub fn settings(&self) -> &TwoPcSettings {
        self.run.history.sim().settings()
    }

    /// Carries out what a control asked; the error is the notice to show (the run on screen
    /// stays as it was).
    pub fn update(&mut self, msg: TwoPcMsg) -> Result<(), Text> {
        match msg {
            TwoPcMsg::Restart(settings) => *self = TwoPcRun::with_settings(*settings)?,
            TwoPcMsg::Act(action) => self.run.act(action)?,
            TwoPcMsg::CrashBeforeDecision => self.crash_before_decision()?,
        }
        Ok(())
    }

    fn crash_before_decision(&mut self) -> Result<(), Text> {
        let crashed = crash_coordinator_before_decision(&mut self.run.history);
        // The search ran the history on even when it found nothing: the page shows where.
        self.run.sync();
        crashed.map(|_| ())
    }
}

impl Default for TwoPcRun {
    fn default() -> Self {
        TwoPcRun::new()
    }
}

impl TwoPcRun {
    /// The run a link holds, at its moment; the error names what could not be replayed.
    pub fn restore(link: TwoPcLink) -> Result<TwoPcRun, Text> {
        let mut history = TwoPcHistory::from_recording(link.settings, link.actions)?;
        history.seek(link.now_us);
        Ok(TwoPcRun::of(history))
    }

    /// The run so far as a link holds it: settings, actions and the moment shown.
    pub fn link(&self) -> TwoPcLink {
        TwoPcLink {
            settings: self.settings().clone(),
            actions: self.run.history.actions().to_vec(),
            now_us: self.run.history.now_us(),
        }
    }

    /// A documentation page's widget (`data-faultline="2pc"`): the default run, with the
    /// widget's seed if it names one.
    pub fn for_widget(seed: Option<u64>) -> Result<TwoPcRun, Text> {
        let mut settings = default_settings();
        if let Some(seed) = seed {
            settings.seed = seed;
        }
        TwoPcRun::with_settings(settings)
    }
}
