//! The retransmission page: the stage with messages streaming between each sender and its
//! receiver, a window panel per pair, the RTO estimate, the latest events, node actions, the
//! goodput chart and the settings; and the widget a documentation page embeds.

use super::controls::{node_actions, RetransmitSettingsForm};
use super::model::RetransmitMsg;
use super::stage::RetransmitStage;
use super::view::{PairView, RetransmitView};
use crate::sim::retransmit::goodput::{scheme_name, GoodputChart};
use crate::sim::retransmit::{RtoPolicy, Scheme, Seq};
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::shell::animator::Surfaces;
use crate::ui::shell::format::{ms, time};
use crate::ui::shell::geometry::num;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RetransmitPageProps {
    pub view: Rc<RetransmitView>,
    pub surfaces: Surfaces,
    pub on_msg: Callback<Msg>,
}

fn seqs(list: &[Seq]) -> String {
    if list.is_empty() {
        return "—".to_string();
    }
    list.iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(t("list.separator"))
}

fn stage(v: &RetransmitView, surfaces: &Surfaces) -> Html {
    let receiver_window = match v.settings.retransmit.scheme {
        Scheme::SelectiveRepeat => v.window,
        Scheme::StopAndWait | Scheme::GoBackN => 1,
    };
    html! {
        <div class="stage rt-stage-box">
            <RetransmitStage pairs={v.pairs.clone()} window={v.window} {receiver_window} />
            <canvas class="timers" ref={surfaces.canvas.clone()} aria-hidden="true"></canvas>
            <div class="msgs" ref={surfaces.layer.clone()} role="group" aria-label={t("rt.stage.messages")}></div>
        </div>
    }
}

fn stat(label: &'static str, hook: &'static str, value: u64, bad: bool) -> Html {
    html! {
        <div class={classes!("stat", bad.then_some("bad"))}>
            <span class="stat-label">{ label }</span>
            <span class="stat-value" data-testid={hook}>{ value.to_string() }</span>
        </div>
    }
}

fn counters(v: &RetransmitView) -> Html {
    let c = &v.counts;
    html! {
        <div class="counters card rt-counters">
            { stat(t("rt.count.lost"), "rt-lost", c.lost, false) }
            { stat(t("rt.count.retransmissions"), "rt-retransmissions", c.retransmissions, false) }
            { stat(t("rt.count.duplicated"), "rt-duplicated", c.duplicated, false) }
            { stat(t("rt.count.duplicates_dropped"), "rt-duplicates-dropped", c.duplicates_dropped, false) }
            { stat(t("rt.count.delivered"), "rt-delivered", c.delivered, false) }
            { stat(t("rt.count.violations"), "rt-violations", c.violations, c.violations > 0) }
        </div>
    }
}

/// The stage's legend: cell states and message shapes.
fn legend() -> Html {
    let cell = |class: &'static str, words: &'static str| {
        html! { <li><span class={classes!("rt-swatch", class)} aria-hidden="true"></span>{ words }</li> }
    };
    let msg = |class: &'static str, words: &'static str| {
        html! { <li><span class={classes!("msg", "static", class)} aria-hidden="true">{ "3" }</span>{ words }</li> }
    };
    html! {
        <details class="legend rt-legend" open=true>
            <summary>{ tx("legend.title") }</summary>
            <ul>
                { msg("rt-data", t("rt.legend.data")) }
                { msg("rt-data rt-resend", t("rt.legend.resend")) }
                { msg("rt-ack", t("rt.legend.ack")) }
                { msg("rt-data lost", t("rt.legend.lost")) }
                { cell("acked", t("rt.legend.acked")) }
                { cell("flight", t("rt.legend.flight")) }
                { cell("resent", t("rt.legend.resent")) }
                { cell("waiting", t("rt.legend.waiting")) }
                { cell("delivered", t("rt.legend.delivered")) }
                { cell("buffered", t("rt.legend.buffered")) }
                { cell("expected", t("rt.legend.expected")) }
                <li><span class="rt-swatch ring" aria-hidden="true"></span>{ tx("rt.legend.timer") }</li>
            </ul>
        </details>
    }
}

