//! Where the primary-backup stage draws, in the shell's 400 x 400 view box: the view service
//! at the top centre, the servers (primary, backups or standbys) in a row across the middle,
//! the clients below them (so that their requests do not cross the pings), and in cold mode
//! the shared storage at the bottom centre with the clients to its left.

use crate::sim::pb::config::{PbConfig, VIEW_SERVICE};
use crate::sim::types::{Addr, NodeId};
use crate::ui::shell::geometry::VIEW;

pub const VIEW_SERVICE_AT: (f64, f64) = (VIEW / 2.0, 58.0);
pub const VIEW_SERVICE_RADIUS: f64 = 26.0;
pub const SERVER_Y: f64 = 196.0;
pub const STORAGE_AT: (f64, f64) = (VIEW / 2.0, 338.0);
pub const STORAGE_RADIUS: f64 = 24.0;

/// The clients' box: below the servers, or in cold mode left of the storage.
pub fn clients_at(config: &PbConfig) -> (f64, f64) {
    if config.storage().is_some() {
        (52.0, STORAGE_AT.1)
    } else {
        (VIEW / 2.0, STORAGE_AT.1)
    }
}

/// The radius of a server's disc when there are `servers`.
pub fn server_radius(servers: u32) -> f64 {
    (VIEW / (2.0 * servers.max(1) as f64) - 16.0).clamp(17.0, 26.0)
}

/// The centre of server `i` (from 0) of `servers`.
pub fn server_at(i: u32, servers: u32) -> (f64, f64) {
    let n = servers.max(1) as f64;
    (VIEW * (2.0 * i as f64 + 1.0) / (2.0 * n), SERVER_Y)
}

/// Where node `node` sits and its disc's radius.
pub fn node_place(node: NodeId, config: &PbConfig) -> Option<((f64, f64), f64)> {
    if node == VIEW_SERVICE {
        return Some((VIEW_SERVICE_AT, VIEW_SERVICE_RADIUS));
    }
    if config.storage() == Some(node) {
        return Some((STORAGE_AT, STORAGE_RADIUS));
    }
    if config.is_server(node) {
        let servers = config.servers();
        return Some((server_at(node.0 - 2, servers), server_radius(servers)));
    }
    None
}

/// Where an address sits and how far from its centre a message starts or ends.
pub fn place(a: Addr, config: &PbConfig) -> Option<((f64, f64), f64)> {
    match a {
        Addr::Client(_) => Some((clients_at(config), 22.0)),
        Addr::Node(n) => node_place(n, config).map(|(at, r)| (at, r + 3.0)),
    }
}
