//! Running nodes: feeding them inputs, carrying out their effects, and the network and
//! disk around them; crashes and restarts.

use super::core::{Driver, Engine, QueuedEvent, TimerState};
use super::flights::Flight;
use super::run::{Counters, RunSettings};
use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::net::{DropReason, Fate};
use crate::sim::protocol::{Context, Effect, Event, Input, Storage, TimerKind};
use crate::sim::queue::Class;
use crate::sim::types::{Addr, Micros, MsgId, NodeId};

impl<P: Driver> Engine<P> {
    /// The context a node handles an input in, and its process beside it.
    fn context_of(&mut self, slot: usize) -> (Context<'_, P>, &mut Option<P::Node>) {
        let observing = self.observing();
        let node = &mut self.nodes[slot];
        let context = Context {
            id: node.id,
            nodes: self.settings.nodes(),
            config: self.settings.config(),
            now_us: self.now_us,
            observing,
            rng: &mut node.rng,
        };
        (context, &mut node.process)
    }

    /// Boots the node in `slot` with an empty disk, the first time.
    pub(super) fn start_node(&mut self, slot: usize) {
        let mut out = std::mem::take(&mut self.scratch);
        let (mut ctx, process) = self.context_of(slot);
        *process = Some(P::start(&mut ctx, &mut out));
        self.carry_out(slot, &mut out);
        self.scratch = out;
    }

    /// Boots the node in `slot` from what its disk holds (`recovered`, read from it).
    pub(crate) fn boot_recovered(
        &mut self,
        slot: usize,
        recovered: <P::Disk as Storage>::Recovered,
    ) {
        let mut out = std::mem::take(&mut self.scratch);
        let (mut ctx, process) = self.context_of(slot);
        *process = Some(P::recover(&mut ctx, recovered, &mut out));
        self.carry_out(slot, &mut out);
        self.scratch = out;
    }

    /// The default restart: read the disk, discard a torn tail, and boot from what is left.
    pub(crate) fn recover_now(&mut self, slot: usize) {
        let recovered = self.read_disk_for_restart(slot);
        self.boot_recovered(slot, recovered);
    }

    /// Reads a restarting node's disk; a torn record found at the tail is discarded (with a
    /// trace line), as a real log's recovery does before it appends again.
    pub(crate) fn read_disk_for_restart(&mut self, slot: usize) -> <P::Disk as Storage>::Recovered {
        let id = self.nodes[slot].id;
        let (recovered, torn_at) = self.nodes[slot].disk.read();
        if let Some(position) = torn_at {
            self.nodes[slot].disk.discard_from(position);
            if self.observing() {
                self.record(Event::DiscardTorn {
                    node: id,
                    position: position as u64,
                });
            }
        }
        recovered
    }

    /// Feeds one input to a live node and carries out what it asks for.
    pub(crate) fn run_node(&mut self, slot: usize, input: Input<P>) {
        if self.nodes[slot].process.is_none() {
            return;
        }
        let mut out = std::mem::take(&mut self.scratch);
        let (mut ctx, process) = self.context_of(slot);
        if let Some(process) = process.as_mut() {
            P::handle(process, &mut ctx, input, &mut out);
        }
        self.carry_out(slot, &mut out);
        self.scratch = out;
    }

    pub(super) fn carry_out(&mut self, slot: usize, out: &mut Vec<Effect<P>>) {
        let id = self.nodes[slot].id;
        // Messages after synced writes wait for their fsyncs, one after the other (Figure 2:
        // persist, then reply): a voter that adopts a new term and then votes syncs twice
        // before its reply leaves, as LogCabin's stepDown() and handleRequestVote() do.
        let mut send_delay_us = 0;
        for effect in out.drain(..) {
            match effect {
                Effect::Persist(record) => {
                    let disk = self.settings.disk();
                    let policy = disk.sync;
                    if policy == SyncPolicy::EveryWrite {
                        send_delay_us += disk.sync_latency_us;
                    }
                    let line = self.observing().then(|| P::written(id, &record));
                    let node = &mut self.nodes[slot];
                    let (bytes, waiting) = node.disk.write(record, policy);
                    if let Some(mut line) = line {
                        line.set_written_bytes(bytes);
                        self.record(line);
                    }
                    let node = &mut self.nodes[slot];
                    if waiting && !node.sync_pending {
                        if let SyncPolicy::Interval { interval_us } = policy {
                            node.sync_pending = true;
                            let at = self.now_us + interval_us.max(1);
                            self.queue
                                .push(at, Class::Internal, QueuedEvent::Sync { node: id });
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
                            QueuedEvent::Timer { node: id, timer },
                        );
                    }
                }
                Effect::CancelTimer { timer } => {
                    self.nodes[slot].timers[timer.slot()] = None;
                }
                Effect::Note(note) => {
                    if self.observing() {
                        self.record(Event::Protocol(P::trace(id, note)));
                    }
                }
            }
        }
    }

