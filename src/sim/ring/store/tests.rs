//! Tests of the replicated ring store: re-replication after crashes, joins and removals
//! (Dynamo sections 4.6 and 4.8), quorums (section 4.5), partitions and determinism.

use super::*;
use crate::sim::ring::hash::xxh64;
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};
use std::collections::BTreeMap;

/// The store's own lines of the trace (the engine's framing left out).
fn ring_events(sim: &RingSim) -> Vec<RingEvent> {
    sim.trace()
        .iter()
        .filter_map(|l| l.event.protocol().cloned())
        .collect()
}

fn settings(replication: u32) -> RingSettings {
    RingSettings {
        nodes: 8,
        vnodes: 32,
        replication,
        write_quorum: replication.min(2),
        read_quorum: replication.min(2),
        keys: 5_000,
        ..RingSettings::default()
    }
}

/// A generous bound for one re-replication to finish in these settings (a few MB at 1 MB/s
/// spread over the senders, after a 1 s detection delay).
const QUIET_LIMIT_US: Micros = 120_000 * MICROS_PER_MS;

fn keys_listing(sim: &RingSim, node: NodeId) -> u32 {
    (0..sim.key_count())
        .filter(|k| sim.preference_list(*k).contains(&node))
        .count() as u32
}

fn kinds(sim: &RingSim) -> Vec<String> {
    sim.trace()
        .iter()
        .map(|line| {
            let json = serde_json::to_value(line).unwrap();
            json["kind"].as_str().unwrap().to_string()
        })
        .collect()
}

fn trace_hash(sim: &RingSim) -> u64 {
    // Every line with every field (the JSON form is the codec layer's, above the world).
    let text = format!("{:?}", sim.trace().iter().collect::<Vec<_>>());
    xxh64(text.as_bytes(), 0)
}

/// Every key has exactly R copies on running nodes, all on its preference list.
fn assert_whole(sim: &RingSim) {
    let r = sim.settings().replication;
    let up: Vec<NodeId> = sim
        .nodes()
        .iter()
        .filter(|n| n.status == NodeStatus::Up)
        .map(|n| n.id)
        .collect();
    for key in 0..sim.key_count() {
        let list = sim.preference_list(key);
        assert_eq!(list.len() as u32, r.min(up.len() as u32));
        let on_up: Vec<NodeId> = sim
            .replicas_of(key)
            .into_iter()
            .filter(|id| up.contains(id))
            .collect();
        let mut sorted_list = list.clone();
        sorted_list.sort_unstable();
        assert_eq!(on_up, sorted_list, "key {key}");
    }
    assert_eq!(sim.under_replicated(), 0);
}

/// Dynamo sections 4.6 and 4.8 with R >= 2: a crash loses no key; once the crash is noticed
/// the keys that listed the node are under-replicated (exactly those, since only their
/// preference lists changed), the new owners stream them in from survivors, and the count
/// falls monotonically back to 0 with every key on R nodes again.
#[test]
fn crash_rereplicates_without_loss() {
    for (seed, replication) in [(1u64, 2u32), (1, 3), (2, 2), (3, 3), (4, 5)] {
        let mut sim = RingSim::new(RingSettings {
            seed,
            ..settings(replication)
        })
        .unwrap();
        assert_whole(&sim);
        let victim = NodeId(1 + SimRng::stream(seed, Stream::Faults).below(8) as u32);
        let listing = keys_listing(&sim, victim);
        assert!(listing > 0);
        sim.act(RingAction::Crash { node: victim }).unwrap();
        assert_eq!(
            sim.under_replicated(),
            0,
            "not noticed yet: still on the ring"
        );
        let detect = sim.settings().failure_detection_us;
        sim.run_until(detect);
        assert_eq!(sim.under_replicated(), listing);
        assert!(sim.transfers_in_flight() > 0);
        let mut previous = sim.under_replicated();
        while sim.step() {
            assert_eq!(sim.unavailable_keys(), 0);
            assert_eq!(sim.lost_keys(), 0);
            assert!(
                sim.under_replicated() <= previous,
                "rises only on membership changes"
            );
            previous = sim.under_replicated();
            assert!(sim.now_us() < QUIET_LIMIT_US);
        }
        assert_whole(&sim);
        assert!(sim.messages().all(|m| m.from != victim && m.to != victim));
        let kinds = kinds(&sim);
        let at = |k: &str| kinds.iter().position(|x| x == k).unwrap();
        // The engine's `crash` line is the store's former `node_crashed`.
        assert!(at("crash") < at("node_down_detected"));
        assert!(at("node_down_detected") < at("ring_transfer_start"));
        assert!(at("ring_transfer_start") < at("ring_transfer_done"));
        assert_eq!(kinds.last().unwrap(), "ring_fully_replicated");
        // The crashed node's disk still holds its copies, beyond the R on running nodes.
        let histogram = sim.replica_histogram();
        assert_eq!(histogram[replication as usize], sim.key_count());
        assert!(!kinds.iter().any(|k| k == "ring_transfer_lost"));
    }
}

