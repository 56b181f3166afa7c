//! The live safety checks: a calm indicator while every property holds, and an explained
//! alarm naming the property, what it promises and the nodes involved when one breaks.

use super::format;
use crate::sim::check::{Property, Violation};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SafetyProps {
    pub violations: Rc<Vec<Violation>>,
}

#[function_component(SafetyBadge)]
pub fn safety_badge(props: &SafetyProps) -> Html {
    let n = props.violations.len();
    let all = Property::ALL
        .iter()
        .map(|p| p.name())
        .collect::<Vec<_>>()
        .join(", ");
    if n == 0 {
        html! {
            <div class="safety ok" data-testid="safety" data-state="ok" title={format!("Checked after every event: {all}")}>
                <span aria-hidden="true">{ "✔" }</span>{ format!(" All {} safety checks hold", Property::ALL.len()) }
            </div>
        }
    } else {
        html! {
            <div class="safety bad" data-testid="safety" data-state="violated" role="status">
                <span aria-hidden="true">{ "⚠" }</span>{ format!(" {n} safety violation{}", if n == 1 { "" } else { "s" }) }
            </div>
        }
    }
}

#[function_component(SafetyAlarm)]
pub fn safety_alarm(props: &SafetyProps) -> Html {
    let Some(v) = props.violations.first() else {
        return html! {};
    };
    let nodes = v
        .nodes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <div class="alarm" role="alert" data-testid="safety-alarm" data-property={format!("{:?}", v.property)}>
            <strong>{ format!("{} broken", v.property.name()) }</strong>
            <p>{ format!("Raft promises that {}. ", v.property.promise()) }
               { format!("At {}{}: {}", format::ms(v.t), if nodes.is_empty() { String::new() } else { format!(", on {nodes}") }, v.detail) }</p>
            if props.violations.len() > 1 {
                <p class="muted">{ format!("and {} more", props.violations.len() - 1) }</p>
            }
        </div>
    }
}
