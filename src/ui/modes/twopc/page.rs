//! The two-phase commit page: the stage with transactions flying between the clients, the
//! coordinator and the shards; the counters and the legend; the coordinator's and each
//! participant's panel (transactions, locks, log); each recent transaction's timeline; the
//! latest events, the actions and the settings; and the widget a documentation page embeds.

use super::controls::{node_actions, TwoPcSettingsForm};
use super::stage::{participant_state, raft_role_key, TwoPcStage};
use super::timeline::TxnTimeline;
use super::view::{
    forced_by_rule, record_word, CoordinatorView, LogLine, MemberView, ParticipantView, TwoPcView,
};
use crate::sim::twopc::txn_name;
use crate::sim::twopc::Outcome;
use crate::sim::types::Micros;
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::shell::animator::Surfaces;
use crate::ui::shell::format::{ms, time};
use crate::ui::shell::geometry::num;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TwoPcPageProps {
    pub view: Rc<TwoPcView>,
    pub surfaces: Surfaces,
    pub on_msg: Callback<Msg>,
}

fn stage(v: &TwoPcView, surfaces: &Surfaces) -> Html {
    html! {
        <div class="stage tp-stage-box">
            <TwoPcStage coordinator={v.coordinator.clone()} group={v.group.clone()} participants={v.participants.clone()} cut_off={v.cut_off.clone()} />
            <canvas class="timers" ref={surfaces.canvas.clone()} aria-hidden="true"></canvas>
            <div class="msgs" ref={surfaces.layer.clone()} role="group" aria-label={t("tp.stage.messages")}></div>
        </div>
    }
}

fn stat(label: &'static str, hook: &'static str, value: String, bad: bool) -> Html {
    html! {
        <div class={classes!("stat", bad.then_some("bad"))}>
            <span class="stat-label">{ label }</span>
            <span class="stat-value" data-testid={hook}>{ value }</span>
        </div>
    }
}

fn counters(v: &TwoPcView) -> Html {
    let c = &v.counts;
    let blocked_now = v.participants.iter().filter(|p| p.blocked()).count();
    html! {
        <div class="counters card tp-counters">
            { stat(t("tp.count.submitted"), "tp-submitted", c.submitted.to_string(), false) }
            { stat(t("tp.count.committed"), "tp-committed", c.committed.to_string(), false) }
            { stat(t("tp.count.aborted"), "tp-aborted", c.aborted.to_string(), false) }
            { stat(t("tp.count.blocked_now"), "tp-blocked-now", blocked_now.to_string(), blocked_now > 0) }
            { stat(t("tp.count.blocked_time"), "tp-blocked-time", ms(c.blocked_ms * 1_000), false) }
            { stat(t("tp.count.violations"), "tp-violations", c.violations.to_string(), c.violations > 0) }
        </div>
    }
}

fn legend() -> Html {
    let node = |class: &'static str, words: &'static str| {
        html! { <li><span class={classes!("tp-swatch", class)} aria-hidden="true"></span>{ words }</li> }
    };
    let msg = |class: &'static str, letter: &'static str, words: &'static str| {
        html! { <li><span class={classes!("msg", "static", class)} aria-hidden="true">{ letter }</span>{ words }</li> }
    };
    html! {
        <details class="legend tp-legend" open=true>
            <summary>{ tx("legend.title") }</summary>
            <ul>
                { msg("tp-begin", "B", t("tp.legend.begin")) }
                { msg("tp-prepare", "P", t("tp.legend.prepare")) }
                { msg("tp-yes", "Y", t("tp.legend.yes")) }
                { msg("tp-no", "N", t("tp.legend.no")) }
                { msg("tp-commit", "C", t("tp.legend.commit")) }
                { msg("tp-abort", "A", t("tp.legend.abort")) }
                { msg("tp-ack", "K", t("tp.legend.ack")) }
                { msg("tp-inquire", "?", t("tp.legend.inquire")) }
                { msg("tp-reply", "R", t("tp.legend.reply")) }
                { node("working", t("tp.legend.working")) }
                { node("prepared", t("tp.legend.prepared")) }
                { node("blocked", t("tp.legend.blocked")) }
                { node("down", t("tp.legend.down")) }
            </ul>
        </details>
    }
}

