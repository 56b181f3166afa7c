//! The header's "Lessons" button and the list it opens. The list is fetched on first open;
//! a lesson file is fetched and parsed when chosen. Any failure shows as a message in the
//! list and leaves the page as it was.

#[cfg(feature = "lessons")]
use super::session::LessonMsg;
use crate::content::lesson::IndexEntry;
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonMenuProps {
    pub on_msg: Callback<Msg>,
    /// A lesson is open (the button shows it).
    pub active: bool,
}

#[derive(Clone, PartialEq)]
enum Catalogue {
    NotLoaded,
    Loading,
    Loaded(Rc<Vec<IndexEntry>>),
    Failed(String),
}

#[function_component(LessonMenu)]
pub fn lesson_menu(props: &LessonMenuProps) -> Html {
    use_lang();
    let open = use_state(|| false);
    let catalogue = use_state(|| Catalogue::NotLoaded);
    let error = use_state(|| None::<String>);
    let loading = use_state(|| None::<String>);

    let toggle = {
        let (open, catalogue) = (open.clone(), catalogue.clone());
        Callback::from(move |_: MouseEvent| {
            open.set(!*open);
            if matches!(*catalogue, Catalogue::NotLoaded | Catalogue::Failed(_)) {
                catalogue.set(Catalogue::Loading);
                let catalogue = catalogue.clone();
                yew::platform::spawn_local(async move {
                    let parsed = super::translated::index().await;
                    catalogue.set(match parsed {
                        Ok(entries) => Catalogue::Loaded(Rc::new(entries)),
                        Err(e) => Catalogue::Failed(e),
                    });
                });
            }
        })
    };

    let choose = |entry: &IndexEntry| {
        let file = entry.file.clone();
        let (open, error, loading, on_msg) = (
            open.clone(),
            error.clone(),
            loading.clone(),
            props.on_msg.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (file, open, error, loading, on_msg) = (
                file.clone(),
                open.clone(),
                error.clone(),
                loading.clone(),
                on_msg.clone(),
            );
            // Without the player (the default page), the full page opens the lesson.
            #[cfg(not(feature = "lessons"))]
            {
                let _ = (open, error, loading);
                let stem = file.strip_suffix(".json").unwrap_or(&file).to_string();
                on_msg.emit(Msg::OpenLessonInFullPage(stem));
            }
            #[cfg(feature = "lessons")]
            loading.set(Some(file.clone()));
            #[cfg(feature = "lessons")]
            error.set(None);
            #[cfg(feature = "lessons")]
            yew::platform::spawn_local(async move {
                let parsed = super::translated::lesson(&file).await;
                loading.set(None);
                match parsed {
                    Ok(l) => {
                        open.set(false);
                        on_msg.emit(Msg::Lesson(LessonMsg::Open(Rc::new(l))));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let list = match &*catalogue {
        Catalogue::NotLoaded | Catalogue::Loading => {
            html! { <p class="muted">{ tx("lesson.menu.loading") }</p> }
        }
        Catalogue::Failed(e) => {
            html! { <p class="lesson-error" role="alert">{ tf("lesson.menu.failed", &[("error", e)]) }</p> }
        }
        Catalogue::Loaded(entries) => html! {
            <ol class="lesson-list">
                { for entries.iter().map(|e| {
                    let busy = loading.as_deref() == Some(e.file.as_str());
                    html! {
                        <li>
                            <button class="linkish" data-lesson={e.file.clone()} disabled={busy}
                                onclick={choose(e)}>
                                { &e.title }
                                if busy {
                                    <small class="muted">{ tx("lesson.menu.opening") }</small>
                                }
                            </button>
                        </li>
                    }
                }) }
            </ol>
        },
    };

    // Escape closes the list (the page's own Escape, deselect, still runs).
    let on_key = {
        let (open, error) = (open.clone(), error.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false);
                error.set(None);
            }
        })
    };
    html! {
        <div class="lesson-menu" onkeydown={on_key}>
            <button class={classes!("mode", props.active.then_some("active"))} data-action="lessons"
                aria-expanded={open.to_string()} aria-controls="lesson-list" onclick={toggle}
                title={t("lesson.menu.title")}>
                { tx("lesson.menu.button") }
            </button>
            if *open {
                // A click anywhere outside the list closes it, as menus do.
                <div class="lesson-backdrop" aria-hidden="true" onclick={{
                    let (open, error) = (open.clone(), error.clone());
                    Callback::from(move |_: MouseEvent| {
                        open.set(false);
                        error.set(None);
                    })
                }}></div>
                <div class="lesson-popover card" id="lesson-list" data-testid="lesson-list">
                    <h3>{ tx("lesson.menu.button") }</h3>
                    { list }
                    if let Some(e) = &*error {
                        <p class="lesson-error" role="alert" data-testid="lesson-error">{ e }</p>
                    }
                </div>
            }
        </div>
    }
}
