//! The primary-backup stage in SVG: the view service at the top (its view, whether the primary
//! acknowledged it, whom it suspects), the servers in a row (each with its part, its view, its
//! position against the primary's and, for the primary, its lease), cold mode's storage at the
//! bottom, the clients; the animator draws the messages above. A primary is green (red when
//! two answer clients at once), a backup blue, a standby that runs no copy of the service
//! hollow, a crashed node grey; a server the network keeps from the view service has its line
//! dashed red.

use super::geometry::{
    clients_at, server_at, server_radius, STORAGE_AT, STORAGE_RADIUS, VIEW_SERVICE_AT,
    VIEW_SERVICE_RADIUS,
};
use super::view::{names, PbView};
use crate::sim::pb::page::{NodeFacts, Role};
use crate::ui::i18n::{t, tf, use_lang};
use crate::ui::shell::format::time;
use crate::ui::shell::geometry::num;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub view: Rc<PbView>,
}

/// The catalogue key of a role's name on the stage.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::ViewService => "pb.role.view_service",
        Role::Storage => "pb.role.storage",
        Role::Primary => "pb.role.primary",
        Role::Backup => "pb.role.backup",
        Role::Standby => "pb.role.standby",
        Role::Idle => "pb.role.idle",
        Role::Down => "pb.role.down",
    }
}

/// A lease in seconds with two decimals ("0.31 s").
pub fn seconds(us: u64) -> String {
    format!("{}.{:02} s", us / 1_000_000, us % 1_000_000 / 10_000)
}

#[function_component(PbStage)]
pub fn pb_stage(props: &StageProps) -> Html {
    use_lang();
    let v = &props.view;
    let servers = v.settings.pb.servers();
    let split = v.serving.len() > 1;
    let clients = clients_at(&v.settings.pb);
    html! {
        <svg class="cluster pb-stage" viewBox="0 0 400 400" role="img" aria-label={t("pb.stage.label")}>
            { for v.servers().map(|s| {
                let (x, y) = server_at(s.node.0 - 2, servers);
                let cut = v.cut_off.contains(&s.node);
                html! {
                    <line class={classes!("pb-link", cut.then_some("cut"))} data-testid="pb-link"
                        data-link={s.node.0.to_string()} data-cut={cut.to_string()}
                        x1={num(VIEW_SERVICE_AT.0)} y1={num(VIEW_SERVICE_AT.1)} x2={num(x)} y2={num(y)} />
                }
            }) }
            if let Some(storage) = v.storage() {
                { for v.servers().map(|s| {
                    let (x, y) = server_at(s.node.0 - 2, servers);
                    html! { <line class="pb-link storage-link" x1={num(x)} y1={num(y)}
                        x2={num(STORAGE_AT.0)} y2={num(STORAGE_AT.1)} /> }
                }) }
                { storage_node(storage) }
            }
            <g class="pb-clients">
                <rect x={num(clients.0 - 32.0)} y={num(clients.1 - 16.0)} width="64" height="32" rx="8" />
                <text x={num(clients.0)} y={num(clients.1 + 1.0)}>
                    { tf("pb.stage.clients", &[("count", &v.settings.pb.clients)]) }
                </text>
            </g>
            if let Some(vs) = v.view_service() {
                { view_service(vs, v) }
            }
            { for v.servers().map(|s| server(s, v, servers, split)) }
        </svg>
    }
}

fn view_service(vs: &NodeFacts, v: &PbView) -> Html {
    let (x, y) = VIEW_SERVICE_AT;
    let up = vs.role != Role::Down;
    let role = if up { "view-service" } else { "down" };
    let tx_ = x + VIEW_SERVICE_RADIUS + 6.0;
    let state = if !up {
        t("pb.stage.crashed").to_string()
    } else if vs.acked {
        tf("pb.stage.vs_view_acked", &[("view", &vs.view)])
    } else {
        tf("pb.stage.vs_view_waiting", &[("view", &vs.view)])
    };
    let label = tf(
        "pb.stage.vs_label",
        &[("node", &vs.node), ("state", &state)],
    );
    html! {
        <g class={classes!("pb-node", "view-service", (!up).then_some("down"))} data-node={vs.node.0.to_string()}
            data-role={role} data-view={vs.view.to_string()} data-acked={vs.acked.to_string()} aria-label={label}>
            <rect x={num(x - VIEW_SERVICE_RADIUS)} y={num(y - VIEW_SERVICE_RADIUS * 0.8)}
                width={num(VIEW_SERVICE_RADIUS * 2.0)} height={num(VIEW_SERVICE_RADIUS * 1.6)} rx="8" />
            <text class="pb-node-name" x={num(x)} y={num(y - 5.0)}>{ vs.node.to_string() }</text>
            <text class="pb-node-sub" x={num(x)} y={num(y + 9.0)}>{ t("pb.stage.vs_short") }</text>
            <text class="pb-line strong" x={num(tx_)} y={num(y - 10.0)} text-anchor="start">{ state }</text>
            if up && !vs.suspects.is_empty() {
                <text class="pb-line bad" x={num(tx_)} y={num(y + 3.0)} text-anchor="start">
                    { tf("pb.stage.suspects", &[("nodes", &names(&vs.suspects))]) }
                </text>
            }
            if up && vs.lease_until_us > v.now_us {
                <text class="pb-line" x={num(tx_)} y={num(y + 16.0)} text-anchor="start">
                    { tf("pb.stage.vs_lease", &[("time", &time(vs.lease_until_us))]) }
                </text>
            }
        </g>
    }
}

