//! Multi-Paxos's distinguished proposer, the leader ("Paxos Made Simple", section 3). A node
//! that hears no leader for an election timeout (drawn from its own random stream) runs
//! phase 1 once, for every slot from the first it has not learned; the promises report what
//! acceptors accepted in those slots, and it proposes again, in each unfinished slot, the
//! value of the highest-numbered proposal reported, filling the slots nobody reported with
//! no-ops. From then on each client command needs only phase 2 in the next free slot. The
//! leader's heartbeats keep the others from campaigning and bring lagging learners up to date;
//! a leader that hears of a higher ballot steps down.

use super::message::Message;
use super::node::PaxosNode;
use super::note::Note;
use super::phase::{Leader, Pending, Phase};
use super::proposer::{broadcast, highest_accepted, propose};
use super::timer::Timer;
use super::types::{majority, AcceptedEntry, Ballot, Out, Paxos, Slot, Value};
use crate::sim::kv::Command;
use crate::sim::protocol::{Context, Effect};
use crate::sim::types::{Addr, ClientId, NodeId};
use std::collections::BTreeMap;

/// The most slots a leader sends a lagging learner in answer to one heartbeat.
pub const CATCH_UP_SLOTS_MAX: u64 = 64;

impl PaxosNode {
    /// (Re)arms the election timeout: a random time in the configured range.
    pub(super) fn arm_election(&self, ctx: &mut Context<'_, Paxos>, out: &mut Out) {
        let c = ctx.config;
        let after_us = ctx
            .rng
            .between(c.election_timeout_us_min, c.election_timeout_us_max);
        out.push(Effect::SetTimer {
            timer: Timer::Election,
            after_us,
        });
    }

    /// Phase 1 for every slot from the first it has not learned.
    pub(super) fn campaign(&mut self, ctx: &mut Context<'_, Paxos>, out: &mut Out) {
        out.push(Effect::CancelTimer {
            timer: Timer::Heartbeat,
        });
        let from_slot = self.learner.learned_below();
        self.proposer
            .prepare(ctx.id, ctx.nodes, self.acceptor.promised, from_slot, out);
        self.arm_election(ctx, out);
    }

    /// The election timer: campaign, or campaign again when the last campaign found no
    /// majority in time. A leader does not arm it.
    pub(super) fn on_election_timer(&mut self, ctx: &mut Context<'_, Paxos>, out: &mut Out) {
        match &self.proposer.phase {
            Phase::Leading(_) => {}
            Phase::Preparing { ballot, .. } => {
                out.push(Effect::Note(Note::PaxosPhaseTimeout {
                    node: ctx.id,
                    ballot: *ballot,
                }));
                self.campaign(ctx, out);
            }
            _ => self.campaign(ctx, out),
        }
    }

    /// Phase 1 succeeded: lead. Each unfinished slot from `from_slot` gets the value of the
    /// highest-numbered proposal reported in it (under `ignore-promise-values`, a no-op), each
    /// gap a no-op; slots it has learned are chosen already and are left alone.
    pub(super) fn lead(
        &mut self,
        ctx: &mut Context<'_, Paxos>,
        ballot: Ballot,
        from_slot: Slot,
        promises: &BTreeMap<NodeId, Vec<AcceptedEntry>>,
        out: &mut Out,
    ) {
        // What another learner already knows is chosen is learned, not proposed again.
        for entry in promises.values().flatten().filter(|e| e.chosen) {
            self.learn(ctx, entry.slot, entry.value.clone(), out);
        }
        let reported = highest_accepted(promises);
        let last_reported = reported.keys().next_back().copied().unwrap_or(0);
        let last_learned = self
            .learner
            .learned
            .keys()
            .next_back()
            .copied()
            .unwrap_or(0);
        let mut leader = Leader {
            ballot,
            next_slot: from_slot.max(last_reported + 1).max(last_learned + 1),
            pending: BTreeMap::new(),
            replies: BTreeMap::new(),
        };
        let (mut reproposed, mut noops) = (0, 0);
        let mut adopted = BTreeMap::new();
        for slot in from_slot..leader.next_slot {
            if self.learner.learned.contains_key(&slot) {
                continue;
            }
            let value = match reported.get(&slot) {
                Some((b, value)) if !ctx.config.bugs.ignore_promise_values => {
                    reproposed += 1;
                    adopted.insert(slot, *b);
                    value.clone()
                }
                _ => {
                    noops += 1;
                    Value::Noop
                }
            };
            leader.pending.insert(slot, Pending::new(value));
        }
        out.push(Effect::CancelTimer {
            timer: Timer::Election,
        });
        out.push(Effect::Note(Note::PaxosLeader {
            node: ctx.id,
            ballot,
            from_slot,
            reproposed,
            noops,
        }));
        for (slot, pending) in &leader.pending {
            let adopted = adopted.get(slot).copied();
            propose(
                ctx.id,
                ctx.nodes,
                ballot,
                *slot,
                &pending.value,
                adopted,
                out,
            );
        }
        self.leader_hint = Some(ctx.id);
        self.proposer.streak = 0;
        self.proposer.phase = Phase::Leading(leader);
        self.on_heartbeat_timer(ctx, out);
    }

