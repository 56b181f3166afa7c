//! Where the Paxos stage draws, in the shell's 400 x 400 view box: the nodes on the shell's
//! circle (as Raft's cluster), the clients of a Multi-Paxos run in the middle.

use crate::sim::types::{Addr, NodeId};
use crate::ui::shell::geometry::{node_center, node_radius, CENTER};

/// The clients' box, in the middle of the circle.
pub const CLIENTS: (f64, f64) = (CENTER, CENTER);

/// The centre of node `node` (from 1) of `nodes`.
pub fn node_at(node: NodeId, nodes: u32) -> (f64, f64) {
    node_center(node.0.saturating_sub(1) as usize, nodes)
}

/// Where an address sits and how far from its centre a message starts or ends.
pub fn place(a: Addr, nodes: u32) -> Option<((f64, f64), f64)> {
    match a {
        Addr::Client(_) => Some((CLIENTS, 18.0)),
        Addr::Node(n) if n.0 >= 1 && n.0 <= nodes => {
            Some((node_at(n, nodes), node_radius(nodes) + 3.0))
        }
        Addr::Node(_) => None,
    }
}
