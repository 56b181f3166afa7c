//! Membership changes in Raft's fault search (`faultline fuzz --membership`): the run starts
//! with spare servers, and servers are added and removed among the faults, alone, two at a
//! time (the second before the first can commit), or around a change of leader (the
//! interleaving of the 2015 bug). What the healed cluster must reach is judged within the
//! configuration its leader uses: removed servers need not keep up.

use crate::sim::raft::action::Action;
use crate::sim::raft::effect::Role;
use crate::sim::raft::settings::{Settings, NODES_MAX};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::{LogIndex, Micros, NodeId, MICROS_PER_MS};
use crate::sim::Simulation;

/// How many kinds of fault membership adds to Raft's own.
pub const KINDS: u64 = 4;

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
pub fn draw(kind: u64, rng: &mut SimRng, settings: &Settings) -> Vec<(Micros, Action)> {
    let nodes = settings.nodes;
    let lat_min_us = settings.network.latency_us_min;
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
        2 => {
            // A change, a new leader soon after, and a change from the new leader as soon
            // as it leads.
            let first = change(rng);
            let rival = Action::Timeout { node: any(rng) };
            let rival_us = rng.below(2 * lat_min_us.max(1));
            let second = change(rng);
            let second_us = rival_us + rng.between(2 * lat_min_us, 4 * lat_min_us + 1);
            vec![(0, first), (rival_us, rival), (second_us, second)]
        }
        _ => disputed_change(rng, settings),
    }
}

/// The 2015 bug's interleaving with servers drawn at random (the search cannot know who
/// leads, so a transfer makes `x` the leader first): `x` adds `s` as a learner that cannot
/// hear it yet; once every server knows that change is committed, `x` and `s` are cut off
/// together and `s` catches up, so that `x` makes `s` a voter in an entry only `s` holds.
/// On a lossy network the others elect a new leader, which is asked to remove `w` and may
/// take the request as soon as it leads; `w` voted for it and, with luck, lost its first
/// entries. Then `w` joins `x` and `s`: with the new leader's change appended before its own
/// term had a committed entry, the three are a majority of `x`'s configuration without the
/// entries the new leader committed.
fn disputed_change(rng: &mut SimRng, settings: &Settings) -> Vec<(Micros, Action)> {
    let voters = settings.raft.voters_at_start(settings.nodes);
    let pick = |rng: &mut SimRng, from: u32, to: u32| {
        NodeId(from + rng.below((to - from + 1) as u64) as u32)
    };
    let x = pick(rng, 1, voters);
    let w = pick(rng, 1, voters);
    let s = pick(rng, voters.min(settings.nodes - 1) + 1, settings.nodes);
    if x == w || x == s || w == s {
        return Vec::new();
    }
    let rest: Vec<NodeId> = (1..=settings.nodes)
        .map(NodeId)
        .filter(|n| *n != x && *n != s)
        .collect();
    let mut lossy = settings.network.clone();
    lossy.loss_ppm = 300_000;
    let apart_us = 350 * MICROS_PER_MS;
    // Asked once `x` has appended its change, which it cannot commit: `x` refuses every
    // change after it, and the request waits (retried) for the next leader.
    let remove_us = apart_us + 100 * MICROS_PER_MS;
    let rejoin_us = apart_us + 4 * settings.raft.election_timeout_us_max;
    let mut with_w: Vec<NodeId> = vec![x, s, w];
    with_w.sort_unstable();
    vec![
        (0, Action::Transfer { to: x }),
        (
            150 * MICROS_PER_MS,
            Action::Cut {
                from: x,
                to: s,
                both: false,
            },
        ),
        (150 * MICROS_PER_MS, Action::AddServer { node: s }),
        (
            apart_us,
            Action::Partition {
                groups: vec![vec![x, s], rest],
            },
        ),
        (
            apart_us,
            Action::Repair {
                from: x,
                to: s,
                both: false,
            },
        ),
        (apart_us, Action::SetNetwork { network: lossy }),
        (remove_us, Action::RemoveServer { node: w }),
        (
            rejoin_us,
            Action::SetNetwork {
                network: settings.network.clone(),
            },
        ),
        (
            rejoin_us,
            Action::Partition {
                groups: vec![with_w],
            },
        ),
    ]
}

/// After the healed phase of a membership run: one leader whose term no server of its
/// configuration exceeds, and every voter of that configuration has applied everything
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
    // Learners need not keep up: nothing waits for them, and a leader that is the one voter
    // commits faster than any follower can copy (the leader's own log is its majority).
    let behind: Vec<String> = members
        .iter()
        .filter(|r| conf.is_voter(r.id()) && r.last_applied() < acked)
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
