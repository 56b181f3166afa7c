//! What Raft's live checks found, for the shell's safety indicator and alarm: the Raft
//! paper's properties (Figure 3) and the client-facing ones, named by catalogue key.

use crate::sim::raft::checks::{Property, Violation};
use crate::ui::shell::safety::{Broken, Checked, SafetyView};

/// The property's id in the page's hooks and the keys of its name and promise.
pub fn checked(p: Property) -> Checked {
    let (id, name, promise) = match p {
        Property::ElectionSafety => (
            "ElectionSafety",
            "property.election_safety",
            "promise.election_safety",
        ),
        Property::LeaderAppendOnly => (
            "LeaderAppendOnly",
            "property.leader_append_only",
            "promise.leader_append_only",
        ),
        Property::LogMatching => (
            "LogMatching",
            "property.log_matching",
            "promise.log_matching",
        ),
        Property::LeaderCompleteness => (
            "LeaderCompleteness",
            "property.leader_completeness",
            "promise.leader_completeness",
        ),
        Property::StateMachineSafety => (
            "StateMachineSafety",
            "property.state_machine_safety",
            "promise.state_machine_safety",
        ),
        Property::AckedWritesDurable => (
            "AckedWritesDurable",
            "property.acked_writes_durable",
            "promise.acked_writes_durable",
        ),
        Property::Linearizability => (
            "Linearizability",
            "property.linearizability",
            "promise.linearizability",
        ),
        Property::RecoveryReplay => (
            "RecoveryReplay",
            "property.recovery_replay",
            "promise.recovery_replay",
        ),
    };
    Checked { id, name, promise }
}

/// The run's checks and what they found.
pub fn safety(violations: &[Violation]) -> SafetyView {
    SafetyView {
        checked: Property::ALL.iter().map(|p| checked(*p)).collect(),
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
