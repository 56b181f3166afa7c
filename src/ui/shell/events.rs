//! The event log: the latest trace lines, filterable by node and kind; each line jumps to
//! its moment in time.

use crate::sim::types::{Micros, NodeId};
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::store::model::{EventFilter, KIND_GROUPS};
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

/// One line of the event log.
#[derive(Clone, Debug, PartialEq)]
pub struct EventLine {
    /// Position in the trace, a stable key.
    pub line: usize,
    pub t: Micros,
    pub kind: &'static str,
    pub node: Option<NodeId>,
    pub text: String,
}

#[derive(Properties, PartialEq)]
pub struct EventsProps {
    pub events: Rc<Vec<EventLine>>,
    pub filter: EventFilter,
    pub node_count: u32,
    pub on_msg: Callback<Msg>,
}

#[function_component(Events)]
pub fn events(props: &EventsProps) -> Html {
    use_lang();
    let on_node = {
        let (cb, f) = (props.on_msg.clone(), props.filter.clone());
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let node = s.value().parse::<u32>().ok().map(NodeId);
            cb.emit(Msg::SetFilter(EventFilter { node, ..f.clone() }));
        })
    };
    let on_kind = {
        let (cb, f) = (props.on_msg.clone(), props.filter.clone());
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            cb.emit(Msg::SetFilter(EventFilter {
                kind: s.value(),
                ..f.clone()
            }));
        })
    };
    html! {
        <div class="events">
            <div class="filters">
                <label>{ tx("events.node") }{ " " }
                    <select data-action="filter-node" onchange={on_node}>
                        <option value="" selected={props.filter.node.is_none()}>{ tx("events.all") }</option>
                        { for (1..=props.node_count).map(|i| html! {
                            <option value={i.to_string()} selected={props.filter.node == Some(NodeId(i))}>{ format!("S{i}") }</option>
                        }) }
                    </select>
                </label>
                <label>{ tx("events.kind") }{ " " }
                    <select data-action="filter-kind" onchange={on_kind}>
                        <option value="" selected={props.filter.kind.is_empty()}>{ tx("events.all") }</option>
                        { for KIND_GROUPS.iter().map(|(name, _)| html! {
                            <option value={*name} selected={props.filter.kind == *name}>{ kind_group_words(name) }</option>
                        }) }
                    </select>
                </label>
                <span class="muted">{ tf("events.latest", &[("count", &props.events.len())]) }</span>
            </div>
            <ol class="event-list" data-testid="event-log">
                { for props.events.iter().map(|e| {
                    let cb = props.on_msg.clone();
                    let t = e.t;
                    html! {
                        <li key={e.line} class={format!("ev ev-{}", e.kind)}>
                            <button class="linkish" data-action="seek-event" data-t={t.to_string()}
                                    onclick={Callback::from(move |_: MouseEvent| cb.emit(Msg::Seek(t)))}>
                                <time>{ crate::ui::shell::format::ms(e.t) }</time>
                                <span class="kind">{ e.kind }</span>
                                <span class="text">{ e.text.clone() }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}

/// A kind group of the filter (`KIND_GROUPS`) in words.
fn kind_group_words(name: &str) -> &'static str {
    match name {
        "messages" => t("events.kinds.messages"),
        "elections" => t("events.kinds.elections"),
        "log" => t("events.kinds.log"),
        "faults" => t("events.kinds.faults"),
        "clients" => t("events.kinds.clients"),
        "disk" => t("events.kinds.disk"),
        _ => t("events.kinds.no_messages"),
    }
}
