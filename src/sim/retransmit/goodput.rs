//! Goodput and retransmissions of stop-and-wait, go-back-N and selective repeat against the
//! network's loss rate, measured by running the engine (`Engine<Retransmit>`) with its safety
//! checks on: the numbers behind `faultline bench retransmit` and the page's goodput chart.
//! Pure and deterministic: no wall clock, every run seeded.
//!
//! The network is fixed and stated in constants below: one pair, a one-way latency of 15 ms
//! with no jitter by default, the default 1 MB/s link, no duplication, and loss (in both
//! directions) at each rate of `LOSS_PERCENTS`. The application is backlogged and hands over a
//! bounded number of messages; a run ends at the event that hands the last of them to the
//! receiver's application.

use crate::sim::engine::{Engine, Observe};
use crate::sim::net::NetConfig;
use crate::sim::retransmit::{
    nodes_of, AckMode, Retransmit, RetransmitConfig, RetransmitNode, RetransmitSettings, RtoPolicy,
    Scheme,
};
use crate::sim::rng::PPM_ONE;
use crate::sim::types::{Micros, MICROS_PER_MS};

/// The loss rates of the bench, in percent, applied to every message in both directions.
pub const LOSS_PERCENTS: [u32; 6] = [0, 1, 5, 10, 20, 30];

/// The schemes, with the acknowledgements each uses: go-back-N's receiver keeps nothing out of
/// order, so selective acknowledgements would always be empty and it uses cumulative ones;
/// selective repeat uses selective ones (RFC 2018), so a lost acknowledgement of a message
/// kept above a gap is repaired by the next one, not by a timeout.
pub const SCHEMES: [(Scheme, AckMode); 3] = [
    (Scheme::StopAndWait, AckMode::Cumulative),
    (Scheme::GoBackN, AckMode::Cumulative),
    (Scheme::SelectiveRepeat, AckMode::Selective),
];

/// The window of the windowed schemes (stop-and-wait always uses 1).
pub const WINDOW: u32 = 8;

/// One-way latency, the same for every message by default. A jittered latency reorders
/// messages, and this go-back-N has no fast retransmit: its receiver throws away a message that
/// overtook a slower one and the sender waits for a timeout to resend the window, so jitter
/// alone would make go-back-N retransmit at 0 % loss. A constant latency isolates what the bench
/// is about, loss; `--latency 10ms-20ms` measures with reordering.
pub const LATENCY_US: Micros = 15 * MICROS_PER_MS;

/// The floor of the adaptive timeout (RFC 6298 section 2.4 says one second; Linux uses 200 ms).
/// With a constant latency the estimate converges to the round trip (about 30 ms) plus a
/// microsecond, so the floor alone decides what a loss costs: at 200 ms every timeout would
/// idle for almost seven round trips. Twice the round trip keeps a margin over it and lets the
/// schemes, not the floor, set the shape of the curves. `--rto-min` changes it.
pub const RTO_MIN_US: Micros = 60 * MICROS_PER_MS;

/// Messages each run delivers, and runs (seeds) per scheme and loss rate, by default. At 20 %
/// and 30 % loss a run's time has a heavy tail (doubling timeouts: the slowest of five seeds
/// can take seven times the fastest), and the whole bench takes well under a second, so it
/// averages twenty seeds.
pub const MESSAGES_DEFAULT: u64 = 500;
pub const SEEDS_DEFAULT: u64 = 20;

/// A run that has not delivered every message after this much simulated time is broken.
pub const SIMULATED_US_LIMIT: Micros = 7 * 86_400_000 * MICROS_PER_MS;

/// What the bench runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    pub messages: u64,
    /// Seeds 1..=seeds, the same for every scheme and loss rate.
    pub seeds: u64,
    pub loss_percents: Vec<u32>,
    pub latency_us_min: Micros,
    pub latency_us_max: Micros,
    pub rto_min_us: Micros,
    /// A fixed timeout instead of the adaptive one (no estimate, no backoff), to tell what the
    /// schemes cost from what RFC 6298's backoff costs.
    pub rto_fixed_us: Option<Micros>,
    /// The window of the windowed schemes.
    pub window: u32,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            messages: MESSAGES_DEFAULT,
            seeds: SEEDS_DEFAULT,
            loss_percents: LOSS_PERCENTS.to_vec(),
            latency_us_min: LATENCY_US,
            latency_us_max: LATENCY_US,
            rto_min_us: RTO_MIN_US,
            rto_fixed_us: None,
            window: WINDOW,
        }
    }
}

