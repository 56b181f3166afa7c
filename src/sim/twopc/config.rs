//! Settings of a two-phase commit run, with their defaults stated once and their bounds
//! checked by `validate`. Node 1 is the coordinator and participant `i` (from 0) is node
//! `i + 2`; the shard rule is `owner_of`. With the coordinator on Raft (`CoordinatorKind`),
//! node 1 is the first member of the coordinator group and the other members come after the
//! participants (`group_members`), so that participants keep their ids whichever coordinator
//! a run has.

use super::types::Key;
use crate::i18n::Text;
use crate::sim::engine::within;
use crate::sim::raft::RaftConfig;
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};
use serde::{Deserialize, Serialize};

/// The fewest and the most participants of a run.
pub const PARTICIPANTS_MIN: u32 = 2;
pub const PARTICIPANTS_MAX: u32 = 5;
/// The most keys in the store.
pub const KEYS_MAX: u32 = 1_000;
/// The most clients submitting transactions.
pub const CLIENTS_MAX: u32 = 16;
/// The most operations in one transaction.
pub const OPS_MAX: u32 = 8;
/// The most transactions one client submits in a run (below `types::TXNS_PER_CLIENT`).
pub const TRANSACTIONS_MAX: u64 = 100_000;
/// The longest any timeout or pause may be.
pub const TIMEOUT_US_MAX: Micros = 600_000 * MICROS_PER_MS;

/// Deliberate mistakes that lessons switch on to show why each rule exists. The checks must
/// catch every one of them (`faultline fuzz --protocol 2pc --bug NAME --expect-unsafe`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bugs {
    /// `decide-before-log`: the coordinator sends its commit decision (and replies to the
    /// client) before forcing the commit record, which it writes only once every participant
    /// has acknowledged. A crash in between leaves no record, so the recovered coordinator
    /// presumes abort for a transaction it told others to commit. Caught by Decision
    /// Durability (and then Atomicity).
    pub decide_before_log: bool,
    /// `forget-prepared-on-crash`: a participant votes yes without forcing its prepare
    /// record (it keeps it in memory, to be written with the decision), so a crash while
    /// prepared loses the promise: after recovery it aborts what it voted yes on. Caught by
    /// Atomicity or Visibility of Committed Writes.
    pub forget_prepared_on_crash: bool,
    /// `commit-on-timeout`: a prepared participant whose decision does not arrive in time
    /// commits on its own instead of asking. Caught by No Apply Without a Commit Decision,
    /// Commit Validity or Atomicity.
    pub commit_on_timeout: bool,
    /// `release-locks-at-prepare`: a participant releases its locks as soon as it has voted
    /// yes, before any decision. Caught by Locks Held Until the Decision.
    pub release_locks_at_prepare: bool,
}

impl Bugs {
    pub fn any(&self) -> bool {
        self.decide_before_log
            || self.forget_prepared_on_crash
            || self.commit_on_timeout
            || self.release_locks_at_prepare
    }
}

/// Who coordinates: one node (classic two-phase commit, which blocks while it is down), or a
/// Raft group of 3 or 5 nodes that replicates every decision before it is sent (as Spanner,
/// CockroachDB and YugabyteDB do), so that a crashed leader's successor knows every decision.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoordinatorKind {
    #[default]
    Single,
    Raft3,
    Raft5,
}

impl CoordinatorKind {
    pub const ALL: [CoordinatorKind; 3] = [
        CoordinatorKind::Single,
        CoordinatorKind::Raft3,
        CoordinatorKind::Raft5,
    ];

