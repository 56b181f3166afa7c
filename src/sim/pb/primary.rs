//! The primary's steps (Alsberg & Day 1976, "A Principle for Resilient Sharing of
//! Distributed Resources": one primary orders every request and keeps its backups in step;
//! 6.824 Lab 2 Part B's primary). It runs writes in one order, forwards each to every backup
//! of the view (or, cold, ships it to shared storage) and answers the client:
//! - hot: once every backup acknowledged it (nothing acknowledged can be lost by a failover);
//! - warm: at once, shipping after (a failover loses the tail not yet shipped);
//! - cold: once the storage holds it (a standby then replays from there, slowly).
//!
//! Forwards are sent again until acknowledged, with the retransmission protocol's timeout
//! (`retransmit::RtoEstimator`, RFC 6298: measured round trips, one timed write at a time,
//! Karn's rule, doubling on each timeout), so lost forwards are survived and show in the
//! trace as `pb_resend`. Reads are answered from the primary's store under its lease, after
//! every earlier write is as safe as the mode makes writes.

use super::config::{PbConfig, Replication};
use super::message::Message;
use super::message::StoreImage;
use super::note::Note;
use super::primary_state::{rto_policy, Peer, Pending, PrimaryState, RESEND_BATCH};
use super::server::Server;
use super::timer::Timer;
use super::types::{read_index, write_index, Entry, Out, Seq};
use crate::sim::kv::{Command, Origin};
use crate::sim::protocol::Effect;
use crate::sim::types::{Addr, ClientId, LogIndex, Micros, NodeId};
use std::collections::BTreeMap;

impl Server {
    /// The view names it primary. `was_primary_of` is the view it was primary of, if any.
    pub(super) fn become_primary(
        &mut self,
        config: &PbConfig,
        now_us: Micros,
        was_primary_of: Option<u64>,
        out: &mut Out,
    ) {
        let num = self.view.num;
        // It carries on from its own history only if no other primary can have come between:
        // hot and warm, another primary would have installed it as a backup first; cold,
        // only when no view came between.
        let continues = match (was_primary_of, config.replication) {
            (Some(_), Replication::Hot | Replication::Warm) => true,
            (Some(v), Replication::Cold) => v + 1 == num,
            (None, _) => false,
        };
        let mut state = match self.primary.take() {
            Some(mut p) if continues => {
                p.view = num;
                p.ready = false;
                p.deposed = false;
                p
            }
            _ => PrimaryState::new(num, config),
        };
        match config.replication {
            Replication::Hot | Replication::Warm => {
                if !continues && self.installed == 0 && num > 1 {
                    // Promoted with no state (it restarted unseen): it must not serve; the
                    // view service, waiting for an acknowledgement, is stuck (6.824's rule).
                    // The first view's primary starts the history, with nothing to hold.
                    return;
                }
                state.peers = self
                    .view
                    .backups
                    .iter()
                    .map(|b| {
                        let peer = Peer {
                            installed: false,
                            acked_through: 0,
                        };
                        (*b, peer)
                    })
                    .collect();
                state.log.clear();
                for b in &self.view.backups {
                    out.push(Effect::Send {
                        to: Addr::Node(*b),
                        msg: Message::Install {
                            view: num,
                            seq: self.last_seq,
                            store: StoreImage::of(&self.store),
                        },
                    });
                }
                out.push(Effect::Note(Note::PbPrimary {
                    node: self.id,
                    view: num,
                    through: self.last_seq,
                }));
            }
            Replication::Cold => {
                let Some(storage) = config.storage() else {
                    return;
                };
                if continues {
                    out.push(Effect::Note(Note::PbPrimary {
                        node: self.id,
                        view: num,
                        through: self.last_seq,
                    }));
                } else {
                    state.loading = true;
                    state.peers.insert(
                        storage,
                        Peer {
                            installed: true,
                            acked_through: 0,
                        },
                    );
                    out.push(Effect::Send {
                        to: Addr::Node(storage),
                        msg: Message::Load { view: num },
                    });
                }
            }
        }
        self.primary = Some(state);
        self.arm_resend(config, out);
        self.check_ready(config, now_us, out);
    }

