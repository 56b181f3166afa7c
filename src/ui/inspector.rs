//! The node inspector: volatile state, what is on its disk, its key-value state machine and
//! its links (cut or repair each direction).

use super::format;
use super::state::Msg;
use super::view::InspectorView;
use crate::sim::Action;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub node: Option<Rc<InspectorView>>,
    pub now_us: u64,
    pub on_msg: Callback<Msg>,
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let Some(n) = props.node.as_ref() else {
        return html! { <p class="muted">{ "Click a node to inspect it." }</p> };
    };
    let act = |action: Action| {
        let cb = props.on_msg.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Msg::Act(action.clone())))
    };
    let timer = match n.election_fires_us {
        Some(t) if n.up => format!(
            "fires at {} (in {})",
            format::ms(t),
            format::ms(t.saturating_sub(props.now_us))
        ),
        _ => "not armed".to_string(),
    };
    html! {
        <div class="inspector" data-testid="inspector" data-inspect={n.id.0.to_string()}>
            <div class="columns">
                <section>
                    <h3>{ "In memory" }{ if n.up { "" } else { " (lost: crashed)" } }</h3>
                    <dl>
                        <dt>{ "role" }</dt><dd>{ n.role_label }</dd>
                        <dt>{ "currentTerm" }</dt><dd>{ n.term }</dd>
                        <dt>{ "votedFor" }</dt><dd>{ format::opt_node(n.voted_for) }</dd>
                        <dt>{ "leader" }</dt><dd>{ format::opt_node(n.leader) }</dd>
                        <dt>{ "log" }</dt><dd>{ format!("1..{}", n.last_index) }</dd>
                        <dt>{ "commitIndex" }</dt><dd>{ n.commit }</dd>
                        <dt>{ "lastApplied" }</dt><dd>{ n.applied }</dd>
                        <dt>{ "election timer" }</dt><dd>{ timer }</dd>
                    </dl>
                </section>
                <section>
                    <h3>{ "On disk" }</h3>
                    <dl>
                        <dt>{ "term" }</dt><dd>{ n.disk_term }</dd>
                        <dt>{ "vote" }</dt><dd>{ format::opt_node(n.disk_vote) }</dd>
                        <dt>{ "log" }</dt><dd>{ format!("up to {}", n.disk_entries) }</dd>
                        <dt>{ "snapshot" }</dt><dd>{ n.disk_snapshot.map_or_else(|| "none".to_string(), |(i, t)| format!("up to {i} (term {t})")) }</dd>
                        <dt>{ "WAL records" }</dt><dd>{ format!("{}{}", n.wal_records, if n.disk_unsynced { ", some not synced" } else { ", all synced" }) }</dd>
                    </dl>
                </section>
                <section>
                    <h3>{ "State machine" }</h3>
                    if n.kv.is_empty() {
                        <p class="muted">{ "empty" }</p>
                    } else {
                        <dl>{ for n.kv.iter().map(|(k, v)| html! { <><dt>{ k.clone() }</dt><dd>{ v.clone() }</dd></> }) }</dl>
                    }
                </section>
            </div>
            <h3>{ "Links" }</h3>
            <ul class="links-list">
                { for n.links.iter().map(|(peer, out_ok, in_ok)| {
                    let me = n.id;
                    html! {
                        <li key={peer.0}>
                            <span class="peer">{ format!("{me} → {peer}") }</span>
                            if *out_ok {
                                <button class="small" data-action="cut" data-peer={peer.0.to_string()} onclick={act(Action::Cut { from: me, to: *peer, both: false })}>{ "cut" }</button>
                            } else {
                                <button class="small on" data-action="repair" data-peer={peer.0.to_string()} onclick={act(Action::Repair { from: me, to: *peer, both: false })}>{ "repair" }</button>
                            }
                            <span class="peer">{ format!("{peer} → {me}") }</span>
                            if *in_ok {
                                <button class="small" onclick={act(Action::Cut { from: *peer, to: me, both: false })}>{ "cut" }</button>
                            } else {
                                <button class="small on" onclick={act(Action::Repair { from: *peer, to: me, both: false })}>{ "repair" }</button>
                            }
                            <button class="small" data-action="cut-both" data-peer={peer.0.to_string()} onclick={act(Action::Cut { from: me, to: *peer, both: true })}>{ "cut both ways" }</button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
