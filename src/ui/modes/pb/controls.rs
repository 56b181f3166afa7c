//! Primary-backup controls: crash the primary (it restarts later; in cold mode this is the
//! takeover by a standby), cut it off from the view service, the latency spike and its end, a
//! checkpoint (cold mode), the view service's own crash and restart; the replication switch;
//! and the settings form (servers, timings, clients, latency, loss, seed, the broken
//! switches). Every change of a setting is a new run; what cannot be read or is out of bounds
//! becomes a notice that names the field, never a panic.

use super::model::PbMsg;
use super::stage::seconds;
use super::view::PbView;
use crate::sim::disk::CrashMode;
use crate::sim::engine::Fault;
use crate::sim::net::NetConfig;
use crate::sim::pb::config::VIEW_SERVICE;
use crate::sim::pb::page::{
    crash_primary, isolate_primary, latency_restored, latency_spike, pause_primary,
    spike_latency_us, switch_replication, PAGE_DOWN_US, PAGE_ISOLATE_US, PAGE_PAUSE_US,
};
use crate::sim::pb::{PbAction, PbSettings, Replication};
use crate::sim::types::MICROS_PER_MS;
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::shell::fields::number_field;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn restart(settings: PbSettings) -> Msg {
    Msg::Pb(PbMsg::Restart(Box::new(settings)))
}

fn act(on_msg: &Callback<Msg>, action: PbAction) -> Callback<MouseEvent> {
    on_msg.reform(move |_: MouseEvent| Msg::Pb(PbMsg::Act(action.clone())))
}

/// The replication switch: a new run in the other mode, keeping every other setting.
fn replication_switch(view: &PbView, on_msg: &Callback<Msg>) -> Html {
    let button = |r: Replication, label: &'static str, title: &'static str| {
        let current = view.settings.clone();
        let pressed = view.replication() == r;
        let onclick = on_msg.reform(move |_: MouseEvent| restart(switch_replication(&current, r)));
        html! {
            <button data-action="pb-replication" data-replication={r.name()} aria-pressed={pressed.to_string()}
                class={classes!(pressed.then_some("on"))} {title} {onclick}>{ label }</button>
        }
    };
    html! {
        <div class="row buttons pb-replication" role="group" aria-label={t("pb.replication.label")}>
            { button(Replication::Hot, t("pb.replication.hot"), t("pb.replication.hot_title")) }
            { button(Replication::Warm, t("pb.replication.warm"), t("pb.replication.warm_title")) }
            { button(Replication::Cold, t("pb.replication.cold"), t("pb.replication.cold_title")) }
        </div>
    }
}