    /// Acknowledges the view once it is ready in it (a ping with its number).
    fn check_ready(&mut self, config: &PbConfig, now_us: Micros, out: &mut Out) {
        let Some(p) = &mut self.primary else { return };
        if p.ready || p.loading || p.replaying || p.peers.values().any(|peer| !peer.installed) {
            return;
        }
        p.ready = true;
        self.ping_view = p.view;
        self.ping(config, now_us, out);
    }

    pub(super) fn run_request(
        &mut self,
        config: &PbConfig,
        now_us: Micros,
        client: ClientId,
        request: u64,
        cmd: Command,
        out: &mut Out,
    ) {
        let Some(p) = &mut self.primary else { return };
        if p.pending
            .iter()
            .any(|w| w.client == client && w.request == request)
        {
            return; // already waiting to answer it
        }
        if let Command::Get { key } = &cmd {
            p.reads_since_write += 1;
            let index = read_index(self.last_seq, p.view, p.reads_since_write);
            let value = self.store.data.get(key).cloned();
            out.push(Effect::Note(Note::PbRead {
                node: self.id,
                view: p.view,
                index,
                client,
                request,
                value: value.clone(),
            }));
            p.pending.push(Pending {
                client,
                request,
                wait_for: self.last_seq,
                index,
                ok: true,
                value,
                write: false,
            });
            self.reply_ready(config, now_us, out);
            return;
        }
        // A retry of a write already run is answered with its first outcome, once safe.
        if let Some((last, outcome)) = self.store.sessions.get(&client) {
            if request < *last {
                return;
            }
            if request == *last {
                let seq = outcome.index.0;
                p.pending.push(Pending {
                    client,
                    request,
                    wait_for: seq,
                    index: write_index(seq),
                    ok: outcome.ok,
                    value: outcome.value.clone(),
                    write: true,
                });
                self.reply_ready(config, now_us, out);
                return;
            }
        }
        let seq = self.last_seq + 1;
        let origin = Origin { client, request };
        let outcome = self.store.apply(LogIndex(seq), &cmd, Some(origin));
        self.last_seq = seq;
        p.reads_since_write = 0;
        let entry = Entry {
            seq,
            client,
            request,
            cmd: cmd.clone(),
        };
        out.push(Effect::Note(Note::PbExecute {
            node: self.id,
            view: p.view,
            seq,
            client,
            request,
            cmd,
        }));
        // Warm mode ships later, in batches; the others forward at once.
        let forward_now = config.replication != Replication::Warm;
        if !forward_now && !p.ship_armed && !p.peers.is_empty() {
            p.ship_armed = true;
            out.push(Effect::SetTimer {
                timer: Timer::Ship,
                after_us: config.ship_interval_us,
            });
        }
        for (peer, state) in &p.peers {
            if state.installed && forward_now {
                out.push(Effect::Send {
                    to: Addr::Node(*peer),
                    msg: Message::Forward {
                        view: p.view,
                        entry: entry.clone(),
                    },
                });
            }
        }
        if !p.peers.is_empty() {
            p.log.insert(seq, entry);
            if p.probe.is_none() {
                p.probe = Some((seq, now_us));
            }
        }
        p.pending.push(Pending {
            client,
            request,
            wait_for: seq,
            index: write_index(seq),
            ok: outcome.ok,
            value: outcome.value,
            write: true,
        });
        p.writes_since_checkpoint += 1;
        if config.checkpoint_every_writes > 0
            && p.writes_since_checkpoint >= config.checkpoint_every_writes
        {
            self.checkpoint(config, out);
        }
        self.arm_resend(config, out);
        self.reply_ready(config, now_us, out);
    }

