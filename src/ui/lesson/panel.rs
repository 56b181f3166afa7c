//! The panel of an open lesson: the step's text, its task with a live check, Back and Next,
//! "Show me", "Leave lesson", and the highlights (a generated style sheet, so that the
//! cluster's components need not know about lessons).

use super::calculator::AvailabilityCalculator;
use super::session::{LessonMsg, LessonView};
use crate::content::lesson::{labels, Highlight};
use crate::i18n::{Catalogue, EN_PAXOS_TEXT, EN_PB_TEXT, EN_TEXT};
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub lesson: Rc<LessonView>,
    pub on_msg: Callback<Msg>,
}

thread_local! {
    /// The English catalogues' keys (en.txt, en-paxos.txt and en-pb.txt for the Paxos and
    /// primary-backup modes' words), to turn a key named in lesson text into the static key
    /// `t` takes.
    static KEYS: Catalogue = Catalogue::parse(EN_TEXT).unwrap_or_default();
    static PAXOS_KEYS: Catalogue = Catalogue::parse(EN_PAXOS_TEXT).unwrap_or_default();
    static PB_KEYS: Catalogue = Catalogue::parse(EN_PB_TEXT).unwrap_or_default();
}

/// Lesson text with its `{ui:KEY}` control labels in the language shown.
fn words(text: &str) -> String {
    labels::fill(text, &|key| {
        KEYS.with(|c| c.keys().find(|k| *k == key))
            .or_else(|| PAXOS_KEYS.with(|c| c.keys().find(|k| *k == key)))
            .or_else(|| PB_KEYS.with(|c| c.keys().find(|k| *k == key)))
            .map(|k| t(k).to_string())
    })
}

/// The prediction's look, kept beside the component that draws it (lessons.css belongs to
/// the page's layout). Once answered, the choice made and the right one stay fully legible
/// while the others are dimmed as disabled.
const PREDICT_CSS: &str = ".lesson-predict { display: block; }\n.lesson-predict > p { margin: .2rem 0; }\n.lesson-choices { display: flex; flex-wrap: wrap; gap: .4rem; margin: .3rem 0; }\n.lesson-choices button.chosen { outline: 2px solid #555; }\n.lesson-choices button.right { background: #e6f4ea; border-color: #2e7d32; }\n.lesson-choices button.chosen:disabled, .lesson-choices button.right:disabled { opacity: 1; }\n.lesson-predict.right { background: #e6f4ea; border-color: #9fd3ad; }\n.lesson-predict.wrong { background: #fdecea; border-color: #e0a39c; }\n";

