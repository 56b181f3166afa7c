//! Settings of a retransmission run, with their defaults stated once and their bounds checked
//! by `validate`.

use crate::i18n::Text;
use crate::sim::engine::within;
use crate::sim::types::{Micros, MICROS_PER_MS};
use serde::{Deserialize, Serialize};

/// The most sender-receiver pairs in one run (pair k is nodes 2k+1 and 2k+2).
pub const PAIRS_MAX: u32 = 4;
/// The most messages in flight. Selective repeat arms one timer per message in flight, in
/// slot `seq % WINDOW_MAX`, so this is also the number of its retransmission timers.
pub const WINDOW_MAX: u32 = 32;
/// The longest retransmission timeout any setting may name. RFC 6298 section 2.5 allows a
/// maximum RTO provided it is at least 60 seconds; ten minutes leaves room for that.
pub const RTO_US_MAX: Micros = 600_000 * MICROS_PER_MS;
/// The most messages one sender's application hands over in a bounded run.
pub const MESSAGES_MAX: u64 = 1_000_000;
/// The longest pause between two messages the application hands over.
pub const OFFERED_INTERVAL_US_MAX: Micros = 60_000 * MICROS_PER_MS;

/// How the sender keeps messages in flight and what it resends.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// One message at a time (Kurose & Ross, section 3.4.1, rdt3.0). On a FIFO link this is
    /// the alternating-bit protocol, whose one-bit sequence number suffices because nothing
    /// overtakes; this network reorders, so a delayed old copy carrying the same bit would be
    /// taken for the new message, and stop-and-wait here numbers messages in full.
    StopAndWait,
    /// A window of messages and one timer for the oldest unacknowledged; a timeout resends the
    /// whole window, and the receiver keeps nothing out of order (Kurose & Ross, section
    /// 3.4.3; Tanenbaum, "Computer Networks", protocol 5).
    GoBackN,
    /// A window of messages, each with its own timer; a timeout resends only that message, and
    /// the receiver buffers what arrives out of order within its window (Kurose & Ross,
    /// section 3.4.4; Tanenbaum, protocol 6).
    SelectiveRepeat,
}

/// What an acknowledgement reports.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AckMode {
    /// Only the cumulative point: every message up to it has been delivered.
    Cumulative,
    /// The cumulative point plus blocks of messages received above it, in the style of TCP
    /// selective acknowledgement (RFC 2018). Only a selective-repeat receiver keeps messages
    /// above its cumulative point, so under the other schemes the blocks are always empty.
    Selective,
}

/// How the sender chooses its retransmission timeout.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RtoPolicy {
    /// The same timeout for every message, whatever the round trips measure, and no backoff:
    /// the textbook's fixed timer.
    Fixed { rto_us: Micros },
    /// RFC 6298: measured round trips set the timeout, and each timeout of a message doubles
    /// it up to `max_us`. `min_us` plays the part of the RFC's one-second floor (section 2.4),
    /// lowered here (Linux uses 200 ms) so that simulated links of a few milliseconds are
    /// worth watching.
    Adaptive {
        initial_us: Micros,
        min_us: Micros,
        max_us: Micros,
    },
}

/// Deliberate mistakes that lessons switch on to show why each rule exists. The checks must
/// catch every one of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bugs {
    /// The receiver hands the application every copy of a message it has already delivered
    /// instead of dropping it; caught by No Duplicate Delivery.
    pub no_duplicate_suppression: bool,
    /// A restarted sender rebuilds no retransmission queue: it still knows how far its
    /// application got (so it is not handed the same messages again), but what was in flight
    /// and unacknowledged is gone. Caught by Liveness (the receiver waits for it forever).
    pub forget_unacked_on_crash: bool,
}

