//! Actions on the selected node (crash, restart, timeout, client request, leadership transfer)
//! and the network presets (isolate the leader, leader with a minority, heal).

use crate::sim::disk::CrashMode;
use crate::sim::raft::Command;
use crate::sim::types::NodeId;
use crate::sim::Action;
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::modes::raft::view::NodeView;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub target: NodeId,
    pub selected: bool,
    pub nodes: Rc<Vec<NodeView>>,
    pub leader: Option<NodeId>,
    /// The server "Add server" brings in, if a spare is left.
    pub spare: Option<NodeId>,
    pub partitioned: bool,
    pub cuts: usize,
    pub on_msg: Callback<Msg>,
}

/// The groups of a partition preset, or None when it needs a leader and there is none.
pub fn preset_groups(
    preset: &str,
    nodes: &[NodeView],
    leader: Option<NodeId>,
    target: NodeId,
) -> Option<Vec<Vec<NodeId>>> {
    let anchor = leader.unwrap_or(target);
    let n = nodes.len();
    match preset {
        "isolate-leader" => Some(vec![vec![anchor]]),
        "leader-minority" => {
            let minority = (n.saturating_sub(1) / 2).max(1);
            let mut group = vec![anchor];
            group.extend(
                nodes
                    .iter()
                    .map(|v| v.id)
                    .filter(|id| *id != anchor)
                    .take(minority - 1),
            );
            Some(vec![group])
        }
        "halves" => {
            let half = n / 2;
            Some(vec![nodes.iter().map(|v| v.id).take(half).collect()])
        }
        _ => None,
    }
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    use_lang();
    let op = use_state(|| "put".to_string());
    let key = use_state(|| "x".to_string());
    let value = use_state(|| 1u32);
    let target = props.target;
    let node = props.nodes.iter().find(|n| n.id == target).cloned();
    let up = node.as_ref().is_some_and(|n| n.role != "crashed");
    let act = |action: Action| {
        let cb = props.on_msg.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Msg::Act(action.clone())))
    };
    let on_request = {
        let cb = props.on_msg.clone();
        let (op, key, value) = (op.clone(), key.clone(), value.clone());
        Callback::from(move |_: MouseEvent| {
            let k = if key.trim().is_empty() {
                "x".to_string()
            } else {
                key.trim().to_string()
            };
            let cmd = match op.as_str() {
                "get" => Command::Get { key: k },
                "delete" => Command::Delete { key: k },
                _ => Command::Put {
                    key: k,
                    value: value.to_string(),
                },
            };
            cb.emit(Msg::Act(Action::Request { node: target, cmd }));
            if op.as_str() == "put" {
                value.set(*value + 1);
            }
        })
    };
    let on_op = {
        let op = op.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            op.set(s.value());
        })
    };
    let on_key = {
        let key = key.clone();
        Callback::from(move |e: InputEvent| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            key.set(i.value());
        })
    };
    let on_value = {
        let value = value.clone();
        Callback::from(move |e: InputEvent| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = i.value().trim().parse() {
                value.set(v);
            }
        })
    };
    let preset = |name: &'static str| {
        let groups = preset_groups(name, &props.nodes, props.leader, target);
        let cb = props.on_msg.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(groups) = groups.clone() {
                cb.emit(Msg::Act(Action::Partition { groups }));
            }
        })
    };
    let title = match &node {
        Some(n) if props.selected => tf(
            "controls.target",
            &[("node", &n.id), ("role", &n.role_label)],
        ),
        Some(n) => tf(
            "controls.target_hint",
            &[("node", &n.id), ("role", &n.role_label)],
        ),
        None => target.to_string(),
    };
    html! {
        <section class="controls card" aria-label={t("controls.label")}>
            <div class="row">
                <h2 class="target" data-testid="target" data-target={target.0.to_string()}>{ title }</h2>
            </div>
            <div class="row buttons">
                if up {
                    <button class="danger" data-action="crash" onclick={act(Action::Crash { node: target, mode: CrashMode::Clean })}
                            title={t("controls.crash_title")}>{ tx("controls.crash") }</button>
                } else {
                    <button data-action="restart" onclick={act(Action::Restart { node: target })}
                            title={t("controls.restart_title")}>{ tx("controls.restart") }</button>
                }
                <button data-action="timeout" disabled={!up} onclick={act(Action::Timeout { node: target })}
                        title={t("controls.timeout_title")}>{ tx("controls.timeout") }</button>
                <button data-action="transfer" disabled={!up || props.leader.is_none() || props.leader == Some(target)}
                        onclick={act(Action::Transfer { to: target })} title={t("controls.transfer_title")}>{ tx("controls.transfer") }</button>
                <button data-action="snapshot" disabled={!up} onclick={act(Action::Snapshot { node: target })}
                        title={t("controls.snapshot_title")}>{ tx("controls.snapshot") }</button>
            </div>
            <div class="row request">
                <select aria-label={t("controls.op")} data-field="op" onchange={on_op}>
                    <option value="put" selected={*op == "put"}>{ "put" }</option>
                    <option value="get" selected={*op == "get"}>{ "get" }</option>
                    <option value="delete" selected={*op == "delete"}>{ "delete" }</option>
                </select>
                <input aria-label={t("controls.key")} data-field="key" size="4" value={(*key).clone()} oninput={on_key} />
                if *op == "put" {
                    <span aria-hidden="true">{ "=" }</span>
                    <input aria-label={t("controls.value")} data-field="value" size="4" inputmode="numeric" value={value.to_string()} oninput={on_value} />
                }
                <button data-action="request" onclick={on_request} title={t("controls.request_title")}>
                    { tf("controls.request", &[("node", &target)]) }
                </button>
            </div>
            <div class="row buttons">
                <span class="label">{ tx("controls.servers") }</span>
                <button data-action="add-server" disabled={props.spare.is_none()}
                        onclick={act(Action::AddServer { node: props.spare.unwrap_or(target) })} title={t("controls.add_server_title")}>
                    { tf("controls.add_server", &[("node", &props.spare.map_or(String::new(), |s| s.to_string()))]) }
                </button>
                <button data-action="remove-server" disabled={props.nodes.len() < 2}
                        onclick={act(Action::RemoveServer { node: target })} title={t("controls.remove_server_title")}>
                    { tf("controls.remove_server", &[("node", &target)]) }
                </button>
            </div>
            <div class="row buttons net">
                <span class="label">{ tx("controls.network") }</span>
                <button data-action="partition" data-preset="isolate-leader" onclick={preset("isolate-leader")}
                        title={t("controls.isolate_title")}>{ tx("controls.isolate") }</button>
                <button data-action="partition" data-preset="leader-minority" onclick={preset("leader-minority")}
                        title={t("controls.minority_title")}>{ tx("controls.minority") }</button>
                <button data-action="heal" disabled={!props.partitioned && props.cuts == 0}
                        onclick={act(Action::Heal)} title={t("controls.heal_title")}>{ tx("controls.heal") }</button>
            </div>
        </section>
    }
}
