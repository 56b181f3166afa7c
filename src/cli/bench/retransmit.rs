//! `faultline bench retransmit`: goodput and retransmissions of stop-and-wait, go-back-N and
//! selective repeat against the network's loss rate, measured by `sim::retransmit::goodput`.
//! Wall-clock time is read here, in the tool, and only for the whole bench, never per row and
//! never inside the simulation.

use super::chart::LineChart;
use crate::cli::args::{duration_us, Args, Flag};
pub use crate::sim::retransmit::goodput::*;
use std::time::Instant;

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
        "{} messages, {} seed(s), one-way latency {latency}, window {}, {rto}",
        setup.messages, setup.seeds, setup.window,
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

/// Goodput against loss rate: one polyline per scheme, linear axes, a legend.
fn svg(setup: &Setup, rows: &[Row]) -> String {
    LineChart {
        title: "Goodput against loss rate",
        subtitle: &describe(setup),
        x_label: "loss rate (% of messages, each direction)",
        y_label: "goodput (messages per simulated s)",
        x_ticks: setup
            .loss_percents
            .iter()
            .map(|l| (*l as f64, l.to_string()))
            .collect(),
        series: SCHEMES
            .iter()
            .map(|(scheme, _)| {
                let points = rows
                    .iter()
                    .filter(|r| r.scheme == *scheme)
                    .map(|r| (r.loss_percent as f64, r.goodput_msgs_per_s()))
                    .collect();
                (scheme_name(*scheme).to_string(), points)
            })
            .collect(),
    }
    .svg()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::retransmit::{AckMode, Scheme};

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
