//! Paxos controls: a node proposes (starts phase 1 with a higher ballot; in Multi-Paxos,
//! campaigns to lead), two nodes propose at once (a duel), crash and restart each node, split
//! the network and heal it, randomized retry on or off; the variant switch; and the settings
//! form (nodes, proposers or clients, latency, loss, seed, the broken switches). Every change
//! of a setting is a new run; what cannot be read or is out of bounds becomes a notice that
//! names the field, never a panic.

use super::model::PaxosMsg;
use super::view::PaxosView;
use crate::sim::disk::CrashMode;
use crate::sim::engine::Fault;
use crate::sim::net::NetConfig;
use crate::sim::paxos::{set_retry, switch_variant, PaxosAction, PaxosSettings, Variant};
use crate::sim::types::{NodeId, MICROS_PER_MS};
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::shell::fields::number_field;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn restart(settings: PaxosSettings) -> Msg {
    Msg::Paxos(PaxosMsg::Restart(Box::new(settings)))
}

fn act(on_msg: &Callback<Msg>, action: PaxosAction) -> Callback<MouseEvent> {
    on_msg.reform(move |_: MouseEvent| Msg::Paxos(PaxosMsg::Act(action.clone())))
}

/// A crash or restart button for `node`.
fn crash_button(on_msg: &Callback<Msg>, node: NodeId, up: bool) -> Html {
    if up {
        html! {
            <button class="danger" data-action="crash" data-node={node.0.to_string()}
                onclick={act(on_msg, PaxosAction::Fault(Fault::Crash { node, mode: CrashMode::Clean }))}>
                { tf("px.actions.crash", &[("node", &node)]) }
            </button>
        }
    } else {
        html! {
            <button data-action="restart" data-node={node.0.to_string()}
                onclick={act(on_msg, PaxosAction::Fault(Fault::Restart { node }))}>
                { tf("px.actions.restart", &[("node", &node)]) }
            </button>
        }
    }
}

/// The variant switch: a new run of the page's settings for the other variant, keeping the
/// seed and the cluster's size.
fn variant_switch(view: &PaxosView, on_msg: &Callback<Msg>) -> Html {
    let button = |variant: Variant, label: &'static str, title: &'static str| {
        let current = view.settings.clone();
        let pressed = view.variant() == variant;
        let onclick =
            on_msg.reform(move |_: MouseEvent| restart(switch_variant(&current, variant)));
        html! {
            <button data-action="px-variant" data-variant={variant.name()} aria-pressed={pressed.to_string()}
                class={classes!(pressed.then_some("on"))} {title} {onclick}>{ label }</button>
        }
    };
    html! {
        <div class="row buttons px-variant" role="group" aria-label={t("px.variant.label")}>
            { button(Variant::Single, t("px.variant.single"), t("px.variant.single_title")) }
            { button(Variant::Multi, t("px.variant.multi"), t("px.variant.multi_title")) }
        </div>
    }
}

/// The actions on the run: the variant, a duel, each node, the network, the retry switch.
pub fn node_actions(view: &PaxosView, on_msg: &Callback<Msg>) -> Html {
    let up: Vec<NodeId> = view.nodes.iter().filter(|n| n.up).map(|n| n.node).collect();
    let duel = match (up.first(), up.get(1)) {
        (Some(&first), Some(&second)) => Some((
            first,
            second,
            on_msg.reform(move |_: MouseEvent| Msg::Paxos(PaxosMsg::Duel { first, second })),
        )),
        _ => None,
    };
    // A minority (the first nodes) against the rest: the minority cannot choose anything.
    let count = view.settings.paxos.nodes;
    let minority: Vec<NodeId> = (1..=count / 2).map(NodeId).collect();
    let rest: Vec<NodeId> = (count / 2 + 1..=count).map(NodeId).collect();
    let split_words = tf(
        "px.actions.split",
        &[("minority", &names(&minority)), ("majority", &names(&rest))],
    );
    let split = act(
        on_msg,
        PaxosAction::Fault(Fault::Partition {
            groups: vec![minority, rest],
        }),
    );
    let heal = act(on_msg, PaxosAction::Fault(Fault::Heal));
    let randomized = view.retry_randomized;
    let retry = on_msg.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Msg::Paxos(PaxosMsg::Act(set_retry(input.checked())))
    });
    let single = view.variant() == Variant::Single;
    let propose_key = if single {
        "px.actions.propose"
    } else {
        "px.actions.campaign"
    };
    html! {
        <section class="controls card" aria-label={t("px.actions.label")}>
            <h2>{ tx("px.actions.label") }</h2>
            { variant_switch(view, on_msg) }
            if let Some((first, second, onclick)) = duel {
                <div class="row buttons">
                    <button data-action="px-duel" title={t("px.actions.duel_title")} {onclick}>
                        { if single {
                            tf("px.actions.duel", &[("first", &first), ("second", &second)])
                        } else {
                            tf("px.actions.duel_multi", &[("first", &first), ("second", &second)])
                        } }
                    </button>
                </div>
            }
            if single {
                <label class="check px-retry">
                    <input type="checkbox" data-action="px-retry" checked={randomized} onchange={retry} />
                    <span>{ tx("px.actions.retry") }</span>
                </label>
                <p class="muted px-retry-hint">{ if randomized { tx("px.actions.retry_on") } else { tx("px.actions.retry_off") } }</p>
            }
            { for view.nodes.iter().map(|n| html! {
                <div class="row buttons">
                    <button data-action="px-propose" data-node={n.node.0.to_string()} disabled={!n.up}
                        title={if single { t("px.actions.propose_title") } else { t("px.actions.campaign_title") }}
                        onclick={act(on_msg, PaxosAction::Propose { node: n.node })}>
                        { tf(propose_key, &[("node", &n.node)]) }
                    </button>
                    { crash_button(on_msg, n.node, n.up) }
                </div>
            }) }
            <div class="row buttons">
                if view.partitioned {
                    <button data-action="heal" onclick={heal}>{ tx("px.actions.heal") }</button>
                } else {
                    <button data-action="partition" data-preset="minority" title={t("px.actions.split_title")} onclick={split}>
                        { split_words }
                    </button>
                }
            </div>
        </section>
    }
}

