//! The live safety checks: a calm indicator while every property holds, and an explained
//! alarm naming the property, what it promises and the nodes involved when one breaks.

use crate::sim::raft::checks::{Detail, Property, Violation};
use crate::ui::i18n::{t, tf, use_lang, words};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SafetyProps {
    pub violations: Rc<Vec<Violation>>,
}

#[function_component(SafetyBadge)]
pub fn safety_badge(props: &SafetyProps) -> Html {
    use_lang();
    let n = props.violations.len();
    let all = Property::ALL
        .iter()
        .map(|p| property_name(*p))
        .collect::<Vec<_>>()
        .join(t("list.separator"));
    if n == 0 {
        html! {
            <div class="safety ok" data-testid="safety" data-state="ok" title={tf("safety.checked", &[("properties", &all)])}>
                <span aria-hidden="true">{ "✔" }</span>{ " " }{ tf("safety.ok", &[("count", &Property::ALL.len())]) }
            </div>
        }
    } else {
        html! {
            <div class="safety bad" data-testid="safety" data-state="violated" role="status">
                <span aria-hidden="true">{ "⚠" }</span>{ " " }{ if n == 1 { t("safety.violation").to_string() } else { tf("safety.violations", &[("count", &n)]) } }
            </div>
        }
    }
}

#[function_component(SafetyAlarm)]
pub fn safety_alarm(props: &SafetyProps) -> Html {
    use_lang();
    let Some(v) = props.violations.first() else {
        return html! {};
    };
    let nodes = v
        .nodes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(t("list.separator"));
    let place = if nodes.is_empty() {
        tf("safety.at", &[("time", &crate::ui::shell::format::ms(v.t))])
    } else {
        tf(
            "safety.at_on",
            &[
                ("time", &crate::ui::shell::format::ms(v.t)),
                ("nodes", &nodes),
            ],
        )
    };
    html! {
        <div class="alarm" role="alert" data-testid="safety-alarm" data-property={format!("{:?}", v.property)}>
            <strong>{ tf("safety.broken", &[("property", &property_name(v.property))]) }</strong>
            <p>{ tf("safety.promise", &[("promise", &property_promise(v.property))]) }{ " " }
               { tf("safety.detail", &[("place", &place), ("detail", &detail_words(&v.detail))]) }</p>
            if props.violations.len() > 1 {
                <p class="muted">{ tf("safety.more", &[("count", &(props.violations.len() - 1))]) }</p>
            }
        </div>
    }
}

/// A safety property's name in the language shown (the Raft paper's names in English).
pub fn property_name(p: Property) -> &'static str {
    match p {
        Property::ElectionSafety => t("property.election_safety"),
        Property::LeaderAppendOnly => t("property.leader_append_only"),
        Property::LogMatching => t("property.log_matching"),
        Property::LeaderCompleteness => t("property.leader_completeness"),
        Property::StateMachineSafety => t("property.state_machine_safety"),
        Property::AckedWritesDurable => t("property.acked_writes_durable"),
        Property::Linearizability => t("property.linearizability"),
        Property::RecoveryReplay => t("property.recovery_replay"),
    }
}

/// What a safety property promises, in one sentence.
pub fn property_promise(p: Property) -> &'static str {
    match p {
        Property::ElectionSafety => t("promise.election_safety"),
        Property::LeaderAppendOnly => t("promise.leader_append_only"),
        Property::LogMatching => t("promise.log_matching"),
        Property::LeaderCompleteness => t("promise.leader_completeness"),
        Property::StateMachineSafety => t("promise.state_machine_safety"),
        Property::AckedWritesDurable => t("promise.acked_writes_durable"),
        Property::Linearizability => t("promise.linearizability"),
        Property::RecoveryReplay => t("promise.recovery_replay"),
    }
}

/// What exactly broke, in the language shown; the same words the command-line tool prints.
pub fn detail_words(d: &Detail) -> String {
    words(&d.text())
}
