//! What the Paxos page shows, projected from the run: each node's acceptor (its promise and
//! what it accepted per slot), its proposer (ballot, phase, the votes counted so far) and its
//! learner; the slot table (chosen by the acceptors' state, with the value and the ballot, and
//! who has learned it); the run's counters; its latest events in words.

use super::model::{PaxosEngine, PaxosRun};
use crate::sim::paxos::phase::Phase;
use crate::sim::paxos::{
    majority, retry_randomized, value_text, Ballot, Note, PaxosSettings, Slot, Value, Variant,
};
use crate::sim::protocol::Event;
use crate::sim::types::{Micros, NodeId};
use crate::ui::i18n::{t, tf, words};
use crate::ui::shell::format::time;
use crate::ui::shell::latest::latest_events;
pub use crate::ui::shell::latest::EventView;
use std::collections::BTreeSet;

/// How many slots the slot table shows (the newest), and how many events the latest-events
/// list shows from how many trace lines.
pub const SLOTS_SHOWN: usize = 8;
const EVENTS_SHOWN: usize = 10;
const EVENTS_SCAN_LINES: usize = 3_000;

/// A value in the learner's words.
pub fn value_words(value: &Value) -> String {
    words(&value_text(value))
}

/// Where a node's proposer stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProposerView {
    /// `idle`, `preparing` (phase 1), `accepting` (phase 2, single-decree), `leading`
    /// (Multi-Paxos) or `done` (single-decree: learned).
    pub phase: &'static str,
    pub ballot: Option<Ballot>,
    /// Promises (phase 1) or acceptances (phase 2) counted so far, and how many make a
    /// majority.
    pub votes: usize,
    pub needed: usize,
    /// Single-decree phase 2: the value it proposes.
    pub value: Option<String>,
    /// Ballots abandoned in a row with nothing learned between.
    pub streak: u32,
    /// Multi-Paxos leader: slots proposed and not yet chosen, and the next free slot.
    pub pending: usize,
    pub next_slot: Slot,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    pub node: NodeId,
    pub up: bool,
    /// Whether it proposes by itself (single-decree: one of the run's proposers).
    pub proposes: bool,
    /// The acceptor's promise (the zero ballot: none yet).
    pub promised: Ballot,
    /// The acceptor's accepted proposals in the slots shown: slot, ballot, value.
    pub accepted: Vec<(Slot, Ballot, String)>,
    /// How many slots it has accepted a proposal in.
    pub accepted_count: usize,
    pub proposer: ProposerView,
    /// Slots its learner has learned, and the first it has not.
    pub learned: usize,
    pub learned_below: Slot,
    /// Single-decree: the value it learned.
    pub learned_value: Option<String>,
}

