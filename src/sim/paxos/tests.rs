//! Paxos, rule by rule, each test pinned to a section of Lamport's "Paxos Made Simple"
//! (2001): the acceptor's and the proposer's rules (section 2.2), learning (2.3), progress and
//! the livelock of duelling proposers (2.4), stable storage (2.5) and Multi-Paxos (3). Runs
//! use a fixed one-way latency of 10 ms, no bandwidth limit and a disk whose syncs take no
//! time, so a prepare sent at 0 is promised at 10 ms and the promises are back at 20 ms (a
//! node's messages to itself arrive at once).

use super::acceptor::Acceptor;
use super::node::PaxosNode;
use super::proposer::highest_accepted;
use super::types::{AcceptedEntry, SINGLE_SLOT};
use super::*;
use crate::sim::engine::{Engine, Fault};
use crate::sim::kv::Command;
use crate::sim::protocol::{Context, Effect};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::{ClientId, NodeId};
use std::collections::BTreeMap;

const MS: u64 = 1_000;

/// No slot learned.
const NONE: BTreeMap<u64, Value> = BTreeMap::new();

fn b(round: u64, proposer: u32) -> Ballot {
    Ballot {
        round,
        proposer: NodeId(proposer),
    }
}

fn own(proposer: u32) -> Value {
    Value::Own {
        proposer: NodeId(proposer),
    }
}

/// A single-decree run of `nodes` nodes in which only S1 proposes by itself, at once; phase
/// timeouts, retries and learners' questions are too slow to interfere.
fn single(nodes: u32, bugs: Bugs) -> PaxosSettings {
    let mut s = PaxosSettings::default();
    s.network.latency_us_min = 10 * MS;
    s.network.latency_us_max = 10 * MS;
    s.network.bandwidth_bytes_per_s = 0;
    let c = &mut s.paxos;
    c.nodes = nodes;
    c.proposers = 1;
    c.phase_timeout_us = 10_000 * MS;
    c.retry_delay_us_min = 5_000 * MS;
    c.retry_delay_us_max = 5_000 * MS;
    c.ask_us = 10_000 * MS;
    c.bugs = bugs;
    s
}

fn cut(from: u32, to: u32) -> PaxosAction {
    PaxosAction::Fault(Fault::Cut {
        from: NodeId(from),
        to: NodeId(to),
        both: false,
    })
}

fn notes(engine: &Engine<Paxos>) -> Vec<Note> {
    engine
        .trace()
        .iter()
        .filter_map(|l| l.event.protocol().cloned())
        .collect()
}

fn learned(engine: &Engine<Paxos>, node: u32) -> Option<Value> {
    let slot = &engine.nodes()[NodeId(node).slot()];
    slot.process
        .as_ref()
        .and_then(|n| n.learner.learned.get(&SINGLE_SLOT).cloned())
}

/// Section 2.2 (phase 1b): an acceptor promises a prepare numbered above any it answered,
/// reporting the highest-numbered proposal it accepted, and ignores (here: rejects) one
/// numbered below its promise. Section 2.5: the promise is logged before the answer leaves.
#[test]
fn section_2_2_an_acceptor_promises_higher_ballots_and_reports_what_it_accepted() {
    let mut a = Acceptor::default();
    let mut out = Vec::new();
    let bugs = Bugs::default();
    a.on_accept(NodeId(3), NodeId(1), b(1, 1), 1, own(1), &bugs, &mut out);
    out.clear();
    assert!(a.on_prepare(NodeId(3), NodeId(2), b(2, 2), 1, &NONE, &bugs, &mut out));
    assert!(matches!(out[0], Effect::Persist(Record::Promised { ballot }) if ballot == b(2, 2)));
    let Some(Effect::Send { msg, .. }) = out.last() else {
        panic!("a promise is sent: {out:?}");
    };
    let reported = vec![AcceptedEntry {
        slot: 1,
        ballot: b(1, 1),
        value: own(1),
        chosen: false,
    }];
    assert_eq!(
        *msg,
        Message::Promise {
            ballot: b(2, 2),
            from_slot: 1,
            accepted: reported
        }
    );
    out.clear();
    assert!(!a.on_prepare(NodeId(3), NodeId(1), b(1, 1), 1, &NONE, &bugs, &mut out));
    assert!(out.iter().any(|e| matches!(
        e,
        Effect::Send { msg: Message::Nack { promised, .. }, .. } if *promised == b(2, 2)
    )));
    assert_eq!(a.promised, b(2, 2));
}

