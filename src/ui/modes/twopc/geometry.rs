//! Where the two-phase commit stage draws, in the shell's 400 x 400 view box: the clients at
//! the top left, the coordinator at the top centre (or, on Raft, its group's members in a row
//! there), the participants (one shard each) in a row below, each with its locks under it.

use crate::sim::twopc::TwoPcConfig;
use crate::sim::types::{Addr, NodeId};
use crate::ui::shell::geometry::VIEW;

/// The clients' box, the coordinator and the participants' row.
pub const CLIENTS: (f64, f64) = (52.0, 70.0);
pub const COORDINATOR_AT: (f64, f64) = (VIEW / 2.0, 70.0);
pub const COORDINATOR_RADIUS: f64 = 28.0;
pub const PARTICIPANT_Y: f64 = 235.0;

/// A member of a coordinator group: smaller discs, this far apart, in the coordinator's place
/// (five fit between the clients' box and the right edge).
pub const MEMBER_RADIUS: f64 = 19.0;
const MEMBER_SPACING: f64 = 50.0;

/// The radius of a participant's disc when there are `participants`.
pub fn participant_radius(participants: u32) -> f64 {
    (VIEW / (2.0 * participants.max(1) as f64) - 14.0).clamp(16.0, 28.0)
}

/// The centre of participant `i` (from 0) of `participants`.
pub fn participant_at(i: u32, participants: u32) -> (f64, f64) {
    let n = participants.max(1) as f64;
    (VIEW * (2.0 * i as f64 + 1.0) / (2.0 * n), PARTICIPANT_Y)
}

/// The centre of member `j` (from 0, node 1 first) of a coordinator group of `members`, a
/// little right of centre so that the row clears the clients' box.
pub fn member_at(j: usize, members: usize) -> (f64, f64) {
    let offset = j as f64 - (members.max(1) - 1) as f64 / 2.0;
    (
        COORDINATOR_AT.0 + 20.0 + offset * MEMBER_SPACING,
        COORDINATOR_AT.1,
    )
}

/// Where an address sits and how far from its centre a message starts or ends.
pub fn place(a: Addr, config: &TwoPcConfig) -> Option<((f64, f64), f64)> {
    let participants = config.participants;
    let members = config.group_members();
    match a {
        Addr::Client(_) => Some((CLIENTS, 22.0)),
        Addr::Node(n) if members.len() == 1 && n == members[0] => {
            Some((COORDINATOR_AT, COORDINATOR_RADIUS + 3.0))
        }
        Addr::Node(n) if members.contains(&n) => {
            let j = members.iter().position(|m| *m == n)?;
            Some((member_at(j, members.len()), MEMBER_RADIUS + 3.0))
        }
        Addr::Node(NodeId(n)) if n >= 2 && n - 2 < participants => Some((
            participant_at(n - 2, participants),
            participant_radius(participants) + 3.0,
        )),
        Addr::Node(_) => None,
    }
}
