//! The Hash ring run as the shell's [`ModeRun`]: its clock, its transfers and requests in
//! flight, and the strategies table computed across wake-ups.

use super::geometry::{node_point, node_size};
use super::model::RingModel;
use crate::sim::ring::store::{Message as RingMessage, MessageKind, RingSim};
use crate::sim::types::{Micros, MsgId};
use crate::ui::i18n::tf;
use crate::ui::shell::mode::{inset, Look, ModeRun, Trip};

impl ModeRun for RingModel {
    fn now_us(&self) -> Micros {
        self.sim.now_us()
    }

    /// The ring's run is not recorded: its horizon is now.
    fn horizon_us(&self) -> Micros {
        self.sim.now_us()
    }

    fn seekable(&self) -> bool {
        false
    }

    fn advance_wall(&mut self, wall_ms: f64, speed: f64) {
        RingModel::advance_wall(self, wall_ms, speed);
    }

    fn next_event_wall_ms(&self, speed: f64) -> Option<f64> {
        RingModel::next_event_wall_ms(self, speed)
    }

    fn step(&mut self) {
        RingModel::step(self);
    }

    fn step_interesting(&mut self) {
        RingModel::step_interesting(self);
    }

    fn seek(&mut self, _t_us: Micros) {}

    fn work(&mut self, wall_ms: &dyn Fn() -> f64, wake_ms: f64) -> bool {
        RingModel::work(self, wall_ms, wake_ms)
    }

    fn static_key(&self, out: &mut Vec<u64>) {
        RingModel::static_key(self, out);
    }

    /// The ring's panels follow [`RingModel::static_key`] alone.
    fn trace_len(&self) -> usize {
        0
    }

    fn trips(&self, now_us: Micros, out: &mut Vec<Trip>) -> u32 {
        trips(&self.sim, now_us, out)
    }

    fn look(&self, key: (MsgId, u8)) -> Option<Look> {
        self.sim
            .messages()
            .find(|m| m.id == key.0)
            .map(|m| look(&m))
    }
}

/// Ring transfers drawn at once at most: the first ones queued; the rest wait their turn.
const RING_TRIPS_MAX: usize = 64;

/// Hash ring messages in flight into `out`, and the layout they are placed for (which nodes,
/// in order).
fn trips(sim: &RingSim, now: u64, out: &mut Vec<Trip>) -> u32 {
    let nodes = sim.nodes();
    let n = nodes.len() as u32;
    let layout = nodes.iter().fold(1u32 << 31, |h, node| {
        h.wrapping_mul(31).wrapping_add(node.id.0)
    });
    let gap = node_size(n) + 3.0;
    let slot = |id| nodes.iter().position(|node| node.id == id);
    out.clear();
    let trips = sim
        .messages()
        .filter(|msg| msg.deliver_us > now)
        .filter_map(|msg| {
            let (from, to) = inset(
                node_point(slot(msg.from)?, n),
                node_point(slot(msg.to)?, n),
                gap,
                gap,
            );
            Some(Trip {
                key: (msg.id, 0),
                sent_us: msg.sent_us,
                deliver_us: msg.deliver_us,
                from,
                to,
            })
        })
        .take(RING_TRIPS_MAX);
    out.extend(trips);
    layout
}

/// How a ring message looks.
fn look(msg: &RingMessage) -> Look {
    let ends: [(&str, &dyn std::fmt::Display); 3] =
        [("from", &msg.from), ("to", &msg.to), ("keys", &msg.keys)];
    match msg.kind {
        MessageKind::Transfer => Look {
            class: "transfer",
            letter: "",
            words: tf("ring.msg_transfer", &ends),
            type_name: "Transfer",
        },
        MessageKind::PutRequest => Look {
            class: "append",
            letter: "W",
            words: tf("ring.msg_put", &ends),
            type_name: "PutRequest",
        },
        MessageKind::PutAck => Look {
            class: "append-reply ok",
            letter: "✓",
            words: tf("ring.msg_put_ack", &ends),
            type_name: "PutAck",
        },
        MessageKind::GetRequest => Look {
            class: "vote",
            letter: "R",
            words: tf("ring.msg_get", &ends),
            type_name: "GetRequest",
        },
        MessageKind::GetReply => Look {
            class: "vote-reply ok",
            letter: "✓",
            words: tf("ring.msg_get_reply", &ends),
            type_name: "GetReply",
        },
    }
}
