//! What a lesson can ask the learner to do, as a small closed vocabulary of predicates over
//! the real simulation. Each goal compares the live run with a [`Baseline`] taken when the
//! step began ("a new leader": one whose term is higher than any term at the start).

use crate::sim::raft::{Command, Role};
use crate::sim::types::{LogIndex, NodeId, Term};
use crate::sim::Simulation;

/// A goal of a lesson task. Names are the `goal` strings of lesson files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Goal {
    /// The server that led when the step began is down (Raft paper, section 5.2).
    CrashLeader,
    /// At least `count` servers are down.
    NodesDown { count: u32 },
    /// A live server leads in a term higher than that of any leader alive at the start of
    /// the step (section 5.2: every election raises the term).
    NewLeader,
    /// The network is split so that a leader sits in a group smaller than a majority, and
    /// the rest of the cluster forms a group that is a majority (section 5.4, figure 5 of the
    /// extended paper's discussion of partitions).
    LeaderInMinority,
    /// No partition and no cut link remain.
    Healed,
    /// A put reached a majority and a leader committed it, past the commit index at the start
    /// of the step (section 5.3).
    PutCommitted,
    /// The live safety checks report a violation that was not there when the step began.
    SafetyViolated,
    /// Some server took a snapshot past the one it had at the start (section 7).
    SnapshotTaken,
    /// Every server is up (none crashed, none still replaying its disk).
    AllUp,
    /// The leader's configuration names a voter that the leader's configuration at the start
    /// of the step did not, and the leader has committed it (Raft thesis, section 4.1: a
    /// server added, caught up as a learner and promoted).
    VoterAdded,
    /// A goal of a Hash ring lesson, checked against the ring store instead
    /// ([`super::ring::RingGoal::satisfied`]); never satisfied by a Raft run.
    Ring(super::ring::RingGoal),
    /// A goal of a lesson read beside a live run that counts its events (retransmission, two-
    /// phase commit), checked against that run instead ([`super::live::LiveGoal::satisfied`]);
    /// never satisfied by a Raft run.
    Live(super::live::LiveGoal),
}

impl Goal {
    /// Every goal name a lesson file may use.
    pub const NAMES: [&'static str; 10] = [
        "crash_leader",
        "nodes_down",
        "new_leader",
        "leader_in_minority",
        "healed",
        "put_committed",
        "safety_violated",
        "snapshot_taken",
        "all_up",
        "voter_added",
    ];

    /// Reads a goal from its name and its `count` (for `nodes_down`).
    pub fn from_name(name: &str, count: Option<u64>) -> Result<Goal, String> {
        Ok(match name {
            "crash_leader" => Goal::CrashLeader,
            "nodes_down" => Goal::NodesDown {
                count: count
                    .and_then(|c| u32::try_from(c).ok())
                    .filter(|c| *c > 0)
                    .ok_or("goal `nodes_down` needs a positive `count`")?,
            },
            "new_leader" => Goal::NewLeader,
            "leader_in_minority" => Goal::LeaderInMinority,
            "healed" => Goal::Healed,
            "put_committed" => Goal::PutCommitted,
            "safety_violated" => Goal::SafetyViolated,
            "snapshot_taken" => Goal::SnapshotTaken,
            "all_up" => Goal::AllUp,
            "voter_added" => Goal::VoterAdded,
            other => {
                return Err(format!(
                    "unknown goal `{other}` (expected one of {})",
                    Goal::NAMES.join(", ")
                ))
            }
        })
    }

    /// Whether the run satisfies the goal, measured against the start of the step.
    pub fn satisfied(&self, start: &Baseline, sim: &Simulation) -> bool {
        match self {
            Goal::CrashLeader => start
                .leader
                .is_some_and(|l| sim.node(l).is_none_or(|n| !n.is_up())),
            Goal::NodesDown { count } => {
                sim.nodes().iter().filter(|n| !n.is_up()).count() as u32 >= *count
            }
            Goal::NewLeader => sim
                .nodes()
                .iter()
                .filter_map(|n| n.process.as_ref())
                .any(|r| r.role() == Role::Leader && r.term() > start.leader_term),
            Goal::LeaderInMinority => leader_in_minority(sim),
            Goal::Healed => sim.network().groups().is_none() && sim.network().cuts().is_empty(),
            Goal::PutCommitted => put_committed_after(sim, start.commit),
            Goal::SafetyViolated => sim.violations().len() > start.violations,
            Goal::SnapshotTaken => sim
                .nodes()
                .iter()
                .zip(&start.snapshots)
                .any(|(n, before)| snapshot_index(n) > *before),
            Goal::AllUp => sim.nodes().iter().all(|n| n.is_up()),
            Goal::VoterAdded => leader_process(sim).is_some_and(|r| {
                r.commit_index() >= r.configuration_index()
                    && r.configuration()
                        .voters
                        .iter()
                        .any(|v| !start.voters.contains(v))
            }),
            Goal::Ring(_) | Goal::Live(_) => false,
        }
    }
}