impl Bugs {
    pub fn any(&self) -> bool {
        self.no_duplicate_suppression || self.forget_unacked_on_crash
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetransmitConfig {
    /// Sender-receiver pairs; a run has `2 * pairs` nodes.
    pub pairs: u32,
    pub scheme: Scheme,
    /// Messages in flight at most; stop-and-wait always uses 1 (`window_effective`).
    pub window: u32,
    pub ack: AckMode,
    pub rto: RtoPolicy,
    /// How many messages each sender's application hands over in a run; 0 never stops.
    pub messages: u64,
    /// 0: the application always has its next message ready (backlogged) and the sender takes
    /// one whenever its window has room. Otherwise it hands one over every interval, and those
    /// the window cannot take yet wait at the sender.
    pub offered_interval_us: Micros,
    pub bugs: Bugs,
}

impl Default for RetransmitConfig {
    fn default() -> Self {
        RetransmitConfig {
            pairs: 1,
            scheme: Scheme::GoBackN,
            window: 4,
            ack: AckMode::Cumulative,
            rto: RtoPolicy::Adaptive {
                // RFC 6298 section 2.1: "the sender SHOULD set RTO <- 1 second" before any
                // round trip is measured.
                initial_us: 1_000 * MICROS_PER_MS,
                min_us: 200 * MICROS_PER_MS,
                max_us: 60_000 * MICROS_PER_MS,
            },
            messages: 40,
            offered_interval_us: 0,
            bugs: Bugs::default(),
        }
    }
}

impl RetransmitConfig {
    /// The window the sender and receiver use: 1 for stop-and-wait, whatever `window` says.
    pub fn window_effective(&self) -> u64 {
        match self.scheme {
            Scheme::StopAndWait => 1,
            Scheme::GoBackN | Scheme::SelectiveRepeat => u64::from(self.window),
        }
    }

    /// Nodes in a run: a sender and a receiver per pair.
    pub fn nodes(&self) -> u32 {
        2 * self.pairs
    }

    /// Checks every range; the error names the field, its value and its bounds.
    pub fn validate(&self) -> Result<(), Text> {
        within("retransmit.pairs", self.pairs.into(), 1, PAIRS_MAX.into())?;
        within(
            "retransmit.window",
            self.window.into(),
            1,
            WINDOW_MAX.into(),
        )?;
        within("retransmit.messages", self.messages, 0, MESSAGES_MAX)?;
        within(
            "retransmit.offered_interval_us",
            self.offered_interval_us,
            0,
            OFFERED_INTERVAL_US_MAX,
        )?;
        match self.rto {
            RtoPolicy::Fixed { rto_us } => {
                within("retransmit.rto.rto_us", rto_us, 1, RTO_US_MAX)?;
            }
            RtoPolicy::Adaptive {
                initial_us,
                min_us,
                max_us,
            } => {
                within("retransmit.rto.min_us", min_us, 1, RTO_US_MAX)?;
                within("retransmit.rto.max_us", max_us, min_us, RTO_US_MAX)?;
                within("retransmit.rto.initial_us", initial_us, min_us, max_us)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(RetransmitConfig::default().validate(), Ok(()));
    }

    #[test]
    fn errors_name_the_field_and_its_bounds() {
        let bad = RetransmitConfig {
            window: 0,
            ..RetransmitConfig::default()
        };
        assert_eq!(
            bad.validate().map_err(|e| e.english()),
            Err("retransmit.window: 0 is outside 1..=32".into())
        );
        let bad = RetransmitConfig {
            pairs: 5,
            ..RetransmitConfig::default()
        };
        assert_eq!(
            bad.validate().map_err(|e| e.english()),
            Err("retransmit.pairs: 5 is outside 1..=4".into())
        );
        let bad = RetransmitConfig {
            rto: RtoPolicy::Adaptive {
                initial_us: 100,
                min_us: 200,
                max_us: 1_000,
            },
            ..RetransmitConfig::default()
        };
        let e = bad.validate().map_err(|e| e.english()).unwrap_err();
        assert_eq!(e, "retransmit.rto.initial_us: 100 is outside 200..=1000");
        let bad = RetransmitConfig {
            rto: RtoPolicy::Fixed { rto_us: 0 },
            ..RetransmitConfig::default()
        };
        assert!(bad
            .validate()
            .map_err(|e| e.english())
            .unwrap_err()
            .starts_with("retransmit.rto.rto_us"));
    }

    #[test]
    fn stop_and_wait_uses_a_window_of_one() {
        let c = RetransmitConfig {
            scheme: Scheme::StopAndWait,
            window: 8,
            ..RetransmitConfig::default()
        };
        assert_eq!(c.window_effective(), 1);
        assert_eq!(c.nodes(), 2);
    }
}