/// The actions on the run: the replication mode, the faults aimed at the primary, the spike,
/// a checkpoint, the view service. `compact` (an embedded widget) keeps the faults aimed at
/// the primary and the spike only, in one row, so that the stage keeps the room.
pub fn node_actions(view: &PbView, on_msg: &Callback<Msg>, compact: bool) -> Html {
    let target = view.target;
    let primary_up = target
        .and_then(|p| view.node(p))
        .is_some_and(|n| n.role != crate::sim::pb::page::Role::Down);
    let can_aim = target.is_some() && primary_up;
    let who = target.map_or_else(|| t("pb.word.none").to_string(), |p| p.to_string());
    let cold = view.replication() == Replication::Cold;
    let (crash_key, crash_title) = if cold {
        ("pb.actions.takeover", "pb.actions.takeover_title")
    } else {
        ("pb.actions.crash_primary", "pb.actions.crash_primary_title")
    };
    let vs_down = view.view_service_down();
    let started = view.settings.clone();
    if compact {
        return html! {
            <section class="controls card pb-compact" aria-label={t("pb.actions.label")}>
                <div class="row buttons">
                    <button class="danger" data-action="pb-crash-primary" disabled={!can_aim}
                        onclick={act(on_msg, crash_primary())}>{ tf(crash_key, &[("node", &who)]) }</button>
                    <button data-action="pb-isolate" disabled={!can_aim || vs_down}
                        onclick={act(on_msg, isolate_primary())}>{ tf("pb.actions.isolate", &[("node", &who)]) }</button>
                    if view.spiking {
                        <button data-action="pb-spike-end" onclick={act(on_msg, latency_restored(&started))}>
                            { tx("pb.actions.spike_end") }
                        </button>
                    } else {
                        <button data-action="pb-spike" onclick={act(on_msg, latency_spike(&started))}>
                            { tx("pb.actions.spike") }
                        </button>
                    }
                </div>
            </section>
        };
    }
    html! {
        <section class="controls card" aria-label={t("pb.actions.label")}>
            <h2>{ tx("pb.actions.label") }</h2>
            { replication_switch(view, on_msg) }
            <p class="muted pb-target" data-testid="pb-target" data-target={target.map_or(String::new(), |p| p.0.to_string())}>
                { tf("pb.actions.target", &[("node", &who)]) }
            </p>
            <div class="row buttons">
                <button class="danger" data-action="pb-crash-primary" disabled={!can_aim}
                    title={tf(crash_title, &[("down", &seconds(PAGE_DOWN_US))])}
                    onclick={act(on_msg, crash_primary())}>
                    { tf(crash_key, &[("node", &who)]) }
                </button>
                <button data-action="pb-pause" disabled={!can_aim}
                    title={tf("pb.actions.pause_title", &[("time", &seconds(PAGE_PAUSE_US))])}
                    onclick={act(on_msg, pause_primary())}>
                    { tf("pb.actions.pause", &[("node", &who)]) }
                </button>
                <button data-action="pb-isolate" disabled={!can_aim || vs_down}
                    title={tf("pb.actions.isolate_title", &[("time", &seconds(PAGE_ISOLATE_US))])}
                    onclick={act(on_msg, isolate_primary())}>
                    { tf("pb.actions.isolate", &[("node", &who)]) }
                </button>
            </div>
            <div class="row buttons">
                if view.spiking {
                    <button data-action="pb-spike-end" onclick={act(on_msg, latency_restored(&started))}>
                        { tx("pb.actions.spike_end") }
                    </button>
                } else {
                    <button data-action="pb-spike"
                        title={tf("pb.actions.spike_title", &[("time", &seconds(spike_latency_us(&started)))])}
                        onclick={act(on_msg, latency_spike(&started))}>
                        { tx("pb.actions.spike") }
                    </button>
                }
                if cold {
                    <button data-action="pb-checkpoint" disabled={!can_aim} title={t("pb.actions.checkpoint_title")}
                        onclick={act(on_msg, PbAction::Checkpoint)}>
                        { tx("pb.actions.checkpoint") }
                    </button>
                }
            </div>
            <div class="row buttons">
                if vs_down {
                    <button data-action="restart" data-node={VIEW_SERVICE.0.to_string()}
                        onclick={act(on_msg, PbAction::Fault(Fault::Restart { node: VIEW_SERVICE }))}>
                        { tx("pb.actions.vs_restart") }
                    </button>
                } else {
                    <button data-action="crash" data-node={VIEW_SERVICE.0.to_string()} title={t("pb.actions.vs_crash_title")}
                        onclick={act(on_msg, PbAction::Fault(Fault::Crash { node: VIEW_SERVICE, mode: CrashMode::Clean }))}>
                        { tx("pb.actions.vs_crash") }
                    </button>
                }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub settings: PbSettings,
    pub on_msg: Callback<Msg>,
}

/// What a number field sets, given its value as typed.
type Apply = fn(&mut PbSettings, u64);

fn small(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn ms(v: u64) -> u64 {
    v.saturating_mul(MICROS_PER_MS)
}

/// The number fields: hook, label, current value, and what the value sets.
fn number_fields(s: &PbSettings) -> Vec<(&'static str, &'static str, u64, Apply)> {
    let (c, net) = (&s.pb, &s.network);
    let mut fields: Vec<(&'static str, &'static str, u64, Apply)> = vec![
        (
            "pb-backups",
            t("pb.field.backups"),
            c.backups.into(),
            |s, v| s.pb.backups = small(v),
        ),
        (
            "pb-ping",
            t("pb.field.ping"),
            c.ping_interval_us / MICROS_PER_MS,
            |s, v| s.pb.ping_interval_us = ms(v),
        ),
        (
            "pb-dead",
            t("pb.field.dead"),
            c.dead_timeout_us / MICROS_PER_MS,
            |s, v| s.pb.dead_timeout_us = ms(v),
        ),
        (
            "pb-lease",
            t("pb.field.lease"),
            c.lease_us / MICROS_PER_MS,
            |s, v| s.pb.lease_us = ms(v),
        ),
    ];
    match c.replication {
        Replication::Warm => fields.push((
            "pb-ship",
            t("pb.field.ship"),
            c.ship_interval_us / MICROS_PER_MS,
            |s, v| s.pb.ship_interval_us = ms(v),
        )),
        Replication::Cold => fields.push((
            "pb-checkpoint-every",
            t("pb.field.checkpoint_every"),
            c.checkpoint_every_writes.into(),
            |s, v| s.pb.checkpoint_every_writes = small(v),
        )),
        Replication::Hot => {}
    }
    fields.extend([
        (
            "pb-clients",
            t("pb.field.clients"),
            c.clients.into(),
            (|s, v| s.pb.clients = small(v)) as Apply,
        ),
        (
            "pb-latency",
            t("pb.field.latency"),
            net.latency_us_min / MICROS_PER_MS,
            |s, v| s.network.set_latency_ms_keeping_jitter(v),
        ),
        (
            "pb-loss",
            t("pb.field.loss"),
            NetConfig::percent_of_ppm(net.loss_ppm),
            |s, v| s.network.loss_ppm = NetConfig::ppm_of_percent(v),
        ),
        ("pb-seed", t("pb.field.seed"), s.seed, |s, v| s.seed = v),
    ]);
    fields
}

/// The broken switches: hook, label, whether on, and what turning it sets.
type Switch = fn(&mut PbSettings, bool);

fn switches(s: &PbSettings) -> [(&'static str, &'static str, bool, Switch); 3] {
    let b = &s.pb.bugs;
    [
        (
            "no-fencing",
            t("pb.bug.no_fencing"),
            b.no_fencing,
            |s, on| s.pb.bugs.no_fencing = on,
        ),
        ("no-lease", t("pb.bug.no_lease"), b.no_lease, |s, on| {
            s.pb.bugs.no_lease = on
        }),
        (
            "ack-before-forward",
            t("pb.bug.ack_before_forward"),
            b.ack_before_forward,
            |s, on| s.pb.bugs.ack_before_forward = on,
        ),
    ]
}

#[function_component(PbSettingsForm)]
pub fn pb_settings_form(props: &SettingsProps) -> Html {
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
        <section class="card settings pb-settings" aria-label={t("pb.settings.label")}>
            <h2>{ tx("pb.settings.label") }</h2>
            <p class="muted">{ tx("pb.settings.hint") }</p>
            <div class="fields">{ for numbers }</div>
            <fieldset class="pb-bugs">
                <legend>{ tx("pb.settings.bugs") }</legend>
                { for bugs }
            </fieldset>
        </section>
    }
}

/// The catalogue key of a replication mode's name.
pub fn replication_key(r: Replication) -> &'static str {
    match r {
        Replication::Hot => "pb.replication.hot",
        Replication::Warm => "pb.replication.warm",
        Replication::Cold => "pb.replication.cold",
    }
}
