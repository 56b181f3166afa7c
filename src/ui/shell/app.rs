//! The page: header with the safety indicator, the transport bar, the cluster stage with its
//! message layer, node actions, and the tabbed panels (logs, node, events, network, diagram,
//! messages). It owns the app state and the frame loop.

use crate::sim::disk::CrashMode;
use crate::sim::raft::Command;
use crate::sim::types::{MsgId, NodeId};
use crate::sim::{Action, Settings};
use crate::ui::i18n::{self, t, tf, tx, Lang};
use crate::ui::modes::raft::controls::{preset_groups, Controls};
use crate::ui::modes::raft::disks::Disks;
use crate::ui::modes::raft::inspector::Inspector;
use crate::ui::modes::raft::legend::Legend;
use crate::ui::modes::raft::logs::Logs;
use crate::ui::modes::raft::network::Network;
use crate::ui::modes::ring::page::{RingEmbed, RingPage};
use crate::ui::shell::animator::{Animator, Surfaces};
use crate::ui::shell::cluster::Cluster;
use crate::ui::shell::diagram::Diagram;
use crate::ui::shell::drag::use_node_drag;
use crate::ui::shell::events::Events;
use crate::ui::shell::messages::{MessageCard, Messages};
use crate::ui::shell::safety::{SafetyAlarm, SafetyBadge};
use crate::ui::shell::transport::Transport;
use crate::ui::store::link;
use crate::ui::store::model::{Mode, Model, Tab};
use crate::ui::store::msg::Msg;
use crate::ui::store::state::AppState;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// Settings of the first run; the defaults when absent.
    #[prop_or_default]
    pub settings: Option<Settings>,
    /// Start paused (the component tests do).
    #[prop_or_default]
    pub paused: bool,
    /// Start from the page's address (a share link, `?embed=1`) or the autosaved session;
    /// the page does, component tests do not.
    #[prop_or_default]
    pub from_address: bool,
    /// A widget in a documentation page: the run its element names, embedded.
    #[prop_or_default]
    pub widget: Option<link::WidgetSpec>,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = use_reducer(|| {
        let mut model = if let Some(spec) = &props.widget {
            link::model_for_widget(spec)
        } else if props.from_address {
            let (address, errors) = link::page_address();
            let mut model = link::model_from(&address, errors);
            model.embed = address.embed;
            model
        } else {
            Model::new(props.settings.clone().unwrap_or_default())
        };
        model.playing = model.playing && !props.paused;
        i18n::choose(model.lang);
        AppState::new(model)
    });
    let surfaces = use_memo((), |_| Surfaces::default());
    let on_msg: Callback<Msg> = state.dispatcher().to_callback();
    let animator = {
        let model = state.model.clone();
        let refresh = on_msg.reform(|_: ()| Msg::Refresh);
        let surfaces = (*surfaces).clone();
        use_memo((), move |_| Animator::new(model, refresh, surfaces))
    };
    let view = state.view.clone();

    // Every change of what Yew shows also redraws the moving layer once (and keeps the
    // loop going while playing).
    {
        let animator = animator.clone();
        use_effect_with(view.clone(), move |_| animator.request());
    }

    // An open lesson follows the language: it is fetched again in the language now shown,
    // keeping the run and the step.
    {
        let model = state.model.clone();
        let on_msg = on_msg.clone();
        use_effect_with(view.shown_lang, move |_| {
            let open = model.try_borrow().ok().and_then(|m| {
                let s = m.lesson.as_ref()?;
                let file = s.lesson.source.as_str();
                Some((
                    file.strip_suffix(".json").unwrap_or(file).to_string(),
                    s.step,
                ))
            });
            if let Some((stem, step)) = open {
                crate::ui::lesson::resume_from_link(stem, step, true, on_msg);
            }
        });
    }

    // A lesson named by the page's address is fetched once the page is up.
    {
        let model = state.model.clone();
        let on_msg = on_msg.clone();
        use_effect_with((), move |_| {
            let pending = model
                .try_borrow_mut()
                .ok()
                .and_then(|mut m| m.pending_lesson.take());
            if let Some((stem, step, keep_run)) = pending {
                crate::ui::lesson::resume_from_link(stem, step, keep_run, on_msg);
            }
        });
    }

    // The chosen language's catalogue is fetched when it is not here yet; the page shows
    // English meanwhile, and stays English (saying why) if the fetch fails.
    {
        let on_msg = on_msg.clone();
        use_effect_with(view.lang, move |lang| {
            i18n::load(
                *lang,
                on_msg.reform(|loaded: Result<(), String>| match loaded {
                    Ok(()) => Msg::Refresh,
                    Err(e) => Msg::LangFailed(e),
                }),
            );
        });
    }
    // The page's own <html lang>, for fonts and screen readers; a widget leaves the host's.
    {
        let embed = view.embed;
        use_effect_with(view.shown_lang, move |lang| {
            let root = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element());
            if let (false, Some(root)) = (embed, root) {
                let _ =
                    root.set_attribute("lang", if *lang == Lang::Zh { "zh-Hans" } else { "en" });
            }
        });
    }

    // An embedded widget sleeps while it is scrolled out of view.
    {
        let animator = animator.clone();
        let layer = surfaces.layer.clone();
        let embed = view.embed;
        use_effect_with((), move |_| {
            let observer = embed.then(|| {
                let callback =
                    Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
                        let visible = entries
                            .iter()
                            .rev()
                            .find_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                            .map(|e| e.is_intersecting());
                        if let Some(visible) = visible {
                            animator.set_offscreen(!visible);
                        }
                    });
                let observer =
                    web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok();
                if let (Some(o), Some(el)) = (&observer, layer.cast::<web_sys::Element>()) {
                    o.observe(&el);
                }
                (observer, callback)
            });
            move || {
                if let Some((Some(o), _)) = &observer {
                    o.disconnect();
                }
                drop(observer);
            }
        });
    }

    // Keyboard shortcuts and tab visibility, installed once. An embedded widget takes its
    // keys only while focused (below): the host page's keys are the host's.
    {
        let embed = view.embed;
        let on_msg = on_msg.clone();
        let model = state.model.clone();
        let session = state.model.clone();
        let animator = animator.clone();
        use_effect_with((), move |_| {
            let keydown =
                Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                    if let Some(msg) = shortcut(&e, &model) {
                        e.prevent_default();
                        on_msg.emit(msg);
                    }
                });
            let visibility = {
                let animator = animator.clone();
                let model = session;
                Closure::<dyn Fn()>::new(move || {
                    // Leaving the tab may be the last chance to save where the run is.
                    let hidden = web_sys::window()
                        .and_then(|w| w.document())
                        .is_some_and(|d| d.hidden());
                    if hidden {
                        if let Ok(m) = model.try_borrow() {
                            if !m.embed {
                                link::save_session(&m);
                            }
                        }
                    }
                    animator.resume()
                })
            };
            let resize = {
                let animator = animator.clone();
                Closure::<dyn Fn()>::new(move || animator.resized())
            };
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ =
                    w.add_event_listener_with_callback("resize", resize.as_ref().unchecked_ref());
            }
            let document = web_sys::window().and_then(|w| w.document());
            if let Some(d) = &document {
                if !embed {
                    let _ = d.add_event_listener_with_callback(
                        "keydown",
                        keydown.as_ref().unchecked_ref(),
                    );
                }
                let _ = d.add_event_listener_with_callback(
                    "visibilitychange",
                    visibility.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(d) = &document {
                    let _ = d.remove_event_listener_with_callback(
                        "keydown",
                        keydown.as_ref().unchecked_ref(),
                    );
                    let _ = d.remove_event_listener_with_callback(
                        "visibilitychange",
                        visibility.as_ref().unchecked_ref(),
                    );
                }
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback(
                        "resize",
                        resize.as_ref().unchecked_ref(),
                    );
                }
                drop(keydown);
                drop(visibility);
                drop(resize);
            }
        });
    }

    let drag = use_node_drag(on_msg.clone(), view.node_count);
    // Clicking the stage selects the message under the pointer, else the node.
    let on_stage_click = {
        let on_msg = on_msg.clone();
        let swallow_click = drag.swallow_click.clone();
        Callback::from(move |e: MouseEvent| {
            if swallow_click.replace(false) {
                return;
            }
            let target = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let message = target
                .as_ref()
                .and_then(|t| t.closest("[data-msg]").ok().flatten())
                .and_then(|m| m.get_attribute("data-msg"))
                .and_then(|v| v.parse::<u64>().ok());
            if let Some(id) = message {
                on_msg.emit(Msg::SelectMessage(Some(MsgId(id))));
                return;
            }
            let node = target
                .and_then(|t| t.closest("[data-node]").ok().flatten())
                .and_then(|n| n.get_attribute("data-node"))
                .and_then(|v| v.parse::<u32>().ok());
            if let Some(n) = node {
                on_msg.emit(Msg::Select(Some(NodeId(n))));
            }
        })
    };
    let on_stage_key = {
        let on_msg = on_msg.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" && e.key() != " " {
                return;
            }
            let node = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|n| n.get_attribute("data-node"))
                .and_then(|v| v.parse::<u32>().ok());
            if let Some(n) = node {
                e.prevent_default();
                e.stop_propagation();
                on_msg.emit(Msg::Select(Some(NodeId(n))));
            }
        })
    };
    let tab_button = |tab: Tab| {
        let on_msg = on_msg.clone();
        let active = view.tab == tab;
        html! {
            <button role="tab" class={classes!("tab", active.then_some("active"))} aria-selected={active.to_string()}
                    aria-controls={format!("panel-{}", tab.id())} id={format!("tab-{}", tab.id())} data-tab={tab.id()}
                    onclick={Callback::from(move |_: MouseEvent| on_msg.emit(Msg::SetTab(tab)))}>
                { tab.label() }
            </button>
        }
    };
    let panel = match view.tab {
        Tab::Disks => html! {
            <Disks disks={view.disks.clone()} target={view.target} disk_config={view.disk_config.clone()}
                raft={view.raft.clone()} chart={view.recovery_chart.clone()} on_msg={on_msg.clone()} />
        },
        Tab::Logs => html! { <Logs logs={view.logs.clone()} /> },
        Tab::Node => {
            html! { <Inspector node={view.inspector.clone()} now_us={view.now_us} on_msg={on_msg.clone()} /> }
        }
        Tab::Events => {
            html! { <Events events={view.events.clone()} filter={view.filter.clone()} node_count={view.node_count} on_msg={on_msg.clone()} /> }
        }
        Tab::Network => {
            html! { <Network node_count={view.node_count} seed={view.seed} network={view.network.clone()} raft={view.raft.clone()} on_msg={on_msg.clone()} /> }
        }
        Tab::Diagram => {
            html! { <Diagram diagram={view.diagram.clone()} on_msg={on_msg.clone()} /> }
        }
        Tab::Messages => {
            html! { <Messages flights={view.flights.clone()} selected={view.selected_msg} on_msg={on_msg.clone()} /> }
        }
    };
    let card = view
        .selected_msg
        .and_then(|id| view.flights.iter().find(|f| f.id == id).cloned());
    let fork = {
        let confirm = on_msg.reform(|_: MouseEvent| Msg::ConfirmFork);
        let cancel = on_msg.reform(|_: MouseEvent| Msg::CancelFork);
        html! {
            if view.pending_fork {
                <div class="fork card" role="alertdialog" aria-label={t("fork.label")} data-testid="fork-dialog">
                    <p>{ tf("fork.text", &[("time", &crate::ui::shell::format::time(view.now_us))]) }</p>
                    <div class="buttons">
                        <button class="danger" data-action="fork-confirm" onclick={confirm}>{ tx("fork.confirm") }</button>
                        <button data-action="fork-cancel" onclick={cancel}>{ tx("fork.cancel") }</button>
                    </div>
                </div>
            }
        }
    };
    let notice = view.notice.as_ref().map(|n| {
        let dismiss = on_msg.reform(|_: MouseEvent| Msg::DismissNotice);
        html! { <div class="notice" role="status" data-testid="notice">{ crate::ui::i18n::words(n) }<button class="small" onclick={dismiss}>{ tx("notice.ok") }</button></div> }
    });

    let stage = html! {
        <div class="stage" onclick={on_stage_click} onkeydown={on_stage_key}
            onpointerdown={drag.onpointerdown} onpointermove={drag.onpointermove}
            onpointerup={drag.onpointerup} onpointercancel={drag.onpointercancel}>
            <Cluster nodes={view.nodes.clone()} selected={view.selected} links={view.links.clone()} />
            <canvas class="timers" ref={surfaces.canvas.clone()} aria-hidden="true"></canvas>
            <div class="msgs" ref={surfaces.layer.clone()} aria-label={t("stage.messages_label")}></div>
            <svg class="drag-layer" viewBox="0 0 400 400" aria-hidden="true" ref={drag.overlay}>
                <line visibility="hidden" />
            </svg>
        </div>
    };
    let transport = html! {
        <Transport seekable={view.ring.is_none()} playing={view.playing} speed_step={view.speed_step} in_past={view.in_past} horizon_us={view.horizon_us}
            clock={surfaces.clock.clone()} scrubber={surfaces.scrubber.clone()} horizon={surfaces.horizon.clone()} on_msg={on_msg.clone()} />
    };
    if view.embed {
        // A docs page's iframe: the cluster and the playback bar only, sized to the frame.
        let on_key = {
            let on_msg = on_msg.clone();
            let model = state.model.clone();
            Callback::from(move |e: KeyboardEvent| {
                if let Some(msg) = shortcut(&e, &model) {
                    e.prevent_default();
                    on_msg.emit(msg);
                }
            })
        };
        let foot = match &view.ring {
            Some(ring) => tf(
                "embed.ring_foot",
                &[
                    ("nodes", &ring.form.store.nodes),
                    ("keys", &ring.form.store.keys),
                ],
            ),
            None => tf(
                "embed.foot",
                &[("nodes", &view.node_count), ("seed", &view.seed)],
            ),
        };
        return html! {
            <ContextProvider<Lang> context={view.shown_lang}>
            <div class="app embed" onkeydown={on_key}>
                { transport }
                { fork }
                { for notice }
                if let Some(ring) = view.ring.clone() {
                    <RingEmbed view={ring} layer={surfaces.layer.clone()} on_msg={on_msg.clone()} />
                } else {
                    <div class="stage-col">{ stage }</div>
                }
                if let Some(f) = card {
                    <MessageCard flight={f} on_msg={on_msg.clone()} />
                }
                <div class="embed-foot">
                    <span>{ foot }</span>
                    <button class="linkish" data-action="open-full" onclick={on_msg.reform(|_: MouseEvent| Msg::OpenFull)}>{ tx("embed.open_full") }</button>
                </div>
            </div>
            </ContextProvider<Lang>>
        };
    }
    let share = crate::ui::shell::share::share_panel(&view, &on_msg);

    html! {
        <ContextProvider<Lang> context={view.shown_lang}>
        <div class={classes!("app", (!view.violations.is_empty()).then_some("alarmed"), view.present.then_some("present"))}>
            <header class="top">
                <h1 class="brand"><span class="logo" aria-hidden="true"></span>{ "Faultline" }<small>{ match view.mode { Mode::Raft => t("header.raft"), Mode::LogReplay => t("header.replay"), Mode::Ring => t("header.ring") } }</small></h1>
                { mode_switch(view.mode, &on_msg) }
                <crate::ui::lesson::LessonMenu key={view.shown_lang.id()} on_msg={on_msg.clone()} active={view.lesson.is_some()} />
                if view.ring.is_none() {
                    <SafetyBadge violations={view.violations.clone()} />
                }
                { lang_switch(view.lang, view.shown_lang, &on_msg) }
                <button class="share-button" data-action="present" aria-pressed={view.present.to_string()}
                    onclick={on_msg.reform(|_: MouseEvent| Msg::TogglePresent)}
                    title={t("header.present_title")}>{ tx("header.present") }</button>
                <button class="share-button" data-action="share" onclick={on_msg.reform(|_: MouseEvent| Msg::Share)}
                    title={t("header.share_title")}>{ tx("header.share") }</button>
            </header>
            { transport }
            { share }
            { fork }
            <SafetyAlarm violations={view.violations.clone()} />
            { for notice }
            if let Some(ring) = view.ring.clone() {
                if let Some(l) = view.lesson.clone() {
                    <div class="ring-lesson">
                        <crate::ui::lesson::LessonPanel lesson={l} on_msg={on_msg.clone()} />
                    </div>
                }
                <RingPage view={ring} layer={surfaces.layer.clone()} on_msg={on_msg.clone()} />
            } else {
                <main class="main">
                    <section class="stage-col" aria-label={t("stage.label")}>
                        { stage }
                        if let Some(f) = card {
                            <MessageCard flight={f} on_msg={on_msg.clone()} />
                        }
                    </section>
                    <section class="side">
                        if let Some(l) = view.lesson.clone() {
                            <crate::ui::lesson::LessonPanel lesson={l} on_msg={on_msg.clone()} />
                        }
                        <Controls target={view.target} selected={view.selected.is_some()} nodes={view.nodes.clone()} leader={view.leader}
                            partitioned={view.partitioned} cuts={view.cuts} on_msg={on_msg.clone()} />
                        <div class="tabs card">
                            <div class="tablist" role="tablist" aria-label={t("tabs.label")}>
                                { for Tab::ALL.iter().map(|t| tab_button(*t)) }
                            </div>
                            <div class="panel" role="tabpanel" id={format!("panel-{}", view.tab.id())} aria-labelledby={format!("tab-{}", view.tab.id())}>
                                { panel }
                            </div>
                        </div>
                    </section>
                    <Legend />
                </main>
            }
            <footer class="foot">
                <span data-testid="version">{ format!("Faultline v{}", crate::VERSION) }</span>
                if view.ring.is_none() {
                    <span>{ " · " }{ tf("foot.run", &[("seed", &view.seed), ("nodes", &view.node_count)]) }</span>
                    <span class="keys">{ " · " }{ tx("foot.keys") }</span>
                }
            </footer>
        </div>
        </ContextProvider<Lang>>
    }
}

