//! What a leader keeps while it catches a new server up (Raft thesis, section 4.2.1); the
//! rounds themselves are run in `membership.rs`.

use crate::sim::types::{LogIndex, NodeId};

/// The leader's catch-up of a new server in rounds (thesis section 4.2.1): each round
/// replicates everything the leader's log held when the round began; when a round ends
/// within an election timeout, the server is close enough to be made a voter without
/// leaving the cluster unable to commit while it catches up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catchup {
    pub learner: NodeId,
    /// The round ends when the learner holds the leader's log up to here.
    pub round_end: LogIndex,
    /// Heartbeat intervals the round has lasted so far: the leader's heartbeat timer is its
    /// clock, as the node reads none.
    pub round_ticks: u32,
    /// Rounds begun, the first included.
    pub rounds: u32,
}
