//! Two-phase commit controls: submit a transaction, "crash the coordinator before it decides",
//! crash and restart each node, make a participant vote no, cut the coordinator off and heal;
//! and the settings form (participants, clients, latency, loss, seed, the coordinator (one
//! node or a Raft group), the broken switches).
//! Every change of a setting is a new run; what cannot be read or is out of bounds becomes a
//! notice that names the field, never a panic.

use super::model::TwoPcMsg;
use super::view::TwoPcView;
use crate::sim::disk::CrashMode;
use crate::sim::engine::Fault;
use crate::sim::net::NetConfig;
use crate::sim::twopc::{write_every_shard, CoordinatorKind, TwoPcAction, TwoPcSettings};
use crate::sim::types::{NodeId, MICROS_PER_MS};
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::shell::fields::number_field;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

fn restart(settings: TwoPcSettings) -> Msg {
    Msg::TwoPc(TwoPcMsg::Restart(Box::new(settings)))
}

fn act(on_msg: &Callback<Msg>, action: TwoPcAction) -> Callback<MouseEvent> {
    on_msg.reform(move |_: MouseEvent| Msg::TwoPc(TwoPcMsg::Act(action.clone())))
}

/// A crash or restart button for `node`.
fn crash_button(on_msg: &Callback<Msg>, node: NodeId, up: bool) -> Html {
    if up {
        html! {
            <button class="danger" data-action="crash" data-node={node.0.to_string()}
                onclick={act(on_msg, TwoPcAction::Fault(Fault::Crash { node, mode: CrashMode::Clean }))}>
                { tf("tp.actions.crash", &[("node", &node)]) }
            </button>
        }
    } else {
        html! {
            <button data-action="restart" data-node={node.0.to_string()}
                onclick={act(on_msg, TwoPcAction::Fault(Fault::Restart { node }))}>
                { tf("tp.actions.restart", &[("node", &node)]) }
            </button>
        }
    }
}

