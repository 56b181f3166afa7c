//! The Paxos page: the stage with prepare, promise, accept and accepted messages flying
//! between the nodes (each with its ballot's round), the counters and the legend, Raft beside
//! Paxos on this run; the actions, the slot table, the acceptors' and the proposers' tables,
//! the latest events and the settings; and the widget a documentation page embeds.

use super::compare::compare_table;
use super::controls::{node_actions, PaxosSettingsForm};
use super::stage::PaxosStage;
use super::tables::{acceptor_table, proposer_table, slot_table};
use super::view::PaxosView;
use crate::sim::paxos::Variant;
use crate::ui::i18n::{t, tx, use_lang};
use crate::ui::shell::animator::Surfaces;
use crate::ui::shell::format::time;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PaxosPageProps {
    pub view: Rc<PaxosView>,
    pub surfaces: Surfaces,
    pub on_msg: Callback<Msg>,
}

fn stage(v: &PaxosView, surfaces: &Surfaces) -> Html {
    html! {
        <div class="stage px-stage-box">
            <PaxosStage nodes={v.nodes.clone()} variant={v.variant()} />
            <canvas class="timers" ref={surfaces.canvas.clone()} aria-hidden="true"></canvas>
            <div class="msgs" ref={surfaces.layer.clone()} role="group" aria-label={t("px.stage.messages")}></div>
        </div>
    }
}

fn stat(label: &'static str, hook: &'static str, value: String, bad: bool) -> Html {
    html! {
        <div class={classes!("stat", bad.then_some("bad"))}>
            <span class="stat-label">{ label }</span>
            <span class="stat-value" data-testid={hook}>{ value }</span>
        </div>
    }
}

fn counters(v: &PaxosView) -> Html {
    let c = &v.counts;
    html! {
        <div class="counters card px-counters">
            { stat(t("px.count.chosen"), "px-chosen", c.chosen.to_string(), false) }
            { stat(t("px.count.preemptions"), "px-preemptions", c.preemptions.to_string(), false) }
            { stat(t("px.count.streak"), "px-streak", c.longest_streak.to_string(), c.longest_streak >= 5) }
            { stat(t("px.count.messages"), "px-messages", c.messages.to_string(), false) }
            { stat(t("px.count.violations"), "px-violations", c.violations.to_string(), c.violations > 0) }
        </div>
    }
}

fn legend(variant: Variant) -> Html {
    let node = |class: &'static str, words: &'static str| {
        html! { <li><span class={classes!("px-swatch", class)} aria-hidden="true"></span>{ words }</li> }
    };
    let msg = |class: &'static str, letter: &'static str, words: &'static str| {
        html! { <li><span class={classes!("msg", "static", class)} aria-hidden="true">{ letter }</span>{ words }</li> }
    };
    html! {
        <details class="legend px-legend" open=true>
            <summary>{ tx("legend.title") }</summary>
            <p class="muted">{ tx("px.legend.round") }</p>
            <ul>
                { msg("px-prepare", "3", t("px.legend.prepare")) }
                { msg("px-promise", "3", t("px.legend.promise")) }
                { msg("px-accept", "3", t("px.legend.accept")) }
                { msg("px-accepted", "3", t("px.legend.accepted")) }
                { msg("px-nack", "✕", t("px.legend.nack")) }
                { msg("px-learn", "L", t("px.legend.learn")) }
                if variant == Variant::Multi {
                    { msg("px-heartbeat", "", t("px.legend.heartbeat")) }
                    { msg("px-client", "C", t("px.legend.client")) }
                }
                { node("proposer", t("px.legend.proposer")) }
                { node("leader", t("px.legend.leader")) }
                { node("learned", t("px.legend.learned")) }
                { node("crashed", t("px.legend.crashed")) }
            </ul>
        </details>
    }
}

fn events(v: &PaxosView) -> Html {
    html! {
        <div class="card px-events">
            <h2>{ tx("px.events.title") }</h2>
            if v.events.is_empty() {
                <p class="muted">{ tx("px.events.none") }</p>
            }
            <ol data-testid="px-events">
                { for v.events.iter().map(|e| html! {
                    <li data-kind={e.kind}><time>{ time(e.t_us) }</time>{ " " }{ e.text.clone() }</li>
                }) }
            </ol>
            { for v.violations.iter().map(|w| html! { <p class="bad" data-testid="px-violation">{ w.clone() }</p> }) }
        </div>
    }
}

/// A documentation page's Paxos widget: the stage, the counters and the actions.
#[function_component(PaxosEmbed)]
pub fn paxos_embed(props: &PaxosPageProps) -> Html {
    use_lang();
    let v = &props.view;
    html! {
        <div class="px-embed">
            <section class="stage-col" aria-label={t("px.stage.label")}>
                { stage(v, &props.surfaces) }
                { counters(v) }
            </section>
            { node_actions(v, &props.on_msg) }
        </div>
    }
}

#[function_component(PaxosPage)]
pub fn paxos_page(props: &PaxosPageProps) -> Html {
    use_lang();
    let v = &props.view;
    html! {
        <main class="main px-main">
            <section class="stage-col" aria-label={t("px.stage.label")}>
                { stage(v, &props.surfaces) }
                { counters(v) }
                { legend(v.variant()) }
                { slot_table(v) }
                { compare_table(v) }
            </section>
            <section class="side">
                { node_actions(v, &props.on_msg) }
                { proposer_table(v) }
                { acceptor_table(v) }
                { events(v) }
                <PaxosSettingsForm settings={v.settings.clone()} on_msg={props.on_msg.clone()} />
            </section>
        </main>
    }
}
