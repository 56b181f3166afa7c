//! `faultline bench retransmit`: goodput and retransmissions of stop-and-wait, go-back-N and
//! selective repeat against the network's loss rate, measured by running the engine
//! (`Engine<Retransmit>`) with its safety checks on. Wall-clock time is read here, in the tool,
//! and only for the whole bench, never per row and never inside the simulation.
//!
//! The network is fixed and stated in constants below: one pair, a one-way latency of 15 ms
//! with no jitter by default, the default 1 MB/s link, no duplication, and loss (in both
//! directions) at each rate of `LOSS_PERCENTS`. The application is backlogged and hands over a
//! bounded number of messages; a run ends at the event that hands the last of them to the
//! receiver's application.

use crate::cli::args::{duration_us, Args, Flag};
use crate::sim::engine::{Engine, Observe};
use crate::sim::net::NetConfig;
use crate::sim::retransmit::{
    nodes_of, AckMode, Retransmit, RetransmitConfig, RetransmitNode, RetransmitSettings, RtoPolicy,
    Scheme,
};
use crate::sim::rng::PPM_ONE;
use crate::sim::types::{Micros, MICROS_PER_MS};
use std::time::Instant;

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
            window: WINDOW,
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

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(
        raw,
        &[
            Flag("csv", true),
            Flag("svg", true),
            Flag("messages", true),
            Flag("seeds", true),
            Flag("latency", true),
            Flag("rto-min", true),
            Flag("rto", true),
        ],
    )?;
    let mut setup = Setup {
        messages: args.number("messages", MESSAGES_DEFAULT)?,
        seeds: args.number("seeds", SEEDS_DEFAULT)?,
        ..Setup::default()
    };
    if setup.messages == 0 {
        return Err("--messages must be at least 1".into());
    }
    if setup.seeds == 0 {
        return Err("--seeds must be at least 1".into());
    }
    if let Some(text) = args.value("latency") {
        let (lo, hi) = text.split_once('-').unwrap_or((text, text));
        setup.latency_us_min = duration_us("latency", lo)?;
        setup.latency_us_max = duration_us("latency", hi)?;
    }
    if let Some(text) = args.value("rto-min") {
        setup.rto_min_us = duration_us("rto-min", text)?;
    }
    match args.value("rto") {
        None | Some("adaptive") => {}
        Some(text) => {
            setup.rto_fixed_us = Some(
                duration_us("rto", text).map_err(|e| format!("{e} (or \"adaptive\", RFC 6298)"))?,
            )
        }
    }
    let started = Instant::now();
    let rows = match measure(&setup) {
        Ok(rows) => rows,
        Err(e) => {
            // A benchmark of a broken run is a bug, not a number.
            eprintln!("faultline: bench retransmit: broken run: {e}");
            return Ok(1);
        }
    };
    let wall_s = started.elapsed().as_secs_f64();
    print!("{}", table(&setup, &rows));
    let events: u64 = rows.iter().map(|r| r.events).sum();
    println!(
        "{} runs, {events} events, total wall time {wall_s:.2} s; every run delivered all {} messages exactly once, in order, with no violation",
        rows.len() as u64 * setup.seeds,
        setup.messages
    );
    if let Some(path) = args.value("csv") {
        std::fs::write(path, csv(&rows)).map_err(|e| format!("--csv: cannot write {path}: {e}"))?;
    }
    if let Some(path) = args.value("svg") {
        std::fs::write(path, svg(&setup, &rows))
            .map_err(|e| format!("--svg: cannot write {path}: {e}"))?;
    }
    Ok(0)
}

/// How the network and the timeout were set, in words, for the table and the chart.
fn describe(setup: &Setup) -> String {
    let latency = if setup.latency_us_min == setup.latency_us_max {
        format!("{} ms", setup.latency_us_min as f64 / 1e3)
    } else {
        format!(
            "{}-{} ms",
            setup.latency_us_min as f64 / 1e3,
            setup.latency_us_max as f64 / 1e3
        )
    };
    let rto = match setup.rto_fixed_us {
        Some(rto_us) => format!("fixed RTO {} ms", rto_us as f64 / 1e3),
        None => format!("RFC 6298 RTO, min {} ms", setup.rto_min_us as f64 / 1e3),
    };
    format!(
        "{} messages, {} seed(s), one-way latency {latency}, window {WINDOW}, {rto}",
        setup.messages, setup.seeds,
    )
}