    /// Puts a message on the wire, or drops it at once (loss, partition).
    pub(crate) fn send(&mut self, from: Addr, to: Addr, msg: P::Message) {
        self.send_after(from, to, msg, 0);
    }

    /// Like `send`, for a message that leaves `delay_us` from now (after an fsync).
    fn send_after(&mut self, from: Addr, to: Addr, msg: P::Message, delay_us: Micros) {
        self.send_with(from, to, msg, delay_us, self.now_us);
    }

    /// Puts a message on the wire that a protocol's own queueing holds back: its first byte
    /// leaves at `leaves_us` (not before now) and it takes `transmit_us` to send, so it
    /// arrives after both plus the network's latency, and the page draws it from
    /// `leaves_us`. Its fate (a partition, loss) is decided now, when it is handed to the
    /// network. Returns its id, or `None` when it was dropped at once.
    pub(crate) fn send_queued(
        &mut self,
        from: Addr,
        to: Addr,
        msg: P::Message,
        leaves_us: Micros,
        transmit_us: Micros,
    ) -> Option<MsgId> {
        let leaves_us = leaves_us.max(self.now_us);
        let delay_us = leaves_us - self.now_us + transmit_us;
        self.send_with(from, to, msg, delay_us, leaves_us)
    }

    /// The id the next message sent will have.
    pub(crate) fn next_msg_id(&self) -> MsgId {
        MsgId(self.next_msg_id)
    }

    fn send_with(
        &mut self,
        from: Addr,
        to: Addr,
        msg: P::Message,
        delay_us: Micros,
        drawn_from_us: Micros,
    ) -> Option<MsgId> {
        let id = MsgId(self.next_msg_id);
        self.next_msg_id += 1;
        let link = match (from, to) {
            (Addr::Node(a), Addr::Node(b)) => Some((a, b)),
            _ => None,
        };
        let size_bytes = P::message_bytes(&msg);
        let fate = self.network.fate(link, size_bytes, &mut self.net_rng);
        let mut deliver_us = self.flights.deliveries_buffer();
        if let Fate::Deliver { first, duplicate } = fate {
            let leave = self.now_us + delay_us;
            deliver_us.push(leave + first);
            deliver_us.extend(duplicate.map(|d| leave + d));
        }
        if self.observing() {
            self.record(Event::Send {
                id,
                from,
                to,
                deliver_t: deliver_us.clone(),
                msg: msg.clone(),
            });
        }
        if let Fate::Drop(reason) = fate {
            if self.observing() {
                self.record(Event::Drop { id, reason });
            }
            self.flights.recycle(deliver_us);
            return None;
        }
        for at in &deliver_us {
            self.queue
                .push(*at, Class::Internal, QueuedEvent::Deliver(id));
        }
        self.flights.insert(Flight {
            id,
            from,
            to,
            msg,
            sent_us: drawn_from_us,
            deliver_us,
        });
        Some(id)
    }

    pub(super) fn deliver(&mut self, id: MsgId) {
        let Some((from, to, msg)) = self.flights.arrive(id, self.now_us) else {
            return; // dropped by hand while in flight
        };
        match to {
            Addr::Node(node) => P::deliver_to_node(self, id, from, node, msg),
            Addr::Client(client) => {
                if self.observing() {
                    self.record(Event::Deliver { id });
                }
                P::client_receive(self, client, msg);
            }
        }
    }

