//! The sender: takes numbered messages from its application, writes each to its log before
//! it first leaves, keeps a window of them in flight and resends what is not acknowledged in
//! time.
//!
//! Timers follow the scheme (Kurose & Ross, "Computer Networking", section 3.4; Tanenbaum,
//! "Computer Networks", section 3.4, protocols 5 and 6):
//! - go-back-N and stop-and-wait run one timer, for the oldest unacknowledged message. It
//!   starts when a message leaves an empty window, restarts whenever an acknowledgement moves
//!   the window (RFC 6298 section 5.3) and stops when nothing is left in flight (5.2). When it
//!   fires, every message in flight goes again, because the receiver threw away whatever
//!   arrived after the lost one.
//! - selective repeat runs one timer per message in flight, and a timeout resends only that
//!   message, because the receiver kept the others.

use super::config::{AckMode, RetransmitConfig, Scheme};
use super::message::{payload_of, Message, SackBlock, Seq};
use super::note::{Note, RetransmitReason};
use super::record::Record;
use super::rto::RtoEstimator;
use super::timer::Timer;
use super::types::Out;
use crate::sim::protocol::Effect;
use crate::sim::types::{Addr, Micros, NodeId};
use std::collections::BTreeMap;

/// A message accepted from the application and not yet cumulatively acknowledged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unacked {
    pub payload: u32,
    /// How many times it has left. A message read back from the log counts as sent once,
    /// since it may have left before the crash; this keeps Karn's rule sound after a restart.
    pub transmissions: u32,
    /// When it last left, since this node (re)started; `None` before that.
    pub sent_at_us: Option<Micros>,
    /// A selective acknowledgement reported it: it is never sent again.
    pub sacked: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sender {
    id: NodeId,
    pair: u32,
    receiver: NodeId,
    /// The sequence number the application hands over next.
    next_accept_seq: Seq,
    /// Every message up to here is acknowledged; the window starts just above it.
    acked_through: Seq,
    /// The first message not yet sent since this node (re)started. The messages in flight are
    /// those of `unacked` below it.
    next_send_seq: Seq,
    unacked: BTreeMap<Seq, Unacked>,
    rto: RtoEstimator,
}

impl Sender {
    /// A sender booting with an empty log.
    pub fn start(
        id: NodeId,
        pair: u32,
        config: &RetransmitConfig,
        now_us: Micros,
        out: &mut Out,
    ) -> Sender {
        let mut sender = Sender::empty(id, pair, config);
        if config.offered_interval_us == 0 {
            sender.fill_window(config, now_us, out);
            sender.arm_oldest_timer(config, false, false, out);
        } else {
            sender.on_offer(config, now_us, out);
        }
        sender
    }

    /// A sender restarting from its log: everything accepted and not known to be acknowledged
    /// is resent, counted as a retransmission (it may have left before the crash).
    pub fn recover(
        id: NodeId,
        pair: u32,
        config: &RetransmitConfig,
        disk: &[Record],
        now_us: Micros,
        out: &mut Out,
    ) -> Sender {
        let mut sender = Sender::empty(id, pair, config);
        let mut accepted = BTreeMap::new();
        for record in disk {
            match *record {
                Record::Accepted { seq, payload } => {
                    accepted.insert(seq, payload);
                }
                Record::AckedThrough { seq } => {
                    sender.acked_through = sender.acked_through.max(seq);
                }
                Record::DeliveredThrough { .. } | Record::Buffered { .. } => {}
            }
        }
        let last_accepted = accepted.keys().next_back().copied().unwrap_or(0);
        sender.next_accept_seq = last_accepted.max(sender.acked_through) + 1;
        sender.next_send_seq = sender.acked_through + 1;
        if config.bugs.forget_unacked_on_crash {
            // The bug: the retransmission queue lived only in memory. The application's
            // position survives, so nothing is handed over twice, and nothing is resent.
            sender.next_send_seq = sender.next_accept_seq;
        } else {
            for (seq, payload) in accepted.range(sender.acked_through + 1..) {
                let message = Unacked {
                    payload: *payload,
                    transmissions: 1,
                    sent_at_us: None,
                    sacked: false,
                };
                sender.unacked.insert(*seq, message);
            }
        }
        out.push(Effect::Note(Note::SenderRecovered {
            node: id,
            acked_through: sender.acked_through,
            unacked: sender.unacked.len() as u64,
            next_seq: sender.next_accept_seq,
        }));
        let was_in_flight = false;
        sender.fill_window(config, now_us, out);
        sender.arm_oldest_timer(config, was_in_flight, false, out);
        if config.offered_interval_us > 0 && sender.can_accept(config) {
            out.push(Effect::SetTimer {
                timer: Timer::Offer,
                after_us: config.offered_interval_us,
            });
        }
        sender
    }

