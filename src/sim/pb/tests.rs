//! Primary-backup's rules and scenarios, each citing its source: MIT 6.824 Lab 2's view
//! service, VMware FT's fencing (Scales et al. 2010, "The Design of a Practical System for
//! Fault-Tolerant Virtual Machines", section 2.3, the test-and-set on shared storage), and
//! Alsberg & Day 1976 ("A Principle for Resilient Sharing of Distributed Resources").

use super::checks::Property;
use super::config::{PbConfig, Replication, VIEW_SERVICE};
use super::driver::{PbAction, PbSettings};
use super::fuzz::SearchOptions;
use super::message::Message;
use super::note::Note;
use super::types::{Out, PrimaryBackup, View};
use super::view_service::ViewService;
use crate::sim::engine::Engine;
use crate::sim::fuzz::{Fuzz, Phases};
use crate::sim::protocol::{Effect, Event};
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};

const MS: Micros = MICROS_PER_MS;
const S2: NodeId = NodeId(2);
const S3: NodeId = NodeId(3);
const S4: NodeId = NodeId(4);

/// The view a view service answers a ping with.
fn answered(out: &Out) -> Option<View> {
    out.iter().rev().find_map(|e| match e {
        Effect::Send {
            msg: Message::ViewReply { view, .. },
            ..
        } => Some(view.clone()),
        _ => None,
    })
}

fn ping(vs: &mut ViewService, config: &PbConfig, at_us: Micros, from: NodeId, view: u64) -> View {
    let mut out = Vec::new();
    vs.on_ping(config, at_us, from, (view, 0, at_us), &mut out);
    answered(&out).expect("a ping is answered")
}

/// 6.824 Lab 2A: the first server to ping becomes the first primary; the view service does
/// not move on until that primary acknowledges the view by pinging with its number; and the
/// primary of a new view is a backup of the view before.
#[test]
fn the_view_service_follows_the_6824_rules() {
    let config = PbConfig::default();
    let mut vs = ViewService::boot(VIEW_SERVICE, &config, 0, &[], &mut Vec::new());
    let v1 = ping(&mut vs, &config, MS, S2, 0);
    assert_eq!(
        (v1.num, v1.primary),
        (1, Some(S2)),
        "the first pinger is primary"
    );
    // S3 pings before S2 acknowledged view 1: no view 2 yet.
    let still = ping(&mut vs, &config, 2 * MS, S3, 0);
    assert_eq!(
        still.num, 1,
        "no new view before the primary's acknowledgement"
    );
    let v2 = ping(&mut vs, &config, 3 * MS, S2, 1);
    assert_eq!(v2.num, 2, "acknowledged: S3 joins as a backup");
    assert_eq!(v2.backups, vec![S3]);
    ping(&mut vs, &config, 4 * MS, S4, 0);
    ping(&mut vs, &config, 5 * MS, S2, 2);
    let v3 = ping(&mut vs, &config, 6 * MS, S3, 2);
    assert_eq!(v3.backups, vec![S3, S4]);
    ping(&mut vs, &config, 6 * MS, S2, 3);
    assert!(vs.acked, "S2 acknowledged view 3");
    // S2 falls silent; S3 and S4 keep pinging until the timeout has passed.
    let mut t = 6 * MS;
    while t < 6 * MS + config.dead_timeout_us + config.lease_us {
        t += config.ping_interval_us;
        ping(&mut vs, &config, t, S3, 3);
        ping(&mut vs, &config, t, S4, 3);
    }
    vs.on_tick(&config, t, &mut Vec::new());
    assert_eq!(vs.view.num, 4);
    assert_eq!(vs.view.primary, Some(S3), "a backup of view 3 is promoted");
}

