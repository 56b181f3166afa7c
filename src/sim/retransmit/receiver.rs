//! The receiver: hands its application each message once, in order, and acknowledges what it
//! has. Whatever an acknowledgement reports is on its log first, so a crash never makes it
//! deliver a message twice or forget one the sender was told had arrived.
//!
//! Go-back-N and stop-and-wait keep nothing out of order: a message ahead of the next expected
//! one is thrown away and the last in-order one acknowledged again (Kurose & Ross, section
//! 3.4.3). Selective repeat keeps messages within its window and delivers them when the gap
//! below fills (section 3.4.4).

use super::config::{AckMode, RetransmitConfig, Scheme};
use super::message::{Message, SackBlock, Seq, SACK_BLOCKS_MAX};
use super::note::{DiscardReason, Note};
use super::record::Record;
use super::types::Out;
use crate::sim::protocol::Effect;
use crate::sim::types::{Addr, NodeId};
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Receiver {
    id: NodeId,
    pair: u32,
    sender: NodeId,
    /// The application has every message up to here.
    delivered_through: Seq,
    /// Selective repeat: messages above `delivered_through + 1` kept until the gap fills,
    /// with their payloads.
    buffered: BTreeMap<Seq, u32>,
}

impl Receiver {
    pub fn start(id: NodeId, pair: u32) -> Receiver {
        Receiver {
            id,
            pair,
            sender: NodeId(id.0.saturating_sub(1)),
            delivered_through: 0,
            buffered: BTreeMap::new(),
        }
    }

    /// A receiver restarting from its log: how far it delivered, and what it had kept above.
    pub fn recover(id: NodeId, pair: u32, disk: &[Record], out: &mut Out) -> Receiver {
        let mut receiver = Receiver::start(id, pair);
        for record in disk {
            match *record {
                Record::DeliveredThrough { seq } => {
                    receiver.delivered_through = receiver.delivered_through.max(seq);
                }
                Record::Buffered { seq, payload } => {
                    receiver.buffered.insert(seq, payload);
                }
                Record::Accepted { .. } | Record::AckedThrough { .. } => {}
            }
        }
        receiver.buffered = receiver
            .buffered
            .split_off(&(receiver.delivered_through + 1));
        out.push(Effect::Note(Note::ReceiverRecovered {
            node: id,
            delivered_through: receiver.delivered_through,
            buffered: receiver.buffered.len() as u64,
        }));
        receiver
    }

    pub fn on_message(
        &mut self,
        from: Addr,
        msg: Message,
        config: &RetransmitConfig,
        out: &mut Out,
    ) {
        if from != Addr::Node(self.sender) {
            return;
        }
        if let Message::Data { seq, payload, .. } = msg {
            self.on_data(seq, payload, config, out);
        }
    }

    fn on_data(&mut self, seq: Seq, payload: u32, config: &RetransmitConfig, out: &mut Out) {
        let (node, pair) = (self.id, self.pair);
        let expected = self.delivered_through + 1;
        if seq == expected {
            self.deliver_from(seq, payload, out);
        } else if seq < expected && config.bugs.no_duplicate_suppression {
            // The bug: the copy goes to the application again.
            self.note_deliver(seq, payload, out);
        } else if seq < expected {
            out.push(Effect::Note(Note::Duplicate { node, pair, seq }));
        } else if config.scheme != Scheme::SelectiveRepeat {
            let reason = DiscardReason::OutOfOrder;
            out.push(Effect::Note(Note::Discard {
                node,
                pair,
                seq,
                reason,
            }));
        } else if seq >= expected + config.window_effective() {
            // Beyond the window the sender cannot have sent it unless it lost track; like the
            // textbook's receiver, ignore it without an acknowledgement.
            let reason = DiscardReason::BeyondWindow;
            out.push(Effect::Note(Note::Discard {
                node,
                pair,
                seq,
                reason,
            }));
            return;
        } else if let Entry::Vacant(slot) = self.buffered.entry(seq) {
            slot.insert(payload);
            out.push(Effect::Persist(Record::Buffered { seq, payload }));
            out.push(Effect::Note(Note::Buffer { node, pair, seq }));
        } else {
            out.push(Effect::Note(Note::Duplicate { node, pair, seq }));
        }
        self.acknowledge(seq, config, out);
    }

    /// `seq` is the next expected message: it and every kept message right above it go to the
    /// application, after one record that says so.
    fn deliver_from(&mut self, seq: Seq, payload: u32, out: &mut Out) {
        let mut run = vec![(seq, payload)];
        let mut next = seq + 1;
        while let Some(p) = self.buffered.remove(&next) {
            run.push((next, p));
            next += 1;
        }
        self.delivered_through = next - 1;
        out.push(Effect::Persist(Record::DeliveredThrough {
            seq: self.delivered_through,
        }));
        for (seq, payload) in run {
            self.note_deliver(seq, payload, out);
        }
    }

    fn note_deliver(&self, seq: Seq, payload: u32, out: &mut Out) {
        out.push(Effect::Note(Note::AppDeliver {
            node: self.id,
            pair: self.pair,
            from: self.sender,
            seq,
            payload,
        }));
    }

    /// Acknowledges everything delivered and, with selective acknowledgements, what is kept
    /// above it. It follows the records it reports, in the same step.
    fn acknowledge(&self, answers_seq: Seq, config: &RetransmitConfig, out: &mut Out) {
        let sack = match config.ack {
            AckMode::Cumulative => Vec::new(),
            AckMode::Selective => self.sack_blocks(answers_seq),
        };
        out.push(Effect::Send {
            to: Addr::Node(self.sender),
            msg: Message::Ack {
                cumulative: self.delivered_through,
                sack,
                answers_seq,
            },
        });
    }

    /// The kept messages as blocks of consecutive numbers: the block holding the message that
    /// just arrived first (RFC 2018, section 4), then the others in order, at most
    /// `SACK_BLOCKS_MAX`.
    fn sack_blocks(&self, arrived: Seq) -> Vec<SackBlock> {
        let mut blocks: Vec<SackBlock> = Vec::new();
        for &seq in self.buffered.keys() {
            match blocks.last_mut() {
                Some(b) if b.last + 1 == seq => b.last = seq,
                _ => blocks.push(SackBlock {
                    first: seq,
                    last: seq,
                }),
            }
        }
        if let Some(i) = blocks.iter().position(|b| b.contains(arrived)) {
            let first = blocks.remove(i);
            blocks.insert(0, first);
        }
        blocks.truncate(SACK_BLOCKS_MAX);
        blocks
    }

    // ----- read-only view for the UI and the tests -----

    pub fn pair(&self) -> u32 {
        self.pair
    }
    pub fn delivered_through(&self) -> Seq {
        self.delivered_through
    }
    pub fn buffered(&self) -> &BTreeMap<Seq, u32> {
        &self.buffered
    }
}
