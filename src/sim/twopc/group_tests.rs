//! The coordinator on Raft, step by step: what a crash of the group's leader does to a
//! transaction whose votes are all in (Gray and Reuter, section 10.3: the case that blocks a
//! single coordinator), and that a decision never changes across leader changes (Raft paper,
//! sections 5.4.2 and 8; Gray and Lamport, "Consensus on Transaction Commit", section 4).
//! A fixed 10 ms latency, three participants (S2, S3, S4) and a group of three (S1, S5, S6).

use super::config::CoordinatorKind;
use super::coordinator::CoordPhase;
use super::group::{decision_key, Member};
use super::participant::PState;
use super::*;
use crate::sim::disk::CrashMode;
use crate::sim::engine::{Engine, Fault};
use crate::sim::protocol::Event;
use crate::sim::types::{Micros, NodeId};
use std::collections::BTreeMap;

const MS: u64 = 1_000;

/// The learner's client is client 1 when there is no workload: its first transaction.
const T1: TxnId = TXNS_PER_CLIENT + 1;

fn engine(kind: CoordinatorKind, clients: u32) -> Engine<TwoPc> {
    let mut s = TwoPcSettings::default();
    s.twopc.coordinator = kind;
    s.twopc.clients = clients;
    s.twopc.transactions = if clients == 0 { 0 } else { 15 };
    s.network.latency_us_min = 10 * MS;
    s.network.latency_us_max = 10 * MS;
    Engine::new(s).expect("valid settings")
}

/// Writes keys 0, 1 and 2: one on each participant.
fn three_shards() -> TwoPcAction {
    let ops = (0..3)
        .map(|key| Op {
            key,
            write: Some(0),
        })
        .collect();
    TwoPcAction::Submit { ops }
}

fn member(e: &Engine<TwoPc>, node: NodeId) -> Option<&Member> {
    match e.node(node)?.process.as_ref()? {
        TwoPcNode::Member(m) => Some(m),
        _ => None,
    }
}

/// The member that coordinates now, if one does.
fn coordinating(e: &Engine<TwoPc>) -> Option<NodeId> {
    e.settings()
        .twopc
        .group_members()
        .into_iter()
        .find(|n| member(e, *n).is_some_and(|m| m.coordinating()))
}

fn participant(e: &Engine<TwoPc>, node: u32) -> &Participant {
    match e.node(NodeId(node)).and_then(|n| n.process.as_ref()) {
        Some(TwoPcNode::Participant(p)) => p,
        other => panic!("S{node} is not a running participant: {other:?}"),
    }
}