fn table(setup: &Setup, rows: &[Row]) -> String {
    let mut out = format!(
        "{}\n{:<17} {:>6} {:>16} {:>18} {:>12} {:>19} {:>12} {:>12}\n",
        describe(setup),
        "scheme",
        "loss %",
        "goodput (msg/s)",
        "retrans/delivered",
        "simulated s",
        "(fastest-slowest)",
        "RTT samples",
        "backoffs"
    );
    for r in rows {
        let per = |n: u64| n as f64 / r.delivered.max(1) as f64;
        out.push_str(&format!(
            "{:<17} {:>6} {:>16.1} {:>18.3} {:>12.3} {:>19} {:>12.3} {:>12.3}\n",
            scheme_name(r.scheme),
            r.loss_percent,
            r.goodput_msgs_per_s(),
            r.retransmissions_per_delivered(),
            r.simulated_s_mean,
            format!("{:.2}-{:.2}", r.simulated_s_min, r.simulated_s_max),
            per(r.rtt_samples),
            per(r.backoffs)
        ));
    }
    out.push_str("(RTT samples and backoffs per delivered message)\n");
    out
}

fn csv(rows: &[Row]) -> String {
    let mut out = String::from(
        "scheme,loss_percent,seeds,goodput_msgs_per_s,retransmissions_per_delivered,simulated_s_mean\n",
    );
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{:.3},{:.4},{:.4}\n",
            scheme_name(r.scheme),
            r.loss_percent,
            r.seeds,
            r.goodput_msgs_per_s(),
            r.retransmissions_per_delivered(),
            r.simulated_s_mean
        ));
    }
    out
}

/// The smallest of 1, 2 or 5 times a power of ten that splits `max` into at most five steps.
fn tick_step(max: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if max / (step * m) <= 5.0 {
                return step * m;
            }
        }
        step *= 10.0;
    }
}

