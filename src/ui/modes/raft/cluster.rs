//! The cluster: nodes on a circle in SVG, with the links between them (dashed red when cut
//! or partitioned) and the clients in the centre. Messages are drawn on the canvas above.

use crate::sim::types::NodeId;
use crate::ui::i18n::{tf, tx, use_lang};
use crate::ui::modes::raft::node::NodeGlyph;
use crate::ui::modes::raft::view::{ids_text, MajorityView, NodeView};
use crate::ui::shell::geometry::{node_center, node_radius, num};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    pub nodes: Rc<Vec<NodeView>>,
    pub selected: Option<NodeId>,
    /// For each ordered pair (a, b) with a < b: whether a -> b and b -> a are connected.
    pub links: Rc<Vec<(NodeId, NodeId, bool, bool)>>,
    /// Positions on the circle (`view::layout`).
    pub layout: u32,
    pub majority: Option<MajorityView>,
}

#[function_component(Cluster)]
pub fn cluster(props: &ClusterProps) -> Html {
    use_lang();
    let n = props.layout;
    let links = props.links.iter().map(|(a, b, ab, ba)| {
        let (x1, y1) = node_center(a.slot(), n);
        let (x2, y2) = node_center(b.slot(), n);
        let class = match (ab, ba) {
            (true, true) => "link",
            (false, false) => "link cut",
            _ => "link cut oneway",
        };
        html! {
            <line key={format!("{a}-{b}")} class={class}
                x1={num(x1)} y1={num(y1)} x2={num(x2)} y2={num(y2)} />
        }
    });
    // The leader's voters in one shaded hull: the servers whose votes make its majorities;
    // during a joint change C_old's voters ringed too (a majority of each is needed).
    let r = node_radius(n);
    let hulls = props.majority.as_ref().map(|m| {
        let mut points = String::new();
        for v in &m.voters {
            let (x, y) = node_center(v.slot(), n);
            points += &format!("{},{} ", num(x), num(y));
        }
        html! {
            <>
                <polygon class="quorum" points={points} stroke-width={num(2.0 * r + 24.0)} />
                { for m.old.iter().map(|v| {
                    let (x, y) = node_center(v.slot(), n);
                    html! { <circle class="quorum-old" cx={num(x)} cy={num(y)} r={num(r + 14.5)} /> }
                }) }
            </>
        }
    });
    html! {
        <svg class="cluster" viewBox="0 0 400 400" role="group"
             aria-label={tf("cluster.label", &[("count", &props.nodes.len())])}>
            <g class="links" aria-hidden="true">{ hulls }{ for links }</g>
            <g class="clients" aria-hidden="true" transform="translate(200 200)">
                <rect x="-15" y="-10" width="30" height="20" rx="4" />
                <text y="1">{ tx("cluster.clients") }</text>
            </g>
            if let Some(m) = &props.majority {
                <text class="majority" y="234" data-testid="majority" data-quorum={m.quorum.to_string()}
                      data-old-quorum={(!m.old.is_empty()).then(|| (m.old.len() / 2 + 1).to_string())}>
                    <tspan x="200">{ tf("cluster.majority_for", &[("leader", &m.leader)]) }{ " " }</tspan>
                    <tspan x="200" dy="13">{ tf("cluster.majority_of", &[("quorum", &m.quorum), ("voters", &ids_text(&m.voters, ","))]) }{ " " }</tspan>
                    if !m.old.is_empty() {
                        <tspan x="200" dy="13" class="old">
                            { tf("cluster.majority_old", &[("quorum", &(m.old.len() / 2 + 1)), ("voters", &ids_text(&m.old, ","))]) }
                        </tspan>
                    }
                </text>
            }
            { for props.nodes.iter().map(|node| html! {
                <NodeGlyph key={node.id.0} node={node.clone()} count={n}
                    selected={props.selected == Some(node.id)} />
            }) }
        </svg>
    }
}
