//! The retransmission timeout, RFC 6298 ("Computing TCP's Retransmission Timer") in integer
//! microseconds so that every platform computes the same timeouts.
//!
//! The gains alpha = 1/8 and beta = 1/4 become integer divisions (rounding down), which at
//! microsecond resolution changes a timeout by at most a few microseconds.

use super::config::RtoPolicy;
use crate::sim::types::Micros;

/// The clock granularity G of RFC 6298 section 2: the engine's clock ticks in microseconds.
pub const CLOCK_GRANULARITY_US: Micros = 1;
/// K of RFC 6298 section 2.
pub const RTTVAR_MULTIPLIER: u64 = 4;
/// Beyond 2^32 times the smallest timeout, doubling again changes nothing: the cap holds.
const BACKOFF_EXPONENT_MAX: u32 = 32;

/// One sender's round-trip estimate and current timeout. Volatile: a restarted sender starts
/// again from the initial timeout, as a new TCP connection does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RtoEstimator {
    /// SRTT, once a first round trip has been measured.
    srtt_us: Option<Micros>,
    rttvar_us: Micros,
    /// The timeout the estimate gives, clamped to the policy's bounds, before backoff.
    base_us: Micros,
    /// The timeout has been doubled this many times since the last valid sample.
    backoff_exponent: u32,
}

/// What one round-trip sample changed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub rtt_us: Micros,
    pub srtt_us: Micros,
    pub rttvar_us: Micros,
    pub rto_us: Micros,
}

impl RtoEstimator {
    /// RFC 6298 section 2.1: before any measurement the timeout is the initial one.
    pub fn new(policy: &RtoPolicy) -> RtoEstimator {
        let base_us = match *policy {
            RtoPolicy::Fixed { rto_us } => rto_us,
            RtoPolicy::Adaptive {
                initial_us,
                min_us,
                max_us,
            } => initial_us.clamp(min_us, max_us.max(min_us)),
        };
        RtoEstimator {
            srtt_us: None,
            rttvar_us: 0,
            base_us,
            backoff_exponent: 0,
        }
    }

    /// The timeout to arm now: the estimate, doubled once per backoff, at most the maximum
    /// (RFC 6298 section 5.5). A fixed policy always gives its one timeout.
    pub fn current_us(&self, policy: &RtoPolicy) -> Micros {
        match *policy {
            RtoPolicy::Fixed { rto_us } => rto_us,
            RtoPolicy::Adaptive { max_us, .. } => {
                let factor = 1u64 << self.backoff_exponent.min(BACKOFF_EXPONENT_MAX);
                self.base_us.saturating_mul(factor).min(max_us)
            }
        }
    }

    pub fn srtt_us(&self) -> Option<Micros> {
        self.srtt_us
    }

    pub fn rttvar_us(&self) -> Micros {
        self.rttvar_us
    }

    /// Takes one round-trip measurement `rtt_us` of a message sent only once (the caller
    /// applies Karn's rule). Returns what changed, or `None` under a fixed policy, which
    /// measures nothing.
    pub fn sample(&mut self, rtt_us: Micros, policy: &RtoPolicy) -> Option<Sample> {
        let RtoPolicy::Adaptive { min_us, max_us, .. } = *policy else {
            return None;
        };
        let (srtt_us, rttvar_us) = match self.srtt_us {
            // Section 2.2: the first measurement R gives SRTT <- R, RTTVAR <- R/2.
            None => (rtt_us, rtt_us / 2),
            // Section 2.3: RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'| with the old
            // SRTT, then SRTT <- (1 - alpha) * SRTT + alpha * R'.
            Some(srtt) => {
                let deviation = srtt.abs_diff(rtt_us);
                let rttvar = (self.rttvar_us.saturating_mul(3).saturating_add(deviation)) / 4;
                let srtt = (srtt.saturating_mul(7).saturating_add(rtt_us)) / 8;
                (srtt, rttvar)
            }
        };
        self.srtt_us = Some(srtt_us);
        self.rttvar_us = rttvar_us;
        // Sections 2.2 and 2.3: RTO <- SRTT + max(G, K * RTTVAR); 2.4 and 2.5: the bounds.
        let spread_us = CLOCK_GRANULARITY_US.max(RTTVAR_MULTIPLIER.saturating_mul(rttvar_us));
        self.base_us = srtt_us
            .saturating_add(spread_us)
            .clamp(min_us, max_us.max(min_us));
        // Karn and Partridge: a backed-off timeout holds until a valid sample arrives, and
        // this is one.
        self.backoff_exponent = 0;
        Some(Sample {
            rtt_us,
            srtt_us,
            rttvar_us,
            rto_us: self.current_us(policy),
        })
    }

