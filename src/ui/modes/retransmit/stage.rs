//! The retransmission stage in SVG: per pair the sender and the receiver, the two lanes the
//! messages travel on (the animator draws them above), the sender's window as a strip of
//! numbered cells above and the receiver's below, and where the last loss happened.

use super::geometry::{
    cell_height, cell_width, cell_x, lane_offset, node_radius, row_y, strip_cells, strip_offset,
    RECEIVER_X, SENDER_X,
};
use super::run::strip_first;
use super::view::PairView;
use crate::sim::retransmit::Seq;
use crate::ui::i18n::{t, tf, use_lang};
use crate::ui::shell::geometry::num;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub pairs: Vec<PairView>,
    pub window: u64,
    /// What the receiver keeps: the window under selective repeat, else only the next message.
    pub receiver_window: u64,
}

#[function_component(RetransmitStage)]
pub fn retransmit_stage(props: &StageProps) -> Html {
    use_lang();
    let n = props.pairs.len() as u32;
    html! {
        <svg class="cluster rt-stage" viewBox="0 0 400 400" role="img" aria-label={t("rt.stage.label")}>
            { for props.pairs.iter().map(|p| pair(p, n, props.window, props.receiver_window)) }
        </svg>
    }
}

fn pair(p: &PairView, pairs: u32, window: u64, receiver_window: u64) -> Html {
    let y = row_y(p.pair, pairs);
    let r = node_radius(pairs);
    let lane = lane_offset(pairs);
    let cells = strip_cells(window);
    let sender_strip = match &p.sender_state {
        Some(s) => {
            let first = strip_first(s.acked_through);
            let base = s.acked_through + 1;
            strip(
                y - strip_offset(pairs),
                pairs,
                cells,
                first,
                (base, base + window),
                |seq| {
                    if seq <= s.acked_through || s.sacked.contains(&seq) {
                        "acked"
                    } else if s.resent.contains(&seq) {
                        "resent"
                    } else if s.in_flight.contains(&seq) {
                        "flight"
                    } else if seq <= s.accepted {
                        "waiting"
                    } else {
                        "free"
                    }
                },
                "sender-window",
            )
        }
        None => Html::default(),
    };
    let receiver_strip = match &p.receiver_state {
        Some(rv) => {
            let first = strip_first(rv.delivered_through);
            let next = rv.delivered_through + 1;
            strip(
                y + strip_offset(pairs),
                pairs,
                cells,
                first,
                (next, next + receiver_window),
                |seq| {
                    if seq <= rv.delivered_through {
                        "delivered"
                    } else if rv.buffered.contains(&seq) {
                        "buffered"
                    } else if seq == next {
                        "expected"
                    } else {
                        "free"
                    }
                },
                "receiver-window",
            )
        }
        None => Html::default(),
    };
    let node = |x: f64, up: bool, name: String, role: &'static str, hook: &'static str| {
        html! {
            <g class={classes!("rt-node", (!up).then_some("down"))} data-testid={hook}
                data-up={up.to_string()}>
                <circle cx={num(x)} cy={num(y)} r={num(r)} />
                <text x={num(x)} y={num(y + 1.0)} class="rt-node-name">{ name }</text>
                <text x={num(x)} y={num(y + r + 11.0)} class="rt-node-role">{ role }</text>
            </g>
        }
    };
    let loss = p.last_loss.map(|(seq, ack, _)| {
        let ly = if ack { y + lane } else { y - lane };
        let words = if ack {
            tf("rt.stage.lost_ack", &[("seq", &seq)])
        } else {
            tf("rt.stage.lost_data", &[("seq", &seq)])
        };
        html! {
            <g class="rt-loss" data-testid="last-loss" data-seq={seq.to_string()} data-ack={ack.to_string()}>
                <text x="200" y={num(ly + 4.0)} class="rt-loss-x">{ "✗" }</text>
                <text x="200" y={num(if ack { ly + 16.0 } else { ly - 9.0 })} class="rt-loss-words">{ words }</text>
            </g>
        }
    });
    let sender_role = if p.sender_state.is_some() {
        t("rt.stage.sender")
    } else {
        t("rt.stage.crashed")
    };
    let receiver_role = if p.receiver_state.is_some() {
        t("rt.stage.receiver")
    } else {
        t("rt.stage.crashed")
    };
    html! {
        <g class="rt-pair" data-pair={p.pair.to_string()}>
            <line class="rt-lane" x1={num(SENDER_X)} y1={num(y - lane)} x2={num(RECEIVER_X)} y2={num(y - lane)} />
            <line class="rt-lane" x1={num(SENDER_X)} y1={num(y + lane)} x2={num(RECEIVER_X)} y2={num(y + lane)} />
            <text class="rt-strip-label" x="24" y={num(y - strip_offset(pairs) - cell_height(pairs) / 2.0 - 5.0)}>{ t("rt.stage.sender_window") }</text>
            <text class="rt-strip-label" x="24" y={num(y + strip_offset(pairs) + cell_height(pairs) / 2.0 + 12.0)}>{ t("rt.stage.receiver_window") }</text>
            { sender_strip }
            { receiver_strip }
            { node(SENDER_X, p.sender_state.is_some(), p.sender.to_string(), sender_role, "rt-sender") }
            { node(RECEIVER_X, p.receiver_state.is_some(), p.receiver.to_string(), receiver_role, "rt-receiver") }
            { for loss }
        </g>
    }
}

/// A strip of `cells` numbered cells from `first`, each classed by `state`, with the window
/// `[from, to)` outlined.
#[allow(clippy::too_many_arguments)]
fn strip(
    y: f64,
    pairs: u32,
    cells: u64,
    first: Seq,
    window: (Seq, Seq),
    state: impl Fn(Seq) -> &'static str,
    hook: &'static str,
) -> Html {
    let (w, h) = (cell_width(cells), cell_height(pairs));
    let font = (w.min(h) * 0.5).clamp(6.0, 11.0);
    let lo = window.0.saturating_sub(first).min(cells);
    let hi = window.1.saturating_sub(first).min(cells);
    let left = cell_x(lo, cells) - w / 2.0;
    let frame_w = (hi - lo) as f64 * w;
    html! {
        <g class="rt-strip" data-testid={hook} data-first={first.to_string()}>
            { for (0..cells).map(|i| {
                let seq = first + i;
                let x = cell_x(i, cells);
                let s = state(seq);
                html! {
                    <g class={classes!("rt-cell", s)} data-seq={seq.to_string()} data-state={s}>
                        <rect x={num(x - w / 2.0 + 1.0)} y={num(y - h / 2.0)} width={num(w - 2.0)} height={num(h)} rx="2" />
                        <text x={num(x)} y={num(y + font * 0.35)} font-size={num(font)}>{ seq.to_string() }</text>
                    </g>
                }
            }) }
            if hi > lo {
                <rect class="rt-window-frame" x={num(left)} y={num(y - h / 2.0 - 3.0)}
                    width={num(frame_w)} height={num(h + 6.0)} rx="4" />
            }
        </g>
    }
}