/// Section 2.2, P1a: "an acceptor can accept a proposal numbered n iff it has not responded
/// to a prepare request having a number greater than n". The broken switch
/// `accept-lower-ballot` drops the condition.
#[test]
fn section_2_2_p1a_an_acceptor_accepts_nothing_below_its_promise() {
    for (bugs, accepts) in [
        (Bugs::default(), false),
        (
            Bugs {
                accept_lower_ballot: true,
                ..Bugs::default()
            },
            true,
        ),
    ] {
        let mut a = Acceptor::default();
        let mut out = Vec::new();
        a.on_prepare(NodeId(3), NodeId(2), b(2, 2), 1, &NONE, &bugs, &mut out);
        out.clear();
        a.on_accept(NodeId(3), NodeId(1), b(1, 1), 1, own(1), &bugs, &mut out);
        assert_eq!(a.accepted.contains_key(&1), accepts, "{bugs:?}: {out:?}");
        // Accepting logs the proposal before the answer leaves (section 2.5).
        if accepts {
            assert!(matches!(out[0], Effect::Persist(Record::Accepted { .. })));
            assert!(matches!(
                out.last(),
                Some(Effect::Send {
                    msg: Message::Accepted { .. },
                    ..
                })
            ));
        }
    }
}

/// Section 2.5: promises and accepted proposals survive a crash because they are on stable
/// storage; under `forget-promise-on-crash` the promise is never written, so a restarted
/// acceptor knows only the ballots it accepted under.
#[test]
fn section_2_5_a_restarted_acceptor_keeps_its_promise_unless_it_never_logged_it() {
    for (bugs, kept) in [
        (Bugs::default(), b(3, 2)),
        (
            Bugs {
                forget_promise_on_crash: true,
                ..Bugs::default()
            },
            b(1, 1),
        ),
    ] {
        let mut a = Acceptor::default();
        let mut out = Vec::new();
        a.on_accept(NodeId(3), NodeId(1), b(1, 1), 1, own(1), &bugs, &mut out);
        a.on_prepare(NodeId(3), NodeId(2), b(3, 2), 1, &NONE, &bugs, &mut out);
        let disk: Vec<Record> = out
            .into_iter()
            .filter_map(|e| match e {
                Effect::Persist(r) => Some(r),
                _ => None,
            })
            .collect();
        let recovered = Acceptor::recover(&disk);
        assert_eq!(recovered.promised, kept, "{bugs:?}");
        assert_eq!(recovered.accepted[&1], (b(1, 1), own(1)));
    }
}

/// Section 2.2 (and 2.5): proposal numbers are totally ordered, by round and then by the
/// proposer's id, so that two proposers never use the same one.
#[test]
fn section_2_2_ballots_order_by_round_then_proposer() {
    assert!(b(1, 2) > b(1, 1));
    assert!(b(2, 1) > b(1, 9));
    assert!(Ballot::default() < b(1, 1));
}

/// Section 2.2, P2c: with a majority of promises, the proposer proposes the value of the
/// highest-numbered proposal they reported.
#[test]
fn section_2_2_p2c_the_highest_numbered_reported_value_wins() {
    let entry = |round, proposer, value| AcceptedEntry {
        slot: 1,
        ballot: b(round, proposer),
        value,
        chosen: false,
    };
    let mut promises = BTreeMap::new();
    promises.insert(NodeId(1), vec![entry(1, 1, own(1))]);
    promises.insert(NodeId(2), vec![entry(3, 3, own(3))]);
    promises.insert(NodeId(4), vec![]);
    assert_eq!(highest_accepted(&promises)[&1], (b(3, 3), own(3)));
}

