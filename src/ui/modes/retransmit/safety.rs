//! What the retransmission checks found, for the shell's safety indicator and alarm: reliable
//! delivery's three properties (`sim::retransmit::checks`), named by catalogue key.

use crate::sim::retransmit::checks::{Property, Violation};
use crate::ui::shell::safety::{Broken, Checked, SafetyView};

/// The property's id in the page's hooks and the keys of its name and promise.
pub fn checked(p: Property) -> Checked {
    let (id, name, promise) = match p {
        Property::NoDuplicateDelivery => (
            "NoDuplicateDelivery",
            "property.no_duplicate_delivery",
            "promise.no_duplicate_delivery",
        ),
        Property::InOrderDelivery => (
            "InOrderDelivery",
            "property.in_order_delivery",
            "promise.in_order_delivery",
        ),
        Property::Liveness => ("Liveness", "property.liveness", "promise.liveness"),
    };
    Checked { id, name, promise }
}

/// The run's checks and what they found. The page checks the two safety properties after
/// every event; Liveness is asked at the end of a run (by the fault search), which a run on
/// the page never reaches, so the indicator does not claim it.
pub fn safety(violations: &[Violation]) -> SafetyView {
    SafetyView {
        checked: [Property::NoDuplicateDelivery, Property::InOrderDelivery]
            .into_iter()
            .map(checked)
            .collect(),
        broken: violations
            .iter()
            .map(|v| Broken {
                property: checked(v.property),
                t_us: v.t,
                nodes: v.nodes.clone(),
                detail: v.detail.text(),
            })
            .collect(),
    }
}
