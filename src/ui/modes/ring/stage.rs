//! The ring drawn in SVG: each node's token arcs in its colour, the keys as a density band
//! (with the under-replicated ones on top), the nodes around it with their status, and the
//! hovered key's replica set. Transfers in flight are drawn above it by the animator.

use super::geometry::{at_angle, node_point, node_size};
use super::model::{RingMsg, ARC_BINS, DENSITY_BINS};
use super::view::{HoverView, RingNode};
use crate::sim::ring::store::NodeStatus;
use crate::sim::types::NodeId;
use crate::ui::i18n::{t, tf, use_lang};
use crate::ui::shell::geometry::{num, CENTER};
use crate::ui::shell::math;
use crate::ui::store::msg::Msg;
use std::f64::consts::TAU;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Radii in the 400 x 400 view box: token arcs, the outer edge of the density band.
const ARC_R: f64 = 122.0;
const BAND_R: f64 = 110.0;
const BAND_DEPTH: f64 = 34.0;
/// The pointer picks a key only near the ring, not in the middle or among the nodes.
const PICK_R: (f64, f64) = (60.0, 140.0);
/// Pointer positions are rounded to this many angles, so moving within one sends nothing.
const PICK_STEPS: f64 = 4096.0;

fn angle_of_bin(bin: u32, bins: u32) -> f64 {
    TAU * bin as f64 / bins as f64
}

/// A node's colour, spread around the hue circle by the golden angle so neighbours differ.
pub fn node_colour(id: NodeId) -> String {
    let hue = math::rem_euclid(id.0.saturating_sub(1) as f64 * 137.508, 360.0);
    "hsl(".to_string() + &num(hue) + " 62% 46%)"
}

/// The status as an identifier: CSS class and `data-status` (never translated).
pub fn status_word(status: NodeStatus) -> &'static str {
    match status {
        NodeStatus::Up => "up",
        NodeStatus::Crashed => "crashed",
        NodeStatus::Down => "down",
        NodeStatus::Leaving => "leaving",
    }
}

/// The status in one word of the language shown, under the node.
pub fn status_label(status: NodeStatus) -> &'static str {
    match status {
        NodeStatus::Up => t("ring.status.up"),
        NodeStatus::Crashed => t("ring.status.crashed"),
        NodeStatus::Down => t("ring.status.down"),
        NodeStatus::Leaving => t("ring.status.leaving"),
    }
}

/// What the status means, for screen readers and tooltips.
pub fn status_words(status: NodeStatus) -> &'static str {
    match status {
        NodeStatus::Up => t("ring.status.up"),
        NodeStatus::Crashed => t("ring.status_detail.crashed"),
        NodeStatus::Down => t("ring.status_detail.down"),
        NodeStatus::Leaving => t("ring.status_detail.leaving"),
    }
}

/// SVG path of an arc from bin `from` over `len` bins at radius `r` (split when over half
/// the circle, so that the arc flags stay unambiguous).
fn arc_path(out: &mut String, from: u32, len: u32, r: f64) {
    let half = ARC_BINS / 2;
    if len > half {
        arc_path(out, from, half, r);
        arc_path(out, from + half, len - half, r);
        return;
    }
    let (x0, y0) = at_angle(angle_of_bin(from, ARC_BINS), r);
    let (x1, y1) = at_angle(angle_of_bin(from + len, ARC_BINS), r);
    let radius = num(r);
    for part in [
        "M",
        &num(x0),
        " ",
        &num(y0),
        "A",
        &radius,
        " ",
        &radius,
        " 0 0 1 ",
        &num(x1),
        " ",
        &num(y1),
    ] {
        out.push_str(part);
    }
}

