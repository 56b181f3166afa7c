//! The two-phase commit stage in SVG: the clients, the coordinator and a row of participants
//! (the animator draws the messages above), each participant with the keys it holds locked
//! under it; a prepared participant is amber, a blocked one red and marked, a crashed one grey,
//! and a link the network has cut is dashed red.

use super::geometry::{
    member_at, participant_at, participant_radius, CLIENTS, COORDINATOR_AT, COORDINATOR_RADIUS,
    MEMBER_RADIUS,
};
use super::view::{CoordinatorView, MemberView, ParticipantView};
use crate::sim::twopc::txn_name;
use crate::sim::types::NodeId;
use crate::ui::i18n::{t, tf, use_lang};
use crate::ui::shell::geometry::num;
use yew::prelude::*;

/// How many locks are listed under a participant before "and n more".
const LOCKS_LISTED: usize = 4;

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub coordinator: CoordinatorView,
    /// The coordinator group's members (empty with a single coordinator).
    pub group: Vec<MemberView>,
    pub participants: Vec<ParticipantView>,
    /// Participants the coordinator cannot reach (partitioned or cut off).
    pub cut_off: Vec<NodeId>,
}

#[function_component(TwoPcStage)]
pub fn twopc_stage(props: &StageProps) -> Html {
    use_lang();
    let n = props.participants.len() as u32;
    let c = &props.coordinator;
    let coordinator_state = if !c.up {
        "down"
    } else if c.txns.is_empty() {
        "idle"
    } else {
        "busy"
    };
    // Participants' links go to the node that coordinates: on Raft, the member that does.
    let hub = props
        .group
        .iter()
        .position(|m| m.node == c.node)
        .map_or(COORDINATOR_AT, |j| member_at(j, props.group.len()));
    html! {
        <svg class="cluster tp-stage" viewBox="0 0 400 400" role="img" aria-label={t("tp.stage.label")}>
            { for props.participants.iter().enumerate().map(|(i, p)| {
                let (x, y) = participant_at(i as u32, n);
                let cut = props.cut_off.contains(&p.node);
                html! {
                    <line class={classes!("tp-link", cut.then_some("cut"))} data-testid="tp-link"
                        data-node={p.node.0.to_string()} data-cut={cut.to_string()}
                        x1={num(hub.0)} y1={num(hub.1)} x2={num(x)} y2={num(y)} />
                }
            }) }
            <line class="tp-link" x1={num(CLIENTS.0)} y1={num(CLIENTS.1)} x2={num(hub.0)} y2={num(hub.1)} />
            <g class="tp-clients">
                <rect x={num(CLIENTS.0 - 30.0)} y={num(CLIENTS.1 - 18.0)} width="60" height="36" rx="8" />
                <text x={num(CLIENTS.0)} y={num(CLIENTS.1 + 4.0)}>{ t("tp.stage.clients") }</text>
            </g>
            if props.group.is_empty() {
                <g class={classes!("tp-node", "coordinator", coordinator_state)} data-testid="tp-coordinator"
                    data-up={c.up.to_string()} data-state={coordinator_state}>
                    <circle cx={num(COORDINATOR_AT.0)} cy={num(COORDINATOR_AT.1)} r={num(COORDINATOR_RADIUS)} />
                    <text class="tp-node-name" x={num(COORDINATOR_AT.0)} y={num(COORDINATOR_AT.1 + 1.0)}>{ c.node.to_string() }</text>
                    <text class="tp-node-role" x={num(COORDINATOR_AT.0)} y={num(COORDINATOR_AT.1 + COORDINATOR_RADIUS + 13.0)}>
                        { if c.up { t("tp.stage.coordinator").to_string() } else { t("tp.stage.crashed").to_string() } }
                    </text>
                </g>
            } else {
                { group(&props.group, coordinator_state) }
            }
            { for props.participants.iter().enumerate().map(|(i, p)| participant(p, i as u32, n)) }
        </svg>
    }
}

