//! Each recent transaction's life, read from the trace: when it was submitted and began, each
//! participant's vote, the decision, each participant's outcome and release of its locks, the
//! time each spent blocked, and what the client heard. The page draws it as a timeline.

use super::model::TwoPcEngine;
use crate::sim::protocol::Event;
use crate::sim::twopc::{Note, Op, Outcome, TxnId};
use crate::sim::types::{Micros, NodeId};

/// How many transactions the timeline shows, and how many trace lines back it looks.
pub const TXNS_SHOWN: usize = 6;
const SCAN_LINES: usize = 8_000;

/// One participant's part in a transaction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lane {
    pub node: NodeId,
    /// When it voted, and how.
    pub vote: Option<(Micros, bool)>,
    /// When it committed or aborted.
    pub outcome: Option<(Micros, Outcome)>,
    /// When it released the transaction's locks.
    pub released_us: Option<Micros>,
    /// Blocked spans: from, and until (`None`: still blocked).
    pub blocked: Vec<(Micros, Option<Micros>)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TxnTimeline {
    pub txn: TxnId,
    pub ops: Vec<Op>,
    pub submitted_us: Micros,
    /// When the coordinator asked for the votes.
    pub began_us: Option<Micros>,
    /// When the coordinator decided, and what.
    pub decided: Option<(Micros, Outcome)>,
    pub lanes: Vec<Lane>,
    /// What the client was told, and when; or when it gave up.
    pub replied: Option<(Micros, Outcome)>,
    pub gave_up_us: Option<Micros>,
    /// When the coordinator wrote its end record (every commit acknowledged).
    pub ended_us: Option<Micros>,
}

impl TxnTimeline {
    fn lane(&mut self, node: NodeId) -> &mut Lane {
        let i = match self.lanes.iter().position(|l| l.node == node) {
            Some(i) => i,
            None => {
                self.lanes.push(Lane {
                    node,
                    ..Lane::default()
                });
                self.lanes.len() - 1
            }
        };
        &mut self.lanes[i]
    }

    /// Whether every participant knows the outcome and has released its locks.
    pub fn settled(&self) -> bool {
        self.decided.is_some()
            && !self.lanes.is_empty()
            && self.lanes.iter().all(|l| l.released_us.is_some())
    }
}

/// The latest transactions submitted within the last trace lines, oldest first.
pub fn timelines(sim: &TwoPcEngine) -> Vec<TxnTimeline> {
    let trace = sim.trace();
    let len = trace.len();
    let mut out: Vec<TxnTimeline> = Vec::new();
    let find = |out: &mut Vec<TxnTimeline>, txn: TxnId| out.iter().position(|t| t.txn == txn);
    for i in len.saturating_sub(SCAN_LINES)..len {
        let Some(line) = trace.get(i) else {
            continue;
        };
        let Event::Protocol(note) = &line.event else {
            continue;
        };
        let t = line.t;
        if let Note::TxnSubmit { txn, ops, .. } = note {
            out.push(TxnTimeline {
                txn: *txn,
                ops: ops.clone(),
                submitted_us: t,
                ..TxnTimeline::default()
            });
            continue;
        }
        let Some(txn) = txn_of(note) else {
            continue;
        };
        let Some(k) = find(&mut out, txn) else {
            continue;
        };
        let x = &mut out[k];
        match note {
            Note::TxnBegin { participants, .. } => {
                x.began_us.get_or_insert(t);
                for p in participants {
                    x.lane(*p);
                }
            }
            Note::TxnDecide { outcome, .. } => {
                x.decided.get_or_insert((t, *outcome));
            }
            Note::TxnVote { node, yes, .. } => {
                x.lane(*node).vote.get_or_insert((t, *yes));
            }
            Note::TxnCommit { node, .. } => {
                x.lane(*node).outcome.get_or_insert((t, Outcome::Commit));
            }
            Note::TxnAbort { node, .. } => {
                x.lane(*node).outcome.get_or_insert((t, Outcome::Abort));
            }
            Note::TxnRelease { node, .. } => {
                x.lane(*node).released_us.get_or_insert(t);
            }
            Note::TxnBlocked { node, .. } => {
                let lane = x.lane(*node);
                if lane.blocked.last().is_none_or(|b| b.1.is_some()) {
                    lane.blocked.push((t, None));
                }
            }
            Note::TxnUnblocked { node, .. } => {
                if let Some(b) = x.lane(*node).blocked.last_mut() {
                    b.1.get_or_insert(t);
                }
            }
            Note::TxnReply { outcome, .. } => {
                x.replied.get_or_insert((t, *outcome));
            }
            Note::TxnGiveUp { .. } => {
                x.gave_up_us.get_or_insert(t);
            }
            Note::TxnEnd { .. } => {
                x.ended_us.get_or_insert(t);
            }
            _ => {}
        }
    }
    let skip = out.len().saturating_sub(TXNS_SHOWN);
    out.drain(..skip);
    out
}

/// The transaction a line is about, for the lines the timeline reads.
fn txn_of(note: &Note) -> Option<TxnId> {
    match note {
        Note::TxnBegin { txn, .. }
        | Note::TxnDecide { txn, .. }
        | Note::TxnVote { txn, .. }
        | Note::TxnCommit { txn, .. }
        | Note::TxnAbort { txn, .. }
        | Note::TxnRelease { txn, .. }
        | Note::TxnBlocked { txn, .. }
        | Note::TxnUnblocked { txn, .. }
        | Note::TxnReply { txn, .. }
        | Note::TxnGiveUp { txn, .. }
        | Note::TxnEnd { txn, .. } => Some(*txn),
        _ => None,
    }
}
