//! The primary-backup run behind the mode: its recorded history (for time travel), the wall
//! clock that drives it, the reader that follows its trace for the failover timeline, and what
//! the learner asks of it. A settings change (the replication mode and the broken switches
//! included) is a new run; crashing or isolating the primary, a checkpoint and the latency
//! spike are actions on the run. A setting the simulation refuses is returned as the notice
//! that names it.

use crate::codec::pb_link::PbLink;
use crate::i18n::Text;
use crate::sim::engine::Engine;
use crate::sim::history::History;
use crate::sim::pb::page::{page_settings, RunReader};
use crate::sim::pb::{PbAction, PbSettings, PrimaryBackup, Replication};
use crate::ui::shell::recorded::Recorded;
use std::cell::RefCell;

pub type PbHistory = History<PrimaryBackup>;
pub type PbEngine = Engine<PrimaryBackup>;

/// What the mode's controls ask of its run.
#[derive(Clone, Debug, PartialEq)]
pub enum PbMsg {
    /// A new run with these settings (any control of the settings form, the replication
    /// switch, a broken switch).
    Restart(Box<PbSettings>),
    /// Crash or isolate the primary, a checkpoint, the latency spike or its end, a node's
    /// crash or restart, now (`sim::pb::page` makes the page's actions).
    Act(PbAction),
}

impl PbMsg {
    /// Whether it acts on the run (and so forks it when in its past).
    pub fn acts(&self) -> bool {
        matches!(self, PbMsg::Act(_))
    }
}

pub struct PbRun {
    /// The recorded run and the wall clock that drives it.
    pub run: Recorded<PrimaryBackup>,
    /// What the page has read of the run's trace so far (failovers, acknowledged writes);
    /// read on when the view is built, started afresh when the run moves back.
    reader: RefCell<RunReader>,
}

impl PbRun {
    /// The default run: hot standby.
    pub fn new() -> PbRun {
        PbRun::with_settings(page_settings(Replication::Hot))
            .or_else(|_| PbRun::with_settings(PbSettings::default()))
            .unwrap_or_else(|e| {
                panic!(
                    "default primary-backup settings are invalid: {}",
                    e.english()
                )
            })
    }

    /// A fresh run of `settings`; the error says which setting is wrong.
    pub fn with_settings(settings: PbSettings) -> Result<PbRun, Text> {
        Ok(PbRun::of(PbHistory::new(settings)?))
    }

    /// The run `history` holds, at the moment it is at.
    pub fn of(history: PbHistory) -> PbRun {
        PbRun {
            run: Recorded::of(history),
            reader: RefCell::new(RunReader::default()),
        }
    }

    pub fn sim(&self) -> &PbEngine {
        self.run.history.sim()
    }

    /// The settings the run started with (the latency spike changes the engine's network,
    /// not these).
    pub fn settings(&self) -> &PbSettings {
        self.run.history.settings()
    }

    /// The trace read up to now.
    pub fn read(&self) -> RunReader {
        let mut reader = self.reader.borrow_mut();
        let sim = self.sim();
        reader.read(sim.trace(), sim.checks().expected_losses());
        reader.clone()
    }

    /// Forgets what was read: the run moved back or forked.
    pub fn reread(&mut self) {
        *self.reader.get_mut() = RunReader::default();
    }

    /// Carries out what a control asked; the error is the notice to show (the run on screen
    /// stays as it was).
    pub fn update(&mut self, msg: PbMsg) -> Result<(), Text> {
        match msg {
            PbMsg::Restart(settings) => *self = PbRun::with_settings(*settings)?,
            PbMsg::Act(action) => {
                let forks = self.run.history.in_past();
                self.run.act(action)?;
                if forks {
                    self.reread();
                }
            }
        }
        Ok(())
    }

    /// The run a link holds, at its moment; the error names what could not be replayed.
    pub fn restore(link: PbLink) -> Result<PbRun, Text> {
        let mut history = PbHistory::from_recording(link.settings, link.actions)?;
        history.seek(link.now_us);
        Ok(PbRun::of(history))
    }

    /// The run so far as a link holds it: the settings it started with, the actions and the
    /// moment shown.
    pub fn link(&self) -> PbLink {
        PbLink {
            settings: self.run.history.settings().clone(),
            actions: self.run.history.actions().to_vec(),
            now_us: self.run.history.now_us(),
        }
    }

    /// A documentation page's widget (`data-faultline="primary-backup"`): the default run,
    /// with the widget's seed if it names one.
    pub fn for_widget(seed: Option<u64>) -> Result<PbRun, Text> {
        let mut settings = page_settings(Replication::Hot);
        if let Some(seed) = seed {
            settings.seed = seed;
        }
        PbRun::with_settings(settings)
    }
}

impl Default for PbRun {
    fn default() -> Self {
        PbRun::new()
    }
}
