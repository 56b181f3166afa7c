//! The Paxos page's tables: the slot table (chosen by the acceptors' state, its value and
//! ballot, who learned it, who holds a proposal for it), each acceptor's promise and accepted
//! proposals per slot, and each proposer's ballot, phase and votes.

use super::stage::ballot_hook;
use super::view::{NodeView, PaxosView, SlotView};
use crate::sim::paxos::{Ballot, Variant};
use crate::ui::i18n::{t, tf, tx};
use yew::prelude::*;

fn names(nodes: &[crate::sim::types::NodeId]) -> String {
    if nodes.is_empty() {
        return t("px.table.nobody").to_string();
    }
    nodes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(t("list.separator"))
}

fn ballot_or_dash(b: Ballot) -> String {
    if b.round == 0 {
        "—".to_string()
    } else {
        b.to_string()
    }
}

fn slot_row(s: &SlotView) -> Html {
    let learned: Vec<_> = s.learned_by.clone();
    // Grouped by ballot: which acceptors hold the proposal of each.
    let mut ballots: Vec<Ballot> = s.accepted_by.iter().map(|(_, b)| *b).collect();
    ballots.sort_unstable();
    ballots.dedup();
    let accepted = ballots
        .iter()
        .rev()
        .map(|b| {
            let nodes: Vec<_> = s
                .accepted_by
                .iter()
                .filter(|(_, nb)| nb == b)
                .map(|(n, _)| *n)
                .collect();
            tf(
                "px.table.accepted_by",
                &[("ballot", b), ("nodes", &names(&nodes))],
            )
        })
        .collect::<Vec<_>>()
        .join(t("px.table.group_separator"));
    html! {
        <tr data-slot={s.slot.to_string()} data-chosen={s.chosen.is_some().to_string()}
            data-learned-by={learned.len().to_string()}>
            <th scope="row">{ s.slot }</th>
            <td class={classes!("px-chosen", s.chosen.is_none().then_some("muted"))} data-testid="px-chosen-value">
                { match &s.chosen {
                    Some((v, b)) => tf("px.table.chosen_value", &[("value", v), ("ballot", b)]),
                    None => t("px.table.not_chosen").to_string(),
                } }
            </td>
            <td data-testid="px-learned-by">{ names(&learned) }</td>
            <td class="px-accepted-by">{ if accepted.is_empty() { t("px.table.nobody").to_string() } else { accepted } }</td>
        </tr>
    }
}

/// The slot table: which slots are chosen, with which value, learned by whom.
pub fn slot_table(v: &PaxosView) -> Html {
    html! {
        <div class="card px-panel" data-testid="px-slots">
            <h2>{ if v.variant() == Variant::Single { tx("px.table.slots_single") } else { tx("px.table.slots") } }</h2>
            <p class="muted">{ tx("px.table.slots_hint") }</p>
            if v.slots.is_empty() {
                <p class="muted">{ tx("px.table.no_slots") }</p>
            } else {
                if v.slots_total > v.slots.len() {
                    <p class="muted">{ tf("px.table.slots_earlier", &[("count", &(v.slots_total - v.slots.len()))]) }</p>
                }
                <div class="px-scroll">
                    <table class="px-table">
                        <thead><tr>
                            <th scope="col">{ tx("px.table.slot") }</th>
                            <th scope="col">{ tx("px.table.chosen") }</th>
                            <th scope="col">{ tx("px.table.learned_by") }</th>
                            <th scope="col">{ tx("px.table.accepted_now") }</th>
                        </tr></thead>
                        <tbody>{ for v.slots.iter().map(slot_row) }</tbody>
                    </table>
                </div>
            }
        </div>
    }
}

