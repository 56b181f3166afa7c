//! Running servers: feeding them inputs, carrying out their effects, and the network and
//! disk around them.

use super::{Event, Flight, Simulation};
use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::net::{DropReason, Fate};
use crate::sim::queue::Class;
use crate::sim::raft::{Effect, Input, Message, PersistOp, RaftNode, Timer};
use crate::sim::raft::RaftEvent;
use crate::sim::trace::TraceEvent;
use crate::sim::types::{Addr, Micros, MsgId, NodeId};

/// An armed timer: when it was set and when it fires (the page draws it as a draining arc).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TimerState {
    pub set_us: Micros,
    pub fires_us: Micros,
}

impl Simulation {
    /// Boots the server in `slot` with an empty disk, the first time.
    pub(super) fn start_node(&mut self, slot: usize) {
        let members: Vec<NodeId> = self.nodes.iter().map(|n| n.id).collect();
        let config = self.settings.raft.clone();
        // Per-entry notes only become trace lines and check inputs: skipped when neither runs.
        let entry_notes = self.observing();
        let node = &mut self.nodes[slot];
        let mut out = std::mem::take(&mut self.scratch);
        let mut raft = RaftNode::new(node.id, members, config, &mut node.rng, &mut out);
        raft.set_entry_notes(entry_notes);
        node.raft = Some(raft);
        self.carry_out(slot, &mut out);
        self.scratch = out;
    }

    /// Feeds one input to a live server and carries out what it asks for.
    pub(super) fn run_node(&mut self, slot: usize, input: Input) {
        let mut out = std::mem::take(&mut self.scratch);
        let node = &mut self.nodes[slot];
        let Some(raft) = node.raft.as_mut() else {
            self.scratch = out;
            return;
        };
        raft.handle(input, &mut node.rng, &mut out);
        self.carry_out(slot, &mut out);
        self.scratch = out;
    }

    pub(super) fn carry_out(&mut self, slot: usize, out: &mut Vec<Effect>) {
        let id = self.nodes[slot].id;
        // Messages after synced writes wait for their fsyncs, one after the other (Figure 2:
        // persist, then reply): a voter that adopts a new term and then votes syncs twice
        // before its reply leaves, as LogCabin's stepDown() and handleRequestVote() do.
        let mut send_delay_us = 0;
        for effect in out.drain(..) {
            match effect {
                Effect::Persist(op) => {
                    let policy = self.settings.disk.sync;
                    if policy == SyncPolicy::EveryWrite {
                        send_delay_us += self.settings.disk.sync_latency_us;
                    }
                    let record = persist_kind(&op);
                    let snapshot_index = match &op {
                        PersistOp::Snapshot(s) => Some(s.last_index),
                        _ => None,
                    };
                    let node = &mut self.nodes[slot];
                    let (bytes, waiting) = node.disk.write_owned(op, policy);
                    if self.observing() {
                        let event = match snapshot_index {
                            Some(last_index) => TraceEvent::Protocol(RaftEvent::SnapshotWrite {
                                node: id,
                                last_index,
                                bytes,
                            }),
                            None => TraceEvent::WalWrite {
                                node: id,
                                record: record.into(),
                                bytes,
                            },
                        };
                        self.record(event);
                    }
                    let node = &mut self.nodes[slot];
                    if waiting && !node.sync_pending {
                        if let SyncPolicy::Interval { interval_us } = policy {
                            node.sync_pending = true;
                            let at = self.now_us + interval_us.max(1);
                            self.queue
                                .push(at, Class::Internal, Event::Sync { node: id });
                        }
                    }
                }
                Effect::Send { to, msg } => self.send_after(Addr::Node(id), to, msg, send_delay_us),
                Effect::SetTimer { timer, after_us } => {
                    let fires_us = self.now_us + after_us;
                    let node = &mut self.nodes[slot];
                    node.timers[timer.slot()] = Some(TimerState {
                        set_us: self.now_us,
                        fires_us,
                    });
                    let wakeup = &mut node.timer_wakeups[timer.slot()];
                    if wakeup.is_none_or(|at| fires_us < at) {
                        *wakeup = Some(fires_us);
                        self.queue.push(
                            fires_us,
                            Class::Internal,
                            Event::Timer { node: id, timer },
                        );
                    }
                }
                Effect::CancelTimer { timer } => {
                    self.nodes[slot].timers[timer.slot()] = None;
                }
                Effect::Note(note) => {
                    if self.observing() {
                        self.record(TraceEvent::Protocol(RaftEvent::of_note(id, note)));
                    }
                }
            }
        }
    }

    /// Puts a message on the wire, or drops it at once (loss, partition).
    pub(crate) fn send(&mut self, from: Addr, to: Addr, msg: Message) {
        self.send_after(from, to, msg, 0);
    }

