//! The Raft run behind the Raft and Log replay modes (a [`Recorded`] run: its history and the
//! wall clock that drives it) as the shell's [`ModeRun`]: what counts as interesting, the
//! messages in flight and how they look, the election timers.

use crate::sim::raft::{Message, Raft, RaftEvent, Role, Timer};
use crate::sim::trace::TraceEvent;
use crate::sim::types::{Addr, Micros, MsgId};
use crate::sim::Simulation;
use crate::ui::i18n::tf;
use crate::ui::modes::raft::format;
use crate::ui::shell::geometry::{node_center, node_radius, CENTER};
use crate::ui::shell::mode::{inset, Look, ModeRun, TimerRing, Trip};
use crate::ui::shell::recorded::Recorded;

/// How many events "next interesting event" looks through before giving up.
const INTERESTING_SEARCH_MAX: u32 = 200_000;

/// The Raft and Log replay modes' run.
pub type RaftRun = Recorded<Raft>;

impl ModeRun for RaftRun {
    fn now_us(&self) -> Micros {
        self.history.now_us()
    }

    fn horizon_us(&self) -> Micros {
        self.history.horizon_us()
    }

    fn seekable(&self) -> bool {
        true
    }

    fn in_past(&self) -> bool {
        self.history.in_past()
    }

    fn advance_wall(&mut self, wall_ms: f64, speed: f64) {
        Recorded::advance_wall(self, wall_ms, speed);
    }

    fn next_event_wall_ms(&self, speed: f64) -> Option<f64> {
        Recorded::next_event_wall_ms(self, speed)
    }

    fn step(&mut self) {
        Recorded::step(self);
    }

    /// Steps until a leader is elected or an entry is committed (or nothing is left).
    fn step_interesting(&mut self) {
        let sim = self.history.sim();
        let start = sim.trace().len();
        let leaders: Vec<_> = sim
            .nodes()
            .iter()
            .map(|n| {
                n.process
                    .as_ref()
                    .map(|r| (r.role(), r.term(), r.commit_index()))
            })
            .collect();
        for _ in 0..INTERESTING_SEARCH_MAX {
            if !self.history.step() {
                break;
            }
            let sim = self.history.sim();
            let interesting = sim.trace().iter().skip(start).any(|l| {
                matches!(
                    l.event,
                    TraceEvent::Protocol(RaftEvent::Role {
                        role: Role::Leader,
                        ..
                    }) | TraceEvent::Protocol(RaftEvent::Commit { .. })
                        | TraceEvent::Crash { .. }
                )
            }) || sim.nodes().iter().zip(&leaders).any(|(n, before)| {
                // Without a trace, fall back on comparing roles and commit indexes.
                let now = n
                    .process
                    .as_ref()
                    .map(|r| (r.role(), r.term(), r.commit_index()));
                now.map(|x| (x.0 == Role::Leader, x.2))
                    != before.map(|x| (x.0 == Role::Leader, x.2))
            });
            if interesting {
                break;
            }
        }
        self.sync();
    }

    fn seek(&mut self, t_us: Micros) {
        Recorded::seek(self, t_us);
    }

    fn static_key(&self, out: &mut Vec<u64>) {
        static_key_of(self.history.sim(), out);
    }

    fn trace_len(&self) -> usize {
        self.history.sim().trace().len()
    }

    fn trips(&self, now_us: Micros, out: &mut Vec<Trip>) -> u32 {
        trips(self.history.sim(), now_us, out)
    }

    fn look(&self, key: (MsgId, u8)) -> Option<Look> {
        let f = self.history.sim().flights().find(|f| f.id == key.0)?;
        let (class, letter) = look(&f.msg);
        let words = tf(
            "msg.words",
            &[
                ("type", &format::type_words(f.msg.type_name())),
                ("from", &crate::ui::shell::format::addr(f.from)),
                ("to", &crate::ui::shell::format::addr(f.to)),
                ("details", &format::message(&f.msg)),
            ],
        );
        Some(Look {
            class,
            letter,
            words,
            type_name: f.msg.type_name(),
        })
    }