fn log(lines: &[LogLine], len: usize) -> Html {
    if lines.is_empty() {
        return html! { <p class="muted">{ tx("tp.panel.log_empty") }</p> };
    }
    html! {
        <>
            if len > lines.len() {
                <p class="muted">{ tf("tp.panel.log_earlier", &[("count", &(len - lines.len()))]) }</p>
            }
            <ol class="tp-log" data-testid="tp-log">
                { for lines.iter().map(|l| html! {
                    <li data-kind={l.kind} data-on-disk={l.on_disk.to_string()} data-txn={txn_name(l.txn)}>
                        <span class="pos">{ l.position }</span>
                        { tf("tp.panel.record", &[("kind", &record_word(l.kind)), ("txn", &txn_name(l.txn))]) }
                        { " " }
                        <span class={classes!("tp-disk", (!l.on_disk).then_some("cache"))}>
                            { if l.on_disk { t("tp.panel.on_disk") } else { t("tp.panel.in_cache") } }
                        </span>
                        if forced_by_rule(l.kind) {
                            <span class="forced" title={t("tp.panel.forced_title")}>{ tx("tp.panel.forced") }</span>
                        }
                    </li>
                }) }
            </ol>
        </>
    }
}

fn coordinator_panel(c: &CoordinatorView, group: &[MemberView]) -> Html {
    if !group.is_empty() {
        return group_panel(c, group);
    }
    html! {
        <div class="card tp-panel" data-testid="tp-coordinator-panel">
            <h2>{ tf("tp.panel.coordinator", &[("node", &c.node)]) }</h2>
            { coordinator_txns(c) }
            <h3>{ tx("tp.panel.log") }</h3>
            { log(&c.log, c.log_len) }
        </div>
    }
}