/// What the run looked like when a step began.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Baseline {
    pub leader: Option<NodeId>,
    /// The highest term of a live leader (0 when none leads).
    pub leader_term: Term,
    /// The highest commit index of any live server.
    pub commit: LogIndex,
    pub violations: usize,
    /// Each server's snapshot index on disk.
    pub snapshots: Vec<LogIndex>,
    /// The voters of the leader's configuration (none when no server leads).
    pub voters: Vec<NodeId>,
}

/// The process of the server that leads now, if any.
fn leader_process(sim: &Simulation) -> Option<&crate::sim::raft::RaftNode> {
    sim.leader()
        .and_then(|l| sim.node(l))
        .and_then(|n| n.process.as_ref())
}

impl Baseline {
    pub fn of(sim: &Simulation) -> Baseline {
        let live = || sim.nodes().iter().filter_map(|n| n.process.as_ref());
        Baseline {
            leader: sim.leader(),
            leader_term: live()
                .filter(|r| r.role() == Role::Leader)
                .map(|r| r.term())
                .max()
                .unwrap_or_default(),
            commit: live().map(|r| r.commit_index()).max().unwrap_or_default(),
            violations: sim.violations().len(),
            snapshots: sim.nodes().iter().map(snapshot_index).collect(),
            voters: leader_process(sim)
                .map(|r| r.configuration().voters.clone())
                .unwrap_or_default(),
        }
    }
}

fn snapshot_index(n: &crate::sim::engine::NodeSlot<crate::sim::raft::Raft>) -> LogIndex {
    n.disk.snapshot().map(|s| s.last_index).unwrap_or_default()
}

/// Whether a live leader's group of the partition is smaller than a majority while another
/// group holds a majority.
fn leader_in_minority(sim: &Simulation) -> bool {
    let Some(groups) = sim.network().groups() else {
        return false;
    };
    let majority = sim.nodes().len() / 2 + 1;
    let size = |g: u32| groups.iter().filter(|x| **x == g).count();
    let majority_exists = groups.iter().any(|g| size(*g) >= majority);
    majority_exists
        && sim
            .nodes()
            .iter()
            .filter_map(|n| n.process.as_ref())
            .filter(|r| r.role() == Role::Leader)
            .any(|r| {
                groups
                    .get(r.id().slot())
                    .is_some_and(|g| size(*g) < majority)
            })
}

