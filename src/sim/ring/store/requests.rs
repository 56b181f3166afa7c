//! Client reads and writes through a coordinator: a write goes to the key's preference list
//! and succeeds with W acknowledgements, a read with R_read replies (Dynamo section 4.5).

use super::message::{Body, Message, MessageKind};
use super::replicas::bit;
use super::trace::RingEvent;
use super::{Event, RingSim};
use crate::sim::types::{MsgId, NodeId};

/// Bytes of a read or write message besides the value.
const REQUEST_HEADER_BYTES: u64 = 64;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Kind {
    Put,
    Get,
}

/// A read or write waiting for its quorum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Request {
    kind: Kind,
    key: u32,
    coordinator: NodeId,
    replies: u32,
    latest: bool,
}

impl RingSim {
    /// The key's preference list (coordinator first) and its first running node, which
    /// coordinates; Dynamo section 4.5 lets any of the top N coordinate.
    fn coordinator_for(&self, key: u32) -> (Vec<NodeId>, Option<NodeId>) {
        let list = self.preference_list(key);
        let coordinator = list
            .iter()
            .copied()
            .find(|id| self.nodes.get(id).is_some_and(|n| n.up));
        (list, coordinator)
    }

    pub(super) fn start_put(&mut self, key: u32) {
        let (targets, Some(coordinator)) = self.coordinator_for(key) else {
            self.record(RingEvent::PutDone {
                key,
                coordinator: None,
                ok: false,
                acks: 0,
            });
            return;
        };
        let version = self.table.new_version(key);
        let request = self.open_request(Kind::Put, key, coordinator);
        let bytes = REQUEST_HEADER_BYTES + self.settings.value_bytes as u64;
        for target in targets {
            let body = Body::PutRequest {
                request,
                key,
                version,
            };
            self.send_request(coordinator, target, MessageKind::PutRequest, body, bytes);
        }
    }

    pub(super) fn start_get(&mut self, key: u32) {
        let (targets, Some(coordinator)) = self.coordinator_for(key) else {
            self.record(RingEvent::GetDone {
                key,
                coordinator: None,
                ok: false,
                replies: 0,
                latest: false,
            });
            return;
        };
        let request = self.open_request(Kind::Get, key, coordinator);
        for target in targets {
            let body = Body::GetRequest { request, key };
            self.send_request(
                coordinator,
                target,
                MessageKind::GetRequest,
                body,
                REQUEST_HEADER_BYTES,
            );
        }
    }

    fn open_request(&mut self, kind: Kind, key: u32, coordinator: NodeId) -> u64 {
        let id = self.next_request;
        self.next_request += 1;
        self.requests.insert(
            id,
            Request {
                kind,
                key,
                coordinator,
                replies: 0,
                latest: false,
            },
        );
        let deadline = self.now_us + self.settings.request_timeout_us;
        self.schedule(deadline, Event::RequestTimeout(id));
        id
    }

    fn send_request(
        &mut self,
        from: NodeId,
        to: NodeId,
        kind: MessageKind,
        body: Body,
        bytes: u64,
    ) {
        let now = self.now_us;
        let deliver = now + self.latency(from, to);
        self.send(Message {
            id: MsgId(0),
            kind,
            from,
            to,
            sent_us: now,
            deliver_us: deliver,
            keys: 1,
            bytes,
            body,
        });
    }

    /// A read or write message arrived at a running, reachable node.
    pub(super) fn request_message(&mut self, from: NodeId, to: NodeId, body: Body) {
        match body {
            Body::PutRequest {
                request,
                key,
                version,
            } => {
                let latest = version == self.table.version(key);
                self.table.add_copy(key, to, latest, self.context());
                let body = Body::PutAck { request };
                self.send_request(to, from, MessageKind::PutAck, body, REQUEST_HEADER_BYTES);
            }
            Body::GetRequest { request, key } => {
                let latest = self.table.fresh(key) & bit(to) != 0;
                let body = Body::GetReply { request, latest };
                let bytes = REQUEST_HEADER_BYTES + self.settings.value_bytes as u64;
                self.send_request(to, from, MessageKind::GetReply, body, bytes);
            }
            Body::PutAck { request } => self.reply(request, false),
            Body::GetReply { request, latest } => self.reply(request, latest),
            Body::Transfer { .. } => {}
        }
    }

    fn reply(&mut self, id: u64, latest: bool) {
        let Some(request) = self.requests.get_mut(&id) else {
            return;
        };
        request.replies += 1;
        request.latest |= latest;
        let needed = match request.kind {
            Kind::Put => self.settings.write_quorum,
            Kind::Get => self.settings.read_quorum,
        };
        if request.replies >= needed {
            self.finish(id, true);
        }
    }

    pub(super) fn request_timeout(&mut self, id: u64) {
        self.finish(id, false);
    }

    fn finish(&mut self, id: u64, ok: bool) {
        let Some(request) = self.requests.remove(&id) else {
            return;
        };
        let coordinator = Some(request.coordinator);
        let event = match request.kind {
            Kind::Put => RingEvent::PutDone {
                key: request.key,
                coordinator,
                ok,
                acks: request.replies,
            },
            Kind::Get => RingEvent::GetDone {
                key: request.key,
                coordinator,
                ok,
                replies: request.replies,
                latest: request.latest,
            },
        };
        self.record(event);
    }
}
