//! The node inspector: volatile state, what is on its disk, its key-value state machine and
//! its links (cut or repair each direction).

use crate::sim::Action;
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::modes::raft::view::InspectorView;
use crate::ui::store::msg::Msg;
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
    use_lang();
    let Some(n) = props.node.as_ref() else {
        return html! { <p class="muted">{ tx("inspector.empty") }</p> };
    };
    let act = |action: Action| {
        let cb = props.on_msg.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Msg::Act(action.clone())))
    };
    let timer = match n.election_fires_us {
        Some(at) if n.up => tf(
            "inspector.timer_fires",
            &[
                ("time", &crate::ui::shell::format::ms(at)),
                (
                    "left",
                    &crate::ui::shell::format::ms(at.saturating_sub(props.now_us)),
                ),
            ],
        ),
        _ => t("inspector.timer_off").to_string(),
    };
    html! {
        <div class="inspector" data-testid="inspector" data-inspect={n.id.0.to_string()}>
            <div class="columns">
                <section>
                    <h3>{ if n.up { tx("inspector.memory") } else { tx("inspector.memory_lost") } }</h3>
                    <dl>
                        <dt>{ tx("inspector.role") }</dt><dd>{ n.role_label }</dd>
                        <dt>{ "currentTerm" }</dt><dd>{ n.term }</dd>
                        <dt>{ "votedFor" }</dt><dd>{ crate::ui::shell::format::opt_node(n.voted_for) }</dd>
                        <dt>{ tx("inspector.leader") }</dt><dd>{ crate::ui::shell::format::opt_node(n.leader) }</dd>
                        <dt>{ tx("inspector.log") }</dt><dd>{ format!("1..{}", n.last_index) }</dd>
                        <dt>{ "commitIndex" }</dt><dd>{ n.commit }</dd>
                        <dt>{ "lastApplied" }</dt><dd>{ n.applied }</dd>
                        <dt>{ tx("inspector.timer") }</dt><dd>{ timer }</dd>
                    </dl>
                </section>
                <section>
                    <h3>{ tx("inspector.disk") }</h3>
                    <dl>
                        <dt>{ tx("inspector.term") }</dt><dd>{ n.disk_term }</dd>
                        <dt>{ tx("inspector.vote") }</dt><dd>{ crate::ui::shell::format::opt_node(n.disk_vote) }</dd>
                        <dt>{ tx("inspector.log") }</dt><dd>{ tf("inspector.up_to", &[("index", &n.disk_entries)]) }</dd>
                        <dt>{ tx("inspector.snapshot") }</dt><dd>{ n.disk_snapshot.map_or_else(|| t("inspector.none").to_string(), |(i, term)| tf("inspector.snapshot_up_to", &[("index", &i), ("term", &term)])) }</dd>
                        <dt>{ tx("inspector.wal") }</dt><dd>{ if n.disk_unsynced { tf("inspector.wal_unsynced", &[("count", &n.wal_records)]) } else { tf("inspector.wal_synced", &[("count", &n.wal_records)]) } }</dd>
                    </dl>
                </section>
                <section>
                    <h3>{ tx("inspector.state_machine") }</h3>
                    if n.kv.is_empty() {
                        <p class="muted">{ tx("kv.empty") }</p>
                    } else {
                        <dl>{ for n.kv.iter().map(|(k, v)| html! { <><dt>{ k.clone() }</dt><dd>{ v.clone() }</dd></> }) }</dl>
                    }
                </section>
            </div>
            <h3>{ tx("inspector.links") }</h3>
            <ul class="links-list">
                { for n.links.iter().map(|(peer, out_ok, in_ok)| {
                    let me = n.id;
                    html! {
                        <li key={peer.0}>
                            <span class="peer">{ format!("{me} → {peer}") }</span>
                            if *out_ok {
                                <button class="small" data-action="cut" data-peer={peer.0.to_string()} onclick={act(Action::Cut { from: me, to: *peer, both: false })}>{ tx("inspector.cut") }</button>
                            } else {
                                <button class="small on" data-action="repair" data-peer={peer.0.to_string()} onclick={act(Action::Repair { from: me, to: *peer, both: false })}>{ tx("inspector.repair") }</button>
                            }
                            <span class="peer">{ format!("{peer} → {me}") }</span>
                            if *in_ok {
                                <button class="small" onclick={act(Action::Cut { from: *peer, to: me, both: false })}>{ tx("inspector.cut") }</button>
                            } else {
                                <button class="small on" onclick={act(Action::Repair { from: *peer, to: me, both: false })}>{ tx("inspector.repair") }</button>
                            }
                            <button class="small" data-action="cut-both" data-peer={peer.0.to_string()} onclick={act(Action::Cut { from: me, to: *peer, both: true })}>{ tx("inspector.cut_both") }</button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
