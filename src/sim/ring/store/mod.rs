//! A Dynamo-style replicated key-value store on the token ring, as a pure event-driven state
//! machine in simulated time (DeCandia et al. 2007, sections 4.2 to 4.6 and 4.8).
//!
//! Nodes own tokens; each key lives on its preference list, the first R distinct nodes
//! clockwise. Reads and writes go through a coordinator that waits for R_read replies or W
//! acknowledgements. Membership changes are protocol: a crash is noticed after a detection
//! delay, then the new owners of each affected range stream the keys from surviving replicas
//! in transfer messages that take latency and bandwidth, and the under-replicated count falls
//! back to zero as they arrive. Nothing here reads a clock or global randomness: the same
//! settings and actions give the same run, and cloning the store is cheap (per-key tables are
//! shared until written), so the page can checkpoint it for time travel.

pub mod action;
pub mod links;
pub mod message;
mod nodes;
mod rebalance;
pub mod replicas;
mod requests;
pub mod settings;
pub mod trace;
mod view;

pub use action::RingAction;
pub use message::{LossReason, Message, MessageKind};
pub use replicas::Counts;
pub use settings::{RingSettings, MAX_NODE_ID, PAGE_VNODES};
pub use trace::{RingEvent, RingTraceLine};
pub use view::{NodeStatus, NodeView};

use super::hash::{key_position, Position};
use super::membership::Membership;
use super::strategy::ring::Ring;
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::{Micros, MsgId, NodeId};
use links::Links;
use message::Body;
use replicas::{bit, Context, KeyTable};
use requests::Request;

use std::collections::BTreeMap;
use std::rc::Rc;

/// A node's state as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Node {
    up: bool,
    detected_down: bool,
    leaving: bool,
    /// Which life of a node this is: unique in the run (a crash, a restart or a new node with
    /// a reused id each take the next number), so stale timers and half-sent transfers of an
    /// earlier life, or of an earlier node with the same id, are recognised.
    incarnation: u32,
    /// When the node's outgoing link finishes the transfers queued on it.
    uplink_free_us: Micros,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Event {
    Deliver(MsgId),
    DetectDown { node: NodeId, incarnation: u32 },
    RequestTimeout(u64),
    WorkloadTick,
}

/// The replicated ring store.
#[derive(Clone, Debug, PartialEq)]
pub struct RingSim {
    settings: RingSettings,
    now_us: Micros,
    nodes: BTreeMap<NodeId, Node>,
    links: Links,
    /// The ring of nodes that are members and not noticed down; `None` when there are none.
    ring: Option<Rc<Ring>>,
    positions: Rc<Vec<Position>>,
    table: KeyTable,
    messages: BTreeMap<MsgId, Message>,
    /// Pending events by (time, sequence number): equal times run in the order scheduled.
    events: BTreeMap<(Micros, u64), Event>,
    next_seq: u64,
    next_msg: u64,
    next_request: u64,
    requests: BTreeMap<u64, Request>,
    transfers_in_flight: u32,
    rebalance_due: bool,
    under_replicated_before: u32,
    /// The last incarnation number handed out.
    last_incarnation: u32,
    trace: Rc<Vec<RingTraceLine>>,
    workload: SimRng,
}

impl RingSim {
    /// A cluster of `settings.nodes` nodes with every key on its full preference list.
    pub fn new(settings: RingSettings) -> Result<RingSim, String> {
        settings.validate()?;
        let nodes = (1..=settings.nodes)
            .map(|id| {
                let node = Node {
                    up: true,
                    detected_down: false,
                    leaving: false,
                    incarnation: id,
                    uplink_free_us: 0,
                };
                (NodeId(id), node)
            })
            .collect();
        let positions: Vec<Position> = (0..settings.keys)
            .map(|k| key_position(k, settings.seed))
            .collect();
        let mut sim = RingSim {
            workload: SimRng::stream(settings.seed, Stream::Workload),
            now_us: 0,
            nodes,
            links: Links::default(),
            ring: None,
            positions: Rc::new(positions),
            table: KeyTable::new(
                Vec::new(),
                Context {
                    up: 0,
                    replication: 1,
                },
            ),
            messages: BTreeMap::new(),
            events: BTreeMap::new(),
            next_seq: 0,
            next_msg: 1,
            next_request: 1,
            requests: BTreeMap::new(),
            transfers_in_flight: 0,
            rebalance_due: false,
            under_replicated_before: 0,
            last_incarnation: settings.nodes,
            trace: Rc::new(Vec::new()),
            settings,
        };
        sim.ring = sim.build_ring();
        let desired = sim.compute_desired();
        sim.table = KeyTable::new(desired, sim.context());
        sim.under_replicated_before = sim.table.counts().under_replicated;
        if sim.settings.workload_interval_us > 0 {
            sim.schedule(sim.settings.workload_interval_us, Event::WorkloadTick);
        }
        Ok(sim)
    }

