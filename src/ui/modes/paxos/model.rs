//! The Paxos run behind the mode: its recorded history (for time travel), the wall clock that
//! drives it, and what the learner asks of it. A settings change is a new run; proposing,
//! crashing, partitioning and the retry switch are actions on the run. A setting the
//! simulation refuses is returned as the notice that names it.

use crate::codec::paxos_link::PaxosLink;
use crate::i18n::Text;
use crate::sim::engine::Engine;
use crate::sim::history::History;
use crate::sim::paxos::{page_settings, Paxos, PaxosAction, PaxosSettings, Variant};
use crate::sim::types::NodeId;
use crate::ui::shell::recorded::Recorded;

pub type PaxosHistory = History<Paxos>;
pub type PaxosEngine = Engine<Paxos>;

/// What the mode's controls ask of its run.
#[derive(Clone, Debug, PartialEq)]
pub enum PaxosMsg {
    /// A new run with these settings (any control of the settings form, the variant switch).
    Restart(Box<PaxosSettings>),
    /// A proposal, a crash, a restart, a partition, a heal or the retry switch, now.
    Act(PaxosAction),
    /// Two nodes start phase 1 at the same moment: dueling proposers.
    Duel { first: NodeId, second: NodeId },
}

impl PaxosMsg {
    /// Whether it acts on the run (and so forks it when in its past).
    pub fn acts(&self) -> bool {
        matches!(self, PaxosMsg::Act(_) | PaxosMsg::Duel { .. })
    }
}

pub struct PaxosRun {
    /// The recorded run and the wall clock that drives it.
    pub run: Recorded<Paxos>,
}

impl PaxosRun {
    /// The default run: single-decree, S1 proposing.
    pub fn new() -> PaxosRun {
        PaxosRun::with_settings(page_settings(Variant::Single))
            .or_else(|_| PaxosRun::with_settings(PaxosSettings::default()))
            .unwrap_or_else(|e| panic!("default Paxos settings are invalid: {}", e.english()))
    }

    /// A fresh run of `settings`; the error says which setting is wrong.
    pub fn with_settings(settings: PaxosSettings) -> Result<PaxosRun, Text> {
        Ok(PaxosRun::of(PaxosHistory::new(settings)?))
    }

    /// The run `history` holds, at the moment it is at.
    pub fn of(history: PaxosHistory) -> PaxosRun {
        PaxosRun {
            run: Recorded::of(history),
        }
    }

    pub fn sim(&self) -> &PaxosEngine {
        self.run.history.sim()
    }

    /// The settings the run started with (the retry switch may have changed since: the
    /// engine's settings say how it is now).
    pub fn settings(&self) -> &PaxosSettings {
        self.run.history.sim().settings()
    }

    /// Carries out what a control asked; the error is the notice to show (the run on screen
    /// stays as it was).
    pub fn update(&mut self, msg: PaxosMsg) -> Result<(), Text> {
        match msg {
            PaxosMsg::Restart(settings) => *self = PaxosRun::with_settings(*settings)?,
            PaxosMsg::Act(action) => self.run.act(action)?,
            PaxosMsg::Duel { first, second } => {
                self.run.act(PaxosAction::Propose { node: first })?;
                self.run.act(PaxosAction::Propose { node: second })?;
            }
        }
        Ok(())
    }

    /// The run a link holds, at its moment; the error names what could not be replayed.
    pub fn restore(link: PaxosLink) -> Result<PaxosRun, Text> {
        let mut history = PaxosHistory::from_recording(link.settings, link.actions)?;
        history.seek(link.now_us);
        Ok(PaxosRun::of(history))
    }

    /// The run so far as a link holds it: the settings it started with, the actions and the
    /// moment shown.
    pub fn link(&self) -> PaxosLink {
        PaxosLink {
            settings: self.run.history.settings().clone(),
            actions: self.run.history.actions().to_vec(),
            now_us: self.run.history.now_us(),
        }
    }

    /// A documentation page's widget (`data-faultline="paxos"`): the default run, with the
    /// widget's seed if it names one.
    pub fn for_widget(seed: Option<u64>) -> Result<PaxosRun, Text> {
        let mut settings = page_settings(Variant::Single);
        if let Some(seed) = seed {
            settings.seed = seed;
        }
        PaxosRun::with_settings(settings)
    }
}

impl Default for PaxosRun {
    fn default() -> Self {
        PaxosRun::new()
    }
}