fn acceptor_row(n: &NodeView, slots: &[SlotView], variant: Variant) -> Html {
    html! {
        <tr data-testid="px-acceptor" data-node-row={n.node.0.to_string()} data-up={n.up.to_string()}
            data-promised={ballot_hook(n.promised)}>
            <th scope="row">{ n.node.to_string() }</th>
            <td>{ if n.up { ballot_or_dash(n.promised) } else { t("px.table.crashed").to_string() } }</td>
            { for slots.iter().map(|s| {
                let cell = n.accepted.iter().find(|(slot, _, _)| *slot == s.slot);
                match cell {
                    Some((_, b, value)) => html! {
                        <td data-slot={s.slot.to_string()} data-ballot={ballot_hook(*b)} title={value.clone()}>
                            // In Multi-Paxos the slot table says each value; here the ballot.
                            { if variant == Variant::Single { tf("px.table.accepted_cell", &[("ballot", b), ("value", value)]) } else { b.to_string() } }
                        </td>
                    },
                    None => html! { <td data-slot={s.slot.to_string()} class="muted">{ "—" }</td> },
                }
            }) }
        </tr>
    }
}

/// Each acceptor's promise and what it accepted in the slots the slot table shows.
pub fn acceptor_table(v: &PaxosView) -> Html {
    html! {
        <div class="card px-panel" data-testid="px-acceptors">
            <h2>{ tx("px.table.acceptors") }</h2>
            <p class="muted">{ tx("px.table.acceptors_hint") }</p>
            <div class="px-scroll">
                <table class="px-table">
                    <thead><tr>
                        <th scope="col">{ tx("px.table.node") }</th>
                        <th scope="col">{ tx("px.table.promised") }</th>
                        { for v.slots.iter().map(|s| html! {
                            <th scope="col">{ tf("px.table.slot_n", &[("slot", &s.slot)]) }</th>
                        }) }
                    </tr></thead>
                    <tbody>{ for v.nodes.iter().map(|n| acceptor_row(n, &v.slots, v.variant())) }</tbody>
                </table>
            </div>
        </div>
    }
}

fn phase_words(n: &NodeView) -> String {
    let p = &n.proposer;
    match p.phase {
        "preparing" => tf(
            "px.phase.preparing",
            &[("votes", &p.votes), ("needed", &p.needed)],
        ),
        "accepting" => tf(
            "px.phase.accepting",
            &[
                ("votes", &p.votes),
                ("needed", &p.needed),
                ("value", &p.value.clone().unwrap_or_default()),
            ],
        ),
        "leading" => tf(
            "px.phase.leading",
            &[("pending", &p.pending), ("next", &p.next_slot)],
        ),
        "done" => t("px.phase.done").to_string(),
        _ if !n.up => t("px.table.crashed").to_string(),
        _ => t("px.phase.idle").to_string(),
    }
}

/// Each proposer's ballot and phase: the nodes that propose by themselves, and any other that
/// has tried.
pub fn proposer_table(v: &PaxosView) -> Html {
    let shown: Vec<&NodeView> = v
        .nodes
        .iter()
        .filter(|n| {
            n.proposes
                || n.proposer.ballot.is_some()
                || n.proposer.streak > 0
                || n.proposer.phase == "done"
        })
        .collect();
    html! {
        <div class="card px-panel" data-testid="px-proposers">
            <h2>{ tx("px.table.proposers") }</h2>
            <div class="px-scroll">
                <table class="px-table">
                    <thead><tr>
                        <th scope="col">{ tx("px.table.node") }</th>
                        <th scope="col">{ tx("px.table.ballot") }</th>
                        <th scope="col">{ tx("px.table.phase") }</th>
                        <th scope="col">{ tx("px.table.streak") }</th>
                    </tr></thead>
                    <tbody>
                        { for shown.iter().map(|n| html! {
                            <tr data-testid="px-proposer" data-node-row={n.node.0.to_string()} data-phase={n.proposer.phase}
                                data-streak={n.proposer.streak.to_string()}>
                                <th scope="row">{ n.node.to_string() }</th>
                                <td>{ n.proposer.ballot.map_or_else(|| "—".to_string(), |b| b.to_string()) }</td>
                                <td>{ phase_words(n) }</td>
                                <td>{ n.proposer.streak }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </div>
    }
}
