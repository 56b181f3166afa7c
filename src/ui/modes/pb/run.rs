//! The primary-backup run as the shell's [`ModeRun`]: its clock, the messages in flight
//! between the view service, the servers, the storage and the clients (pings and view
//! replies, forwards and their acknowledgements, state transfers, fencing, client traffic),
//! each coloured by its kind, and the primary's lease as a ring that drains around it.

use super::geometry::{node_place, place};
use super::model::{PbEngine, PbRun};
use crate::sim::pb::page::{node_facts, Role};
use crate::sim::pb::{Message, Note};
use crate::sim::protocol::Event;
use crate::sim::types::{Micros, MsgId};
use crate::ui::i18n::{t, tf};
use crate::ui::shell::mode::{inset, Look, ModeRun, TimerRing, Trip};

/// How many events "next interesting event" looks through before giving up.
const INTERESTING_SEARCH_MAX: u32 = 200_000;

impl ModeRun for PbRun {
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

    /// Steps until the view service moves to a new view, sees it acknowledged or suspects a
    /// server, a server takes over as primary or takes a primary's state, a message is fenced,
    /// a standby replays, a node crashes or restarts (or nothing is left).
    fn step_interesting(&mut self) {
        self.run.step_until(INTERESTING_SEARCH_MAX, |l| {
            matches!(
                l.event,
                Event::Crash { .. }
                    | Event::Restart { .. }
                    | Event::Protocol(
                        Note::PbView { .. }
                            | Note::PbAck { .. }
                            | Note::PbInstall { .. }
                            | Note::PbDead { .. }
                            | Note::PbPrimary { .. }
                            | Note::PbFenced { .. }
                            | Note::PbReplay { .. }
                    )
            )
        });
    }

    fn seek(&mut self, t_us: Micros) {
        self.run.seek(t_us);
        self.reread();
    }

    /// Every trace line may change what the stage and panels show; the clock alone changes
    /// only the lease, which the timer ring draws.
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

    /// The primary's lease, draining: full when just renewed, empty when it has run out (and
    /// the primary must stop answering).
    fn timer_rings(&self, now_us: Micros, out: &mut Vec<TimerRing>) {
        out.clear();
        let sim = self.run.history.sim();
        let config = &sim.settings().pb;
        let lease_us = config.lease_us.max(1) as f64;
        for f in node_facts(sim) {
            if f.role != Role::Primary || f.lease_left_us == 0 {
                continue;
            }
            let Some((center, r)) = node_place(f.node, config) else {
                continue;
            };
            // The facts are of the engine's moment; the ring drains on to the frame's.
            let left_us = f
                .lease_left_us
                .saturating_sub(now_us.saturating_sub(sim.now_us()));
            out.push(TimerRing {
                center,
                radius: r + 6.0,
                left: (left_us as f64 / lease_us).clamp(0.0, 1.0),
            });
        }
    }
}

/// Deliveries in flight into `out`; the layout is the number of nodes (with the replication
/// mode, which moves the storage in and out).
fn trips(sim: &PbEngine, now: Micros, out: &mut Vec<Trip>) -> u32 {
    out.clear();
    let config = &sim.settings().pb;
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
    config.nodes() * 4 + config.replication as u32
}

/// How a message looks: each kind its class and letter, its words with the view and
/// positions it carries.
pub fn look(msg: &Message, copy: bool) -> Look {
    let (class, letter, words, type_name) = match msg {
        Message::Ping { view, .. } => ("pb-ping", "", tf("pb.msg.ping", &[("view", view)]), "Ping"),
        Message::ViewReply { view, lease, .. } => (
            "pb-view",
            "V",
            if *lease {
                tf("pb.msg.view_lease", &[("view", &view.num)])
            } else {
                tf("pb.msg.view", &[("view", &view.num)])
            },
            "ViewReply",
        ),
        Message::Forward { view, entry } => (
            "pb-forward",
            "F",
            tf("pb.msg.forward", &[("view", view), ("seq", &entry.seq)]),
            "Forward",
        ),
        Message::ForwardAck { view, through } => (
            "pb-ack",
            "✓",
            tf("pb.msg.forward_ack", &[("view", view), ("seq", through)]),
            "ForwardAck",
        ),
        Message::Install { view, seq, .. } => (
            "pb-install",
            "I",
            tf("pb.msg.install", &[("view", view), ("seq", seq)]),
            "Install",
        ),
        Message::InstallAck { view, seq } => (
            "pb-ack",
            "✓",
            tf("pb.msg.install_ack", &[("view", view), ("seq", seq)]),
            "InstallAck",
        ),
        Message::Fenced { view } => (
            "pb-fenced",
            "✕",
            tf("pb.msg.fenced", &[("view", view)]),
            "Fenced",
        ),
        Message::Checkpoint { view, seq, .. } => (
            "pb-storage",
            "C",
            tf("pb.msg.checkpoint", &[("view", view), ("seq", seq)]),
            "Checkpoint",
        ),
        Message::Load { view } => (
            "pb-storage",
            "L",
            tf("pb.msg.load", &[("view", view)]),
            "Load",
        ),
        Message::Loaded {
            checkpoint_seq,
            entries,
            ..
        } => (
            "pb-storage",
            "L",
            tf(
                "pb.msg.loaded",
                &[("seq", checkpoint_seq), ("count", &entries.len())],
            ),
            "Loaded",
        ),
        Message::Request { cmd, .. } => (
            "pb-client",
            "C",
            tf("pb.msg.request", &[("cmd", cmd)]),
            "Request",
        ),
        Message::Reply { .. } => ("pb-client", "R", t("pb.msg.reply").to_string(), "Reply"),
        Message::Redirect { .. } => (
            "pb-client",
            "→",
            t("pb.msg.redirect").to_string(),
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
