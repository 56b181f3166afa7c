//! Simulated clients (Raft paper, section 8): each runs one operation at a time, sends it to
//! the server it believes leads, follows redirects, and retries with the same request number
//! after a timeout, so the cluster's session table can apply it at most once.

use super::world_event::WorldEvent;
use crate::sim::engine::Engine;
use crate::sim::protocol::Event;
use crate::sim::raft::kv::{Command, Origin};
use crate::sim::raft::message::{ClientReply, Message};
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::Raft;
use crate::sim::rng::{SimRng, Stream, PPM_ONE};
use crate::sim::types::{Addr, ClientId, LogIndex, Micros, NodeId, MICROS_PER_MS};
use std::collections::VecDeque;
use std::rc::Rc;

/// The learner's own client: requests made from the page or a scenario.
pub const LEARNER: ClientId = ClientId(0);

/// Wait before retrying when a server knows of no leader, so clients do not spin.
const NO_LEADER_BACKOFF_US: Micros = 50 * MICROS_PER_MS;

#[derive(Clone, Debug)]
pub(super) struct Pending {
    request: u64,
    cmd: Rc<Command>,
    target: NodeId,
    attempt: u32,
}

#[derive(Clone, Debug)]
pub(super) struct ClientState {
    id: ClientId,
    rng: SimRng,
    /// Issues random operations forever (a workload client) or only what it is asked.
    automatic: bool,
    next_request: u64,
    pending: Option<Pending>,
    queued: VecDeque<(NodeId, Command)>,
    leader_guess: Option<NodeId>,
    pub(super) completed: u64,
    /// The highest log index an acknowledged operation of this client took effect at.
    pub(super) highest_acked: LogIndex,
}

impl Engine<Raft> {
    pub(crate) fn start_clients(&mut self) {
        let seed = self.settings.seed;
        let workload = self.settings.workload.clone();
        self.world
            .clients
            .push(ClientState::new(LEARNER, seed, false));
        for c in 1..=workload.clients {
            self.world
                .clients
                .push(ClientState::new(ClientId(c), seed, true));
            let think = self.client_think_us(c as usize);
            self.push_world(
                think,
                WorldEvent::ClientNext {
                    client: ClientId(c),
                },
            );
        }
    }

    fn client_think_us(&mut self, slot: usize) -> Micros {
        let w = &self.settings.workload;
        let (lo, hi) = (w.think_us_min, w.think_us_max);
        self.world.clients[slot].rng.between(lo, hi)
    }

    /// Queues `cmd` for a hand-driven client session (the learner's, or a lesson's named
    /// one), creating the session on first use.
    pub(crate) fn manual_request(&mut self, client: ClientId, node: NodeId, cmd: Command) {
        let slot = match self.client_slot(client) {
            Some(slot) => slot,
            None => {
                self.world
                    .clients
                    .push(ClientState::new(client, self.settings.seed, false));
                self.world.clients.len() - 1
            }
        };
        let c = &mut self.world.clients[slot];
        c.queued.push_back((node, cmd));
        if c.pending.is_none() {
            self.client_next(client);
        }
    }

    /// Where a client's state is kept; workload clients sit at their own number.
    fn client_slot(&self, client: ClientId) -> Option<usize> {
        match self.world.clients.get(client.0 as usize) {
            Some(c) if c.id == client => Some(client.0 as usize),
            _ => self.world.clients.iter().position(|c| c.id == client),
        }
    }

    /// Starts the client's next operation, if it has one and none is running.
    pub(crate) fn client_next(&mut self, client: ClientId) {
        let Some(slot) = self.client_slot(client) else {
            return;
        };
        if self.world.clients[slot].pending.is_some() {
            return;
        }
        let next = match self.world.clients[slot].queued.pop_front() {
            Some(queued) => queued,
            None if self.world.clients[slot].automatic => {
                let cmd = self.random_command(slot);
                let c = &mut self.world.clients[slot];
                let members = self.settings.nodes as u64;
                let target = c
                    .leader_guess
                    .unwrap_or_else(|| NodeId(1 + c.rng.below(members) as u32));
                (target, cmd)
            }
            None => return,
        };
        let (target, cmd) = next;
        let c = &mut self.world.clients[slot];
        c.next_request += 1;
        let request = c.next_request;
        let cmd = Rc::new(cmd);
        c.pending = Some(Pending {
            request,
            cmd: cmd.clone(),
            target,
            attempt: 0,
        });
        if self.observing() {
            self.record(Event::Protocol(RaftEvent::ClientRequest {
                client,
                op: request,
                cmd,
            }));
        }
        self.client_send(client);
    }

    fn random_command(&mut self, slot: usize) -> Command {
        let w = self.settings.workload.clone();
        let c = &mut self.world.clients[slot];
        let key = key_name(c.rng.below(w.keys as u64) as u32);
        let value = dotted(c.id.0 as u64, c.next_request + 1);
        let roll = c.rng.below(PPM_ONE as u64) as u32;
        if roll < w.get_ppm {
            Command::Get { key }
        } else if roll < w.get_ppm + w.cas_ppm {
            let expected = if c.rng.chance(PPM_ONE / 2) {
                None
            } else {
                Some(format!(
                    "{}.{}",
                    1 + c.rng.below(w.clients.max(1) as u64),
                    1 + c.rng.below(c.next_request + 1)
                ))
            };
            Command::Cas {
                key,
                expected,
                value,
            }
        } else if roll < w.get_ppm + w.cas_ppm + w.delete_ppm {
            Command::Delete { key }
        } else {
            Command::Put { key, value }
        }
    }