    fn empty(id: NodeId, pair: u32, config: &RetransmitConfig) -> Sender {
        Sender {
            id,
            pair,
            receiver: NodeId(id.0 + 1),
            next_accept_seq: 1,
            acked_through: 0,
            next_send_seq: 1,
            unacked: BTreeMap::new(),
            rto: RtoEstimator::new(&config.rto),
        }
    }

    /// The application's timer: take its next message and send it if the window has room.
    pub fn on_offer(&mut self, config: &RetransmitConfig, now_us: Micros, out: &mut Out) {
        self.hand_over(config, now_us, out);
        if config.offered_interval_us > 0 && self.can_accept(config) {
            out.push(Effect::SetTimer {
                timer: Timer::Offer,
                after_us: config.offered_interval_us,
            });
        }
    }

    /// The application hands over one message now (a learner's command or the offer timer).
    pub fn hand_over(&mut self, config: &RetransmitConfig, now_us: Micros, out: &mut Out) {
        if !self.can_accept(config) {
            return;
        }
        let was_in_flight = self.any_in_flight();
        self.accept(config, out);
        self.fill_window(config, now_us, out);
        self.arm_oldest_timer(config, was_in_flight, false, out);
    }

    pub fn on_timer(
        &mut self,
        timer: Timer,
        config: &RetransmitConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        match timer {
            Timer::Offer => self.on_offer(config, now_us, out),
            Timer::Oldest => self.on_oldest_timeout(config, now_us, out),
            Timer::Message { slot } => self.on_message_timeout(slot, config, now_us, out),
        }
    }

    pub fn on_message(
        &mut self,
        from: Addr,
        msg: Message,
        config: &RetransmitConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        if from != Addr::Node(self.receiver) {
            return;
        }
        if let Message::Ack {
            cumulative,
            sack,
            answers_seq,
        } = msg
        {
            self.on_ack(cumulative, &sack, answers_seq, config, now_us, out);
        }
    }

    // ----- the application -----

    fn can_accept(&self, config: &RetransmitConfig) -> bool {
        config.messages == 0 || self.next_accept_seq <= config.messages
    }

    /// Takes the application's next message and writes it to the log; the write comes before
    /// any send of it, so under every-write syncing the engine holds the send until it is
    /// durable.
    fn accept(&mut self, config: &RetransmitConfig, out: &mut Out) {
        let seq = self.next_accept_seq;
        let payload = payload_of(self.pair, seq);
        out.push(Effect::Persist(Record::Accepted { seq, payload }));
        out.push(Effect::Note(Note::Accept {
            node: self.id,
            pair: self.pair,
            seq,
            payload,
            last: config.messages > 0 && seq == config.messages,
        }));
        self.unacked.insert(
            seq,
            Unacked {
                payload,
                transmissions: 0,
                sent_at_us: None,
                sacked: false,
            },
        );
        self.next_accept_seq = seq + 1;
    }

    // ----- sending -----

    fn window_end(&self, config: &RetransmitConfig) -> Seq {
        self.acked_through + config.window_effective()
    }

    fn any_in_flight(&self) -> bool {
        self.unacked.range(..self.next_send_seq).next().is_some()
    }

    /// Sends what the window has room for: messages waiting at the sender first, then, when
    /// the application is backlogged, new ones taken from it.
    fn fill_window(&mut self, config: &RetransmitConfig, now_us: Micros, out: &mut Out) {
        while self.next_send_seq <= self.window_end(config) {
            let seq = self.next_send_seq;
            match self.unacked.get(&seq) {
                Some(m) if m.sacked => self.next_send_seq += 1,
                Some(m) => {
                    // Only a message read back from the log has left before being sent here.
                    let reason = (m.transmissions > 0).then_some(RetransmitReason::Recovery);
                    self.next_send_seq += 1;
                    self.transmit(seq, reason, config, now_us, out);
                }
                None if seq < self.next_accept_seq => {
                    // Not in the queue though accepted: only a sender with the
                    // forget-unacked bug loses messages this way.
                    self.next_send_seq += 1;
                }
                None => {
                    if config.offered_interval_us > 0 || !self.can_accept(config) {
                        break;
                    }
                    self.accept(config, out);
                }
            }
        }
    }

