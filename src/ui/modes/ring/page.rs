//! The Hash ring page: the ring with transfers streaming over it, the replication counters,
//! node actions, charts, the strategies table and the settings.

use super::charts::{load_chart, moved_chart};
use super::controls::{node_actions, RingSettingsForm};
use super::model::RingMsg;
use super::stage::RingStage;
use super::table::strategy_table;
use super::view::{HoverView, RingView};
use crate::sim::types::NodeId;
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

const SYM: &str =
    r#"<svg class="sym" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">"#;

/// The legend's markup in the language shown: each symbol and its words.
fn legend_markup() -> String {
    let items = [
        (
            r##"<path d="M3 14 A8 8 0 0 1 17 14" stroke="hsl(0 62% 46%)" stroke-width="4" fill="none"/></svg>"##,
            t("ring.legend.arcs"),
        ),
        (
            r##"<path d="M4 16V8M8 16V4M12 16V10M16 16V6" stroke="#9aa6b8" stroke-width="2.5"/></svg>"##,
            t("ring.legend.density"),
        ),
        (
            r##"<path d="M6 16V6M12 16V9" stroke="#d9480f" stroke-width="3"/></svg>"##,
            t("ring.legend.missing"),
        ),
        (
            r##"<circle cx="10" cy="10" r="7" fill="#e8ebf0" stroke="#9aa3b2" stroke-dasharray="3 2"/><path d="M6.5 6.5L13.5 13.5M6.5 13.5L13.5 6.5" stroke="#9aa3b2" stroke-width="2"/></svg>"##,
            t("ring.legend.down"),
        ),
        (
            r#"<span class="msg static transfer" aria-hidden="true"></span>"#,
            t("ring.legend.transfer"),
        ),
        (
            r##"<line x1="2" y1="10" x2="18" y2="10" stroke="#1c2330" stroke-width="2"/></svg>"##,
            t("ring.legend.hover"),
        ),
    ];
    // Catalogue text is text: it goes into the markup escaped.
    let escaped = |text: &str| text.replace('&', "&amp;").replace('<', "&lt;");
    let mut html = r#"<details class="legend" open><summary>"#.to_string()
        + &escaped(t("legend.title"))
        + "</summary><ul>";
    for (symbol, words) in items {
        let sym = if symbol.starts_with("<span") { "" } else { SYM };
        html = html + "<li>" + sym + symbol + &escaped(words) + "</li>";
    }
    html + "</ul></details>"
}

fn hover_line(hover: &Option<HoverView>, r: u32) -> Html {
    let names = |ids: &[NodeId]| {
        ids.iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
            .join(t("list.separator"))
    };
    match hover {
        Some(h) => {
            let held = h
                .preference
                .iter()
                .filter(|id| h.holders.contains(id))
                .count();
            html! {
                <p class="hover-info" data-testid="hovered-key" data-key={h.key.to_string()}>
                    <strong>{ "key-" }{ h.key.to_string() }</strong>
                    { tf("ring.hover.line", &[
                        ("preference", &names(&h.preference)),
                        ("holders", &if h.holders.is_empty() { t("ring.no_node").to_string() } else { names(&h.holders) }),
                        ("held", &held),
                        ("r", &r),
                    ]) }
                </p>
            }
        }
        None => html! {
            <p class="hover-info muted">{ tx("ring.hover.hint") }</p>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct RingPageProps {
    pub view: Rc<RingView>,
    /// The message layer the animator draws transfers in.
    pub layer: NodeRef,
    pub on_msg: Callback<Msg>,
}

/// A replication counter.
fn stat(label: &'static str, hook: &'static str, value: u32, bad: bool) -> Html {
    html! {
        <div class={classes!("stat", bad.then_some("bad"))}>
            <span class="stat-label">{ label }</span>
            <span class="stat-value" data-testid={hook}>{ value.to_string() }</span>
        </div>
    }
}

/// Why the last node action was refused, with a button to dismiss it.
fn ring_notice(v: &RingView, on_msg: &Callback<Msg>) -> Option<Html> {
    v.notice.clone().map(|n| {
        let dismiss = on_msg.reform(|_: MouseEvent| Msg::Ring(RingMsg::DismissNotice));
        html! { <div class="notice" role="status">{ n }<button class="small" onclick={dismiss}>{ tx("notice.ok") }</button></div> }
    })
}

/// The ring with transfers streaming over it, the counters, the latest event and the hovered
/// key: the page's left column, and the whole stage of a documentation page's widget.
fn stage_column(v: &RingView, layer: &NodeRef, on_msg: &Callback<Msg>) -> Html {
    html! {
        <section class="stage-col" aria-label={t("ring.stage.label")}>
            <div class="stage">
                <RingStage nodes={v.nodes.clone()} arcs={v.arcs.clone()} key_bins={v.key_bins.clone()}
                    short_bins={v.short_bins.clone()} hover={v.hover.clone()} selected={v.selected}
                    keys={v.keys} on_msg={on_msg.clone()} />
                <div class="msgs" role="group" ref={layer.clone()} aria-label={t("ring.stage.transfers")}></div>
            </div>
            <div class="counters card">
                { stat(t("ring.counter.under_replicated"), "under-replicated", v.counts.under_replicated, v.counts.under_replicated > 0) }
                { stat(t("ring.counter.lost"), "lost-keys", v.counts.lost, v.counts.lost > 0) }
                { stat(t("ring.counter.unavailable"), "unavailable-keys", v.counts.unavailable, v.counts.unavailable > 0) }
                { stat(t("ring.counter.transfers"), "transfers", v.transfers, false) }
            </div>
            if let Some((t, text)) = v.story.clone() {
                <p class="story" data-testid="ring-story"><time>{ crate::ui::shell::format::time(t) }</time>{ " " }{ text }</p>
            }
            { hover_line(&v.hover, v.form.store.replication) }
        </section>
    }
}

/// A documentation page's Hash ring widget: the stage and the node actions, nothing else.
#[function_component(RingEmbed)]
pub fn ring_embed(props: &RingPageProps) -> Html {
    use_lang();
    let v = &props.view;
    html! {
        <div class="ring-embed">
            { stage_column(v, &props.layer, &props.on_msg) }
            { for ring_notice(v, &props.on_msg) }
            { node_actions(v, &props.on_msg) }
        </div>
    }
}

#[function_component(RingPage)]
pub fn ring_page(props: &RingPageProps) -> Html {
    let lang = use_lang();
    let legend = use_memo(lang, |_| legend_markup());
    let v = &props.view;
    html! {
        <main class="main ring-main">
            { stage_column(v, &props.layer, &props.on_msg) }
            <section class="side">
                { for ring_notice(v, &props.on_msg) }
                { node_actions(v, &props.on_msg) }
                <div class="card ring-panel">
                    { load_chart(&v.load) }
                    { moved_chart(&v.events) }
                </div>
                <div class="card ring-panel">
                    { strategy_table(&v.table, &props.on_msg) }
                </div>
                <RingSettingsForm form={v.form.clone()} error={v.error.clone()} on_msg={props.on_msg.clone()} />
            </section>
            { Html::from_html_unchecked(AttrValue::from((*legend).clone())) }
        </main>
    }
}
