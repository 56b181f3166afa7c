//! What the page's two-phase commit mode starts from and asks of a run: the run a learner
//! first sees, the transaction its "submit" button sends, and the moment at which crashing the
//! coordinator leaves its participants blocked. Here, not in the page, so that the tests and
//! the lessons read the same definitions.

use super::config::{TwoPcConfig, COORDINATOR};
use super::coordinator::{CoordPhase, CoordTxn};
use super::driver::TwoPcAction;
use super::driver::TwoPcSettings;
use super::message::Op;
use super::participant::PState;
use super::protocol::TwoPcNode;
use super::types::{TwoPc, TxnId};
use crate::i18n::Text;
use crate::sim::disk::CrashMode;
use crate::sim::engine::Engine;
use crate::sim::engine::Fault;
use crate::sim::history::History;
use crate::sim::net::NetConfig;
use crate::sim::types::{NodeId, MICROS_PER_MS};
use std::collections::BTreeMap;

/// The run the page's Two-phase commit mode first shows: a coordinator and three shards of
/// three keys each, two clients with a pause of half a second between transactions, and a
/// one-way latency of 40 to 60 ms, so that at the page's 1/20x a message is on screen for about
/// a second and each phase can be read as it happens.
pub fn page_settings() -> TwoPcSettings {
    TwoPcSettings {
        seed: 1,
        network: NetConfig {
            latency_us_min: 40 * MICROS_PER_MS,
            latency_us_max: 60 * MICROS_PER_MS,
            ..NetConfig::default()
        },
        twopc: TwoPcConfig {
            participants: 3,
            keys: 9,
            clients: 2,
            transactions: 50,
            ops_max: 3,
            think_us: 500 * MICROS_PER_MS,
            ..TwoPcConfig::default()
        },
        ..TwoPcSettings::default()
    }
}

/// The learner's transaction: one write to the lowest key of every shard, so that it touches
/// every participant (a key `k` belongs to participant `k % participants`, `owner_of`).
pub fn write_every_shard(config: &TwoPcConfig) -> Vec<Op> {
    (0..config.participants.min(config.keys))
        .map(|key| Op {
            key,
            // The client stamps its writes with the transaction's id when it sends them.
            write: Some(0),
        })
        .collect()
}

/// The node that coordinates now and the transactions it runs: the single coordinator while
/// it runs, or the member of the coordinator group that leads and has taken over (none while
/// the group elects).
pub fn coordinating(sim: &Engine<TwoPc>) -> Option<(NodeId, &BTreeMap<TxnId, CoordTxn>)> {
    sim.settings()
        .twopc
        .group_members()
        .into_iter()
        .find_map(|node| match sim.node(node)?.process.as_ref()? {
            TwoPcNode::Coordinator(c) => Some((node, &c.txns)),
            TwoPcNode::Member(m) => m.lead.as_ref().map(|lead| (node, &lead.txns)),
            TwoPcNode::Participant(_) => None,
        })
}

/// A transaction whose every participant has voted yes (each holds a prepare record and
/// waits for the decision) while the coordinator, alive, is still collecting votes: the
/// votes are on their way to it. Crashing the coordinator now leaves every one of those
/// participants in doubt, holding its locks: 2PC's blocking case (Bernstein, Hadzilacos and
/// Goodman, section 7.4). With the coordinator on Raft, the moment is the same for the
/// member that coordinates, and crashing it is what the group survives.
pub fn all_voted_yes_undecided(sim: &Engine<TwoPc>) -> Option<TxnId> {
    let (_, txns) = coordinating(sim)?;
    txns.iter().find_map(|(txn, t)| {
        let CoordPhase::Collecting { .. } = t.phase else {
            return None;
        };
        let all_prepared = t.parts.keys().all(|p| {
            matches!(
                sim.node(*p).and_then(|n| n.process.as_ref()),
                Some(TwoPcNode::Participant(part))
                    if part.txns.get(txn).is_some_and(|x| x.state == PState::Prepared)
            )
        });
        all_prepared.then_some(*txn)
    })
}

/// Whether some node that can coordinate runs (the coordinator, or a member of its group).
fn coordinator_up(sim: &Engine<TwoPc>) -> bool {
    sim.settings()
        .twopc
        .group_members()
        .into_iter()
        .any(|n| sim.node(n).is_some_and(|n| n.process.is_some()))
}

/// How many events [`run_to_all_voted_yes`] looks through before it gives up: far more than
/// any page run needs to reach a transaction whose votes are all yes (one arrives every few
/// hundred events), bounded so that a run with no such moment cannot hang the page.
pub const ALL_VOTED_YES_SEARCH_EVENTS_MAX: u32 = 200_000;

/// Runs `history` on, one event at a time, to the first moment at which every participant of
/// a transaction has voted yes and the live coordinator has not decided it
/// ([`all_voted_yes_undecided`]), and returns that transaction. `None` when the coordinator is
/// down (or goes down on the way), or no such moment comes within
/// [`ALL_VOTED_YES_SEARCH_EVENTS_MAX`] events: the page's "crash the coordinator before it
/// decides" and the lessons use this one search.
pub fn run_to_all_voted_yes(history: &mut History<TwoPc>) -> Option<TxnId> {
    for _ in 0..ALL_VOTED_YES_SEARCH_EVENTS_MAX {
        if !coordinator_up(history.sim()) {
            return None;
        }
        if let Some(txn) = all_voted_yes_undecided(history.sim()) {
            return Some(txn);
        }
        if !history.step() {
            return None;
        }
    }
    None
}