fn notes(e: &Engine<TwoPc>) -> Vec<Note> {
    e.trace()
        .iter()
        .filter_map(|l| match &l.event {
            Event::Protocol(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

/// Steps until `done` holds; panics after `limit_us` of simulated time.
fn step_until(e: &mut Engine<TwoPc>, limit_us: Micros, done: impl Fn(&Engine<TwoPc>) -> bool) {
    while !done(e) {
        assert!(e.now_us() < limit_us, "not reached by {limit_us}us");
        assert!(e.step(), "the run went quiet");
    }
}

/// The longest any participant was blocked, from its `txn_unblocked` lines.
fn longest_block_us(e: &Engine<TwoPc>) -> Micros {
    notes(e)
        .iter()
        .filter_map(|n| match n {
            Note::TxnUnblocked { blocked_us, .. } => Some(*blocked_us),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// The leader has every yes vote and has appended its commit record: it crashes before it
/// can tell anyone. The next leader commits an entry of its own term first (section 5.4.2),
/// which commits the record too if a majority had it, and then either resends that commit
/// or, having no record, decides presumed abort through its log. Either way every
/// participant ends the same way, within the bound, and nobody is left blocked.
#[test]
fn a_new_leader_finishes_a_transaction_whose_leader_crashed_after_every_yes() {
    let mut e = engine(CoordinatorKind::Raft3, 0);
    step_until(&mut e, 2_000 * MS, |e| coordinating(e).is_some());
    e.apply(three_shards()).unwrap();
    let logging = |e: &Engine<TwoPc>| {
        coordinating(e).is_some_and(|l| {
            member(e, l)
                .and_then(|m| m.lead.as_ref())
                .and_then(|lead| lead.txns.get(&T1))
                .is_some_and(|t| t.phase == CoordPhase::Logging)
        })
    };
    step_until(&mut e, 3_000 * MS, logging);
    let leader = coordinating(&e).expect("a leader");
    e.apply(TwoPcAction::Fault(Fault::Crash {
        node: leader,
        mode: CrashMode::Clean,
    }))
    .unwrap();
    let crashed_at = e.now_us();
    e.run_until(crashed_at + 5_000 * MS);
    assert_eq!(e.violations(), &[]);
    let successor = coordinating(&e).expect("another member took over");
    assert_ne!(successor, leader);
    let ends: Vec<PState> = (2..=4)
        .map(|n| participant(&e, n).txns[&T1].state)
        .collect();
    assert!(
        ends == [PState::Committed; 3] || ends == [PState::Aborted; 3],
        "{ends:?}"
    );
    for n in 2..=4 {
        assert!(participant(&e, n).in_doubt.is_empty(), "S{n} in doubt");
        assert!(participant(&e, n).locks.is_empty(), "S{n} holds locks");
    }
    let bound = checks::blocking_bound_us(&e.settings().twopc);
    assert!(
        longest_block_us(&e) <= bound,
        "{} > {bound}",
        longest_block_us(&e)
    );
    assert_eq!(e.finish_checks(), None);
}

/// The commit record is committed and the decision told, then the leader crashes before any
/// acknowledgement: the next leader finds the commit in its store at the takeover, resends
/// it, collects the acknowledgements and writes the end mark, which a single coordinator
/// could only do after its restart.
#[test]
fn a_new_leader_resends_a_logged_commit_and_ends_it() {
    let mut e = engine(CoordinatorKind::Raft3, 0);
    step_until(&mut e, 2_000 * MS, |e| coordinating(e).is_some());
    e.apply(three_shards()).unwrap();
    let decided = |e: &Engine<TwoPc>| {
        notes(e).iter().any(
            |n| matches!(n, Note::TxnDecide { txn, outcome: Outcome::Commit, .. } if *txn == T1),
        )
    };
    step_until(&mut e, 3_000 * MS, decided);
    let leader = coordinating(&e).expect("a leader");
    e.apply(TwoPcAction::Fault(Fault::Crash {
        node: leader,
        mode: CrashMode::Clean,
    }))
    .unwrap();
    e.run_until(e.now_us() + 5_000 * MS);
    assert_eq!(e.violations(), &[]);
    let n = notes(&e);
    let took_over = n.iter().any(|n| {
        matches!(n, Note::GroupTakeover { node, commits, .. } if *node != leader && *commits >= 1)
    });
    assert!(took_over, "the successor resent the logged commit");
    let ended_by = n.iter().find_map(|n| match n {
        Note::TxnEnd { node, txn } if *txn == T1 => Some(*node),
        _ => None,
    });
    assert!(ended_by.is_some_and(|n| n != leader), "{ended_by:?}");
    for p in 2..=4 {
        assert_eq!(participant(&e, p).txns[&T1].state, PState::Committed);
    }
    assert_eq!(e.finish_checks(), None);
}

/// A workload while the leader is crashed every 700 ms and restarted 300 ms later: every
/// decision the group states (decided, or answered to an inquiry) is the same each time for
/// a transaction, and every member that holds a decision record holds the same one (State
/// Machine Safety, Raft section 5.4.3, with the compare-and-set keeping the first).
#[test]
fn a_decision_never_changes_across_leader_changes() {
    let mut e = engine(CoordinatorKind::Raft5, 3);
    for i in 0..8 {
        let at = 500 * MS + i * 700 * MS;
        e.schedule(
            at,
            TwoPcAction::CrashLeader {
                mode: CrashMode::Clean,
            },
        )
        .unwrap();
        e.schedule(at + 300 * MS, TwoPcAction::RestartCrashedLeader)
            .unwrap();
    }
    e.run_until(20_000 * MS);
    assert_eq!(e.violations(), &[]);
    let mut stated: BTreeMap<TxnId, Outcome> = BTreeMap::new();
    let mut leaders = std::collections::BTreeSet::new();
    for n in notes(&e) {
        let (node, txn, outcome) = match n {
            Note::TxnDecide {
                node, txn, outcome, ..
            }
            | Note::TxnAnswer {
                node, txn, outcome, ..
            } => (node, txn, outcome),
            _ => continue,
        };
        leaders.insert(node);
        assert_eq!(*stated.entry(txn).or_insert(outcome), outcome, "{txn}");
    }
    assert!(leaders.len() >= 2, "decisions came from several leaders");
    assert!(stated.len() > 10, "{} decisions", stated.len());
    for txn in stated.keys() {
        let held: Vec<String> = e
            .settings()
            .twopc
            .group_members()
            .into_iter()
            .filter_map(|m| {
                member(&e, m)?
                    .raft
                    .kv()
                    .data
                    .get(&decision_key(*txn))
                    .cloned()
            })
            .collect();
        assert!(held.windows(2).all(|w| w[0] == w[1]), "{txn}: {held:?}");
    }
    assert_eq!(e.finish_checks(), None);
}

/// Decision records round-trip through the store's text.
#[test]
fn decision_records_read_back() {
    use super::group::Decision;
    let d = Decision {
        outcome: Outcome::Commit,
        reason: DecideReason::AllYes,
        participants: vec![NodeId(2), NodeId(4)],
    };
    assert_eq!(d.encode(), "commit all_yes 2,4");
    assert_eq!(Decision::decode(&d.encode()), Some(d));
    let presumed = Decision {
        outcome: Outcome::Abort,
        reason: DecideReason::Presumed,
        participants: Vec::new(),
    };
    assert_eq!(Decision::decode(&presumed.encode()), Some(presumed));
    for bad in ["", "commit", "maybe all_yes 2", "abort presumed x"] {
        assert_eq!(Decision::decode(bad), None, "{bad}");
    }
}

/// The group's members and the bound derived from its Raft settings (bounded_blocking.rs):
/// 3 × (300 + 200) + 100 + 2 × (400 + 25) + 200 ms with the defaults.
#[test]
fn members_follow_the_participants_and_the_bound_comes_from_the_raft_settings() {
    let mut c = TwoPcConfig {
        coordinator: CoordinatorKind::Raft5,
        ..TwoPcConfig::default()
    };
    assert_eq!(
        c.group_members(),
        [1, 5, 6, 7, 8].map(NodeId).to_vec(),
        "after S2, S3, S4"
    );
    assert_eq!(c.nodes(), 8);
    assert!(c.is_coordinator(NodeId(6)) && !c.is_coordinator(NodeId(3)));
    assert_eq!(c.next_member(NodeId(8)), NodeId(1));
    assert_eq!(checks::blocking_bound_us(&c), 2_650 * MS);
    c.coordinator = CoordinatorKind::Single;
    assert_eq!(c.group_members(), vec![NodeId(1)]);
    assert!(!c.is_coordinator(NodeId(5)));
}
