//! The live safety checks, for whichever protocol is on screen: a calm indicator while every
//! property holds, and an explained alarm naming the property, what it promises and the nodes
//! involved when one breaks. A mode says what its checks found as a [`SafetyView`]
//! (`ui::modes::safety`); the words are looked up when drawn, so they follow the language.

use crate::i18n::Text;
use crate::sim::types::{Micros, NodeId};
use crate::ui::i18n::{t, tf, use_lang, words};
use std::rc::Rc;
use yew::prelude::*;

/// A property the run's checks watch: its id in the page's hooks (`data-property`) and the
/// catalogue keys of its name and of what it promises.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub id: &'static str,
    pub name: &'static str,
    pub promise: &'static str,
}

/// A property that broke: which, when, the nodes involved and what exactly happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Broken {
    pub property: Checked,
    pub t_us: Micros,
    pub nodes: Vec<NodeId>,
    pub detail: Text,
}

/// What the header's indicator and alarm show for the run on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct SafetyView {
    pub checked: Vec<Checked>,
    /// In the order the checks found them.
    pub broken: Vec<Broken>,
}

#[derive(Properties, PartialEq)]
pub struct SafetyProps {
    pub safety: Rc<SafetyView>,
}

#[function_component(SafetyBadge)]
pub fn safety_badge(props: &SafetyProps) -> Html {
    use_lang();
    let s = &props.safety;
    let n = s.broken.len();
    if n == 0 {
        let all = s
            .checked
            .iter()
            .map(|p| t(p.name))
            .collect::<Vec<_>>()
            .join(t("list.separator"));
        html! {
            <div class="safety ok" data-testid="safety" data-state="ok" title={tf("safety.checked", &[("properties", &all)])}>
                <span aria-hidden="true">{ "✔" }</span>{ " " }
                { if s.checked.len() == 2 { t("safety.ok_both").to_string() } else { tf("safety.ok", &[("count", &s.checked.len())]) } }
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
    let Some(v) = props.safety.broken.first() else {
        return html! {};
    };
    let nodes = v
        .nodes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(t("list.separator"));
    let time = crate::ui::shell::format::ms(v.t_us);
    let place = if nodes.is_empty() {
        tf("safety.at", &[("time", &time)])
    } else {
        tf("safety.at_on", &[("time", &time), ("nodes", &nodes)])
    };
    let more = props.safety.broken.len() - 1;
    html! {
        <div class="alarm" role="alert" data-testid="safety-alarm" data-property={v.property.id}>
            <strong>{ tf("safety.broken", &[("property", &t(v.property.name))]) }</strong>
            <p>{ tf("safety.promise", &[("promise", &t(v.property.promise))]) }{ " " }
               { tf("safety.detail", &[("place", &place), ("detail", &words(&v.detail))]) }</p>
            if more > 0 {
                <p class="muted">{ tf("safety.more", &[("count", &more)]) }</p>
            }
        </div>
    }
}
