//! Hash ring charts: keys per node against the mean and the 99% band theory predicts for V
//! tokens, and the fraction of keys each membership change moved against the ideal and
//! against modulo-N.

use super::model::MoveEvent;
use super::view::LoadView;
use crate::sim::ring::Skew;
use crate::ui::i18n::{t, tf, tx};
use crate::ui::shell::geometry::num;
use std::rc::Rc;
use yew::prelude::*;

/// A fraction as a percentage with one decimal.
pub fn percent(fraction: f64) -> String {
    num(fraction * 100.0) + "%"
}

/// A count for an axis label.
fn whole(v: f64) -> String {
    (v.round().max(0.0) as u64).to_string()
}

const W: f64 = 440.0;
const H: f64 = 150.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 16.0;

/// Keys per node of the charted strategy (a plain function: rendered inside the ring page,
/// without a component of its own).
pub fn load_chart(load: &Option<Rc<LoadView>>) -> Html {
    let Some(load) = load.as_ref() else {
        return html! {
            <figure class="ring-chart" data-testid="load-chart" data-state="computing">
                <figcaption>{ tx("ring.load.computing") }</figcaption>
            </figure>
        };
    };
    let zipf = load.skew == Skew::Zipf;
    let keys: f64 = load.bars.iter().map(|b| b.1 as f64).sum();
    let value =
        |b: &(crate::sim::types::NodeId, u32, f64)| if zipf { b.2 * keys } else { b.1 as f64 };
    let top = load
        .bars
        .iter()
        .map(value)
        .fold(load.band.1, f64::max)
        .max(1.0)
        * 1.08;
    let y = |v: f64| H - BOTTOM - (H - BOTTOM - 6.0) * v / top;
    let n = load.bars.len().max(1);
    let step = (W - LEFT - 4.0) / n as f64;
    let labels_every = n.div_ceil(16);
    let bars = load.bars.iter().enumerate().map(|(i, b)| {
        let x = LEFT + step * i as f64 + step * 0.15;
        let v = value(b);
        let over = v > load.band.1 || v < load.band.0;
        let tip = if zipf {
            tf("ring.load.tip_zipf", &[("node", &b.0), ("keys", &b.1), ("share", &percent(b.2))])
        } else {
            tf("ring.load.tip", &[("node", &b.0), ("keys", &b.1)])
        };
        html! {
            <g data-load-node={b.0 .0.to_string()} data-keys={b.1.to_string()}>
                <title>{ tip }</title>
                <rect class={classes!("bar", over.then_some("outside"))} x={num(x)} y={num(y(v))} width={num(step * 0.7)} height={num((H - BOTTOM - y(v)).max(0.5))} />
                if zipf {
                    <line class="tick" x1={num(x - 1.0)} x2={num(x + step * 0.7 + 1.0)} y1={num(y(b.1 as f64))} y2={num(y(b.1 as f64))} />
                }
                if i % labels_every == 0 {
                    <text class="axis" x={num(x + step * 0.35)} y={num(H - 4.0)}>{ b.0 .0.to_string() }</text>
                }
            </g>
        }
    });
    let (lo, hi) = load.band;
    let mean_y = y(load.mean_keys);
    let caption = if zipf {
        t("ring.load.caption_zipf")
    } else {
        t("ring.load.caption")
    };
    html! {
        <figure class="ring-chart" data-testid="load-chart" data-state="done" data-strategy={load.strategy.name()}>
            <figcaption>
                <strong>{ tf("ring.load.title", &[("strategy", &load.strategy.name())]) }</strong>
                <span class="muted">{ " · " }{ caption }</span>
            </figcaption>
            <svg viewBox={"0 0 ".to_string() + &num(W) + " " + &num(H)} role="img"
                 aria-label={tf("ring.load.label", &[("strategy", &load.strategy.name()), ("mean", &num(load.mean_keys)), ("v", &load.vnodes), ("low", &num(lo)), ("high", &num(hi))])}>
                <rect class="band99" x={num(LEFT)} y={num(y(hi))} width={num(W - LEFT - 4.0)} height={num((y(lo) - y(hi)).max(0.5))} />
                <line class="baseline" x1={num(LEFT)} x2={num(W - 4.0)} y1={num(H - BOTTOM)} y2={num(H - BOTTOM)} />
                <text class="axis end" x={num(LEFT - 3.0)} y={num(mean_y + 3.0)}>{ whole(load.mean_keys) }</text>
                <text class="axis end" x={num(LEFT - 3.0)} y="12">{ whole(top) }</text>
                { for bars }
                <line class="mean" x1={num(LEFT)} x2={num(W - 4.0)} y1={num(mean_y)} y2={num(mean_y)} />
            </svg>
            <p class="chart-key">
                <span class="key-mean" aria-hidden="true"></span>{ tx("ring.load.mean") }
                <span class="key-band" aria-hidden="true"></span>{ tf("ring.load.band", &[("v", &load.vnodes)]) }
                <span class="key-outside" aria-hidden="true"></span>{ tx("ring.load.outside") }
            </p>
        </figure>
    }
}

/// Keys moved by each membership change, newest first.
pub fn moved_chart(events: &[MoveEvent]) -> Html {
    let row = |label: &'static str, class: &'static str, fraction: f64| {
        html! {
            <div class={classes!("chart-row", class)}>
                <span class="chart-label">{ label }</span>
                <span class="chart-bar"><span style={"width:".to_string() + &num((fraction * 100.0).clamp(0.0, 100.0)) + "%"}></span></span>
                <span class="num">{ percent(fraction) }</span>
            </div>
        }
    };
    html! {
        <figure class="ring-chart moved" data-testid="moved-chart">
            <figcaption><strong>{ tx("ring.moved.title") }</strong>
                <span class="muted">{ " · " }{ tx("ring.moved.note") }</span></figcaption>
            if events.is_empty() {
                <p class="muted">{ tx("ring.moved.computing") }</p>
            }
            { for events.iter().rev().map(|e| html! {
                <div class="moved-event" data-moved-ring={num(e.ring * 1000.0)}>
                    <h3>{ e.label.text() }{ if e.preview { t("ring.moved.preview") } else { "" } }</h3>
                    { row(t("ring.moved.this_ring"), "measured", e.ring) }
                    { row(t("ring.moved.ideal"), "ideal", e.ideal) }
                    { row(t("ring.moved.modulo"), "modulo", e.modulo) }
                </div>
            }) }
        </figure>
    }
}