/// A restarted node rejoins with its disk: its ranges are whole at once, and the stand-ins'
/// copies are dropped (Dynamo section 4.6: hinted replicas are deleted after hand-off).
#[test]
fn restart_takes_ranges_back_and_drops_stand_in_copies() {
    let mut sim = RingSim::new(settings(3)).unwrap();
    let before: Vec<(NodeId, u32)> = sim.copies_per_node();
    sim.act(RingAction::Crash { node: NodeId(5) }).unwrap();
    sim.run_until_quiet(QUIET_LIMIT_US);
    assert_whole(&sim);
    sim.act(RingAction::Restart { node: NodeId(5) }).unwrap();
    assert_eq!(sim.under_replicated(), 0);
    sim.run_until_quiet(2 * QUIET_LIMIT_US);
    assert_whole(&sim);
    assert_eq!(
        sim.copies_per_node(),
        before,
        "back to the original placement"
    );
    assert!(kinds(&sim).iter().any(|k| k == "ring_rebalance"));
}

/// Karger et al. 1997 section 4 and Dynamo section 4.2: a new node takes about R/(n+1) of the
/// key copies, streamed in; the previous owners drop theirs, so copies stay at R per key.
#[test]
fn added_node_streams_its_ranges_in() {
    let mut sim = RingSim::new(settings(3)).unwrap();
    sim.act(RingAction::Add).unwrap();
    let new_node = NodeId(9);
    let listing = keys_listing(&sim, new_node);
    assert_eq!(sim.under_replicated(), listing);
    assert!(sim.messages().all(|m| m.to == new_node));
    sim.run_until_quiet(QUIET_LIMIT_US);
    assert_whole(&sim);
    let copies: u32 = sim.copies_per_node().iter().map(|(_, c)| c).sum();
    assert_eq!(copies, 3 * sim.key_count());
    // Expected R K/(n+1) = 3 * 5000 / 9 = 1667; with 32 tokens a node's share has relative
    // sd about 1/sqrt(32) = 0.18, so allow +- 60%.
    let held = sim.copies_per_node()[8].1 as f64;
    assert!((held / (3.0 * 5000.0 / 9.0) - 1.0).abs() < 0.6, "{held}");
}

/// A removed node leaves the ring at once, serves as a source until every key it held is
/// whole elsewhere, and then is gone without losing a key.
#[test]
fn removed_node_hands_off_then_leaves() {
    let mut sim = RingSim::new(settings(2)).unwrap();
    sim.act(RingAction::Remove { node: NodeId(4) }).unwrap();
    assert_eq!(sim.nodes()[3].status, NodeStatus::Leaving);
    assert!(sim.under_replicated() > 0);
    sim.run_until_quiet(QUIET_LIMIT_US);
    assert_whole(&sim);
    assert!(sim.nodes().iter().all(|n| n.id != NodeId(4)));
    assert!(ring_events(&sim).contains(&RingEvent::NodeRemoved {
        node: NodeId(4),
        keys_lost: 0
    }));
    // The freed id is reused by the next node.
    sim.act(RingAction::Add).unwrap();
    assert!(sim.nodes().iter().any(|n| n.id == NodeId(4)));
}

