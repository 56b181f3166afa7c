//! The space-time diagram: one lane per node, messages as arrows from send to delivery,
//! role changes as marks, ending at the current moment. Clicking it moves time there, so the
//! diagram and the animation scrub together.

use crate::sim::types::{Addr, Micros, NodeId};
use crate::ui::i18n::{t, tf, use_lang};
use crate::ui::shell::geometry::num;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

/// An arrow of the space-time diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub from: Addr,
    pub to: Addr,
    pub sent_us: Micros,
    pub deliver_us: Micros,
    pub type_name: &'static str,
    pub success: Option<bool>,
}

/// A dot on a lane of the space-time diagram: a role change, a crash, a commit.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub node: NodeId,
    pub t: Micros,
    pub kind: &'static str,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DiagramView {
    pub from_us: Micros,
    pub to_us: Micros,
    pub nodes: u32,
    pub arrows: Vec<Arrow>,
    pub marks: Vec<Mark>,
}

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub diagram: Rc<DiagramView>,
    pub on_msg: Callback<Msg>,
}

const W: f64 = 600.0;
const LEFT: f64 = 34.0;
const LANE: f64 = 26.0;

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    use_lang();
    let d = &props.diagram;
    let span = d.to_us.saturating_sub(d.from_us).max(1) as f64;
    let h = LANE * (d.nodes as f64 + 1.0);
    let x = move |t: u64| {
        LEFT + (t.saturating_sub(d.from_us) as f64 / span).min(1.2) * (W - LEFT - 8.0)
    };
    let lane = |a: Addr| match a {
        Addr::Node(n) => LANE * (n.0 as f64),
        Addr::Client(_) => LANE * 0.4,
    };
    let onclick = {
        let cb = props.on_msg.clone();
        let (from, to) = (d.from_us, d.to_us);
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e
                .current_target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            else {
                return;
            };
            let rect = el.get_bounding_client_rect();
            let fx = ((e.client_x() as f64 - rect.left()) / rect.width().max(1.0) * W - LEFT)
                / (W - LEFT - 8.0);
            if (0.0..=1.0).contains(&fx) {
                cb.emit(Msg::Seek(from + ((to - from) as f64 * fx) as u64));
            }
        })
    };
    html! {
        <div class="diagram">
            <svg viewBox={format!("0 0 600 {}", num(h))} role="img" onclick={onclick}
                 aria-label={t("diagram.label")}>
                <defs>
                    <marker id="arrow" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="5" markerHeight="5" orient="auto">
                        <path d="M0 0 L6 3 L0 6 z" class="head" />
                    </marker>
                </defs>
                <clipPath id="lanes"><rect x={num(LEFT)} y="0" width={num(W - LEFT - 8.0)} height={num(h)} /></clipPath>
                { for (1..=d.nodes).map(|i| html! {
                    <g key={i}>
                        <text class="lane-label" x="4" y={num(LANE * i as f64 + 4.0)}>{ format!("S{i}") }</text>
                        <line class="lane" x1={num(LEFT)} x2={num(W - 8.0)} y1={num(LANE * i as f64)} y2={num(LANE * i as f64)} />
                    </g>
                }) }
                <g clip-path="url(#lanes)">
                { for d.arrows.iter().map(|a| {
                    let (x1, y1) = (x(a.sent_us), lane(a.from));
                    let t2 = a.deliver_us.min(d.to_us);
                    let (x2, y2) = (x(t2), if a.deliver_us > d.to_us {
                        y1 + (lane(a.to) - y1) * ((d.to_us - a.sent_us.min(d.to_us)) as f64 / (a.deliver_us - a.sent_us).max(1) as f64)
                    } else { lane(a.to) });
                    let class = format!("arrow t-{}{}", a.type_name, match a.success { Some(false) => " fail", _ => "" });
                    html! { <line class={class} x1={num(x1)} y1={num(y1)} x2={num(x2)} y2={num(y2)} marker-end="url(#arrow)" /> }
                }) }
                { for d.marks.iter().map(|m| html! {
                    <circle class={format!("mark m-{}", m.kind)} cx={num(x(m.t))} cy={num(LANE * m.node.0 as f64)} r="4">
                        <title>{ tf("diagram.mark", &[("node", &m.node), ("label", &m.label)]) }</title>
                    </circle>
                }) }
                </g>
                <line class="now" x1={num(W - 8.0)} x2={num(W - 8.0)} y1="4" y2={num(h)} />
            </svg>
            <p class="muted">{ tf("diagram.hint", &[("ms", &((d.to_us - d.from_us) / 1000))]) }</p>
        </div>
    }
}
