//! `faultline run --protocol retransmit`: one retransmission run, a summary per pair, and
//! optionally its trace.

use super::runner::{
    network_flags, print_violations, run_engine_with, save_scenario, scenario_flag,
};
use crate::cli::args::{bugs_from, duration_us, Args, Flag};
use crate::codec::retransmit_scenario::{self, RetransmitScenario};
use crate::sim::engine::Engine;
use crate::sim::protocol::Event;
use crate::sim::retransmit::{
    AckMode, Note, Retransmit, RetransmitNode, RetransmitReason, RetransmitSettings, RtoPolicy,
    Scheme,
};
use crate::sim::types::MICROS_PER_MS;

const FLAGS: &[Flag] = &[
    Flag("protocol", true),
    Flag("seed", true),
    Flag("duration", true),
    Flag("faults", true),
    Flag("trace", true),
    Flag("scenario", true),
    Flag("save-scenario", true),
    Flag("pairs", true),
    Flag("scheme", true),
    Flag("window", true),
    Flag("ack", true),
    Flag("rto", true),
    Flag("messages", true),
    Flag("interval", true),
    Flag("loss-percent", true),
    Flag("latency", true),
    Flag("bug", true),
];

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(raw, FLAGS)?;
    // A scenario's settings and actions, then the flags on top of them.
    let (mut settings, actions) = match scenario_flag(&args, retransmit_scenario::parse)? {
        Some(s) => (s.settings, s.actions),
        None => (RetransmitSettings::default(), Vec::new()),
    };
    settings.seed = args.number("seed", settings.seed)?;
    let r = &mut settings.retransmit;
    r.pairs = args.number("pairs", r.pairs)?;
    if let Some(scheme) = args.value("scheme") {
        r.scheme = match scheme {
            "stop-and-wait" => Scheme::StopAndWait,
            "go-back-n" => Scheme::GoBackN,
            "selective-repeat" => Scheme::SelectiveRepeat,
            other => {
                return Err(format!(
                    "--scheme: \"{other}\" is not one of stop-and-wait, go-back-n, selective-repeat"
                ))
            }
        };
    }
    r.window = args.number("window", r.window)?;
    if let Some(ack) = args.value("ack") {
        r.ack = match ack {
            "cumulative" => AckMode::Cumulative,
            "selective" => AckMode::Selective,
            other => {
                return Err(format!(
                    "--ack: \"{other}\" is not one of cumulative, selective"
                ))
            }
        };
    }
    if let Some(rto) = args.value("rto") {
        if rto != "adaptive" {
            r.rto = RtoPolicy::Fixed {
                rto_us: duration_us("rto", rto)
                    .map_err(|e| format!("{e} (or \"adaptive\", RFC 6298)"))?,
            };
        }
    }
    r.messages = args.number("messages", r.messages)?;
    if let Some(interval) = args.value("interval") {
        r.offered_interval_us = duration_us("interval", interval)?;
    }
    let bugs = bugs_from::<Retransmit>(args.value("bug"))?;
    if bugs.any() {
        r.bugs = bugs;
    }
    network_flags(&args, &mut settings.network)?;
    // Faults are healed by two thirds of the run: what the senders accepted must have arrived by its end.
    let (engine, duration, actions) =
        run_engine_with::<Retransmit>(&args, settings.clone(), actions, |d| d * 2 / 3)?;
    save_scenario(
        &args,
        &RetransmitScenario {
            settings: settings.clone(),
            actions,
        },
        retransmit_scenario::write,
    )?;
    print_summary(&engine, &settings, duration);
    Ok(if engine.violations().is_empty() { 0 } else { 1 })
}

fn print_summary(engine: &Engine<Retransmit>, settings: &RetransmitSettings, duration_us: u64) {
    let r = &settings.retransmit;
    println!(
        "faultline run: retransmit, {} pair(s), {:?}, window {}, {:?} acks, seed {}, {:.1} s simulated, {} events, {} trace lines",
        r.pairs,
        r.scheme,
        r.window_effective(),
        r.ack,
        settings.seed,
        duration_us as f64 / 1e6,
        engine.events_processed(),
        engine.trace().len()
    );
    let pairs = r.pairs as usize;
    let (mut accepted, mut delivered) = (vec![0u64; pairs], vec![0u64; pairs]);
    let (mut resent, mut crashes) = (vec![0u64; pairs], 0);
    for line in engine.trace() {
        match &line.event {
            Event::Protocol(Note::Accept { pair, .. }) => accepted[*pair as usize] += 1,
            Event::Protocol(Note::AppDeliver { pair, .. }) => delivered[*pair as usize] += 1,
            Event::Protocol(Note::Retransmit { node, reason, .. })
                if *reason == RetransmitReason::Timeout =>
            {
                resent[crate::sim::retransmit::pair_of(*node) as usize] += 1
            }
            Event::Crash { .. } => crashes += 1,
            _ => {}
        }
    }
    for pair in 0..pairs {
        let (sender, receiver) = crate::sim::retransmit::nodes_of(pair as u32);
        let rto_ms = match engine.node(sender).and_then(|n| n.process.as_ref()) {
            Some(RetransmitNode::Sender(s)) => {
                format!("{} ms", s.rto().current_us(&r.rto) / MICROS_PER_MS)
            }
            _ => "down".into(),
        };
        println!(
            "pair {pair} ({sender} -> {receiver}): accepted {}, delivered {}, retransmissions {}, timeout now {rto_ms}",
            accepted[pair], delivered[pair], resent[pair]
        );
    }
    println!("crashes: {crashes}");
    print_violations(engine);
}