    /// A client's command: the leader proposes it in the next free slot (phase 2 only); a
    /// command it has already applied is answered from the session table; any other node
    /// points the client at the leader it last heard from.
    pub(super) fn on_request(
        &mut self,
        ctx: &mut Context<'_, Paxos>,
        client: ClientId,
        request: u64,
        cmd: Command,
        out: &mut Out,
    ) {
        let Phase::Leading(leader) = &mut self.proposer.phase else {
            out.push(Effect::Send {
                to: Addr::Client(client),
                msg: Message::Redirect {
                    request,
                    leader: self.leader_hint.filter(|l| *l != ctx.id),
                },
            });
            return;
        };
        if let Some((last, outcome)) = self.learner.kv.sessions.get(&client) {
            if *last == request {
                out.push(Effect::Send {
                    to: Addr::Client(client),
                    msg: Message::Reply {
                        request,
                        slot: outcome.index.0,
                        ok: outcome.ok,
                        value: outcome.value.clone(),
                    },
                });
            }
            if *last >= request {
                return;
            }
        }
        if leader.replies.values().any(|r| *r == (client, request)) {
            return; // a copy of a command in flight: its reply will come
        }
        let slot = leader.next_slot;
        leader.next_slot += 1;
        let value = Value::Command {
            client,
            request,
            cmd,
        };
        leader.pending.insert(slot, Pending::new(value.clone()));
        leader.replies.insert(slot, (client, request));
        let ballot = leader.ballot;
        propose(ctx.id, ctx.nodes, ballot, slot, &value, None, out);
    }

    /// A phase 2b answer: at a majority the slot's value is chosen; the leader learns it,
    /// tells every other learner, applies what is next in order and answers its clients.
    pub(super) fn accepted_multi(
        &mut self,
        ctx: &mut Context<'_, Paxos>,
        from: NodeId,
        ballot: Ballot,
        slot: Slot,
        out: &mut Out,
    ) {
        let Phase::Leading(leader) = &mut self.proposer.phase else {
            return;
        };
        if leader.ballot != ballot {
            return;
        }
        let Some(pending) = leader.pending.get_mut(&slot) else {
            return;
        };
        pending.accepted.insert(from);
        if pending.accepted.len() < majority(ctx.nodes) {
            return;
        }
        let Some(Pending { value, .. }) = leader.pending.remove(&slot) else {
            return;
        };
        broadcast(
            ctx.nodes,
            Some(ctx.id),
            Message::Learn {
                slot,
                value: value.clone(),
            },
            out,
        );
        for (applied, _, outcome) in self.learn(ctx, slot, value, out) {
            let Phase::Leading(leader) = &mut self.proposer.phase else {
                return;
            };
            if let Some((client, request)) = leader.replies.remove(&applied) {
                out.push(Effect::Send {
                    to: Addr::Client(client),
                    msg: Message::Reply {
                        request,
                        slot: outcome.index.0,
                        ok: outcome.ok,
                        value: outcome.value,
                    },
                });
            }
        }
    }

