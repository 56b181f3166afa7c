//! What a broken property's detail says, as catalogue keys (`violation.tp_*`) that the page
//! shows in the learner's language; the `Display` in `property.rs` is the CLI's English.

use super::property::Detail;
use crate::i18n::Text;
use crate::sim::twopc::message::Outcome;
use crate::sim::twopc::types::txn_name;

fn outcome(o: &Outcome) -> Text {
    Text::new(match o {
        Outcome::Commit => "tp.outcome.committed",
        Outcome::Abort => "tp.outcome.aborted",
    })
}

/// A moment as the page's clock shows it: seconds with four decimals.
fn seconds(us: crate::sim::types::Micros) -> String {
    format!("{:.4} s", us as f64 / 1e6)
}

impl Detail {
    pub fn text(&self) -> Text {
        match self {
            Detail::Split {
                first_node,
                first,
                first_line,
                second_node,
                second,
            } => Text::new("violation.tp_split")
                .with_text("first", outcome(first))
                .with("first_node", first_node)
                .with("line", first_line + 1)
                .with_text("second", outcome(second))
                .with("second_node", second_node),
            Detail::MissingYes {
                node,
                voter: Some(v),
            } => Text::new("violation.tp_missing_yes")
                .with("node", node)
                .with("voter", v),
            Detail::MissingYes { node, voter: None } => {
                Text::new("violation.tp_unnamed").with("node", node)
            }
            Detail::Contradicted {
                decided,
                line,
                now,
                presumed,
            } => Text::new(if *presumed {
                "violation.tp_contradicted_presumed"
            } else {
                "violation.tp_contradicted"
            })
            .with_text("decided", outcome(decided))
            .with("line", line + 1)
            .with_text("now", outcome(now)),
            Detail::AppliedWithout {
                node,
                decided: None,
            } => Text::new("violation.tp_applied_early").with("node", node),
            Detail::AppliedWithout {
                node,
                decided: Some(o),
            } => Text::new("violation.tp_applied_against")
                .with("node", node)
                .with_text("decided", outcome(o)),
            Detail::EarlyRelease {
                node,
                decided: false,
            } => Text::new("violation.tp_released_early").with("node", node),
            Detail::EarlyRelease {
                node,
                decided: true,
            } => Text::new("violation.tp_released_unlogged").with("node", node),
            Detail::StaleRead {
                node,
                key,
                read,
                writer,
                applied,
            } => Text::new(if *applied {
                "violation.tp_stale_read_applied"
            } else {
                "violation.tp_stale_read"
            })
            .with("node", node)
            .with("key", key)
            .with("read", txn_name(*read))
            .with("writer", txn_name(*writer)),
            Detail::DirtyRead { node, key, read } => Text::new("violation.tp_dirty_read")
                .with("node", node)
                .with("key", key)
                .with("read", txn_name(*read)),
            Detail::InDoubt { node, since_us } => Text::new("violation.tp_in_doubt")
                .with("node", node)
                .with("time", seconds(*since_us)),
            Detail::Unacknowledged { since_us } => {
                Text::new("violation.tp_unacknowledged").with("time", seconds(*since_us))
            }
            Detail::Cycle { txns } => {
                let names: Vec<String> = txns.iter().map(|t| txn_name(*t)).collect();
                Text::new("violation.tp_cycle").with("txns", names.join(" → "))
            }
            Detail::BlockedTooLong {
                node,
                blocked_us,
                bound_us,
            } => Text::new("violation.tp_blocked_too_long")
                .with("node", node)
                .with("blocked", seconds(*blocked_us))
                .with("bound", seconds(*bound_us)),
            Detail::GroupRaft { text } => Text::new("violation.tp_group_raft").with("detail", text),
        }
    }
}
