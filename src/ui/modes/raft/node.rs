//! One server drawn in the cluster: its role by colour, by shape and by a word, its term,
//! its vote. Memoized: it re-renders only when its own view changes.

use crate::ui::i18n::{t, tf, use_lang};
use crate::ui::modes::raft::view::NodeView;
use crate::ui::shell::geometry::{node_center, node_radius, num};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NodeProps {
    pub node: NodeView,
    pub count: u32,
    pub selected: bool,
}

#[function_component(NodeGlyph)]
pub fn node_glyph(props: &NodeProps) -> Html {
    use_lang();
    let n = &props.node;
    let (x, y) = node_center(n.id.slot(), props.count);
    let r = node_radius(props.count);
    // What the node shows, in the order it is drawn; each text ends in a space (invisible at
    // the end of an SVG text) so that the words stay apart when read as one string.
    let crashed = n.role == "crashed";
    let role_text = if crashed {
        format!("{} {} ", n.id, n.role_label)
    } else if n.member == "learner" {
        format!("{} ", t("node.learner"))
    } else if n.member == "out" {
        format!("{} ({}) ", t("node.removed"), n.role_label)
    } else {
        format!("{} ", n.role_label)
    };
    let vote_text = n
        .voted_for
        .filter(|_| n.role != "leader" && !crashed)
        .map(|v| tf("node.voted", &[("node", &v)]) + " ");
    let group_text = n.group.map(|g| group_letter(g) + " ");
    let mut shown = String::new();
    if !crashed {
        shown += &format!("{} T{} ", n.id, n.term);
    }
    shown += &role_text;
    shown += vote_text.as_deref().unwrap_or_default();
    shown += group_text.as_deref().unwrap_or_default();
    if let Some(c) = &n.config {
        shown += &tf("node.config", &[("config", c)]);
    }
    let sentence = match n.voted_for {
        _ if n.role == "crashed" => tf(
            "node.label_down",
            &[("node", &n.id), ("role", &n.role_label)],
        ),
        Some(v) => tf(
            "node.label_voted",
            &[
                ("node", &n.id),
                ("role", &n.role_label),
                ("term", &n.term),
                ("vote", &v),
            ],
        ),
        None => tf(
            "node.label",
            &[("node", &n.id), ("role", &n.role_label), ("term", &n.term)],
        ),
    };
    // The accessible name starts with the visible words (so that voice control finds the node
    // by what it shows), then says them as a sentence.
    let label = format!("{} — {sentence}", shown.trim_end());
    let class = classes!(
        "node",
        format!("role-{}", n.role),
        (n.member != "voter").then(|| format!("member-{}", n.member)),
        props.selected.then_some("selected"),
        n.offending.then_some("offending"),
    );
    let shape = match n.role {
        "leader" => html! {
            <>
                <circle class="halo" r={num(r + 11.0)} />
                <circle class="body" r={num(r)} />
                <path class="crown" d={format!("M-12.5 {} l5 -9 l5 6 l5 -6 l5 9 z", num(-r - 4.0))} />
            </>
        },
        "candidate" => html! {
            <>
                <circle class="ring" r={num(r + 11.0)} />
                <circle class="body" r={num(r)} />
            </>
        },
        "crashed" => html! {
            <>
                <circle class="body" r={num(r)} />
                <path class="cross" d={format!("M{a} {a} L{b} {b} M{a} {b} L{b} {a}", a = num(-r * 0.55), b = num(r * 0.55))} />
            </>
        },
        _ => html! { <circle class="body" r={num(r)} /> },
    };
    let big = r >= 26.0;
    html! {
        <g class={class} transform={format!("translate({} {})", num(x), num(y))}
           data-node={n.id.0.to_string()} data-role={n.role} data-term={n.term.to_string()}
           data-member={n.member} data-config={n.config.clone()}
           tabindex="0" role="button" aria-label={label} aria-pressed={props.selected.to_string()}>
            <title>{ tf("node.title", &[("node", &n.id)]) }</title>
            { shape }
            // Once the membership changed: the configuration this server uses, above it.
            if let Some(c) = &n.config {
                <text class="conf" y={num(-r - 21.0)}>{ format!("{c} ") }</text>
            }
            if n.role != "crashed" {
                <text class="name" y={if big { "-3" } else { "-1" }}>{ format!("{} ", n.id) }</text>
                <text class="term" y={if big { "13" } else { "11" }}>{ format!("T{} ", n.term) }</text>
            }
            // A crashed node's name is hidden under the cross: say it under the node.
            <text class="role" y={num(r + 22.0)}>{ role_text }</text>
            if let Some(vote) = vote_text {
                <text class="vote" y={num(r + 34.0)}>{ vote }</text>
            }
            if let Some(group) = group_text {
                <text class="group" x={num(-r * 0.95)} y={num(-r * 0.8)}>{ group }</text>
            }
        </g>
    }
}

/// Partition groups are named A, B, C on the page.
pub fn group_letter(g: u32) -> String {
    char::from_u32('A' as u32 + g.min(25))
        .unwrap_or('?')
        .to_string()
}