/// The modes beside each other: the same cluster and controls, a different lesson.
fn mode_switch(mode: Mode, on_msg: &Callback<Msg>) -> Html {
    let button = |m: Mode, label: &'static str, action: &'static str, title: &'static str| {
        let active = mode == m;
        let on_msg = on_msg.clone();
        html! {
            <button class={classes!("mode", active.then_some("active"))} aria-pressed={active.to_string()} data-action={action} title={title}
                onclick={Callback::from(move |_: MouseEvent| if !active { on_msg.emit(Msg::SetMode(m)) })}>
                { label }
            </button>
        }
    };
    html! {
        <nav class="modes" aria-label={t("mode.label")}>
            { button(Mode::Raft, t("mode.raft"), "mode-raft", t("mode.raft_title")) }
            { button(Mode::LogReplay, t("mode.replay"), "mode-replay", t("mode.replay_title")) }
            { button(Mode::Ring, t("mode.ring"), "mode-ring", t("mode.ring_title")) }
        </nav>
    }
}

/// The language switch: every language by its own name, the chosen one pressed. Switching
/// changes only the words: the run, its moment, the selection and playback stay as they are.
fn lang_switch(chosen: Lang, shown: Lang, on_msg: &Callback<Msg>) -> Html {
    let button = |lang: Lang| {
        let active = chosen == lang;
        let on_msg = on_msg.clone();
        html! {
            <button class={classes!("lang", active.then_some("active"))} aria-pressed={active.to_string()}
                data-action="lang" data-lang={lang.id()} lang={lang.id()}
                onclick={Callback::from(move |_: MouseEvent| if !active { on_msg.emit(Msg::SetLang(lang)) })}>
                { lang.endonym() }
            </button>
        }
    };
    html! {
        <nav class="langs" aria-label={t("lang.label")} data-testid="lang-switch" data-lang={shown.id()}>
            { for Lang::ALL.iter().map(|l| button(*l)) }
        </nav>
    }
}

