//! The retransmission run as the shell's [`ModeRun`]: its clock, the data messages and
//! acknowledgements in flight (with their sequence numbers), the messages lost on the way,
//! and the retransmission timers draining around the window's cells.

use super::geometry::{
    cell_height, cell_width, cell_x, lane_offset, node_radius, row_y, strip_cells, strip_offset,
    RECEIVER_X, SENDER_X,
};
use super::model::{RetransmitEngine, RetransmitRun};
use crate::sim::protocol::Event;
use crate::sim::retransmit::{nodes_of, Message, Note, RetransmitNode, Scheme, Seq, Timer};
use crate::sim::types::{Addr, Micros, MsgId};
use crate::ui::i18n::tf;
use crate::ui::shell::mode::{Look, ModeRun, TimerRing, Trip};
use std::sync::OnceLock;

/// How many events "next interesting event" looks through before giving up.
const INTERESTING_SEARCH_MAX: u32 = 200_000;
/// How many trace lines back a lost message is looked for (it is drawn for half a latency).
const LOST_SCAN_LINES: usize = 400;

impl ModeRun for RetransmitRun {
    fn now_us(&self) -> Micros {
        self.run.history.now_us()
    }

    fn horizon_us(&self) -> Micros {
        self.run.history.horizon_us()
    }

    fn seekable(&self) -> bool {
        true
    }

    fn in_past(&self) -> bool {
        self.run.history.in_past()
    }

    fn advance_wall(&mut self, wall_ms: f64, speed: f64) {
        self.run.advance_wall(wall_ms, speed);
    }

    fn next_event_wall_ms(&self, speed: f64) -> Option<f64> {
        self.run.next_event_wall_ms(speed)
    }

    fn step(&mut self) {
        self.run.step();
    }

    /// Steps until a message is lost, resent, dropped as a duplicate, discarded or kept out of
    /// order, a timeout doubles or a node crashes (or nothing is left).
    fn step_interesting(&mut self) {
        self.run.step_until(INTERESTING_SEARCH_MAX, |l| {
            matches!(
                l.event,
                Event::Drop { .. }
                    | Event::Crash { .. }
                    | Event::Protocol(
                        Note::Retransmit { .. }
                            | Note::Duplicate { .. }
                            | Note::Discard { .. }
                            | Note::Buffer { .. }
                            | Note::Backoff { .. }
                    )
            )
        });
    }

    fn seek(&mut self, t_us: Micros) {
        self.run.seek(t_us);
    }

    fn static_key(&self, out: &mut Vec<u64>) {
        static_key_of(self.run.history.sim(), out);
        out.push(self.chart.as_ref().map_or(0, |c| c.len() as u64 + 1));
    }

    fn trace_len(&self) -> usize {
        self.run.history.sim().trace().len()
    }

    fn trips(&self, now_us: Micros, out: &mut Vec<Trip>) -> u32 {
        trips(self.run.history.sim(), now_us, out)
    }

    fn look(&self, key: (MsgId, u8)) -> Option<Look> {
        let sim = self.run.history.sim();
        if let Some(f) = sim.flights().find(|f| f.id == key.0) {
            return Some(look(&f.msg, key.1 > 0, false));
        }
        lost_sends(sim)
            .find(|l| l.id == key.0)
            .map(|l| look(l.msg, false, true))
    }

    /// The retransmission timers: around the cell of the message each one times.
    fn timer_rings(&self, now_us: Micros, out: &mut Vec<TimerRing>) {
        out.clear();
        let sim = self.run.history.sim();
        let config = &sim.settings().retransmit;
        let cells = strip_cells(config.window_effective());
        let radius = (cell_width(cells).min(cell_height(config.pairs)) / 2.0 + 3.0).max(6.0);
        for pair in 0..config.pairs {
            let (sender, _) = nodes_of(pair);
            let Some(slot) = sim.node(sender) else {
                continue;
            };
            let Some(RetransmitNode::Sender(s)) = slot.process.as_ref() else {
                continue;
            };
            let first = strip_first(s.acked_through());
            let y = row_y(pair, config.pairs) - strip_offset(config.pairs);
            let mut ring = |seq: Seq, timer: Timer| {
                let Some(state) = slot.timer(timer) else {
                    return;
                };
                let i = seq.saturating_sub(first);
                if seq < first || i >= cells {
                    return;
                }
                let span = state.fires_us.saturating_sub(state.set_us).max(1) as f64;
                let left = (state.fires_us.saturating_sub(now_us) as f64 / span).clamp(0.0, 1.0);
                if left > 0.0 {
                    out.push(TimerRing {
                        center: (cell_x(i, cells), y),
                        radius,
                        left,
                    });
                }
            };
            match config.scheme {
                Scheme::StopAndWait | Scheme::GoBackN => ring(s.acked_through() + 1, Timer::Oldest),
                Scheme::SelectiveRepeat => {
                    for (seq, m) in s.unacked() {
                        if m.sent_at_us.is_some() && !m.sacked {
                            ring(*seq, Timer::of_message(*seq));
                        }
                    }
                }
            }
        }
    }
}

