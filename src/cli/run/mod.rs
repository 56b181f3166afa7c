//! `faultline run`: one run, a summary, and optionally its trace (Raft here; each other
//! protocol in its own file, chosen by `--protocol`).

mod paxos;
mod pb;
mod retransmit;
mod ring;
mod runner;
mod twopc;

use super::args::{bugs_from, duration_us, Args, Flag};
use super::protocols::ProtocolName;
use crate::codec::scenario::Scenario;
use crate::codec::trace_jsonl::to_jsonl;
use crate::sim::raft::fuzz::fault_schedule;
use crate::sim::raft::RaftEvent;
use crate::sim::raft::Role;
use crate::sim::trace::TraceEvent;
use crate::sim::{Settings, Simulation};
use runner::DURATION_US_DEFAULT;
use std::collections::BTreeMap;

const FLAGS: &[Flag] = &[
    Flag("protocol", true),
    Flag("nodes", true),
    Flag("seed", true),
    Flag("duration", true),
    Flag("faults", true),
    Flag("scenario", true),
    Flag("trace", true),
    Flag("clients", true),
    Flag("pre-vote", false),
    Flag("check-quorum", false),
    Flag("bug", true),
];

pub fn main(raw: &[String]) -> Result<i32, String> {
    match ProtocolName::from_flag(protocol_flag(raw))? {
        ProtocolName::Raft => run_raft(raw),
        ProtocolName::Retransmit => retransmit::main(raw),
        ProtocolName::Ring => ring::main(raw),
        ProtocolName::TwoPc => twopc::main(raw),
        ProtocolName::Paxos => paxos::main(raw),
        ProtocolName::PrimaryBackup => pb::main(raw),
    }
}

/// The value of `--protocol`, read before the protocol's own flags are known.
fn protocol_flag(raw: &[String]) -> Option<&str> {
    raw.iter()
        .enumerate()
        .find_map(|(i, arg)| match arg.strip_prefix("--protocol") {
            Some("") => raw.get(i + 1).map(|s| s.as_str()),
            Some(inline) => inline.strip_prefix('='),
            None => None,
        })
}

fn run_raft(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(raw, FLAGS)?;
    let (mut settings, mut actions) = match args.value("scenario") {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--scenario: cannot read {path}: {e}"))?;
            let s = Scenario::parse(path, &text)?;
            (s.settings, s.actions)
        }
        None => (Settings::default(), Vec::new()),
    };
    settings.nodes = args.number("nodes", settings.nodes)?;
    settings.seed = args.number("seed", settings.seed)?;
    settings.workload.clients = args.number("clients", settings.workload.clients.max(2))?;
    settings.raft.pre_vote |= args.switch("pre-vote");
    settings.raft.check_quorum |= args.switch("check-quorum");
    let bugs = bugs_from::<crate::sim::raft::Raft>(args.value("bug"))?.bugs;
    if bugs.any() {
        settings.raft.bugs = bugs;
    }
    settings
        .validate()
        .map_err(|e| format!("invalid settings: {}", e.english()))?;
    let duration = match args.value("duration") {
        Some(d) => duration_us("duration", d)?,
        None => DURATION_US_DEFAULT,
    };
    match args.value("faults").unwrap_or("none") {
        "none" => {}
        "random" => actions.extend(fault_schedule(&settings, duration * 2 / 3)),
        other => return Err(format!("--faults: \"{other}\" is not one of none, random")),
    }
    let mut sim = Simulation::new(settings.clone())?;
    for a in actions {
        sim.schedule(a.at_us, a.action)?;
    }
    sim.run_until(duration);
    if let Some(path) = args.value("trace") {
        std::fs::write(path, to_jsonl(sim.trace()))
            .map_err(|e| format!("--trace: cannot write {path}: {e}"))?;
    }
    print_summary(&sim, &settings, duration);
    Ok(if sim.violations().is_empty() { 0 } else { 1 })
}

fn print_summary(sim: &Simulation, settings: &Settings, duration_us: u64) {
    println!(
        "faultline run: raft, {} nodes, seed {}, {:.1} s simulated, {} events, {} trace lines",
        settings.nodes,
        settings.seed,
        duration_us as f64 / 1e6,
        sim.events_processed(),
        sim.trace().len()
    );
    let mut leaders: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    let mut crashes = 0;
    for line in sim.trace() {
        match &line.event {
            TraceEvent::Protocol(RaftEvent::Role {
                node,
                term,
                role: Role::Leader,
            }) => {
                leaders.entry(term.0).or_default().push(node.to_string());
            }
            TraceEvent::Crash { .. } => crashes += 1,
            _ => {}
        }
    }
    let terms: Vec<String> = leaders
        .iter()
        .map(|(t, l)| format!("{t}:{}", l.join("+")))
        .collect();
    println!(
        "leaders per term: {}",
        if terms.is_empty() {
            "none".into()
        } else {
            terms.join(" ")
        }
    );
    let commit = sim
        .nodes()
        .iter()
        .filter_map(|n| n.process.as_ref())
        .map(|r| r.commit_index().0)
        .max()
        .unwrap_or(0);
    println!("committed index: {commit}; crashes: {crashes}");
    println!("client operations completed: {}", sim.completed_ops());
    if sim.violations().is_empty() {
        println!("violations: none");
    } else {
        println!("violations: {}", sim.violations().len());
        for v in sim.violations().iter().take(10) {
            println!("VIOLATION {v}");
        }
    }
}
