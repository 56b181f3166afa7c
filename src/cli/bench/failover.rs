//! `faultline bench failover`: what a primary's failure costs in each replication mode, for a
//! grid of failure-detection timeouts: the mean time until the view service suspects the
//! crashed primary, the unavailability per failover (from the crash to the new primary's first
//! answer: detection, promotion, state transfer or replay, and the clients' retries), the
//! acknowledged writes lost per failover (warm mode's unshipped tail), and the false
//! suspicions per hour of simulated time (live servers declared dead because pings were late
//! or lost). Every run has its checks on; a violation is a bug, not a number. Wall-clock time
//! is read here only for the whole bench.

use super::chart::LineChart;
use crate::cli::args::{duration_us, Args, Flag};
use crate::sim::engine::{Engine, Observe};
use crate::sim::pb::{PbAction, PbSettings, PrimaryBackup, Replication};
use crate::sim::types::{Micros, MICROS_PER_MS};
use std::time::Instant;

/// The failure-detection timeouts measured; the ping interval is a third of each (three
/// pings lost or late in a row make a suspicion) and the lease four fifths.
pub const DEAD_TIMEOUTS_MS: [u64; 5] = [50, 100, 200, 400, 800];
/// The primary crashes this often (and comes back half-way to the next crash).
pub const CRASH_EVERY_US: Micros = 6_000 * MICROS_PER_MS;
/// One-way latency drawn per message: a LAN with spikes of jitter, and some loss, so that
/// short timeouts suspect live servers.
pub const LATENCY_US_MIN: Micros = 2 * MICROS_PER_MS;
pub const LATENCY_US_MAX: Micros = 40 * MICROS_PER_MS;
pub const LOSS_PPM: u32 = 50_000;
pub const SEEDS_DEFAULT: u64 = 5;
pub const DURATION_US_DEFAULT: Micros = 120_000 * MICROS_PER_MS;
const MICROS_PER_HOUR: f64 = 3_600.0 * 1e6;

/// One cell of the grid.
#[derive(Clone, Debug, Default)]
pub struct Cell {
    pub failovers: u64,
    pub detection_us_sum: u64,
    pub detected: u64,
    pub unavailable_us_sum: u64,
    pub recovered: u64,
    pub lost_writes: u64,
    pub false_suspicions: u64,
    pub simulated_us: u64,
}

impl Cell {
    fn mean_ms(sum_us: u64, n: u64) -> f64 {
        if n == 0 {
            f64::NAN
        } else {
            sum_us as f64 / n as f64 / 1e3
        }
    }
}

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(
        raw,
        &[
            Flag("seeds", true),
            Flag("csv", true),
            Flag("svg", true),
            Flag("duration", true),
        ],
    )?;
    let seeds: u64 = args.number("seeds", SEEDS_DEFAULT)?;
    if seeds == 0 {
        return Err("--seeds must be at least 1".into());
    }
    let duration = match args.value("duration") {
        Some(d) => duration_us("duration", d)?,
        None => DURATION_US_DEFAULT,
    };
    if duration < CRASH_EVERY_US {
        return Err(format!(
            "--duration: {} ms is shorter than one crash interval ({} ms)",
            duration / MICROS_PER_MS,
            CRASH_EVERY_US / MICROS_PER_MS
        ));
    }
    let started = Instant::now();
    println!(
        "failover per replication mode (3 servers, 3 clients, latency {}-{} ms, {}% loss, the primary crashed every {} s, {} seeds x {} s each):",
        LATENCY_US_MIN / MICROS_PER_MS,
        LATENCY_US_MAX / MICROS_PER_MS,
        LOSS_PPM / 10_000,
        CRASH_EVERY_US / 1_000_000,
        seeds,
        duration / 1_000_000
    );
    println!(
        "{:>5} {:>11} {:>10} {:>14} {:>18} {:>15} {:>18}",
        "mode",
        "timeout_ms",
        "failovers",
        "detection_ms",
        "unavailable_ms",
        "lost_per_fail",
        "false_susp_per_h"
    );
    // Unavailability per failover, by mode and timeout, for the chart.
    let mut unavailable_ms: Vec<(Replication, Vec<f64>)> = Vec::new();
    let mut csv = String::from(
        "mode,dead_timeout_ms,failovers,mean_detection_ms,mean_unavailability_ms,writes_lost_per_failover,false_suspicions_per_hour\n",
    );
    for replication in Replication::ALL {
        unavailable_ms.push((replication, Vec::new()));
        for timeout_ms in DEAD_TIMEOUTS_MS {
            let mut cell = Cell::default();
            for seed in 1..=seeds {
                if let Err(e) = run(replication, timeout_ms, seed, duration, &mut cell) {
                    println!("VIOLATION {e}");
                    return Ok(1);
                }
            }
            let detection = Cell::mean_ms(cell.detection_us_sum, cell.detected);
            let unavailable = Cell::mean_ms(cell.unavailable_us_sum, cell.recovered);
            if let Some((_, row)) = unavailable_ms.last_mut() {
                row.push(unavailable);
            }
            let lost = cell.lost_writes as f64 / cell.failovers.max(1) as f64;
            let false_per_hour =
                cell.false_suspicions as f64 / (cell.simulated_us as f64 / MICROS_PER_HOUR);
            println!(
                "{:>5} {timeout_ms:>11} {:>10} {detection:>14.1} {unavailable:>18.1} {lost:>15.2} {false_per_hour:>18.1}",
                replication.name(),
                cell.failovers
            );
            csv.push_str(&format!(
                "{},{timeout_ms},{},{detection:.1},{unavailable:.1},{lost:.2},{false_per_hour:.1}\n",
                replication.name(),
                cell.failovers
            ));
        }
    }
    if let Some(path) = args.value("csv") {
        std::fs::write(path, &csv).map_err(|e| format!("--csv: cannot write {path}: {e}"))?;
    }
    if let Some(path) = args.value("svg") {
        let subtitle = format!(
            "3 servers, 3 clients, latency {}-{} ms, {}% loss, the primary crashed every {} s, {seeds} seeds x {} s",
            LATENCY_US_MIN / MICROS_PER_MS,
            LATENCY_US_MAX / MICROS_PER_MS,
            LOSS_PPM / 10_000,
            CRASH_EVERY_US / 1_000_000,
            duration / 1_000_000
        );
        std::fs::write(path, svg(&subtitle, &unavailable_ms))
            .map_err(|e| format!("--svg: cannot write {path}: {e}"))?;
    }
    println!("bench failover: {:.1} s", started.elapsed().as_secs_f64());
    Ok(0)
}