/// Sections 2.2 and 2.3 on the engine: one proposer, five acceptors. The prepare leaves at 0,
/// the promises are back at 20 ms, the accept requests are accepted at 30 ms, the proposer
/// counts a majority at 40 ms, learns, and every other learner learns at 50 ms.
#[test]
fn section_2_3_a_value_accepted_by_a_majority_is_chosen_and_learned_by_all() {
    let mut engine = Engine::new(single(5, Bugs::default())).expect("valid settings");
    engine.run_until(45 * MS);
    assert_eq!(learned(&engine, 1), Some(own(1)));
    assert_eq!(learned(&engine, 2), None);
    engine.run_until(50 * MS);
    for n in 1..=5 {
        assert_eq!(learned(&engine, n), Some(own(1)), "S{n}");
    }
    assert!(engine.violations().is_empty(), "{:?}", engine.violations());
    let learns = engine
        .trace()
        .iter()
        .filter(|l| matches!(l.event.protocol(), Some(Note::PaxosLearn { .. })))
        .map(|l| l.t)
        .collect::<Vec<_>>();
    assert_eq!(learns, vec![40 * MS, 50 * MS, 50 * MS, 50 * MS, 50 * MS]);
}

/// The classic case of section 2.2 (why P2c asks for the highest-numbered value reported):
/// S1's proposal reaches some acceptors only; S2's majority of promises includes just one of
/// them. With S1's proposal accepted by a minority (S1 and S4), S2 cannot know whether it was
/// chosen and must propose it; accepted by a majority (S1, S3, S4) it is chosen, and a
/// proposer that ignores the promises' values (`ignore-promise-values`) gets a second value
/// chosen.
#[test]
fn section_2_2_a_second_proposer_adopts_the_value_a_minority_accepted() {
    for (minority, bugs) in [
        (true, Bugs::default()),
        (false, Bugs::default()),
        (
            false,
            Bugs {
                ignore_promise_values: true,
                ..Bugs::default()
            },
        ),
    ] {
        let mut engine = Engine::new(single(5, bugs.clone())).expect("valid settings");
        // S1's accept requests (sent at 20 ms) do not reach S2 and S5 (nor S3, for the
        // minority case).
        engine.schedule(15 * MS, cut(1, 2)).expect("valid");
        engine.schedule(15 * MS, cut(1, 5)).expect("valid");
        if minority {
            engine.schedule(15 * MS, cut(1, 3)).expect("valid");
        }
        // S2's promises will come from S2, S4 and S5 only.
        engine.schedule(50 * MS, cut(3, 2)).expect("valid");
        let propose = PaxosAction::Propose { node: NodeId(2) };
        engine.schedule(50 * MS, propose).expect("valid");
        engine.run_until(200 * MS);
        let s2 = notes(&engine).into_iter().find_map(|n| match n {
            Note::PaxosPropose {
                node: NodeId(2),
                value,
                adopted,
                ..
            } => Some((value, adopted)),
            _ => None,
        });
        if bugs.ignore_promise_values {
            assert_eq!(s2, Some((own(2), None)));
            let v = engine.violations().first().expect("two values chosen");
            assert_eq!(v.property, Property::Agreement, "{v}");
            continue;
        }
        assert_eq!(s2, Some((own(1), Some(b(1, 1)))), "minority {minority}");
        assert!(engine.violations().is_empty(), "{:?}", engine.violations());
        for n in 1..=5 {
            assert_eq!(
                learned(&engine, n),
                Some(own(1)),
                "S{n}, minority {minority}"
            );
        }
    }
}

