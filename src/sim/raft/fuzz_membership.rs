//! Membership changes in Raft's fault search (`faultline fuzz --membership`): the run starts
//! with spare servers, and servers are added and removed among the faults, alone, two at a
//! time (the second before the first can commit), or around a change of leader (the
//! interleaving of the 2015 bug). What the healed cluster must reach is judged within the
//! configuration its leader uses: removed servers need not keep up.

use crate::sim::raft::action::Action;
use crate::sim::raft::effect::Role;
use crate::sim::raft::settings::{Settings, NODES_MAX};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::{LogIndex, Micros, NodeId};
use crate::sim::Simulation;

/// How many kinds of fault membership adds to Raft's own.
pub const KINDS: u64 = 3;

/// Spare servers and the first configuration for seed `seed`, drawn from a stream of their
/// own, so that every other choice of the seed stays what it is without `--membership`.
pub fn draw_cluster(settings: &mut Settings, nodes: Option<u32>) {
    let mut rng = SimRng::stream(settings.seed ^ 0x6d65_6d62_6572, Stream::Faults);
    let spares = 1 + rng.below(2) as u32;
    let total = nodes.unwrap_or((settings.nodes + spares).min(NODES_MAX));
    settings.nodes = total;
    settings.raft.voters_initial = total.saturating_sub(spares).max(1);
}

/// Membership fault `kind` (from 0): its actions with their delays. `lat_min_us` is the
/// network's smallest latency: a change within it of another reaches no one first.
pub fn draw(kind: u64, rng: &mut SimRng, nodes: u32, lat_min_us: Micros) -> Vec<(Micros, Action)> {
    let any = |rng: &mut SimRng| NodeId(1 + rng.below(nodes as u64) as u32);
    let change = |rng: &mut SimRng| {
        let node = any(rng);
        if rng.below(2) == 0 {
            Action::AddServer { node }
        } else {
            Action::RemoveServer { node }
        }
    };
    match kind {
        0 => vec![(0, change(rng))],
        1 => {
            // A hurried operator: a second change before the first can have committed.
            let first = change(rng);
            let second = change(rng);
            vec![(0, first), (rng.below(lat_min_us.max(1)), second)]
        }
        _ => {
            // A change, a new leader soon after, and a change from the new leader as soon
            // as it leads: the 2015 bug's interleaving.
            let first = change(rng);
            let rival = Action::Timeout { node: any(rng) };
            let rival_us = rng.below(2 * lat_min_us.max(1));
            let second = change(rng);
            let second_us = rival_us + rng.between(2 * lat_min_us, 4 * lat_min_us + 1);
            vec![(0, first), (rival_us, rival), (second_us, second)]
        }
    }
}

/// After the healed phase of a membership run: one leader whose term no server of its
/// configuration exceeds, and every server of that configuration has applied everything
/// acknowledged up to `acked`. On a disk that may lose writes (`lossy`) a power loss can
/// take the configuration with it: a cluster shrunk to servers that all lost their logs
/// has no majority left to elect anyone, as a real one would not, so no leader is expected.
pub fn liveness_problem(sim: &Simulation, acked: LogIndex, lossy: bool) -> Option<String> {
    let live: Vec<_> = sim
        .nodes()
        .iter()
        .filter_map(|n| n.process.as_ref())
        .collect();
    if live.len() != sim.nodes().len() {
        return Some("a server is still down after the repair".into());
    }
    let Some(leader) = live
        .iter()
        .filter(|r| r.role() == Role::Leader)
        .max_by_key(|r| r.term())
    else {
        return (!lossy).then(|| "no leader after the healed phase".into());
    };
    let conf = leader.configuration();
    let members: Vec<_> = live.iter().filter(|r| conf.contains(r.id())).collect();
    if let Some(r) = members
        .iter()
        .find(|r| r.term() > leader.term() || (r.id() != leader.id() && r.role() == Role::Leader))
    {
        return Some(format!(
            "{} is {} in term {} beside leader {} of term {}",
            r.id(),
            r.role().name(),
            r.term(),
            leader.id(),
            leader.term()
        ));
    }
    let behind: Vec<String> = members
        .iter()
        .filter(|r| r.last_applied() < acked)
        .map(|r| format!("{} applied only up to {}", r.id(), r.last_applied()))
        .collect();
    if !behind.is_empty() {
        return Some(format!(
            "acknowledged writes up to index {acked} not applied in configuration {conf}: {}",
            behind.join(", ")
        ));
    }
    None
}
