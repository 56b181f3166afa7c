//! Everything a control can ask of the playground, in one type that components send and the
//! store reduces.

use crate::i18n::Text;
use crate::sim::disk::DiskConfig;
use crate::sim::types::{Micros, MsgId, NodeId};
use crate::sim::Action;
use crate::ui::i18n::Lang;
#[cfg(feature = "lessons")]
use crate::ui::lesson::session::LessonMsg;
#[cfg(feature = "mode-paxos")]
use crate::ui::modes::paxos::model::PaxosMsg;
#[cfg(feature = "mode-pb")]
use crate::ui::modes::pb::model::PbMsg;
#[cfg(feature = "mode-retransmit")]
use crate::ui::modes::retransmit::model::RetransmitMsg;
#[cfg(feature = "mode-ring")]
use crate::ui::modes::ring::model::RingMsg;
#[cfg(feature = "mode-2pc")]
use crate::ui::modes::twopc::model::TwoPcMsg;
use crate::ui::modes::Mode;
use crate::ui::store::model::{EventFilter, Tab};

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
    /// Make a share link of what the learner sees now, copy it and show it.
    Share,
    DismissShare,
    /// From an embedded widget: open the full page on the same run.
    OpenFull,
    /// Presentation mode on or off.
    TogglePresent,
    /// The learner chose a language (its catalogue may still be on its way).
    SetLang(Lang),
    /// A language's catalogue could not be fetched: the page stays in English and says why.
    LangFailed(String),
    /// A node dragged onto another node joins its side of the partition; dropped on empty
    /// space it stands alone.
    DropNode {
        node: NodeId,
        onto: Option<NodeId>,
    },
    #[cfg(feature = "lessons")]
    Lesson(LessonMsg),
    /// The learner chose this lesson (its file stem) on a page without the lesson player: open
    /// it in the full page.
    #[cfg(not(feature = "lessons"))]
    OpenLessonInFullPage(String),
    /// Something the learner should know (a link that could not be fully used).
    ShowNotice(Text),
    /// Download the run as a scenario file.
    ExportScenario,
    /// A scenario file the learner opened: a new run from it, or a notice naming what is
    /// wrong with it (the run on screen stays).
    ImportScenario {
        name: String,
        text: String,
    },
    /// Anything Hash ring mode asks of its own run.
    #[cfg(feature = "mode-ring")]
    Ring(RingMsg),
    /// Anything Retransmission mode asks of its own run.
    #[cfg(feature = "mode-retransmit")]
    Retransmit(RetransmitMsg),
    /// Anything Two-phase commit mode asks of its own run.
    #[cfg(feature = "mode-2pc")]
    TwoPc(TwoPcMsg),
    /// Anything Paxos mode asks of its own run.
    #[cfg(feature = "mode-paxos")]
    Paxos(PaxosMsg),
    /// Anything primary-backup mode asks of its own run.
    #[cfg(feature = "mode-pb")]
    Pb(PbMsg),
}