/// The lease (VMware FT's rule that only one primary may go live, Scales et al. 2010,
/// section 2.3): the service promotes no one before the lease it granted has run out, even
/// when it has declared the primary dead.
#[test]
fn the_view_service_waits_for_the_lease_before_promoting() {
    let config = PbConfig {
        dead_timeout_us: 100 * MS,
        lease_us: 400 * MS,
        ..PbConfig::default()
    };
    let mut vs = ViewService::boot(VIEW_SERVICE, &config, 0, &[], &mut Vec::new());
    ping(&mut vs, &config, MS, S2, 0);
    ping(&mut vs, &config, 2 * MS, S3, 0);
    ping(&mut vs, &config, 3 * MS, S2, 1);
    ping(&mut vs, &config, 4 * MS, S3, 2);
    let granted_us = 5 * MS;
    ping(&mut vs, &config, granted_us, S2, 2);
    assert!(vs.acked);
    let mut t = granted_us;
    while t < granted_us + config.lease_us - MS {
        t += 10 * MS;
        ping(
            &mut vs,
            &config,
            t.min(granted_us + config.lease_us - MS),
            S3,
            2,
        );
        assert_eq!(vs.view.primary, Some(S2), "the lease still runs at {t}us");
    }
    ping(&mut vs, &config, granted_us + config.lease_us, S3, 2);
    assert_eq!(
        vs.view.primary,
        Some(S3),
        "promoted once the lease has run out"
    );
}

/// A run of the default settings with `tune` applied and `actions` scheduled.
fn scenario(
    replication: Replication,
    tune: impl FnOnce(&mut PbSettings),
    actions: &[(Micros, PbAction)],
    until_us: Micros,
) -> Engine<PrimaryBackup> {
    let mut settings = PbSettings {
        seed: 7,
        ..PbSettings::default()
    };
    settings.pb.replication = replication;
    tune(&mut settings);
    let mut engine = Engine::new(settings).expect("valid settings");
    for (at_us, action) in actions {
        engine
            .schedule(*at_us, action.clone())
            .expect("valid action");
    }
    engine.run_until(until_us);
    engine
}

fn notes(engine: &Engine<PrimaryBackup>) -> impl Iterator<Item = (Micros, &Note)> {
    engine.trace().iter().filter_map(|l| match &l.event {
        Event::Protocol(n) => Some((l.t, n)),
        _ => None,
    })
}

/// Hot standby (Alsberg & Day's primary answers after its backups have the update): a
/// crashed primary's backup takes over and no acknowledged write is lost.
#[test]
fn hot_failover_loses_nothing() {
    let crash = PbAction::CrashPrimary {
        down_us: 2_000 * MS,
    };
    let engine = scenario(
        Replication::Hot,
        |_| {},
        &[(3_000 * MS, crash)],
        10_000 * MS,
    );
    assert!(engine.violations().is_empty(), "{:?}", engine.violations());
    let failovers = engine.checks.failovers();
    assert_eq!(failovers.len(), 1, "one failover, finished");
    assert!(failovers[0].new_primary != Some(failovers[0].primary));
    assert!(engine.checks.expected_losses().is_empty());
    assert!(engine.world().completed() > 100);
}