    fn client_send(&mut self, client: ClientId) {
        let Some(slot) = self.client_slot(client) else {
            return;
        };
        let timeout_us = self.settings.workload.request_timeout_us;
        let Some(p) = self.world.clients[slot].pending.clone() else {
            return;
        };
        let msg = Message::ClientRequest {
            request: p.request,
            origin: Origin {
                client,
                request: p.request,
            },
            cmd: p.cmd.clone(),
        };
        self.send(Addr::Client(client), Addr::Node(p.target), msg);
        self.push_world(
            self.now_us + timeout_us,
            WorldEvent::ClientTimeout {
                client,
                request: p.request,
                attempt: p.attempt,
            },
        );
    }

    /// Retries at `target`, or at the next server in turn when none is known.
    fn client_retry(&mut self, client: ClientId, target: Option<NodeId>) {
        let nodes = self.settings.nodes;
        let Some(slot) = self.client_slot(client) else {
            return;
        };
        let Some(p) = self.world.clients[slot].pending.as_mut() else {
            return;
        };
        p.attempt += 1;
        p.target = target.unwrap_or(NodeId(p.target.0 % nodes + 1));
        self.client_send(client);
    }

    pub(crate) fn client_timeout(&mut self, client: ClientId, request: u64, attempt: u32) {
        let Some(slot) = self.client_slot(client) else {
            return;
        };
        let current = self.world.clients[slot]
            .pending
            .as_ref()
            .is_some_and(|p| p.request == request && p.attempt == attempt);
        if current {
            self.world.clients[slot].leader_guess = None;
            self.client_retry(client, None);
        }
    }

    pub(crate) fn client_receive(&mut self, client: ClientId, msg: Message) {
        let Message::ClientReply { request, reply } = msg else {
            return;
        };
        let Some(slot) = self.client_slot(client) else {
            return;
        };
        let Some(pending) = self.world.clients[slot].pending.clone() else {
            return;
        };
        if pending.request != request {
            return; // an answer to an attempt already settled
        }
        match reply {
            ClientReply::Done { outcome } => {
                let c = &mut self.world.clients[slot];
                c.pending = None;
                c.completed += 1;
                c.highest_acked = c.highest_acked.max(outcome.index);
                c.leader_guess = Some(pending.target);
                if self.observing() {
                    self.record(Event::Protocol(RaftEvent::ClientReply {
                        client,
                        op: request,
                        ok: outcome.ok,
                        index: outcome.index,
                        value: outcome.value,
                    }));
                }
                let automatic = self.world.clients[slot].automatic;
                let delay = if automatic {
                    self.client_think_us(slot)
                } else {
                    0
                };
                self.push_world(self.now_us + delay, WorldEvent::ClientNext { client });
            }
            ClientReply::NotLeader {
                leader: Some(leader),
            } if leader != pending.target => {
                self.world.clients[slot].leader_guess = Some(leader);
                self.client_retry(client, Some(leader));
            }
            ClientReply::NotLeader { .. } => {
                // Nobody knows a leader: try the next server after a pause. The early
                // timeout of this attempt does it; the later one is then stale.
                self.world.clients[slot].leader_guess = None;
                let attempt = pending.attempt;
                self.push_world(
                    self.now_us + NO_LEADER_BACKOFF_US,
                    WorldEvent::ClientTimeout {
                        client,
                        request,
                        attempt,
                    },
                );
            }
        }
    }
}

impl ClientState {
    fn new(id: ClientId, seed: u64, automatic: bool) -> ClientState {
        ClientState {
            id,
            rng: SimRng::stream(seed, Stream::Client(id.0)),
            automatic,
            next_request: 0,
            pending: None,
            queued: VecDeque::new(),
            leader_guess: None,
            completed: 0,
            highest_acked: LogIndex(0),
        }
    }
}

/// Short, readable key names: x, y, z, then k3, k4, ...
pub fn key_name(i: u32) -> String {
    match i {
        0 => "x".into(),
        1 => "y".into(),
        2 => "z".into(),
        n => {
            let mut name = String::with_capacity(12);
            name.push('k');
            push_decimal(&mut name, n as u64);
            name
        }
    }
}

/// A value as clients write it, "client.request" (e.g. "3.17"). Built by hand rather than
/// with `format!`, which costs more than the rest of issuing an operation.
fn dotted(a: u64, b: u64) -> String {
    let mut text = String::with_capacity(24);
    push_decimal(&mut text, a);
    text.push('.');
    push_decimal(&mut text, b);
    text
}

/// Appends `n` in decimal, as `{n}` would format it.
fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[start..] {
        out.push(d as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_formatted_numbers_match_format() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, u32::MAX as u64, u64::MAX] {
            let mut text = String::new();
            push_decimal(&mut text, n);
            assert_eq!(text, n.to_string());
        }
        assert_eq!(dotted(3, 17), "3.17");
        assert_eq!(key_name(15), "k15");
    }
}
