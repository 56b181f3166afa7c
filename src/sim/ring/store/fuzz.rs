//! What the ring store tells the fault search (`sim::fuzz`): settings drawn from the seed
//! (cluster, R, W, R_read, keys, latency, bandwidth, detection delay, workload), its own
//! fault kinds (a node joins, a node leaves, a burst of reads and writes), and what the
//! healed run must reach: every key back on R replicas (the Fully replicated property).

use super::{RingAction, RingBugs, RingRunSettings, RingSettings, RingStore, RingViolation};
use crate::sim::engine::{Engine, TimedAction};
use crate::sim::fuzz::faults::{any_node, schedule, Vocabulary};
use crate::sim::fuzz::{Fuzz, Phases};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::{Micros, MICROS_PER_MS};

impl Fuzz for RingStore {
    type Bugs = RingBugs;

    const BUG_NAMES: &'static [&'static str] = &["forget-range", "ack-before-quorum"];
    const WORK_NAME: &'static str = "reads and writes";

    fn bug(name: &str) -> Option<RingBugs> {
        let mut bugs = RingBugs::default();
        match name {
            "forget-range" => bugs.forget_range = true,
            "ack-before-quorum" => bugs.ack_before_quorum = true,
            _ => return None,
        }
        Some(bugs)
    }

    fn settings_for_seed(seed: u64, nodes: Option<u32>, bugs: &RingBugs) -> RingRunSettings {
        let mut rng = SimRng::stream(seed, Stream::Faults);
        let nodes = nodes.unwrap_or(4 + rng.below(5) as u32).clamp(2, 32);
        let replication = (2 + rng.below(2) as u32).min(nodes);
        // A quorum that a broken coordinator can fall short of needs W >= 2.
        let write_min = if bugs.ack_before_quorum { 2 } else { 1 };
        let write_quorum = rng.between(write_min, replication as u64) as u32;
        let read_quorum = rng.between(1, replication as u64) as u32;
        let store = RingSettings {
            seed,
            nodes,
            vnodes: rng.between(4, 32) as u32,
            replication,
            write_quorum: write_quorum.min(replication),
            read_quorum,
            keys: rng.between(100, 1_500) as u32,
            value_bytes: rng.between(64, 2_048) as u32,
            latency_us: rng.between(1, 5) * MICROS_PER_MS,
            bandwidth_bytes_per_s: rng.between(200_000, 4_000_000),
            transfer_batch_keys: rng.between(8, 256) as u32,
            failure_detection_us: rng.between(100, 1_500) * MICROS_PER_MS,
            request_timeout_us: rng.between(50, 800) * MICROS_PER_MS,
            workload_interval_us: rng.between(5, 60) * MICROS_PER_MS,
            workload_read_ppm: rng.below(1_000_000) as u32,
        };
        let mut settings = RingRunSettings::from_store(store);
        // Latency varies per message, so replies and transfers reorder.
        settings.network.latency_us_max += rng.between(0, 10) * MICROS_PER_MS;
        settings.bugs = bugs.clone();
        settings
    }

    fn fault_schedule(
        settings: &RingRunSettings,
        until_us: Micros,
    ) -> Vec<TimedAction<RingAction>> {
        let store = &settings.store;
        let vocabulary = Vocabulary {
            seed: store.seed,
            nodes: store.nodes,
            network: settings.network.clone(),
            bounce_us_max: store.failure_detection_us * 2,
            own_kinds: 3,
        };
        // Nodes present, as far as the schedule knows: leaves keep at least R + 1 of them,
        // so that every key can be whole again on R nodes after the repair.
        let mut present = store.nodes;
        let keys = store.keys.max(1) as u64;
        let floor = store.replication + 1;
        schedule(&vocabulary, until_us, |kind, rng, _down| match kind {
            0 if present < 32 => {
                present += 1;
                vec![(0, RingAction::Add)]
            }
            1 if present > floor => {
                present -= 1;
                vec![(
                    0,
                    RingAction::Remove {
                        node: any_node(rng, store.nodes),
                    },
                )]
            }
            2 => (0..rng.between(1, 6))
                .map(|i| {
                    let key = rng.below(keys) as u32;
                    let action = if rng.below(2) == 0 {
                        RingAction::Put { key }
                    } else {
                        RingAction::Get { key }
                    };
                    (i * MICROS_PER_MS, action)
                })
                .collect(),
            _ => Vec::new(),
        })
    }

    /// The ring's disks keep every replica across crashes: nothing is excused.
    fn excused(_settings: &RingRunSettings, _violation: &RingViolation) -> bool {
        false
    }

    /// Re-replication after the repair needs the detection delay and the streams' time.
    fn liveness_us(settings: &RingRunSettings, phases: Phases) -> Micros {
        phases.liveness_us + settings.store.failure_detection_us
    }

    fn settle_us(_settings: &RingRunSettings, _phases: Phases) -> Micros {
        0
    }

    fn promised(_engine: &Engine<RingStore>) -> u64 {
        0
    }

    /// The Fully replicated property has spoken by now (`finish_checks`).
    fn liveness_problem(engine: &mut Engine<RingStore>, _promised: u64) -> Option<String> {
        let w = engine.world();
        w.nodes
            .iter()
            .find(|(_, n)| !n.up)
            .map(|(id, _)| format!("{id} is still down after the repair"))
    }

    fn work_done(engine: &Engine<RingStore>) -> u64 {
        engine.world().ops_ok
    }
}
