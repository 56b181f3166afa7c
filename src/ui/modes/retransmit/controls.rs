//! Retransmission controls: crash and restart of each node, and the settings form (scheme,
//! acknowledgements, window, timeout, loss, duplication, latency, pairs, messages, seed).
//! Every change of a setting is a new run; what cannot be read or is out of bounds becomes a
//! notice that names the field, never a panic.

use super::model::{adaptive_rto, RetransmitMsg, FIXED_RTO_US_DEFAULT};
use super::view::RetransmitView;
use crate::content::lesson::retransmit::RtSet;
use crate::sim::disk::CrashMode;
use crate::sim::engine::Fault;
use crate::sim::net::NetConfig;
use crate::sim::retransmit::{AckMode, RetransmitAction, RetransmitSettings, RtoPolicy, Scheme};
use crate::sim::types::{NodeId, MICROS_PER_MS};
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::shell::fields::number_field;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

fn restart(settings: RetransmitSettings) -> Msg {
    Msg::Retransmit(RetransmitMsg::Restart(Box::new(settings)))
}

/// Crash or restart buttons for every node, and "hand over a message now" for each sender.
pub fn node_actions(view: &RetransmitView, on_msg: &Callback<Msg>) -> Html {
    let act = |action: RetransmitAction| {
        on_msg.reform(move |_: MouseEvent| Msg::Retransmit(RetransmitMsg::Act(action.clone())))
    };
    let button = |node: NodeId, up: bool| {
        if up {
            html! {
                <button class="danger" data-action="crash" data-node={node.0.to_string()}
                    title={t("rt.actions.crash_title")}
                    onclick={act(RetransmitAction::Fault(Fault::Crash { node, mode: CrashMode::Clean }))}>
                    { tf("rt.actions.crash", &[("node", &node)]) }
                </button>
            }
        } else {
            html! {
                <button data-action="restart" data-node={node.0.to_string()}
                    title={t("rt.actions.restart_title")}
                    onclick={act(RetransmitAction::Fault(Fault::Restart { node }))}>
                    { tf("rt.actions.restart", &[("node", &node)]) }
                </button>
            }
        }
    };
    html! {
        <section class="controls card" aria-label={t("rt.actions.label")}>
            <h2>{ tx("rt.actions.label") }</h2>
            { for view.pairs.iter().map(|p| html! {
                <div class="row buttons">
                    { button(p.sender, p.sender_state.is_some()) }
                    { button(p.receiver, p.receiver_state.is_some()) }
                    <button data-action="hand-over" data-node={p.sender.0.to_string()}
                        disabled={p.sender_state.is_none()} title={t("rt.actions.hand_over_title")}
                        onclick={act(RetransmitAction::HandOver { node: p.sender })}>
                        { tx("rt.actions.hand_over") }
                    </button>
                </div>
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub settings: RetransmitSettings,
    pub on_msg: Callback<Msg>,
}

/// What a number field sets, given its value as typed.
type Apply = fn(&mut RetransmitSettings, u64);

/// The number fields: hook, label, current value, and what the value sets.
fn number_fields(s: &RetransmitSettings) -> Vec<(&'static str, &'static str, u64, Apply)> {
    let net = &s.network;
    let mut fields: Vec<(&'static str, &'static str, u64, Apply)> = vec![
        (
            "rt-window",
            t("rt.field.window"),
            u64::from(s.retransmit.window),
            |s, v| {
                change(
                    s,
                    RtSet {
                        window: Some(small(v)),
                        ..RtSet::default()
                    },
                )
            },
        ),
        (
            "rt-loss",
            t("rt.field.loss"),
            NetConfig::percent_of_ppm(net.loss_ppm),
            |s, v| {
                change(
                    s,
                    RtSet {
                        loss_percent: Some(small(v)),
                        ..RtSet::default()
                    },
                )
            },
        ),
        (
            "rt-dup",
            t("rt.field.dup"),
            NetConfig::percent_of_ppm(net.duplicate_ppm),
            |s, v| {
                change(
                    s,
                    RtSet {
                        duplicate_percent: Some(small(v)),
                        ..RtSet::default()
                    },
                )
            },
        ),
        (
            "rt-latency",
            t("rt.field.latency"),
            net.latency_us_min / MICROS_PER_MS,
            |s, v| {
                change(
                    s,
                    RtSet {
                        latency_ms: Some(v),
                        ..RtSet::default()
                    },
                )
            },
        ),
        (
            "rt-jitter",
            t("rt.field.jitter"),
            (net.latency_us_max.saturating_sub(net.latency_us_min)) / MICROS_PER_MS,
            |s, v| {
                s.network.latency_us_max = s
                    .network
                    .latency_us_min
                    .saturating_add(v.saturating_mul(MICROS_PER_MS));
            },
        ),
    ];
    if let RtoPolicy::Fixed { rto_us } = s.retransmit.rto {
        fields.push((
            "rt-rto",
            t("rt.field.rto"),
            rto_us / MICROS_PER_MS,
            |s, v| {
                s.retransmit.rto = RtoPolicy::Fixed {
                    rto_us: v.saturating_mul(MICROS_PER_MS),
                }
            },
        ));
    }
    fields.extend([
        (
            "rt-messages",
            t("rt.field.messages"),
            s.retransmit.messages,
            (|s, v| {
                change(
                    s,
                    RtSet {
                        messages: Some(v),
                        ..RtSet::default()
                    },
                )
            }) as Apply,
        ),
        (
            "rt-pairs",
            t("rt.field.pairs"),
            u64::from(s.retransmit.pairs),
            |s, v| s.retransmit.pairs = u32::try_from(v).unwrap_or(u32::MAX),
        ),
        ("rt-seed", t("rt.field.seed"), s.seed, |s, v| s.seed = v),
    ]);
    fields
}

/// Applies a change of the fields lessons name too, the one way both make it
/// (`content::lesson::retransmit::RtSet`).
fn change(s: &mut RetransmitSettings, fields: RtSet) {
    *s = fields.settings(s);
}

/// A typed number as the field's `u32`, saturating (the settings' check names it).
fn small(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

#[function_component(RetransmitSettingsForm)]
pub fn retransmit_settings_form(props: &SettingsProps) -> Html {
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
    let select = |hook: &'static str, apply: fn(&mut RetransmitSettings, &str)| {
        let (s, on_msg) = (s.clone(), props.on_msg.clone());
        let _ = hook;
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let mut next = (*s).clone();
            apply(&mut next, &select.value());
            on_msg.emit(restart(next));
        })
    };
    let c = &s.retransmit;
    let scheme = select("rt-scheme", |s, v| {
        let scheme = match v {
            "stop-and-wait" => Scheme::StopAndWait,
            "selective-repeat" => Scheme::SelectiveRepeat,
            _ => Scheme::GoBackN,
        };
        // Selective acknowledgements only say something under selective repeat: the scheme
        // chooses them too.
        change(
            s,
            RtSet {
                scheme: Some(scheme),
                ..RtSet::default()
            },
        );
    });
    let ack = select("rt-ack", |s, v| {
        s.retransmit.ack = if v == "selective" {
            AckMode::Selective
        } else {
            AckMode::Cumulative
        };
    });
    let rto = select("rt-rto-kind", |s, v| {
        s.retransmit.rto = if v == "fixed" {
            RtoPolicy::Fixed {
                rto_us: FIXED_RTO_US_DEFAULT,
            }
        } else {
            adaptive_rto()
        };
    });
    let fixed = matches!(c.rto, RtoPolicy::Fixed { .. });
    html! {
        <section class="card settings rt-settings" aria-label={t("rt.settings.label")}>
            <h2>{ tx("rt.settings.label") }</h2>
            <p class="muted">{ tx("rt.settings.hint") }</p>
            <div class="fields">
                <label><span>{ tx("rt.field.scheme") }</span>
                    <select data-field="rt-scheme" onchange={scheme}>
                        <option value="stop-and-wait" selected={c.scheme == Scheme::StopAndWait}>{ tx("rt.scheme.stop_and_wait") }</option>
                        <option value="go-back-n" selected={c.scheme == Scheme::GoBackN}>{ tx("rt.scheme.go_back_n") }</option>
                        <option value="selective-repeat" selected={c.scheme == Scheme::SelectiveRepeat}>{ tx("rt.scheme.selective_repeat") }</option>
                    </select>
                </label>
                <label><span>{ tx("rt.field.ack") }</span>
                    <select data-field="rt-ack" onchange={ack}>
                        <option value="cumulative" selected={c.ack == AckMode::Cumulative}>{ tx("rt.ack.cumulative") }</option>
                        <option value="selective" selected={c.ack == AckMode::Selective}>{ tx("rt.ack.selective") }</option>
                    </select>
                </label>
                <label><span>{ tx("rt.field.timeout") }</span>
                    <select data-field="rt-rto-kind" onchange={rto}>
                        <option value="adaptive" selected={!fixed}>{ tx("rt.rto.adaptive") }</option>
                        <option value="fixed" selected={fixed}>{ tx("rt.rto.fixed") }</option>
                    </select>
                </label>
                { for numbers }
            </div>
        </section>
    }
}