/// Whether some live server has committed a put at an index after `after`.
fn put_committed_after(sim: &Simulation, after: LogIndex) -> bool {
    sim.nodes()
        .iter()
        .filter_map(|n| n.process.as_ref())
        .any(|r| {
            let mut i = after.next();
            while i <= r.commit_index() {
                if r.log()
                    .entry(i)
                    .is_some_and(|e| matches!(*e.cmd, Command::Put { .. }))
                {
                    return true;
                }
                i = i.next();
            }
            false
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::raft::action::Action;
    use crate::sim::raft::settings::Settings;
    use crate::sim::types::MICROS_PER_MS;

    fn elected() -> Simulation {
        let mut sim = Simulation::new(Settings {
            nodes: 5,
            seed: 3,
            ..Settings::default()
        })
        .unwrap();
        sim.run_until(1_000 * MICROS_PER_MS);
        assert!(sim.leader().is_some());
        sim
    }

    fn run_ms(sim: &mut Simulation, ms: u64) {
        sim.run_until(sim.now_us() + ms * MICROS_PER_MS);
    }

    /// The learner's client writes x=1 through `node`.
    fn put(sim: &mut Simulation, node: NodeId) {
        let cmd = Command::Put {
            key: "x".into(),
            value: "1".into(),
        };
        sim.act(Action::Request { node, cmd }).unwrap();
    }

    #[test]
    fn names_round_trip_and_unknown_goals_are_errors() {
        for name in Goal::NAMES {
            assert!(Goal::from_name(name, Some(2)).is_ok(), "{name}");
        }
        assert!(Goal::from_name("win", None).unwrap_err().contains("win"));
        assert!(Goal::from_name("nodes_down", None).is_err());
    }

    /// Section 5.2: when the leader fails, another server times out and wins a higher term.
    #[test]
    fn crashing_the_leader_then_a_new_leader_in_a_higher_term() {
        let mut sim = elected();
        let start = Baseline::of(&sim);
        assert!(!Goal::CrashLeader.satisfied(&start, &sim));
        assert!(!Goal::NewLeader.satisfied(&start, &sim));
        let leader = start.leader.unwrap();
        sim.act(Action::Crash {
            node: leader,
            mode: Default::default(),
        })
        .unwrap();
        run_ms(&mut sim, 1);
        assert!(Goal::CrashLeader.satisfied(&start, &sim));
        assert!(Goal::NodesDown { count: 1 }.satisfied(&start, &sim));
        assert!(!Goal::AllUp.satisfied(&start, &sim));
        run_ms(&mut sim, 2_000);
        assert!(Goal::NewLeader.satisfied(&start, &sim));
    }

    /// Section 5.3: an entry is committed once the leader has stored it on a majority.
    #[test]
    fn a_put_is_committed() {
        let mut sim = elected();
        let start = Baseline::of(&sim);
        assert!(!Goal::PutCommitted.satisfied(&start, &sim));
        put(&mut sim, start.leader.unwrap());
        run_ms(&mut sim, 200);
        assert!(Goal::PutCommitted.satisfied(&start, &sim));
    }

    /// A leader cut off with a minority keeps its role for a while but cannot commit.
    #[test]
    fn a_leader_in_a_minority_and_healing() {
        let mut sim = elected();
        let start = Baseline::of(&sim);
        let leader = start.leader.unwrap();
        assert!(!Goal::LeaderInMinority.satisfied(&start, &sim));
        assert!(Goal::Healed.satisfied(&start, &sim));
        sim.act(Action::Partition {
            groups: vec![vec![leader]],
        })
        .unwrap();
        run_ms(&mut sim, 1);
        assert!(Goal::LeaderInMinority.satisfied(&start, &sim));
        assert!(!Goal::Healed.satisfied(&start, &sim));
        sim.act(Action::Heal).unwrap();
        run_ms(&mut sim, 1);
        assert!(Goal::Healed.satisfied(&start, &sim));
    }

    /// Section 7: a snapshot replaces the log prefix it covers.
    #[test]
    fn a_snapshot_is_taken() {
        let mut sim = elected();
        let leader = sim.leader().unwrap();
        put(&mut sim, leader);
        run_ms(&mut sim, 200);
        let start = Baseline::of(&sim);
        assert!(!Goal::SnapshotTaken.satisfied(&start, &sim));
        sim.act(Action::Snapshot { node: leader }).unwrap();
        run_ms(&mut sim, 10);
        assert!(Goal::SnapshotTaken.satisfied(&start, &sim));
    }

    /// A restarted server counts as up only once it has replayed its disk.
    #[test]
    fn all_up_after_a_restart() {
        let mut sim = elected();
        let start = Baseline::of(&sim);
        assert!(Goal::AllUp.satisfied(&start, &sim));
        sim.act(Action::Crash {
            node: NodeId(1),
            mode: Default::default(),
        })
        .unwrap();
        run_ms(&mut sim, 1);
        assert!(!Goal::AllUp.satisfied(&start, &sim));
        sim.act(Action::Restart { node: NodeId(1) }).unwrap();
        run_ms(&mut sim, 100);
        assert!(Goal::AllUp.satisfied(&start, &sim));
    }

    /// Figure 2 asks for stable storage before answering: a lone server whose disk never
    /// syncs loses a committed entry in a power loss, and the checks say so.
    #[test]
    fn a_safety_violation_is_seen() {
        let mut settings = Settings {
            nodes: 1,
            seed: 2,
            ..Settings::default()
        };
        settings.disk.sync = crate::sim::disk::SyncPolicy::Never;
        let mut sim = Simulation::new(settings).unwrap();
        run_ms(&mut sim, 400);
        put(&mut sim, NodeId(1));
        run_ms(&mut sim, 200);
        let start = Baseline::of(&sim);
        assert!(!Goal::SafetyViolated.satisfied(&start, &sim));
        sim.act(Action::Crash {
            node: NodeId(1),
            mode: crate::sim::disk::CrashMode::LoseUnsynced,
        })
        .unwrap();
        sim.act(Action::Restart { node: NodeId(1) }).unwrap();
        run_ms(&mut sim, 1_000);
        assert!(Goal::SafetyViolated.satisfied(&start, &sim));
    }
}