/// The coordinator on Raft: each member's Raft state (role, term, log, commit index, the
/// decisions its store holds), then the transactions of the member that coordinates.
fn group_panel(c: &CoordinatorView, group: &[MemberView]) -> Html {
    let coordinating = group.iter().find(|m| m.coordinating);
    html! {
        <div class="card tp-panel" data-testid="tp-coordinator-panel" data-group={group.len().to_string()}>
            <h2>{ tf("tp.panel.group", &[("count", &group.len())]) }</h2>
            <p class="muted">{ tx("tp.panel.group_hint") }</p>
            <table class="tp-members" data-testid="tp-members">
                <thead><tr>
                    <th>{ tx("tp.panel.member") }</th><th>{ tx("tp.panel.role") }</th>
                    <th>{ tx("tp.panel.term") }</th><th>{ tx("tp.panel.raft_log") }</th>
                    <th>{ tx("tp.panel.decisions") }</th>
                </tr></thead>
                <tbody>
                    { for group.iter().map(|m| html! {
                        <tr data-node={m.node.0.to_string()} data-role={m.role} data-coordinating={m.coordinating.to_string()}>
                            <td>{ m.node.to_string() }</td>
                            <td>{ if m.up { t(raft_role_key(m.role)).to_string() } else { t("tp.stage.crashed").to_string() } }
                                if m.coordinating { { " · " }{ tx("tp.stage.coordinating") } }</td>
                            <td>{ if m.up { m.term.to_string() } else { "–".to_string() } }</td>
                            <td>{ if m.up { tf("tp.panel.raft_log_value", &[("len", &m.log_len), ("commit", &m.commit)]) } else { "–".to_string() } }</td>
                            <td>{ if m.up { m.decisions.to_string() } else { "–".to_string() } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if coordinating.is_some() {
                <h3>{ tf("tp.panel.coordinator", &[("node", &c.node)]) }</h3>
                { coordinator_txns(c) }
            } else {
                <p class="bad" data-testid="tp-no-coordinator">{ tx("tp.panel.electing") }</p>
            }
        </div>
    }
}

/// The transactions the coordinator runs, with their votes or acknowledgements.
fn coordinator_txns(c: &CoordinatorView) -> Html {
    if !c.up {
        html! { <p class="bad">{ tf("tp.panel.down", &[("node", &c.node)]) }</p> }
    } else if c.txns.is_empty() {
        html! { <p class="muted">{ tx("tp.panel.coordinator_idle") }</p> }
    } else {
        html! {
            <ul class="tp-running" data-testid="tp-coordinator-txns">
                { for c.txns.iter().map(|x| {
                    let answered: Vec<String> = x.parts.iter().filter(|p| p.1).map(|p| p.0.to_string()).collect();
                    let key = match x.phase {
                        "collecting" => "tp.panel.collecting",
                        "logging" => "tp.panel.logging",
                        _ => "tp.panel.committing",
                    };
                    html! {
                        <li data-txn={txn_name(x.txn)} data-phase={x.phase}>
                            { tf(key, &[("txn", &txn_name(x.txn)), ("have", &answered.len()), ("of", &x.parts.len())]) }
                        </li>
                    }
                }) }
            </ul>
        }
    }
}

fn participant_panel(p: &ParticipantView) -> Html {
    let keys = p
        .keys
        .iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(t("list.separator"));
    let state = participant_state(p);
    let body = if !p.up {
        html! { <p class="bad">{ tf("tp.panel.down", &[("node", &p.node)]) }</p> }
    } else {
        html! {
            <>
                if p.locks.is_empty() {
                    <p class="muted">{ tx("tp.panel.no_locks") }</p>
                } else {
                    <p data-testid="tp-locks">
                        { tx("tp.panel.locks") }{ " " }
                        { for p.locks.iter().map(|(k, txn, prepared)| html! {
                            <span class={classes!("tp-lock-chip", prepared.then_some("prepared"))}>
                                { tf("tp.stage.lock", &[("key", k), ("txn", &txn_name(*txn))]) }
                            </span>
                        }) }
                    </p>
                }
                if !p.waiting.is_empty() {
                    <p data-testid="tp-waiting">{ tf("tp.panel.waiting", &[("txns", &p.waiting.iter().map(|x| txn_name(*x)).collect::<Vec<_>>().join(t("list.separator")))]) }</p>
                }
                { for p.in_doubt.iter().map(|d| match d.blocked_since_us {
                    Some(since) => html! {
                        <p class="bad" data-testid="tp-blocked" data-txn={txn_name(d.txn)}>
                            { tf("tp.panel.blocked", &[("txn", &txn_name(d.txn)), ("time", &time(since))]) }
                        </p>
                    },
                    None => html! {
                        <p data-testid="tp-in-doubt" data-txn={txn_name(d.txn)}>{ tf("tp.panel.in_doubt", &[("txn", &txn_name(d.txn))]) }</p>
                    },
                }) }
            </>
        }
    };
    html! {
        <div class={classes!("card", "tp-panel", state)} data-testid="tp-participant-panel" data-node={p.node.0.to_string()}>
            <h2>{ tf("tp.panel.participant", &[("node", &p.node), ("keys", &keys)]) }</h2>
            { body }
            <h3>{ tx("tp.panel.log") }</h3>
            { log(&p.log, p.log_len) }
        </div>
    }
}

/// Each recent transaction on one time axis: the coordinator's lane (collecting votes, then
/// its decision) and a lane per participant (its vote, the time it held its locks prepared,
/// blocked time in red, its outcome).
fn timeline(v: &TwoPcView) -> Html {
    let Some(t0) = v.txns.iter().map(|x| x.submitted_us).min() else {
        return html! {
            <div class="card tp-timeline"><h2>{ tx("tp.timeline.title") }</h2><p class="muted">{ tx("tp.timeline.none") }</p></div>
        };
    };
    let t1 = v.now_us.max(t0 + 1);
    let (left, right) = (54.0, 392.0);
    let x = |t: Micros| left + (right - left) * (t.saturating_sub(t0)) as f64 / (t1 - t0) as f64;
    let lane_h = 9.0;
    let mut y = 6.0;
    let mut rows = Vec::new();
    for txn in &v.txns {
        rows.push(txn_rows(txn, y, lane_h, v.now_us, &x));
        y += lane_h * (txn.lanes.len() as f64 + 1.0) + 10.0;
    }
    html! {
        <div class="card tp-timeline">
            <h2>{ tx("tp.timeline.title") }</h2>
            <p class="muted">{ tx("tp.timeline.hint") }</p>
            <svg class="tp-timeline-plot" viewBox={format!("0 0 400 {}", num(y + 14.0))} role="img"
                aria-label={t("tp.timeline.title")} data-testid="tp-timeline">
                { for rows }
                <text class="tick" x={num(left)} y={num(y + 10.0)}>{ time(t0) }</text>
                <text class="tick" x={num(right)} y={num(y + 10.0)} text-anchor="end">{ time(t1) }</text>
            </svg>
        </div>
    }
}

fn txn_rows(txn: &TxnTimeline, y: f64, h: f64, now: Micros, x: &dyn Fn(Micros) -> f64) -> Html {
    let status = match (txn.decided, txn.gave_up_us) {
        (Some((_, Outcome::Commit)), _) => "committed",
        (Some((_, Outcome::Abort)), _) => "aborted",
        (None, Some(_)) => "given-up",
        (None, None) => "running",
    };
    let blocked = txn
        .lanes
        .iter()
        .any(|l| l.blocked.iter().any(|b| b.1.is_none()));
    let coordinator = txn.began_us.map(|b| {
        let end = txn.decided.map_or(now, |d| d.0);
        html! { <rect class="tp-bar collecting" x={num(x(b))} y={num(y + 1.0)} width={num((x(end) - x(b)).max(1.0))} height={num(h - 2.0)} /> }
    });
    let decision = txn.decided.map(|(d, o)| {
        let class = if o == Outcome::Commit { "commit" } else { "abort" };
        html! { <rect class={classes!("tp-mark", class)} x={num(x(d) - 2.0)} y={num(y)} width="4" height={num(h)} /> }
    });
    let lanes = txn.lanes.iter().enumerate().map(|(i, l)| {
        let ly = y + h * (i as f64 + 1.0);
        let held = l.vote.filter(|v| v.1).map(|(vt, _)| {
            let end = l.released_us.unwrap_or(now);
            html! { <rect class="tp-bar held" x={num(x(vt))} y={num(ly + 2.0)} width={num((x(end) - x(vt)).max(1.0))} height={num(h - 4.0)} /> }
        });
        let spans = l.blocked.iter().map(|(from, until)| {
            let end = until.unwrap_or(now);
            html! { <rect class="tp-bar blocked" data-testid="tp-blocked-span" x={num(x(*from))} y={num(ly + 1.0)} width={num((x(end) - x(*from)).max(1.0))} height={num(h - 2.0)} /> }
        });
        let vote = l.vote.map(|(vt, yes)| html! {
            <circle class={classes!("tp-vote", if yes { "yes" } else { "no" })} cx={num(x(vt))} cy={num(ly + h / 2.0)} r="2.5" />
        });
        let outcome = l.outcome.map(|(ot, o)| {
            let class = if o == Outcome::Commit { "commit" } else { "abort" };
            html! { <rect class={classes!("tp-mark", class)} x={num(x(ot) - 1.5)} y={num(ly + 1.0)} width="3" height={num(h - 2.0)} /> }
        });
        html! {
            <g class="tp-lane" data-node={l.node.0.to_string()}>
                <text class="tp-lane-name" x="50" y={num(ly + h - 1.5)} text-anchor="end">{ l.node.to_string() }</text>
                { for held }{ for spans }{ for vote }{ for outcome }
            </g>
        }
    });
    html! {
        <g class={classes!("tp-txn", status, blocked.then_some("blocked"))} data-testid="tp-txn"
            data-txn={txn_name(txn.txn)} data-status={status} data-blocked={blocked.to_string()}>
            <text class="tp-txn-name" x="50" y={num(y + h - 1.5)} text-anchor="end">{ txn_name(txn.txn) }</text>
            { for coordinator }{ for decision }
            { for lanes }
        </g>
    }
}

fn events(v: &TwoPcView) -> Html {
    html! {
        <div class="card tp-events">
            <h2>{ tx("tp.events.title") }</h2>
            if v.events.is_empty() {
                <p class="muted">{ tx("tp.events.none") }</p>
            }
            <ol data-testid="tp-events">
                { for v.events.iter().map(|e| html! {
                    <li data-kind={e.kind}><time>{ time(e.t_us) }</time>{ " " }{ e.text.clone() }</li>
                }) }
            </ol>
            { for v.violations.iter().map(|w| html! { <p class="bad" data-testid="tp-violation">{ w.clone() }</p> }) }
        </div>
    }
}

/// A documentation page's two-phase commit widget: the stage, the counters and the actions.
#[function_component(TwoPcEmbed)]
pub fn twopc_embed(props: &TwoPcPageProps) -> Html {
    use_lang();
    let v = &props.view;
    html! {
        <div class="tp-embed">
            <section class="stage-col" aria-label={t("tp.stage.label")}>
                { stage(v, &props.surfaces) }
                { counters(v) }
            </section>
            { node_actions(v, &props.on_msg) }
        </div>
    }
}

#[function_component(TwoPcPage)]
pub fn twopc_page(props: &TwoPcPageProps) -> Html {
    use_lang();
    let v = &props.view;
    html! {
        <main class="main tp-main">
            <section class="stage-col" aria-label={t("tp.stage.label")}>
                { stage(v, &props.surfaces) }
                { counters(v) }
                { legend() }
                { timeline(v) }
            </section>
            <section class="side">
                { node_actions(v, &props.on_msg) }
                { coordinator_panel(&v.coordinator, &v.group) }
                { for v.participants.iter().map(participant_panel) }
                { events(v) }
                <TwoPcSettingsForm settings={v.settings.clone()} on_msg={props.on_msg.clone()} />
            </section>
        </main>
    }
}
