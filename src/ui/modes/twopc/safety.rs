//! What the two-phase commit checks found, for the shell's safety indicator and alarm: the
//! properties of atomic commitment (`sim::twopc::checks`), named by catalogue key.

use crate::sim::twopc::{Property, Violation};
use crate::ui::shell::safety::{Broken, Checked, SafetyView};

/// The property's id in the page's hooks and the keys of its name and promise.
pub fn checked(p: Property) -> Checked {
    let (id, name, promise) = match p {
        Property::Atomicity => ("Atomicity", "property.tp_atomicity", "promise.tp_atomicity"),
        Property::CommitValidity => (
            "CommitValidity",
            "property.tp_commit_validity",
            "promise.tp_commit_validity",
        ),
        Property::DecisionDurability => (
            "DecisionDurability",
            "property.tp_decision_durability",
            "promise.tp_decision_durability",
        ),
        Property::NoApplyWithoutCommit => (
            "NoApplyWithoutCommit",
            "property.tp_no_apply",
            "promise.tp_no_apply",
        ),
        Property::LocksHeldUntilDecision => (
            "LocksHeldUntilDecision",
            "property.tp_locks_held",
            "promise.tp_locks_held",
        ),
        Property::CommittedWritesVisible => (
            "CommittedWritesVisible",
            "property.tp_writes_visible",
            "promise.tp_writes_visible",
        ),
        Property::NoneLeftInDoubt => (
            "NoneLeftInDoubt",
            "property.tp_none_in_doubt",
            "promise.tp_none_in_doubt",
        ),
        Property::Serializable => (
            "Serializable",
            "property.tp_serializable",
            "promise.tp_serializable",
        ),
        Property::BoundedBlocking => (
            "BoundedBlocking",
            "property.tp_bounded_blocking",
            "promise.tp_bounded_blocking",
        ),
        Property::GroupRaftSafety => (
            "GroupRaftSafety",
            "property.tp_group_raft",
            "promise.tp_group_raft",
        ),
    };
    Checked { id, name, promise }
}

/// The run's checks and what they found. The page checks the seven safety properties after
/// every event; None Left In Doubt and Bounded Blocking are asked at the end of a healed run
/// (by the fault search), which a run on the page never reaches, and the coordinator group's
/// Raft safety needs the coordinator on Raft, which the page does not offer yet, so the
/// indicator claims none of them.
pub fn safety(violations: &[Violation]) -> SafetyView {
    SafetyView {
        checked: crate::sim::twopc::Property::ALL
            .into_iter()
            .filter(|p| {
                !matches!(
                    p,
                    Property::NoneLeftInDoubt
                        | Property::BoundedBlocking
                        | Property::GroupRaftSafety
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