    /// Sends message `seq` (first time when `reason` is `None`) and, under selective repeat,
    /// arms its own timer.
    fn transmit(
        &mut self,
        seq: Seq,
        reason: Option<RetransmitReason>,
        config: &RetransmitConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        let Some(m) = self.unacked.get_mut(&seq) else {
            return;
        };
        m.transmissions = m.transmissions.saturating_add(1);
        m.sent_at_us = Some(now_us);
        let attempt = m.transmissions;
        let payload = m.payload;
        if let Some(reason) = reason {
            out.push(Effect::Note(Note::Retransmit {
                node: self.id,
                seq,
                attempt,
                reason,
            }));
        }
        out.push(Effect::Send {
            to: Addr::Node(self.receiver),
            msg: Message::Data {
                seq,
                payload,
                attempt,
            },
        });
        if config.scheme == Scheme::SelectiveRepeat {
            out.push(Effect::SetTimer {
                timer: Timer::of_message(seq),
                after_us: self.rto.current_us(&config.rto),
            });
        }
    }

    /// Go-back-N and stop-and-wait's one timer: started when a message leaves an empty window
    /// (RFC 6298 section 5.1), restarted on `restart` (new data acknowledged, 5.3, or a
    /// timeout, 5.6), stopped when nothing is in flight (5.2).
    fn arm_oldest_timer(
        &self,
        config: &RetransmitConfig,
        was_in_flight: bool,
        restart: bool,
        out: &mut Out,
    ) {
        if config.scheme == Scheme::SelectiveRepeat {
            return;
        }
        let timer = Timer::Oldest;
        if !self.any_in_flight() {
            if was_in_flight {
                out.push(Effect::CancelTimer { timer });
            }
        } else if restart || !was_in_flight {
            out.push(Effect::SetTimer {
                timer,
                after_us: self.rto.current_us(&config.rto),
            });
        }
    }

    // ----- timeouts -----

    /// Go-back-N: the oldest message timed out; back off (RFC 6298 section 5.5) and resend
    /// every message in flight (Kurose & Ross, section 3.4.3).
    fn on_oldest_timeout(&mut self, config: &RetransmitConfig, now_us: Micros, out: &mut Out) {
        let in_flight: Vec<Seq> = self
            .unacked
            .range(..self.next_send_seq)
            .filter(|(_, m)| !m.sacked)
            .map(|(seq, _)| *seq)
            .collect();
        let Some(&oldest) = in_flight.first() else {
            return;
        };
        self.back_off(oldest, config, out);
        for seq in in_flight {
            self.transmit(seq, Some(RetransmitReason::Timeout), config, now_us, out);
        }
        self.arm_oldest_timer(config, true, true, out);
    }

    /// Selective repeat: one message timed out; back off and resend only it (Kurose & Ross,
    /// section 3.4.4).
    fn on_message_timeout(
        &mut self,
        slot: u32,
        config: &RetransmitConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        let timed_out = self
            .unacked
            .range(..self.next_send_seq)
            .find(|(seq, m)| !m.sacked && Timer::of_message(**seq) == Timer::Message { slot })
            .map(|(seq, _)| *seq);
        if let Some(seq) = timed_out {
            self.back_off(seq, config, out);
            self.transmit(seq, Some(RetransmitReason::Timeout), config, now_us, out);
        }
    }

    /// The timeout of `seq` doubles once per time it timed out (its transmissions so far).
    fn back_off(&mut self, seq: Seq, config: &RetransmitConfig, out: &mut Out) {
        let Some(m) = self.unacked.get(&seq) else {
            return;
        };
        if let Some(rto_us) = self.rto.back_off(m.transmissions, &config.rto) {
            out.push(Effect::Note(Note::Backoff {
                node: self.id,
                seq,
                rto_us,
            }));
        }
    }

    // ----- acknowledgements -----