/// With R = 1 a crash makes the node's keys unavailable at once; they are not lost while its
/// disk exists, and they are lost when the crashed node is removed.
#[test]
fn single_replicas_are_unavailable_then_lost() {
    let mut sim = RingSim::new(settings(1)).unwrap();
    let victim = NodeId(2);
    let held = keys_listing(&sim, victim);
    sim.act(RingAction::Crash { node: victim }).unwrap();
    assert_eq!(sim.unavailable_keys(), held);
    sim.run_until_quiet(QUIET_LIMIT_US);
    assert_eq!(
        sim.under_replicated(),
        held,
        "no surviving replica to copy from"
    );
    assert_eq!(sim.lost_keys(), 0);
    sim.act(RingAction::Remove { node: victim }).unwrap();
    assert_eq!(sim.lost_keys(), held);
    assert!(ring_events(&sim).contains(&RingEvent::NodeRemoved {
        node: victim,
        keys_lost: held
    }));
}

/// Dynamo section 4.5: with R_read + W > R a read overlaps the last successful write even
/// with one replica down; with R_read = W = 1 a read can miss it.
#[test]
fn quorums_decide_whether_reads_see_the_latest_write() {
    let key = 7;
    let overlap = RingSettings {
        replication: 3,
        write_quorum: 2,
        read_quorum: 2,
        ..settings(3)
    };
    assert!(overlap.quorums_overlap());
    let mut sim = RingSim::new(overlap).unwrap();
    let list = sim.preference_list(key);
    sim.act(RingAction::Crash { node: list[2] }).unwrap();
    sim.act(RingAction::Put { key }).unwrap();
    sim.run_until(sim.now_us() + 50 * MICROS_PER_MS);
    sim.act(RingAction::Get { key }).unwrap();
    sim.run_until(sim.now_us() + 50 * MICROS_PER_MS);
    let events = ring_events(&sim);
    let done: Vec<&RingEvent> = events.iter().collect();
    assert!(done.iter().any(|e| matches!(
        e,
        RingEvent::PutDone {
            key: k,
            coordinator: Some(c),
            ok: true,
            acks: 2,
            ..
        } if *k == key && *c == list[0]
    )));
    assert!(done.iter().any(|e| matches!(
        e,
        RingEvent::GetDone {
            ok: true,
            latest: true,
            ..
        }
    )));

    let sloppy = RingSettings {
        write_quorum: 1,
        read_quorum: 1,
        ..overlap_free()
    };
    let mut sim = RingSim::new(sloppy).unwrap();
    let list = sim.preference_list(key);
    // The write reaches only its coordinator, which then crashes.
    for other in &list[1..] {
        sim.act(RingAction::Cut {
            from: list[0],
            to: *other,
            both: true,
        })
        .unwrap();
    }
    sim.act(RingAction::Put { key }).unwrap();
    sim.run_until(sim.now_us() + 10 * MICROS_PER_MS);
    sim.act(RingAction::Crash { node: list[0] }).unwrap();
    sim.act(RingAction::Heal).unwrap();
    sim.act(RingAction::Get { key }).unwrap();
    sim.run_until(sim.now_us() + 50 * MICROS_PER_MS);
    let owned = ring_events(&sim);
    let events: Vec<&RingEvent> = owned.iter().collect();
    assert!(events.iter().any(|e| matches!(
        e,
        RingEvent::PutDone {
            ok: true,
            acks: 1,
            ..
        }
    )));
    assert!(events.iter().any(|e| matches!(
        e,
        RingEvent::GetDone {
            key: k,
            coordinator: Some(c),
            ok: true,
            replies: 1,
            latest: false,
            ..
        } if *k == key && *c == list[1]
    )));
}

fn overlap_free() -> RingSettings {
    settings(3)
}

/// A write that cannot reach W replicas fails at its timeout.
#[test]
fn writes_without_quorum_time_out() {
    let strict = RingSettings {
        write_quorum: 3,
        ..settings(3)
    };
    let mut sim = RingSim::new(strict).unwrap();
    let list = sim.preference_list(0);
    sim.act(RingAction::Crash { node: list[1] }).unwrap();
    sim.act(RingAction::Put { key: 0 }).unwrap();
    sim.run_until(sim.settings().request_timeout_us);
    assert!(ring_events(&sim).iter().any(|e| matches!(
        e,
        RingEvent::PutDone {
            ok: false,
            acks: 2,
            ..
        }
    )));
}

