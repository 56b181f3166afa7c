//! The reducer: how each message changes the model, as a pure function that returns what the
//! browser must do besides (copy, download, save the session, update the address bar); the
//! shell carries those effects out in one place, `ui::platform`.

use crate::i18n::Text;
use crate::sim::{Action, Settings};
use crate::ui::i18n::Lang;
#[cfg(feature = "mode-paxos")]
use crate::ui::modes::paxos::model::PaxosMsg;
#[cfg(feature = "mode-pb")]
use crate::ui::modes::pb::model::PbMsg;
#[cfg(feature = "mode-retransmit")]
use crate::ui::modes::retransmit::model::RetransmitMsg;
#[cfg(feature = "mode-2pc")]
use crate::ui::modes::twopc::model::TwoPcMsg;
use crate::ui::modes::Mode;
#[cfg(feature = "mode-retransmit")]
use crate::ui::shell::mode::ModeRun;
use crate::ui::store::effect::Effect;
use crate::ui::store::link;
use crate::ui::store::model::{first_tab, Model, Tab, SPEED_STEP_MAX, SPEED_STEP_MIN};
use crate::ui::store::msg::Msg;

/// Applies `msg` to `m`; returns the effects it asks for, in order.
pub fn reduce(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
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
        Msg::ConfirmFork => match m.pending_fork.take() {
            Some(Msg::Act(action)) => m.act(action, true),
            #[cfg(feature = "mode-retransmit")]
            Some(Msg::Retransmit(msg)) => retransmit(m, msg, true),
            #[cfg(feature = "mode-2pc")]
            Some(Msg::TwoPc(msg)) => twopc(m, msg, true),
            #[cfg(feature = "mode-paxos")]
            Some(Msg::Paxos(msg)) => paxos(m, msg, true),
            #[cfg(feature = "mode-pb")]
            Some(Msg::Pb(msg)) => pb(m, msg, true),
            _ => {}
        },
        Msg::CancelFork => m.pending_fork = None,
        Msg::SetNodes(n) => {
            let sized = crate::ui::modes::catalog::sized(m.raft.sim().settings(), n);
            m.restart(m.mode.settings(&sized));
        }
        Msg::NewSeed(seed) => {
            let settings = Settings {
                seed,
                ..m.raft.sim().settings().clone()
            };
            m.restart(settings);
        }
        Msg::SetTab(tab) => m.tab = tab,
        Msg::SetMode(mode) if !mode.in_bundle() => {
            let address = crate::codec::address::Address {
                mode: Some(mode.id().to_string()),
                tab: None,
                ..link::address_of(m)
            };
            effects.push(Effect::Navigate(link::full_page_url(&address)));
        }
        Msg::SetMode(mode) => m.set_mode(mode),
        Msg::SetDisk(disk) => m.set_disk(disk),
        Msg::ComputeRecoveryChart => m.compute_recovery_chart(),
        Msg::SetFilter(f) => m.filter = f,
        Msg::DismissNotice => m.notice = None,
        Msg::Share => {
            let url = link::share_url(m);
            effects.push(Effect::ShowInAddressBar(url.clone()));
            effects.push(Effect::Copy(url.clone()));
            m.share_url = Some(url);
            m.embed_code = Some(link::embed_snippet(m));
        }
        Msg::DismissShare => {
            m.share_url = None;
            m.embed_code = None;
        }
        Msg::OpenFull => effects.push(Effect::OpenInNewTab(link::share_url(m))),
        Msg::TogglePresent => m.present = !m.present,
        Msg::SetLang(lang) => {
            m.lang = lang;
            effects.push(Effect::ChooseLang(lang));
            if !m.embed {
                effects.push(Effect::RememberLang(lang));
            }
        }
        Msg::LangFailed(error) => {
            m.lang = Lang::En;
            effects.push(Effect::ChooseLang(Lang::En));
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
        #[cfg(feature = "lessons")]
        Msg::Lesson(l) => crate::ui::lesson::reduce(m, l),
        #[cfg(not(feature = "lessons"))]
        Msg::OpenLessonInFullPage(stem) => {
            let address = crate::codec::address::Address {
                lesson: Some(stem),
                lang: Some(m.lang),
                present: m.present,
                ..Default::default()
            };
            effects.push(Effect::Navigate(link::full_page_url(&address)));
        }
        Msg::ShowNotice(text) => m.notice = Some(text),
        Msg::ExportScenario => {
            if let Some(run) = link::address_of(m).run {
                effects.push(Effect::Download(Box::new(run)));
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
                    match crate::sim::raft::RaftHistory::from_recording(run.settings, run.actions) {
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
        #[cfg(feature = "mode-retransmit")]
        Msg::Retransmit(msg) => retransmit(m, msg, false),
        #[cfg(feature = "mode-2pc")]
        Msg::TwoPc(msg) => twopc(m, msg, false),
        #[cfg(feature = "mode-paxos")]
        Msg::Paxos(msg) => paxos(m, msg, false),
        #[cfg(feature = "mode-pb")]
        Msg::Pb(msg) => pb(m, msg, false),
        #[cfg(feature = "mode-ring")]
        Msg::Ring(msg) => {
            if let Some(ring) = m.ring.as_mut() {
                ring.update(msg);
            }
        }
    }
    if changes_session {
        effects.push(Effect::SaveSession(link::address_of(m).fragment()));
    }
    #[cfg(feature = "lessons")]
    crate::ui::lesson::observe(m);
    effects
}

#[cfg(feature = "mode-retransmit")]
/// Hands `msg` to the retransmission run; an action in the past of its recorded run waits for
/// the learner to confirm the fork, as a Raft action does.
fn retransmit(m: &mut Model, msg: RetransmitMsg, confirmed: bool) {
    let Some(run) = m.retransmit.as_mut() else {
        return;
    };
    if matches!(msg, RetransmitMsg::Act(_)) && run.in_past() && !confirmed {
        m.pending_fork = Some(Msg::Retransmit(msg));
        m.playing = false;
        return;
    }
    m.pending_fork = None;
    let replaced = matches!(msg, RetransmitMsg::Restart(_));
    match run.update(msg) {
        // An open lesson's goals count from the new run's start.
        #[cfg(feature = "lessons")]
        Ok(()) if replaced => crate::ui::lesson::run_replaced(m),
        Ok(()) => {}
        Err(e) => m.notice = Some(e),
    }
}

#[cfg(feature = "mode-2pc")]
/// Hands `msg` to the two-phase commit run; an action in the past of its recorded run waits
/// for the learner to confirm the fork, as a Raft action does.
fn twopc(m: &mut Model, msg: TwoPcMsg, confirmed: bool) {
    let Some(run) = m.twopc.as_mut() else {
        return;
    };
    let acts = matches!(msg, TwoPcMsg::Act(_) | TwoPcMsg::CrashBeforeDecision);
    if acts && run.in_past() && !confirmed {
        m.pending_fork = Some(Msg::TwoPc(msg));
        m.playing = false;
        return;
    }
    m.pending_fork = None;
    let replaced = matches!(msg, TwoPcMsg::Restart(_));
    match run.update(msg) {
        // An open lesson's goals count from the new run's start.
        #[cfg(feature = "lessons")]
        Ok(()) if replaced => crate::ui::lesson::run_replaced(m),
        Ok(()) => {}
        Err(e) => m.notice = Some(e),
    }
}

#[cfg(feature = "mode-paxos")]
/// Hands `msg` to the Paxos run; an action in the past of its recorded run waits for the
/// learner to confirm the fork, as a Raft action does.
fn paxos(m: &mut Model, msg: PaxosMsg, confirmed: bool) {
    let Some(run) = m.paxos.as_mut() else {
        return;
    };
    if msg.acts() && run.in_past() && !confirmed {
        m.pending_fork = Some(Msg::Paxos(msg));
        m.playing = false;
        return;
    }
    m.pending_fork = None;
    let replaced = matches!(msg, PaxosMsg::Restart(_));
    match run.update(msg) {
        // An open lesson's goals count from the new run's start.
        #[cfg(feature = "lessons")]
        Ok(()) if replaced => crate::ui::lesson::run_replaced(m),
        Ok(()) => {}
        Err(e) => m.notice = Some(e),
    }
}

#[cfg(feature = "mode-pb")]
/// Hands `msg` to the primary-backup run; an action in the past of its recorded run waits for
/// the learner to confirm the fork, as a Raft action does.
fn pb(m: &mut Model, msg: PbMsg, confirmed: bool) {
    let Some(run) = m.pb.as_mut() else {
        return;
    };
    if msg.acts() && run.in_past() && !confirmed {
        m.pending_fork = Some(Msg::Pb(msg));
        m.playing = false;
        return;
    }
    m.pending_fork = None;
    let replaced = matches!(msg, PbMsg::Restart(_));
    match run.update(msg) {
        // An open lesson's goals count from the new run's start.
        #[cfg(feature = "lessons")]
        Ok(()) if replaced => crate::ui::lesson::run_replaced(m),
        Ok(()) => {}
        Err(e) => m.notice = Some(e),
    }
}