    fn on_ack(
        &mut self,
        cumulative: Seq,
        sack: &[SackBlock],
        answers_seq: Seq,
        config: &RetransmitConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        let was_in_flight = self.any_in_flight();
        let sent_below = self.next_send_seq;
        // Nothing above what the application handed over can be acknowledged; a receiver
        // reporting more has seen messages whose records this sender's disk lost, which it
        // will accept and send again, and the receiver will drop as duplicates.
        let cumulative = cumulative.min(self.next_accept_seq - 1);
        let sack: &[SackBlock] = if config.ack == AckMode::Selective {
            sack
        } else {
            &[]
        };
        let sample = self.round_trip(cumulative, sack, answers_seq, now_us);
        let sacked = self.mark_sacked(cumulative, sack);
        let mut stop_timers = sacked.clone();
        let advanced = cumulative > self.acked_through;
        if advanced {
            stop_timers.extend(self.advance_to(cumulative));
        }
        if advanced || !sacked.is_empty() {
            out.push(Effect::Note(Note::Acked {
                node: self.id,
                cumulative: self.acked_through,
                sacked,
            }));
        }
        if let Some(s) = sample.and_then(|rtt_us| self.rto.sample(rtt_us, &config.rto)) {
            out.push(Effect::Note(Note::RttSample {
                node: self.id,
                seq: answers_seq,
                rtt_us: s.rtt_us,
                srtt_us: s.srtt_us,
                rttvar_us: s.rttvar_us,
                rto_us: s.rto_us,
            }));
        }
        if config.scheme == Scheme::SelectiveRepeat {
            // Only messages sent since the (re)start have a timer running.
            for seq in stop_timers.into_iter().filter(|s| *s < sent_below) {
                out.push(Effect::CancelTimer {
                    timer: Timer::of_message(seq),
                });
            }
        }
        self.fill_window(config, now_us, out);
        self.arm_oldest_timer(config, was_in_flight, advanced, out);
        if advanced {
            // Lazily durable: nothing waits for it (see `Record::AckedThrough`), so it comes
            // after this step's sends, which under every-write syncing would otherwise wait
            // for its sync.
            out.push(Effect::Persist(Record::AckedThrough {
                seq: self.acked_through,
            }));
        }
    }

    /// Marks the messages the blocks report above `cumulative`; returns those newly marked, in
    /// order.
    fn mark_sacked(&mut self, cumulative: Seq, sack: &[SackBlock]) -> Vec<Seq> {
        let mut sacked = Vec::new();
        for block in sack {
            let low = block.first.max(cumulative + 1);
            if block.last < low {
                continue;
            }
            for (seq, m) in self.unacked.range_mut(low..=block.last) {
                if !m.sacked {
                    m.sacked = true;
                    sacked.push(*seq);
                }
            }
        }
        // The block holding the newest arrival comes first (RFC 2018), not the lowest.
        sacked.sort_unstable();
        sacked
    }

    /// Moves the window's base past `cumulative`; returns the acknowledged messages that were
    /// still timed (not already reported by a block).
    fn advance_to(&mut self, cumulative: Seq) -> Vec<Seq> {
        let still_unacked = self.unacked.split_off(&(cumulative + 1));
        let acked = std::mem::replace(&mut self.unacked, still_unacked);
        self.acked_through = cumulative;
        self.next_send_seq = self.next_send_seq.max(cumulative + 1);
        acked
            .into_iter()
            .filter(|(_, m)| !m.sacked)
            .map(|(seq, _)| seq)
            .collect()
    }

    /// The round trip this acknowledgement measures, if any: the time since `answers_seq`
    /// left, provided the acknowledgement newly covers it and it left only once (Karn's rule,
    /// RFC 6298 section 3: an acknowledgement of a retransmitted message could answer any of
    /// its copies).
    fn round_trip(
        &self,
        cumulative: Seq,
        sack: &[SackBlock],
        answers_seq: Seq,
        now_us: Micros,
    ) -> Option<Micros> {
        let m = self.unacked.get(&answers_seq)?;
        let covered = answers_seq <= cumulative || sack.iter().any(|b| b.contains(answers_seq));
        if !covered || m.sacked || m.transmissions != 1 {
            return None;
        }
        m.sent_at_us.map(|sent| now_us.saturating_sub(sent))
    }

    // ----- read-only view for the UI and the tests -----

    pub fn pair(&self) -> u32 {
        self.pair
    }
    pub fn acked_through(&self) -> Seq {
        self.acked_through
    }
    pub fn next_accept_seq(&self) -> Seq {
        self.next_accept_seq
    }
    pub fn unacked(&self) -> &BTreeMap<Seq, Unacked> {
        &self.unacked
    }
    pub fn rto(&self) -> &RtoEstimator {
        &self.rto
    }
}
