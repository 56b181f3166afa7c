//! Two-phase commit, step by step, each test pinning one rule of Gray and Reuter
//! ("Transaction Processing", chapter 10) or Bernstein, Hadzilacos and Goodman ("Concurrency
//! Control and Recovery", chapter 7), on the engine with a fixed 10 ms latency: a transaction
//! submitted at 0 reaches the coordinator at 10 ms, its participants at 20 ms, and their
//! votes are back at 30 ms.

use super::participant::PState;
use super::*;
use crate::sim::disk::CrashMode;
use crate::sim::engine::{Engine, Fault};
use crate::sim::protocol::{Effect, Event};
use crate::sim::types::{Addr, NodeId};

const MS: u64 = 1_000;

/// Three participants, no workload: only the learner's client submits.
fn engine() -> Engine<TwoPc> {
    let mut s = TwoPcSettings::default();
    s.twopc.clients = 0;
    s.twopc.transactions = 0;
    s.network.latency_us_min = 10 * MS;
    s.network.latency_us_max = 10 * MS;
    Engine::new(s).expect("valid settings")
}

/// The learner's client is client 1 when there is no workload: its first transaction.
const T1: TxnId = TXNS_PER_CLIENT + 1;

/// Writes keys 0, 1 and 2: one on each of S2, S3 and S4.
fn three_shards() -> TwoPcAction {
    let ops = (0..3)
        .map(|key| Op {
            key,
            write: Some(0),
        })
        .collect();
    TwoPcAction::Submit { ops }
}

/// Writes keys 0 and 1: on S2 and S3.
fn two_shards() -> TwoPcAction {
    let ops = (0..2)
        .map(|key| Op {
            key,
            write: Some(0),
        })
        .collect();
    TwoPcAction::Submit { ops }
}

fn fault(f: Fault) -> TwoPcAction {
    TwoPcAction::Fault(f)
}

fn crash(node: u32) -> TwoPcAction {
    fault(Fault::Crash {
        node: NodeId(node),
        mode: CrashMode::LoseUnsynced,
    })
}

fn restart(node: u32) -> TwoPcAction {
    fault(Fault::Restart { node: NodeId(node) })
}