/// One pair's windows and timeout estimate.
fn pair_panel(p: &PairView, rto: &RtoPolicy) -> Html {
    let row = |label: &'static str, hook: &'static str, value: String| {
        html! { <><dt>{ label }</dt><dd data-testid={hook}>{ value }</dd></> }
    };
    let sender = match &p.sender_state {
        Some(s) => html! {
            <dl class="rt-facts">
                { row(t("rt.panel.handed_over"), "rt-accepted", s.accepted.to_string()) }
                { row(t("rt.panel.acked"), "rt-acked", s.acked_through.to_string()) }
                { row(t("rt.panel.in_flight"), "rt-in-flight", seqs(&s.in_flight)) }
                { row(t("rt.panel.resent"), "rt-resent", seqs(&s.resent)) }
                if !s.sacked.is_empty() {
                    { row(t("rt.panel.sacked"), "rt-sacked", seqs(&s.sacked)) }
                }
            </dl>
        },
        None => html! { <p class="muted">{ tf("rt.panel.down", &[("node", &p.sender)]) }</p> },
    };
    let receiver = match &p.receiver_state {
        Some(r) => html! {
            <dl class="rt-facts">
                { row(t("rt.panel.delivered"), "rt-delivered-through", r.delivered_through.to_string()) }
                { row(t("rt.panel.expected"), "rt-expected", (r.delivered_through + 1).to_string()) }
                { row(t("rt.panel.buffer"), "rt-buffer", seqs(&r.buffered)) }
            </dl>
        },
        None => html! { <p class="muted">{ tf("rt.panel.down", &[("node", &p.receiver)]) }</p> },
    };
    let estimate = match (&p.sender_state, rto) {
        (Some(s), RtoPolicy::Adaptive { .. }) => html! {
            <dl class="rt-facts rt-rto" data-testid="rt-rto">
                { row(t("rt.panel.srtt"), "rt-srtt", s.srtt_us.map_or_else(|| t("rt.panel.no_sample").to_string(), ms)) }
                { row(t("rt.panel.rttvar"), "rt-rttvar", ms(s.rttvar_us)) }
                { row(t("rt.panel.rto"), "rt-rto-value", ms(s.rto_us)) }
            </dl>
        },
        (Some(s), RtoPolicy::Fixed { .. }) => html! {
            <dl class="rt-facts rt-rto" data-testid="rt-rto">
                { row(t("rt.panel.rto_fixed"), "rt-rto-value", ms(s.rto_us)) }
            </dl>
        },
        (None, _) => Html::default(),
    };
    html! {
        <div class="card rt-panel" data-testid="rt-pair" data-pair={p.pair.to_string()}>
            <h2>{ tf("rt.panel.title", &[("sender", &p.sender), ("receiver", &p.receiver)]) }</h2>
            <div class="rt-columns">
                <div><h3>{ tf("rt.panel.sender", &[("node", &p.sender)]) }</h3>{ sender }</div>
                <div><h3>{ tf("rt.panel.receiver", &[("node", &p.receiver)]) }</h3>{ receiver }</div>
            </div>
            <h3>{ tx("rt.panel.estimate") }</h3>
            { estimate }
        </div>
    }
}

fn events(v: &RetransmitView) -> Html {
    html! {
        <div class="card rt-events">
            <h2>{ tx("rt.events.title") }</h2>
            if v.events.is_empty() {
                <p class="muted">{ tx("rt.events.none") }</p>
            }
            <ol data-testid="rt-events">
                { for v.events.iter().map(|e| html! {
                    <li data-kind={e.kind}><time>{ time(e.t_us) }</time>{ " " }{ e.text.clone() }</li>
                }) }
            </ol>
            { for v.violations.iter().map(|w| html! { <p class="bad" data-testid="rt-violation">{ w.clone() }</p> }) }
        </div>
    }
}

/// Goodput against loss, one line per scheme, as measured by running the simulation.
fn chart(v: &RetransmitView, on_msg: &Callback<Msg>) -> Html {
    let measure = on_msg.reform(|_: MouseEvent| Msg::Retransmit(RetransmitMsg::ComputeChart));
    html! {
        <div class="card rt-chart">
            <h2>{ tx("rt.chart.title") }</h2>
            <p class="muted">{ tf("rt.chart.hint", &[("window", &v.settings.retransmit.window)]) }</p>
            <button data-action="rt-chart" onclick={measure}>{ tx("rt.chart.measure") }</button>
            { for v.chart.as_ref().map(|c| plot(c)) }
        </div>
    }
}

