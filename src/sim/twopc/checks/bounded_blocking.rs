//! Bounded Blocking, with the coordinator on Raft: once the network is whole again and a
//! majority of the coordinator group is up, no participant stays blocked longer than
//! `blocking_bound_us`, a bound made of an election's time and the participant's own
//! inquiry period. Two-phase commit with one coordinator promises no such bound (Bernstein
//! et al., section 7.3: it is a blocking protocol; Skeen 1981 shows every one-coordinator
//! commit protocol with two phases blocks); replicating the decision by consensus removes the
//! block as long as a majority is up (Gray and Lamport, "Consensus on Transaction Commit",
//! 2006).
//!
//! It is asked at the end of a run, over the part after the last `heal` line and after the
//! group last regained a majority: the trace does not say when loss and duplication stop, and
//! the fault search clears them together with its final heal. A participant's `txn_blocked`
//! line carries the bound it was held to; a single coordinator's lines carry none and are not
//! checked.

use super::property::{Detail, Finding, Property};
use crate::sim::protocol::Event;
use crate::sim::twopc::config::TwoPcConfig;
use crate::sim::twopc::note::Note;
use crate::sim::twopc::types::{TwoPc, TxnId};
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};
use std::collections::{BTreeMap, BTreeSet};

/// The longest one message takes, as the bound assumes it: Raft's timing requirement
/// broadcastTime ≪ electionTimeout (section 5.6). The fault search's latencies stay below
/// 40 ms; a disk sync is instant in its runs.
pub const MESSAGE_DELAY_US_MAX: Micros = 50 * MICROS_PER_MS;

/// Elections the bound allows for: randomized timeouts make a split vote followed by another
/// rare (section 5.2; the paper's Figure 16 shows elections within a few timeouts), so three.
pub const ELECTION_ROUNDS: u64 = 3;

/// How long a blocked participant may stay blocked once the network is whole and a majority of
/// the group is up, for the settings `config`, with `E` the largest election timeout, `δ`
/// [`MESSAGE_DELAY_US_MAX`], `D` the decision timeout and `T` the tick:
///
/// - `3 (E + 4δ)`: a leader is elected. A follower's timer fires within `E` of the last
///   heartbeat it had; PreVote and the vote are a round trip each (`4δ`); up to three rounds.
/// - `2δ`: it commits an entry of its own term (its no-op: one append and its replies) and
///   takes over (Raft section 5.4.2).
/// - `2 (D + T)`: the participant asks again within `D` (seen on a tick, `T`); its first ask
///   may go to the member it wrongly believes leads, the next goes to every member.
/// - `4δ`: the inquiry arrives, a presumed abort goes through the log (a round trip), the
///   answer comes back. A logged decision is answered at once, or resent at the takeover.
pub fn blocking_bound_us(config: &TwoPcConfig) -> Micros {
    let e = config.group_raft.election_timeout_us_max;
    let d = MESSAGE_DELAY_US_MAX;
    let election = ELECTION_ROUNDS * (e + 4 * d);
    let take_over = 2 * d;
    let ask = 2 * (config.decision_timeout_us + config.tick_us);
    let answer = 4 * d;
    election + take_over + ask + answer
}

/// One participant's blocked time for one transaction.
#[derive(Clone, Debug)]
struct Episode {
    node: NodeId,
    txn: TxnId,
    since_us: Micros,
    /// `None` while it is still blocked.
    until_us: Option<Micros>,
    bound_us: Micros,
    line: u64,
}

#[derive(Clone, Debug, Default)]
pub struct BoundedBlocking {
    open: BTreeMap<(NodeId, TxnId), Episode>,
    closed: Vec<Episode>,
    /// The members of the coordinator group (every node with a `group_raft` line) and which
    /// of them are up.
    members: BTreeSet<NodeId>,
    down: BTreeSet<NodeId>,
    /// Since when a majority of the group has been up; `None` while it is not.
    majority_since_us: Option<Micros>,
    /// The last `heal` line, if no partition or cut came after it.
    whole_since_us: Option<Micros>,
    /// Whether a `partition` or a `cut` came since the last `heal`.
    split: bool,
}

impl BoundedBlocking {
    pub fn observe(&mut self, event: &Event<TwoPc>, t: Micros, line: u64) {
        match event {
            Event::Protocol(Note::GroupRaft { event }) => {
                if let Some(node) = event.node() {
                    if self.members.insert(node) {
                        self.count_up(t);
                    }
                }
            }
            Event::Protocol(Note::TxnBlocked {
                node,
                txn,
                bound_us: Some(bound_us),
            }) => {
                self.open.insert(
                    (*node, *txn),
                    Episode {
                        node: *node,
                        txn: *txn,
                        since_us: t,
                        until_us: None,
                        bound_us: *bound_us,
                        line,
                    },
                );
            }
            Event::Protocol(Note::TxnUnblocked { node, txn, .. }) => self.close(*node, *txn, t),
            Event::Crash { node } => {
                // A participant that is down is not blocked; after its restart it asks again,
                // and a new episode begins if the answer is late.
                let ended: Vec<TxnId> = self
                    .open
                    .keys()
                    .filter(|(n, _)| n == node)
                    .map(|(_, txn)| *txn)
                    .collect();
                for txn in ended {
                    self.close(*node, txn, t);
                }
                self.down.insert(*node);
                self.count_up(t);
            }
            Event::Restart { node } => {
                self.down.remove(node);
                self.count_up(t);
            }
            Event::Partition { .. } | Event::Cut { .. } => {
                self.split = true;
                self.whole_since_us = None;
            }
            Event::Heal {} => {
                self.split = false;
                self.whole_since_us = Some(t);
            }
            _ => {}
        }
    }

