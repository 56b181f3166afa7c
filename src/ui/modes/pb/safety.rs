//! What the primary-backup checks found, for the shell's safety indicator and alarm: one
//! primary per view, a primary serving only while it holds the view, the backups' order,
//! acknowledged writes kept and linearizability (`sim::pb::checks`), named by catalogue key.

use crate::sim::pb::{Property, Replication, Violation};
use crate::ui::shell::safety::{Broken, Checked, SafetyView};

/// The property's id in the page's hooks and the keys of its name and promise.
pub fn checked(p: Property) -> Checked {
    let (id, name, promise) = match p {
        Property::OnePrimaryPerView => (
            "OnePrimaryPerView",
            "property.pb_one_primary",
            "promise.pb_one_primary",
        ),
        Property::PrimaryHoldsTheView => (
            "PrimaryHoldsTheView",
            "property.pb_holds_view",
            "promise.pb_holds_view",
        ),
        Property::BackupOrder => (
            "BackupOrder",
            "property.pb_backup_order",
            "promise.pb_backup_order",
        ),
        Property::AckedWritesKept => (
            "AckedWritesKept",
            "property.pb_acked_kept",
            "promise.pb_acked_kept",
        ),
        Property::Linearizability => (
            "Linearizability",
            "property.pb_linearizability",
            "promise.pb_linearizability",
        ),
    };
    Checked { id, name, promise }
}

/// The run's checks and what they found. Warm mode loses acknowledged writes by design (the
/// checks report them as expected losses) and is not linearizable across a failover, so the
/// indicator does not claim linearizability there.
pub fn safety(replication: Replication, violations: &[Violation]) -> SafetyView {
    SafetyView {
        checked: Property::ALL
            .into_iter()
            .filter(|p| replication != Replication::Warm || *p != Property::Linearizability)
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
