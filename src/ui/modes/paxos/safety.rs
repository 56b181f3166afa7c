//! What the Paxos checks found, for the shell's safety indicator and alarm: consensus's
//! safety properties and, in Multi-Paxos, the store's promises to its clients
//! (`sim::paxos::checks`), named by catalogue key.

use crate::sim::paxos::{Property, Variant, Violation};
use crate::ui::shell::safety::{Broken, Checked, SafetyView};

/// The property's id in the page's hooks and the keys of its name and promise.
pub fn checked(p: Property) -> Checked {
    let (id, name, promise) = match p {
        Property::Agreement => ("Agreement", "property.px_agreement", "promise.px_agreement"),
        Property::Validity => ("Validity", "property.px_validity", "promise.px_validity"),
        Property::LearnersAgree => (
            "LearnersAgree",
            "property.px_learners_agree",
            "promise.px_learners_agree",
        ),
        Property::AckedWritesKept => (
            "AckedWritesKept",
            "property.px_acked_kept",
            "promise.px_acked_kept",
        ),
        Property::Linearizability => (
            "Linearizability",
            "property.px_linearizability",
            "promise.px_linearizability",
        ),
    };
    Checked { id, name, promise }
}

/// The run's checks and what they found. Single-decree runs have no clients, so the
/// indicator claims only the consensus properties there.
pub fn safety(variant: Variant, violations: &[Violation]) -> SafetyView {
    SafetyView {
        checked: Property::ALL
            .into_iter()
            .filter(|p| {
                variant == Variant::Multi
                    || matches!(
                        p,
                        Property::Agreement | Property::Validity | Property::LearnersAgree
                    )
            })
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