    /// Cold mode: writes the current state to the storage as a checkpoint.
    pub(super) fn checkpoint(&mut self, config: &PbConfig, out: &mut Out) {
        let (Some(p), Some(storage)) = (&mut self.primary, config.storage()) else {
            return;
        };
        if p.loading || p.replaying {
            return;
        }
        p.writes_since_checkpoint = 0;
        out.push(Effect::Send {
            to: Addr::Node(storage),
            msg: Message::Checkpoint {
                view: p.view,
                seq: self.last_seq,
                store: StoreImage::of(&self.store),
            },
        });
    }

    /// Answers every waiting operation that is now safe, if it may serve.
    pub(super) fn reply_ready(&mut self, config: &PbConfig, now_us: Micros, out: &mut Out) {
        if !self.serving(config, now_us) {
            return;
        }
        let last_seq = self.last_seq;
        let Some(p) = &mut self.primary else { return };
        if !p.ready || p.deposed {
            return;
        }
        let early = config.replication == Replication::Warm
            || (config.replication == Replication::Hot && config.bugs.ack_before_forward);
        let safe = if early {
            last_seq
        } else {
            p.committed(last_seq)
        };
        let view = p.view;
        let id = self.id;
        p.pending.retain(|w| {
            if w.wait_for > safe {
                return true;
            }
            out.push(Effect::Note(Note::PbServe {
                node: id,
                view,
                client: w.client,
                request: w.request,
                index: w.index,
                write: w.write,
            }));
            out.push(Effect::Send {
                to: Addr::Client(w.client),
                msg: Message::Reply {
                    request: w.request,
                    index: w.index,
                    ok: w.ok,
                    value: w.value.clone(),
                },
            });
            false
        });
    }

    pub(super) fn on_forward_ack(
        &mut self,
        config: &PbConfig,
        now_us: Micros,
        from: NodeId,
        (view, through): (u64, Seq),
        out: &mut Out,
    ) {
        let last_seq = self.last_seq;
        let Some(p) = &mut self.primary else { return };
        let policy = rto_policy(config);
        let Some(peer) = p.peers.get_mut(&from) else {
            return;
        };
        if p.view != view || !peer.installed || through <= peer.acked_through {
            return;
        }
        peer.acked_through = through.min(last_seq);
        p.timeouts_in_row = 0;
        if let Some((seq, sent_us)) = p.probe {
            if through >= seq {
                p.rto.sample(now_us.saturating_sub(sent_us), &policy);
                p.probe = None;
            }
        }
        let committed = p.committed(last_seq);
        p.log = p.log.split_off(&(committed + 1));
        if !p.outstanding(last_seq) {
            p.resend_armed = false;
            out.push(Effect::CancelTimer {
                timer: Timer::Resend,
            });
        }
        self.reply_ready(config, now_us, out);
    }

    pub(super) fn on_install_ack(
        &mut self,
        config: &PbConfig,
        now_us: Micros,
        from: NodeId,
        (view, seq): (u64, Seq),
        out: &mut Out,
    ) {
        let Some(p) = &mut self.primary else { return };
        let Some(peer) = p.peers.get_mut(&from) else {
            return;
        };
        if p.view != view || peer.installed {
            return;
        }
        peer.installed = true;
        peer.acked_through = seq;
        self.check_ready(config, now_us, out);
        self.reply_ready(config, now_us, out);
    }

    pub(super) fn on_fenced(&mut self, view: u64) {
        if let Some(p) = &mut self.primary {
            if view > p.view {
                p.deposed = true;
            }
        }
    }

    /// Cold mode: the storage's checkpoint and log arrived; replay them, which takes time.
    pub(super) fn on_loaded(
        &mut self,
        config: &PbConfig,
        (view, checkpoint_seq, store, entries): (u64, Seq, StoreImage, Vec<Entry>),
        out: &mut Out,
    ) {
        let Some(p) = &mut self.primary else { return };
        if !p.loading || p.view != view {
            return;
        }
        p.loading = false;
        p.replaying = true;
        self.store = store.store();
        self.last_seq = checkpoint_seq;
        let count = entries.len() as u64;
        for e in &entries {
            self.store.apply(LogIndex(e.seq), &e.cmd, Some(e.origin()));
            self.last_seq = e.seq;
        }
        for peer in p.peers.values_mut() {
            peer.acked_through = self.last_seq;
        }
        let cost_us = config.checkpoint_load_us + count * config.replay_us_per_entry;
        out.push(Effect::Note(Note::PbReplay {
            node: self.id,
            view,
            checkpoint_seq,
            entries: count,
            cost_us,
        }));
        out.push(Effect::Note(Note::PbPrimary {
            node: self.id,
            view,
            through: self.last_seq,
        }));
        out.push(Effect::SetTimer {
            timer: Timer::Replay,
            after_us: cost_us,
        });
    }