/// What one run measured.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// When the last message reached the receiver's application.
    pub completed_us: Micros,
    /// `app_deliver` lines, as the checks counted them.
    pub delivered: u64,
    /// Messages resent because a timer ran out.
    pub retransmissions: u64,
    /// Round trips measured (Karn's rule: only on messages sent once) and timeouts doubled.
    pub rtt_samples: u64,
    pub backoffs: u64,
    pub events: u64,
}

/// One scheme at one loss rate, over every seed.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Row {
    pub scheme: Scheme,
    pub loss_percent: u32,
    pub seeds: u64,
    /// Messages delivered over all seeds, each exactly once.
    pub delivered: u64,
    pub retransmissions: u64,
    pub rtt_samples: u64,
    pub backoffs: u64,
    pub events: u64,
    /// The mean of the runs' completion times, in simulated seconds, and the fastest and
    /// slowest run.
    pub simulated_s_mean: f64,
    pub simulated_s_min: f64,
    pub simulated_s_max: f64,
}

impl Row {
    /// Messages delivered per simulated second: every message of every seed over the sum of
    /// their completion times (the ratio of the sums, so it equals messages / simulated_s_mean).
    pub fn goodput_msgs_per_s(&self) -> f64 {
        self.delivered as f64 / (self.simulated_s_mean * self.seeds as f64)
    }

    pub fn retransmissions_per_delivered(&self) -> f64 {
        self.retransmissions as f64 / self.delivered.max(1) as f64
    }
}

/// The flag spelling of a scheme, as `faultline run --scheme` takes it.
pub fn scheme_name(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::StopAndWait => "stop-and-wait",
        Scheme::GoBackN => "go-back-n",
        Scheme::SelectiveRepeat => "selective-repeat",
    }
}

/// The settings of one run.
pub fn settings(
    setup: &Setup,
    scheme: Scheme,
    ack: AckMode,
    loss_percent: u32,
    seed: u64,
) -> RetransmitSettings {
    RetransmitSettings {
        seed,
        network: NetConfig {
            latency_us_min: setup.latency_us_min,
            latency_us_max: setup.latency_us_max,
            loss_ppm: loss_percent * (PPM_ONE / 100),
            duplicate_ppm: 0,
            ..NetConfig::default()
        },
        retransmit: RetransmitConfig {
            pairs: 1,
            scheme,
            window: setup.window,
            ack,
            rto: match setup.rto_fixed_us {
                Some(rto_us) => RtoPolicy::Fixed { rto_us },
                // RFC 6298 section 2.1's one second before the first measurement, and its
                // 60 s ceiling (section 2.5); only the floor is lowered (`RTO_MIN_US`).
                None => RtoPolicy::Adaptive {
                    initial_us: 1_000 * MICROS_PER_MS,
                    min_us: setup.rto_min_us,
                    max_us: 60_000 * MICROS_PER_MS,
                },
            },
            messages: setup.messages,
            offered_interval_us: 0,
            ..RetransmitConfig::default()
        },
        ..RetransmitSettings::default()
    }
}