/// The coordinator on Raft: its members in a row, each with its Raft role and term, the one
/// that coordinates ringed; a faint line joins them (their Raft messages fly along it).
fn group(members: &[MemberView], state: &'static str) -> Html {
    let k = members.len();
    let (first, last) = (member_at(0, k), member_at(k.saturating_sub(1), k));
    let up = members.iter().any(|m| m.up);
    html! {
        <g class={classes!("tp-group", state)} data-testid="tp-coordinator" data-up={up.to_string()}
            data-state={state} data-members={k.to_string()}>
            <line class="tp-group-line" x1={num(first.0)} y1={num(first.1)} x2={num(last.0)} y2={num(last.1)} />
            { for members.iter().enumerate().map(|(j, m)| {
                let (x, y) = member_at(j, k);
                let role = match m.role {
                    "down" => t("tp.stage.crashed").to_string(),
                    "leader" if m.coordinating => t("tp.stage.coordinating").to_string(),
                    role => tf("tp.stage.member", &[("role", &t(raft_role_key(role))), ("term", &m.term)]),
                };
                html! {
                    <g class={classes!("tp-node", "member", m.role, m.coordinating.then_some("coordinating"))}
                        data-testid="tp-member" data-node={m.node.0.to_string()} data-role={m.role}
                        data-up={m.up.to_string()} data-coordinating={m.coordinating.to_string()}>
                        if m.coordinating {
                            <circle class="tp-coordinating-ring" cx={num(x)} cy={num(y)} r={num(MEMBER_RADIUS + 5.0)} />
                        }
                        <circle cx={num(x)} cy={num(y)} r={num(MEMBER_RADIUS)} />
                        <text class="tp-node-name" x={num(x)} y={num(y + 1.0)}>{ m.node.to_string() }</text>
                        <text class="tp-node-role" x={num(x)} y={num(y + MEMBER_RADIUS + 13.0 + 12.0 * (j % 2) as f64)}>{ role }</text>
                    </g>
                }
            }) }
        </g>
    }
}

/// The catalogue key of a Raft role's name.
pub fn raft_role_key(role: &str) -> &'static str {
    match role {
        "leader" => "tp.role.leader",
        "candidate" => "tp.role.candidate",
        "pre_candidate" => "tp.role.pre_candidate",
        _ => "tp.role.follower",
    }
}

/// A participant's state as its disc shows it.
pub fn participant_state(p: &ParticipantView) -> &'static str {
    if !p.up {
        "down"
    } else if p.blocked() {
        "blocked"
    } else if !p.in_doubt.is_empty() {
        "prepared"
    } else if !p.locks.is_empty() || !p.waiting.is_empty() {
        "working"
    } else {
        "idle"
    }
}

fn participant(p: &ParticipantView, i: u32, n: u32) -> Html {
    let (x, y) = participant_at(i, n);
    let r = participant_radius(n);
    let state = participant_state(p);
    let role = match state {
        "down" => t("tp.stage.crashed"),
        "blocked" => t("tp.stage.blocked"),
        "prepared" => t("tp.stage.prepared"),
        _ => t("tp.stage.participant"),
    };
    let listed = p.locks.iter().take(LOCKS_LISTED).enumerate().map(|(j, (key, txn, prepared))| {
        let ly = y + r + 29.0 + 13.0 * j as f64;
        html! {
            <text class={classes!("tp-lock", prepared.then_some("held-prepared"))} x={num(x)} y={num(ly)}
                data-testid="tp-lock" data-key={key.to_string()} data-txn={txn_name(*txn)}>
                { tf("tp.stage.lock", &[("key", key), ("txn", &txn_name(*txn))]) }
            </text>
        }
    });
    let more = p.locks.len().saturating_sub(LOCKS_LISTED);
    html! {
        <g class={classes!("tp-node", "participant", state)} data-testid="tp-participant"
            data-node={p.node.0.to_string()} data-state={state} data-up={p.up.to_string()}
            data-locks={p.locks.len().to_string()}>
            <circle cx={num(x)} cy={num(y)} r={num(r)} />
            if state == "blocked" {
                <circle class="tp-blocked-ring" cx={num(x)} cy={num(y)} r={num(r + 5.0)} />
            }
            <text class="tp-node-name" x={num(x)} y={num(y + 1.0)}>{ p.node.to_string() }</text>
            <text class="tp-node-role" x={num(x)} y={num(y + r + 13.0)}>{ role }</text>
            { for listed }
            if more > 0 {
                <text class="tp-lock" x={num(x)} y={num(y + r + 29.0 + 13.0 * LOCKS_LISTED as f64)}>
                    { tf("tp.stage.more_locks", &[("count", &more)]) }
                </text>
            }
        </g>
    }
}