/// Goodput against loss rate: one polyline per scheme, linear axes, a legend.
fn svg(setup: &Setup, rows: &[Row]) -> String {
    const W: f64 = 600.0;
    const H: f64 = 360.0;
    const LEFT: f64 = 64.0;
    const RIGHT: f64 = 170.0;
    const TOP: f64 = 40.0;
    const BOTTOM: f64 = 56.0;
    let colors = ["#d95f02", "#7570b3", "#1b9e77"];
    let (plot_w, plot_h) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let loss_max = setup
        .loss_percents
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let goodput_max = rows
        .iter()
        .map(|r| r.goodput_msgs_per_s())
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let step = tick_step(goodput_max);
    let y_max = (goodput_max / step).ceil() * step;
    let x_of = |loss: f64| LEFT + plot_w * loss / loss_max;
    let y_of = |goodput: f64| TOP + plot_h * (1.0 - goodput / y_max);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{LEFT}\" y=\"18\" font-weight=\"bold\">Goodput against loss rate</text>\n<text x=\"{LEFT}\" y=\"32\" font-size=\"10\" fill=\"#555\">{}</text>\n",
        describe(setup)
    );
    let mut y = 0.0;
    while y <= y_max + step / 2.0 {
        let py = y_of(y);
        out.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{py:.1}\" x2=\"{:.1}\" y2=\"{py:.1}\" stroke=\"#ddd\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{y}</text>\n",
            LEFT + plot_w,
            LEFT - 6.0,
            py + 4.0
        ));
        y += step;
    }
    for &loss in &setup.loss_percents {
        let px = x_of(loss as f64);
        out.push_str(&format!(
            "<line x1=\"{px:.1}\" y1=\"{TOP}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#eee\"/><text x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{loss}</text>\n",
            TOP + plot_h,
            TOP + plot_h + 16.0
        ));
    }
    out.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{bottom:.1}\" stroke=\"black\"/><line x1=\"{LEFT}\" y1=\"{bottom:.1}\" x2=\"{:.1}\" y2=\"{bottom:.1}\" stroke=\"black\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">loss rate (% of messages, each direction)</text>\n<text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">goodput (messages per simulated s)</text>\n",
        LEFT + plot_w,
        LEFT + plot_w / 2.0,
        TOP + plot_h + 36.0,
        TOP + plot_h / 2.0,
        bottom = TOP + plot_h
    ));
    for (i, (scheme, _)) in SCHEMES.iter().enumerate() {
        let color = colors[i % colors.len()];
        let points: Vec<(f64, f64)> = rows
            .iter()
            .filter(|r| r.scheme == *scheme)
            .map(|r| (x_of(r.loss_percent as f64), y_of(r.goodput_msgs_per_s())))
            .collect();
        let line: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        out.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n",
            line.join(" ")
        ));
        for (x, y) in points {
            out.push_str(&format!(
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{color}\"/>\n"
            ));
        }
        let ly = TOP + 10.0 + i as f64 * 18.0;
        let lx = LEFT + plot_w + 16.0;
        out.push_str(&format!(
            "<line x1=\"{lx:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{color}\" stroke-width=\"3\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>\n",
            lx + 20.0,
            lx + 26.0,
            ly + 4.0,
            scheme_name(*scheme)
        ));
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Setup {
        Setup {
            messages: 20,
            seeds: 1,
            loss_percents: vec![0, 20],
            ..Setup::default()
        }
    }

    /// Every scheme at both loss rates delivers each of its 20 messages exactly once; nothing
    /// is resent without loss (the latency is constant, so nothing is reordered either), and
    /// something is at 20 % loss.
    #[test]
    fn a_tiny_bench_delivers_everything_and_resends_only_under_loss() {
        let setup = tiny();
        let rows = measure(&setup).expect("every run completes without a violation");
        assert_eq!(rows.len(), SCHEMES.len() * 2);
        for (i, (scheme, _)) in SCHEMES.iter().enumerate() {
            let (clean, lossy) = (&rows[2 * i], &rows[2 * i + 1]);
            assert_eq!((clean.scheme, clean.loss_percent), (*scheme, 0));
            assert_eq!((lossy.scheme, lossy.loss_percent), (*scheme, 20));
            for row in [clean, lossy] {
                assert_eq!(row.seeds, 1);
                assert_eq!(row.delivered, 20, "{row:?}");
                assert!(row.events > 0 && row.simulated_s_mean > 0.0, "{row:?}");
                assert!(row.goodput_msgs_per_s().is_finite(), "{row:?}");
            }
            assert_eq!(clean.retransmissions, 0, "{clean:?}");
            assert!(lossy.retransmissions > 0, "{lossy:?}");
            assert!(lossy.simulated_s_mean > clean.simulated_s_mean, "{lossy:?}");
        }
        let csv = csv(&rows);
        assert_eq!(csv.lines().count(), 1 + rows.len());
        assert!(csv
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("stop-and-wait,0,1,"));
        assert_eq!(svg(&setup, &rows).matches("<polyline").count(), 3);
    }

    /// Without loss, stop-and-wait delivers one message per round trip: message n arrives at
    /// (n - 1) round trips plus one way, each way 15 ms plus 36 bytes at 1 MB/s (36 us).
    #[test]
    fn stop_and_wait_without_loss_takes_one_round_trip_per_message() {
        let setup = tiny();
        let r = run(settings(
            &setup,
            Scheme::StopAndWait,
            AckMode::Cumulative,
            0,
            1,
        ))
        .unwrap();
        let one_way_us = LATENCY_US + 36;
        assert_eq!(r.completed_us, 19 * 2 * one_way_us + one_way_us);
    }

    /// A broken run is reported, not measured: the receiver that hands over every copy breaks
    /// No Duplicate Delivery once an acknowledgement is lost and a message is resent.
    #[test]
    fn a_broken_run_is_an_error() {
        let mut s = settings(&tiny(), Scheme::StopAndWait, AckMode::Cumulative, 20, 1);
        s.retransmit.bugs.no_duplicate_suppression = true;
        let e = run(s).unwrap_err();
        assert!(e.contains("No Duplicate Delivery"), "{e}");
    }
}