    /// A message timed out for the `retransmissions`-th time: the timeout doubles, once per
    /// timeout of that message (RFC 6298 section 5.5), and the doubled timeout stays for every
    /// message until a valid sample (Karn and Partridge 1987). Timeouts of several messages
    /// that were lost together double it once, not once each. Returns the new timeout if it
    /// grew; a fixed policy never backs off.
    pub fn back_off(&mut self, retransmissions: u32, policy: &RtoPolicy) -> Option<Micros> {
        let RtoPolicy::Adaptive { .. } = policy else {
            return None;
        };
        if retransmissions <= self.backoff_exponent {
            return None;
        }
        let before_us = self.current_us(policy);
        self.backoff_exponent = retransmissions.min(BACKOFF_EXPONENT_MAX);
        let after_us = self.current_us(policy);
        (after_us != before_us).then_some(after_us)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::types::MICROS_PER_MS;

    const MS: Micros = MICROS_PER_MS;

    fn adaptive(initial_us: Micros, min_us: Micros, max_us: Micros) -> RtoPolicy {
        RtoPolicy::Adaptive {
            initial_us,
            min_us,
            max_us,
        }
    }

    /// RFC 6298 section 2.1: the initial timeout before any measurement.
    #[test]
    fn the_initial_timeout_is_used_until_a_measurement() {
        let p = adaptive(1_000 * MS, MS, 60_000 * MS);
        let rto = RtoEstimator::new(&p);
        assert_eq!(rto.current_us(&p), 1_000 * MS);
        assert_eq!(rto.srtt_us(), None);
    }

    /// RFC 6298 section 2.2: SRTT <- R, RTTVAR <- R/2, RTO <- SRTT + max(G, K*RTTVAR).
    #[test]
    fn the_first_sample_sets_srtt_and_half_of_it_as_rttvar() {
        let p = adaptive(1_000 * MS, MS, 60_000 * MS);
        let mut rto = RtoEstimator::new(&p);
        let s = rto.sample(100 * MS, &p).unwrap();
        assert_eq!(
            s,
            Sample {
                rtt_us: 100 * MS,
                srtt_us: 100 * MS,
                rttvar_us: 50 * MS,
                rto_us: 100 * MS + 4 * 50 * MS,
            }
        );
    }

    /// RFC 6298 section 2.3, with the old SRTT in the RTTVAR update: after 100 ms then 200 ms,
    /// RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5 ms and SRTT = 7/8 * 100 + 1/8 * 200 =
    /// 112.5 ms, so RTO = 112.5 + 4 * 62.5 = 362.5 ms.
    #[test]
    fn later_samples_follow_section_2_3() {
        let p = adaptive(1_000 * MS, MS, 60_000 * MS);
        let mut rto = RtoEstimator::new(&p);
        rto.sample(100 * MS, &p);
        let s = rto.sample(200 * MS, &p).unwrap();
        assert_eq!(s.rttvar_us, 62_500);
        assert_eq!(s.srtt_us, 112_500);
        assert_eq!(s.rto_us, 362_500);
        // A third, steady sample shrinks the variation: RTTVAR = (3 * 62500 + 12500) / 4.
        let s = rto.sample(100 * MS, &p).unwrap();
        assert_eq!(s.rttvar_us, 50_000);
        assert_eq!(s.srtt_us, 110_937);
        assert_eq!(s.rto_us, 110_937 + 200_000);
    }

    /// Integer gains round down, deterministically: 7/8 of 1 us plus 1/8 of 2 us is 1 us.
    #[test]
    fn integer_arithmetic_rounds_down() {
        let p = adaptive(10, 1, 1_000);
        let mut rto = RtoEstimator::new(&p);
        rto.sample(1, &p);
        let s = rto.sample(2, &p).unwrap();
        assert_eq!((s.srtt_us, s.rttvar_us), (1, 0));
        // K * RTTVAR is 0, so G keeps the timeout above SRTT (section 2.3).
        assert_eq!(s.rto_us, 1 + CLOCK_GRANULARITY_US);
    }

    /// Sections 2.4 and 2.5: the computed timeout is raised to the minimum and cut to the
    /// maximum.
    #[test]
    fn the_timeout_is_clamped_to_min_and_max() {
        let p = adaptive(1_000 * MS, 200 * MS, 2_000 * MS);
        let mut rto = RtoEstimator::new(&p);
        assert_eq!(rto.sample(10 * MS, &p).unwrap().rto_us, 200 * MS);
        let mut rto = RtoEstimator::new(&p);
        assert_eq!(rto.sample(5_000 * MS, &p).unwrap().rto_us, 2_000 * MS);
    }

    /// Section 5.5: each timeout of the same message doubles the timeout, up to the maximum;
    /// a valid sample ends the backoff (Karn and Partridge).
    #[test]
    fn backoff_doubles_per_timeout_up_to_the_maximum() {
        let p = adaptive(1_000 * MS, 200 * MS, 5_000 * MS);
        let mut rto = RtoEstimator::new(&p);
        assert_eq!(rto.back_off(1, &p), Some(2_000 * MS));
        // A second message lost in the same burst, timing out for its first time, does not
        // double it again.
        assert_eq!(rto.back_off(1, &p), None);
        assert_eq!(rto.back_off(2, &p), Some(4_000 * MS));
        assert_eq!(rto.back_off(3, &p), Some(5_000 * MS));
        assert_eq!(rto.back_off(4, &p), None, "already at the maximum");
        assert_eq!(rto.current_us(&p), 5_000 * MS);
        let s = rto.sample(100 * MS, &p).unwrap();
        assert_eq!(s.rto_us, 300 * MS);
        assert_eq!(rto.current_us(&p), 300 * MS);
    }

    #[test]
    fn huge_backoffs_saturate_at_the_maximum() {
        let p = adaptive(1_000 * MS, 200 * MS, 60_000 * MS);
        let mut rto = RtoEstimator::new(&p);
        rto.back_off(u32::MAX, &p);
        assert_eq!(rto.current_us(&p), 60_000 * MS);
    }

    #[test]
    fn a_fixed_timeout_never_moves() {
        let p = RtoPolicy::Fixed { rto_us: 300 * MS };
        let mut rto = RtoEstimator::new(&p);
        assert_eq!(rto.sample(10 * MS, &p), None);
        assert_eq!(rto.back_off(3, &p), None);
        assert_eq!(rto.current_us(&p), 300 * MS);
    }
}
