//! Multi-Paxos's clients, in the engine's world: each runs one command of the key-value store
//! at a time (puts, gets, deletes and compare-and-sets on a few keys, drawn from its own
//! random stream), sends it to the node it believes leads, follows redirects, and after a
//! timeout sends it again, with the same request number, to another node, so that the
//! store's session table applies it at most once. Single-decree runs have no clients.

use super::config::Variant;
use super::message::Message;
use super::note::Note;
use super::types::Paxos;
use crate::sim::engine::Engine;
use crate::sim::kv::Command;
use crate::sim::protocol::Event;
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::{Addr, ClientId, Micros, NodeId, MICROS_PER_MS};

/// Wait before trying another node when the one asked knows of no leader.
const NO_LEADER_BACKOFF_US: Micros = 30 * MICROS_PER_MS;

/// One client.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: ClientId,
    rng: SimRng,
    /// Its last request number; the command in flight, if any, has it.
    pub request: u64,
    pending: Option<Command>,
    /// How many times the command in flight was sent (a timeout names the send it is for).
    attempt: u32,
    target: NodeId,
    pub completed: u64,
    /// The highest slot an acknowledged command of this client took effect at.
    pub highest_acked: u64,
}

/// The clients of a run.
#[derive(Clone, Debug, Default)]
pub struct PaxosClients {
    pub clients: Vec<Client>,
}

impl PaxosClients {
    /// Commands the clients were told took effect.
    pub fn completed(&self) -> u64 {
        self.clients.iter().map(|c| c.completed).sum()
    }

    /// The highest slot any acknowledged command took effect at.
    pub fn highest_acked(&self) -> u64 {
        self.clients
            .iter()
            .map(|c| c.highest_acked)
            .max()
            .unwrap_or(0)
    }
}

/// A client's queued events.
#[derive(Clone, Debug)]
pub enum ClientEvent {
    /// Send the next command.
    Next { client: u32 },
    /// Send the command in flight again (to the same node after a redirect, else to another)
    /// if attempt `attempt` is still unanswered.
    Retry {
        client: u32,
        attempt: u32,
        elsewhere: bool,
    },
}

/// Multi-Paxos's clients start at random moments within their first pause.
pub(super) fn start(engine: &mut Engine<Paxos>) {
    let config = engine.settings.paxos.clone();
    if config.variant != Variant::Multi {
        return;
    }
    for c in 0..config.clients {
        let mut rng = SimRng::stream(engine.settings.seed, Stream::Client(c + 1));
        let first_us = rng.below(config.think_us + 1);
        let target = NodeId(1 + rng.below(u64::from(config.nodes)) as u32);
        engine.world.clients.push(Client {
            id: ClientId(c + 1),
            rng,
            request: 0,
            pending: None,
            attempt: 0,
            target,
            completed: 0,
            highest_acked: 0,
        });
        engine.push_world(first_us, ClientEvent::Next { client: c });
    }
}

pub(super) fn on_event(engine: &mut Engine<Paxos>, event: ClientEvent) {
    match event {
        ClientEvent::Next { client } => next(engine, client),
        ClientEvent::Retry {
            client,
            attempt,
            elsewhere,
        } => {
            let nodes = engine.settings.paxos.nodes;
            let c = &mut engine.world.clients[client as usize];
            if c.pending.is_none() || c.attempt != attempt {
                return;
            }
            if elsewhere && nodes > 1 {
                let other = 1 + c.rng.below(u64::from(nodes - 1)) as u32;
                c.target = NodeId(if other >= c.target.0 {
                    other + 1
                } else {
                    other
                });
            }
            send(engine, client);
        }
    }
}

/// A reply or a redirect from a node.
pub(super) fn receive(engine: &mut Engine<Paxos>, client: ClientId, msg: Message) {
    let slot = client.0 as usize - 1;
    let think_us = engine.settings.paxos.think_us;
    let now_us = engine.now_us;
    let Some(c) = engine.world.clients.get_mut(slot) else {
        return;
    };
    match msg {
        Message::Reply {
            request,
            slot: at,
            ok,
            value,
        } => {
            if c.pending.is_none() || c.request != request {
                return; // a copy, or an answer to an earlier send
            }
            c.pending = None;
            c.completed += 1;
            c.highest_acked = c.highest_acked.max(at);
            if engine.observing() {
                engine.record(Event::Protocol(Note::PaxosClientReply {
                    client,
                    request,
                    slot: at,
                    ok,
                    value,
                }));
            }
            engine.push_world(
                now_us + think_us,
                ClientEvent::Next {
                    client: slot as u32,
                },
            );
        }
        Message::Redirect { request, leader } => {
            if c.pending.is_none() || c.request != request {
                return;
            }
            let (after_us, elsewhere) = match leader {
                Some(l) if l != c.target => {
                    c.target = l;
                    (0, false)
                }
                _ => (NO_LEADER_BACKOFF_US, true),
            };
            let attempt = c.attempt;
            engine.push_world(
                now_us + after_us,
                ClientEvent::Retry {
                    client: slot as u32,
                    attempt,
                    elsewhere,
                },
            );
        }
        _ => {}
    }
}

/// The client's next command: a put, get, delete or compare-and-set of one of the keys.
fn next(engine: &mut Engine<Paxos>, client: u32) {
    let keys = engine.settings.paxos.keys;
    let c = &mut engine.world.clients[client as usize];
    if c.pending.is_some() {
        return;
    }
    c.request += 1;
    let key = format!("k{}", c.rng.below(u64::from(keys)));
    let value = format!("{}.{}", c.id, c.request);
    let cmd = match c.rng.below(10) {
        0..=3 => Command::Put { key, value },
        4..=6 => Command::Get { key },
        7 => Command::Delete { key },
        _ => {
            let expected = (c.rng.below(2) == 0).then(|| format!("{}.{}", c.id, c.request - 1));
            Command::Cas {
                key,
                expected,
                value,
            }
        }
    };
    c.pending = Some(cmd.clone());
    c.attempt = 0;
    let (id, request) = (c.id, c.request);
    if engine.observing() {
        engine.record(Event::Protocol(Note::PaxosClientRequest {
            client: id,
            request,
            cmd,
        }));
    }
    send(engine, client);
}

/// Sends the command in flight to the client's target and sets its timeout.
fn send(engine: &mut Engine<Paxos>, client: u32) {
    let timeout_us = engine.settings.paxos.client_timeout_us;
    let now_us = engine.now_us;
    let c = &mut engine.world.clients[client as usize];
    let Some(cmd) = c.pending.clone() else {
        return;
    };
    c.attempt += 1;
    let (id, request, target, attempt) = (c.id, c.request, c.target, c.attempt);
    engine.send(
        Addr::Client(id),
        Addr::Node(target),
        Message::Request { request, cmd },
    );
    engine.push_world(
        now_us + timeout_us,
        ClientEvent::Retry {
            client,
            attempt,
            elsewhere: true,
        },
    );
}