    // ----- time -----

    pub fn now_us(&self) -> Micros {
        self.now_us
    }

    /// When the next event happens, if any is pending.
    pub fn next_event_us(&self) -> Option<Micros> {
        self.events.keys().next().map(|(t, _)| *t)
    }

    /// Handles the next event (moving time to it); false when none is pending.
    pub fn step(&mut self) -> bool {
        let Some(((t, _), event)) = self.events.pop_first() else {
            return false;
        };
        self.now_us = self.now_us.max(t);
        self.handle(event);
        self.settle();
        true
    }

    /// Handles every event up to and including `t_us`, then sets the time to `t_us`.
    pub fn run_until(&mut self, t_us: Micros) {
        while self.next_event_us().is_some_and(|t| t <= t_us) {
            self.step();
        }
        self.now_us = self.now_us.max(t_us);
    }

    /// Runs until nothing is pending (no transfers, requests or detections), or `limit_us`.
    /// With the workload on, events never run out, so this stops at the limit.
    pub fn run_until_quiet(&mut self, limit_us: Micros) {
        while self.next_event_us().is_some_and(|t| t <= limit_us) {
            self.step();
        }
    }

    // ----- actions -----

    /// Applies `action` now. Errors name the node or key that does not fit.
    pub fn act(&mut self, action: RingAction) -> Result<(), String> {
        match action {
            RingAction::Crash { node } => self.crash(node)?,
            RingAction::Restart { node } => self.restart(node)?,
            RingAction::Add => self.add()?,
            RingAction::Remove { node } => self.remove(node)?,
            RingAction::Partition { groups } => {
                for node in groups.iter().flatten() {
                    self.check_node_id(*node)?;
                }
                self.links.partition(&groups);
                self.links_changed();
            }
            RingAction::Heal => {
                self.links.heal();
                self.links_changed();
            }
            RingAction::Cut { from, to, both } => {
                self.check_node_id(from)?;
                self.check_node_id(to)?;
                self.links.cut(from, to, both);
                self.links_changed();
            }
            RingAction::Repair { from, to, both } => {
                self.check_node_id(from)?;
                self.check_node_id(to)?;
                self.links.repair(from, to, both);
                self.links_changed();
            }
            RingAction::Put { key } => {
                self.check_key(key)?;
                self.start_put(key);
            }
            RingAction::Get { key } => {
                self.check_key(key)?;
                self.start_get(key);
            }
        }
        self.settle();
        Ok(())
    }

    fn check_node_id(&self, node: NodeId) -> Result<(), String> {
        if node.0 == 0 || node.0 > MAX_NODE_ID {
            return Err(format!(
                "node {} does not exist (ids run 1 to {MAX_NODE_ID})",
                node.0
            ));
        }
        Ok(())
    }

    fn check_key(&self, key: u32) -> Result<(), String> {
        if key >= self.key_count() {
            return Err(format!(
                "key {key} does not exist (keys run 0 to {})",
                self.key_count().saturating_sub(1)
            ));
        }
        Ok(())
    }

    // ----- events -----

    fn handle(&mut self, event: Event) {
        match event {
            Event::Deliver(id) => self.deliver(id),
            Event::DetectDown { node, incarnation } => {
                let Some(state) = self.nodes.get_mut(&node) else {
                    return;
                };
                if state.up || state.incarnation != incarnation {
                    return;
                }
                state.detected_down = true;
                let leaving = state.leaving;
                self.record(RingEvent::NodeDownDetected { node });
                if leaving {
                    self.forget(node);
                } else {
                    self.ring_changed();
                }
            }
            Event::RequestTimeout(request) => self.request_timeout(request),
            Event::WorkloadTick => {
                let keys = self.key_count();
                if keys > 0 {
                    let key = self.workload.below(keys as u64) as u32;
                    if self.workload.chance(self.settings.workload_read_ppm) {
                        self.start_get(key);
                    } else {
                        self.start_put(key);
                    }
                }
                let next = self.now_us + self.settings.workload_interval_us;
                self.schedule(next, Event::WorkloadTick);
            }
        }
    }

    fn deliver(&mut self, id: MsgId) {
        let Some(msg) = self.messages.remove(&id) else {
            return;
        };
        let receiver = self.nodes.get(&msg.to);
        let sender = self.nodes.get(&msg.from);
        let (receiver_life, sender_life) = match &msg.body {
            Body::Transfer {
                sender_incarnation,
                receiver_incarnation,
                ..
            } => (Some(*receiver_incarnation), Some(*sender_incarnation)),
            _ => (None, None),
        };
        let alive = |node: Option<&Node>, life: Option<u32>| {
            node.is_some_and(|n| n.up && life.is_none_or(|l| l == n.incarnation))
        };
        let loss = if !alive(receiver, receiver_life) {
            Some(LossReason::ReceiverDown)
        } else if !self.links.can_send(msg.from, msg.to) {
            Some(LossReason::LinkCut)
        } else if sender_life.is_some() && !alive(sender, sender_life) {
            Some(LossReason::SenderDown)
        } else {
            None
        };
        match &msg.body {
            Body::Transfer { items, .. } => {
                let items = items.clone();
                self.transfers_in_flight -= 1;
                self.transfer_arrived(&msg, &items, loss);
                if self.transfers_in_flight == 0 {
                    self.rebalance_due = true;
                }
            }
            // A lost read or write message is silent: its request times out.
            body if loss.is_none() => self.request_message(msg.from, msg.to, body.clone()),
            _ => {}
        }
    }

