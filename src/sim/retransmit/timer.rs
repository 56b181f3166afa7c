//! The timers a node may arm. The engine keeps at most one of each kind, so selective
//! repeat's timer per message is a family of kinds, one per slot of the window.

use super::config::WINDOW_MAX;
use super::message::Seq;
use crate::sim::protocol::TimerKind;
use serde::{Deserialize, Serialize};

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "timer", rename_all = "snake_case")]
pub enum Timer {
    /// The sender's application hands over its next message (`offered_interval_us` > 0).
    Offer,
    /// Go-back-N and stop-and-wait: the one timer, for the oldest unacknowledged message.
    Oldest,
    /// Selective repeat: the timer of the message in flight whose `seq % WINDOW_MAX` is `slot`.
    /// Messages in flight span at most `WINDOW_MAX` consecutive numbers, so no two share one.
    Message { slot: u32 },
}

impl Timer {
    /// The selective-repeat timer of message `seq`.
    pub fn of_message(seq: Seq) -> Timer {
        Timer::Message {
            slot: (seq % u64::from(WINDOW_MAX)) as u32,
        }
    }
}

impl TimerKind for Timer {
    const COUNT: usize = 2 + WINDOW_MAX as usize;

    fn slot(self) -> usize {
        match self {
            Timer::Offer => 0,
            Timer::Oldest => 1,
            Timer::Message { slot } => 2 + (slot % WINDOW_MAX) as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_distinct_and_below_count() {
        let mut seen = [false; Timer::COUNT];
        let timers = [Timer::Offer, Timer::Oldest]
            .into_iter()
            .chain((1..=u64::from(WINDOW_MAX)).map(Timer::of_message));
        for t in timers {
            assert!(!seen[t.slot()], "{t:?} shares a slot");
            seen[t.slot()] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }
}
