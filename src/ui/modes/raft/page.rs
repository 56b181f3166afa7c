//! The Raft and Log replay modes' page: the cluster stage beside the lesson, the node
//! controls and the tabbed panels (logs, node, disks, events, network, diagram, messages).

use super::controls::Controls;
use super::disks::Disks;
use super::inspector::Inspector;
use super::legend::Legend;
use super::logs::Logs;
use super::network::Network;
use super::view::RaftView;
use crate::sim::types::{Micros, MsgId, NodeId};
use crate::ui::i18n::t;
use crate::ui::lesson::LessonView;
use crate::ui::modes::raft::cluster::Cluster;
use crate::ui::shell::animator::Surfaces;
use crate::ui::shell::diagram::Diagram;
use crate::ui::shell::drag::use_node_drag;
use crate::ui::shell::events::Events;
use crate::ui::shell::messages::{MessageCard, Messages};
use crate::ui::store::model::Tab;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RaftPageProps {
    pub view: Rc<RaftView>,
    pub now_us: Micros,
    pub lesson: Option<Rc<LessonView>>,
    pub surfaces: Surfaces,
    /// In a docs page's iframe: the cluster only, sized to the frame.
    pub embed: bool,
    pub on_msg: Callback<Msg>,
}

#[function_component(RaftPage)]
pub fn raft_page(props: &RaftPageProps) -> Html {
    let view = &props.view;
    let now_us = props.now_us;
    let surfaces = &props.surfaces;
    let on_msg = props.on_msg.clone();
    let drag = use_node_drag(on_msg.clone(), view.layout);
    // Clicking the stage selects the message under the pointer, else the node.
    let on_stage_click = {
        let on_msg = on_msg.clone();
        let swallow_click = drag.swallow_click.clone();
        Callback::from(move |e: MouseEvent| {
            if swallow_click.replace(false) {
                return;
            }
            let target = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let message = target
                .as_ref()
                .and_then(|t| t.closest("[data-msg]").ok().flatten())
                .and_then(|m| m.get_attribute("data-msg"))
                .and_then(|v| v.parse::<u64>().ok());
            if let Some(id) = message {
                on_msg.emit(Msg::SelectMessage(Some(MsgId(id))));
                return;
            }
            let node = target
                .and_then(|t| t.closest("[data-node]").ok().flatten())
                .and_then(|n| n.get_attribute("data-node"))
                .and_then(|v| v.parse::<u32>().ok());
            if let Some(n) = node {
                on_msg.emit(Msg::Select(Some(NodeId(n))));
            }
        })
    };
    let on_stage_key = {
        let on_msg = on_msg.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" && e.key() != " " {
                return;
            }
            let node = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|n| n.get_attribute("data-node"))
                .and_then(|v| v.parse::<u32>().ok());
            if let Some(n) = node {
                e.prevent_default();
                e.stop_propagation();
                on_msg.emit(Msg::Select(Some(NodeId(n))));
            }
        })
    };
    let tab_button = |tab: Tab| {
        let on_msg = on_msg.clone();
        let active = view.tab == tab;
        html! {
            <button role="tab" class={classes!("tab", active.then_some("active"))} aria-selected={active.to_string()}
                    aria-controls={format!("panel-{}", tab.id())} id={format!("tab-{}", tab.id())} data-tab={tab.id()}
                    onclick={Callback::from(move |_: MouseEvent| on_msg.emit(Msg::SetTab(tab)))}>
                { tab.label() }
            </button>
        }
    };
    let panel = match view.tab {
        Tab::Disks => html! {
            <Disks disks={view.disks.clone()} target={view.target} disk_config={view.disk_config.clone()}
                raft={view.raft.clone()} chart={view.recovery_chart.clone()} on_msg={on_msg.clone()} />
        },
        Tab::Logs => html! { <Logs logs={view.logs.clone()} /> },
        Tab::Node => {
            html! { <Inspector node={view.inspector.clone()} now_us={now_us} on_msg={on_msg.clone()} /> }
        }
        Tab::Events => {
            html! { <Events events={view.events.clone()} filter={view.filter.clone()} node_count={view.layout} on_msg={on_msg.clone()} /> }
        }
        Tab::Network => {
            html! { <Network node_count={view.node_count} layout={view.layout} seed={view.seed} network={view.network.clone()} raft={view.raft.clone()} on_msg={on_msg.clone()} /> }
        }
        Tab::Diagram => {
            html! { <Diagram diagram={view.diagram.clone()} on_msg={on_msg.clone()} /> }
        }
        Tab::Messages => {
            html! { <Messages flights={view.flights.clone()} selected={view.selected_msg} on_msg={on_msg.clone()} /> }
        }
    };
    let card = view
        .selected_msg
        .and_then(|id| view.flights.iter().find(|f| f.id == id).cloned());
    let stage = html! {
        <div class="stage" onclick={on_stage_click} onkeydown={on_stage_key}
            onpointerdown={drag.onpointerdown} onpointermove={drag.onpointermove}
            onpointerup={drag.onpointerup} onpointercancel={drag.onpointercancel}>
            <Cluster nodes={view.nodes.clone()} selected={view.selected} links={view.links.clone()}
                layout={view.layout} majority={view.majority.clone()} />
            <canvas class="timers" ref={surfaces.canvas.clone()} aria-hidden="true"></canvas>
            <div class="msgs" role="group" ref={surfaces.layer.clone()} aria-label={t("stage.messages_label")}></div>
            <svg class="drag-layer" viewBox="0 0 400 400" aria-hidden="true" ref={drag.overlay}>
                <line visibility="hidden" />
            </svg>
        </div>
    };
    if props.embed {
        return html! {
            <>
                <div class="stage-col">{ stage }</div>
                if let Some(f) = card {
                    <MessageCard flight={f} on_msg={on_msg.clone()} />
                }
            </>
        };
    }
    html! {
        <main class="main">
            <section class="stage-col" aria-label={t("stage.label")}>
                { stage }
                if let Some(f) = card {
                    <MessageCard flight={f} on_msg={on_msg.clone()} />
                }
            </section>
            <section class="side">
                if let Some(l) = props.lesson.clone() {
                    { crate::ui::lesson::panel(l, &on_msg) }
                }
                <Controls target={view.target} selected={view.selected.is_some()} nodes={view.nodes.clone()} leader={view.leader}
                    spare={view.spare} partitioned={view.partitioned} cuts={view.cuts} on_msg={on_msg.clone()} />
                <div class="tabs card">
                    <div class="tablist" role="tablist" aria-label={t("tabs.label")}>
                        { for Tab::ALL.iter().map(|t| tab_button(*t)) }
                    </div>
                    <div class="panel" role="tabpanel" id={format!("panel-{}", view.tab.id())} aria-labelledby={format!("tab-{}", view.tab.id())}>
                        { panel }
                    </div>
                </div>
            </section>
            <Legend />
        </main>
    }
}
