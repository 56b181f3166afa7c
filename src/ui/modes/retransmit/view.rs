//! What the retransmission page shows, projected from the run: per pair the sender's window
//! (acknowledged, in flight, resent, waiting), the receiver's (delivered, kept out of order,
//! next expected) and the RTO estimate; the run's counters; its latest events in words.

use super::model::{RetransmitEngine, RetransmitRun};
use super::run::lost_sends;
use crate::sim::protocol::Event;
use crate::sim::retransmit::goodput::GoodputChart;
use crate::sim::retransmit::{
    nodes_of, DiscardReason, Message, Note, RetransmitNode, RetransmitReason, RetransmitSettings,
    Seq,
};
use crate::sim::types::{Micros, NodeId};
use crate::ui::i18n::{t, tf, words};
use crate::ui::shell::format::ms;
use crate::ui::shell::latest::latest_events;
pub use crate::ui::shell::latest::EventView;
use std::rc::Rc;

/// How many events the latest-events list shows, and how many trace lines it looks through.
const EVENTS_SHOWN: usize = 8;
const EVENTS_SCAN_LINES: usize = 3_000;

#[derive(Clone, Debug, PartialEq)]
pub struct PairView {
    pub pair: u32,
    pub sender: NodeId,
    pub receiver: NodeId,
    /// The sender's state, `None` while it is crashed.
    pub sender_state: Option<SenderView>,
    pub receiver_state: Option<ReceiverView>,
    /// The last message of this pair lost on the way: its number, whether it was an
    /// acknowledgement, and when.
    pub last_loss: Option<(Seq, bool, Micros)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SenderView {
    /// Messages the application handed over so far.
    pub accepted: Seq,
    pub acked_through: Seq,
    /// Sent and not acknowledged, in order.
    pub in_flight: Vec<Seq>,
    /// Of those, the ones sent more than once.
    pub resent: Vec<Seq>,
    /// Reported by a selective acknowledgement above the cumulative point.
    pub sacked: Vec<Seq>,
    pub srtt_us: Option<Micros>,
    pub rttvar_us: Micros,
    pub rto_us: Micros,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReceiverView {
    pub delivered_through: Seq,
    pub buffered: Vec<Seq>,
}

/// The run's counters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts {
    pub lost: u64,
    pub duplicated: u64,
    pub retransmissions: u64,
    pub duplicates_dropped: u64,
    pub delivered: u64,
    pub violations: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RetransmitView {
    pub settings: RetransmitSettings,
    /// The window both ends use (1 under stop-and-wait).
    pub window: u64,
    pub pairs: Vec<PairView>,
    pub counts: Counts,
    pub events: Vec<EventView>,
    pub chart: Option<Rc<GoodputChart>>,
    /// The violations the live checks found, in words.
    pub violations: Vec<String>,
}

impl RetransmitView {
    pub fn build(run: &RetransmitRun) -> RetransmitView {
        let sim = run.sim();
        let settings = sim.settings().clone();
        let c = sim.coverage();
        RetransmitView {
            window: settings.retransmit.window_effective(),
            pairs: (0..settings.retransmit.pairs)
                .map(|p| pair_view(sim, p))
                .collect(),
            counts: Counts {
                lost: c.messages_dropped,
                duplicated: c.messages_duplicated,
                retransmissions: c.retransmissions,
                duplicates_dropped: c.duplicates_dropped,
                delivered: c.delivered,
                violations: sim.violations().len() as u64,
            },
            events: events(sim),
            chart: run.chart.clone(),
            violations: sim
                .violations()
                .iter()
                .take(3)
                .map(|v| {
                    let property = super::safety::checked(v.property);
                    tf(
                        "rt.violation_line",
                        &[
                            ("property", &t(property.name)),
                            ("time", &ms(v.t)),
                            ("detail", &words(&v.detail.text())),
                        ],
                    )
                })
                .collect(),
            settings,
        }
    }
}

fn pair_view(sim: &RetransmitEngine, pair: u32) -> PairView {
    let (sender, receiver) = nodes_of(pair);
    let policy = &sim.settings().retransmit.rto;
    let sender_state = match sim.node(sender).and_then(|n| n.process.as_ref()) {
        Some(RetransmitNode::Sender(s)) => {
            let sent = s.unacked().iter().filter(|(_, m)| m.sent_at_us.is_some());
            Some(SenderView {
                accepted: s.next_accept_seq().saturating_sub(1),
                acked_through: s.acked_through(),
                in_flight: sent
                    .clone()
                    .filter(|(_, m)| !m.sacked)
                    .map(|(q, _)| *q)
                    .collect(),
                resent: sent
                    .clone()
                    .filter(|(_, m)| m.transmissions > 1 && !m.sacked)
                    .map(|(q, _)| *q)
                    .collect(),
                sacked: sent.filter(|(_, m)| m.sacked).map(|(q, _)| *q).collect(),
                srtt_us: s.rto().srtt_us(),
                rttvar_us: s.rto().rttvar_us(),
                rto_us: s.rto().current_us(policy),
            })
        }
        _ => None,
    };
    let receiver_state = match sim.node(receiver).and_then(|n| n.process.as_ref()) {
        Some(RetransmitNode::Receiver(r)) => Some(ReceiverView {
            delivered_through: r.delivered_through(),
            buffered: r.buffered().keys().copied().collect(),
        }),
        _ => None,
    };
    let last_loss = lost_sends(sim)
        .find(|l| {
            matches!((l.from, l.to), (crate::sim::types::Addr::Node(a), crate::sim::types::Addr::Node(b))
                if a == sender || b == sender)
        })
        .map(|l| match l.msg {
            Message::Data { seq, .. } => (*seq, false, l.t_us),
            Message::Ack { cumulative, .. } => (*cumulative, true, l.t_us),
        });
    PairView {
        pair,
        sender,
        receiver,
        sender_state,
        receiver_state,
        last_loss,
    }
}

/// The latest events worth reading, newest first.
fn events(sim: &RetransmitEngine) -> Vec<EventView> {
    let trace = sim.trace();
    latest_events(
        trace,
        EVENTS_SCAN_LINES,
        EVENTS_SHOWN,
        |i, line| match &line.event {
            Event::Drop { id, .. } => {
                let sent = i.checked_sub(1).and_then(|j| trace.get(j));
                match sent.map(|l| &l.event) {
                    Some(Event::Send { id: s, msg, .. }) if s == id => Some(match msg {
                        Message::Data { seq, .. } => {
                            ("lost-data", tf("rt.ev.lost_data", &[("seq", seq)]))
                        }
                        Message::Ack { cumulative, .. } => {
                            ("lost-ack", tf("rt.ev.lost_ack", &[("seq", cumulative)]))
                        }
                    }),
                    _ => None,
                }
            }
            Event::Crash { node } => Some(("crash", tf("rt.ev.crash", &[("node", node)]))),
            Event::Restart { node } => Some(("restart", tf("rt.ev.restart", &[("node", node)]))),
            Event::Protocol(note) => note_words(note),
            _ => None,
        },
    )
}

fn note_words(note: &Note) -> Option<(&'static str, String)> {
    Some(match note {
        Note::Retransmit {
            node,
            seq,
            attempt,
            reason: RetransmitReason::Timeout,
        } => (
            "retransmit",
            tf(
                "rt.ev.resend",
                &[("node", node), ("seq", seq), ("attempt", attempt)],
            ),
        ),
        Note::Retransmit { node, seq, .. } => (
            "retransmit",
            tf("rt.ev.resend_recovery", &[("node", node), ("seq", seq)]),
        ),
        Note::Duplicate { node, seq, .. } => (
            "duplicate",
            tf("rt.ev.duplicate", &[("node", node), ("seq", seq)]),
        ),
        Note::Discard {
            node,
            seq,
            reason: DiscardReason::OutOfOrder,
            ..
        } => (
            "discard",
            tf("rt.ev.discard", &[("node", node), ("seq", seq)]),
        ),
        Note::Discard { node, seq, .. } => (
            "discard",
            tf("rt.ev.beyond", &[("node", node), ("seq", seq)]),
        ),
        Note::Buffer { node, seq, .. } => (
            "buffer",
            tf("rt.ev.buffer", &[("node", node), ("seq", seq)]),
        ),
        Note::Backoff { node, seq, rto_us } => (
            "backoff",
            tf(
                "rt.ev.backoff",
                &[("node", node), ("seq", seq), ("rto", &ms(*rto_us))],
            ),
        ),
        Note::SenderRecovered { node, unacked, .. } => (
            "recovered",
            tf(
                "rt.ev.sender_recovered",
                &[("node", node), ("count", unacked)],
            ),
        ),
        Note::ReceiverRecovered {
            node,
            delivered_through,
            ..
        } => (
            "recovered",
            tf(
                "rt.ev.receiver_recovered",
                &[("node", node), ("seq", delivered_through)],
            ),
        ),
        // Deliveries and round trips show in the strips and the estimate panel.
        Note::Accept { .. }
        | Note::Acked { .. }
        | Note::AppDeliver { .. }
        | Note::RttSample { .. } => return None,
    })
}