    pub(super) fn on_replayed(&mut self, config: &PbConfig, now_us: Micros, out: &mut Out) {
        if let Some(p) = &mut self.primary {
            p.replaying = false;
        }
        self.check_ready(config, now_us, out);
    }

    /// Warm mode: ships every write each backup lacks.
    pub(super) fn on_ship(&mut self, out: &mut Out) {
        let last_seq = self.last_seq;
        let Some(p) = &mut self.primary else { return };
        p.ship_armed = false;
        for (peer, state) in &p.peers {
            if !state.installed || state.acked_through >= last_seq {
                continue;
            }
            for entry in p
                .log
                .range(state.acked_through + 1..=last_seq)
                .map(|(_, e)| e)
            {
                out.push(Effect::Send {
                    to: Addr::Node(*peer),
                    msg: Message::Forward {
                        view: p.view,
                        entry: entry.clone(),
                    },
                });
            }
        }
    }

    fn arm_resend(&mut self, config: &PbConfig, out: &mut Out) {
        let last_seq = self.last_seq;
        let Some(p) = &mut self.primary else { return };
        if p.resend_armed || !p.outstanding(last_seq) {
            return;
        }
        p.resend_armed = true;
        out.push(Effect::SetTimer {
            timer: Timer::Resend,
            after_us: p.rto.current_us(&rto_policy(config)),
        });
    }

    /// The resend timer fired: send again what each peer lacks, and back off.
    pub(super) fn on_resend(&mut self, config: &PbConfig, out: &mut Out) {
        let policy = rto_policy(config);
        let (id, last_seq) = (self.id, self.last_seq);
        let Some(p) = &mut self.primary else { return };
        p.resend_armed = false;
        p.timeouts_in_row = p.timeouts_in_row.saturating_add(1);
        p.rto.back_off(p.timeouts_in_row, &policy);
        // Karn's rule: a write sent again gives no round-trip sample.
        p.probe = None;
        let rto_us = p.rto.current_us(&policy);
        let mut sends = Vec::new();
        if p.loading {
            if let Some(storage) = config.storage() {
                sends.push((storage, Message::Load { view: p.view }, 0, 0));
            }
        }
        for (peer, state) in &p.peers {
            if !state.installed {
                let msg = Message::Install {
                    view: p.view,
                    seq: last_seq,
                    store: StoreImage::of(&self.store),
                };
                sends.push((*peer, msg, 0, 0));
                continue;
            }
            let upto = last_seq.min(state.acked_through + RESEND_BATCH);
            for seq in state.acked_through + 1..=upto {
                if let Some(entry) = p.log.get(&seq) {
                    let msg = Message::Forward {
                        view: p.view,
                        entry: entry.clone(),
                    };
                    sends.push((*peer, msg, seq, 1));
                }
            }
        }
        let mut per_peer: BTreeMap<NodeId, (Seq, u64)> = BTreeMap::new();
        for (peer, msg, seq, count) in sends {
            let e = per_peer.entry(peer).or_insert((seq, 0));
            e.1 += count;
            out.push(Effect::Send {
                to: Addr::Node(peer),
                msg,
            });
        }
        for (to, (from_seq, count)) in per_peer {
            out.push(Effect::Note(Note::PbResend {
                node: id,
                to,
                from_seq,
                count,
                rto_us,
            }));
        }
        self.arm_resend(config, out);
    }
}
