//! The clients, in the engine's world: each runs one operation of the key-value store at a
//! time (puts, gets, deletes and compare-and-sets on a few keys, drawn from its own random
//! stream), sends it to the server it believes is primary, follows redirects, and after a
//! timeout sends it again, with the same request number, to another server, so that the
//! store's session table applies it at most once.

use super::events::{ClientEvent, PbEvent};
use super::message::Message;
use super::note::Note;
use super::types::PrimaryBackup;
use crate::sim::engine::Engine;
use crate::sim::kv::Command;
use crate::sim::protocol::Event;
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::{Addr, ClientId, Micros, NodeId, MICROS_PER_MS};

/// Wait before asking again when the server asked knows no serving primary.
const NO_PRIMARY_BACKOFF_US: Micros = 20 * MICROS_PER_MS;

/// One client.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: ClientId,
    rng: SimRng,
    /// Its last request number; the operation in flight, if any, has it.
    pub request: u64,
    pending: Option<Command>,
    /// How many times the operation in flight was sent (a timeout names the send it is for).
    attempt: u32,
    target: NodeId,
    pub completed: u64,
}

/// The clients of a run.
#[derive(Clone, Debug, Default)]
pub struct PbClients {
    pub clients: Vec<Client>,
}

impl PbClients {
    /// Operations the clients were answered.
    pub fn completed(&self) -> u64 {
        self.clients.iter().map(|c| c.completed).sum()
    }
}

impl Engine<PrimaryBackup> {
    fn push_world_client(&mut self, at_us: Micros, event: ClientEvent) {
        self.push_world(at_us, PbEvent::Client(event));
    }
}

/// A random server of the run.
fn any_server(rng: &mut SimRng, servers: u32) -> NodeId {
    NodeId(2 + rng.below(u64::from(servers)) as u32)
}

/// The clients start at random moments within their first pause.
pub(super) fn start(engine: &mut Engine<PrimaryBackup>) {
    let config = engine.settings.pb.clone();
    for c in 0..config.clients {
        let mut rng = SimRng::stream(engine.settings.seed, Stream::Client(c + 1));
        let first_us = rng.below(config.think_us + 1);
        let target = any_server(&mut rng, config.servers());
        engine.world.clients.push(Client {
            id: ClientId(c + 1),
            rng,
            request: 0,
            pending: None,
            attempt: 0,
            target,
            completed: 0,
        });
        engine.push_world_client(first_us, ClientEvent::Next { client: c });
    }
}

pub(super) fn on_event(engine: &mut Engine<PrimaryBackup>, event: ClientEvent) {
    match event {
        ClientEvent::Next { client } => next(engine, client),
        ClientEvent::Retry {
            client,
            attempt,
            elsewhere,
        } => {
            let servers = engine.settings.pb.servers();
            let c = &mut engine.world.clients[client as usize];
            if c.pending.is_none() || c.attempt != attempt {
                return;
            }
            if elsewhere {
                c.target = any_server(&mut c.rng, servers);
            }
            send(engine, client);
        }
    }
}

/// A reply or a redirect from a server.
pub(super) fn receive(engine: &mut Engine<PrimaryBackup>, client: ClientId, msg: Message) {
    let slot = client.0 as usize - 1;
    let think_us = engine.settings.pb.think_us;
    let now_us = engine.now_us;
    let Some(c) = engine.world.clients.get_mut(slot) else {
        return;
    };
    match msg {
        Message::Reply {
            request,
            index,
            ok,
            value,
        } => {
            if c.pending.is_none() || c.request != request {
                return; // a copy, or an answer to an earlier send
            }
            c.pending = None;
            c.completed += 1;
            if engine.observing() {
                engine.record(Event::Protocol(Note::PbClientReply {
                    client,
                    request,
                    index,
                    ok,
                    value,
                }));
            }
            engine.push_world_client(
                now_us + think_us,
                ClientEvent::Next {
                    client: slot as u32,
                },
            );
        }
        Message::Redirect { request, primary } => {
            if c.pending.is_none() || c.request != request {
                return;
            }
            let (after_us, elsewhere) = match primary {
                Some(p) if p != c.target => {
                    c.target = p;
                    (0, false)
                }
                _ => (NO_PRIMARY_BACKOFF_US, true),
            };
            let attempt = c.attempt;
            engine.push_world_client(
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

/// The client's next operation: a put, get, delete or compare-and-set of one of the keys.
fn next(engine: &mut Engine<PrimaryBackup>, client: u32) {
    let keys = engine.settings.pb.keys;
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
        engine.record(Event::Protocol(Note::PbClientRequest {
            client: id,
            request,
            cmd,
        }));
    }
    send(engine, client);
}

/// Sends the operation in flight to the client's target and sets its timeout.
fn send(engine: &mut Engine<PrimaryBackup>, client: u32) {
    let timeout_us = engine.settings.pb.client_timeout_us;
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
    engine.push_world_client(
        now_us + timeout_us,
        ClientEvent::Retry {
            client,
            attempt,
            elsewhere: true,
        },
    );
}
