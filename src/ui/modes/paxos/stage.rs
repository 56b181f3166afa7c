//! The Paxos stage in SVG: the nodes on a circle (the animator draws the messages above), each
//! with what its proposer is doing above it (phase and ballot, the votes counted) and what its
//! acceptor holds below it (its promise, its accepted proposal); the clients of a Multi-Paxos
//! run in the middle. A proposer in phase 1 is blue, in phase 2 amber, a leader green, a
//! crashed node grey.

use super::geometry::{node_at, CLIENTS};
use super::view::NodeView;
use crate::sim::paxos::Variant;
use crate::ui::i18n::{t, tf, use_lang};
use crate::ui::shell::geometry::{node_radius, num};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub nodes: Vec<NodeView>,
    pub variant: Variant,
}

/// A node's role as its disc shows it (`data-role`).
pub fn role(n: &NodeView) -> &'static str {
    if !n.up {
        return "crashed";
    }
    match n.proposer.phase {
        "preparing" | "accepting" => "proposer",
        "leading" => "leader",
        _ => "acceptor",
    }
}

#[function_component(PaxosStage)]
pub fn paxos_stage(props: &StageProps) -> Html {
    use_lang();
    let count = props.nodes.len() as u32;
    html! {
        <svg class="cluster px-stage" viewBox="0 0 400 400" role="img" aria-label={t("px.stage.label")}>
            if props.variant == Variant::Multi {
                <g class="px-clients">
                    <rect x={num(CLIENTS.0 - 28.0)} y={num(CLIENTS.1 - 14.0)} width="56" height="28" rx="7" />
                    <text x={num(CLIENTS.0)} y={num(CLIENTS.1 + 4.0)}>{ t("px.stage.clients") }</text>
                </g>
            }
            { for props.nodes.iter().map(|n| node(n, count, props.variant)) }
        </svg>
    }
}

fn node(n: &NodeView, count: u32, variant: Variant) -> Html {
    let (x, y) = node_at(n.node, count);
    let r = node_radius(count);
    let role = role(n);
    let phase = n.proposer.phase;
    // Two lines above the node: the phase and its ballot, then the votes counted of the
    // majority it needs.
    let badge = n.proposer.ballot.map(|b| match phase {
        "preparing" => (
            tf("px.stage.phase1", &[("ballot", &b)]),
            Some(tf(
                "px.stage.promises",
                &[("votes", &n.proposer.votes), ("needed", &n.proposer.needed)],
            )),
        ),
        "accepting" => (
            tf("px.stage.phase2", &[("ballot", &b)]),
            Some(tf(
                "px.stage.accepts",
                &[("votes", &n.proposer.votes), ("needed", &n.proposer.needed)],
            )),
        ),
        _ => (tf("px.stage.leading", &[("ballot", &b)]), None),
    });
    let promised = if !n.up {
        t("px.stage.crashed").to_string()
    } else if n.promised.round == 0 {
        t("px.stage.no_promise").to_string()
    } else {
        tf("px.stage.promised", &[("ballot", &n.promised)])
    };
    let accepted = match variant {
        Variant::Single => n
            .accepted
            .first()
            .map(|(_, b, v)| (tf("px.stage.accepted", &[("ballot", b)]), Some(v.clone()))),
        Variant::Multi => (n.accepted_count > 0).then(|| {
            (
                tf("px.stage.accepted_slots", &[("count", &n.accepted_count)]),
                None,
            )
        }),
    };
    let learned = match (variant, &n.learned_value) {
        (Variant::Single, Some(_)) => true,
        (Variant::Multi, _) => n.learned > 0,
        _ => false,
    };
    let label = tf(
        "px.stage.node_label",
        &[("node", &n.node), ("promised", &promised)],
    );
    // The badge sits above the node, the acceptor's lines below it; the bottom nodes' lines
    // stay inside the view box (at most three lines of 11 units), and the words of a node
    // near the left or right edge run inwards from its edge so that none is cut off.
    let below = y + r + 12.0;
    let (tx_, anchor) = if x > 300.0 {
        (x + r, "end")
    } else if x < 100.0 {
        (x - r, "start")
    } else {
        (x, "middle")
    };
    html! {
        <g class={classes!("px-node", role, (phase == "done").then_some("done"))} data-node={n.node.0.to_string()}
            data-role={role} data-phase={phase} data-promised={ballot_hook(n.promised)}
            data-learned={learned.to_string()} aria-label={label}>
            <circle cx={num(x)} cy={num(y)} r={num(r)} />
            if learned {
                <circle class="px-learned-ring" cx={num(x)} cy={num(y)} r={num(r + 4.0)} />
            }
            <text class="px-node-name" x={num(x)} y={num(y + 1.0)}>{ n.node.to_string() }</text>
            if let Some((first, second)) = badge {
                <text class={classes!("px-badge", phase)} x={num(tx_)} y={num(y - r - if second.is_some() { 18.0 } else { 7.0 })} text-anchor={anchor}>{ first }</text>
                if let Some(second) = second {
                    <text class={classes!("px-badge", "votes", phase)} x={num(tx_)} y={num(y - r - 7.0)} text-anchor={anchor}>{ second }</text>
                }
            }
            <text class="px-acc" x={num(tx_)} y={num(below)} text-anchor={anchor}>{ promised }</text>
            if let Some((line, value)) = accepted {
                <text class="px-acc accepted" x={num(tx_)} y={num(below + 11.0)} text-anchor={anchor}>{ line }</text>
                if let Some(value) = value {
                    <text class="px-acc value" x={num(tx_)} y={num(below + 22.0)} text-anchor={anchor}>{ value }</text>
                }
            }
        </g>
    }
}

/// A ballot in a hook: `round.proposer`, `0.0` for none.
pub fn ballot_hook(b: crate::sim::paxos::Ballot) -> String {
    format!("{}.{}", b.round, b.proposer.0)
}