/// Runs one retransmission run until its receiver's application has every message, stepping
/// one event at a time so that the completion time is that of the delivering event. The error
/// says what went wrong: a violation, a message missing or delivered twice, or no completion
/// within `SIMULATED_US_LIMIT`.
pub fn run(settings: RetransmitSettings) -> Result<Run, String> {
    let messages = settings.retransmit.messages;
    let observe = Observe {
        trace: false,
        checks: true,
    };
    let mut engine = Engine::<Retransmit>::with_observe(settings, observe)
        .map_err(|e| format!("invalid settings: {}", e.english()))?;
    let (_, receiver) = nodes_of(0);
    let delivered_through = |engine: &Engine<Retransmit>| match engine
        .node(receiver)
        .and_then(|n| n.process.as_ref())
    {
        Some(RetransmitNode::Receiver(r)) => r.delivered_through(),
        _ => 0,
    };
    while delivered_through(&engine) < messages {
        if engine.now_us() > SIMULATED_US_LIMIT || !engine.step() {
            return Err(format!(
                "only {} of {messages} messages delivered after {:.1} simulated s",
                delivered_through(&engine),
                engine.now_us() as f64 / 1e6
            ));
        }
    }
    let completed_us = engine.now_us();
    // Everything accepted has arrived, so Liveness must hold too.
    engine.finish_checks();
    if let Some(v) = engine.violations().first() {
        return Err(format!(
            "{} violation(s), the first: {v}",
            engine.violations().len()
        ));
    }
    let coverage = *engine.coverage();
    if coverage.delivered != messages {
        return Err(format!(
            "{} deliveries to the application for {messages} messages",
            coverage.delivered
        ));
    }
    Ok(Run {
        completed_us,
        delivered: coverage.delivered,
        retransmissions: coverage.retransmissions,
        rtt_samples: coverage.rtt_samples,
        backoffs: coverage.backoffs,
        events: engine.events_processed(),
    })
}

/// Every scheme at every loss rate of `setup`, over its seeds, in table order. Stops at the
/// first broken run; the error names the scheme, the loss rate and the seed.
pub fn measure(setup: &Setup) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (scheme, ack) in SCHEMES {
        for &loss_percent in &setup.loss_percents {
            let mut row = Row {
                scheme,
                loss_percent,
                seeds: setup.seeds,
                delivered: 0,
                retransmissions: 0,
                rtt_samples: 0,
                backoffs: 0,
                events: 0,
                simulated_s_mean: 0.0,
                simulated_s_min: f64::INFINITY,
                simulated_s_max: 0.0,
            };
            let mut simulated_us: Micros = 0;
            for seed in 1..=setup.seeds {
                let r = run(settings(setup, scheme, ack, loss_percent, seed)).map_err(|e| {
                    format!(
                        "{} at {loss_percent}% loss, seed {seed}: {e}",
                        scheme_name(scheme)
                    )
                })?;
                row.delivered += r.delivered;
                row.retransmissions += r.retransmissions;
                row.rtt_samples += r.rtt_samples;
                row.backoffs += r.backoffs;
                row.events += r.events;
                simulated_us += r.completed_us;
                let simulated_s = r.completed_us as f64 / 1e6;
                row.simulated_s_min = row.simulated_s_min.min(simulated_s);
                row.simulated_s_max = row.simulated_s_max.max(simulated_s);
            }
            row.simulated_s_mean = simulated_us as f64 / 1e6 / setup.seeds.max(1) as f64;
            rows.push(row);
        }
    }
    Ok(rows)
}

/// Goodput against loss as the page's chart plots it: every scheme at each loss rate.
pub type GoodputChart = Vec<Row>;

/// The page's chart is measured in the browser on request: fewer messages and seeds than the
/// bench, so that it takes a fraction of a second.
pub const CHART_MESSAGES: u64 = 100;
pub const CHART_SEEDS: u64 = 3;
pub const CHART_LOSS_PERCENTS: [u32; 5] = [0, 5, 10, 20, 30];

/// Measures the chart with the window and timeout of `config` (the run on screen); the error
/// names the scheme, the loss rate and the seed of the first broken run.
pub fn chart(config: &RetransmitConfig) -> Result<GoodputChart, String> {
    let mut setup = Setup {
        messages: CHART_MESSAGES,
        seeds: CHART_SEEDS,
        loss_percents: CHART_LOSS_PERCENTS.to_vec(),
        window: config.window,
        ..Setup::default()
    };
    match config.rto {
        RtoPolicy::Fixed { rto_us } => setup.rto_fixed_us = Some(rto_us),
        RtoPolicy::Adaptive { min_us, .. } => setup.rto_min_us = min_us,
    }
    measure(&setup)
}
