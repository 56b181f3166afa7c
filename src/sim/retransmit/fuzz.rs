//! What retransmission tells the fault search (`sim::fuzz`): settings drawn from the seed
//! (pairs, scheme, window, acknowledgements, timeout policy, pace, disk sync), one fault kind
//! of its own (a burst of messages handed over at once), and what the healed run must reach:
//! every message any sender accepted delivered (the Liveness check).

use super::{
    AckMode, Bugs, Retransmit, RetransmitAction, RetransmitNode, RetransmitSettings, RtoPolicy,
    Scheme, Violation,
};
use crate::sim::disk::SyncPolicy;
use crate::sim::engine::{Engine, TimedAction};
use crate::sim::fuzz::faults::{schedule, Vocabulary};
use crate::sim::fuzz::{Fuzz, Phases};
use crate::sim::rng::{SimRng, Stream, PPM_ONE};
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};

impl Fuzz for Retransmit {
    type Bugs = Bugs;

    const BUG_NAMES: &'static [&'static str] =
        &["no-duplicate-suppression", "forget-unacked-on-crash"];
    const WORK_NAME: &'static str = "messages delivered";

    fn bug(name: &str) -> Option<Bugs> {
        let mut bugs = Bugs::default();
        match name {
            "no-duplicate-suppression" => bugs.no_duplicate_suppression = true,
            "forget-unacked-on-crash" => bugs.forget_unacked_on_crash = true,
            _ => return None,
        }
        Some(bugs)
    }

    fn settings_for_seed(seed: u64, nodes: Option<u32>, bugs: &Bugs) -> RetransmitSettings {
        let mut rng = SimRng::stream(seed, Stream::Faults);
        let mut s = RetransmitSettings {
            seed,
            ..RetransmitSettings::default()
        };
        let r = &mut s.retransmit;
        r.pairs = match nodes {
            Some(n) => (n / 2).max(1),
            None => 1 + rng.below(2) as u32,
        };
        r.scheme = match rng.below(3) {
            0 => Scheme::StopAndWait,
            1 => Scheme::GoBackN,
            _ => Scheme::SelectiveRepeat,
        };
        r.window = rng.between(1, 16) as u32;
        r.ack = if rng.chance(PPM_ONE / 2) {
            AckMode::Selective
        } else {
            AckMode::Cumulative
        };
        // Timeouts stay short enough that a sender backed off during the faults retries
        // within the healed phase.
        r.rto = if rng.chance(PPM_ONE / 3) {
            RtoPolicy::Fixed {
                rto_us: rng.between(20, 400) * MICROS_PER_MS,
            }
        } else {
            let min_us = rng.between(20, 200) * MICROS_PER_MS;
            RtoPolicy::Adaptive {
                initial_us: min_us + rng.between(0, 800) * MICROS_PER_MS,
                min_us,
                max_us: min_us + rng.between(800, 2_000) * MICROS_PER_MS,
            }
        };
        r.messages = rng.between(5, 80);
        r.offered_interval_us = if rng.chance(PPM_ONE / 2) {
            0
        } else {
            rng.between(1, 100) * MICROS_PER_MS
        };
        r.bugs = bugs.clone();
        s.network.latency_us_min = rng.between(1, 10) * MICROS_PER_MS;
        s.network.latency_us_max = s.network.latency_us_min + rng.between(0, 30) * MICROS_PER_MS;
        // Most runs sync every write, which exactly-once delivery across crashes needs; some
        // group-commit or never sync, to show what such a disk is allowed to lose.
        s.disk.sync = match rng.below(8) {
            0 => SyncPolicy::Interval {
                interval_us: rng.between(1, 50) * MICROS_PER_MS,
            },
            1 => SyncPolicy::Never,
            _ => SyncPolicy::EveryWrite,
        };
        s
    }

    fn fault_schedule(
        settings: &RetransmitSettings,
        until_us: Micros,
    ) -> Vec<TimedAction<RetransmitAction>> {
        let vocabulary = Vocabulary {
            seed: settings.seed,
            nodes: settings.retransmit.nodes(),
            network: settings.network.clone(),
            bounce_us_max: 500 * MICROS_PER_MS,
            own_kinds: 1,
        };
        let pairs = settings.retransmit.pairs;
        schedule(&vocabulary, until_us, |_burst, rng, _down| {
            // A burst: one sender's application hands over several messages at once.
            let sender = NodeId(2 * rng.below(pairs as u64) as u32 + 1);
            let count = rng.between(1, 8);
            (0..count)
                .map(|_| (0, RetransmitAction::HandOver { node: sender }))
                .collect()
        })
    }

    /// On a disk that does not sync every write, a power loss can take a receiver's record of
    /// what it delivered (it delivers again, or out of order) or a sender's record of what it
    /// accepted (the message is gone): every property then rests on storage it was denied.
    fn excused(settings: &RetransmitSettings, _violation: &Violation) -> bool {
        settings.disk.sync != SyncPolicy::EveryWrite
    }

    /// Long enough for the worst case after the repair: each round of timeouts delivers at
    /// least the oldest message a receiver is missing (it is resent first and nothing is
    /// lost any more, but reordering can make a go-back-N receiver throw away all the rest),
    /// and a round lasts at most the longest timeout plus a round trip; the application may
    /// also still be handing messages over at its pace.
    fn liveness_us(settings: &RetransmitSettings, phases: Phases) -> Micros {
        let r = &settings.retransmit;
        let rto_us_max = match r.rto {
            RtoPolicy::Fixed { rto_us } => rto_us,
            RtoPolicy::Adaptive { max_us, .. } => max_us,
        };
        let round_us = rto_us_max + 2 * settings.network.latency_us_max;
        let per_message_us = r.offered_interval_us + round_us;
        phases.liveness_us + r.messages * per_message_us
    }

    /// Every message must be delivered by the end of the healed phase: nothing settles early.
    fn settle_us(_settings: &RetransmitSettings, _phases: Phases) -> Micros {
        0
    }

    fn promised(_engine: &Engine<Retransmit>) -> u64 {
        0
    }

    /// The Liveness property has spoken by now (`finish_checks`); what is left to ask is
    /// that every node is up again.
    fn liveness_problem(engine: &mut Engine<Retransmit>, _promised: u64) -> Option<String> {
        engine
            .nodes()
            .iter()
            .find(|n| !n.is_up())
            .map(|n| format!("{} is still down after the repair", n.id))
    }

    fn work_done(engine: &Engine<Retransmit>) -> u64 {
        delivered(engine)
    }
}

/// Messages the receivers have handed to their applications so far.
pub fn delivered(engine: &Engine<Retransmit>) -> u64 {
    engine
        .nodes()
        .iter()
        .filter_map(|n| match &n.process {
            Some(RetransmitNode::Receiver(r)) => Some(r.delivered_through()),
            _ => None,
        })
        .sum()
}
