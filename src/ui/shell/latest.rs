//! The latest events of a run in words, newest first: what the retransmission and two-phase
//! commit pages list. A mode says which trace lines are worth reading and how; this walks the
//! end of the trace once per refresh, never the whole of it.

use crate::sim::protocol::{Line, Protocol};
use crate::sim::trace::Trace;
use crate::sim::types::Micros;

/// One line of the latest events: when, its kind (`data-kind`) and its words.
#[derive(Clone, Debug, PartialEq)]
pub struct EventView {
    pub t_us: Micros,
    pub kind: &'static str,
    pub text: String,
}

/// Up to `shown` events from the last `scan_lines` lines of `trace`, newest first; `said`
/// reads a line (with its position, to look at the one before) as a kind and its words.
pub fn latest_events<P: Protocol>(
    trace: &Trace<P>,
    scan_lines: usize,
    shown: usize,
    said: impl Fn(usize, &Line<P>) -> Option<(&'static str, String)>,
) -> Vec<EventView> {
    let len = trace.len();
    let mut out = Vec::new();
    for i in (len.saturating_sub(scan_lines)..len).rev() {
        if out.len() == shown {
            break;
        }
        let Some(line) = trace.get(i) else {
            continue;
        };
        if let Some((kind, text)) = said(i, line) {
            out.push(EventView {
                t_us: line.t,
                kind,
                text,
            });
        }
    }
    out
}
