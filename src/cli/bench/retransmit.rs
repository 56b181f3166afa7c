//! `faultline bench retransmit`: goodput and retransmissions of stop-and-wait, go-back-N and
//! selective repeat against the network's loss rate, measured by `sim::retransmit::goodput`.
//! Wall-clock time is read here, in the tool, and only for the whole bench, never per row and
//! never inside the simulation.

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