/// The first sequence number a window strip shows: two below the window's base, so that the
/// last acknowledged (or delivered) messages stay in view.
pub fn strip_first(through: Seq) -> Seq {
    through.saturating_sub(1).max(1)
}

/// A small fingerprint of what the static layers show.
fn static_key_of(sim: &RetransmitEngine, out: &mut Vec<u64>) {
    out.clear();
    for slot in sim.nodes() {
        match slot.process.as_ref() {
            Some(RetransmitNode::Sender(s)) => {
                out.push(1);
                out.push(s.acked_through());
                out.push(s.next_accept_seq());
                for (seq, m) in s.unacked() {
                    out.push(seq << 8 | u64::from(m.transmissions.min(127)) << 1 | m.sacked as u64);
                    out.push(m.sent_at_us.unwrap_or(0));
                }
                out.push(s.rto().srtt_us().unwrap_or(0));
            }
            Some(RetransmitNode::Receiver(r)) => {
                out.push(2);
                out.push(r.delivered_through());
                out.extend(r.buffered().keys().copied());
            }
            Some(RetransmitNode::Spare) => out.push(3),
            None => out.push(0),
        }
    }
    let c = sim.coverage();
    out.extend([
        c.messages_dropped,
        c.messages_duplicated,
        c.duplicates_dropped,
        c.retransmissions,
        c.delivered,
        sim.violations().len() as u64,
    ]);
}

/// Where a message between `from` and `to` travels: data on the upper lane, left to right,
/// acknowledgements on the lower one, right to left.
fn lane(
    sim: &RetransmitEngine,
    from: Addr,
    to: Addr,
    msg: &Message,
) -> Option<((f64, f64), (f64, f64))> {
    let pairs = sim.settings().retransmit.pairs;
    let (Addr::Node(a), Addr::Node(b)) = (from, to) else {
        return None;
    };
    let pair = crate::sim::retransmit::pair_of(a.min(b));
    if pair >= pairs {
        return None;
    }
    let y = row_y(pair, pairs);
    let (r, lane) = (node_radius(pairs) + 4.0, lane_offset(pairs));
    Some(match msg {
        Message::Data { .. } => ((SENDER_X + r, y - lane), (RECEIVER_X - r, y - lane)),
        Message::Ack { .. } => ((RECEIVER_X - r, y + lane), (SENDER_X + r, y + lane)),
    })
}

/// A message lost at its send: when, its id, its ends and itself.
pub struct Lost<'a> {
    pub t_us: Micros,
    pub id: MsgId,
    pub from: Addr,
    pub to: Addr,
    pub msg: &'a Message,
}

/// Messages lost at their send among the last trace lines, most recent first.
pub fn lost_sends(sim: &RetransmitEngine) -> impl Iterator<Item = Lost<'_>> + '_ {
    let trace = sim.trace();
    let len = trace.len();
    let from = len.saturating_sub(LOST_SCAN_LINES);
    (from..len).rev().filter_map(move |i| {
        let line = trace.get(i)?;
        let Event::Drop { id, .. } = line.event else {
            return None;
        };
        // The engine writes the `send` line just before the `drop` of a message lost at once.
        let send = trace.get(i.checked_sub(1)?)?;
        match &send.event {
            Event::Send {
                id: sent,
                from,
                to,
                msg,
                ..
            } if *sent == id => Some(Lost {
                t_us: line.t,
                id,
                from: *from,
                to: *to,
                msg,
            }),
            _ => None,
        }
    })
}