    /// Like `send`, for a message that leaves `delay_us` from now (after an fsync).
    fn send_after(&mut self, from: Addr, to: Addr, msg: Message, delay_us: Micros) {
        let id = MsgId(self.next_msg_id);
        self.next_msg_id += 1;
        let link = match (from, to) {
            (Addr::Node(a), Addr::Node(b)) => Some((a, b)),
            _ => None,
        };
        let fate = self.network.fate(link, msg.size_bytes(), &mut self.net_rng);
        let mut deliver_us = self.flights.deliveries_buffer();
        if let Fate::Deliver { first, duplicate } = fate {
            let leave = self.now_us + delay_us;
            deliver_us.push(leave + first);
            deliver_us.extend(duplicate.map(|d| leave + d));
        }
        if self.observing() {
            self.record(TraceEvent::Send {
                id,
                from,
                to,
                deliver_t: deliver_us.clone(),
                msg: msg.clone(),
            });
        }
        if let Fate::Drop(reason) = fate {
            if self.observing() {
                self.record(TraceEvent::Drop { id, reason });
            }
            self.flights.recycle(deliver_us);
            return;
        }
        for at in &deliver_us {
            self.queue.push(*at, Class::Internal, Event::Deliver(id));
        }
        self.flights.insert(Flight {
            id,
            from,
            to,
            msg,
            sent_us: self.now_us,
            deliver_us,
        });
    }

    pub(super) fn deliver(&mut self, id: MsgId) {
        let Some((from, to, msg)) = self.flights.arrive(id, self.now_us) else {
            return; // dropped by hand while in flight
        };
        match to {
            Addr::Node(node) => {
                let (up, recovering) = self
                    .node(node)
                    .map(|n| (n.is_up(), n.recovery.is_some()))
                    .unwrap_or((false, false));
                if !up {
                    if self.observing() {
                        let reason = if recovering {
                            DropReason::Recovering
                        } else {
                            DropReason::Crashed
                        };
                        self.record(TraceEvent::Drop { id, reason });
                    }
                    return;
                }
                if self.observing() {
                    self.record(TraceEvent::Deliver { id });
                }
                self.run_node(node.slot(), Input::Receive { from, msg });
            }
            Addr::Client(client) => {
                if self.observing() {
                    self.record(TraceEvent::Deliver { id });
                }
                self.client_receive(client, msg);
            }
        }
    }

    pub(super) fn fire_timer(&mut self, node: NodeId, timer: Timer) {
        let slot = node.slot();
        let now = self.now_us;
        let Some(n) = self.nodes.get_mut(slot) else {
            return;
        };
        if n.timer_wakeups[timer.slot()] != Some(now) {
            return; // superseded by an earlier wake-up
        }
        n.timer_wakeups[timer.slot()] = None;
        match n.timers[timer.slot()] {
            None => return,
            Some(state) if state.fires_us > now => {
                // Re-armed since this wake-up was queued: wait for the new deadline.
                n.timer_wakeups[timer.slot()] = Some(state.fires_us);
                self.queue.push(
                    state.fires_us,
                    Class::Internal,
                    Event::Timer { node, timer },
                );
                return;
            }
            Some(_) => n.timers[timer.slot()] = None,
        }
        let input = match timer {
            Timer::Election => Input::ElectionTimeout,
            Timer::Heartbeat => Input::HeartbeatTimeout,
        };
        self.run_node(slot, input);
    }

    pub(super) fn sync_disk(&mut self, node: NodeId) {
        let Some(n) = self.nodes.get_mut(node.slot()) else {
            return;
        };
        n.sync_pending = false;
        let records = n.disk.sync() as u64;
        if records > 0 && self.observing() {
            self.record(TraceEvent::WalSync { node, records });
        }
    }

    /// The process dies: memory and timers are gone, the disk stays as the crash leaves it.
    pub(super) fn crash_node(&mut self, node: NodeId, mode: CrashMode) {
        let slot = node.slot();
        let n = &mut self.nodes[slot];
        let was_recovering = n.recovery.take().is_some();
        let Some(raft) = n.raft.take() else {
            if was_recovering && self.observing() {
                if self.observe.checks {
                    self.coverage.crashes_during_replay += 1;
                }
                self.record(TraceEvent::Crash { node });
            }
            return;
        };
        n.timers = [None, None];
        n.sync_pending = false;
        n.disk.crash(mode);
        let kept = n.disk.read(true).durable;
        if self.observing() {
            self.record(TraceEvent::Crash { node });
            let kept_last = kept
                .entries
                .last()
                .map(|e| e.index)
                .or(kept.snapshot.as_ref().map(|s| s.last_index))
                .unwrap_or_default();
            if kept_last < raft.log().last_index() {
                self.record(TraceEvent::Protocol(RaftEvent::LogTruncate {
                    node,
                    from: kept_last.next(),
                }));
            }
        }
    }

    pub(super) fn restart_node(&mut self, node: NodeId) {
        let slot = node.slot();
        if self.nodes[slot].is_down() {
            if self.observing() {
                self.record(TraceEvent::Restart { node });
            }
            self.begin_recovery(slot);
        }
    }
}

fn persist_kind(op: &PersistOp) -> &'static str {
    match op {
        PersistOp::HardState { .. } => "hard_state",
        PersistOp::Append(_) => "entries",
        PersistOp::TruncateFrom(_) => "truncate",
        PersistOp::Commit(_) => "commit",
        PersistOp::Snapshot(_) => "snapshot",
    }
}
