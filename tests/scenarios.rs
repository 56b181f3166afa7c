#![cfg(not(target_arch = "wasm32"))]
//! Whole-cluster scenarios on the engine: crashes, snapshots, client retries, rewinding,
//! and the broken-Raft switches that the live checks must catch.

mod common;
use common::{scripted, Script};
use faultline::codec::trace_jsonl::to_jsonl;
use faultline::sim::fuzz::{Phases, Verdict};
use faultline::sim::raft::checks::Property;
use faultline::sim::raft::fuzz::run_seed;
use faultline::sim::raft::RaftEvent;
use faultline::sim::raft::{Bugs, Role};
use faultline::sim::trace::TraceEvent;
use faultline::sim::types::{LogIndex, NodeId};
use faultline::sim::{Action, Settings, Simulation};

/// Figure 2: votedFor is stable state. With the switch that forgets it in a crash, a server
/// votes twice in one term and two leaders are elected (Election Safety, section 5.2).
#[test]
fn forgetting_the_vote_elects_two_leaders() {
    let mut settings = scripted(3);
    settings.raft.bugs.forget_vote_on_restart = true;
    let mut s = Script::new(settings);
    s.timeout(1).run_ms(100);
    // S2 and S3 cannot hear each other; both campaign in term 2. S1 votes for S2, crashes,
    // restarts having forgotten, and votes for S3 too.
    s.act(Action::Cut {
        from: NodeId(2),
        to: NodeId(3),
        both: true,
    });
    s.timeout(2)
        .run_ms(5)
        .timeout(3)
        .run_ms(7)
        .crash(1)
        .run_ms(1)
        .restart(1)
        .run_ms(60);
    assert!(
        s.violated().contains(&Property::ElectionSafety),
        "{:?}",
        s.sim.violations()
    );
}

/// The same script with real Raft: S1 remembers its vote, so S3 loses.
#[test]
fn a_remembered_vote_keeps_one_leader_per_term() {
    let mut s = Script::new(scripted(3));
    s.timeout(1).run_ms(100);
    s.act(Action::Cut {
        from: NodeId(2),
        to: NodeId(3),
        both: true,
    });
    s.timeout(2)
        .run_ms(5)
        .timeout(3)
        .run_ms(7)
        .crash(1)
        .run_ms(1)
        .restart(1)
        .run_ms(60);
    assert!(s.violated().is_empty(), "{:?}", s.sim.violations());
    assert_eq!(s.role(2), Some(Role::Leader));
    assert_ne!(s.role(3), Some(Role::Leader));
}

/// A crash loses everything in memory; the restarted server knows only what its disk holds:
/// its log, and the commit index it wrote (as etcd's HardState keeps it), up to which it
/// replays entries into a fresh state machine before rejoining.
#[test]
fn restart_recovers_from_disk_only() {
    let mut s = Script::new(scripted(3));
    s.timeout(1).run_ms(100);
    for i in 0..5 {
        s.put(1, "x", &i.to_string()).run_ms(60);
    }
    let before = s.log_terms(3);
    let commit_before = s.commit(3);
    let kv_before = s
        .sim
        .node(NodeId(3))
        .and_then(|n| n.process.as_ref())
        .map(|r| r.kv().data.clone());
    s.crash(3).run_ms(0);
    assert!(s.sim.node(NodeId(3)).is_some_and(|n| n.is_down()));
    s.restart(3).run_ms(0);
    let raft = s
        .sim
        .node(NodeId(3))
        .and_then(|n| n.process.as_ref())
        .expect("restarted");
    assert_eq!(s.log_terms(3), before, "the log came back from disk");
    assert_eq!(
        raft.commit_index().0,
        commit_before,
        "the commit index came back from disk"
    );
    assert_eq!(
        Some(raft.kv().data.clone()),
        kv_before,
        "replay rebuilt the state machine"
    );
    s.run_ms(200);
    let raft = s
        .sim
        .node(NodeId(3))
        .and_then(|n| n.process.as_ref())
        .expect("up");
    assert_eq!(raft.kv().data.get("x").map(String::as_str), Some("4"));
    assert!(s.violated().is_empty(), "{:?}", s.sim.violations());
}