    /// The name the command line and the docs use.
    pub fn name(self) -> &'static str {
        match self {
            CoordinatorKind::Single => "single",
            CoordinatorKind::Raft3 => "raft3",
            CoordinatorKind::Raft5 => "raft5",
        }
    }

    pub fn from_name(name: &str) -> Option<CoordinatorKind> {
        CoordinatorKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Nodes that coordinate: 1, 3 or 5.
    pub fn size(self) -> u32 {
        match self {
            CoordinatorKind::Single => 1,
            CoordinatorKind::Raft3 => 3,
            CoordinatorKind::Raft5 => 5,
        }
    }

    pub fn is_raft(self) -> bool {
        self != CoordinatorKind::Single
    }

    /// The number a share link writes for it.
    pub fn code(self) -> u64 {
        match self {
            CoordinatorKind::Single => 0,
            CoordinatorKind::Raft3 => 1,
            CoordinatorKind::Raft5 => 2,
        }
    }

    pub fn from_code(code: u64) -> Option<CoordinatorKind> {
        CoordinatorKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The coordinator group's Raft settings: the Raft defaults (elections in 150 to 300 ms,
/// heartbeats every 50 ms) with PreVote and CheckQuorum (thesis sections 9.6 and 6.2), so a
/// member that comes back from a partition does not depose a working leader, and a leader cut
/// off from its group steps down instead of holding decisions nobody can commit. No
/// snapshots: the decision records are few and the group's log stays short.
pub fn group_raft_default() -> RaftConfig {
    RaftConfig {
        pre_vote: true,
        check_quorum: true,
        ..RaftConfig::default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TwoPcConfig {
    /// A single coordinator or a Raft group (`CoordinatorKind`).
    pub coordinator: CoordinatorKind,
    /// The coordinator group's Raft settings (unused with a single coordinator).
    pub group_raft: RaftConfig,
    /// Participants (shards); a run has `participants + 1` nodes.
    pub participants: u32,
    /// Keys `0..keys`, spread over the shards by `owner_of`.
    pub keys: u32,
    /// Clients of the workload, each with one transaction at a time (0: only the learner's
    /// client, which submits when told).
    pub clients: u32,
    /// Transactions each client submits.
    pub transactions: u64,
    /// Operations per transaction, at most (at least 2, so most touch several shards).
    pub ops_max: u32,
    /// Out of 100: how many operations write.
    pub write_percent: u32,
    /// A client's pause between one transaction's end and the next one's start.
    pub think_us: Micros,
    /// A client that has heard nothing this long gives its transaction up (its outcome is
    /// then unknown to it) and goes on to the next.
    pub client_timeout_us: Micros,
    /// The coordinator aborts a transaction whose votes are not all in this long after it
    /// asked (a participant that has not voted may still abort, so this is safe).
    pub vote_timeout_us: Micros,
    /// A prepared participant that has no decision this long after voting (or after its last
    /// inquiry) asks the coordinator and the other participants; from the first time, it is
    /// counted as blocked.
    pub decision_timeout_us: Micros,
    /// A participant waits this long for locks held by others before voting no; 0 votes no
    /// at once on any conflict.
    pub lock_wait_us: Micros,
    /// Prepare requests without a vote, and commit decisions without an acknowledgement, are
    /// sent again this often.
    pub resend_us: Micros,
    /// How often a node with something that can time out looks at its deadlines.
    pub tick_us: Micros,
    pub bugs: Bugs,
}

impl Default for TwoPcConfig {
    fn default() -> Self {
        TwoPcConfig {
            coordinator: CoordinatorKind::Single,
            group_raft: group_raft_default(),
            participants: 3,
            keys: 12,
            clients: 3,
            transactions: 20,
            ops_max: 4,
            write_percent: 50,
            think_us: 50 * MICROS_PER_MS,
            client_timeout_us: 3_000 * MICROS_PER_MS,
            vote_timeout_us: 500 * MICROS_PER_MS,
            decision_timeout_us: 400 * MICROS_PER_MS,
            lock_wait_us: 300 * MICROS_PER_MS,
            resend_us: 150 * MICROS_PER_MS,
            tick_us: 25 * MICROS_PER_MS,
            bugs: Bugs::default(),
        }
    }
}

/// The coordinator's node.
pub const COORDINATOR: NodeId = NodeId(1);

impl TwoPcConfig {
    /// Nodes in a run: the coordinator (or its group's members) and the participants.
    pub fn nodes(&self) -> u32 {
        self.participants + self.coordinator.size()
    }

    /// The nodes that coordinate, node 1 first: node 1 alone, or node 1 and the nodes after
    /// the participants (a group of 3 with 3 participants: nodes 1, 5 and 6).
    pub fn group_members(&self) -> Vec<NodeId> {
        let after = self.participants + 2;
        std::iter::once(COORDINATOR)
            .chain((after..after + self.coordinator.size() - 1).map(NodeId))
            .collect()
    }

    /// Whether `node` coordinates (is the single coordinator or a member of its group).
    pub fn is_coordinator(&self, node: NodeId) -> bool {
        node == COORDINATOR
            || (self.coordinator.is_raft()
                && node.0 >= self.participants + 2
                && node.0 <= self.nodes())
    }

    /// The member after `node` in the group, round the ring: whom to try when `node` does not
    /// answer.
    pub fn next_member(&self, node: NodeId) -> NodeId {
        let members = self.group_members();
        let at = members.iter().position(|m| *m == node).unwrap_or(0);
        members[(at + 1) % members.len()]
    }

    /// The shard rule: participant `key % participants` (from 0), node `2 + key % participants`.
    pub fn owner_of(&self, key: Key) -> NodeId {
        NodeId(2 + key % self.participants)
    }

    /// Every participant's node, in order.
    pub fn participant_nodes(&self) -> impl Iterator<Item = NodeId> {
        (2..=self.participants + 1).map(NodeId)
    }

    pub fn is_participant(&self, node: NodeId) -> bool {
        (2..=self.participants + 1).contains(&node.0)
    }

    /// Checks every range; the error names the field, its value and its bounds.
    pub fn validate(&self) -> Result<(), Text> {
        within(
            "2pc.participants",
            self.participants.into(),
            PARTICIPANTS_MIN.into(),
            PARTICIPANTS_MAX.into(),
        )?;
        within(
            "2pc.keys",
            self.keys.into(),
            self.participants.into(),
            KEYS_MAX.into(),
        )?;
        within("2pc.clients", self.clients.into(), 0, CLIENTS_MAX.into())?;
        within("2pc.transactions", self.transactions, 0, TRANSACTIONS_MAX)?;
        within("2pc.ops_max", self.ops_max.into(), 2, OPS_MAX.into())?;
        within("2pc.write_percent", self.write_percent.into(), 0, 100)?;
        within("2pc.think_us", self.think_us, 0, TIMEOUT_US_MAX)?;
        let timeouts = [
            ("2pc.client_timeout_us", self.client_timeout_us),
            ("2pc.vote_timeout_us", self.vote_timeout_us),
            ("2pc.decision_timeout_us", self.decision_timeout_us),
            ("2pc.resend_us", self.resend_us),
            ("2pc.tick_us", self.tick_us),
        ];
        for (field, value) in timeouts {
            within(field, value, 1, TIMEOUT_US_MAX)?;
        }
        within("2pc.lock_wait_us", self.lock_wait_us, 0, TIMEOUT_US_MAX)?;
        if self.coordinator.is_raft() {
            let r = &self.group_raft;
            within(
                "2pc.group_raft.election_timeout_us_min",
                r.election_timeout_us_min,
                1,
                TIMEOUT_US_MAX,
            )?;
            within(
                "2pc.group_raft.election_timeout_us_max",
                r.election_timeout_us_max,
                r.election_timeout_us_min,
                TIMEOUT_US_MAX,
            )?;
            within(
                "2pc.group_raft.heartbeat_interval_us",
                r.heartbeat_interval_us,
                1,
                r.election_timeout_us_min,
            )?;
            within(
                "2pc.group_raft.max_entries_per_append",
                r.max_entries_per_append.into(),
                1,
                10_000,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_keys_spread_by_modulo() {
        let c = TwoPcConfig::default();
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.nodes(), 4);
        assert_eq!(c.owner_of(0), NodeId(2));
        assert_eq!(c.owner_of(4), NodeId(3));
        assert_eq!(c.owner_of(5), NodeId(4));
        let bad = TwoPcConfig {
            participants: 6,
            ..TwoPcConfig::default()
        };
        assert_eq!(
            bad.validate().map_err(|e| e.english()),
            Err("2pc.participants: 6 is outside 2..=5".into())
        );
    }
}