/// A paused primary (stopped, not crashed: Kleppmann's garbage-collection pause) is a live
/// server the view service wrongly suspects: it promotes a backup, and when the pause ends the
/// old primary runs on believing it is primary. Its lease ran out meanwhile, so it answers
/// nobody (Scales et al. 2010, section 2.3: only one primary may go live); without the lease
/// it answers the requests that waited for it, in a view that is no longer the service's.
#[test]
fn a_paused_primary_is_suspected_and_its_lease_keeps_it_quiet() {
    let run = |tune: fn(&mut PbSettings)| {
        let mut settings = super::page::page_settings(Replication::Hot);
        tune(&mut settings);
        let mut engine = Engine::<PrimaryBackup>::new(settings).expect("valid settings");
        engine.run_until(3_000 * MS);
        let paused = super::driver::current_primary(&engine).expect("a primary");
        engine.act(super::page::pause_primary()).expect("valid");
        engine.run_until(3_000 * MS + super::page::PAGE_PAUSE_US - 1);
        (engine, paused)
    };
    let (mut engine, paused) = run(|_| {});
    let line = notes(&engine)
        .find(|(_, n)| matches!(n, Note::PbPause { .. }))
        .map(|(_, n)| n.clone());
    assert_eq!(
        line,
        Some(Note::PbPause {
            node: paused,
            until_us: 3_000 * MS + super::page::PAGE_PAUSE_US
        })
    );
    // Nothing of the paused node ran while it was stopped: no line names it.
    assert!(!notes(&engine).any(|(t, n)| t > 3_000 * MS
        && n.node() == Some(paused)
        && !matches!(n, Note::PbPause { .. })));
    assert_eq!(
        engine.checks().false_suspicions(),
        1,
        "suspected while alive"
    );
    assert_ne!(super::driver::current_primary(&engine), Some(paused));
    engine.run_until(8_000 * MS);
    assert!(engine.violations().is_empty(), "{:?}", engine.violations());
    assert!(
        engine.node(paused).is_some_and(|n| n.is_up()),
        "never crashed"
    );

    // Warm mode answers writes without the backups, so the resumed primary surely answers.
    let (mut engine, _) = run(|s| {
        s.pb.replication = Replication::Warm;
        s.pb.bugs.no_lease = true;
    });
    engine.run_until(8_000 * MS);
    assert!(
        engine
            .violations()
            .iter()
            .any(|v| v.property == Property::PrimaryHoldsTheView),
        "without the lease the resumed primary answers: {:?}",
        engine.violations().first()
    );
}

/// The fault search's run of `seed`, with its trace kept.
fn fuzz_run(seed: u64, options: &SearchOptions) -> Engine<PrimaryBackup> {
    let phases = Phases::default();
    let settings = PrimaryBackup::settings_for_seed(seed, None, options);
    let schedule = PrimaryBackup::fault_schedule(&settings, phases.safety_us);
    let mut engine = Engine::new(settings).expect("valid settings");
    for a in schedule {
        engine.schedule(a.at_us, a.action).expect("valid action");
    }
    engine.run_until(phases.safety_us + phases.liveness_us);
    engine
}