/// With a replay cost, recovery takes simulated time that grows with the log: the node
/// replays entry by entry, and neither votes nor serves until it is done.
#[test]
fn recovery_is_a_visible_process() {
    let mut settings = scripted(3);
    settings.disk.replay_us_per_entry = 5_000;
    let mut s = Script::new(settings);
    s.timeout(1).run_ms(100);
    for i in 0..10 {
        s.put(1, "x", &i.to_string()).run_ms(40);
    }
    s.crash(2).run_ms(0).restart(2).run_ms(20);
    let recovering = s
        .sim
        .node(NodeId(2))
        .and_then(|n| n.recovery.as_ref())
        .expect("still replaying");
    assert!(recovering.cursor > LogIndex(0) && recovering.cursor < recovering.target);
    assert!(
        s.sim.node(NodeId(2)).is_some_and(|n| n.process.is_none()),
        "not serving while replaying"
    );
    s.run_ms(200);
    let replays: Vec<u64> = s
        .sim
        .trace()
        .iter()
        .filter_map(|l| match l.event {
            TraceEvent::Protocol(RaftEvent::Replay {
                node: NodeId(2), ..
            }) => Some(l.t),
            _ => None,
        })
        .collect();
    assert!(replays.len() >= 10, "every committed entry is replayed");
    assert!(
        replays.windows(2).all(|w| w[1] - w[0] == 5_000),
        "one entry per 5 ms"
    );
    let dropped_while_recovering = s.sim.trace().iter().any(|l| {
        matches!(
            l.event,
            TraceEvent::Drop {
                reason: faultline::sim::net::DropReason::Recovering,
                ..
            }
        )
    });
    assert!(
        dropped_while_recovering,
        "heartbeats to the replaying node are not served"
    );
    assert!(s.sim.node(NodeId(2)).is_some_and(|n| n.is_up()));
    assert!(s.violated().is_empty(), "{:?}", s.sim.violations());
}

/// A power loss in the middle of a write leaves a torn record: recovery detects it by its
/// checksum, reports it, and never applies it.
#[test]
fn a_torn_record_is_discarded_on_restart() {
    let mut settings = scripted(3);
    settings.disk.sync = faultline::sim::disk::SyncPolicy::Never;
    let mut s = Script::new(settings);
    s.timeout(1).run_ms(100);
    for i in 0..4 {
        s.put(1, "x", &i.to_string()).run_ms(40);
    }
    let mode = faultline::sim::disk::CrashMode::TearLast;
    s.act(Action::Crash {
        node: NodeId(3),
        mode,
    })
    .run_ms(0)
    .restart(3)
    .run_ms(0);
    let torn = s.sim.trace().iter().any(|l| {
        matches!(
            l.event,
            TraceEvent::DiscardTorn {
                node: NodeId(3),
                ..
            }
        )
    });
    assert!(torn, "the torn record was found and discarded");
    assert!(
        !s.violated().contains(&Property::RecoveryReplay),
        "{:?}",
        s.sim.violations()
    );
}

/// Section 7: a follower that missed entries the leader has compacted is repaired with
/// InstallSnapshot and ends with the leader's state.
#[test]
fn install_snapshot_repairs_a_follower_behind_the_compacted_log() {
    let mut settings = scripted(3);
    settings.raft.snapshot_every_entries = Some(4);
    let mut s = Script::new(settings);
    s.timeout(1).run_ms(100);
    s.crash(3);
    for i in 0..12 {
        s.put(1, "k", &i.to_string()).run_ms(40);
    }
    let leader = s
        .sim
        .node(NodeId(1))
        .and_then(|n| n.process.as_ref())
        .expect("leader");
    assert!(
        leader.log().snapshot_index() > LogIndex(1),
        "the leader compacted its log"
    );
    s.restart(3).run_ms(300);
    let sent_snapshot = s.sim.trace().iter().any(|l| {
        matches!(&l.event, TraceEvent::Send { to, msg: faultline::sim::raft::Message::InstallSnapshot { .. }, .. } if *to == faultline::sim::types::Addr::Node(NodeId(3)))
    });
    assert!(sent_snapshot, "S3 was repaired by InstallSnapshot");
    let kv = |n: u32| {
        s.sim
            .node(NodeId(n))
            .and_then(|x| x.process.as_ref())
            .map(|r| r.kv().data.clone())
    };
    assert_eq!(kv(3), kv(1));
    assert!(s.violated().is_empty(), "{:?}", s.sim.violations());
}

