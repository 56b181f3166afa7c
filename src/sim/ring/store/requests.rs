//! Client reads and writes through a coordinator: a write goes to the key's preference list
//! and succeeds with W acknowledgements, a read with R_read replies (Dynamo section 4.5).

use super::message::RingMessage;
use super::replicas::bit;
use super::trace::RingEvent;
use super::world::{note, Kind, Request, E};
use super::WorldEvent;
use crate::sim::types::{Addr, NodeId};

/// The key's preference list (coordinator first) and its first running node, which
/// coordinates; Dynamo section 4.5 lets any of the top N coordinate.
fn coordinator_for(e: &E, key: u32) -> (Vec<NodeId>, Option<NodeId>) {
    let list = e.world.preference_list(key, e.settings.store.replication);
    let coordinator = list
        .iter()
        .copied()
        .find(|id| e.world.nodes.get(id).is_some_and(|n| n.up));
    (list, coordinator)
}

fn send(e: &mut E, from: NodeId, to: NodeId, msg: RingMessage) {
    e.send(Addr::Node(from), Addr::Node(to), msg);
}

pub(super) fn start_put(e: &mut E, key: u32) {
    let (targets, Some(coordinator)) = coordinator_for(e, key) else {
        note(
            e,
            RingEvent::PutDone {
                request: 0,
                key,
                coordinator: None,
                ok: false,
                acks: 0,
            },
        );
        return;
    };
    let version = e.world.table.new_version(key);
    let request = open_request(e, Kind::Put, key, coordinator);
    for target in targets {
        let msg = RingMessage::PutRequest {
            request,
            key,
            version,
        };
        send(e, coordinator, target, msg);
    }
}

pub(super) fn start_get(e: &mut E, key: u32) {
    let (targets, Some(coordinator)) = coordinator_for(e, key) else {
        note(
            e,
            RingEvent::GetDone {
                request: 0,
                key,
                coordinator: None,
                ok: false,
                replies: 0,
                latest: false,
            },
        );
        return;
    };
    let request = open_request(e, Kind::Get, key, coordinator);
    for target in targets {
        send(
            e,
            coordinator,
            target,
            RingMessage::GetRequest { request, key },
        );
    }
}

fn open_request(e: &mut E, kind: Kind, key: u32, coordinator: NodeId) -> u64 {
    let id = e.world.next_request;
    e.world.next_request += 1;
    e.world.requests.insert(
        id,
        Request {
            kind,
            key,
            coordinator,
            replies: 0,
            replied: 0,
            latest: false,
        },
    );
    let deadline = e.now_us + e.settings.store.request_timeout_us;
    e.push_world(deadline, WorldEvent::RequestTimeout(id));
    id
}

/// A read or write message arrived at a running, reachable node.
pub(super) fn request_message(e: &mut E, from: NodeId, to: NodeId, msg: RingMessage) {
    match msg {
        RingMessage::PutRequest {
            request,
            key,
            version,
        } => {
            let latest = version == e.world.table.version(key);
            let ctx = e.world.context(&e.settings.store);
            e.world.table.add_copy(key, to, latest, ctx);
            send(e, to, from, RingMessage::PutAck { request });
        }
        RingMessage::GetRequest { request, key } => {
            let latest = e.world.table.fresh(key) & bit(to) != 0;
            send(e, to, from, RingMessage::GetReply { request, latest });
        }
        RingMessage::PutAck { request } => reply(e, request, from, false),
        RingMessage::GetReply { request, latest } => reply(e, request, from, latest),
        RingMessage::Transfer { .. } => {}
    }
}

fn reply(e: &mut E, id: u64, from: NodeId, latest: bool) {
    let (write_quorum, read_quorum) = (e.settings.store.write_quorum, e.settings.store.read_quorum);
    let early = e.settings.bugs.ack_before_quorum;
    let Some(request) = e.world.requests.get_mut(&id) else {
        return;
    };
    if request.replied & bit(from) != 0 {
        return; // a duplicate of a reply already counted
    }
    request.replied |= bit(from);
    request.replies += 1;
    request.latest |= latest;
    let needed = match request.kind {
        // The broken switch: the coordinator counts its own write before its ack arrives.
        Kind::Put if early => write_quorum.saturating_sub(1).max(1),
        Kind::Put => write_quorum,
        Kind::Get => read_quorum,
    };
    if request.replies >= needed {
        finish(e, id, true);
    }
}

pub(super) fn finish(e: &mut E, id: u64, ok: bool) {
    let Some(request) = e.world.requests.remove(&id) else {
        return;
    };
    if ok {
        e.world.ops_ok += 1;
    }
    let coordinator = Some(request.coordinator);
    let line = match request.kind {
        Kind::Put => RingEvent::PutDone {
            request: id,
            key: request.key,
            coordinator,
            ok,
            acks: request.replies,
        },
        Kind::Get => RingEvent::GetDone {
            request: id,
            key: request.key,
            coordinator,
            ok,
            replies: request.replies,
            latest: request.latest,
        },
    };
    note(e, line);
}
