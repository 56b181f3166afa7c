//! The retransmission protocol's own trace lines. Their kinds stay clear of the engine's
//! framing kinds (`send`, `deliver`, `drop`, `crash`, ...), which is why the receiver's hand-over
//! to its application is `app_deliver`, not `deliver`.

use super::message::Seq;
use crate::sim::types::{Micros, NodeId};
use serde::{Deserialize, Serialize};

/// Why a message went out again.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetransmitReason {
    /// Its acknowledgement did not arrive before the retransmission timer fired.
    Timeout,
    /// The sender restarted and resends what its log holds unacknowledged.
    Recovery,
}

/// Why a receiver threw a message away without delivering or keeping it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscardReason {
    /// Go-back-N and stop-and-wait keep nothing that arrives ahead of the next expected message.
    OutOfOrder,
    /// Selective repeat: the message lies beyond the receiver's window.
    BeyondWindow,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    // ----- sender -----
    /// The application handed message `seq` to the sender, which wrote it to its log.
    /// `last` marks the final message of a bounded run.
    Accept {
        node: NodeId,
        pair: u32,
        seq: Seq,
        payload: u32,
        #[serde(default, skip_serializing_if = "is_false")]
        last: bool,
    },
    /// Message `seq` is sent again, as transmission number `attempt`.
    Retransmit {
        node: NodeId,
        seq: Seq,
        attempt: u32,
        reason: RetransmitReason,
    },
    /// A round trip was measured on message `seq` (sent once, so unambiguous: Karn's rule)
    /// and the estimate moved (RFC 6298 section 2).
    RttSample {
        node: NodeId,
        seq: Seq,
        rtt_us: Micros,
        srtt_us: Micros,
        rttvar_us: Micros,
        rto_us: Micros,
    },
    /// Message `seq` timed out again and the timeout doubled (RFC 6298 section 5.5).
    Backoff {
        node: NodeId,
        seq: Seq,
        rto_us: Micros,
    },
    /// An acknowledgement told the sender something new: everything up to `cumulative`
    /// arrived (the window's base moved past it), and so did the messages in `sacked`.
    Acked {
        node: NodeId,
        cumulative: Seq,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sacked: Vec<Seq>,
    },
    /// A restarted sender read its log: everything up to `acked_through` acknowledged,
    /// `unacked` messages to resend, and the application next hands over `next_seq`.
    SenderRecovered {
        node: NodeId,
        acked_through: Seq,
        unacked: u64,
        next_seq: Seq,
    },

    // ----- receiver -----
    /// Message `seq` from `from` was handed to the receiver's application.
    AppDeliver {
        node: NodeId,
        pair: u32,
        from: NodeId,
        seq: Seq,
        payload: u32,
    },
    /// A copy of a message already delivered or already kept was dropped (and acknowledged
    /// again, since the sender evidently has not heard).
    Duplicate { node: NodeId, pair: u32, seq: Seq },
    /// Selective repeat: message `seq` arrived out of order and is kept until the gap fills.
    Buffer { node: NodeId, pair: u32, seq: Seq },
    /// Message `seq` was thrown away.
    Discard {
        node: NodeId,
        pair: u32,
        seq: Seq,
        reason: DiscardReason,
    },
    /// A restarted receiver read its log: delivered through `delivered_through`, `buffered`
    /// messages kept above it.
    ReceiverRecovered {
        node: NodeId,
        delivered_through: Seq,
        buffered: u64,
    },
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Note {
    /// The `kind` field's value.
    pub fn kind(&self) -> &'static str {
        match self {
            Note::Accept { .. } => "accept",
            Note::Retransmit { .. } => "retransmit",
            Note::RttSample { .. } => "rtt_sample",
            Note::Backoff { .. } => "backoff",
            Note::Acked { .. } => "acked",
            Note::SenderRecovered { .. } => "sender_recovered",
            Note::AppDeliver { .. } => "app_deliver",
            Note::Duplicate { .. } => "duplicate",
            Note::Buffer { .. } => "buffer",
            Note::Discard { .. } => "discard",
            Note::ReceiverRecovered { .. } => "receiver_recovered",
        }
    }

    /// The node the line is about.
    pub fn node(&self) -> NodeId {
        match self {
            Note::Accept { node, .. }
            | Note::Retransmit { node, .. }
            | Note::RttSample { node, .. }
            | Note::Backoff { node, .. }
            | Note::Acked { node, .. }
            | Note::SenderRecovered { node, .. }
            | Note::AppDeliver { node, .. }
            | Note::Duplicate { node, .. }
            | Note::Buffer { node, .. }
            | Note::Discard { node, .. }
            | Note::ReceiverRecovered { node, .. } => *node,
        }
    }
}
