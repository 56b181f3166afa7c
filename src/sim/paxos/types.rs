//! Paxos as a type, with its ballots, slots and values and the effect list its nodes fill.
//! They live apart from `impl Protocol` (`protocol.rs`) so that the roles can name them
//! without naming it back.

use crate::sim::kv::Command;
use crate::sim::protocol::Effect;
use crate::sim::types::{ClientId, NodeId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The protocol, for the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct Paxos;

/// What one step of a node asks the world to do.
pub(crate) type Out = Vec<Effect<Paxos>>;

/// A position in the replicated log, from 1. Single-decree Paxos decides slot 1 only.
pub type Slot = u64;

/// The one slot single-decree Paxos decides.
pub const SINGLE_SLOT: Slot = 1;

/// A proposal number ("Paxos Made Simple", section 2.2): totally ordered by round, then by
/// the proposer's id, so that different proposers never use the same number (section 2.5:
/// "different proposers choose their numbers from disjoint sets"). The zero ballot is below
/// every ballot a proposer uses.
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Ballot {
    pub round: u64,
    pub proposer: NodeId,
}

impl fmt::Display for Ballot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.round, self.proposer)
    }
}

/// A value a slot may be decided to: a single-decree proposer's own value, a client's
/// command (Multi-Paxos) or a no-op that a new leader fills a gap with (section 3).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "is", rename_all = "snake_case")]
pub enum Value {
    Noop,
    /// The value proposer `proposer` puts forward when no acceptor reports one.
    Own {
        proposer: NodeId,
    },
    /// Client `client`'s request number `request`.
    Command {
        client: ClientId,
        request: u64,
        cmd: Command,
    },
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Noop => write!(f, "no-op"),
            Value::Own { proposer } => write!(f, "{proposer}'s value"),
            Value::Command {
                client,
                request,
                cmd,
            } => write!(f, "{client}#{request} {cmd}"),
        }
    }
}

/// An acceptor's accepted proposal for one slot, as a promise reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedEntry {
    pub slot: Slot,
    pub ballot: Ballot,
    pub value: Value,
    /// The node's learner has learned `value` chosen in `slot`: a new leader learns it too
    /// instead of proposing it again (Multi-Paxos; the learner's knowledge, not the
    /// acceptor's, so it is only ever a chosen value).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chosen: bool,
}

/// What a learner, a lesson or a scenario may ask of a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaxosCommand {
    /// Start phase 1 now with a higher ballot: a single-decree proposer proposes (its own
    /// value, unless a promise reports one), a Multi-Paxos node campaigns to lead.
    Propose,
}

/// A majority of `nodes` acceptors.
pub fn majority(nodes: u32) -> usize {
    nodes as usize / 2 + 1
}
