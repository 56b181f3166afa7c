//! Words for what the engine reports for every protocol: times, speeds, addresses, nodes.

use crate::sim::types::{Addr, Micros, NodeId};
use crate::ui::i18n::{t, tf};

/// Simulated time as seconds with four decimals (a tenth of a millisecond).
pub fn time(us: Micros) -> String {
    format!("{}.{:04} s", us / 1_000_000, us % 1_000_000 / 100)
}

/// A short time for axis labels and the event log: milliseconds with one decimal.
pub fn ms(us: Micros) -> String {
    format!("{}.{} ms", us / 1000, us % 1000 / 100)
}

/// The speed factor as a learner reads it: "1/20×", "2×".
pub fn speed(factor: f64) -> String {
    if factor >= 0.95 {
        format!("{}×", crate::ui::shell::geometry::num(factor))
    } else {
        let inverse = 1.0 / factor;
        let nice = if inverse >= 100.0 {
            (inverse / 10.0).round() as u64 * 10
        } else {
            inverse.round() as u64
        };
        format!("1/{nice}×")
    }
}

pub fn addr(a: Addr) -> String {
    match a {
        Addr::Node(n) => n.to_string(),
        Addr::Client(c) if c.0 == 0 => t("addr.you").to_string(),
        Addr::Client(c) => tf("addr.client", &[("client", &c.0)]),
    }
}

pub fn opt_node(n: Option<NodeId>) -> String {
    n.map_or_else(|| "—".to_string(), |n| n.to_string())
}
