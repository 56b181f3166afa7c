//! Which side panel is open, and which trace lines the event log shows: plain values that the
//! model holds and messages carry.

use crate::sim::trace::TraceEvent;
use crate::sim::types::NodeId;
use crate::ui::i18n::t;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Tab {
    Disks,
    Logs,
    Node,
    Events,
    Network,
    Diagram,
    Messages,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Logs,
        Tab::Node,
        Tab::Disks,
        Tab::Events,
        Tab::Network,
        Tab::Diagram,
        Tab::Messages,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Tab::Disks => t("tab.disks"),
            Tab::Logs => t("tab.logs"),
            Tab::Node => t("tab.node"),
            Tab::Events => t("tab.events"),
            Tab::Network => t("tab.network"),
            Tab::Diagram => t("tab.diagram"),
            Tab::Messages => t("tab.messages"),
        }
    }
    pub fn id(self) -> &'static str {
        match self {
            Tab::Disks => "disks",
            Tab::Logs => "logs",
            Tab::Node => "node",
            Tab::Events => "events",
            Tab::Network => "network",
            Tab::Diagram => "diagram",
            Tab::Messages => "messages",
        }
    }
}

/// Which trace lines the event log shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub node: Option<NodeId>,
    /// A `TraceEvent::kind()` group: "" for all, else one of `KIND_GROUPS`.
    pub kind: String,
}

/// Kind groups the event log filters by, with the trace kinds each holds.
pub const KIND_GROUPS: [(&str, &[&str]); 7] = [
    ("messages", &["send", "deliver", "drop"]),
    ("elections", &["role", "vote"]),
    (
        "log",
        &["log_append", "log_truncate", "snapshot", "commit", "apply"],
    ),
    (
        "faults",
        &["crash", "restart", "partition", "heal", "cut", "repair"],
    ),
    ("clients", &["client_request", "client_reply"]),
    (
        "disk",
        &[
            "wal_write",
            "wal_sync",
            "snapshot_write",
            "recover_start",
            "replay",
            "recover_done",
            "discard_torn",
        ],
    ),
    ("no messages", &[]),
];

impl EventFilter {
    pub fn matches(&self, event: &TraceEvent) -> bool {
        if let Some(n) = self.node {
            let about = match event {
                TraceEvent::Send { from, to, .. } => {
                    *from == crate::sim::types::Addr::Node(n)
                        || *to == crate::sim::types::Addr::Node(n)
                }
                _ => event.node() == Some(n),
            };
            if !about {
                return false;
            }
        }
        if self.kind.is_empty() {
            return true;
        }
        if self.kind == "no messages" {
            return !matches!(
                event,
                TraceEvent::Send { .. } | TraceEvent::Deliver { .. } | TraceEvent::Drop { .. }
            );
        }
        KIND_GROUPS
            .iter()
            .find(|(name, _)| *name == self.kind)
            .is_some_and(|(_, kinds)| kinds.contains(&event.kind()))
    }
}