/// One slot of the log (single-decree: slot 1 only).
#[derive(Clone, Debug, PartialEq)]
pub struct SlotView {
    pub slot: Slot,
    /// The value chosen, by the acceptors' state (a majority accepted it under one ballot),
    /// and that ballot: chosen can come before anyone has learned it.
    pub chosen: Option<(String, Ballot)>,
    pub learned_by: Vec<NodeId>,
    /// The acceptors that hold a proposal for it now, with its ballot.
    pub accepted_by: Vec<(NodeId, Ballot)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts {
    pub chosen: u64,
    pub prepares: u64,
    pub promises: u64,
    pub proposals: u64,
    pub accepts: u64,
    pub adopted: u64,
    pub preemptions: u64,
    pub longest_streak: u32,
    pub leaders: u64,
    pub reproposed: u64,
    pub noops: u64,
    pub messages: u64,
    pub violations: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PaxosView {
    /// The settings as they are now (the retry switch may have changed them since the start).
    pub settings: PaxosSettings,
    pub now_us: Micros,
    pub nodes: Vec<NodeView>,
    pub slots: Vec<SlotView>,
    /// How many slots the run has touched in all (the table shows the newest).
    pub slots_total: usize,
    pub counts: Counts,
    pub events: Vec<EventView>,
    /// The violations the live checks found, in words.
    pub violations: Vec<String>,
    /// Whether the network is split (a partition or a cut is in force).
    pub partitioned: bool,
    pub retry_randomized: bool,
    /// The highest ballot any node has promised or proposed under.
    pub highest_ballot: Option<Ballot>,
    /// The node leading (Multi-Paxos), if one is.
    pub leader: Option<NodeId>,
}

impl PaxosView {
    pub fn variant(&self) -> Variant {
        self.settings.paxos.variant
    }

    pub fn build(run: &PaxosRun) -> PaxosView {
        let sim = run.sim();
        let settings = sim.settings().clone();
        let nodes_n = settings.paxos.nodes;
        let slots = slots(sim);
        let shown: BTreeSet<Slot> = slots.iter().map(|s| s.slot).collect();
        let nodes: Vec<NodeView> = (1..=nodes_n)
            .map(|n| node_view(sim, NodeId(n), &shown))
            .collect();
        let c = sim.coverage();
        let highest_ballot = nodes
            .iter()
            .flat_map(|n| [Some(n.promised), n.proposer.ballot])
            .flatten()
            .filter(|b| b.round > 0)
            .max();
        let leader: Option<NodeId> = nodes
            .iter()
            .find(|n| n.up && n.proposer.phase == "leading")
            .map(|n| n.node);
        PaxosView {
            now_us: sim.now_us(),
            slots_total: slots_total(sim),
            slots,
            counts: Counts {
                chosen: sim.checks().chosen_slots().count() as u64,
                prepares: c.prepares,
                promises: c.promises,
                proposals: c.proposals,
                accepts: c.accepts,
                adopted: c.adopted_values,
                preemptions: c.preemptions,
                longest_streak: longest_streak(sim),
                leaders: c.leaders,
                reproposed: c.reproposed_slots,
                noops: c.noop_slots,
                messages: c.messages_sent,
                violations: sim.violations().len() as u64,
            },
            events: events(sim, leader),
            violations: sim
                .violations()
                .iter()
                .take(3)
                .map(|v| {
                    let property = super::safety::checked(v.property);
                    tf(
                        "px.violation_line",
                        &[
                            ("property", &t(property.name)),
                            ("time", &time(v.t)),
                            ("slot", &v.slot),
                            ("detail", &words(&v.detail.text())),
                        ],
                    )
                })
                .collect(),
            partitioned: sim.network().groups().is_some() || !sim.network().cuts().is_empty(),
            retry_randomized: retry_randomized(&settings.paxos),
            highest_ballot,
            leader,
            nodes,
            settings,
        }
    }
}

/// Every slot any acceptor or learner holds or the checks found chosen.
fn all_slots(sim: &PaxosEngine) -> BTreeSet<Slot> {
    let mut all: BTreeSet<Slot> = sim.checks().chosen_slots().map(|(s, _, _)| s).collect();
    for n in sim.nodes().iter().filter_map(|n| n.process.as_ref()) {
        all.extend(n.acceptor.accepted.keys());
        all.extend(n.learner.learned.keys());
    }
    all
}

fn slots_total(sim: &PaxosEngine) -> usize {
    all_slots(sim).len()
}

fn slots(sim: &PaxosEngine) -> Vec<SlotView> {
    let all = all_slots(sim);
    let checks = sim.checks();
    let chosen: std::collections::BTreeMap<Slot, (String, Ballot)> = checks
        .chosen_slots()
        .map(|(s, v, b)| (s, (value_words(v), b)))
        .collect();
    all.iter()
        .rev()
        .take(SLOTS_SHOWN)
        .rev()
        .map(|&slot| {
            let mut learned_by = Vec::new();
            let mut accepted_by = Vec::new();
            for (i, n) in sim.nodes().iter().enumerate() {
                let id = NodeId(i as u32 + 1);
                let Some(p) = n.process.as_ref() else {
                    continue;
                };
                if p.learner.learned.contains_key(&slot) || slot <= p.learner.applied {
                    learned_by.push(id);
                }
                if let Some((b, _)) = p.acceptor.accepted.get(&slot) {
                    accepted_by.push((id, *b));
                }
            }
            SlotView {
                slot,
                chosen: chosen.get(&slot).cloned(),
                learned_by,
                accepted_by,
            }
        })
        .collect()
}

fn node_view(sim: &PaxosEngine, node: NodeId, shown: &BTreeSet<Slot>) -> NodeView {
    let config = &sim.settings().paxos;
    let needed = majority(config.nodes);
    let process = sim.node(node).and_then(|n| n.process.as_ref());
    let Some(p) = process else {
        return NodeView {
            node,
            up: false,
            proposes: config.proposes(node),
            promised: Ballot::default(),
            accepted: Vec::new(),
            accepted_count: 0,
            proposer: ProposerView {
                phase: "idle",
                needed,
                ..ProposerView::default()
            },
            learned: 0,
            learned_below: 1,
            learned_value: None,
        };
    };
    let accepted = p
        .acceptor
        .accepted
        .iter()
        .filter(|(s, _)| shown.contains(s))
        .map(|(s, (b, v))| (*s, *b, value_words(v)))
        .collect();
    let mut proposer = ProposerView {
        phase: "idle",
        ballot: p.proposer.ballot(),
        needed,
        streak: p.proposer.streak,
        ..ProposerView::default()
    };
    match &p.proposer.phase {
        Phase::Idle => {}
        Phase::Preparing { promises, .. } => {
            proposer.phase = "preparing";
            proposer.votes = promises.len();
        }
        Phase::Accepting {
            value, accepted, ..
        } => {
            proposer.phase = "accepting";
            proposer.votes = accepted.len();
            proposer.value = Some(value_words(value));
        }
        Phase::Leading(leader) => {
            proposer.phase = "leading";
            proposer.pending = leader.pending.len();
            proposer.next_slot = leader.next_slot;
        }
        Phase::Done => proposer.phase = "done",
    }
    NodeView {
        node,
        up: true,
        proposes: config.proposes(node),
        promised: p.acceptor.promised,
        accepted,
        accepted_count: p.acceptor.accepted.len(),
        proposer,
        learned: p.learner.learned.len().max(p.learner.applied as usize),
        learned_below: p.learner.learned_below(),
        learned_value: p.learner.learned.get(&1).map(value_words),
    }
}

/// The longest streak of abandoned ballots any proposer has now.
fn longest_streak(sim: &PaxosEngine) -> u32 {
    sim.nodes()
        .iter()
        .filter_map(|n| n.process.as_ref())
        .map(|p| p.proposer.streak)
        .max()
        .unwrap_or(0)
}

/// The latest events worth reading, newest first. A Multi-Paxos log repeats every slot's
/// acceptance and learning at each node: there the list keeps the leader's learning only (the
/// tables show the rest).
fn events(sim: &PaxosEngine, leader: Option<NodeId>) -> Vec<EventView> {
    let multi = sim.settings().paxos.variant == Variant::Multi;
    latest_events(
        sim.trace(),
        EVENTS_SCAN_LINES,
        EVENTS_SHOWN,
        |_, line| match &line.event {
            Event::Crash { node } => Some(("crash", tf("px.ev.crash", &[("node", node)]))),
            Event::Restart { node } => Some(("restart", tf("px.ev.restart", &[("node", node)]))),
            Event::Protocol(Note::PaxosAccepted { .. }) if multi => None,
            Event::Protocol(Note::PaxosLearn { node, .. }) if multi && Some(*node) != leader => {
                None
            }
            Event::Protocol(note) => note_words(note),
            _ => None,
        },
    )
}

fn note_words(note: &Note) -> Option<(&'static str, String)> {
    Some(match note {
        Note::PaxosPrepare { node, ballot, .. } => (
            "prepare",
            tf("px.ev.prepare", &[("node", node), ("ballot", ballot)]),
        ),
        Note::PaxosPromise {
            node,
            ballot,
            accepted,
        } => (
            "promise",
            tf(
                "px.ev.promise",
                &[("node", node), ("ballot", ballot), ("count", accepted)],
            ),
        ),
        Note::PaxosReject {
            node,
            ballot,
            promised,
            ..
        } => (
            "reject",
            tf(
                "px.ev.reject",
                &[("node", node), ("ballot", ballot), ("promised", promised)],
            ),
        ),
        Note::PaxosPropose {
            node,
            ballot,
            slot,
            value,
            adopted: Some(from),
        } => (
            "adopt",
            tf(
                "px.ev.adopt",
                &[
                    ("node", node),
                    ("ballot", ballot),
                    ("slot", slot),
                    ("value", &value_words(value)),
                    ("from", from),
                ],
            ),
        ),
        Note::PaxosPropose {
            node,
            ballot,
            slot,
            value,
            adopted: None,
        } => (
            "propose",
            tf(
                "px.ev.propose",
                &[
                    ("node", node),
                    ("ballot", ballot),
                    ("slot", slot),
                    ("value", &value_words(value)),
                ],
            ),
        ),
        Note::PaxosAccepted {
            node, ballot, slot, ..
        } => (
            "accepted",
            tf(
                "px.ev.accepted",
                &[("node", node), ("ballot", ballot), ("slot", slot)],
            ),
        ),
        Note::PaxosPreempted {
            node,
            ballot,
            by,
            streak,
            ..
        } => (
            "preempted",
            tf(
                "px.ev.preempted",
                &[
                    ("node", node),
                    ("ballot", ballot),
                    ("by", by),
                    ("streak", streak),
                ],
            ),
        ),
        Note::PaxosPhaseTimeout { node, ballot } => (
            "timeout",
            tf("px.ev.timeout", &[("node", node), ("ballot", ballot)]),
        ),
        Note::PaxosLearn { node, slot, value } => (
            "learn",
            tf(
                "px.ev.learn",
                &[
                    ("node", node),
                    ("slot", slot),
                    ("value", &value_words(value)),
                ],
            ),
        ),
        Note::PaxosLeader {
            node,
            ballot,
            reproposed,
            noops,
            ..
        } => (
            "leader",
            tf(
                "px.ev.leader",
                &[
                    ("node", node),
                    ("ballot", ballot),
                    ("reproposed", reproposed),
                    ("noops", noops),
                ],
            ),
        ),
        Note::PaxosBoot {
            node,
            recovered: true,
            promised,
            accepted,
            ..
        } => (
            "recovered",
            tf(
                "px.ev.recovered",
                &[("node", node), ("promised", promised), ("count", accepted)],
            ),
        ),
        // Counted, or shown by the tables.
        Note::PaxosBoot { .. }
        | Note::PaxosOffer { .. }
        | Note::PaxosClientRequest { .. }
        | Note::PaxosClientReply { .. } => return None,
    })
}
