//! What senders and receivers exchange, and the payload each message carries.

use serde::{Deserialize, Serialize};

/// Sequence numbers are full `u64`s starting at 1 and never wrap, so neither scheme needs the
/// textbook's limit of a window at most half the sequence space (Kurose & Ross, section 3.4.4,
/// "the selective-repeat dilemma"): an old copy can never be mistaken for a new message.
pub type Seq = u64;

/// A message on the network, flattened into the trace's `send` lines under `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message {
    /// Sender to receiver: message `seq` of the stream.
    Data {
        seq: Seq,
        payload: u32,
        /// 1 for the first transmission, 2 for the first retransmission, and so on (a
        /// restarted sender counts whatever it had sent before the crash as one attempt).
        attempt: u32,
    },
    /// Receiver to sender.
    Ack {
        /// Every message up to and including `cumulative` has been delivered; 0 before any.
        cumulative: Seq,
        /// Messages above `cumulative` the receiver holds (selective acknowledgement only).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sack: Vec<SackBlock>,
        /// The data message whose arrival this acknowledgement answers. It acknowledges
        /// nothing by itself (a go-back-N receiver may have discarded that message); it lets the
        /// sender time exactly the message that drew the reply, as the timestamp echo of RFC 7323
        /// does for TCP.
        answers_seq: Seq,
    },
}

/// A run of consecutive messages the receiver holds, `first..=last`. RFC 2018 writes a block
/// as a left edge and the edge just past its end; here both ends are included, to read as the
/// sequence numbers they are.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SackBlock {
    pub first: Seq,
    pub last: Seq,
}

impl SackBlock {
    pub fn contains(self, seq: Seq) -> bool {
        (self.first..=self.last).contains(&seq)
    }
}

/// The most blocks one acknowledgement carries: what fits in TCP's 40 bytes of options
/// (RFC 2018, section 3).
pub const SACK_BLOCKS_MAX: usize = 4;

/// A data message's size on the wire: sequence number, payload, attempt and a 20-byte header.
pub const DATA_BYTES: u64 = 8 + 4 + 4 + 20;
/// An acknowledgement's size without blocks: cumulative point, echo and a 20-byte header.
pub const ACK_BYTES: u64 = 8 + 8 + 20;
/// What each selective acknowledgement block adds.
pub const SACK_BLOCK_BYTES: u64 = 16;

impl Message {
    pub fn bytes(&self) -> u64 {
        match self {
            Message::Data { .. } => DATA_BYTES,
            Message::Ack { sack, .. } => ACK_BYTES + SACK_BLOCK_BYTES * sack.len() as u64,
        }
    }
}

/// The payload of message `seq` of `pair`: a hash of both, so that a check can tell the real
/// message from a stale or made-up one, and every run hands over the same content.
pub fn payload_of(pair: u32, seq: Seq) -> u32 {
    // SplitMix64's finalizer over (pair, seq), folded to 32 bits.
    let mut z = (u64::from(pair) << 56) ^ seq ^ 0x9e37_79b9_7f4a_7c15;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z ^ (z >> 32)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_differ_between_messages_and_pairs() {
        assert_ne!(payload_of(0, 1), payload_of(0, 2));
        assert_ne!(payload_of(0, 1), payload_of(1, 1));
        assert_eq!(payload_of(2, 7), payload_of(2, 7));
    }

    #[test]
    fn acks_without_blocks_leave_the_field_out() {
        let ack = Message::Ack {
            cumulative: 3,
            sack: vec![],
            answers_seq: 3,
        };
        let json = serde_json::to_string(&ack).unwrap();
        assert_eq!(json, r#"{"type":"ack","cumulative":3,"answers_seq":3}"#);
        assert_eq!(serde_json::from_str::<Message>(&json).unwrap(), ack);
    }
}
