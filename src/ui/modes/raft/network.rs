//! Network and protocol settings: cluster size and seed, loss, duplication, latency,
//! election timeout and heartbeat, PreVote and CheckQuorum, the broken-Raft switches, and a
//! custom split of the cluster into groups.

use crate::sim::net::NetConfig;
use crate::sim::raft::settings::{NODES_MAX, NODES_MIN};
use crate::sim::raft::RaftConfig;
use crate::sim::types::NodeId;
use crate::sim::Action;
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::modes::raft::node::group_letter;
use crate::ui::store::msg::Msg;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NetworkProps {
    pub node_count: u32,
    /// Ids up to this one are drawn (servers added since the start included).
    pub layout: u32,
    pub seed: u64,
    pub network: NetConfig,
    pub raft: RaftConfig,
    pub on_msg: Callback<Msg>,
}

fn num(r: &NodeRef) -> Option<f64> {
    r.cast::<HtmlInputElement>()
        .map(|i| i.value_as_number())
        .filter(|v| v.is_finite() && *v >= 0.0)
}

fn checked(r: &NodeRef) -> bool {
    r.cast::<HtmlInputElement>().is_some_and(|i| i.checked())
}

#[function_component(Network)]
pub fn network(props: &NetworkProps) -> Html {
    use_lang();
    let loss = use_node_ref();
    let dup = use_node_ref();
    let lat_min = use_node_ref();
    let lat_max = use_node_ref();
    let el_min = use_node_ref();
    let el_max = use_node_ref();
    let hb = use_node_ref();
    let pre_vote = use_node_ref();
    let check_quorum = use_node_ref();
    let joint = use_node_ref();
    let bug_commit = use_node_ref();
    let bug_vote = use_node_ref();
    let bug_forget = use_node_ref();
    let groups = use_state(|| vec![0u32; NODES_MAX as usize]);

    let on_nodes = {
        let cb = props.on_msg.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(n) = s.value().parse::<u32>() {
                cb.emit(Msg::SetNodes(n.clamp(NODES_MIN.max(3), NODES_MAX)));
            }
        })
    };
    let on_seed = {
        let cb = props.on_msg.clone();
        let seed = props.seed;
        Callback::from(move |_: MouseEvent| {
            cb.emit(Msg::NewSeed(
                seed.wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407)
                    >> 16,
            ))
        })
    };
    let on_net = {
        let cb = props.on_msg.clone();
        let base = props.network.clone();
        let (loss, dup, lat_min, lat_max) =
            (loss.clone(), dup.clone(), lat_min.clone(), lat_max.clone());
        Callback::from(move |_: MouseEvent| {
            let mut network = base.clone();
            if let Some(v) = num(&loss) {
                network.loss_ppm = (v.min(100.0) * 10_000.0) as u32;
            }
            if let Some(v) = num(&dup) {
                network.duplicate_ppm = (v.min(100.0) * 10_000.0) as u32;
            }
            if let Some(v) = num(&lat_min) {
                network.latency_us_min = (v.min(60_000.0) * 1000.0) as u64;
            }
            if let Some(v) = num(&lat_max) {
                network.latency_us_max = (v.min(60_000.0) * 1000.0) as u64;
            }
            if network.latency_us_min > network.latency_us_max {
                network.latency_us_max = network.latency_us_min;
            }
            cb.emit(Msg::Act(Action::SetNetwork { network }));
        })
    };
    let on_raft = {
        let cb = props.on_msg.clone();
        let base = props.raft.clone();
        let refs = (
            el_min.clone(),
            el_max.clone(),
            hb.clone(),
            pre_vote.clone(),
            check_quorum.clone(),
            joint.clone(),
            bug_commit.clone(),
            bug_vote.clone(),
            bug_forget.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (el_min, el_max, hb, pv, cq, jc, b1, b2, b3) = &refs;
            let mut raft = base.clone();
            if let Some(v) = num(el_min) {
                raft.election_timeout_us_min = ((v * 1000.0) as u64).max(1000);
            }
            if let Some(v) = num(el_max) {
                raft.election_timeout_us_max = ((v * 1000.0) as u64).max(1000);
            }
            if let Some(v) = num(hb) {
                raft.heartbeat_interval_us = ((v * 1000.0) as u64).max(1000);
            }
            if raft.election_timeout_us_min > raft.election_timeout_us_max {
                raft.election_timeout_us_max = raft.election_timeout_us_min;
            }
            raft.pre_vote = checked(pv);
            raft.check_quorum = checked(cq);
            raft.joint_consensus = checked(jc);
            raft.bugs.commit_previous_term_by_count = checked(b1);
            raft.bugs.vote_without_log_check = checked(b2);
            raft.bugs.forget_vote_on_restart = checked(b3);
            cb.emit(Msg::Act(Action::SetRaft { raft }));
        })
    };
    let on_split = {
        let cb = props.on_msg.clone();
        let groups = groups.clone();
        let n = props.layout;
        Callback::from(move |_: MouseEvent| {
            let mut split: Vec<Vec<NodeId>> = vec![Vec::new(); 3];
            for i in 0..n {
                let g = groups.get(i as usize).copied().unwrap_or(0).min(2) as usize;
                split[g].push(NodeId(i + 1));
            }
            split.retain(|g| !g.is_empty());
            cb.emit(Msg::Act(Action::Partition { groups: split }));
        })
    };
    let n = &props.network;
    let r = &props.raft;
    let ms = |us: u64| us.div_ceil(1000).to_string();
    let pct = |ppm: u32| (ppm / 10_000).to_string();
    html! {
        <div class="settings">
            <section>
                <h3>{ tx("settings.cluster") }</h3>
                <div class="grid">
                    <label>{ tx("settings.servers") }
                        <select data-action="set-nodes" onchange={on_nodes}>
                            { for (3..=NODES_MAX).map(|i| html! { <option value={i.to_string()} selected={i == props.node_count}>{ i }</option> }) }
                        </select>
                    </label>
                    <span>{ tf("settings.seed", &[("seed", &props.seed)]) }</span>
                    <button data-action="new-seed" onclick={on_seed} title={t("settings.new_run_title")}>{ tx("settings.new_run") }</button>
                </div>
                <p class="muted">{ tx("settings.new_run_hint") }</p>
            </section>
            <section>
                <h3>{ tx("settings.split") }</h3>
                <div class="grid groups">
                    { for (0..props.layout).map(|i| {
                        let groups2 = groups.clone();
                        let onchange = Callback::from(move |e: Event| {
                            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
                            let mut g = (*groups2).clone();
                            if let (Some(slot), Ok(v)) = (g.get_mut(i as usize), s.value().parse::<u32>()) {
                                *slot = v;
                            }
                            groups2.set(g);
                        });
                        let current = groups.get(i as usize).copied().unwrap_or(0);
                        html! {
                            <label>{ tf("settings.split_node", &[("node", &format!("S{}", i + 1))]) }
                                <select data-group-node={(i + 1).to_string()} {onchange}>
                                    { for (0..3u32).map(|g| html! { <option value={g.to_string()} selected={g == current}>{ group_letter(g) }</option> }) }
                                </select>
                            </label>
                        }
                    }) }
                </div>
                <button data-action="partition" data-preset="custom" onclick={on_split}>{ tx("settings.apply_split") }</button>
            </section>
            <section>
                <h3>{ tx("settings.network") }</h3>
                <div class="grid">
                    <label>{ tx("settings.loss") }<input ref={loss} type="number" min="0" max="100" step="1" value={pct(n.loss_ppm)} data-field="loss" /></label>
                    <label>{ tx("settings.duplication") }<input ref={dup} type="number" min="0" max="100" step="1" value={pct(n.duplicate_ppm)} data-field="duplicate" /></label>
                    <label>{ tx("settings.latency_min") }<input ref={lat_min} type="number" min="0" step="1" value={ms(n.latency_us_min)} data-field="latency-min" /></label>
                    <label>{ tx("settings.latency_max") }<input ref={lat_max} type="number" min="0" step="1" value={ms(n.latency_us_max)} data-field="latency-max" /></label>
                </div>
                <button data-action="set-network" onclick={on_net}>{ tx("settings.apply_network") }</button>
            </section>
            <section>
                <h3>{ "Raft" }</h3>
                <div class="grid">
                    <label>{ tx("settings.election_min") }<input ref={el_min} type="number" min="1" step="1" value={ms(r.election_timeout_us_min)} data-field="election-min" /></label>
                    <label>{ tx("settings.election_max") }<input ref={el_max} type="number" min="1" step="1" value={ms(r.election_timeout_us_max)} data-field="election-max" /></label>
                    <label>{ tx("settings.heartbeat") }<input ref={hb} type="number" min="1" step="1" value={ms(r.heartbeat_interval_us)} data-field="heartbeat" /></label>
                    <label class="check"><input ref={pre_vote} type="checkbox" checked={r.pre_vote} data-field="pre-vote" />{ "PreVote" }</label>
                    <label class="check"><input ref={check_quorum} type="checkbox" checked={r.check_quorum} data-field="check-quorum" />{ "CheckQuorum" }</label>
                    <label class="check" title={t("settings.joint_title")}><input ref={joint} type="checkbox" checked={r.joint_consensus} data-field="joint-consensus" />{ tx("settings.joint") }</label>
                </div>
                <h4>{ tx("settings.bugs") }</h4>
                <div class="grid">
                    <label class="check"><input ref={bug_commit} type="checkbox" checked={r.bugs.commit_previous_term_by_count} data-field="bug-commit-previous-term" />{ tx("settings.bug_commit") }</label>
                    <label class="check"><input ref={bug_vote} type="checkbox" checked={r.bugs.vote_without_log_check} data-field="bug-vote-without-log-check" />{ tx("settings.bug_vote") }</label>
                    <label class="check"><input ref={bug_forget} type="checkbox" checked={r.bugs.forget_vote_on_restart} data-field="bug-forget-vote" />{ tx("settings.bug_forget") }</label>
                </div>
                <button data-action="set-raft" onclick={on_raft}>{ tx("settings.apply_raft") }</button>
            </section>
        </div>
    }
}