fn notes(engine: &Engine<TwoPc>) -> Vec<Note> {
    engine
        .trace()
        .iter()
        .filter_map(|l| match &l.event {
            Event::Protocol(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

fn participant(engine: &Engine<TwoPc>, node: u32) -> &Participant {
    match engine.node(NodeId(node)).and_then(|n| n.process.as_ref()) {
        Some(TwoPcNode::Participant(p)) => p,
        other => panic!("S{node} is not a running participant: {other:?}"),
    }
}

fn state(engine: &Engine<TwoPc>, node: u32, txn: TxnId) -> Option<PState> {
    participant(engine, node).txns.get(&txn).map(|t| t.state)
}

/// Gray and Reuter, section 10.3: with every participant voting yes, the coordinator forces
/// its commit record, every participant commits and applies, and the end record follows
/// the acknowledgements.
#[test]
fn a_transaction_over_three_shards_commits_everywhere() {
    let mut e = engine();
    e.schedule(0, three_shards()).unwrap();
    e.run_until(1_000 * MS);
    assert_eq!(e.violations(), &[]);
    for node in 2..=4 {
        assert_eq!(state(&e, node, T1), Some(PState::Committed), "S{node}");
        assert!(participant(&e, node).locks.is_empty(), "S{node} released");
    }
    assert_eq!(participant(&e, 3).store.get(&1), Some(&T1));
    let n = notes(&e);
    assert!(n.contains(&Note::TxnDecide {
        node: NodeId(1),
        txn: T1,
        outcome: Outcome::Commit,
        reason: DecideReason::AllYes,
    }));
    assert!(n.contains(&Note::TxnEnd {
        node: NodeId(1),
        txn: T1
    }));
    assert_eq!(e.world().committed(), 1);
    // The commit record is written before the decision leaves (rule 2PC-2 of presumed abort).
    let lines: Vec<_> = e.trace().iter().collect();
    let decide = lines
        .iter()
        .position(|l| matches!(&l.event, Event::Protocol(Note::TxnDecide { .. })))
        .unwrap();
    assert!(matches!(
        &lines[decide - 1].event,
        Event::WalWrite { node: NodeId(1), record, .. } if record == "commit"
    ));
}

/// Bernstein et al., section 7.3 ("2PC is blocking"): the coordinator fails after every
/// participant voted yes and before it decided. The participants are in doubt, may not
/// decide alone, and none of them can help the others (all voted yes): they stay blocked with
/// their locks held, and a later transaction on those keys waits. When the coordinator
/// recovers, it has no record of the transaction and presumes abort.
#[test]
fn a_coordinator_crash_after_the_votes_blocks_the_participants_until_it_recovers() {
    let mut e = engine();
    e.schedule(0, three_shards()).unwrap();
    e.schedule(25 * MS, crash(1)).unwrap(); // votes are on their way
    e.run_until(2_000 * MS);
    for node in 2..=4 {
        assert_eq!(state(&e, node, T1), Some(PState::Prepared), "S{node}");
        assert_eq!(
            participant(&e, node).locks.len(),
            1,
            "S{node} holds its lock"
        );
        assert!(notes(&e).contains(&Note::TxnBlocked {
            node: NodeId(node),
            txn: T1,
            bound_us: None,
        }));
    }
    // The coordinator is back; a later transaction on the same keys waits behind the blocked
    // one until the participants' next inquiry (every 400 ms) learns the presumed abort.
    e.schedule(3_000 * MS, restart(1)).unwrap();
    e.schedule(3_000 * MS, two_shards()).unwrap();
    e.run_until(3_025 * MS);
    assert!(notes(&e).iter().any(|n| matches!(
        n,
        Note::TxnLockWait {
            holder: T1,
            holder_prepared: true,
            ..
        }
    )));
    e.run_until(6_000 * MS);
    assert_eq!(e.violations(), &[]);
    let n = notes(&e);
    for node in 2..=4 {
        assert_eq!(state(&e, node, T1), Some(PState::Aborted), "S{node}");
        let blocked_us = n.iter().find_map(|l| match l {
            Note::TxnUnblocked {
                node: b,
                txn: T1,
                blocked_us,
                ..
            } if *b == NodeId(node) => Some(*blocked_us),
            _ => None,
        });
        assert!(
            blocked_us.unwrap() > 2_000 * MS,
            "S{node} blocked {blocked_us:?}"
        );
    }
    assert!(n.iter().any(|l| matches!(
        l,
        Note::TxnAnswer {
            txn: T1,
            presumed: true,
            outcome: Outcome::Abort,
            ..
        }
    )));
    // ... and then commits.
    assert_eq!(state(&e, 2, T1 + 1), Some(PState::Committed));
    assert!(e.finish_checks().is_none());
}

/// Bernstein et al., section 7.4, the cooperative termination protocol: a participant in
/// doubt asks the others; one that has not voted aborts (it may) and says so, and the asker
/// aborts too, though the coordinator is down.
#[test]
fn cooperative_termination_resolves_when_one_participant_has_not_voted() {
    let mut e = engine();
    e.schedule(
        0,
        fault(Fault::Cut {
            from: NodeId(1),
            to: NodeId(3),
            both: false,
        }),
    )
    .unwrap();
    e.schedule(0, two_shards()).unwrap(); // S3 never hears of it
    e.schedule(25 * MS, crash(1)).unwrap();
    e.run_until(2_000 * MS);
    assert_eq!(e.violations(), &[]);
    assert_eq!(state(&e, 2, T1), Some(PState::Aborted));
    assert_eq!(state(&e, 3, T1), Some(PState::Aborted));
    let n = notes(&e);
    assert!(n.contains(&Note::TxnAbort {
        node: NodeId(3),
        txn: T1,
        reason: AbortReason::Unvoted
    }));
    assert!(n.contains(&Note::TxnCooperative {
        node: NodeId(2),
        txn: T1,
        peer: NodeId(3),
        outcome: Outcome::Abort
    }));
    assert!(participant(&e, 2).locks.is_empty());
}

/// Bernstein et al., section 7.4: a participant that has decided answers for the
/// coordinator. The commit to S2 is lost and the coordinator crashes; S2 learns the commit
/// from S3, and the recovered coordinator resends its logged commit and ends the transaction.
#[test]
fn a_decided_participant_answers_and_a_recovered_coordinator_resends_its_commit() {
    let mut e = engine();
    e.schedule(0, two_shards()).unwrap();
    let cut = |both| Fault::Cut {
        from: NodeId(1),
        to: NodeId(2),
        both,
    };
    e.schedule(25 * MS, fault(cut(false))).unwrap();
    e.schedule(40 * MS, crash(1)).unwrap();
    e.schedule(
        50 * MS,
        fault(Fault::Repair {
            from: NodeId(1),
            to: NodeId(2),
            both: false,
        }),
    )
    .unwrap();
    e.schedule(1_500 * MS, restart(1)).unwrap();
    e.run_until(3_000 * MS);
    assert_eq!(e.violations(), &[]);
    let n = notes(&e);
    assert!(n.contains(&Note::TxnCooperative {
        node: NodeId(2),
        txn: T1,
        peer: NodeId(3),
        outcome: Outcome::Commit
    }));
    assert!(n.contains(&Note::CoordinatorRecovered {
        node: NodeId(1),
        committing: 1,
        ended: 0
    }));
    assert!(n.contains(&Note::TxnEnd {
        node: NodeId(1),
        txn: T1
    }));
    assert!(e.finish_checks().is_none());
}

/// Gray and Reuter, section 10.3: a participant that restarts prepared takes its locks back
/// and asks the coordinator for the decision.
#[test]
fn a_participant_restarting_prepared_asks_for_the_decision() {
    let mut e = engine();
    e.schedule(0, two_shards()).unwrap();
    e.schedule(22 * MS, crash(2)).unwrap(); // its yes vote is on its way
    e.schedule(200 * MS, restart(2)).unwrap();
    e.run_until(201 * MS);
    assert_eq!(state(&e, 2, T1), Some(PState::Prepared));
    assert_eq!(participant(&e, 2).locks.get(&0), Some(&T1));
    assert!(notes(&e).contains(&Note::TxnInquire {
        node: NodeId(2),
        txn: T1,
        asked: vec![NodeId(1)]
    }));
    e.run_until(1_000 * MS);
    assert_eq!(e.violations(), &[]);
    assert_eq!(state(&e, 2, T1), Some(PState::Committed));
    assert_eq!(participant(&e, 2).store.get(&0), Some(&T1));
}

/// Presumed abort (Bernstein et al., section 7.4): a coordinator asked about a transaction
/// it has no record of answers abort.
#[test]
fn presumed_abort_answers_an_unknown_transaction_with_abort() {
    let mut c = Coordinator::start();
    let mut out = Vec::new();
    let config = TwoPcConfig::default();
    c.on_message(
        NodeId(1),
        Addr::Node(NodeId(3)),
        Message::Inquire { txn: 42 },
        &config,
        0,
        &mut out,
    );
    assert!(out.contains(&Effect::Note(Note::TxnAnswer {
        node: NodeId(1),
        txn: 42,
        to: NodeId(3),
        outcome: Outcome::Abort,
        presumed: true
    })));
    assert!(out.contains(&Effect::Send {
        to: Addr::Node(NodeId(3)),
        msg: Message::Decision {
            txn: 42,
            outcome: Outcome::Abort
        }
    }));
    assert!(
        !out.iter().any(|e| matches!(e, Effect::Persist(_))),
        "aborts are not logged"
    );
}

/// Gray and Reuter, section 10.3: one no vote aborts the transaction everywhere; the
/// coordinator writes nothing for it (presumed abort).
#[test]
fn one_no_vote_aborts_everywhere() {
    let mut e = engine();
    e.schedule(0, TwoPcAction::VoteNo { node: NodeId(3) })
        .unwrap();
    e.schedule(0, three_shards()).unwrap();
    e.run_until(1_000 * MS);
    assert_eq!(e.violations(), &[]);
    for node in 2..=4 {
        assert_eq!(state(&e, node, T1), Some(PState::Aborted), "S{node}");
        assert!(participant(&e, node).store.is_empty());
    }
    let coordinator_writes = e
        .trace()
        .iter()
        .filter(|l| {
            matches!(
                &l.event,
                Event::WalWrite {
                    node: NodeId(1),
                    ..
                }
            )
        })
        .count();
    assert_eq!(coordinator_writes, 0);
}

/// The broken switch `decide-before-log`: the commit leaves before its record; the
/// coordinator crashes before writing it and, recovered, presumes abort for a transaction
/// it told others to commit. Decision Durability catches it.
#[test]
fn deciding_before_logging_lets_a_crash_change_the_decision() {
    let mut s = TwoPcSettings::default();
    s.twopc.clients = 0;
    s.twopc.transactions = 0;
    s.twopc.bugs.decide_before_log = true;
    s.network.latency_us_min = 10 * MS;
    s.network.latency_us_max = 10 * MS;
    let mut e = Engine::<TwoPc>::new(s).unwrap();
    e.schedule(0, two_shards()).unwrap();
    e.schedule(
        25 * MS,
        fault(Fault::Cut {
            from: NodeId(1),
            to: NodeId(2),
            both: false,
        }),
    )
    .unwrap();
    e.schedule(35 * MS, crash(1)).unwrap();
    e.schedule(36 * MS, restart(1)).unwrap();
    e.schedule(
        40 * MS,
        fault(Fault::Repair {
            from: NodeId(1),
            to: NodeId(2),
            both: false,
        }),
    )
    .unwrap();
    e.run_until(2_000 * MS);
    let v = e.violations().first().expect("a violation");
    assert_eq!(v.property, Property::DecisionDurability, "{v}");
    assert_eq!(v.txn, T1);
}

/// The visibility check from the client's side, on a hand-written trace: once the client is
/// told T committed, a read of its key must see T's write (Gray and Reuter, section 10.3:
/// a committed transaction's effects are durable).
#[test]
fn a_read_that_misses_an_acknowledged_commit_is_caught() {
    use crate::sim::protocol::{Checks, Line};
    use crate::sim::types::ClientId;
    let (s2, t, reader) = (NodeId(2), T1, T1 + 1);
    let lines: Vec<Note> = vec![
        Note::TxnSubmit {
            client: ClientId(1),
            txn: t,
            ops: vec![Op {
                key: 0,
                write: Some(t),
            }],
        },
        Note::TxnBegin {
            node: NodeId(1),
            txn: t,
            participants: vec![s2],
        },
        Note::TxnVote {
            node: s2,
            txn: t,
            yes: true,
            reason: None,
            reads: vec![],
        },
        Note::TxnDecide {
            node: NodeId(1),
            txn: t,
            outcome: Outcome::Commit,
            reason: DecideReason::AllYes,
        },
        Note::TxnReply {
            client: ClientId(1),
            txn: t,
            outcome: Outcome::Commit,
        },
        // S2 lost T (say, its prepare record) and lets another transaction read key 0.
        Note::TxnVote {
            node: s2,
            txn: reader,
            yes: true,
            reason: None,
            reads: vec![(0, 0)],
        },
    ];
    let mut checks = TwoPcChecks::default();
    let found: Vec<Violation> = lines
        .into_iter()
        .enumerate()
        .filter_map(|(i, note)| {
            let line = Line {
                t: i as u64,
                event: Event::Protocol(note),
            };
            checks.observe(&line, i as u64)
        })
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].property, Property::CommittedWritesVisible);
    assert_eq!(found[0].txn, reader);
    assert_eq!(
        found[0].to_string(),
        "Committed Writes Visible violated at t=5us (trace line 6), nodes S2, txn 1000002: \
         S2 read key 0 = 0, but txn 1000001's write to it was acknowledged to its client and is not applied"
    );
}

/// Bernstein et al., section 7.3: a participant may vote no for any reason of its own; here
/// because a key it needs is held by a transaction in doubt: at once when the run does not
/// wait for locks, after `lock_wait_us` when it does.
#[test]
fn a_lock_held_by_a_transaction_in_doubt_makes_a_later_one_vote_no() {
    for (lock_wait_us, reason) in [
        (0, VoteReason::LockConflict),
        (50 * MS, VoteReason::LockTimeout),
    ] {
        let mut s = TwoPcSettings::default();
        s.twopc.clients = 0;
        s.twopc.transactions = 0;
        s.twopc.lock_wait_us = lock_wait_us;
        s.network.latency_us_min = 10 * MS;
        s.network.latency_us_max = 10 * MS;
        let mut e = Engine::<TwoPc>::new(s).unwrap();
        e.schedule(0, two_shards()).unwrap();
        e.schedule(25 * MS, crash(1)).unwrap(); // T1 stays in doubt, holding keys 0 and 1
        e.schedule(100 * MS, restart(1)).unwrap();
        e.schedule(100 * MS, two_shards()).unwrap();
        e.run_until(300 * MS);
        assert_eq!(e.violations(), &[]);
        assert_eq!(state(&e, 2, T1), Some(PState::Prepared));
        assert_eq!(state(&e, 2, T1 + 1), Some(PState::Aborted));
        assert!(
            notes(&e).contains(&Note::TxnVote {
                node: NodeId(2),
                txn: T1 + 1,
                yes: false,
                reason: Some(reason),
                reads: vec![],
            }),
            "{reason:?}"
        );
    }
}
