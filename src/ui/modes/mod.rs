//! What is particular to each protocol's page, one folder per mode, and the one place that
//! lists them: which page a mode shows, what its embedded widget shows, what its footer says,
//! which keys it takes. The shell calls these and names no protocol itself.

pub mod catalog;
#[cfg(feature = "mode-paxos")]
pub mod paxos;
#[cfg(feature = "mode-pb")]
pub mod pb;
pub mod raft;
#[cfg(feature = "mode-retransmit")]
pub mod retransmit;
#[cfg(feature = "mode-ring")]
pub mod ring;
#[cfg(feature = "mode-2pc")]
pub mod twopc;

pub use catalog::Mode;

use crate::ui::i18n::{tf, tx};
use crate::ui::lesson::LessonView;
use crate::ui::shell::animator::Surfaces;
use crate::ui::shell::safety::SafetyView;
use crate::ui::store::model::Model;
use crate::ui::store::msg::Msg;
#[cfg(feature = "mode-paxos")]
use paxos::page::{PaxosEmbed, PaxosPage};
#[cfg(feature = "mode-paxos")]
use paxos::view::PaxosView;
#[cfg(feature = "mode-pb")]
use pb::page::{PbEmbed, PbPage};
#[cfg(feature = "mode-pb")]
use pb::view::PbView;
use raft::page::RaftPage;
use raft::view::RaftView;
#[cfg(feature = "mode-retransmit")]
use retransmit::page::{RetransmitEmbed, RetransmitPage};
#[cfg(feature = "mode-retransmit")]
use retransmit::view::RetransmitView;
#[cfg(feature = "mode-ring")]
use ring::page::{RingEmbed, RingPage};
#[cfg(feature = "mode-ring")]
use ring::view::RingView;
use std::rc::Rc;
#[cfg(feature = "mode-2pc")]
use twopc::page::{TwoPcEmbed, TwoPcPage};
#[cfg(feature = "mode-2pc")]
use twopc::view::TwoPcView;
use yew::prelude::*;

/// The page of the mode on screen, as its components read it.
#[derive(Clone, Debug, PartialEq)]
pub enum ModePage {
    /// Raft and Log replay.
    Raft(Rc<RaftView>),
    #[cfg(feature = "mode-ring")]
    Ring(Rc<RingView>),
    #[cfg(feature = "mode-retransmit")]
    Retransmit(Rc<RetransmitView>),
    #[cfg(feature = "mode-2pc")]
    TwoPc(Rc<TwoPcView>),
    #[cfg(feature = "mode-paxos")]
    Paxos(Rc<PaxosView>),
    #[cfg(feature = "mode-pb")]
    Pb(Rc<PbView>),
}

/// The page of the mode `m` shows.
pub fn page(m: &Model) -> ModePage {
    #[cfg(feature = "mode-pb")]
    if let Some(run) = m.pb_mode() {
        return ModePage::Pb(Rc::new(PbView::build(run)));
    }
    #[cfg(feature = "mode-paxos")]
    if let Some(run) = m.paxos_mode() {
        return ModePage::Paxos(Rc::new(PaxosView::build(run)));
    }
    #[cfg(feature = "mode-2pc")]
    if let Some(run) = m.twopc_mode() {
        return ModePage::TwoPc(Rc::new(TwoPcView::build(run)));
    }
    #[cfg(feature = "mode-retransmit")]
    if let Some(run) = m.retransmit_mode() {
        return ModePage::Retransmit(Rc::new(RetransmitView::build(run)));
    }
    #[cfg(feature = "mode-ring")]
    if let Some(ring) = m.ring_mode() {
        return ModePage::Ring(Rc::new(RingView::build(ring)));
    }
    ModePage::Raft(Rc::new(RaftView::build(m)))
}

