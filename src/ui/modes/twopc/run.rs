//! The two-phase commit run as the shell's [`ModeRun`]: its clock, and the messages in flight
//! between the clients, the coordinator and the participants, each with the letter of its
//! kind and its transaction in words.

use super::geometry::place;
use super::model::{TwoPcEngine, TwoPcRun};
use crate::sim::protocol::Event;
use crate::sim::twopc::txn_name;
use crate::sim::twopc::{Message, Note, Outcome};
use crate::sim::types::{Micros, MsgId};
use crate::ui::i18n::tf;
use crate::ui::shell::mode::{inset, Look, ModeRun, Trip};

/// How many events "next interesting event" looks through before giving up.
const INTERESTING_SEARCH_MAX: u32 = 200_000;

impl ModeRun for TwoPcRun {
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

    /// Steps until the coordinator decides, a participant votes no, is blocked or unblocked,
    /// learns the outcome from a peer, or a node crashes (or nothing is left).
    fn step_interesting(&mut self) {
        self.run.step_until(INTERESTING_SEARCH_MAX, |l| {
            matches!(
                l.event,
                Event::Crash { .. }
                    | Event::Protocol(
                        Note::TxnDecide { .. }
                            | Note::TxnVote { yes: false, .. }
                            | Note::TxnBlocked { .. }
                            | Note::TxnUnblocked { .. }
                            | Note::TxnCooperative { .. }
                    )
            )
        });
    }

    fn seek(&mut self, t_us: Micros) {
        self.run.seek(t_us);
    }

    /// Every trace line changes what the panels show (a vote, a lock, a log record); the
    /// clock alone does not, so the page is not rebuilt each frame.
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

/// Deliveries in flight into `out`; the layout is the number of participants and the kind of
/// coordinator.
fn trips(sim: &TwoPcEngine, now: Micros, out: &mut Vec<Trip>) -> u32 {
    out.clear();
    let config = &sim.settings().twopc;
    let participants = config.participants;
    for f in sim.flights() {
        let (Some((a, ra)), Some((b, rb))) = (place(f.from, config), place(f.to, config)) else {
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
    // The layout changes with the participants and with the coordinator's kind.
    participants | (config.coordinator.code() as u32) << 8
}

/// How a message looks: each kind its class and letter, a vote and a decision coloured by
/// what they say, the second copy of a duplicated message marked.
fn look(msg: &Message, copy: bool) -> Look {
    let txn = txn_name(msg.txn());
    let (class, letter, key, type_name) = match msg {
        Message::Begin { .. } => ("tp-begin", "B", "tp.msg.begin", "Begin"),
        Message::Prepare { .. } => ("tp-prepare", "P", "tp.msg.prepare", "Prepare"),
        Message::Vote { yes: true, .. } => ("tp-yes", "Y", "tp.msg.vote_yes", "VoteYes"),
        Message::Vote { yes: false, .. } => ("tp-no", "N", "tp.msg.vote_no", "VoteNo"),
        Message::Decision {
            outcome: Outcome::Commit,
            ..
        } => ("tp-commit", "C", "tp.msg.commit", "Commit"),
        Message::Decision {
            outcome: Outcome::Abort,
            ..
        } => ("tp-abort", "A", "tp.msg.abort", "Abort"),
        Message::Ack { .. } => ("tp-ack", "K", "tp.msg.ack", "Ack"),
        Message::Inquire { .. } => ("tp-inquire", "?", "tp.msg.inquire", "Inquire"),
        Message::Uncertain { .. } => ("tp-uncertain", "U", "tp.msg.uncertain", "Uncertain"),
        Message::Reply { outcome, .. } => (
            "tp-reply",
            "R",
            match outcome {
                Outcome::Commit => "tp.msg.reply_commit",
                Outcome::Abort => "tp.msg.reply_abort",
            },
            "Reply",
        ),
        Message::Redirect { .. } => ("tp-inquire", ">", "tp.msg.redirect", "Redirect"),
        Message::Raft { .. } => ("tp-raft", "·", "tp.msg.raft", "Raft"),
    };
    let mut words = tf(key, &[("txn", &txn)]);
    if copy {
        words += crate::ui::i18n::t("rt.msg.dup_mark");
    }
    Look {
        class,
        letter,
        words,
        type_name,
    }
}