/// Transfers need the network: keys bound for a node cut off by a partition stay
/// under-replicated until the partition heals.
#[test]
fn partitions_hold_transfers_back_until_healed() {
    let mut sim = RingSim::new(settings(3)).unwrap();
    sim.act(RingAction::Partition {
        groups: vec![vec![NodeId(1)]],
    })
    .unwrap();
    sim.act(RingAction::Crash { node: NodeId(2) }).unwrap();
    sim.run_until_quiet(QUIET_LIMIT_US);
    let stuck = sim.under_replicated();
    assert!(stuck > 0, "node 1 cannot receive its new ranges");
    assert_eq!(sim.lost_keys(), 0);
    sim.act(RingAction::Heal).unwrap();
    sim.run_until_quiet(2 * QUIET_LIMIT_US);
    assert_whole(&sim);
}

/// A transfer takes its bytes over the sender's bandwidth plus the latency, and one sender's
/// transfers go one after another.
#[test]
fn transfers_take_bandwidth_time() {
    let mut sim = RingSim::new(settings(3)).unwrap();
    sim.act(RingAction::Add).unwrap();
    let s = sim.settings().clone();
    let mut by_sender: BTreeMap<NodeId, Vec<(Micros, Micros)>> = BTreeMap::new();
    for m in sim.messages() {
        assert_eq!(m.kind, MessageKind::Transfer);
        let bytes = m.keys as u64 * (s.value_bytes as u64 + settings::KEY_OVERHEAD_BYTES);
        assert_eq!(m.bytes, bytes);
        let transmit = (bytes * 1_000_000).div_ceil(s.bandwidth_bytes_per_s);
        assert_eq!(m.deliver_us - m.sent_us, transmit + s.latency_us);
        by_sender
            .entry(m.from)
            .or_default()
            .push((m.sent_us, m.deliver_us - s.latency_us));
    }
    for spans in by_sender.values_mut() {
        spans.sort_unstable();
        assert_eq!(spans[0].0, 0);
        for pair in spans.windows(2) {
            assert_eq!(pair[0].1, pair[1].0, "back to back on one link");
        }
    }
}

/// The same settings and actions give the same trace, byte for byte; a clone taken mid-run
/// (a time-travel checkpoint) continues exactly like the original.
#[test]
fn runs_are_deterministic_and_clones_replay() {
    let run = |seed: u64| {
        let mut sim = RingSim::new(RingSettings {
            seed,
            workload_interval_us: 5 * MICROS_PER_MS,
            ..settings(3)
        })
        .unwrap();
        sim.run_until(200 * MICROS_PER_MS);
        sim.act(RingAction::Crash { node: NodeId(6) }).unwrap();
        sim.act(RingAction::Add).unwrap();
        sim.run_until(1_500 * MICROS_PER_MS);
        let checkpoint = sim.clone();
        sim.act(RingAction::Cut {
            from: NodeId(1),
            to: NodeId(2),
            both: false,
        })
        .unwrap();
        sim.run_until(4_000 * MICROS_PER_MS);
        (sim, checkpoint)
    };
    let (a, checkpoint) = run(11);
    let (b, _) = run(11);
    assert_eq!(trace_hash(&a), trace_hash(&b));
    assert_eq!(a, b);
    let (c, _) = run(12);
    assert_ne!(trace_hash(&a), trace_hash(&c));
    let mut replay = checkpoint.clone();
    replay
        .act(RingAction::Cut {
            from: NodeId(1),
            to: NodeId(2),
            both: false,
        })
        .unwrap();
    replay.run_until(4_000 * MICROS_PER_MS);
    assert_eq!(replay, a);
    assert!(checkpoint.trace().len() < a.trace().len());
}