/// CSS that marks the highlighted nodes, message kind and panel tab.
fn highlight_css(h: &Highlight, leader: Option<u32>) -> String {
    let mut nodes: Vec<u32> = h.nodes.iter().map(|n| n.0).collect();
    if h.leader {
        nodes.extend(leader);
    }
    let mut css = String::new();
    for n in nodes {
        css.push_str(&format!(
            ".stage [data-node=\"{n}\"] {{ filter: drop-shadow(0 0 7px #f5b700) drop-shadow(0 0 2px #f5b700); }}\n"
        ));
    }
    if let Some(kind) = &h.message {
        css.push_str(&format!(
            ".msg[data-type=\"{kind}\"] {{ box-shadow: 0 0 0 3px #f5b700; z-index: 2; }}\n.stage .msg:not([data-type=\"{kind}\"]) {{ opacity: .45; }}\n"
        ));
    }
    if let Some(panel) = &h.panel {
        css.push_str(&format!(
            "[data-tab=\"{panel}\"] {{ box-shadow: 0 0 0 3px #f5b700; }}\n"
        ));
    }
    css
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonPanelProps) -> Html {
    use_lang();
    let v = &props.lesson;
    let count = v.lesson.steps.len();
    let Some(step) = v.lesson.steps.get(v.step) else {
        return html! {};
    };
    let go = |to: usize| {
        props
            .on_msg
            .reform(move |_: MouseEvent| Msg::Lesson(LessonMsg::Go(to)))
    };
    let leave = props
        .on_msg
        .reform(|_: MouseEvent| Msg::Lesson(LessonMsg::Leave));
    let show_me = props
        .on_msg
        .reform(|_: MouseEvent| Msg::Lesson(LessonMsg::ShowMe));
    // When a lesson opens, the list that had the focus is gone: move it to the step's title,
    // so that keyboard and screen-reader users land on the text (Back and Next keep theirs).
    let title_ref = use_node_ref();
    {
        let title_ref = title_ref.clone();
        use_effect_with(v.lesson.id.clone(), move |_| {
            if let Some(h) = title_ref.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    let last = v.step + 1 == count;
    let locked = (step.task.is_some() || step.predict.is_some()) && !v.done;
    let heading = format!("lesson-step-title-{}", v.step + 1);
    html! {
        <section class="lesson card" data-testid="lesson-panel" data-lesson={v.lesson.id.clone()}
                 data-lesson-step={(v.step + 1).to_string()} aria-labelledby={heading.clone()}>
            <style>{ highlight_css(&step.highlight, v.leader) }{ if step.predict.is_some() { PREDICT_CSS } else { "" } }</style>
            <p class="lesson-title muted">
                { &v.lesson.title }
                <span class="lesson-count">{ " · " }{ tf("lesson.panel.step", &[("n", &(v.step + 1)), ("count", &count)]) }</span>
            </p>
            <h2 id={heading} tabindex="-1" ref={title_ref}>{ &step.title }</h2>
            { for step.text.iter().map(|p| html! { <p>{ words(p) }</p> }) }
            if let Some(c) = step.calculator {
                <AvailabilityCalculator key={format!("{}-{}", v.lesson.id, v.step)} start={c} />
            }
            if let Some(task) = &step.task {
                <div class={classes!("lesson-task", v.done.then_some("done"))} data-testid="lesson-task"
                     data-done={v.done.to_string()} role="status" aria-live="polite">
                    <span class="check" aria-hidden="true">{ if v.done { "✓" } else { "○" } }</span>
                    <span>
                        <strong>{ if v.done { tx("lesson.panel.done") } else { tx("lesson.panel.your_turn") } }</strong>{ words(&task.text) }
                    </span>
                    if !v.done {
                        <button class="small" data-action="lesson-show-me" onclick={show_me}
                            title={t("lesson.panel.show_me_title")}>{ tx("lesson.panel.show_me") }</button>
                    }
                </div>
            }
            if let Some(p) = &step.predict {
                <div class={classes!("lesson-task", "lesson-predict", v.answer.map(|a| if a.chosen == a.right { "right" } else { "wrong" }))}
                     data-testid="lesson-predict" data-answered={v.answer.is_some().to_string()} role="group" aria-live="polite">
                    <p><strong>{ tx("lesson.panel.predict") }</strong>{ words(&p.question) }</p>
                    <div class="lesson-choices">
                        { for p.choices.iter().enumerate().map(|(i, c)| {
                            let chosen = v.answer.is_some_and(|a| a.chosen == i);
                            let right = v.answer.is_some_and(|a| a.right == i);
                            html! {
                                <button class={classes!("small", chosen.then_some("chosen"), right.then_some("right"))}
                                    data-action="lesson-predict" data-choice={i.to_string()}
                                    disabled={v.answer.is_some()} aria-pressed={chosen.to_string()}
                                    onclick={props.on_msg.reform(move |_: MouseEvent| Msg::Lesson(LessonMsg::Predict(i)))}>
                                    { words(&c.text) }
                                </button>
                            }
                        }) }
                    </div>
                    if let Some(a) = v.answer {
                        <p data-testid="lesson-verdict" data-right={(a.chosen == a.right).to_string()}>
                            <strong>{
                                if a.chosen == a.right {
                                    t("lesson.panel.right").to_string()
                                } else {
                                    tf("lesson.panel.wrong", &[("answer", &p.choices.get(a.right).map(|c| words(&c.text)).unwrap_or_default())])
                                }
                            }</strong>
                            { words(&p.explain) }
                        </p>
                    }
                </div>
            }
            <div class="lesson-nav">
                <button data-action="lesson-back" disabled={v.step == 0} onclick={go(v.step.saturating_sub(1))}
                    title={t("lesson.panel.back_title")}>{ tx("lesson.panel.back") }</button>
                // One button for Next and Finish, so that focus stays on it when the last step
                // turns Next into Finish.
                <button class="primary" data-action="lesson-next" disabled={locked}
                    onclick={if last { props.on_msg.reform(|_: MouseEvent| Msg::Lesson(LessonMsg::Leave)) } else { go(v.step + 1) }}
                    title={if last { t("lesson.panel.finish_title") } else if locked && step.predict.is_some() { t("lesson.panel.answer_first") } else if locked { t("lesson.panel.locked_title") } else { t("lesson.panel.next_title") }}>
                    { if last { tx("lesson.panel.finish") } else { tx("lesson.panel.next") } }
                </button>
                <button class="lesson-leave" data-action="lesson-leave" onclick={leave}
                    title={t("lesson.panel.leave_title")}>{ tx("lesson.panel.leave") }</button>
            </div>
        </section>
    }
}