    /// Hands a message that arrived to its node, or drops it when the node is not running:
    /// what `Driver::deliver_to_node` does unless a protocol routes its deliveries itself.
    pub(crate) fn deliver_to_process(
        &mut self,
        id: MsgId,
        from: Addr,
        node: NodeId,
        msg: P::Message,
    ) {
        let (up, recovering) = self
            .node(node)
            .map(|n| (n.is_up(), n.recovery.is_some()))
            .unwrap_or((false, false));
        let paused = self
            .nodes
            .get(node.slot())
            .and_then(|n| n.paused_until(self.now_us));
        if let Some(until_us) = paused {
            self.queue.push(
                until_us,
                Class::Internal,
                QueuedEvent::DeliverLate {
                    id,
                    from,
                    node,
                    msg,
                },
            );
            return;
        }
        if !up {
            if self.observing() {
                let reason = if recovering {
                    DropReason::Recovering
                } else {
                    DropReason::Crashed
                };
                self.record(Event::Drop { id, reason });
            }
            return;
        }
        if self.observing() {
            self.record(Event::Deliver { id });
        }
        self.run_node(node.slot(), Input::Receive { from, msg });
    }

    pub(super) fn fire_timer(&mut self, node: NodeId, timer: P::Timer) {
        let slot = node.slot();
        let now = self.now_us;
        let Some(n) = self.nodes.get_mut(slot) else {
            return;
        };
        if n.timer_wakeups[timer.slot()] != Some(now) {
            return; // superseded by an earlier wake-up
        }
        if let Some(until_us) = n.paused_until(now) {
            // Paused: the wake-up waits for the pause to end, and fires then if still armed.
            n.timer_wakeups[timer.slot()] = Some(until_us);
            self.queue.push(
                until_us,
                Class::Internal,
                QueuedEvent::Timer { node, timer },
            );
            return;
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
                    QueuedEvent::Timer { node, timer },
                );
                return;
            }
            Some(_) => n.timers[timer.slot()] = None,
        }
        self.run_node(slot, Input::Timer(timer));
    }

    pub(super) fn sync_disk(&mut self, node: NodeId) {
        let Some(n) = self.nodes.get_mut(node.slot()) else {
            return;
        };
        n.sync_pending = false;
        let records = n.disk.sync() as u64;
        if records > 0 && self.observing() {
            self.record(Event::WalSync { node, records });
        }
    }

    /// The process dies: memory and timers are gone, the disk stays as the crash leaves it.
    pub(super) fn crash_node(&mut self, node: NodeId, mode: CrashMode) {
        let slot = node.slot();
        let n = &mut self.nodes[slot];
        let was_recovering = n.recovery.take().is_some();
        n.paused_until_us = 0;
        let Some(process) = n.process.take() else {
            if was_recovering && self.observing() {
                if self.observe.checks {
                    self.coverage.crash_during_recovery();
                }
                self.record(Event::Crash { node });
            }
            return;
        };
        n.timers.fill(None);
        n.sync_pending = false;
        n.disk.crash(mode);
        if self.observing() {
            self.record(Event::Crash { node });
            P::crashed(self, node, &process);
        }
    }

    /// Gives the slot of `node` a new, empty node: a fresh disk, no timers, a first boot.
    /// For protocols whose membership changes (a node that left is replaced by a new one
    /// under the same id); no trace line, the protocol says what happened.
    pub(crate) fn reset_node(&mut self, node: NodeId) {
        let slot = node.slot();
        let n = &mut self.nodes[slot];
        n.process = None;
        n.recovery = None;
        n.disk = Default::default();
        n.timers.fill(None);
        n.timer_wakeups.fill(None);
        n.sync_pending = false;
        n.paused_until_us = 0;
        self.start_node(slot);
    }

    /// Pauses the running node `node` until `until_us` (see `NodeSlot::paused_until_us`);
    /// false, and nothing done, when it is not running.
    pub(crate) fn pause_node(&mut self, node: NodeId, until_us: Micros) -> bool {
        match self.nodes.get_mut(node.slot()) {
            Some(n) if n.is_up() => {
                n.paused_until_us = n.paused_until_us.max(until_us);
                true
            }
            _ => false,
        }
    }

    pub(super) fn restart_node(&mut self, node: NodeId) {
        let slot = node.slot();
        if self.nodes[slot].is_down() {
            if self.observing() {
                self.record(Event::Restart { node });
            }
            P::restart(self, slot);
        }
    }
}
