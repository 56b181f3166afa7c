//! The playground's state as plain Rust: the run with its history, the transport (playing,
//! speed) and what the learner has selected. Components read it through [`crate::ui::store::view`];
//! the frame loop advances it. No protocol logic lives here: it only calls the simulation.

use crate::codec::scenario::Scenario;
use crate::i18n::Text;
use crate::sim::raft::RaftHistory;
use crate::sim::types::{Micros, MsgId, NodeId};
use crate::sim::{Action, Settings};
use crate::ui::i18n::Lang;
use crate::ui::lesson::session::LessonSession;
#[cfg(feature = "mode-paxos")]
use crate::ui::modes::paxos::model::PaxosRun;
#[cfg(feature = "mode-pb")]
use crate::ui::modes::pb::model::PbRun;
use crate::ui::modes::raft::run::RaftRun;
#[cfg(feature = "mode-retransmit")]
use crate::ui::modes::retransmit::model::RetransmitRun;
#[cfg(feature = "mode-ring")]
use crate::ui::modes::ring::model::RingModel;
#[cfg(feature = "mode-2pc")]
use crate::ui::modes::twopc::model::TwoPcRun;
use crate::ui::modes::Mode;
use crate::ui::shell::mode::ModeRun;
use crate::ui::store::msg::Msg;
pub use crate::ui::store::tabs::{EventFilter, Tab, KIND_GROUPS};

/// Speed is 10^(step / 10) times real time: -30 is 1/1000x, 10 is 10x.
pub const SPEED_STEP_MIN: i32 = -30;
pub const SPEED_STEP_MAX: i32 = 10;
/// 1/20x: a 15 ms message crosses the screen in 0.3 s, an election timeout lasts 3 to 6 s.
pub const SPEED_STEP_DEFAULT: i32 = -13;
/// 1/2x in Hash ring mode: a 1 s failure detection takes 2 s on screen.
pub const RING_SPEED_STEP: i32 = -3;

/// The panel a mode opens with.
pub fn first_tab(mode: Mode) -> Tab {
    match mode {
        Mode::LogReplay => Tab::Disks,
        _ => Tab::Logs,
    }
}

/// Checkpoint intervals the recovery chart measures, in applied entries (`None`: never).
pub const CHART_INTERVALS: [Option<u64>; 5] = [Some(10), Some(25), Some(50), Some(100), None];
/// The measured recovery chart: per checkpoint interval, what the run measured.
pub type RecoveryChart = Vec<(Option<u64>, crate::sim::raft::workloads::RecoveryRow)>;

/// Committed entries per chart run: small, so that all five runs take a few milliseconds.
pub const CHART_ENTRIES: u64 = 200;

/// A lesson the page's address named, to fetch once the page is up.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingLesson {
    /// Its file stem.
    pub stem: String,
    /// Its step (0-based), counted in `revision` of the lesson.
    pub step: usize,
    pub revision: u32,
    /// Whether the address also held the run to keep.
    pub keep_run: bool,
}

pub struct Model {
    /// The Raft run of the Raft and Log replay modes (kept while another mode is shown).
    pub raft: RaftRun,
    pub playing: bool,
    pub speed_step: i32,
    pub selected: Option<NodeId>,
    pub selected_msg: Option<MsgId>,
    /// An action asked for in the past of the recorded run, waiting for the learner to
    /// confirm that the recorded future may be discarded.
    pub pending_fork: Option<Msg>,
    pub tab: Tab,
    pub mode: Mode,
    /// Recovery time and bytes written per checkpoint interval, measured by running the
    /// simulation (`sim::raft::workloads::recovery_run`), once the learner asks for it.
    pub recovery_chart: Option<RecoveryChart>,
    pub filter: EventFilter,
    /// The last thing that went wrong, shown in the status line.
    pub notice: Option<Text>,
    /// The share link last made, shown until dismissed.
    pub share_url: Option<String>,
    /// The iframe snippet of the same run, shown with the share link.
    pub embed_code: Option<String>,
    /// Only the cluster and a minimal control bar (`?embed=1`, for an iframe).
    pub embed: bool,
    /// Presentation mode, for projectors: large type, high contrast, keys shown on screen.
    pub present: bool,
    /// The guided lesson in progress, if any.
    pub lesson: Option<LessonSession>,
    /// A lesson the page's address named, to fetch once the page is up.
    pub pending_lesson: Option<PendingLesson>,
    /// Hash ring mode's run, made when the learner first opens that mode.
    #[cfg(feature = "mode-ring")]
    pub ring: Option<RingModel>,
    /// Retransmission mode's run, made when the learner first opens that mode.
    #[cfg(feature = "mode-retransmit")]
    pub retransmit: Option<RetransmitRun>,
    /// Two-phase commit mode's run, made when the learner first opens that mode.
    #[cfg(feature = "mode-2pc")]
    pub twopc: Option<TwoPcRun>,
    /// Paxos mode's run, made when the learner first opens that mode.
    #[cfg(feature = "mode-paxos")]
    pub paxos: Option<PaxosRun>,
    /// Primary-backup mode's run, made when the learner first opens that mode.
    #[cfg(feature = "mode-pb")]
    pub pb: Option<PbRun>,
    /// The language the learner chose (shown once its catalogue has arrived).
    pub lang: Lang,
}