    fn close(&mut self, node: NodeId, txn: TxnId, t: Micros) {
        if let Some(mut e) = self.open.remove(&(node, txn)) {
            e.until_us = Some(t);
            self.closed.push(e);
        }
    }

    fn count_up(&mut self, t: Micros) {
        let up = self
            .members
            .iter()
            .filter(|m| !self.down.contains(m))
            .count();
        let majority = up > self.members.len() / 2;
        match (majority, self.majority_since_us) {
            (true, None) => self.majority_since_us = Some(t),
            (false, Some(_)) => self.majority_since_us = None,
            _ => {}
        }
    }

    /// The first episode that lasted longer than its bound after the world was whole again.
    pub fn finish(&self, now_us: Micros) -> Option<(Finding, u64)> {
        let whole_us = if self.split {
            return None;
        } else {
            self.whole_since_us.unwrap_or(0)
        };
        let from_us = whole_us.max(self.majority_since_us?);
        self.closed.iter().chain(self.open.values()).find_map(|e| {
            let until_us = e.until_us.unwrap_or(now_us);
            let blocked_us = until_us.checked_sub(e.since_us.max(from_us))?;
            (until_us > from_us && blocked_us > e.bound_us).then(|| {
                let finding = Finding {
                    property: Property::BoundedBlocking,
                    nodes: vec![e.node],
                    txn: e.txn,
                    detail: Detail::BlockedTooLong {
                        node: e.node,
                        blocked_us,
                        bound_us: e.bound_us,
                    },
                };
                (finding, e.line)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::raft::{RaftEvent, Role};
    use crate::sim::types::Term;

    const S: Micros = 1_000_000;

    fn member(node: u32) -> Event<TwoPc> {
        Event::Protocol(Note::GroupRaft {
            event: RaftEvent::Role {
                node: NodeId(node),
                term: Term(0),
                role: Role::Follower,
            },
        })
    }

    fn blocked(node: u32) -> Event<TwoPc> {
        Event::Protocol(Note::TxnBlocked {
            node: NodeId(node),
            txn: 7,
            bound_us: Some(2 * S),
        })
    }

    fn unblocked(node: u32) -> Event<TwoPc> {
        Event::Protocol(Note::TxnUnblocked {
            node: NodeId(node),
            txn: 7,
            blocked_us: 0,
            outcome: crate::sim::twopc::Outcome::Abort,
        })
    }

    fn feed(lines: &[(Micros, Event<TwoPc>)]) -> BoundedBlocking {
        let mut b = BoundedBlocking::default();
        for (i, (t, e)) in lines.iter().enumerate() {
            b.observe(e, *t, i as u64);
        }
        b
    }

    /// Blocked across a partition: only the time after the heal counts, and 3 s after it is
    /// over the bound of 2 s; 1 s after it is not.
    #[test]
    fn only_the_time_after_the_heal_counts() {
        let group = [(0, member(1)), (0, member(5)), (0, member(6))];
        let mut lines = group.to_vec();
        lines.push((S, Event::Partition { groups: vec![] }));
        lines.push((2 * S, blocked(3)));
        lines.push((10 * S, Event::Heal {}));
        let mut late = lines.clone();
        late.push((13 * S, unblocked(3)));
        let found = feed(&late).finish(20 * S).map(|(f, _)| f.detail);
        assert_eq!(
            found,
            Some(Detail::BlockedTooLong {
                node: NodeId(3),
                blocked_us: 3 * S,
                bound_us: 2 * S,
            })
        );
        lines.push((11 * S, unblocked(3)));
        assert!(feed(&lines).finish(20 * S).is_none());
    }

    /// While two of three members are down the clock does not run; it starts when the second
    /// comes back; a block still open at the end counts to the end.
    #[test]
    fn the_clock_waits_for_a_majority_of_the_group() {
        let lines = [
            (0, member(1)),
            (0, member(5)),
            (0, member(6)),
            (S, Event::Crash { node: NodeId(1) }),
            (S, Event::Crash { node: NodeId(5) }),
            (2 * S, blocked(3)),
            (9 * S, Event::Restart { node: NodeId(5) }),
        ];
        let b = feed(&lines);
        assert!(b.finish(10 * S).is_none(), "1 s with a majority");
        assert!(b.finish(12 * S).is_some(), "3 s with a majority");
    }

    /// The defaults' bound, term by term (see `blocking_bound_us`).
    #[test]
    fn the_bound_of_the_defaults() {
        let c = TwoPcConfig::default();
        let ms = MICROS_PER_MS;
        assert_eq!(
            blocking_bound_us(&c),
            3 * (300 + 200) * ms + 100 * ms + 2 * (400 + 25) * ms + 200 * ms
        );
    }
}