    fn transfer_arrived(
        &mut self,
        msg: &Message,
        items: &[message::TransferItem],
        loss: Option<LossReason>,
    ) {
        let ctx = self.context();
        for (key, version_sent) in items {
            self.table.clear_incoming(*key, msg.to);
            if loss.is_none() {
                let latest = *version_sent != 0 && *version_sent == self.table.version(*key);
                self.table.add_copy(*key, msg.to, latest, ctx);
            }
        }
        let event = match loss {
            None => RingEvent::RingTransferDone {
                id: msg.id,
                from: msg.from,
                to: msg.to,
                keys: msg.keys,
            },
            Some(reason) => RingEvent::RingTransferLost {
                id: msg.id,
                from: msg.from,
                to: msg.to,
                keys: msg.keys,
                reason,
            },
        };
        self.record(event);
    }

    /// After an action or event: plan transfers if the ring or reachability changed, and note
    /// the moment the store is fully replicated again.
    fn settle(&mut self) {
        if self.rebalance_due {
            self.rebalance();
        }
        let under = self.table.counts().under_replicated;
        if under == 0 && self.under_replicated_before > 0 {
            self.record(RingEvent::RingFullyReplicated);
        }
        self.under_replicated_before = under;
    }

    // ----- ring -----

    fn in_ring(&self, id: NodeId) -> bool {
        self.nodes
            .get(&id)
            .is_some_and(|n| !n.leaving && !n.detected_down)
    }

    fn ring_members(&self) -> Vec<NodeId> {
        self.nodes
            .iter()
            .filter(|(_, n)| !n.leaving && !n.detected_down)
            .map(|(id, _)| *id)
            .collect()
    }

    fn build_ring(&self) -> Option<Rc<Ring>> {
        let members = Membership::new(self.ring_members()).ok()?;
        Some(Rc::new(Ring::build(
            &members,
            self.settings.vnodes,
            self.settings.seed,
        )))
    }

    /// Every key's preference list on the current ring, as masks. Each token's list is walked
    /// once, then each key reads the list of its successor token.
    fn compute_desired(&self) -> Vec<u64> {
        let Some(ring) = &self.ring else {
            return vec![0; self.positions.len()];
        };
        let mut slots = Vec::new();
        let token_masks: Vec<u64> = (0..ring.token_count())
            .map(|t| {
                ring.preference_slots_from(t, self.settings.replication, &mut slots);
                slots
                    .iter()
                    .fold(0, |m, s| m | bit(ring.nodes()[*s as usize]))
            })
            .collect();
        self.positions
            .iter()
            .map(|pos| token_masks[ring.successor(*pos).0 as usize])
            .collect()
    }

    fn ring_changed(&mut self) {
        self.ring = self.build_ring();
        let desired = self.compute_desired();
        self.table.set_desired(desired, self.context());
        self.rebalance_due = true;
    }

    fn context(&self) -> Context {
        Context {
            up: self.up_mask(),
            replication: self.settings.replication,
        }
    }

    fn up_mask(&self) -> u64 {
        self.nodes
            .iter()
            .filter(|(_, n)| n.up)
            .fold(0, |m, (id, _)| m | bit(*id))
    }

    // ----- plumbing -----

    fn schedule(&mut self, at: Micros, event: Event) {
        self.events.insert((at, self.next_seq), event);
        self.next_seq += 1;
    }

    fn record(&mut self, event: RingEvent) {
        Rc::make_mut(&mut self.trace).push(RingTraceLine {
            t: self.now_us,
            event,
        });
    }

    /// Puts `message` in flight under a fresh id (its `id` field is overwritten).
    fn send(&mut self, mut message: Message) -> MsgId {
        let id = MsgId(self.next_msg);
        self.next_msg += 1;
        message.id = id;
        self.schedule(message.deliver_us, Event::Deliver(id));
        self.messages.insert(id, message);
        id
    }

    /// One-way latency between two nodes; a node talks to itself instantly.
    fn latency(&self, from: NodeId, to: NodeId) -> Micros {
        if from == to {
            0
        } else {
            self.settings.latency_us
        }
    }
}

#[cfg(test)]
mod tests;
