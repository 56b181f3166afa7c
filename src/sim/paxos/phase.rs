//! Where a proposer stands, single-decree or Multi-Paxos, and a Multi-Paxos leader's state:
//! plain data that the proposer's steps (`proposer.rs`, `single.rs`, `leader.rs`) share.

use super::types::{AcceptedEntry, Ballot, Slot, Value};
use crate::sim::types::{ClientId, NodeId};
use std::collections::{BTreeMap, BTreeSet};

/// Where a proposer stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Phase {
    /// Not proposing: waiting for its start or its next try (single-decree), or following a
    /// leader (Multi-Paxos).
    #[default]
    Idle,
    /// Phase 1 for `ballot`: the promises so far, each with the proposals it reported.
    Preparing {
        ballot: Ballot,
        from_slot: Slot,
        promises: BTreeMap<NodeId, Vec<AcceptedEntry>>,
    },
    /// Single-decree phase 2: `value` under `ballot`, and who accepted it.
    Accepting {
        ballot: Ballot,
        value: Value,
        accepted: BTreeSet<NodeId>,
    },
    /// Multi-Paxos: phase 1 is done for every slot from its start; only phase 2 per command.
    Leading(Leader),
    /// Single-decree: it learned the chosen value.
    Done,
}

/// A slot's proposal under way: the value, who accepted it, and whether a heartbeat has
/// passed since it was sent (only then is it overdue and sent again).
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub value: Value,
    pub accepted: BTreeSet<NodeId>,
    pub overdue: bool,
}

impl Pending {
    pub(super) fn new(value: Value) -> Pending {
        Pending {
            value,
            accepted: BTreeSet::new(),
            overdue: false,
        }
    }
}

/// A leader's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Leader {
    pub ballot: Ballot,
    /// The next free slot.
    pub next_slot: Slot,
    /// Slots proposed and not yet accepted by a majority.
    pub pending: BTreeMap<Slot, Pending>,
    /// Slots whose client is waiting for this leader's reply.
    pub replies: BTreeMap<Slot, (ClientId, u64)>,
}