/// The actions on the run: a transaction, the blocking crash, each node, the network.
pub fn node_actions(view: &TwoPcView, on_msg: &Callback<Msg>) -> Html {
    let config = &view.settings.twopc;
    let submit = act(
        on_msg,
        TwoPcAction::Submit {
            ops: write_every_shard(config),
        },
    );
    let block = on_msg.reform(|_: MouseEvent| Msg::TwoPc(TwoPcMsg::CrashBeforeDecision));
    // "Cut the coordinator off": the node that coordinates now on one side (on Raft, the
    // member that does: the rest of its group can still elect another), everyone else on the
    // other.
    let hub = view.coordinator.node;
    let others: Vec<NodeId> = (1..=config.nodes())
        .map(NodeId)
        .filter(|n| *n != hub)
        .collect();
    let isolate = act(
        on_msg,
        TwoPcAction::Fault(Fault::Partition {
            groups: vec![vec![hub], others],
        }),
    );
    let heal = act(on_msg, TwoPcAction::Fault(Fault::Heal));
    html! {
        <section class="controls card" aria-label={t("tp.actions.label")}>
            <h2>{ tx("tp.actions.label") }</h2>
            <div class="row buttons">
                <button data-action="tp-submit" title={t("tp.actions.submit_title")} onclick={submit}>
                    { tx("tp.actions.submit") }
                </button>
                <button class="danger" data-action="tp-crash-before-decision"
                    disabled={!view.coordinator.up && view.group.iter().all(|m| !m.up)}
                    title={t("tp.actions.block_title")} onclick={block}>
                    { tx("tp.actions.block") }
                </button>
            </div>
            <div class="row buttons">
                if view.group.is_empty() {
                    { crash_button(on_msg, view.coordinator.node, view.coordinator.up) }
                } else {
                    { for view.group.iter().map(|m| crash_button(on_msg, m.node, m.up)) }
                }
                if view.partitioned {
                    <button data-action="heal" onclick={heal}>{ tx("tp.actions.heal") }</button>
                } else {
                    <button data-action="tp-isolate" title={t("tp.actions.isolate_title")} onclick={isolate}>
                        { tx("tp.actions.isolate") }
                    </button>
                }
            </div>
            { for view.participants.iter().map(|p| html! {
                <div class="row buttons">
                    { crash_button(on_msg, p.node, p.up) }
                    <button data-action="tp-vote-no" data-node={p.node.0.to_string()}
                        disabled={!p.up || p.vote_no_next} title={t("tp.actions.vote_no_title")}
                        onclick={act(on_msg, TwoPcAction::VoteNo { node: p.node })}>
                        { if p.vote_no_next { tf("tp.actions.will_vote_no", &[("node", &p.node)]) } else { tf("tp.actions.vote_no", &[("node", &p.node)]) } }
                    </button>
                </div>
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub settings: TwoPcSettings,
    pub on_msg: Callback<Msg>,
}

/// What a number field sets, given its value as typed.
type Apply = fn(&mut TwoPcSettings, u64);

fn small(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// The number fields: hook, label, current value, and what the value sets.
fn number_fields(s: &TwoPcSettings) -> Vec<(&'static str, &'static str, u64, Apply)> {
    let (c, net) = (&s.twopc, &s.network);
    vec![
        (
            "tp-participants",
            t("tp.field.participants"),
            c.participants.into(),
            |s, v| s.twopc.participants = small(v),
        ),
        (
            "tp-clients",
            t("tp.field.clients"),
            c.clients.into(),
            |s, v| s.twopc.clients = small(v),
        ),
        (
            "tp-latency",
            t("tp.field.latency"),
            net.latency_us_min / MICROS_PER_MS,
            |s, v| s.network.set_latency_ms_keeping_jitter(v),
        ),
        (
            "tp-loss",
            t("tp.field.loss"),
            NetConfig::percent_of_ppm(net.loss_ppm),
            |s, v| s.network.loss_ppm = NetConfig::ppm_of_percent(v),
        ),
        ("tp-seed", t("tp.field.seed"), s.seed, |s, v| s.seed = v),
    ]
}

/// The words for a kind of coordinator in the settings.
fn coordinator_key(kind: CoordinatorKind) -> &'static str {
    match kind {
        CoordinatorKind::Single => "tp.coordinator.single",
        CoordinatorKind::Raft3 => "tp.coordinator.raft3",
        CoordinatorKind::Raft5 => "tp.coordinator.raft5",
    }
}

/// The broken switches: hook, label, whether on, and what turning it sets.
type Switch = fn(&mut TwoPcSettings, bool);

fn switches(s: &TwoPcSettings) -> [(&'static str, &'static str, bool, Switch); 4] {
    let b = &s.twopc.bugs;
    [
        (
            "decide-before-log",
            t("tp.bug.decide_before_log"),
            b.decide_before_log,
            |s, on| s.twopc.bugs.decide_before_log = on,
        ),
        (
            "forget-prepared-on-crash",
            t("tp.bug.forget_prepared"),
            b.forget_prepared_on_crash,
            |s, on| s.twopc.bugs.forget_prepared_on_crash = on,
        ),
        (
            "commit-on-timeout",
            t("tp.bug.commit_on_timeout"),
            b.commit_on_timeout,
            |s, on| s.twopc.bugs.commit_on_timeout = on,
        ),
        (
            "release-locks-at-prepare",
            t("tp.bug.release_locks"),
            b.release_locks_at_prepare,
            |s, on| s.twopc.bugs.release_locks_at_prepare = on,
        ),
    ]
}

#[function_component(TwoPcSettingsForm)]
pub fn twopc_settings_form(props: &SettingsProps) -> Html {
    use_lang();
    let s = Rc::new(props.settings.clone());
    let numbers = number_fields(&s)
        .into_iter()
        .map(|(hook, label, value, apply)| {
            number_field(
                hook,
                label,
                value,
                s.clone(),
                apply,
                restart,
                props.on_msg.clone(),
            )
        });
    let bugs = switches(&s).into_iter().map(|(hook, label, on, apply)| {
        let (s, on_msg) = (s.clone(), props.on_msg.clone());
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*s).clone();
            apply(&mut next, input.checked());
            on_msg.emit(restart(next));
        });
        html! {
            <label class="check">
                <input type="checkbox" data-bug={hook} checked={on} {onchange} />
                <span>{ label }</span>
            </label>
        }
    });
    let coordinator = {
        let (s, on_msg) = (s.clone(), props.on_msg.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let mut next = (*s).clone();
            next.twopc.coordinator =
                CoordinatorKind::from_name(&select.value()).unwrap_or_default();
            on_msg.emit(restart(next));
        })
    };
    html! {
        <section class="card settings tp-settings" aria-label={t("tp.settings.label")}>
            <h2>{ tx("tp.settings.label") }</h2>
            <p class="muted">{ tx("tp.settings.hint") }</p>
            <div class="fields">
                { for numbers }
                <label><span>{ tx("tp.field.coordinator") }</span>
                    <select data-field="tp-coordinator" onchange={coordinator}>
                        { for CoordinatorKind::ALL.iter().map(|k| html! {
                            <option value={k.name()} selected={*k == s.twopc.coordinator}>{ t(coordinator_key(*k)) }</option>
                        }) }
                    </select>
                </label>
            </div>
            <fieldset class="tp-bugs">
                <legend>{ tx("tp.settings.bugs") }</legend>
                { for bugs }
            </fieldset>
        </section>
    }
}
