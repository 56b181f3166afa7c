//! The failover timeline: for each failure of a primary (read from the trace by
//! `sim::pb::page::RunReader`), the moments it went through, drawn as a bar of its phases
//! (detection, the view service's decision, the takeover) and listed in words: the failure,
//! the suspicion (and whether it was wrong: the primary was running), the new view, cold
//! mode's replay, the first write the new primary answered; then the acknowledged writes the
//! failover lost, by name (warm mode's tail).

use super::view::PbView;
use crate::sim::pb::note::DeadReason;
use crate::sim::pb::page::{FailoverStory, Failure};
use crate::sim::types::Micros;
use crate::ui::i18n::{t, tf, tx};
use crate::ui::shell::format::time;
use yew::prelude::*;

/// How many lost writes a story lists before "and n more".
const LOST_LISTED: usize = 12;

fn failure_hook(f: Failure) -> &'static str {
    match f {
        Failure::Crash => "crash",
        Failure::Isolated => "isolated",
        Failure::Paused => "paused",
        Failure::Suspected => "suspected",
    }
}

/// "+0.52 s" after the failure.
fn after(story: &FailoverStory, t_us: Micros) -> String {
    let d = t_us.saturating_sub(story.failed_us);
    tf("pb.tl.after", &[("time", &super::stage::seconds(d))])
}

fn step(hook: &'static str, when: Option<String>, words: String) -> Html {
    let pending = when.is_none();
    html! {
        <li data-step={hook} class={classes!(pending.then_some("pending"))}>
            <time>{ when.unwrap_or_else(|| t("pb.tl.waiting").to_string()) }</time>{ " " }{ words }
        </li>
    }
}

/// The bar of a story's phases, each as wide as it took (the open one grows to now).
fn bar(story: &FailoverStory, now_us: Micros) -> Html {
    let end = story.served_us.unwrap_or(now_us).max(story.failed_us + 1);
    let total = (end - story.failed_us) as f64;
    let suspected = story.suspected.map(|(t, _)| t);
    let new_view = story.new_view.map(|(t, _, _)| t);
    let phases = [
        ("detect", story.failed_us, suspected.unwrap_or(end)),
        ("decide", suspected.unwrap_or(end), new_view.unwrap_or(end)),
        ("takeover", new_view.unwrap_or(end), end),
    ];
    html! {
        <div class="pb-bar" aria-hidden="true">
            { for phases.iter().filter(|(_, a, b)| b > a).map(|(class, a, b)| {
                let pct = (*b - *a) as f64 / total * 100.0;
                html! { <span class={classes!("pb-phase", *class)} style={format!("width:{pct:.1}%")}></span> }
            }) }
        </div>
    }
}

