//! The Paxos run as the shell's [`ModeRun`]: its clock, and the messages in flight between the
//! nodes and the clients, each coloured by its kind and carrying its ballot's round (the full
//! ballot, slot and value are in its words).

use super::geometry::place;
use super::model::{PaxosEngine, PaxosRun};
use crate::sim::paxos::{value_text, Ballot, Message, Note};
use crate::sim::protocol::Event;
use crate::sim::types::{Micros, MsgId};
use crate::ui::i18n::{t, tf, words};
use crate::ui::shell::mode::{inset, Look, ModeRun, Trip};

/// How many events "next interesting event" looks through before giving up.
const INTERESTING_SEARCH_MAX: u32 = 200_000;

/// The rounds a message's disc can show; a higher one shows "+" (its words say which).
const ROUNDS: [&str; 100] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32",
    "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47", "48",
    "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60", "61", "62", "63", "64",
    "65", "66", "67", "68", "69", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79", "80",
    "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95", "96",
    "97", "98", "99",
];

fn round_label(ballot: &Ballot) -> &'static str {
    ROUNDS.get(ballot.round as usize).copied().unwrap_or("+")
}

impl ModeRun for PaxosRun {
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

    /// Steps until a value is learned, a proposer is pre-empted, a leader is elected, a
    /// phase times out or a node crashes (or nothing is left).
    fn step_interesting(&mut self) {
        self.run.step_until(INTERESTING_SEARCH_MAX, |l| {
            matches!(
                l.event,
                Event::Crash { .. }
                    | Event::Protocol(
                        Note::PaxosLearn { .. }
                            | Note::PaxosPreempted { .. }
                            | Note::PaxosLeader { .. }
                            | Note::PaxosPhaseTimeout { .. }
                    )
            )
        });
    }

    fn seek(&mut self, t_us: Micros) {
        self.run.seek(t_us);
    }

    /// Every trace line changes what the tables show (a promise, an acceptance, a learned
    /// value); the clock alone does not, so the page is not rebuilt each frame.
    fn static_key(&self, out: &mut Vec<u64>) {
        out.clear();
        out.push(self.run.history.sim().trace().len() as u64);
    }

    fn trace_len(&self) -> usize {
        self.run.history.sim().trace().len()
    }

    fn trips(&self, now_us: Micros, out: &mut Vec<Trip>) -> u32 {
        trips(self.run.history.sim(), now_us, out)
    }

    fn look(&self, key: (MsgId, u8)) -> Option<Look> {
        let sim = self.run.history.sim();
        sim.flights()
            .find(|f| f.id == key.0)
            .map(|f| look(&f.msg, key.1 > 0))
    }
}

/// Deliveries in flight into `out`; the layout is the number of nodes.
fn trips(sim: &PaxosEngine, now: Micros, out: &mut Vec<Trip>) -> u32 {
    out.clear();
    let nodes = sim.settings().paxos.nodes;
    for f in sim.flights() {
        let (Some((a, ra)), Some((b, rb))) = (place(f.from, nodes), place(f.to, nodes)) else {
            continue;
        };
        let (from, to) = inset(a, b, ra, rb);
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
    nodes
}

/// How a message looks: each kind its class, the round of its ballot on it (a letter for the
/// ones without), its words with the whole ballot, slot and value.
pub fn look(msg: &Message, copy: bool) -> Look {
    let (class, letter, words, type_name) = match msg {
        Message::Prepare { ballot, .. } => (
            "px-prepare",
            round_label(ballot),
            tf("px.msg.prepare", &[("ballot", ballot)]),
            "Prepare",
        ),
        Message::Promise {
            ballot, accepted, ..
        } => (
            "px-promise",
            round_label(ballot),
            if accepted.is_empty() {
                tf("px.msg.promise_empty", &[("ballot", ballot)])
            } else {
                let reported: Vec<String> = accepted
                    .iter()
                    .map(|e| {
                        tf(
                            "px.msg.reported",
                            &[
                                ("slot", &e.slot),
                                ("ballot", &e.ballot),
                                ("value", &words(&value_text(&e.value))),
                            ],
                        )
                    })
                    .collect();
                tf(
                    "px.msg.promise",
                    &[
                        ("ballot", ballot),
                        ("reported", &reported.join(t("list.separator"))),
                    ],
                )
            },
            "Promise",
        ),
        Message::Accept {
            ballot,
            slot,
            value,
        } => (
            "px-accept",
            round_label(ballot),
            tf(
                "px.msg.accept",
                &[
                    ("ballot", ballot),
                    ("slot", slot),
                    ("value", &words(&value_text(value))),
                ],
            ),
            "Accept",
        ),
        Message::Accepted { ballot, slot } => (
            "px-accepted",
            round_label(ballot),
            tf("px.msg.accepted", &[("ballot", ballot), ("slot", slot)]),
            "Accepted",
        ),
        Message::Nack { ballot, promised } => (
            "px-nack",
            "✕",
            tf("px.msg.nack", &[("ballot", ballot), ("promised", promised)]),
            "Nack",
        ),
        Message::Learn { slot, value } => (
            "px-learn",
            "L",
            tf(
                "px.msg.learn",
                &[("slot", slot), ("value", &words(&value_text(value)))],
            ),
            "Learn",
        ),
        Message::Ask { slot } => ("px-ask", "?", tf("px.msg.ask", &[("slot", slot)]), "Ask"),
        Message::Heartbeat { ballot, .. } => (
            "px-heartbeat",
            "",
            tf("px.msg.heartbeat", &[("ballot", ballot)]),
            "Heartbeat",
        ),
        Message::HeartbeatAck { ballot, .. } => (
            "px-heartbeat",
            "",
            tf("px.msg.heartbeat_ack", &[("ballot", ballot)]),
            "HeartbeatAck",
        ),
        Message::Request { cmd, .. } => (
            "px-client",
            "C",
            tf("px.msg.request", &[("cmd", cmd)]),
            "Request",
        ),
        Message::Reply { slot, .. } => (
            "px-client",
            "R",
            tf("px.msg.reply", &[("slot", slot)]),
            "Reply",
        ),
        Message::Redirect { .. } => (
            "px-client",
            "→",
            t("px.msg.redirect").to_string(),
            "Redirect",
        ),
    };
    let mut words = words;
    if copy {
        words += t("rt.msg.dup_mark");
    }
    Look {
        class,
        letter,
        words,
        type_name,
    }
}
