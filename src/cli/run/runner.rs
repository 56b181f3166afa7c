//! The one runner every protocol's `faultline run` shares: the duration, random faults healed
//! in time, the liveness checks at the end and the trace file; each protocol's file keeps only
//! its flags and its summary.

use crate::cli::args::{duration_us, Args};
use crate::codec::run_scenario::RunScenario;
use crate::codec::trace_jsonl::to_jsonl;
use crate::sim::engine::TimedAction;

/// `--loss-percent P` (of every message) and `--latency 10ms` (the least one-way latency; the
/// most is raised to it if below), shared by the protocols' runs.
pub(super) fn network_flags(
    args: &Args,
    network: &mut crate::sim::net::NetConfig,
) -> Result<(), String> {
    // Only when given: a scenario file's loss stays otherwise.
    if args.value("loss-percent").is_some() {
        let loss_percent: u32 = args.number("loss-percent", 0)?;
        if loss_percent > 100 {
            return Err(format!("--loss-percent: {loss_percent} is outside 0..=100"));
        }
        network.loss_ppm = crate::sim::net::NetConfig::ppm_of_percent(loss_percent.into());
    }
    if let Some(latency) = args.value("latency") {
        let latency_us = duration_us("latency", latency)?;
        network.latency_us_min = latency_us;
        network.latency_us_max = latency_us.max(network.latency_us_max);
    }
    Ok(())
}

/// The end of a run's summary: its counters, and its violations (the first ten).
pub(super) fn print_counters_and_violations<P: crate::sim::fuzz::Fuzz>(
    engine: &crate::sim::Engine<P>,
) {
    use crate::sim::engine::Counters;
    let counts: Vec<String> = engine
        .coverage()
        .named()
        .iter()
        .map(|(name, count)| format!("{name} {count}"))
        .collect();
    println!("counters: {}", counts.join(", "));
    print_violations(engine);
}

/// The last line of a run's summary: its violations (the first ten), or none.
pub(super) fn print_violations<P: crate::sim::fuzz::Fuzz>(engine: &crate::sim::Engine<P>) {
    if engine.violations().is_empty() {
        println!("violations: none");
    } else {
        println!("violations: {}", engine.violations().len());
        for v in engine.violations().iter().take(10) {
            println!("VIOLATION {v}");
        }
    }
}

/// How long a run lasts unless `--duration` says.
pub(super) const DURATION_US_DEFAULT: u64 = 60_000_000;

/// Runs protocol `P` from `settings` for `--duration`, under `--faults random` healed at
/// `healed_at(duration)`, then asks its liveness checks (every fault is healed by then) and
/// writes `--trace`. Returns the engine and the duration for the protocol's summary.
pub(super) fn run_engine<P: crate::sim::fuzz::Fuzz>(
    args: &Args,
    settings: P::Settings,
    healed_at: fn(u64) -> u64,
) -> Result<(crate::sim::Engine<P>, u64), String> {
    run_engine_with(args, settings, Vec::new(), healed_at)
        .map(|(engine, duration, _)| (engine, duration))
}

/// A finished run: the engine, its duration and every action it was given.
pub(super) type EngineRun<P> = (
    crate::sim::Engine<P>,
    u64,
    Vec<TimedAction<<P as crate::sim::engine::Driver>::Action>>,
);

/// A protocol's scenario file reader.
pub(super) type ScenarioParse<S, A> =
    fn(&str, &str) -> Result<RunScenario<S, A>, crate::i18n::Text>;

/// [`run_engine`] with a scenario's `actions` scheduled too; also returns every action the
/// run was given (the scenario's and the random faults, in time order), which
/// `--save-scenario` writes.
pub(super) fn run_engine_with<P: crate::sim::fuzz::Fuzz>(
    args: &Args,
    settings: P::Settings,
    mut actions: Vec<TimedAction<P::Action>>,
    healed_at: fn(u64) -> u64,
) -> Result<EngineRun<P>, String> {
    let duration = match args.value("duration") {
        Some(d) => duration_us("duration", d)?,
        None => DURATION_US_DEFAULT,
    };
    let faults = match args.value("faults").unwrap_or("none") {
        "none" => Vec::new(),
        "random" => P::fault_schedule(&settings, healed_at(duration)),
        other => return Err(format!("--faults: \"{other}\" is not one of none, random")),
    };
    let mut engine = crate::sim::Engine::<P>::new(settings)
        .map_err(|e| format!("invalid settings: {}", e.english()))?;
    for a in &actions {
        engine
            .schedule(a.at_us, a.action.clone())
            .map_err(|e| format!("invalid scenario action: {}", e.english()))?;
    }
    for a in &faults {
        engine
            .schedule(a.at_us, a.action.clone())
            .map_err(|e| format!("invalid fault schedule: {}", e.english()))?;
    }
    engine.run_until(duration);
    engine.finish_checks();
    if let Some(path) = args.value("trace") {
        std::fs::write(path, to_jsonl(engine.trace()))
            .map_err(|e| format!("--trace: cannot write {path}: {e}"))?;
    }
    // A stable sort: the scenario's actions stay before faults at the same moment, the order
    // the engine was given them in.
    actions.extend(faults);
    actions.sort_by_key(|a| a.at_us);
    Ok((engine, duration, actions))
}

/// `--scenario FILE`, read by `parse` (the protocol's scenario format); `None` without it.
pub(super) fn scenario_flag<S, A>(
    args: &Args,
    parse: ScenarioParse<S, A>,
) -> Result<Option<RunScenario<S, A>>, String> {
    let Some(path) = args.value("scenario") else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--scenario: cannot read {path}: {e}"))?;
    parse(path, &text)
        .map(Some)
        .map_err(|e| format!("--scenario: {}", e.english()))
}

/// `--save-scenario FILE`: the run's settings and every action it was given, written by
/// `write` (the protocol's scenario format), so `--scenario FILE` replays the same run.
pub(super) fn save_scenario<S, A>(
    args: &Args,
    scenario: &RunScenario<S, A>,
    write: fn(&RunScenario<S, A>) -> String,
) -> Result<(), String> {
    if let Some(path) = args.value("save-scenario") {
        std::fs::write(path, write(scenario))
            .map_err(|e| format!("--save-scenario: cannot write {path}: {e}"))?;
    }
    Ok(())
}