fn server(s: &NodeFacts, v: &PbView, servers: u32, split: bool) -> Html {
    let (x, y) = server_at(s.node.0 - 2, servers);
    let r = server_radius(servers);
    let serving = s.role == Role::Primary && s.serving;
    let paused = s.paused_left_us > 0;
    let role_words = t(role_key(s.role));
    let position = match s.role {
        Role::Primary => tf("pb.stage.writes", &[("seq", &s.applied)]),
        Role::Backup => tf(
            "pb.stage.applied_of",
            &[("seq", &s.applied), ("of", &v.primary_applied)],
        ),
        Role::Standby => t("pb.stage.no_copy").to_string(),
        _ => String::new(),
    };
    let behind = s.role == Role::Backup && s.applied < v.primary_applied;
    let lease = (s.role == Role::Primary).then(|| {
        if s.replaying {
            (t("pb.stage.replaying").to_string(), false)
        } else if !s.ready {
            (t("pb.stage.not_ready").to_string(), false)
        } else if s.lease_left_us > 0 {
            (
                tf("pb.stage.lease", &[("time", &seconds(s.lease_left_us))]),
                true,
            )
        } else if serving {
            (t("pb.stage.no_lease_serving").to_string(), false)
        } else {
            (t("pb.stage.lease_over").to_string(), false)
        }
    });
    let label = tf(
        "pb.stage.server_label",
        &[
            ("node", &s.node),
            ("role", &role_words),
            ("view", &s.view),
            ("position", &position),
        ],
    );
    let line = |k: f64| num(y + r + 12.0 * k);
    html! {
        <g class={classes!("pb-node", "server", s.role.name(), serving.then_some("serving"), (serving && split).then_some("split"),
            v.offending.contains(&s.node).then_some("offending"), paused.then_some("paused"))}
            data-node={s.node.0.to_string()} data-role={s.role.name()} data-view={s.view.to_string()}
            data-applied={s.applied.to_string()} data-serving={serving.to_string()}
            data-paused={paused.to_string()}
            data-lease-ms={(s.lease_left_us / 1_000).to_string()} aria-label={label}>
            if serving {
                <circle class="pb-serving-ring" cx={num(x)} cy={num(y)} r={num(r + 4.0)} />
            }
            <circle cx={num(x)} cy={num(y)} r={num(r)} />
            <text class="pb-node-name" x={num(x)} y={num(y + 1.0)}>{ s.node.to_string() }</text>
            <text class="pb-line strong" x={num(x)} y={line(1.0)}>{ role_words }</text>
            if s.role != Role::Down {
                <text class="pb-line" x={num(x)} y={line(2.0)}>{ tf("pb.stage.view", &[("view", &s.view)]) }</text>
            }
            if !position.is_empty() {
                <text class={classes!("pb-line", behind.then_some("behind"))} x={num(x)} y={line(3.0)}>{ position }</text>
            }
            if let Some((words, ok)) = lease {
                <text class={classes!("pb-line", (!ok).then_some("bad"))} x={num(x)} y={line(4.0)}>{ words }</text>
            }
            if paused {
                <text class="pb-line bad" x={num(x)} y={line(5.0)}>
                    { tf("pb.stage.paused", &[("time", &seconds(s.paused_left_us))]) }
                </text>
            }
        </g>
    }
}

fn storage_node(s: &NodeFacts) -> Html {
    let (x, y) = STORAGE_AT;
    let up = s.role != Role::Down;
    let tx_ = x + STORAGE_RADIUS + 8.0;
    html! {
        <g class={classes!("pb-node", "storage", (!up).then_some("down"))} data-node={s.node.0.to_string()}
            data-role={if up { "storage" } else { "down" }} data-view={s.view.to_string()}
            data-applied={s.applied.to_string()} aria-label={tf("pb.stage.storage_label", &[("node", &s.node)])}>
            <rect x={num(x - STORAGE_RADIUS)} y={num(y - STORAGE_RADIUS * 0.75)} width={num(STORAGE_RADIUS * 2.0)}
                height={num(STORAGE_RADIUS * 1.5)} rx="4" />
            <text class="pb-node-name" x={num(x)} y={num(y - 4.0)}>{ s.node.to_string() }</text>
            <text class="pb-node-sub" x={num(x)} y={num(y + 9.0)}>{ t("pb.stage.storage_short") }</text>
            if up {
                <text class="pb-line strong" x={num(tx_)} y={num(y - 10.0)} text-anchor="start">
                    { tf("pb.stage.fence", &[("view", &s.view)]) }
                </text>
                <text class="pb-line" x={num(tx_)} y={num(y + 3.0)} text-anchor="start">
                    { tf("pb.stage.log_to", &[("seq", &s.applied)]) }
                </text>
                <text class="pb-line" x={num(tx_)} y={num(y + 16.0)} text-anchor="start">
                    { tf("pb.stage.checkpoint_at", &[("seq", &s.checkpoint_seq)]) }
                </text>
            } else {
                <text class="pb-line bad" x={num(tx_)} y={num(y)} text-anchor="start">{ t("pb.stage.crashed") }</text>
            }
        </g>
    }
}