/// "Crash the coordinator before it decides": runs on to a transaction whose votes are all
/// yes ([`run_to_all_voted_yes`]) and crashes the coordinator there (the member of the group
/// that coordinates, with the coordinator on Raft), leaving its participants blocked (or, on
/// Raft, waiting for the next leader). The error is the notice to show: the coordinator is down, or no such moment came.
pub fn crash_coordinator_before_decision(history: &mut History<TwoPc>) -> Result<TxnId, Text> {
    if !coordinator_up(history.sim()) {
        return Err(Text::new("tp.notice.coordinator_down"));
    }
    let txn =
        run_to_all_voted_yes(history).ok_or_else(|| Text::new("tp.notice.no_blocking_moment"))?;
    // The search stopped at a moment when a node coordinates.
    let node = coordinating(history.sim()).map_or(COORDINATOR, |(node, _)| node);
    history.act(TwoPcAction::Fault(Fault::Crash {
        node,
        mode: CrashMode::Clean,
    }))?;
    Ok(txn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::engine::RunSettings;

    #[test]
    fn the_page_run_is_valid_and_commits_transactions() {
        let settings = page_settings();
        assert_eq!(settings.validate(), Ok(()));
        let mut sim = Engine::<TwoPc>::new(settings).expect("page settings are valid");
        sim.run_until(10_000 * MICROS_PER_MS);
        assert!(sim.coverage().commits >= 5, "{:?}", sim.coverage());
        assert!(sim.violations().is_empty());
    }

    /// Bernstein et al., section 7.4: a coordinator that fails after every participant voted
    /// yes and before any learned the decision leaves them blocked until it recovers.
    #[test]
    fn crashing_the_coordinator_when_every_vote_is_yes_blocks_the_participants() {
        let mut sim = Engine::<TwoPc>::new(page_settings()).expect("valid");
        let mut txn = None;
        for _ in 0..200_000 {
            txn = all_voted_yes_undecided(&sim);
            if txn.is_some() || !sim.step() {
                break;
            }
        }
        let txn = txn.expect("some transaction reaches every vote yes");
        sim.apply(TwoPcAction::Fault(Fault::Crash {
            node: COORDINATOR,
            mode: CrashMode::Clean,
        }))
        .expect("the coordinator exists");
        let crashed_us = sim.now_us();
        sim.run_until(crashed_us + 3_000 * MICROS_PER_MS);
        let parts: Vec<_> = sim.settings().twopc.participant_nodes().collect();
        let in_doubt = parts
            .iter()
            .filter(|p| {
                matches!(
                    sim.node(**p).and_then(|n| n.process.as_ref()),
                    Some(TwoPcNode::Participant(x)) if x.in_doubt.contains(&txn)
                )
            })
            .count();
        assert!(in_doubt >= 2, "{txn} in doubt at {in_doubt} participants");
        assert!(sim.coverage().blocked >= 2, "{:?}", sim.coverage());
        sim.apply(TwoPcAction::Fault(Fault::Restart { node: COORDINATOR }))
            .expect("the coordinator exists");
        sim.run_until(sim.now_us() + 3_000 * MICROS_PER_MS);
        for p in parts {
            let Some(TwoPcNode::Participant(x)) = sim.node(p).and_then(|n| n.process.as_ref())
            else {
                panic!("participant {p} is down");
            };
            assert!(
                !x.in_doubt.contains(&txn),
                "{p} still in doubt after recovery"
            );
        }
        assert!(sim.violations().is_empty(), "{:?}", sim.violations());
    }

    /// The same crash with the coordinator on a Raft group of 3: another member is elected,
    /// takes over with every decision the group committed, and settles the transaction
    /// (presumed abort, through the log, when no decision was logged), so no participant is
    /// left in doubt once an election has had time, with the crashed member still down.
    #[test]
    fn on_raft_the_same_crash_leaves_nobody_in_doubt() {
        let mut settings = page_settings();
        settings.twopc.coordinator = super::super::CoordinatorKind::Raft3;
        let mut history = History::<TwoPc>::new(settings).expect("valid");
        let txn = crash_coordinator_before_decision(&mut history).expect("a moment comes");
        let crashed = history.sim().settings().twopc.group_members();
        let down: Vec<_> = crashed
            .iter()
            .filter(|m| history.sim().node(**m).is_some_and(|n| n.process.is_none()))
            .collect();
        assert_eq!(down.len(), 1, "one member crashed");
        history.advance(history.now_us() + 3_000 * MICROS_PER_MS);
        let sim = history.sim();
        assert!(coordinating(sim).is_some(), "another member coordinates");
        for p in sim.settings().twopc.participant_nodes() {
            let Some(TwoPcNode::Participant(x)) = sim.node(p).and_then(|n| n.process.as_ref())
            else {
                panic!("participant {p} is down");
            };
            assert!(!x.in_doubt.contains(&txn), "{p} still in doubt about {txn}");
        }
        assert!(sim.violations().is_empty(), "{:?}", sim.violations());
    }
}