    /// Election timers: a ring around each node that drains as its timeout approaches.
    fn timer_rings(&self, now_us: Micros, out: &mut Vec<TimerRing>) {
        out.clear();
        let sim = self.history.sim();
        let n = layout(sim);
        let radius = node_radius(n) + 6.0;
        let drawn = sim.servers_in_use();
        for (slot, node) in sim.nodes().iter().enumerate() {
            if node.process.is_none() || !drawn.contains(&node.id) {
                continue;
            }
            let Some(timer) = node.timer(Timer::Election) else {
                continue;
            };
            let span = timer.fires_us.saturating_sub(timer.set_us).max(1) as f64;
            let left = (timer.fires_us.saturating_sub(now_us) as f64 / span).clamp(0.0, 1.0);
            if left > 0.0 {
                out.push(TimerRing {
                    center: node_center(slot, n),
                    radius,
                    left,
                });
            }
        }
    }
}

/// A small fingerprint of what the static layers show, compared every frame to decide
/// whether Yew needs to render at all.
fn static_key_of(sim: &Simulation, out: &mut Vec<u64>) {
    out.clear();
    for n in sim.nodes() {
        match n.process.as_ref() {
            Some(r) => {
                out.push(1 + r.role() as u64);
                out.push(r.term().0);
                out.push(r.voted_for().map_or(0, |v| v.0 as u64));
                out.push(r.leader().map_or(0, |v| v.0 as u64));
                out.push(r.commit_index().0);
                out.push(r.last_applied().0);
                out.push(r.log().last_index().0);
                out.push(r.log().snapshot_index().0);
                for p in r.progress().values() {
                    out.push(p.next_index.0 << 32 | p.match_index.0);
                }
            }
            // A recovering node's replay cursor, so the Disks panel follows the replay.
            None => out.push(n.recovery.as_ref().map_or(0, |r| 1 + r.cursor.0)),
        }
    }
    out.push(sim.violations().len() as u64);
    out.push(sim.network().cuts().len() as u64);
    out.push(
        sim.network()
            .groups()
            .map_or(0, |g| g.iter().fold(7, |h, x| h * 31 + *x as u64)),
    );
}

/// How many positions the circle has: one per id up to the highest drawn, so that a removed
/// server leaves a gap and an added one takes the next place.
pub fn layout(sim: &Simulation) -> u32 {
    sim.servers_in_use().last().map_or(1, |n| n.0)
}

/// Raft deliveries in flight into `out`, and the layout they are placed for (the cluster size).
fn trips(sim: &Simulation, now: u64, out: &mut Vec<Trip>) -> u32 {
    let n = layout(sim);
    let r = node_radius(n);
    let gap = |a: Addr| {
        if matches!(a, Addr::Node(_)) {
            r + 4.0
        } else {
            16.0
        }
    };
    out.clear();
    for f in sim.flights() {
        for (k, &d) in f.deliver_us.iter().enumerate() {
            if d <= now {
                continue;
            }
            let (from, to) = inset(
                endpoint(f.from, n),
                endpoint(f.to, n),
                gap(f.from),
                gap(f.to),
            );
            out.push(Trip {
                key: (f.id, k as u8),
                sent_us: f.sent_us,
                deliver_us: d,
                from,
                to,
            });
        }
    }
    n
}

/// Where an address sits: a node on the ring, clients at the centre.
fn endpoint(a: Addr, n: u32) -> (f64, f64) {
    match a {
        Addr::Node(id) => node_center(id.slot(), n),
        Addr::Client(_) => (CENTER, CENTER),
    }
}

/// Each type has its own class (colour and shape in style.css) and letter.
fn look(msg: &Message) -> (&'static str, &'static str) {
    match msg {
        Message::RequestVote { pre_vote: true, .. } => ("vote", "P"),
        Message::RequestVote { .. } => ("vote", "V"),
        Message::RequestVoteReply { granted: true, .. } => ("vote-reply ok", "✓"),
        Message::RequestVoteReply { .. } => ("vote-reply fail", "✗"),
        Message::AppendEntries { entries, .. } if entries.is_empty() => ("heartbeat", ""),
        Message::AppendEntries { .. } => ("append", "E"),
        Message::AppendEntriesReply { success: true, .. } => ("append-reply ok", "✓"),
        Message::AppendEntriesReply { .. } => ("append-reply fail", "✗"),
        Message::InstallSnapshot { .. } => ("snapshot", "S"),
        Message::InstallSnapshotReply { .. } => ("snapshot-reply", "✓"),
        Message::TimeoutNow { .. } => ("timeout-now", "!"),
        Message::ClientRequest { .. } => ("client-request", "?"),
        Message::ClientReply { .. } => ("client-reply", "↩"),
    }
}