/// The message a key press asks for, unless the focus is in a form field.
fn shortcut(e: &web_sys::KeyboardEvent, model: &Rc<std::cell::RefCell<Model>>) -> Option<Msg> {
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    let tag = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|t| t.tag_name().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(tag.as_str(), "input" | "select" | "textarea") {
        return None;
    }
    let m = model.try_borrow().ok()?;
    if m.mode == Mode::Ring {
        // Hash ring mode has its own node controls; only playback has keys.
        return match e.key().as_str() {
            " " if tag != "button" => Some(Msg::TogglePlay),
            "s" | "." => Some(Msg::Step),
            "n" => Some(Msg::StepInteresting),
            "+" | "=" => Some(Msg::SetSpeed(m.speed_step + 1)),
            "-" | "_" => Some(Msg::SetSpeed(m.speed_step - 1)),
            _ => None,
        };
    }
    let target = m.target();
    let sim = m.raft.sim();
    let key = e.key();
    Some(match key.as_str() {
        " " if tag != "button" => Msg::TogglePlay,
        "s" | "." => Msg::Step,
        "n" => Msg::StepInteresting,
        "c" => Msg::Act(Action::Crash {
            node: target,
            mode: CrashMode::Clean,
        }),
        "r" => Msg::Act(Action::Restart { node: target }),
        "t" => Msg::Act(Action::Timeout { node: target }),
        "p" => Msg::Act(Action::Request {
            node: target,
            cmd: Command::Put {
                key: "x".into(),
                value: format!("{}", sim.now_us() / 1000),
            },
        }),
        "h" => Msg::Act(Action::Heal),
        "i" => {
            let nodes = crate::ui::store::view::nodes(sim);
            Msg::Act(Action::Partition {
                groups: preset_groups("isolate-leader", &nodes, sim.leader(), target)?,
            })
        }
        "l" => Msg::Seek(m.raft.history.horizon_us()),
        "+" | "=" => Msg::SetSpeed(m.speed_step + 1),
        "-" | "_" => Msg::SetSpeed(m.speed_step - 1),
        "f" if !m.embed => Msg::TogglePresent,
        "Escape" if m.present && m.selected.is_none() => Msg::TogglePresent,
        "Escape" => Msg::Select(Some(m.selected?)),
        k if k.len() == 1 && k.as_bytes()[0].is_ascii_digit() => {
            let n = u32::from(k.as_bytes()[0] - b'0');
            if n == 0 || n > sim.settings().nodes {
                return None;
            }
            Msg::Select(Some(NodeId(n)))
        }
        _ => return None,
    })
}