fn names(nodes: &[NodeId]) -> String {
    nodes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(t("list.separator"))
}

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub settings: PaxosSettings,
    pub on_msg: Callback<Msg>,
}

/// What a number field sets, given its value as typed.
type Apply = fn(&mut PaxosSettings, u64);

fn small(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// The number fields: hook, label, current value, and what the value sets.
fn number_fields(s: &PaxosSettings) -> Vec<(&'static str, &'static str, u64, Apply)> {
    let (c, net) = (&s.paxos, &s.network);
    let mut fields: Vec<(&'static str, &'static str, u64, Apply)> =
        vec![("px-nodes", t("px.field.nodes"), c.nodes.into(), |s, v| {
            s.paxos.nodes = small(v)
        })];
    match c.variant {
        Variant::Single => fields.push((
            "px-proposers",
            t("px.field.proposers"),
            c.proposers.into(),
            |s, v| s.paxos.proposers = small(v),
        )),
        Variant::Multi => fields.push((
            "px-clients",
            t("px.field.clients"),
            c.clients.into(),
            |s, v| s.paxos.clients = small(v),
        )),
    }
    fields.extend([
        (
            "px-latency",
            t("px.field.latency"),
            net.latency_us_min / MICROS_PER_MS,
            (|s, v| s.network.set_latency_ms_keeping_jitter(v)) as Apply,
        ),
        (
            "px-loss",
            t("px.field.loss"),
            NetConfig::percent_of_ppm(net.loss_ppm),
            |s, v| s.network.loss_ppm = NetConfig::ppm_of_percent(v),
        ),
        ("px-seed", t("px.field.seed"), s.seed, |s, v| s.seed = v),
    ]);
    fields
}

/// The broken switches: hook, label, whether on, and what turning it sets.
type Switch = fn(&mut PaxosSettings, bool);

fn switches(s: &PaxosSettings) -> [(&'static str, &'static str, bool, Switch); 3] {
    let b = &s.paxos.bugs;
    [
        (
            "forget-promise-on-crash",
            t("px.bug.forget_promise"),
            b.forget_promise_on_crash,
            |s, on| s.paxos.bugs.forget_promise_on_crash = on,
        ),
        (
            "ignore-promise-values",
            t("px.bug.ignore_values"),
            b.ignore_promise_values,
            |s, on| s.paxos.bugs.ignore_promise_values = on,
        ),
        (
            "accept-lower-ballot",
            t("px.bug.accept_lower"),
            b.accept_lower_ballot,
            |s, on| s.paxos.bugs.accept_lower_ballot = on,
        ),
    ]
}

#[function_component(PaxosSettingsForm)]
pub fn paxos_settings_form(props: &SettingsProps) -> Html {
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
    html! {
        <section class="card settings px-settings" aria-label={t("px.settings.label")}>
            <h2>{ tx("px.settings.label") }</h2>
            <p class="muted">{ tx("px.settings.hint") }</p>
            <div class="fields">{ for numbers }</div>
            <fieldset class="px-bugs">
                <legend>{ tx("px.settings.bugs") }</legend>
                { for bugs }
            </fieldset>
        </section>
    }
}
