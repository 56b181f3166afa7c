#![cfg(not(target_arch = "wasm32"))]
//! Every safety check can fail: a hand-written trace that breaks each property, and the
//! property the checker names for it (Raft paper, Figure 3, plus the client-visible ones).

use faultline::sim::raft::checks::{Checker, Property};
use faultline::sim::raft::RaftEvent;
use faultline::sim::raft::{Command, Role};
use faultline::sim::trace::{TraceEvent as E, TraceLine};
use faultline::sim::types::{ClientId, LogIndex, NodeId, Term};
use std::rc::Rc;

fn n(i: u32) -> NodeId {
    NodeId(i)
}

fn put(v: &str) -> Rc<Command> {
    Rc::new(Command::Put {
        key: "x".into(),
        value: v.into(),
    })
}

fn role(node: u32, term: u64, role: Role) -> E {
    E::Protocol(RaftEvent::Role {
        node: n(node),
        term: Term(term),
        role,
    })
}

fn append(node: u32, index: u64, term: u64, v: &str) -> E {
    E::Protocol(RaftEvent::LogAppend {
        node: n(node),
        index: LogIndex(index),
        term: Term(term),
        cmd: put(v),
        client: None,
        request: None,
    })
}

fn apply(node: u32, index: u64, term: u64, v: &str, origin: Option<(u32, u64)>) -> E {
    E::Protocol(RaftEvent::Apply {
        node: n(node),
        index: LogIndex(index),
        term: Term(term),
        cmd: put(v),
        client: origin.map(|o| ClientId(o.0)),
        request: origin.map(|o| o.1),
    })
}

/// The first property the checker reports for these events, one per millisecond.
fn first_violation(events: Vec<E>) -> Option<Property> {
    let lines: Vec<TraceLine> = events
        .into_iter()
        .enumerate()
        .map(|(i, event)| TraceLine {
            t: i as u64 * 1000,
            event,
        })
        .collect();
    Checker::check_all(&lines).first().map(|v| v.property)
}

#[test]
fn election_safety() {
    let trace = vec![role(1, 2, Role::Leader), role(2, 2, Role::Leader)];
    assert_eq!(first_violation(trace), Some(Property::ElectionSafety));
    assert_eq!(
        first_violation(vec![role(1, 2, Role::Leader), role(2, 3, Role::Leader)]),
        None
    );
}

#[test]
fn leader_append_only() {
    let trace = vec![
        role(1, 1, Role::Leader),
        append(1, 1, 1, "a"),
        append(1, 2, 1, "b"),
        E::Protocol(RaftEvent::LogTruncate {
            node: n(1),
            from: LogIndex(2),
        }),
    ];
    assert_eq!(first_violation(trace), Some(Property::LeaderAppendOnly));
}

#[test]
fn log_matching() {
    // Same index and term, different history before it.
    let trace = vec![
        append(1, 1, 1, "a"),
        append(1, 2, 2, "c"),
        append(2, 1, 1, "b"),
        append(2, 2, 2, "c"),
    ];
    assert_eq!(first_violation(trace), Some(Property::LogMatching));
}

#[test]
fn leader_completeness() {
    let trace = vec![
        role(1, 1, Role::Leader),
        append(1, 1, 1, "a"),
        append(2, 1, 1, "a"),
        E::Protocol(RaftEvent::Commit {
            node: n(1),
            index: LogIndex(1),
        }),
        role(3, 2, Role::Leader),
    ];
    assert_eq!(first_violation(trace), Some(Property::LeaderCompleteness));
}

#[test]
fn state_machine_safety() {
    let trace = vec![apply(1, 1, 1, "a", None), apply(2, 1, 1, "b", None)];
    assert_eq!(first_violation(trace), Some(Property::StateMachineSafety));
}

#[test]
fn acknowledged_writes_durable() {
    let trace = vec![
        E::Protocol(RaftEvent::ClientRequest {
            client: ClientId(1),
            op: 1,
            cmd: put("a"),
        }),
        apply(1, 1, 1, "z", Some((2, 1))),
        E::Protocol(RaftEvent::ClientReply {
            client: ClientId(1),
            op: 1,
            ok: true,
            index: LogIndex(1),
            value: None,
        }),
    ];
    assert_eq!(first_violation(trace), Some(Property::AckedWritesDurable));
}

#[test]
fn linearizability_wrong_value_and_real_time_order() {
    // A put whose reply claims a previous value the log order cannot produce.
    let stale = vec![
        E::Protocol(RaftEvent::ClientRequest {
            client: ClientId(1),
            op: 1,
            cmd: put("a"),
        }),
        apply(1, 1, 1, "a", Some((1, 1))),
        E::Protocol(RaftEvent::ClientReply {
            client: ClientId(1),
            op: 1,
            ok: true,
            index: LogIndex(1),
            value: Some("ghost".into()),
        }),
    ];
    assert_eq!(first_violation(stale), Some(Property::Linearizability));
    // Operation 2 of client 2 is called after client 1's completed, yet sits before it.
    let reordered = vec![
        E::Protocol(RaftEvent::ClientRequest {
            client: ClientId(1),
            op: 1,
            cmd: put("a"),
        }),
        apply(1, 2, 1, "a", Some((1, 1))),
        E::Protocol(RaftEvent::ClientReply {
            client: ClientId(1),
            op: 1,
            ok: true,
            index: LogIndex(2),
            value: None,
        }),
        E::Protocol(RaftEvent::ClientRequest {
            client: ClientId(2),
            op: 1,
            cmd: put("b"),
        }),
        apply(1, 1, 1, "b", Some((2, 1))),
        E::Protocol(RaftEvent::ClientReply {
            client: ClientId(2),
            op: 1,
            ok: true,
            index: LogIndex(1),
            value: None,
        }),
    ];
    assert_eq!(first_violation(reordered), Some(Property::Linearizability));
}

#[test]
fn recovery_replay() {
    let trace = vec![
        apply(1, 1, 1, "a", None),
        E::Protocol(RaftEvent::RecoverDone {
            node: n(2),
            index: LogIndex(1),
            digest: 12345,
        }),
    ];
    assert_eq!(first_violation(trace), Some(Property::RecoveryReplay));
}