impl Model {
    pub fn new(settings: Settings) -> Model {
        let history = RaftHistory::new(settings.clone())
            .or_else(|_| RaftHistory::new(Settings::default()))
            .unwrap_or_else(|_| unreachable_default());
        Model {
            raft: RaftRun::of(history),
            playing: true,
            speed_step: SPEED_STEP_DEFAULT,
            selected: None,
            selected_msg: None,
            pending_fork: None,
            tab: Tab::Logs,
            mode: Mode::Raft,
            recovery_chart: None,
            filter: EventFilter::default(),
            notice: None,
            share_url: None,
            embed_code: None,
            embed: false,
            present: false,
            lesson: None,
            pending_lesson: None,
            #[cfg(feature = "mode-ring")]
            ring: None,
            #[cfg(feature = "mode-retransmit")]
            retransmit: None,
            #[cfg(feature = "mode-2pc")]
            twopc: None,
            #[cfg(feature = "mode-paxos")]
            paxos: None,
            #[cfg(feature = "mode-pb")]
            pb: None,
            lang: Lang::En,
        }
    }

    /// Replaces the run with `history` (a lesson step's), clearing what referred to the old one.
    pub fn load_history(&mut self, history: RaftHistory) {
        self.raft = RaftRun::of(history);
        self.selected = None;
        self.selected_msg = None;
        self.pending_fork = None;
        self.notice = None;
    }

    pub fn speed(&self) -> f64 {
        crate::ui::shell::math::pow(10.0, self.speed_step as f64 / 10.0)
    }

    /// The running hash ring, when that mode is on.
    #[cfg(feature = "mode-ring")]
    pub fn ring_mode(&self) -> Option<&RingModel> {
        self.ring.as_ref().filter(|_| self.mode == Mode::Ring)
    }

    #[cfg(feature = "mode-ring")]
    pub fn ring_mode_mut(&mut self) -> Option<&mut RingModel> {
        self.ring.as_mut().filter(|_| self.mode == Mode::Ring)
    }

    /// The retransmission run, when that mode is on.
    #[cfg(feature = "mode-retransmit")]
    pub fn retransmit_mode(&self) -> Option<&RetransmitRun> {
        self.retransmit
            .as_ref()
            .filter(|_| self.mode == Mode::Retransmit)
    }

    /// The two-phase commit run, when that mode is on.
    #[cfg(feature = "mode-2pc")]
    pub fn twopc_mode(&self) -> Option<&TwoPcRun> {
        self.twopc.as_ref().filter(|_| self.mode == Mode::TwoPc)
    }

    /// The Paxos run, when that mode is on.
    #[cfg(feature = "mode-paxos")]
    pub fn paxos_mode(&self) -> Option<&PaxosRun> {
        self.paxos.as_ref().filter(|_| self.mode == Mode::Paxos)
    }

    /// The primary-backup run, when that mode is on.
    #[cfg(feature = "mode-pb")]
    pub fn pb_mode(&self) -> Option<&PbRun> {
        self.pb
            .as_ref()
            .filter(|_| self.mode == Mode::PrimaryBackup)
    }