/// Section 2.4: two proposers that keep pre-empting each other choose nothing. Here each
/// abandons its ballot on hearing of a higher one and tries again 2 ms later, under the 10 ms
/// latency: its new prepare always arrives before the other's accept requests. Randomized
/// retry delays (2 to 100 ms) end it.
#[test]
fn section_2_4_duelling_proposers_livelock_until_retries_are_randomized() {
    for (retry_us_max, livelocks) in [(2 * MS, true), (100 * MS, false)] {
        let mut s = single(3, Bugs::default());
        s.paxos.proposers = 2;
        s.paxos.retry_delay_us_min = 2 * MS;
        s.paxos.retry_delay_us_max = retry_us_max;
        let mut engine = Engine::new(s).expect("valid settings");
        engine.run_until(10_000 * MS);
        let chosen = (1..=3).all(|n| learned(&engine, n).is_some());
        assert_eq!(chosen, !livelocks, "retry up to {retry_us_max} us");
        let streak = notes(&engine)
            .iter()
            .filter_map(|n| match n {
                Note::PaxosPreempted { streak, .. } => Some(*streak),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        if livelocks {
            assert!(
                streak > 100,
                "the trace shows the livelock: streak {streak}"
            );
        }
        assert!(engine.violations().is_empty());
    }
}

fn context<'a>(config: &'a PaxosConfig, rng: &'a mut SimRng) -> Context<'a, Paxos> {
    Context {
        id: NodeId(1),
        nodes: config.nodes,
        config,
        now_us: 0,
        observing: true,
        rng,
    }
}

/// Section 3: a new leader's phase 1 covers every slot from the first it has not learned; it
/// proposes again, in each unfinished slot, the value of the highest-numbered proposal
/// reported, fills the gaps with no-ops ("it fills the gaps by proposing a special no-op
/// command"), and then proposes client commands in the next free slot with phase 2 only.
#[test]
fn section_3_a_new_leader_reproposes_unfinished_slots_and_fills_gaps_with_noops() {
    let cmd = |c: u32| Value::Command {
        client: ClientId(c),
        request: 1,
        cmd: Command::Get { key: "k".into() },
    };
    let entry = |slot, ballot, value| AcceptedEntry {
        slot,
        ballot,
        value,
        chosen: false,
    };
    let mut promises = BTreeMap::new();
    promises.insert(NodeId(1), vec![entry(2, b(1, 2), cmd(1))]);
    promises.insert(
        NodeId(3),
        vec![entry(2, b(2, 3), cmd(2)), entry(4, b(1, 2), cmd(3))],
    );
    for (bugs, expected) in [
        (
            Bugs::default(),
            vec![Value::Noop, cmd(2), Value::Noop, cmd(3)],
        ),
        (
            Bugs {
                ignore_promise_values: true,
                ..Bugs::default()
            },
            vec![Value::Noop; 4],
        ),
    ] {
        let config = PaxosConfig {
            variant: Variant::Multi,
            nodes: 3,
            bugs,
            ..PaxosConfig::default()
        };
        let mut rng = SimRng::stream(1, Stream::Node(1));
        let mut ctx = context(&config, &mut rng);
        let mut node = PaxosNode::default();
        let mut out = Vec::new();
        node.lead(&mut ctx, b(3, 1), 1, &promises, &mut out);
        let proposed: Vec<Value> = out
            .iter()
            .filter_map(|e| match e {
                Effect::Note(Note::PaxosPropose { value, .. }) => Some(value.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(proposed, expected, "{:?}", config.bugs);
        // A client command now goes to slot 5 with phase 2 only: no prepare.
        out.clear();
        node.on_request(
            &mut ctx,
            ClientId(9),
            1,
            Command::Get { key: "x".into() },
            &mut out,
        );
        assert!(out
            .iter()
            .any(|e| matches!(e, Effect::Note(Note::PaxosPropose { slot: 5, .. }))));
        assert!(!out.iter().any(|e| matches!(
            e,
            Effect::Send {
                msg: Message::Prepare { .. },
                ..
            }
        )));
    }
}

/// Section 3 on the engine: one leader is elected, runs phase 1 once, and every later command
/// is chosen with phase 2 alone; every node applies the same commands in slot order and the
/// clients' history checks out.
#[test]
fn section_3_a_stable_leader_runs_phase_1_once_for_every_command() {
    let mut s = PaxosSettings::default();
    s.paxos.variant = Variant::Multi;
    s.network.latency_us_min = 10 * MS;
    s.network.latency_us_max = 10 * MS;
    let mut engine = Engine::new(s).expect("valid settings");
    engine.run_until(5_000 * MS);
    let all = notes(&engine);
    let leaders = all
        .iter()
        .filter(|n| matches!(n, Note::PaxosLeader { .. }))
        .count();
    let proposals = all
        .iter()
        .filter(|n| matches!(n, Note::PaxosPropose { .. }))
        .count();
    assert_eq!(leaders, 1);
    assert!(proposals > 50, "{proposals}");
    assert!(engine.violations().is_empty(), "{:?}", engine.violations());
    assert!(engine.world().completed() > 50);
    let stores: Vec<_> = engine
        .nodes()
        .iter()
        .filter_map(|n| n.process.as_ref())
        .map(|n| (n.learner.applied, n.learner.kv.digest()))
        .collect();
    let most = stores.iter().map(|s| s.0).max().unwrap_or(0);
    assert!(most > 50);
    for (applied, digest) in &stores {
        assert!(*applied + 5 >= most, "a follower keeps up: {stores:?}");
        if *applied == most {
            assert_eq!(
                *digest,
                stores.iter().find(|s| s.0 == most).map_or(0, |s| s.1)
            );
        }
    }
}