/// Deliveries in flight into `out`, and lost messages for the first half of their way; the
/// layout is the number of pairs.
fn trips(sim: &RetransmitEngine, now: Micros, out: &mut Vec<Trip>) -> u32 {
    out.clear();
    for f in sim.flights() {
        let Some((from, to)) = lane(sim, f.from, f.to, &f.msg) else {
            continue;
        };
        for (k, &d) in f.deliver_us.iter().enumerate() {
            if d > now {
                out.push(Trip {
                    key: (f.id, k as u8),
                    sent_us: f.sent_us,
                    deliver_us: d,
                    from,
                    to,
                });
            }
        }
    }
    // A lost message flies half way and vanishes there.
    let net = &sim.settings().network;
    let half_us = ((net.latency_us_min + net.latency_us_max) / 4).max(1);
    for lost in lost_sends(sim) {
        if lost.t_us + half_us <= now {
            break;
        }
        if lost.t_us > now {
            continue;
        }
        let Some((from, to)) = lane(sim, lost.from, lost.to, lost.msg) else {
            continue;
        };
        let middle = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
        out.push(Trip {
            key: (lost.id, 0),
            sent_us: lost.t_us,
            deliver_us: lost.t_us + half_us,
            from,
            to: middle,
        });
    }
    sim.settings().retransmit.pairs
}

/// How a message looks: data and acknowledgements have their own class and carry their
/// sequence number (an acknowledgement its cumulative point); a resent data message, the
/// second copy of a duplicated one and a lost one are marked.
fn look(msg: &Message, copy: bool, lost: bool) -> Look {
    let marks = match (copy, lost) {
        (_, true) => " lost",
        (true, false) => " dup",
        (false, false) => "",
    };
    match msg {
        Message::Data { seq, attempt, .. } => {
            let resent = *attempt > 1;
            let class = match (resent, copy, lost) {
                (false, false, false) => "rt-data",
                (true, false, false) => "rt-data rt-resend",
                (false, true, false) => "rt-data dup",
                (true, true, false) => "rt-data rt-resend dup",
                (false, _, true) => "rt-data lost",
                (true, _, true) => "rt-data rt-resend lost",
            };
            let words = if resent {
                tf("rt.msg.resend", &[("seq", seq), ("attempt", attempt)])
            } else {
                tf("rt.msg.data", &[("seq", seq)])
            };
            Look {
                class,
                letter: number(*seq),
                words: words + &mark_words(marks),
                type_name: if resent { "DataResend" } else { "Data" },
            }
        }
        Message::Ack {
            cumulative, sack, ..
        } => {
            let class = match (copy, lost) {
                (_, true) => "rt-ack lost",
                (true, false) => "rt-ack dup",
                (false, false) => "rt-ack",
            };
            let blocks = sack
                .iter()
                .map(|b| format!("{}-{}", b.first, b.last))
                .collect::<Vec<_>>()
                .join(",");
            let words = if sack.is_empty() {
                tf("rt.msg.ack", &[("seq", cumulative)])
            } else {
                tf("rt.msg.sack", &[("seq", cumulative), ("blocks", &blocks)])
            };
            Look {
                class,
                letter: number(*cumulative),
                words: words + &mark_words(marks),
                type_name: "Ack",
            }
        }
    }
}

fn mark_words(marks: &str) -> String {
    match marks {
        " lost" => crate::ui::i18n::t("rt.msg.lost_mark").to_string(),
        " dup" => crate::ui::i18n::t("rt.msg.dup_mark").to_string(),
        _ => String::new(),
    }
}

/// The numbers a message can carry as its letter, made once: "0" to "9999".
const NUMBERS_MAX: u64 = 9_999;

/// `n` as a letter on a message; above [`NUMBERS_MAX`], "…".
fn number(n: u64) -> &'static str {
    static TABLE: OnceLock<(String, Vec<u32>)> = OnceLock::new();
    let (text, ends) = TABLE.get_or_init(|| {
        let mut text = String::new();
        let mut ends = Vec::new();
        for i in 0..=NUMBERS_MAX {
            text += &i.to_string();
            ends.push(text.len() as u32);
        }
        (text, ends)
    });
    let Ok(i) = usize::try_from(n) else {
        return "…";
    };
    let (Some(&end), start) = (
        ends.get(i),
        i.checked_sub(1)
            .and_then(|j| ends.get(j))
            .copied()
            .unwrap_or(0),
    ) else {
        return "…";
    };
    text.get(start as usize..end as usize).unwrap_or("…")
}