    /// The run on screen, as the shell drives and draws it.
    pub fn run(&self) -> &dyn ModeRun {
        #[cfg(feature = "mode-pb")]
        if let Some(run) = self.pb_mode() {
            return run;
        }
        #[cfg(feature = "mode-paxos")]
        if let Some(run) = self.paxos_mode() {
            return run;
        }
        #[cfg(feature = "mode-2pc")]
        if let Some(run) = self.twopc_mode() {
            return run;
        }
        #[cfg(feature = "mode-retransmit")]
        if let Some(run) = self.retransmit_mode() {
            return run;
        }
        #[cfg(feature = "mode-ring")]
        if let Some(ring) = self.ring_mode() {
            return ring;
        }
        &self.raft
    }

    pub fn run_mut(&mut self) -> &mut dyn ModeRun {
        #[cfg(feature = "mode-pb")]
        if self.mode == Mode::PrimaryBackup {
            if let Some(run) = self.pb.as_mut() {
                return run;
            }
        }
        #[cfg(feature = "mode-paxos")]
        if self.mode == Mode::Paxos {
            if let Some(run) = self.paxos.as_mut() {
                return run;
            }
        }
        #[cfg(feature = "mode-2pc")]
        if self.mode == Mode::TwoPc {
            if let Some(run) = self.twopc.as_mut() {
                return run;
            }
        }
        #[cfg(feature = "mode-retransmit")]
        if self.mode == Mode::Retransmit {
            if let Some(run) = self.retransmit.as_mut() {
                return run;
            }
        }
        #[cfg(feature = "mode-ring")]
        if self.mode == Mode::Ring {
            if let Some(ring) = self.ring.as_mut() {
                return ring;
            }
        }
        &mut self.raft
    }

    pub fn now_us(&self) -> Micros {
        self.run().now_us()
    }

    pub fn horizon_us(&self) -> Micros {
        self.run().horizon_us()
    }

    /// Advances by `wall_ms` of real time at the current speed, bounded per frame.
    pub fn advance_wall(&mut self, wall_ms: f64) {
        let speed = self.speed();
        self.run_mut().advance_wall(wall_ms, speed);
    }

    /// Wall milliseconds until the next simulation event is due at the current speed.
    pub fn next_event_wall_ms(&self) -> Option<f64> {
        self.run().next_event_wall_ms(self.speed())
    }

    pub fn seek(&mut self, t_us: Micros) {
        if self.run().seekable() {
            self.run_mut().seek(t_us);
            self.selected_msg = None;
        }
    }

    /// Moves the Raft run to `t_us`, whichever mode is shown (a link opened in Hash ring mode
    /// keeps the Raft run the learner left too).
    pub fn seek_raft(&mut self, t_us: Micros) {
        self.raft.seek(t_us);
        self.selected_msg = None;
    }

    pub fn step(&mut self) {
        self.run_mut().step();
    }

    /// Steps until something worth stopping at happens in the run on screen.
    pub fn step_interesting(&mut self) {
        self.run_mut().step_interesting();
    }

    /// Applies an action, or holds it for confirmation when it would fork the run.
    pub fn act(&mut self, action: Action, confirmed: bool) {
        if self.raft.history.in_past() && !confirmed {
            self.pending_fork = Some(Msg::Act(action));
            self.playing = false;
            return;
        }
        self.pending_fork = None;
        if let Err(e) = self.raft.act(action) {
            self.notice = Some(e);
        }
    }

    /// Starts a new run with `settings` (a new cluster size, a new seed).
    pub fn restart(&mut self, settings: Settings) {
        match RaftRun::new(settings) {
            Ok(run) => {
                self.raft = run;
                self.selected = self
                    .selected
                    .filter(|n| n.0 <= self.raft.sim().settings().nodes);
                self.selected_msg = None;
                self.pending_fork = None;
                self.notice = None;
            }
            Err(e) => self.notice = Some(e),
        }
    }