/// What the header's safety indicator and alarm show, for a mode whose run has live checks.
pub fn safety(m: &Model) -> Option<Rc<SafetyView>> {
    #[cfg(feature = "mode-pb")]
    if let Some(run) = m.pb_mode() {
        let replication = run.settings().pb.replication;
        return Some(Rc::new(pb::safety::safety(
            replication,
            run.sim().violations(),
        )));
    }
    #[cfg(feature = "mode-paxos")]
    if let Some(run) = m.paxos_mode() {
        let variant = run.sim().settings().paxos.variant;
        return Some(Rc::new(paxos::safety::safety(
            variant,
            run.sim().violations(),
        )));
    }
    #[cfg(feature = "mode-2pc")]
    if let Some(run) = m.twopc_mode() {
        return Some(Rc::new(twopc::safety::safety(run.sim().violations())));
    }
    #[cfg(feature = "mode-retransmit")]
    if let Some(run) = m.retransmit_mode() {
        return Some(Rc::new(retransmit::safety::safety(run.sim().violations())));
    }
    match m.mode {
        // The Hash ring shows its checks' counters on its own page.
        Mode::Ring | Mode::Retransmit | Mode::TwoPc | Mode::Paxos | Mode::PrimaryBackup => None,
        Mode::Raft | Mode::LogReplay => {
            Some(Rc::new(raft::safety::safety(m.raft.sim().violations())))
        }
    }
}

/// Everything the shell passes to a mode's page.
pub struct PageContext<'a> {
    pub now_us: crate::sim::types::Micros,
    pub lesson: Option<Rc<LessonView>>,
    pub surfaces: &'a Surfaces,
    pub on_msg: &'a Callback<Msg>,
}

/// The mode's part of the full page, below the transport and the notices.
pub fn render(page: &ModePage, cx: &PageContext) -> Html {
    match page {
        ModePage::Raft(view) => html! {
            <RaftPage view={view.clone()} now_us={cx.now_us} lesson={cx.lesson.clone()}
                surfaces={cx.surfaces.clone()} embed={false} on_msg={cx.on_msg.clone()} />
        },
        #[cfg(feature = "mode-ring")]
        ModePage::Ring(view) => html! {
            <>
                if let Some(l) = cx.lesson.clone() {
                    <div class="ring-lesson">
                        { crate::ui::lesson::panel(l, cx.on_msg) }
                    </div>
                }
                <RingPage view={view.clone()} layer={cx.surfaces.layer.clone()} on_msg={cx.on_msg.clone()} />
            </>
        },
        #[cfg(feature = "mode-retransmit")]
        ModePage::Retransmit(view) => html! {
            <>
                if let Some(l) = cx.lesson.clone() {
                    <div class="ring-lesson">
                        { crate::ui::lesson::panel(l, cx.on_msg) }
                    </div>
                }
                <RetransmitPage view={view.clone()} surfaces={cx.surfaces.clone()} on_msg={cx.on_msg.clone()} />
            </>
        },
        #[cfg(feature = "mode-2pc")]
        ModePage::TwoPc(view) => html! {
            <>
                if let Some(l) = cx.lesson.clone() {
                    <div class="ring-lesson">
                        { crate::ui::lesson::panel(l, cx.on_msg) }
                    </div>
                }
                <TwoPcPage view={view.clone()} surfaces={cx.surfaces.clone()} on_msg={cx.on_msg.clone()} />
            </>
        },
        #[cfg(feature = "mode-paxos")]
        ModePage::Paxos(view) => html! {
            <>
                if let Some(l) = cx.lesson.clone() {
                    <div class="ring-lesson">
                        { crate::ui::lesson::panel(l, cx.on_msg) }
                    </div>
                }
                <PaxosPage view={view.clone()} surfaces={cx.surfaces.clone()} on_msg={cx.on_msg.clone()} />
            </>
        },
        #[cfg(feature = "mode-pb")]
        ModePage::Pb(view) => html! {
            <>
                if let Some(l) = cx.lesson.clone() {
                    <div class="ring-lesson">
                        { crate::ui::lesson::panel(l, cx.on_msg) }
                    </div>
                }
                <PbPage view={view.clone()} surfaces={cx.surfaces.clone()} on_msg={cx.on_msg.clone()} />
            </>
        },
    }
}