fn plot(rows: &GoodputChart) -> Html {
    let (w, h, left, bottom) = (320.0, 170.0, 40.0, 24.0);
    let max_loss = rows
        .iter()
        .map(|r| r.loss_percent)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let max_goodput = rows
        .iter()
        .map(|r| r.goodput_msgs_per_s())
        .fold(1.0, f64::max);
    let x = |loss: u32| left + (w - left - 10.0) * loss as f64 / max_loss;
    let y = |g: f64| (h - bottom) - (h - bottom - 10.0) * g / max_goodput;
    let schemes = [
        (Scheme::StopAndWait, "sw", t("rt.scheme.stop_and_wait")),
        (Scheme::GoBackN, "gbn", t("rt.scheme.go_back_n")),
        (
            Scheme::SelectiveRepeat,
            "sr",
            t("rt.scheme.selective_repeat"),
        ),
    ];
    let lines = schemes.iter().map(|(scheme, class, name)| {
        let points: Vec<_> = rows.iter().filter(|r| r.scheme == *scheme).collect();
        let path = points
            .iter()
            .map(|r| format!("{},{}", num(x(r.loss_percent)), num(y(r.goodput_msgs_per_s()))))
            .collect::<Vec<_>>()
            .join(" ");
        html! {
            <g class={classes!("rt-line", *class)} data-scheme={scheme_name(*scheme)}>
                <polyline points={path} />
                { for points.iter().map(|r| html! {
                    <circle cx={num(x(r.loss_percent))} cy={num(y(r.goodput_msgs_per_s()))} r="3"
                        data-loss={r.loss_percent.to_string()} data-goodput={num(r.goodput_msgs_per_s())}>
                        <title>{ tf("rt.chart.point", &[("scheme", name), ("loss", &r.loss_percent), ("goodput", &num(r.goodput_msgs_per_s()))]) }</title>
                    </circle>
                }) }
            </g>
        }
    });
    let losses: Vec<u32> = {
        let mut l: Vec<u32> = rows.iter().map(|r| r.loss_percent).collect();
        l.dedup();
        l.sort_unstable();
        l.dedup();
        l
    };
    html! {
        <>
            <svg class="rt-plot" viewBox={format!("0 0 {w} {h}")} role="img" aria-label={t("rt.chart.title")} data-testid="rt-chart">
                <line class="axis" x1={num(left)} y1={num(h - bottom)} x2={num(w - 5.0)} y2={num(h - bottom)} />
                <line class="axis" x1={num(left)} y1="5" x2={num(left)} y2={num(h - bottom)} />
                { for losses.iter().map(|l| html! {
                    <text class="tick" x={num(x(*l))} y={num(h - 8.0)}>{ format!("{l}%") }</text>
                }) }
                <text class="tick" x={num(left - 4.0)} y="14" text-anchor="end">{ num(max_goodput) }</text>
                <text class="tick" x={num(left - 4.0)} y={num(h - bottom)} text-anchor="end">{ "0" }</text>
                { for lines }
            </svg>
            <p class="rt-chart-key">
                <span class="key sw">{ tx("rt.scheme.stop_and_wait") }</span>
                <span class="key gbn">{ tx("rt.scheme.go_back_n") }</span>
                <span class="key sr">{ tx("rt.scheme.selective_repeat") }</span>
                <span class="muted">{ tx("rt.chart.axes") }</span>
            </p>
        </>
    }
}

/// A documentation page's retransmission widget: the stage, the counters and node actions.
#[function_component(RetransmitEmbed)]
pub fn retransmit_embed(props: &RetransmitPageProps) -> Html {
    use_lang();
    let v = &props.view;
    html! {
        <div class="rt-embed">
            <section class="stage-col" aria-label={t("rt.stage.label")}>
                { stage(v, &props.surfaces) }
                { counters(v) }
            </section>
            { node_actions(v, &props.on_msg) }
        </div>
    }
}

#[function_component(RetransmitPage)]
pub fn retransmit_page(props: &RetransmitPageProps) -> Html {
    use_lang();
    let v = &props.view;
    html! {
        <main class="main rt-main">
            <section class="stage-col" aria-label={t("rt.stage.label")}>
                { stage(v, &props.surfaces) }
                { counters(v) }
                { legend() }
            </section>
            <section class="side">
                { for v.pairs.iter().map(|p| pair_panel(p, &v.settings.retransmit.rto)) }
                { events(v) }
                { node_actions(v, &props.on_msg) }
                <RetransmitSettingsForm settings={v.settings.clone()} on_msg={props.on_msg.clone()} />
                { chart(v, &props.on_msg) }
            </section>
        </main>
    }
}
