//! Which node plays which part: a run has one or more pairs, and pair k (from 0) is sender
//! node 2k+1 and receiver node 2k+2.

use crate::sim::types::NodeId;

/// The kind of a node: odd numbers send, even numbers receive.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    Sender,
    Receiver,
}

impl Role {
    pub fn of(node: NodeId) -> Role {
        if node.0 % 2 == 1 {
            Role::Sender
        } else {
            Role::Receiver
        }
    }
}

/// The pair node `node` belongs to (from 0).
pub fn pair_of(node: NodeId) -> u32 {
    node.0.saturating_sub(1) / 2
}

/// The sender and the receiver of pair `pair`.
pub fn nodes_of(pair: u32) -> (NodeId, NodeId) {
    (NodeId(2 * pair + 1), NodeId(2 * pair + 2))
}