fn story_card(story: &FailoverStory, v: &PbView) -> Html {
    let node = &story.primary;
    let head = match story.failure {
        Failure::Crash => tf("pb.tl.crash", &[("node", node), ("view", &story.view)]),
        Failure::Isolated => tf("pb.tl.isolated", &[("node", node), ("view", &story.view)]),
        Failure::Paused => tf("pb.tl.paused", &[("node", node), ("view", &story.view)]),
        Failure::Suspected => tf(
            "pb.tl.suspected_first",
            &[("node", node), ("view", &story.view)],
        ),
    };
    let suspicion = match story.suspected {
        Some((_, DeadReason::Restarted)) => tf("pb.tl.dead_restarted", &[("node", node)]),
        Some((_, DeadReason::Timeout)) if story.wrongly => tf(
            "pb.tl.dead_wrongly",
            &[
                ("node", node),
                (
                    "timeout",
                    &super::stage::seconds(v.settings.pb.dead_timeout_us),
                ),
            ],
        ),
        _ => tf(
            "pb.tl.dead_timeout",
            &[
                ("node", node),
                (
                    "timeout",
                    &super::stage::seconds(v.settings.pb.dead_timeout_us),
                ),
            ],
        ),
    };
    let new_view = match story.new_view {
        Some((_, view, Some(p))) => tf("pb.tl.new_view", &[("view", &view), ("node", &p)]),
        Some((_, view, None)) => tf("pb.tl.new_view_empty", &[("view", &view)]),
        // 6.824's rule: the service never moves on from a view its primary has not
        // acknowledged, so a primary that fails before acknowledging leaves it stuck.
        None if v
            .view_service()
            .is_some_and(|vs| !vs.acked && vs.view == story.view) =>
        {
            tf(
                "pb.tl.new_view_stuck",
                &[("node", node), ("view", &story.view)],
            )
        }
        None => t("pb.tl.new_view_pending").to_string(),
    };
    let new_primary = story.new_view.and_then(|(_, _, p)| p);
    let served = match new_primary {
        Some(p) => tf("pb.tl.served", &[("node", &p)]),
        None => t("pb.tl.served_pending").to_string(),
    };
    let cold = v.replication() == crate::sim::pb::Replication::Cold;
    let lost = &story.lost;
    let more = lost.len().saturating_sub(LOST_LISTED);
    html! {
        <li class="pb-failover" data-testid="pb-failover" data-failure={failure_hook(story.failure)}
            data-primary={node.0.to_string()} data-wrongly={story.wrongly.to_string()}
            data-new-view={story.new_view.map_or(String::new(), |(_, n, _)| n.to_string())}
            data-new-primary={new_primary.map_or(String::new(), |p| p.0.to_string())}
            data-lost={lost.len().to_string()} data-done={story.served_us.is_some().to_string()}>
            <h3><time>{ time(story.failed_us) }</time>{ " " }{ head }</h3>
            { bar(story, v.now_us) }
            <ol class="pb-steps">
                { step("suspected", story.suspected.map(|(t, _)| after(story, t)), suspicion) }
                { step("new-view", story.new_view.map(|(t, _, _)| after(story, t)), new_view) }
                if cold {
                    { step("replay", story.replay.map(|(t, _, _, _)| after(story, t)), match story.replay {
                        Some((_, seq, entries, cost)) => tf("pb.tl.replay", &[
                            ("seq", &seq), ("count", &entries), ("cost", &super::stage::seconds(cost)),
                        ]),
                        None => t("pb.tl.replay_pending").to_string(),
                    }) }
                }
                { step("served", story.served_us.map(|t| after(story, t)), served) }
            </ol>
            <p class={classes!("pb-lost-line", (!lost.is_empty()).then_some("bad"))} data-testid="pb-lost-count">
                { tf("pb.tl.lost_count", &[("count", &lost.len())]) }
            </p>
            if !lost.is_empty() {
                <ul class="pb-lost" data-testid="pb-lost">
                    { for lost.iter().take(LOST_LISTED).map(|l| html! {
                        <li data-client={l.client.0.to_string()} data-request={l.request.to_string()} data-seq={l.seq.to_string()}>
                            { tf("pb.tl.lost_write", &[("client", &l.client), ("request", &l.request), ("seq", &l.seq)]) }
                        </li>
                    }) }
                    if more > 0 {
                        <li>{ tf("pb.tl.lost_more", &[("count", &more)]) }</li>
                    }
                </ul>
            }
        </li>
    }
}

/// The timeline panel: the newest failovers, newest first.
pub fn timeline(v: &PbView) -> Html {
    html! {
        <div class="card pb-panel pb-timeline" data-testid="pb-timeline">
            <h2>{ tx("pb.tl.title") }</h2>
            <p class="muted">{ tx("pb.tl.hint") }</p>
            <div class="pb-bar-legend muted" aria-hidden="true">
                <span class="pb-phase detect"></span>{ tx("pb.tl.phase_detect") }
                <span class="pb-phase decide"></span>{ tx("pb.tl.phase_decide") }
                <span class="pb-phase takeover"></span>{ tx("pb.tl.phase_takeover") }
            </div>
            if v.stories.is_empty() {
                <p class="muted">{ tx("pb.tl.none") }</p>
            }
            <ol class="pb-stories">
                { for v.stories.iter().rev().map(|s| story_card(s, v)) }
            </ol>
        </div>
    }
}