/// One run of `duration` simulated time with the primary crashed every `CRASH_EVERY_US`;
/// adds what it measured to `cell`.
fn run(
    replication: Replication,
    timeout_ms: u64,
    seed: u64,
    duration: Micros,
    cell: &mut Cell,
) -> Result<(), String> {
    let mut settings = PbSettings {
        seed,
        ..PbSettings::default()
    };
    let c = &mut settings.pb;
    c.replication = replication;
    c.dead_timeout_us = timeout_ms * MICROS_PER_MS;
    c.ping_interval_us = c.dead_timeout_us / 3;
    c.lease_us = c.dead_timeout_us * 4 / 5;
    c.think_us = 10 * MICROS_PER_MS;
    settings.network.latency_us_min = LATENCY_US_MIN;
    settings.network.latency_us_max = LATENCY_US_MAX;
    settings.network.loss_ppm = LOSS_PPM;
    let observe = Observe {
        trace: false,
        checks: true,
    };
    let mut engine = Engine::<PrimaryBackup>::with_observe(settings, observe)
        .map_err(|e| format!("invalid settings: {}", e.english()))?;
    let mut at_us = CRASH_EVERY_US / 2;
    while at_us < duration {
        let crash = PbAction::CrashPrimary {
            down_us: CRASH_EVERY_US / 2,
        };
        engine
            .schedule(at_us, crash)
            .map_err(|e| format!("invalid action: {}", e.english()))?;
        at_us += CRASH_EVERY_US;
    }
    engine.run_until(duration);
    if let Some(v) = engine.violations().first() {
        return Err(format!(
            "{} timeout {timeout_ms} ms seed {seed}: {v}",
            replication.name()
        ));
    }
    let checks = &engine.checks;
    for f in checks.failovers() {
        cell.failovers += 1;
        cell.lost_writes += f.lost_writes;
        if let Some(s) = f.suspected_us {
            cell.detection_us_sum += s - f.crashed_us;
            cell.detected += 1;
        }
        if let Some(s) = f.served_us {
            cell.unavailable_us_sum += s - f.crashed_us;
            cell.recovered += 1;
        }
    }
    cell.false_suspicions += checks.false_suspicions();
    cell.simulated_us += duration;
    Ok(())
}

/// Unavailability per failover against the detection timeout, one line per replication mode.
/// The timeouts double from one to the next, so they are spaced evenly.
fn svg(subtitle: &str, unavailable_ms: &[(Replication, Vec<f64>)]) -> String {
    LineChart {
        title: "Unavailability per failover against the failure-detection timeout",
        subtitle,
        x_label: "failure-detection timeout (ms)",
        y_label: "unavailable per failover (ms)",
        x_ticks: DEAD_TIMEOUTS_MS
            .iter()
            .enumerate()
            .map(|(i, t)| ((i + 1) as f64, t.to_string()))
            .collect(),
        series: unavailable_ms
            .iter()
            .map(|(r, row)| {
                let points = row
                    .iter()
                    .enumerate()
                    .map(|(i, ms)| ((i + 1) as f64, *ms))
                    .collect();
                (r.name().to_string(), points)
            })
            .collect(),
    }
    .svg()
}
