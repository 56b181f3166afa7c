//! The store's engine-side state (`Driver::World`): the key table, the ring, the nodes'
//! membership and liveness as the cluster sees them, the coordinators' open requests and the
//! transfers on the wire. Nodes' processes are minimal; what they send goes through the
//! engine's network, and deliveries come back to `events.rs` (`Driver::deliver_to_node`), which
//! carries them out with the helpers below.

use super::replicas::{bit, Context, KeyTable};
use super::trace::RingEvent;
use super::types::RingStore;
use crate::sim::engine::Engine;
use crate::sim::protocol::Event;
use crate::sim::ring::hash::{key_position, Position};
use crate::sim::ring::membership::Membership;
use crate::sim::ring::strategy::ring::Ring;
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::{Micros, MsgId, NodeId};
use std::collections::BTreeMap;
use std::rc::Rc;

pub(super) type E = Engine<RingStore>;

/// A node's state as the cluster sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Node {
    pub up: bool,
    pub detected_down: bool,
    pub leaving: bool,
    /// Which life of a node this is: unique in the run (a crash, a restart or a new node with
    /// a reused id each take the next number), so stale timers and half-sent transfers of an
    /// earlier life, or of an earlier node with the same id, are recognised.
    pub incarnation: u32,
    /// When the node's outgoing link finishes the transfers queued on it.
    pub uplink_free_us: Micros,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Put,
    Get,
}

/// A read or write waiting for its quorum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Request {
    pub kind: Kind,
    pub key: u32,
    pub coordinator: NodeId,
    pub replies: u32,
    /// Replicas whose reply arrived: a duplicated reply counts once.
    pub replied: u64,
    pub latest: bool,
}

/// A transfer on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Transfer {
    pub from: NodeId,
    pub to: NodeId,
    pub items: Rc<[super::message::TransferItem]>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RingWorld {
    pub(super) nodes: BTreeMap<NodeId, Node>,
    /// The ring of nodes that are members and not noticed down; `None` when there are none.
    pub(super) ring: Option<Rc<Ring>>,
    pub(super) positions: Rc<Vec<Position>>,
    pub(super) table: KeyTable,
    pub(super) next_request: u64,
    pub(super) requests: BTreeMap<u64, Request>,
    pub(super) transfers: BTreeMap<MsgId, Transfer>,
    pub(super) rebalance_due: bool,
    pub(super) under_replicated_before: u32,
    pub(super) lost_before: u32,
    /// The last incarnation number handed out.
    pub(super) last_incarnation: u32,
    pub(super) workload: Option<SimRng>,
    /// Reads and writes that reached their quorum.
    pub(super) ops_ok: u64,
}

impl RingWorld {
    /// A cluster of `settings.nodes` nodes with every key on its full preference list.
    pub(super) fn new(settings: &super::RingSettings) -> RingWorld {
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
        let mut world = RingWorld {
            workload: Some(SimRng::stream(settings.seed, Stream::Workload)),
            nodes,
            positions: Rc::new(positions),
            next_request: 1,
            last_incarnation: settings.nodes,
            ..RingWorld::default()
        };
        world.ring = world.build_ring(settings);
        let desired = world.compute_desired(settings);
        world.table = KeyTable::new(desired, world.context(settings));
        world.under_replicated_before = world.table.counts().under_replicated;
        world
    }

    pub(super) fn in_ring(&self, id: NodeId) -> bool {
        self.nodes
            .get(&id)
            .is_some_and(|n| !n.leaving && !n.detected_down)
    }

    pub(super) fn ring_members(&self) -> Vec<NodeId> {
        self.nodes
            .iter()
            .filter(|(_, n)| !n.leaving && !n.detected_down)
            .map(|(id, _)| *id)
            .collect()
    }

    fn build_ring(&self, settings: &super::RingSettings) -> Option<Rc<Ring>> {
        let members = Membership::new(self.ring_members()).ok()?;
        Some(Rc::new(Ring::build(
            &members,
            settings.vnodes,
            settings.seed,
        )))
    }

    /// Every key's preference list on the current ring, as masks. Each token's list is walked
    /// once, then each key reads the list of its successor token.
    fn compute_desired(&self, settings: &super::RingSettings) -> Vec<u64> {
        let Some(ring) = &self.ring else {
            return vec![0; self.positions.len()];
        };
        let mut slots = Vec::new();
        let token_masks: Vec<u64> = (0..ring.token_count())
            .map(|t| {
                ring.preference_slots_from(t, settings.replication, &mut slots);
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

    pub(super) fn context(&self, settings: &super::RingSettings) -> Context {
        Context {
            up: self.up_mask(),
            replication: settings.replication,
        }
    }

    fn up_mask(&self) -> u64 {
        self.nodes
            .iter()
            .filter(|(_, n)| n.up)
            .fold(0, |m, (id, _)| m | bit(*id))
    }

    pub(super) fn key_count(&self) -> u32 {
        self.positions.len() as u32
    }

    /// The key's preference list on the current ring, in clockwise order (coordinator first).
    pub(super) fn preference_list(&self, key: u32, replication: u32) -> Vec<NodeId> {
        let (Some(ring), Some(pos)) = (&self.ring, self.positions.get(key as usize)) else {
            return Vec::new();
        };
        let mut slots = Vec::new();
        ring.preference_slots_from(ring.successor(*pos).0, replication, &mut slots);
        slots.iter().map(|s| ring.nodes()[*s as usize]).collect()
    }
}

// ----- the engine-side store: every function takes the engine, whose world it changes and
// whose network and trace it uses -----

/// Records one of the store's own lines (when the run records anything).
pub(super) fn note(e: &mut E, line: RingEvent) {
    if e.observing() {
        e.record(Event::Protocol(line));
    }
}

pub(super) fn ring_changed(e: &mut E) {
    let settings = &e.settings.store;
    let w = &mut e.world;
    w.ring = w.build_ring(settings);
    let desired = w.compute_desired(settings);
    let ctx = w.context(settings);
    w.table.set_desired(desired, ctx);
    w.rebalance_due = true;
}

pub(super) fn recount(e: &mut E) {
    let ctx = e.world.context(&e.settings.store);
    e.world.table.recount(ctx);
}

impl Engine<RingStore> {
    /// The store's key counters now.
    pub fn world_counts(&self) -> super::Counts {
        self.world.table.counts()
    }
}
