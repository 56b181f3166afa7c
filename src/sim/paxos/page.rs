//! What the page's Paxos mode starts from and asks of a run: the run a learner first sees (in
//! either variant), and the retry delays its "randomized retry" switch sets. Here, not in the
//! page, so that the tests read the same definitions.

use super::config::{PaxosConfig, Variant};
use super::driver::{PaxosAction, PaxosSettings};
use crate::sim::net::NetConfig;
use crate::sim::types::{Micros, MICROS_PER_MS};

/// A pre-empted proposer's wait before it tries again, on the page: fixed, it is shorter than
/// a message's trip, so that its new prepare requests overtake the other proposer's accept
/// requests and two proposers can pre-empt each other for as long as the learner watches
/// (section 2.4); randomized, it is drawn from up to 200 ms (doubling with each ballot
/// abandoned in a row), and one of them soon gets through.
pub const PAGE_RETRY_US_MIN: Micros = 5 * MICROS_PER_MS;
pub const PAGE_RETRY_US_MAX: Micros = 200 * MICROS_PER_MS;

/// The run the page's Paxos mode first shows: five nodes, each an acceptor and a learner, a
/// one-way latency of 40 to 60 ms (at the page's 1/20x a message is on screen for about a
/// second). Single-decree: S1 proposes at once and nobody else until the learner asks;
/// randomized retry is on. Multi-Paxos: two clients with half a second between commands.
pub fn page_settings(variant: Variant) -> PaxosSettings {
    PaxosSettings {
        seed: 1,
        network: NetConfig {
            latency_us_min: 40 * MICROS_PER_MS,
            latency_us_max: 60 * MICROS_PER_MS,
            ..NetConfig::default()
        },
        paxos: PaxosConfig {
            variant,
            nodes: 5,
            proposers: 1,
            proposer_start_us_max: 0,
            retry_delay_us_min: PAGE_RETRY_US_MIN,
            retry_delay_us_max: PAGE_RETRY_US_MAX,
            phase_timeout_us: 1_000 * MICROS_PER_MS,
            ask_us: 1_000 * MICROS_PER_MS,
            heartbeat_us: 300 * MICROS_PER_MS,
            election_timeout_us_min: 1_000 * MICROS_PER_MS,
            election_timeout_us_max: 2_000 * MICROS_PER_MS,
            clients: 2,
            keys: 3,
            think_us: 500 * MICROS_PER_MS,
            client_timeout_us: 2_000 * MICROS_PER_MS,
            ..PaxosConfig::default()
        },
        ..PaxosSettings::default()
    }
}

/// Whether a pre-empted proposer's wait is drawn at random (a range wider than one value).
pub fn retry_randomized(config: &PaxosConfig) -> bool {
    config.retry_delay_us_max > config.retry_delay_us_min
}

/// The action that turns randomized retry on or off, from now on.
pub fn set_retry(randomized: bool) -> PaxosAction {
    PaxosAction::SetRetry {
        min_us: PAGE_RETRY_US_MIN,
        max_us: if randomized {
            PAGE_RETRY_US_MAX
        } else {
            PAGE_RETRY_US_MIN
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::engine::Engine;
    use crate::sim::paxos::{Note, Paxos};
    use crate::sim::protocol::Event;
    use crate::sim::types::NodeId;

    const MS: Micros = MICROS_PER_MS;

    fn learned(engine: &Engine<Paxos>) -> usize {
        engine
            .nodes()
            .iter()
            .filter_map(|n| n.process.as_ref())
            .filter(|n| !n.learner.learned.is_empty())
            .count()
    }

    fn streak(engine: &Engine<Paxos>) -> u32 {
        (0..engine.trace().len())
            .filter_map(|i| match engine.trace().get(i).map(|l| &l.event) {
                Some(Event::Protocol(Note::PaxosPreempted { streak, .. })) => Some(*streak),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn the_page_runs_choose_and_learn() {
        let mut engine = Engine::<Paxos>::new(page_settings(Variant::Single)).expect("valid");
        engine.run_until(1_000 * MS);
        assert_eq!(learned(&engine), 5, "every learner learned S1's value");
        let mut engine = Engine::<Paxos>::new(page_settings(Variant::Multi)).expect("valid");
        engine.run_until(10_000 * MS);
        assert!(engine.world.completed() >= 5, "clients were answered");
        assert!(engine.violations().is_empty());
    }

    /// Section 2.4 on the page: S1 and S2 start together with a fixed retry and pre-empt each
    /// other for as long as the run goes; turning randomized retry on ends it.
    #[test]
    fn a_duel_with_a_fixed_retry_lasts_until_retry_is_randomized() {
        let mut engine = Engine::<Paxos>::new(page_settings(Variant::Single)).expect("valid");
        engine.schedule(0, set_retry(false)).expect("valid");
        engine
            .schedule(0, PaxosAction::Propose { node: NodeId(2) })
            .expect("valid");
        engine.run_until(5_000 * MS);
        assert_eq!(learned(&engine), 0, "nothing chosen while they duel");
        assert!(streak(&engine) >= 10, "streak {}", streak(&engine));
        engine.schedule(5_000 * MS, set_retry(true)).expect("valid");
        engine.run_until(10_000 * MS);
        assert_eq!(learned(&engine), 5, "randomized retry ends the duel");
        assert!(engine.violations().is_empty());
    }
}