/// The mode's part of an embedded widget.
pub fn render_embed(page: &ModePage, cx: &PageContext) -> Html {
    match page {
        ModePage::Raft(view) => html! {
            <RaftPage view={view.clone()} now_us={cx.now_us} lesson={None::<Rc<LessonView>>}
                surfaces={cx.surfaces.clone()} embed={true} on_msg={cx.on_msg.clone()} />
        },
        #[cfg(feature = "mode-ring")]
        ModePage::Ring(view) => html! {
            <RingEmbed view={view.clone()} layer={cx.surfaces.layer.clone()} on_msg={cx.on_msg.clone()} />
        },
        #[cfg(feature = "mode-retransmit")]
        ModePage::Retransmit(view) => html! {
            <RetransmitEmbed view={view.clone()} surfaces={cx.surfaces.clone()} on_msg={cx.on_msg.clone()} />
        },
        #[cfg(feature = "mode-2pc")]
        ModePage::TwoPc(view) => html! {
            <TwoPcEmbed view={view.clone()} surfaces={cx.surfaces.clone()} on_msg={cx.on_msg.clone()} />
        },
        #[cfg(feature = "mode-paxos")]
        ModePage::Paxos(view) => html! {
            <PaxosEmbed view={view.clone()} surfaces={cx.surfaces.clone()} on_msg={cx.on_msg.clone()} />
        },
        #[cfg(feature = "mode-pb")]
        ModePage::Pb(view) => html! {
            <PbEmbed view={view.clone()} surfaces={cx.surfaces.clone()} on_msg={cx.on_msg.clone()} />
        },
    }
}

/// What an embedded widget's foot says about its run.
pub fn embed_foot(page: &ModePage) -> String {
    match page {
        ModePage::Raft(view) => tf(
            "embed.foot",
            &[("nodes", &view.node_count), ("seed", &view.seed)],
        ),
        #[cfg(feature = "mode-ring")]
        ModePage::Ring(ring) => tf(
            "embed.ring_foot",
            &[
                ("nodes", &ring.form.store.nodes),
                ("keys", &ring.form.store.keys),
            ],
        ),
        #[cfg(feature = "mode-retransmit")]
        ModePage::Retransmit(rt) => tf(
            "embed.rt_foot",
            &[
                ("pairs", &rt.settings.retransmit.pairs),
                ("seed", &rt.settings.seed),
            ],
        ),
        #[cfg(feature = "mode-2pc")]
        ModePage::TwoPc(tp) => tf(
            "embed.tp_foot",
            &[
                ("participants", &tp.settings.twopc.participants),
                ("seed", &tp.settings.seed),
            ],
        ),
        #[cfg(feature = "mode-paxos")]
        ModePage::Paxos(px) => tf(
            "embed.px_foot",
            &[
                ("nodes", &px.settings.paxos.nodes),
                ("seed", &px.settings.seed),
            ],
        ),
        #[cfg(feature = "mode-pb")]
        ModePage::Pb(pb) => tf(
            "embed.pb_foot",
            &[
                (
                    "replication",
                    &crate::ui::i18n::t(pb::controls::replication_key(pb.replication())),
                ),
                ("servers", &pb.settings.pb.servers()),
                ("seed", &pb.settings.seed),
            ],
        ),
    }
}

/// The page footer's words about the run, after the version.
pub fn footer(page: &ModePage) -> Html {
    match page {
        ModePage::Raft(view) => html! {
            <>
                <span>{ " · " }{ tf("foot.run", &[("seed", &view.seed), ("nodes", &view.node_count)]) }</span>
                <span class="keys">{ " · " }{ tx("foot.keys") }</span>
            </>
        },
        #[allow(unreachable_patterns)]
        _ => Html::default(),
    }
}

/// Whether the share panel offers the embed snippet and scenario files (Raft runs; a Hash
/// ring run travels by link).
pub fn shares_files(page: &ModePage) -> bool {
    matches!(page, ModePage::Raft(_))
}

/// The catalogue key of the playback bar's "next interesting event" title: what it runs to
/// in each mode.
pub fn next_title(mode: Mode) -> &'static str {
    match mode {
        Mode::Raft | Mode::LogReplay => "transport.next_title",
        Mode::Ring => "transport.next_title_ring",
        Mode::Retransmit => "transport.next_title_rt",
        Mode::TwoPc => "transport.next_title_tp",
        Mode::Paxos => "transport.next_title_px",
        Mode::PrimaryBackup => "transport.next_title_pb",
    }
}

/// The message a key asks of the mode on screen, beyond the shell's playback keys.
pub fn shortcut(key: &str, m: &Model) -> Option<Msg> {
    match m.mode {
        // Hash ring mode has its own node controls; only playback has keys.
        Mode::Ring | Mode::Retransmit | Mode::TwoPc | Mode::Paxos | Mode::PrimaryBackup => None,
        Mode::Raft | Mode::LogReplay => raft::keys::shortcut(key, m),
    }
}