/// Section 8: a client that retries after a lost reply has its request applied once.
#[test]
fn a_retried_request_is_applied_once() {
    let mut s = Script::new(scripted(3));
    s.timeout(1).run_ms(100);
    // Replies from the cluster to the client cannot be cut, so lose the leader instead:
    // it commits the entry, crashes before answering, and the client retries elsewhere.
    s.put(1, "x", "a")
        .run_ms(25)
        .crash(1)
        .timeout(2)
        .run_ms(1_000);
    let applied_at_two: Vec<u64> = s
        .sim
        .trace()
        .iter()
        .filter_map(|l| match &l.event {
            TraceEvent::Protocol(RaftEvent::Apply {
                node: NodeId(2),
                index,
                cmd,
                ..
            }) if cmd.op_name() == "put" => Some(index.0),
            _ => None,
        })
        .collect();
    let replies = s
        .sim
        .trace()
        .iter()
        .filter(|l| matches!(l.event, TraceEvent::Protocol(RaftEvent::ClientReply { .. })))
        .count();
    assert_eq!(replies, 1, "the client got its answer");
    assert!(!applied_at_two.is_empty());
    let raft = s
        .sim
        .node(NodeId(2))
        .and_then(|n| n.process.as_ref())
        .expect("up");
    let session = raft
        .kv()
        .sessions
        .get(&faultline::sim::types::ClientId(0))
        .map(|(r, _)| *r);
    assert_eq!(session, Some(1), "one request in the session table");
    assert!(s.violated().is_empty(), "{:?}", s.sim.violations());
}

/// A checkpoint (a clone) replayed with the same actions reproduces the same future: the
/// basis of rewinding on the page.
#[test]
fn a_checkpoint_reproduces_the_same_future() {
    let mut settings = Settings {
        seed: 99,
        ..Settings::default()
    };
    settings.workload.clients = 2;
    let mut sim = Simulation::new(settings).expect("valid");
    sim.run_until(1_000_000);
    let checkpoint = sim.clone();
    let actions = [
        (
            1_200_000,
            Action::Crash {
                node: NodeId(2),
                mode: Default::default(),
            },
        ),
        (1_900_000, Action::Restart { node: NodeId(2) }),
    ];
    let mut a = sim;
    let mut b = checkpoint;
    for (t, action) in &actions {
        a.schedule(*t, action.clone()).expect("valid");
        b.schedule(*t, action.clone()).expect("valid");
    }
    a.run_until(3_000_000);
    b.run_until(3_000_000);
    assert_eq!(to_jsonl(a.trace()), to_jsonl(b.trace()));
}

/// The broken-Raft switches are each caught by the live checks in a random fault search.
/// These seeds were found by `faultline fuzz --bug NAME` and are kept as regressions; the
/// searches themselves run in the README test command.
#[test]
fn fuzz_finds_each_broken_raft_switch() {
    let cases: [(Bugs, u64, Property); 3] = [
        (
            Bugs {
                vote_without_log_check: true,
                ..Bugs::default()
            },
            8,
            Property::LeaderCompleteness,
        ),
        (
            Bugs {
                forget_vote_on_restart: true,
                ..Bugs::default()
            },
            214,
            Property::ElectionSafety,
        ),
        (
            Bugs {
                commit_previous_term_by_count: true,
                ..Bugs::default()
            },
            1351,
            Property::LeaderCompleteness,
        ),
    ];
    for (bugs, seed, property) in cases {
        match run_seed(seed, None, &bugs, Phases::default()) {
            Verdict::Unsafe(v) => assert_eq!(v.property, property, "seed {seed}: {v}"),
            other => panic!(
                "seed {seed} with {bugs:?} should be unsafe, got {other:?}; if the engine changed, \
                 find a new seed with `faultline fuzz --bug NAME --seeds 5000 --expect-unsafe`"
            ),
        }
    }
}

/// Real Raft survives a sample of the same fault search.
#[test]
fn fuzz_sample_finds_nothing_in_real_raft() {
    for seed in 1..=20 {
        let verdict = run_seed(seed, None, &Bugs::default(), Phases::default());
        assert!(
            matches!(verdict, Verdict::Pass { .. } | Verdict::LossyDisk(_)),
            "seed {seed}: {verdict:?}"
        );
    }
}
