//! The page's shell: the header (mode switch, lessons, safety indicator, language, present,
//! share), the transport bar, the fork dialog, notices and the footer around the page of the
//! mode on screen (`ui/modes`). It owns the app state, the frame loop and the page's listeners.

use crate::sim::Settings;
use crate::ui::i18n::{self, t, tf, tx, Lang};
use crate::ui::modes::{self, Mode, PageContext};
use crate::ui::shell::animator::{Animator, Surfaces};
use crate::ui::shell::safety::{SafetyAlarm, SafetyBadge};
use crate::ui::shell::transport::Transport;
use crate::ui::store::effect::Effect;
use crate::ui::store::link;
use crate::ui::store::model::Model;
#[cfg(feature = "lessons")]
use crate::ui::store::model::PendingLesson;
use crate::ui::store::msg::Msg;
use crate::ui::store::state::AppState;
use gloo_events::{EventListener, EventListenerOptions};
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
    #[cfg(feature = "lessons")]
    let () = {
        let model = state.model.clone();
        let on_msg = on_msg.clone();
        use_effect_with(view.shown_lang, move |_| {
            let open = model.try_borrow().ok().and_then(|m| {
                let s = m.lesson.as_ref()?;
                let file = s.lesson.source.as_str();
                Some(PendingLesson {
                    stem: file.strip_suffix(".json").unwrap_or(file).to_string(),
                    step: s.step,
                    revision: s.lesson.revision,
                    keep_run: true,
                })
            });
            if let Some(open) = open {
                crate::ui::lesson::resume_from_link(open, on_msg);
            }
        });
    };

    // A lesson named by the page's address is fetched once the page is up.
    #[cfg(feature = "lessons")]
    let () = {
        let model = state.model.clone();
        let on_msg = on_msg.clone();
        use_effect_with((), move |_| {
            let pending = model
                .try_borrow_mut()
                .ok()
                .and_then(|mut m| m.pending_lesson.take());
            if let Some(pending) = pending {
                crate::ui::lesson::resume_from_link(pending, on_msg);
            }
        });
    };

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

    // The first frame index.html shipped (drawn at build time by scripts/first-frame.mjs) goes
    // once the app has drawn its own, in the same task, so nothing is painted in between.
    use_effect_with((), |_| {
        let frame = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector_all("[data-first-frame]").ok());
        if let Some(frame) = frame {
            for i in 0..frame.length() {
                if let Some(Ok(el)) = frame.item(i).map(|n| n.dyn_into::<web_sys::Element>()) {
                    el.remove();
                }
            }
        }
    });

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
            // gloo's listeners remove themselves when dropped, which the effect's cleanup does.
            let window = web_sys::window();
            let document = window.as_ref().and_then(|w| w.document());
            let keydown = document.as_ref().filter(|_| !embed).map(|d| {
                // Not passive: a shortcut's key must not also scroll or type.
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(d, "keydown", options, move |e| {
                    if let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                        if let Some(msg) = shortcut(e, &model) {
                            e.prevent_default();
                            on_msg.emit(msg);
                        }
                    }
                })
            });
            let visibility = document.as_ref().map(|d| {
                let animator = animator.clone();
                let model = session;
                EventListener::new(d, "visibilitychange", move |_| {
                    // Leaving the tab may be the last chance to save where the run is.
                    let hidden = web_sys::window()
                        .and_then(|w| w.document())
                        .is_some_and(|d| d.hidden());
                    if hidden {
                        if let Ok(m) = model.try_borrow() {
                            if !m.embed {
                                crate::ui::platform::perform(Effect::SaveSession(
                                    link::address_of(&m).fragment(),
                                ));
                            }
                        }
                    }
                    animator.resume()
                })
            });
            let resize = window.as_ref().map(|w| {
                let animator = animator.clone();
                EventListener::new(w, "resize", move |_| animator.resized())
            });
            move || drop((keydown, visibility, resize))
        });
    }

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

    let transport = html! {
        <Transport seekable={view.seekable} next_title={crate::ui::modes::next_title(view.mode)} playing={view.playing} speed_step={view.speed_step} in_past={view.in_past} horizon_us={view.horizon_us}
            clock={surfaces.clock.clone()} scrubber={surfaces.scrubber.clone()} horizon={surfaces.horizon.clone()} on_msg={on_msg.clone()} />
    };
    let cx = PageContext {
        now_us: view.now_us,
        lesson: view.lesson.clone(),
        surfaces: &surfaces,
        on_msg: &on_msg,
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
        let foot = modes::embed_foot(&view.page);
        return html! {
            <ContextProvider<Lang> context={view.shown_lang}>
            <div class="app embed" onkeydown={on_key}>
                { transport }
                { fork }
                { for notice }
                { modes::render_embed(&view.page, &cx) }
                <div class="embed-foot">
                    <span>{ foot }</span>
                    <button class="linkish" data-action="open-full" onclick={on_msg.reform(|_: MouseEvent| Msg::OpenFull)}>{ tx("embed.open_full") }</button>
                </div>
            </div>
            </ContextProvider<Lang>>
        };
    }
    let share = crate::ui::shell::share::share_panel(&view, &on_msg);
    let alarmed = view.safety.as_ref().is_some_and(|s| !s.broken.is_empty());

    html! {
        <ContextProvider<Lang> context={view.shown_lang}>
        <div class={classes!("app", alarmed.then_some("alarmed"), view.present.then_some("present"))}>
            <header class="top">
                <h1 class="brand"><span class="logo" aria-hidden="true"></span>{ "Faultline" }<small>{ view.mode.words().2 }</small></h1>
                { mode_switch(view.mode, &on_msg) }
                <crate::ui::lesson::LessonMenu key={view.shown_lang.id()} on_msg={on_msg.clone()} active={view.lesson.is_some()} />
                if let Some(safety) = view.safety.clone() {
                    <SafetyBadge {safety} />
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
            if let Some(safety) = view.safety.clone() {
                <SafetyAlarm {safety} />
            }
            { for notice }
            { modes::render(&view.page, &cx) }
            <footer class="foot">
                <span data-testid="version">{ format!("Faultline v{}", crate::VERSION) }</span>
                { modes::footer(&view.page) }
            </footer>
        </div>
        </ContextProvider<Lang>>
    }
}

/// The modes beside each other: the same cluster and controls, a different lesson.
fn mode_switch(mode: Mode, on_msg: &Callback<Msg>) -> Html {
    let button = |m: Mode| {
        let active = mode == m;
        let on_msg = on_msg.clone();
        let (label, title, _) = m.words();
        html! {
            <button class={classes!("mode", active.then_some("active"))} aria-pressed={active.to_string()}
                data-action={format!("mode-{}", m.id())} title={title}
                onclick={Callback::from(move |_: MouseEvent| if !active { on_msg.emit(Msg::SetMode(m)) })}>
                { label }
            </button>
        }
    };
    html! {
        <nav class="modes" aria-label={t("mode.label")}>
            { for Mode::ALL.iter().map(|m| button(*m)) }
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

/// The message a key press asks for, unless the focus is in a form field: playback keys for
/// every mode, then the mode's own.
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
    let key = e.key();
    match key.as_str() {
        " " if tag != "button" => Some(Msg::TogglePlay),
        "s" | "." => Some(Msg::Step),
        "n" => Some(Msg::StepInteresting),
        "+" | "=" => Some(Msg::SetSpeed(m.speed_step + 1)),
        "-" | "_" => Some(Msg::SetSpeed(m.speed_step - 1)),
        " " => None,
        k => modes::shortcut(k, &m),
    }
}
