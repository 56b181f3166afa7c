//! Settings of a two-phase commit run, with their defaults stated once and their bounds
//! checked by `validate`. Node 1 is the coordinator and participant `i` (from 0) is node
//! `i + 2`; the shard rule is `owner_of`.

use super::types::Key;
use crate::i18n::Text;
use crate::sim::engine::within;
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TwoPcConfig {
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
    /// Nodes in a run: the coordinator and the participants.
    pub fn nodes(&self) -> u32 {
        self.participants + 1
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