    /// Switches mode: a fresh run with the settings the mode needs. A mode this bundle does
    /// not hold is opened by the reducer in the full page instead (`Mode::in_bundle`).
    pub fn set_mode(&mut self, mode: Mode) {
        if !mode.in_bundle() {
            return;
        }
        #[cfg(feature = "mode-ring")]
        if mode == Mode::Ring {
            self.mode = mode;
            self.ring.get_or_insert_with(RingModel::new);
            // Failure detection and streaming take seconds of simulated time: watch them at
            // half speed rather than Raft's 1/20.
            self.speed_step = RING_SPEED_STEP;
            return;
        }
        #[cfg(feature = "mode-2pc")]
        if mode == Mode::TwoPc {
            self.mode = mode;
            self.twopc.get_or_insert_with(TwoPcRun::new);
            self.speed_step = SPEED_STEP_DEFAULT;
            return;
        }
        #[cfg(feature = "mode-paxos")]
        if mode == Mode::Paxos {
            self.mode = mode;
            self.paxos.get_or_insert_with(PaxosRun::new);
            self.speed_step = SPEED_STEP_DEFAULT;
            return;
        }
        #[cfg(feature = "mode-pb")]
        if mode == Mode::PrimaryBackup {
            self.mode = mode;
            self.pb.get_or_insert_with(PbRun::new);
            self.speed_step = SPEED_STEP_DEFAULT;
            return;
        }
        #[cfg(feature = "mode-retransmit")]
        if mode == Mode::Retransmit {
            self.mode = mode;
            self.retransmit.get_or_insert_with(RetransmitRun::new);
            self.speed_step = SPEED_STEP_DEFAULT;
            return;
        }
        if self.mode == Mode::Ring {
            self.speed_step = SPEED_STEP_DEFAULT;
        }
        let settings = mode.settings(self.raft.sim().settings());
        self.mode = mode;
        self.tab = first_tab(mode);
        self.restart(settings);
    }

    /// A fresh run of `mode` with the default settings.
    pub fn for_mode(mode: Mode) -> Model {
        // The page opens the full page before it gets here for a mode it does not hold.
        let mode = if mode.in_bundle() { mode } else { Mode::Raft };
        let mut model = Model::new(mode.settings(&Settings::default()));
        model.mode = mode;
        model.tab = first_tab(mode);
        if matches!(
            mode,
            Mode::Ring | Mode::Retransmit | Mode::TwoPc | Mode::Paxos | Mode::PrimaryBackup
        ) {
            // Its own run and speed, as when the learner switches to it.
            model.set_mode(mode);
        }
        model
    }

    /// A recorded run (a share link, the autosaved session), at its beginning.
    pub fn from_recording(mode: Mode, run: Scenario) -> Result<Model, Text> {
        let history = RaftHistory::from_recording(run.settings, run.actions)?;
        let mut model = Model::for_mode(mode);
        model.raft = RaftRun::of(history);
        Ok(model)
    }

    /// A different disk is a different run: it restarts with the new disk settings.
    pub fn set_disk(&mut self, disk: crate::sim::disk::DiskConfig) {
        let settings = Settings {
            disk,
            ..self.raft.sim().settings().clone()
        };
        self.restart(settings);
    }

    /// Measures recovery time and bytes written for each checkpoint interval of the chart,
    /// by running the simulation headlessly (a few milliseconds in all).
    pub fn compute_recovery_chart(&mut self) {
        let mut rows = Vec::new();
        for interval in CHART_INTERVALS {
            match crate::sim::raft::workloads::recovery_run(interval, CHART_ENTRIES) {
                Ok(row) => rows.push((interval, row)),
                Err(e) => {
                    self.notice = Some(Text::new("notice.chart_failed").with("error", e));
                    return;
                }
            }
        }
        self.recovery_chart = Some(rows);
    }

    /// The node actions apply to: the selected one, else the leader, else the first.
    pub fn target(&self) -> NodeId {
        self.selected
            .or_else(|| self.raft.sim().leader())
            .unwrap_or(NodeId(1))
    }
}

/// `Settings::default()` is valid; this is only reached if that ever stops being true.
fn unreachable_default() -> RaftHistory {
    let settings = Settings {
        nodes: 3,
        ..Settings::default()
    };
    match RaftHistory::new(settings) {
        Ok(h) => h,
        Err(e) => panic!("default settings are invalid: {}", e.english()),
    }
}
