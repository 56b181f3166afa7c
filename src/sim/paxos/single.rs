//! Single-decree Paxos's proposer ("Paxos Made Simple", section 2): once a majority has
//! promised, it proposes the value of the highest-numbered proposal they reported, or its own
//! value if they reported none (phase 2a, rule P2c); once a majority has accepted, the value
//! is chosen and it tells every learner (section 2.3). Pre-empted, it tries again with a
//! higher ballot after a retry delay: fixed, two proposers can pre-empt each other forever
//! (section 2.4's livelock, visible as a growing `streak` in `paxos_preempted` lines);
//! drawn at random from a range, one of them soon gets through.

use super::message::Message;
use super::node::PaxosNode;
use super::note::Note;
use super::phase::Phase;
use super::proposer::{broadcast, highest_accepted, propose};
use super::timer::Timer;
use super::types::{AcceptedEntry, Ballot, Out, Paxos, Value, SINGLE_SLOT};
use crate::sim::protocol::{Context, Effect};
use crate::sim::types::NodeId;
use std::collections::{BTreeMap, BTreeSet};

impl PaxosNode {
    /// A proposer offers its own value and starts within `proposer_start_us_max` (a restarted
    /// one after a retry delay); every node that has learned nothing asks now and then.
    pub(super) fn boot_single(&self, ctx: &mut Context<'_, Paxos>, recovered: bool, out: &mut Out) {
        let config = ctx.config;
        if config.proposes(ctx.id) {
            if !recovered {
                out.push(Effect::Note(Note::PaxosOffer {
                    node: ctx.id,
                    value: Value::Own { proposer: ctx.id },
                }));
            }
            let after_us = if recovered {
                retry_delay_us(ctx, 1)
            } else {
                ctx.rng.below(config.proposer_start_us_max + 1)
            };
            out.push(Effect::SetTimer {
                timer: Timer::Proposer,
                after_us,
            });
        }
        out.push(Effect::SetTimer {
            timer: Timer::Ask,
            after_us: config.ask_us,
        });
    }

    /// Phase 1a for slot 1, now (also a learner's or the fault search's "propose", which
    /// may come after the value is chosen: the proposer must then find it and propose it).
    pub(super) fn propose_single(&mut self, ctx: &mut Context<'_, Paxos>, out: &mut Out) {
        if !ctx.config.proposes(ctx.id) {
            // Told to propose, a node that is not one of the run's proposers offers its own
            // value first.
            out.push(Effect::Note(Note::PaxosOffer {
                node: ctx.id,
                value: Value::Own { proposer: ctx.id },
            }));
        }
        self.proposer
            .prepare(ctx.id, ctx.nodes, self.acceptor.promised, SINGLE_SLOT, out);
        out.push(Effect::SetTimer {
            timer: Timer::Proposer,
            after_us: ctx.config.phase_timeout_us,
        });
    }

    /// Phase 2a: the value of the highest-numbered proposal the promises reported, else its
    /// own (under `ignore-promise-values`, always its own).
    pub(super) fn phase2_single(
        &mut self,
        ctx: &mut Context<'_, Paxos>,
        ballot: Ballot,
        promises: &BTreeMap<NodeId, Vec<AcceptedEntry>>,
        out: &mut Out,
    ) {
        let reported = highest_accepted(promises).remove(&SINGLE_SLOT);
        let own = Value::Own { proposer: ctx.id };
        let (value, adopted) = match reported {
            Some((b, value)) if !ctx.config.bugs.ignore_promise_values => (value, Some(b)),
            _ => (own, None),
        };
        propose(ctx.id, ctx.nodes, ballot, SINGLE_SLOT, &value, adopted, out);
        self.proposer.phase = Phase::Accepting {
            ballot,
            value,
            accepted: BTreeSet::new(),
        };
        out.push(Effect::SetTimer {
            timer: Timer::Proposer,
            after_us: ctx.config.phase_timeout_us,
        });
    }