/// Radial ticks, one per density bin, as long as the bin's share of `scale`.
fn band_path(bins: &[u32], scale: u32) -> String {
    let mut d = String::new();
    for (bin, count) in bins.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let theta = angle_of_bin(bin as u32, DENSITY_BINS) + TAU / DENSITY_BINS as f64 / 2.0;
        let depth = BAND_DEPTH * *count as f64 / scale.max(1) as f64;
        let (x0, y0) = at_angle(theta, BAND_R);
        let (x1, y1) = at_angle(theta, BAND_R - depth.max(1.0));
        for part in ["M", &num(x0), " ", &num(y0), "L", &num(x1), " ", &num(y1)] {
            d.push_str(part);
        }
    }
    d
}

#[derive(Properties, PartialEq)]
pub struct RingStageProps {
    pub nodes: Rc<Vec<RingNode>>,
    pub arcs: Rc<super::model::Arcs>,
    pub key_bins: Rc<Vec<u32>>,
    pub short_bins: Rc<Vec<u32>>,
    pub hover: Option<HoverView>,
    pub selected: Option<NodeId>,
    pub keys: u32,
    pub on_msg: Callback<Msg>,
}

#[function_component(RingStage)]
pub fn ring_stage(props: &RingStageProps) -> Html {
    use_lang();
    let n = props.nodes.len() as u32;
    let slot_of = |id: NodeId| props.nodes.iter().position(|x| x.id == id);
    let arcs = use_memo(props.arcs.clone(), |arcs| {
        let mut paths: Vec<(NodeId, String)> = Vec::new();
        for (node, from, len) in arcs.iter() {
            let at = match paths.iter().position(|(id, _)| id == node) {
                Some(at) => at,
                None => {
                    paths.push((*node, String::new()));
                    paths.len() - 1
                }
            };
            arc_path(&mut paths[at].1, *from, *len, ARC_R);
        }
        paths
    });
    let band = use_memo(
        (props.key_bins.clone(), props.short_bins.clone()),
        |(keys, short)| {
            let scale = keys.iter().copied().max().unwrap_or(1);
            (band_path(keys, scale), band_path(short, scale))
        },
    );

    let last_pick = use_mut_ref(|| None::<u64>);
    let on_move = {
        let on_msg = props.on_msg.clone();
        let last_pick = last_pick.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(svg) = e
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let rect = svg.get_bounding_client_rect();
            let scale = 400.0 / rect.width().max(1.0);
            let dx = (e.client_x() as f64 - rect.left()) * scale - CENTER;
            let dy = (e.client_y() as f64 - rect.top()) * scale - CENTER;
            let r = (dx * dx + dy * dy).sqrt();
            let pick = (r > PICK_R.0 && r < PICK_R.1).then(|| {
                let theta = math::rem_euclid(math::atan2(dx, -dy), TAU);
                (theta / TAU * PICK_STEPS).floor() as u64
            });
            if *last_pick.borrow() != pick {
                *last_pick.borrow_mut() = pick;
                // The step's angle as a ring position: steps are 2^64 / PICK_STEPS apart.
                let position = pick.map(|s| s << (64 - PICK_STEPS.log2() as u32));
                on_msg.emit(Msg::Ring(RingMsg::Hover(position)));
            }
        })
    };

    let hover =
        props.hover.as_ref().map(|h| {
            let theta = h.position as f64 / 2f64.powi(64) * TAU;
            let (kx, ky) = at_angle(theta, ARC_R);
            let lines = h.preference.iter().filter_map(|id| {
            let (x, y) = node_point(slot_of(*id)?, n);
            let held = h.holders.contains(id);
            let class = if held { "replica-line" } else { "replica-line missing" };
            Some(html! { <line class={class} x1={num(kx)} y1={num(ky)} x2={num(x)} y2={num(y)} /> })
        });
            html! {
                <g class="hover" aria-hidden="true">
                    { for lines }
                    <circle class="key-dot" cx={num(kx)} cy={num(ky)} r="5" />
                </g>
            }
        });

    let nodes = props.nodes.iter().enumerate().map(|(slot, node)| {
        let (x, y) = node_point(slot, n);
        let r = node_size(n);
        let replica = props
            .hover
            .as_ref()
            .is_some_and(|h| h.preference.contains(&node.id));
        let word = status_word(node.status);
        let label = tf(
            "ring.node_label",
            &[
                ("node", &node.id),
                ("status", &status_words(node.status)),
                ("copies", &node.copies),
            ],
        );
        let select = {
            let on_msg = props.on_msg.clone();
            let id = node.id;
            Callback::from(move |_: MouseEvent| on_msg.emit(Msg::Ring(RingMsg::Select(id))))
        };
        let key_select = {
            let on_msg = props.on_msg.clone();
            let id = node.id;
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    on_msg.emit(Msg::Ring(RingMsg::Select(id)));
                }
            })
        };
        let class = classes!(
            "rnode",
            word,
            (props.selected == Some(node.id)).then_some("selected"),
            replica.then_some("replica"),
        );
        let fill = match node.status {
            NodeStatus::Up | NodeStatus::Leaving => node_colour(node.id),
            _ => "#e8ebf0".to_string(),
        };
        let cross = num(r * 0.5);
        // The visible words, each ending in a space (invisible at the end of an SVG text) so
        // that they stay apart when read as one string; the accessible name starts with them.
        let crossed = matches!(node.status, NodeStatus::Crashed | NodeStatus::Down);
        let name_text = (!crossed).then(|| node.id.to_string() + " ");
        let status_text = (n <= 12 || node.status != NodeStatus::Up).then(|| {
            if n <= 12 {
                node.id.to_string() + " " + status_label(node.status) + " "
            } else {
                status_label(node.status).to_string() + " "
            }
        });
        let shown = name_text.clone().unwrap_or_default() + status_text.as_deref().unwrap_or_default();
        let name = if shown.trim().is_empty() {
            label.clone()
        } else {
            format!("{} — {label}", shown.trim_end())
        };
        html! {
            <g key={node.id.0} class={class} transform={"translate(".to_string() + &num(x) + " " + &num(y) + ")"}
               data-node={node.id.0.to_string()} data-ring-node={node.id.0.to_string()} data-status={word}
               tabindex="0" role="button" aria-label={name} aria-pressed={(props.selected == Some(node.id)).to_string()}
               onclick={select} onkeydown={key_select}>
                <title>{ label }</title>
                <circle class="halo" r={num(r + 5.0)} />
                <circle class="body" r={num(r)} fill={fill} />
                if let Some(text) = name_text {
                    <text class="name">{ text }</text>
                } else {
                    <path class="cross" d={"M-".to_string() + &cross + " -" + &cross + "L" + &cross + " " + &cross + "M-" + &cross + " " + &cross + "L" + &cross + " -" + &cross} />
                }
                if let Some(text) = status_text {
                    <text class="status" y={num(r + 10.0)}>{ text }</text>
                }
            </g>
        }
    });

    let on_leave = {
        let on_msg = props.on_msg.clone();
        Callback::from(move |_: PointerEvent| {
            *last_pick.borrow_mut() = None;
            on_msg.emit(Msg::Ring(RingMsg::Hover(None)));
        })
    };
    html! {
        <svg class="ring" viewBox="0 0 400 400" data-testid="ring" role="group"
             aria-label={tf("ring.stage.svg_label", &[("nodes", &n), ("keys", &props.keys)])}
             onpointermove={on_move.clone()} onpointerdown={on_move} onpointerleave={on_leave}>
            <circle class="track" cx="200" cy="200" r={num(ARC_R)} />
            <g class="arcs">
                { for arcs.iter().map(|(id, d)| html! {
                    <path key={id.0} d={d.clone()} stroke={node_colour(*id)} data-arc-node={id.0.to_string()}>
                        <title>{ tf("ring.arc_title", &[("node", id)]) }</title>
                    </path>
                }) }
            </g>
            <g class="band" aria-hidden="true">
                <path class="keys" d={band.0.clone()} />
                <path class="short" d={band.1.clone()} />
            </g>
            { for hover }
            { for nodes }
        </svg>
    }
}
