//! `faultline run --protocol 2pc`: one two-phase commit run, a summary with the run's
//! counters, and optionally its trace.

use super::runner::{
    network_flags, print_counters_and_violations, run_engine_with, save_scenario, scenario_flag,
};
use crate::cli::args::{bugs_from, duration_us, Args, Flag};
use crate::codec::twopc_scenario::{self, TwoPcScenario};
use crate::sim::engine::Engine;
use crate::sim::twopc::{CoordinatorKind, TwoPc, TwoPcNode, TwoPcSettings};

const FLAGS: &[Flag] = &[
    Flag("protocol", true),
    Flag("seed", true),
    Flag("duration", true),
    Flag("faults", true),
    Flag("trace", true),
    Flag("scenario", true),
    Flag("save-scenario", true),
    Flag("participants", true),
    Flag("keys", true),
    Flag("clients", true),
    Flag("transactions", true),
    Flag("lock-wait", true),
    Flag("loss-percent", true),
    Flag("latency", true),
    Flag("bug", true),
    Flag("coordinator", true),
];

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(raw, FLAGS)?;
    // A scenario's settings and actions, then the flags on top of them.
    let (mut settings, actions) = match scenario_flag(&args, twopc_scenario::parse)? {
        Some(s) => (s.settings, s.actions),
        None => (TwoPcSettings::default(), Vec::new()),
    };
    settings.seed = args.number("seed", settings.seed)?;
    let c = &mut settings.twopc;
    c.participants = args.number("participants", c.participants)?;
    c.keys = args.number("keys", c.keys)?;
    c.clients = args.number("clients", c.clients)?;
    c.transactions = args.number("transactions", c.transactions)?;
    if let Some(wait) = args.value("lock-wait") {
        c.lock_wait_us = duration_us("lock-wait", wait)?;
    }
    let bugs = bugs_from::<TwoPc>(args.value("bug"))?.bugs;
    if bugs.any() {
        c.bugs = bugs;
    }
    if let Some(name) = args.value("coordinator") {
        c.coordinator = CoordinatorKind::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = CoordinatorKind::ALL.iter().map(|k| k.name()).collect();
            format!(
                "--coordinator: \"{name}\" is not one of {}",
                known.join(", ")
            )
        })?;
    }
    network_flags(&args, &mut settings.network)?;
    // Faults are healed by half the run: nobody may be left in doubt at its end.
    let (engine, duration, actions) =
        run_engine_with::<TwoPc>(&args, settings.clone(), actions, |d| d / 2)?;
    save_scenario(
        &args,
        &TwoPcScenario {
            settings: settings.clone(),
            actions,
        },
        twopc_scenario::write,
    )?;
    print_summary(&engine, &settings, duration);
    Ok(if engine.violations().is_empty() { 0 } else { 1 })
}

fn print_summary(engine: &Engine<TwoPc>, settings: &TwoPcSettings, duration_us: u64) {
    let c = &settings.twopc;
    let coordinator = match c.coordinator {
        CoordinatorKind::Single => "coordinator S1".to_string(),
        kind => {
            let members: Vec<String> = c.group_members().iter().map(|m| m.to_string()).collect();
            format!(
                "coordinator group of {} on Raft ({})",
                kind.size(),
                members.join(", ")
            )
        }
    };
    println!(
        "faultline run: 2pc, {coordinator} and {} participants (key k on S(2 + k % {})), {} clients, seed {}, {:.1} s simulated, {} events, {} trace lines",
        c.participants,
        c.participants,
        c.clients,
        settings.seed,
        duration_us as f64 / 1e6,
        engine.events_processed(),
        engine.trace().len()
    );
    let world = engine.world();
    let (mut committed, mut aborted, mut given_up, mut submitted) = (0, 0, 0, 0);
    for client in &world.clients {
        committed += client.committed;
        aborted += client.aborted;
        given_up += client.given_up;
        submitted += client.submitted;
    }
    println!(
        "clients: {submitted} transactions submitted, {committed} told committed, {aborted} told aborted, {given_up} given up"
    );
    for slot in engine.nodes() {
        let state = match &slot.process {
            None => "down".to_string(),
            Some(TwoPcNode::Coordinator(co)) => {
                format!("coordinator, {} in progress", co.txns.len())
            }
            Some(TwoPcNode::Member(m)) => format!(
                "coordinator group member, {} in term {}{}",
                m.raft.role().name(),
                m.raft.term().0,
                match &m.lead {
                    Some(lead) => format!(", coordinating, {} in progress", lead.txns.len()),
                    None => String::new(),
                }
            ),
            Some(TwoPcNode::Participant(p)) => format!(
                "participant, {} keys stored, {} locked, {} waiting",
                p.store.len(),
                p.locks.len(),
                p.waiting.len()
            ),
        };
        println!("{}: {state}", slot.id);
    }
    print_counters_and_violations(engine);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run with random faults, saved as a scenario file and played from it, is the same run:
    /// the trace files are identical, byte for byte.
    #[test]
    fn a_saved_scenario_replays_the_same_run() {
        let dir = std::env::temp_dir().join(format!("faultline-2pc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = |name: &str| dir.join(name).to_string_lossy().into_owned();
        let args = |extra: &[&str]| -> Vec<String> {
            [
                "--protocol",
                "2pc",
                "--duration",
                "8s",
                "--participants",
                "4",
            ]
            .iter()
            .chain(extra)
            .map(|s| s.to_string())
            .collect()
        };
        let (scenario, first, second) = (file("s.json"), file("t1.jsonl"), file("t2.jsonl"));
        main(&args(&[
            "--faults",
            "random",
            "--seed",
            "11",
            "--save-scenario",
            &scenario,
            "--trace",
            &first,
        ]))
        .unwrap();
        let saved = std::fs::read_to_string(&scenario).unwrap();
        assert!(saved.contains("\"participants\": 4"), "{saved}");
        assert!(saved.contains("\"action\": \"partition\""), "{saved}");
        main(&args(&["--scenario", &scenario, "--trace", &second])).unwrap();
        assert_eq!(
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap()
        );
        let e = main(&args(&["--scenario", &file("missing.json")])).unwrap_err();
        assert!(e.starts_with("--scenario: cannot read"), "{e}");
        std::fs::write(
            file("bad.json"),
            r#"{"version": 1, "protocol": "retransmit"}"#,
        )
        .unwrap();
        let e = main(&args(&["--scenario", &file("bad.json")])).unwrap_err();
        assert!(e.contains("protocol must be \"2pc\""), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// `--coordinator` names the flag and the choices when the value is not one of them.
    #[test]
    fn a_bad_coordinator_is_an_error_naming_the_flag() {
        let raw: Vec<String> = ["--protocol", "2pc", "--coordinator", "paxos"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            super::main(&raw),
            Err("--coordinator: \"paxos\" is not one of single, raft3, raft5".into())
        );
    }
}
