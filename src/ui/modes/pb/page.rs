//! The primary-backup page: the stage with pings, view replies, forwards and their
//! acknowledgements flying between the view service, the servers, the storage and the
//! clients, the counters and the legend, the failover timeline; the actions, the latest
//! events and the settings; and the widget a documentation page embeds.

use super::controls::{node_actions, PbSettingsForm};
use super::stage::PbStage;
use super::timeline::timeline;
use super::view::PbView;
use crate::sim::pb::Replication;
use crate::ui::i18n::{t, tx, use_lang};
use crate::ui::shell::animator::Surfaces;
use crate::ui::shell::format::time;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PbPageProps {
    pub view: Rc<PbView>,
    pub surfaces: Surfaces,
    pub on_msg: Callback<Msg>,
}

fn stage(v: &Rc<PbView>, surfaces: &Surfaces) -> Html {
    html! {
        <div class="stage pb-stage-box">
            <PbStage view={v.clone()} />
            <canvas class="timers" ref={surfaces.canvas.clone()} aria-hidden="true"></canvas>
            <div class="msgs" ref={surfaces.layer.clone()} role="group" aria-label={t("pb.stage.messages")}></div>
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

fn counters(v: &PbView) -> Html {
    let c = &v.counts;
    let warm = v.replication() == Replication::Warm;
    html! {
        <div class="counters card pb-counters">
            { stat(t("pb.count.view"), "pb-view", c.view.to_string(), false) }
            { stat(t("pb.count.primaries"), "pb-primaries", v.serving.len().to_string(), v.serving.len() > 1) }
            { stat(t("pb.count.acked"), "pb-acked-writes", c.acked_writes.to_string(), false) }
            { stat(t("pb.count.lost"), "pb-lost-writes", c.lost_writes.to_string(), c.lost_writes > 0 && !warm) }
            { stat(t("pb.count.failovers"), "pb-failovers", c.failovers.to_string(), false) }
            { stat(t("pb.count.false_suspicions"), "pb-false-suspicions", c.false_suspicions.to_string(), false) }
            { stat(t("pb.count.violations"), "pb-violations", c.violations.to_string(), c.violations > 0) }
        </div>
    }
}

fn legend(replication: Replication) -> Html {
    let node = |class: &'static str, words: &'static str| {
        html! { <li><span class={classes!("pb-swatch", class)} aria-hidden="true"></span>{ words }</li> }
    };
    let msg = |class: &'static str, letter: &'static str, words: &'static str| {
        html! { <li><span class={classes!("msg", "static", class)} aria-hidden="true">{ letter }</span>{ words }</li> }
    };
    html! {
        <details class="legend pb-legend" open=true>
            <summary>{ tx("legend.title") }</summary>
            <ul>
                { msg("pb-ping", "", t("pb.legend.ping")) }
                { msg("pb-view", "V", t("pb.legend.view")) }
                { msg("pb-forward", "F", t("pb.legend.forward")) }
                { msg("pb-ack", "✓", t("pb.legend.ack")) }
                { msg("pb-install", "I", t("pb.legend.install")) }
                { msg("pb-fenced", "✕", t("pb.legend.fenced")) }
                if replication == Replication::Cold {
                    { msg("pb-storage", "C", t("pb.legend.storage")) }
                }
                { msg("pb-client", "C", t("pb.legend.client")) }
                { node("primary", t("pb.legend.primary")) }
                { node("backup", t("pb.legend.backup")) }
                if replication == Replication::Cold {
                    { node("standby", t("pb.legend.standby")) }
                }
                { node("down", t("pb.legend.down")) }
                <li><span class="pb-swatch lease" aria-hidden="true"></span>{ tx("pb.legend.lease") }</li>
            </ul>
        </details>
    }
}

fn events(v: &PbView) -> Html {
    html! {
        <div class="card pb-events">
            <h2>{ tx("pb.events.title") }</h2>
            if v.events.is_empty() {
                <p class="muted">{ tx("pb.events.none") }</p>
            }
            <ol data-testid="pb-events">
                { for v.events.iter().map(|e| html! {
                    <li data-kind={e.kind}><time>{ time(e.t_us) }</time>{ " " }{ e.text.clone() }</li>
                }) }
            </ol>
            { for v.violations.iter().map(|w| html! { <p class="bad" data-testid="pb-violation">{ w.clone() }</p> }) }
        </div>
    }
}

/// A documentation page's primary-backup widget: the stage, the counters and the actions.
#[function_component(PbEmbed)]
pub fn pb_embed(props: &PbPageProps) -> Html {
    use_lang();
    let v = &props.view;
    html! {
        <div class="pb-embed">
            <section class="stage-col" aria-label={t("pb.stage.label")}>
                { stage(v, &props.surfaces) }
                { counters(v) }
            </section>
            { node_actions(v, &props.on_msg, true) }
        </div>
    }
}

#[function_component(PbPage)]
pub fn pb_page(props: &PbPageProps) -> Html {
    use_lang();
    let v = &props.view;
    html! {
        <main class="main pb-main">
            <section class="stage-col" aria-label={t("pb.stage.label")}>
                { stage(v, &props.surfaces) }
                { counters(v) }
                { legend(v.replication()) }
                { timeline(v) }
            </section>
            <section class="side">
                { node_actions(v, &props.on_msg, false) }
                { events(v) }
                <PbSettingsForm settings={v.settings.clone()} on_msg={props.on_msg.clone()} />
            </section>
        </main>
    }
}