/// Writes the trace of a fuzz seed to /tmp for reading (run by hand with `--ignored`).
#[test]
#[ignore]
fn dump_a_fuzz_seed() {
    let seed: u64 = std::env::var("PB_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let replication = std::env::var("PB_MODE")
        .ok()
        .and_then(|m| Replication::from_name(&m))
        .unwrap_or_default();
    let options = SearchOptions {
        replication,
        ..SearchOptions::default()
    };
    let engine = fuzz_run(seed, &options);
    let lines: Vec<String> = engine
        .trace()
        .iter()
        .map(|l| serde_json::to_string(l).unwrap())
        .collect();
    std::fs::write("/tmp/pb-trace.jsonl", lines.join("\n")).unwrap();
    println!("{:?}", engine.violations().first());
    println!("{:#?}", engine.settings().pb);
}

/// Warm standby: the client is answered before the write is shipped, so a crash loses
/// exactly the acknowledged writes the promoted backup had not received, and the checks name
/// them as expected losses, not violations.
#[test]
fn warm_failover_loses_exactly_the_unshipped_tail() {
    let slow_backups = |s: &mut PbSettings| {
        s.pb.clients = 8;
        s.pb.think_us = 0;
        s.network.latency_us_min = 20 * MS;
        s.network.latency_us_max = 20 * MS;
        s.pb.ship_interval_us = 100 * MS;
    };
    let crash = PbAction::CrashPrimary {
        down_us: 2_000 * MS,
    };
    let engine = scenario(
        Replication::Warm,
        slow_backups,
        &[(3_030 * MS, crash)],
        8_000 * MS,
    );
    assert!(engine.violations().is_empty(), "{:?}", engine.violations());
    let failover = engine.checks.failovers()[0].clone();
    let new_primary = failover.new_primary.expect("a backup took over");
    // The tail: what the old primary acknowledged beyond what the new one carries on from.
    let through = notes(&engine)
        .find_map(|(_, n)| match n {
            Note::PbPrimary { node, through, .. } if *node == new_primary => Some(*through),
            _ => None,
        })
        .expect("the new primary's history");
    let mut tail: Vec<(u64, u64)> = notes(&engine)
        .filter_map(|(t, n)| match n {
            Note::PbServe {
                node,
                index,
                request,
                write: true,
                ..
            } if *node == failover.primary && t <= failover.crashed_us => {
                Some((index >> super::types::READ_BITS, *request))
            }
            _ => None,
        })
        .filter(|(seq, _)| *seq > through)
        .collect();
    tail.sort();
    tail.dedup();
    let mut lost: Vec<(u64, u64)> = engine
        .checks
        .expected_losses()
        .iter()
        .map(|l| (l.seq, l.request))
        .collect();
    lost.sort();
    assert!(!lost.is_empty(), "writes in flight to the backups are lost");
    assert_eq!(lost, tail, "exactly the unshipped acknowledged tail");
    assert_eq!(failover.lost_writes, lost.len() as u64);
}

/// Cold standby: the standby replays the log since the last checkpoint, so its takeover
/// takes longer the longer the log and the rarer the checkpoints.
#[test]
fn cold_takeover_time_grows_with_the_log() {
    let replay_of = |crash_at_us: Micros, every: u32| {
        let tune = |s: &mut PbSettings| {
            s.pb.checkpoint_every_writes = every;
            s.pb.replay_us_per_entry = 2 * MS;
        };
        let crash = PbAction::CrashPrimary {
            down_us: 1_000 * MS,
        };
        let engine = scenario(
            Replication::Cold,
            tune,
            &[(crash_at_us, crash)],
            crash_at_us + 3_000 * MS,
        );
        assert!(engine.violations().is_empty(), "{:?}", engine.violations());
        let f = engine.checks.failovers()[0].clone();
        let took_us = f.served_us.expect("the standby served") - f.crashed_us;
        (f.replay_us.expect("the standby replayed"), took_us)
    };
    let (short_log, short_took) = replay_of(1_000 * MS, 0);
    let (long_log, long_took) = replay_of(4_000 * MS, 0);
    let (checkpointed, checkpointed_took) = replay_of(4_000 * MS, 20);
    assert!(long_log > 2 * short_log, "{long_log} vs {short_log}");
    assert!(long_took > short_took, "{long_took} vs {short_took}");
    assert!(checkpointed < long_log / 2, "{checkpointed} vs {long_log}");
    assert!(checkpointed_took < long_took);
}

/// Split brain: a primary cut off from the view service (clients still reach it) stops
/// serving when its lease runs out, before the view service promotes a backup; its backups
/// refuse what it still forwards. With the lease switched off the checks name the property.
#[test]
fn a_partitioned_primary_serves_nothing_after_its_lease() {
    let isolate = PbAction::IsolatePrimary { for_us: 3_000 * MS };
    let at_us = 3_000 * MS;
    let engine = scenario(
        Replication::Hot,
        |_| {},
        &[(at_us, isolate.clone())],
        8_000 * MS,
    );
    assert!(engine.violations().is_empty(), "{:?}", engine.violations());
    let lease_us = engine.settings().pb.lease_us;
    let old = notes(&engine)
        .filter(|(t, _)| *t <= at_us)
        .filter_map(|(_, n)| match n {
            Note::PbView { view, .. } => view.primary,
            _ => None,
        })
        .last()
        .expect("a primary before the cut");
    let new_view_us = notes(&engine)
        .find_map(|(t, n)| match n {
            Note::PbView { view, .. } if view.primary.is_some_and(|p| p != old) => Some(t),
            _ => None,
        })
        .expect("a backup was promoted");
    let last_served_us = notes(&engine)
        .filter_map(|(t, n)| match n {
            Note::PbServe { node, .. } if *node == old && t < new_view_us + 3_000 * MS => Some(t),
            _ => None,
        })
        .max()
        .expect("it served before");
    assert!(
        last_served_us < at_us + lease_us,
        "served at {last_served_us}us"
    );
    assert!(last_served_us < new_view_us);

    let no_lease = |s: &mut PbSettings| s.pb.bugs.no_lease = true;
    let broken = scenario(Replication::Hot, no_lease, &[(at_us, isolate)], 8_000 * MS);
    let first = broken.violations().first().expect("the checks catch it");
    assert_eq!(first.property, Property::PrimaryHoldsTheView, "{first}");
}

/// Fencing (Scales et al. 2010, section 2.3: a deposed primary must not reach the state the
/// new one serves from): a backup that holds a newer view refuses an older view's forward and
/// says which view it holds; so does the storage once a new primary's load has fenced it.
#[test]
fn backups_and_storage_refuse_older_views() {
    use super::server::Server;
    use super::storage::Storage;
    use super::types::Entry;
    use crate::sim::kv::Command;
    use crate::sim::protocol::Input;
    use crate::sim::types::{Addr, ClientId};
    let config = PbConfig::default();
    let entry = Entry {
        seq: 1,
        client: ClientId(1),
        request: 1,
        cmd: Command::Get { key: "k".into() },
    };
    let refused = |out: &Out| {
        out.iter().any(|e| {
            matches!(
                e,
                Effect::Send {
                    msg: Message::Fenced { view: 3 },
                    ..
                }
            )
        })
    };
    let mut backup = Server::boot(S3, &config, 0, &mut Vec::new());
    let mut out = Vec::new();
    let install = Message::Install {
        view: 3,
        seq: 0,
        store: Default::default(),
    };
    let mut node = super::node::PbNode::Server(Box::new(backup.clone()));
    let mut rng = crate::sim::rng::SimRng::stream(1, crate::sim::rng::Stream::Node(3));
    let mut ctx = crate::sim::protocol::Context {
        id: S3,
        nodes: config.nodes(),
        config: &config,
        now_us: MS,
        observing: true,
        rng: &mut rng,
    };
    node.handle(
        &mut ctx,
        Input::Receive {
            from: Addr::Node(S2),
            msg: install,
        },
        &mut out,
    );
    out.clear();
    let forward = Message::Forward {
        view: 2,
        entry: entry.clone(),
    };
    node.handle(
        &mut ctx,
        Input::Receive {
            from: Addr::Node(S4),
            msg: forward.clone(),
        },
        &mut out,
    );
    assert!(refused(&out), "the backup refuses view 2: {out:?}");
    backup = node.server().cloned().expect("a server");
    assert_eq!(
        (backup.installed, backup.last_seq),
        (3, 0),
        "nothing applied"
    );

    let storage_config = PbConfig {
        replication: Replication::Cold,
        ..PbConfig::default()
    };
    let mut storage = Storage::boot(NodeId(5), &[], &mut Vec::new());
    let mut out = Vec::new();
    storage.on_message(&storage_config, S3, Message::Load { view: 3 }, &mut out);
    out.clear();
    storage.on_message(&storage_config, S2, forward, &mut out);
    assert!(refused(&out), "the storage refuses view 2: {out:?}");
    assert_eq!(storage.last_seq, 0);
    // With fencing switched off (`no-fencing`) the same write is taken.
    let broken = PbConfig {
        bugs: super::config::Bugs {
            no_fencing: true,
            ..Default::default()
        },
        ..storage_config
    };
    let forward = Message::Forward { view: 2, entry };
    storage.on_message(&broken, S2, forward, &mut Vec::new());
    assert_eq!(storage.last_seq, 1, "no-fencing: the stale write lands");
}