    /// Phase 2b answers: a majority for its ballot means the value is chosen; it learns it
    /// and tells every other learner.
    pub(super) fn accepted_single(
        &mut self,
        ctx: &mut Context<'_, Paxos>,
        from: NodeId,
        ballot: Ballot,
        out: &mut Out,
    ) {
        let Phase::Accepting {
            ballot: own,
            value,
            accepted,
        } = &mut self.proposer.phase
        else {
            return;
        };
        if *own != ballot {
            return;
        }
        accepted.insert(from);
        if accepted.len() < super::types::majority(ctx.nodes) {
            return;
        }
        let value = value.clone();
        broadcast(
            ctx.nodes,
            Some(ctx.id),
            Message::Learn {
                slot: SINGLE_SLOT,
                value: value.clone(),
            },
            out,
        );
        if self.learn(ctx, SINGLE_SLOT, value, out).is_empty() {
            // It had learned the value before it proposed again: it is done again.
            self.learned_single(out);
        }
    }

    /// The value is learned: the proposer is done and the learner stops asking.
    pub(super) fn learned_single(&mut self, out: &mut Out) {
        self.proposer.phase = Phase::Done;
        self.proposer.streak = 0;
        out.push(Effect::CancelTimer {
            timer: Timer::Proposer,
        });
        out.push(Effect::CancelTimer { timer: Timer::Ask });
    }

    /// Pre-empted by `by`: abandon `own` and try again after a retry delay.
    pub(super) fn preempted_single(
        &mut self,
        ctx: &mut Context<'_, Paxos>,
        own: Ballot,
        by: Ballot,
        out: &mut Out,
    ) {
        let retry_us = retry_delay_us(ctx, self.proposer.streak + 1);
        self.proposer.abandon(ctx.id, own, by, Some(retry_us), out);
        out.push(Effect::SetTimer {
            timer: Timer::Proposer,
            after_us: retry_us,
        });
    }

    /// The proposer's timer: start phase 1 (after its start or retry delay), or give up a
    /// phase that found no majority in time and try again after a retry delay.
    pub(super) fn on_proposer_timer(&mut self, ctx: &mut Context<'_, Paxos>, out: &mut Out) {
        match &self.proposer.phase {
            Phase::Idle => self.propose_single(ctx, out),
            Phase::Preparing { ballot, .. } | Phase::Accepting { ballot, .. } => {
                out.push(Effect::Note(Note::PaxosPhaseTimeout {
                    node: ctx.id,
                    ballot: *ballot,
                }));
                self.proposer.phase = Phase::Idle;
                out.push(Effect::SetTimer {
                    timer: Timer::Proposer,
                    after_us: retry_delay_us(ctx, self.proposer.streak),
                });
            }
            Phase::Leading(_) | Phase::Done => {}
        }
    }

    /// A learner that has learned nothing asks every other node, then waits again.
    pub(super) fn on_ask_timer(&mut self, ctx: &mut Context<'_, Paxos>, out: &mut Out) {
        if self.learner.learned.contains_key(&SINGLE_SLOT) {
            return;
        }
        broadcast(
            ctx.nodes,
            Some(ctx.id),
            Message::Ask { slot: SINGLE_SLOT },
            out,
        );
        out.push(Effect::SetTimer {
            timer: Timer::Ask,
            after_us: ctx.config.ask_us,
        });
    }
}

/// Doublings of the retry range at most, however long the streak.
const RETRY_DOUBLINGS_MAX: u32 = 6;

/// A retry delay from the node's own random stream: fixed when the range is one value;
/// otherwise drawn from a range whose width doubles with each ballot abandoned in a row (up
/// to 2^6 times), so that three or more proposers that keep colliding spread out too.
fn retry_delay_us(ctx: &mut Context<'_, Paxos>, streak: u32) -> u64 {
    let (min, max) = (ctx.config.retry_delay_us_min, ctx.config.retry_delay_us_max);
    let doublings = streak.saturating_sub(1).min(RETRY_DOUBLINGS_MAX);
    let width = (max - min).saturating_mul(1 << doublings);
    ctx.rng.between(min, min.saturating_add(width))
}