#[test]
fn bad_actions_and_settings_name_what_is_wrong() {
    let mut sim = RingSim::new(settings(3)).unwrap();
    assert!(sim
        .act(RingAction::Crash { node: NodeId(99) })
        .unwrap_err()
        .contains("99"));
    assert!(sim
        .act(RingAction::Restart { node: NodeId(1) })
        .unwrap_err()
        .contains("already up"));
    assert!(sim
        .act(RingAction::Put { key: 5_000 })
        .unwrap_err()
        .contains("key 5000"));
    assert!(sim
        .act(RingAction::Cut {
            from: NodeId(0),
            to: NodeId(1),
            both: true
        })
        .is_err());
    let bad = RingSettings {
        write_quorum: 4,
        ..settings(3)
    };
    assert!(RingSim::new(bad).unwrap_err().contains("write_quorum"));
    let one = RingSettings {
        nodes: 1,
        replication: 1,
        write_quorum: 1,
        read_quorum: 1,
        ..settings(1)
    };
    let mut lonely = RingSim::new(one).unwrap();
    assert!(lonely
        .act(RingAction::Remove { node: NodeId(1) })
        .unwrap_err()
        .contains("last"));
}

/// The trace and actions use the documented JSON shapes.
#[test]
fn trace_and_actions_serialize_as_documented() {
    let mut sim = RingSim::new(settings(3)).unwrap();
    sim.act(RingAction::Crash { node: NodeId(1) }).unwrap();
    sim.run_until(sim.settings().failure_detection_us + 1);
    let json: Vec<String> = sim
        .trace()
        .iter()
        .map(|l| serde_json::to_string(l).unwrap())
        .collect();
    // The run's shape comes first, then the engine's `crash` line (the store's former
    // `node_crashed`, same fields).
    assert!(json[0].starts_with(r#"{"t":0,"kind":"ring_started","nodes":8,"#));
    assert_eq!(json[1], r#"{"t":0,"kind":"crash","node":1}"#);
    assert!(json
        .iter()
        .any(|l| l.contains(r#""kind":"node_down_detected""#)));
    assert!(json
        .iter()
        .any(|l| l.contains(r#""kind":"ring_transfer_start""#)));
    let back: RingTraceLine = serde_json::from_str(&json[1]).unwrap();
    assert_eq!(Some(&back), sim.trace().get(1));
    let action: RingAction = serde_json::from_str(r#"{"action":"crash","node":3}"#).unwrap();
    assert_eq!(action, RingAction::Crash { node: NodeId(3) });
    let add: RingAction = serde_json::from_str(r#"{"action":"add"}"#).unwrap();
    assert_eq!(add, RingAction::Add);
}

/// A crash of either end breaks a transfer, even if the node restarts before it would have
/// arrived; the keys are planned again once nothing is in flight.
#[test]
fn crashes_break_transfers_in_flight() {
    let mut sim = RingSim::new(settings(3)).unwrap();
    sim.act(RingAction::Add).unwrap();
    let first = sim.messages().next().unwrap().clone();
    sim.act(RingAction::Crash { node: first.from }).unwrap();
    sim.act(RingAction::Restart { node: first.from }).unwrap();
    sim.run_until_quiet(QUIET_LIMIT_US);
    assert!(ring_events(&sim).contains(&RingEvent::RingTransferLost {
        id: first.id,
        from: first.from,
        to: first.to,
        keys: first.keys,
        reason: LossReason::SenderDown
    }));
    assert_whole(&sim);
}

/// The page sweeps `replica_count` to draw where keys wait for copies: it agrees with the
/// under-replicated counter before, during and after re-replication.
#[test]
fn replica_count_agrees_with_the_counter() {
    let mut sim = RingSim::new(settings(3)).unwrap();
    let short = |sim: &RingSim| {
        (0..sim.key_count())
            .filter(|k| sim.replica_count(*k) < 3)
            .count() as u32
    };
    assert_eq!(short(&sim), 0);
    sim.act(RingAction::Crash { node: NodeId(2) }).unwrap();
    sim.run_until(sim.settings().failure_detection_us);
    assert!(sim.under_replicated() > 0);
    assert_eq!(short(&sim), sim.under_replicated());
    sim.step();
    assert_eq!(short(&sim), sim.under_replicated());
    sim.run_until_quiet(QUIET_LIMIT_US);
    assert_eq!(short(&sim), 0);
    assert_eq!(sim.replica_count(sim.key_count()), 0, "no such key");
}
