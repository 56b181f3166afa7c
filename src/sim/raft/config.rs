//! Settings of a Raft cluster, with their defaults stated once.

use crate::sim::types::{Micros, MICROS_PER_MS};
use serde::{Deserialize, Serialize};

/// Deliberate departures from Raft that lessons switch on to show why each rule exists.
/// The live safety checks must catch every one of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bugs {
    /// Commit an entry of an earlier term once it is on a majority, the mistake of the Raft
    /// paper's Figure 8 (section 5.4.2). New leaders also skip their no-op entry, as in the
    /// figure, so that the old entry can be "committed" on its own.
    pub commit_previous_term_by_count: bool,
    /// Grant votes without the up-to-date check of section 5.4.1.
    pub vote_without_log_check: bool,
    /// Lose votedFor in a crash, so a restarted server may vote twice in one term (Figure 2
    /// requires it on stable storage).
    pub forget_vote_on_restart: bool,
}

impl Bugs {
    pub fn any(&self) -> bool {
        self.commit_previous_term_by_count
            || self.vote_without_log_check
            || self.forget_vote_on_restart
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RaftConfig {
    pub election_timeout_us_min: Micros,
    pub election_timeout_us_max: Micros,
    pub heartbeat_interval_us: Micros,
    /// Thesis section 9.6: a candidate first asks whether it could win before raising its term.
    pub pre_vote: bool,
    /// Thesis section 6.2: a leader that has not heard from a majority for an election
    /// timeout steps down, and followers that hear from a leader ignore vote requests.
    pub check_quorum: bool,
    /// The most entries one AppendEntries carries.
    pub max_entries_per_append: u32,
    /// Take a snapshot after this many entries were applied since the last one (section 7).
    pub snapshot_every_entries: Option<u64>,
    pub bugs: Bugs,
}

impl Default for RaftConfig {
    fn default() -> Self {
        RaftConfig {
            election_timeout_us_min: 150 * MICROS_PER_MS,
            election_timeout_us_max: 300 * MICROS_PER_MS,
            heartbeat_interval_us: 50 * MICROS_PER_MS,
            pre_vote: false,
            check_quorum: false,
            max_entries_per_append: 64,
            snapshot_every_entries: None,
            bugs: Bugs::default(),
        }
    }
}