    /// The leader's heartbeat: to every other node, with every proposal that has waited a
    /// whole heartbeat interval for a majority sent again to those that have not accepted it
    /// (lost messages), and the timer armed again.
    pub(super) fn on_heartbeat_timer(&mut self, ctx: &mut Context<'_, Paxos>, out: &mut Out) {
        let Phase::Leading(leader) = &mut self.proposer.phase else {
            return;
        };
        let ballot = leader.ballot;
        let learned_below = self.learner.learned_below();
        broadcast(
            ctx.nodes,
            Some(ctx.id),
            Message::Heartbeat {
                ballot,
                learned_below,
            },
            out,
        );
        for (slot, pending) in &mut leader.pending {
            if !std::mem::replace(&mut pending.overdue, true) {
                continue;
            }
            let (value, accepted) = (&pending.value, &pending.accepted);
            for n in (1..=ctx.nodes)
                .map(NodeId)
                .filter(|n| !accepted.contains(n))
            {
                out.push(Effect::Send {
                    to: Addr::Node(n),
                    msg: Message::Accept {
                        ballot,
                        slot: *slot,
                        value: value.clone(),
                    },
                });
            }
        }
        out.push(Effect::SetTimer {
            timer: Timer::Heartbeat,
            after_us: ctx.config.heartbeat_us,
        });
    }

    /// A heartbeat from the leader of `ballot`: a current one is followed and told how far
    /// this learner got; a stale one is told of the higher promise, so that it steps down.
    pub(super) fn on_heartbeat(
        &mut self,
        ctx: &mut Context<'_, Paxos>,
        from: NodeId,
        ballot: Ballot,
        out: &mut Out,
    ) {
        if ballot < self.acceptor.promised {
            out.push(Effect::Send {
                to: Addr::Node(from),
                msg: Message::Nack {
                    ballot,
                    promised: self.acceptor.promised,
                },
            });
            return;
        }
        self.hear(ctx, ballot, out);
        self.follow(ctx, ballot, out);
        out.push(Effect::Send {
            to: Addr::Node(from),
            msg: Message::HeartbeatAck {
                ballot,
                learned_below: self.learner.learned_below(),
            },
        });
    }

    /// Hears from the current leader of `ballot`: no campaign for another election timeout.
    pub(super) fn follow(&mut self, ctx: &mut Context<'_, Paxos>, ballot: Ballot, out: &mut Out) {
        if ballot.proposer == ctx.id {
            return;
        }
        self.leader_hint = Some(ballot.proposer);
        if matches!(self.proposer.phase, Phase::Idle) {
            self.arm_election(ctx, out);
        }
    }

    /// A follower is behind: the leader sends it the slots it has learned from there on.
    pub(super) fn on_heartbeat_ack(
        &mut self,
        from: NodeId,
        ballot: Ballot,
        learned_below: Slot,
        out: &mut Out,
    ) {
        if self.proposer.ballot() != Some(ballot) {
            return;
        }
        let missing = self
            .learner
            .learned
            .range(learned_below..)
            .take(CATCH_UP_SLOTS_MAX as usize);
        for (slot, value) in missing {
            out.push(Effect::Send {
                to: Addr::Node(from),
                msg: Message::Learn {
                    slot: *slot,
                    value: value.clone(),
                },
            });
        }
    }

    /// Heard of `by`, higher than its own ballot: a leader or a candidate steps down and
    /// follows, campaigning again only after an election timeout without a leader.
    pub(super) fn step_down(
        &mut self,
        ctx: &mut Context<'_, Paxos>,
        own: Ballot,
        by: Ballot,
        out: &mut Out,
    ) {
        self.proposer.abandon(ctx.id, own, by, None, out);
        out.push(Effect::CancelTimer {
            timer: Timer::Heartbeat,
        });
        self.arm_election(ctx, out);
    }
}
