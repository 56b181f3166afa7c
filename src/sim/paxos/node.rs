//! One Paxos node: an acceptor, a learner and a proposer at once ("a node may play all three
//! roles"), and the routing of each input to the role it is for. Single-decree Paxos's
//! proposer steps are in `single.rs`, Multi-Paxos's leader in `leader.rs`.

use super::acceptor::Acceptor;
use super::config::Variant;
use super::learner::Learner;
use super::message::Message;
use super::note::Note;
use super::proposer::Proposer;
use super::record::Record;
use super::timer::Timer;
use super::types::{Ballot, Out, Paxos, PaxosCommand};
use crate::sim::protocol::{Context, Effect, Input};
use crate::sim::types::{Addr, NodeId};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaxosNode {
    pub acceptor: Acceptor,
    pub learner: Learner,
    pub proposer: Proposer,
    /// Multi-Paxos: the leader it last heard from, for redirecting clients.
    pub leader_hint: Option<NodeId>,
}

impl PaxosNode {
    /// Boots a node for the first time.
    pub fn start(ctx: &mut Context<'_, Paxos>, out: &mut Out) -> PaxosNode {
        let node = PaxosNode::default();
        node.boot(ctx, false, out);
        node
    }

    /// Boots a node from its log: its acceptor's promise and accepted proposals and its
    /// proposer's highest round. What it had learned it learns again from the others.
    pub fn recover(ctx: &mut Context<'_, Paxos>, disk: &[Record], out: &mut Out) -> PaxosNode {
        let node = PaxosNode {
            acceptor: Acceptor::recover(disk),
            proposer: Proposer::recover(disk),
            ..PaxosNode::default()
        };
        node.boot(ctx, true, out);
        node
    }

    fn boot(&self, ctx: &mut Context<'_, Paxos>, recovered: bool, out: &mut Out) {
        out.push(Effect::Note(Note::PaxosBoot {
            node: ctx.id,
            nodes: ctx.nodes,
            variant: ctx.config.variant,
            recovered,
            promised: self.acceptor.promised,
            accepted: self.acceptor.accepted.len() as u64,
        }));
        match ctx.config.variant {
            Variant::Single => self.boot_single(ctx, recovered, out),
            Variant::Multi => self.arm_election(ctx, out),
        }
    }

    pub fn handle(&mut self, ctx: &mut Context<'_, Paxos>, input: Input<Paxos>, out: &mut Out) {
        let multi = ctx.config.variant == Variant::Multi;
        match input {
            Input::Receive {
                from: Addr::Client(client),
                msg: Message::Request { request, cmd },
            } => {
                if multi {
                    self.on_request(ctx, client, request, cmd, out);
                }
            }
            Input::Receive {
                from: Addr::Node(from),
                msg,
            } => self.on_message(ctx, from, msg, out),
            Input::Receive { .. } => {}
            Input::Timer(Timer::Proposer) => self.on_proposer_timer(ctx, out),
            Input::Timer(Timer::Ask) => self.on_ask_timer(ctx, out),
            Input::Timer(Timer::Election) => self.on_election_timer(ctx, out),
            Input::Timer(Timer::Heartbeat) => self.on_heartbeat_timer(ctx, out),
            Input::Command(PaxosCommand::Propose) => match ctx.config.variant {
                Variant::Single => self.propose_single(ctx, out),
                Variant::Multi => self.campaign(ctx, out),
            },
        }
    }

    fn on_message(
        &mut self,
        ctx: &mut Context<'_, Paxos>,
        from: NodeId,
        msg: Message,
        out: &mut Out,
    ) {
        let (id, bugs) = (ctx.id, &ctx.config.bugs);
        match msg {
            Message::Prepare { ballot, from_slot } => {
                self.hear(ctx, ballot, out);
                let learned = &self.learner.learned;
                self.acceptor
                    .on_prepare(id, from, ballot, from_slot, learned, bugs, out);
            }
            Message::Promise {
                ballot, accepted, ..
            } => {
                if let Some((ballot, from_slot, promises)) =
                    self.proposer.promised(from, ballot, accepted, ctx.nodes)
                {
                    match ctx.config.variant {
                        Variant::Single => self.phase2_single(ctx, ballot, &promises, out),
                        Variant::Multi => self.lead(ctx, ballot, from_slot, &promises, out),
                    }
                }
            }
            Message::Accept {
                ballot,
                slot,
                value,
            } => {
                self.hear(ctx, ballot, out);
                if ctx.config.variant == Variant::Multi && ballot >= self.acceptor.promised {
                    self.follow(ctx, ballot, out);
                }
                self.acceptor
                    .on_accept(id, from, ballot, slot, value, bugs, out);
            }
            Message::Accepted { ballot, slot } => match ctx.config.variant {
                Variant::Single => self.accepted_single(ctx, from, ballot, out),
                Variant::Multi => self.accepted_multi(ctx, from, ballot, slot, out),
            },
            Message::Nack { ballot, promised } => {
                if self.proposer.ballot() == Some(ballot) {
                    self.hear(ctx, promised, out);
                }
            }
            Message::Learn { slot, value } => {
                self.learn(ctx, slot, value, out);
            }
            Message::Ask { slot } => {
                if let Some(value) = self.learner.learned.get(&slot) {
                    out.push(Effect::Send {
                        to: Addr::Node(from),
                        msg: Message::Learn {
                            slot,
                            value: value.clone(),
                        },
                    });
                }
            }
            Message::Heartbeat { ballot, .. } => self.on_heartbeat(ctx, from, ballot, out),
            Message::HeartbeatAck {
                ballot,
                learned_below,
            } => self.on_heartbeat_ack(from, ballot, learned_below, out),
            Message::Request { .. } | Message::Reply { .. } | Message::Redirect { .. } => {}
        }
    }

    /// A ballot heard of in any message: a proposer below it abandons its own (section 2.2).
    pub(super) fn hear(&mut self, ctx: &mut Context<'_, Paxos>, seen: Ballot, out: &mut Out) {
        if let Some(own) = self.proposer.hear(seen) {
            match ctx.config.variant {
                Variant::Single => self.preempted_single(ctx, own, seen, out),
                Variant::Multi => self.step_down(ctx, own, seen, out),
            }
        }
    }
}

impl PaxosNode {
    /// Learns `value` in `slot` (if new) and returns what applying it, and any slots after it
    /// that were waiting, produced.
    pub(super) fn learn(
        &mut self,
        ctx: &mut Context<'_, Paxos>,
        slot: super::types::Slot,
        value: super::types::Value,
        out: &mut Out,
    ) -> Vec<(
        super::types::Slot,
        super::types::Value,
        crate::sim::kv::Outcome,
    )> {
        let applied = self.learner.learn(ctx.id, slot, value, out);
        if ctx.config.variant == Variant::Single && !applied.is_empty() {
            self.learned_single(out);
        }
        applied
    }
}
