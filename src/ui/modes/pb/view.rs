//! What the primary-backup page shows, projected from the run (`sim::pb::page` reads the
//! facts): each node's part, view and position, the primary's lease, who is cut off from the
//! view service, the failovers told from the trace, the run's counters and its latest events.

use super::model::PbRun;
use crate::sim::pb::config::VIEW_SERVICE;
use crate::sim::pb::page::{
    node_facts, serving_primaries, spiking, FailoverStory, NodeFacts, Role,
};
use crate::sim::pb::{Note, PbSettings, PrimaryBackup, Replication};
use crate::sim::protocol::Event;
use crate::sim::types::{Micros, NodeId};
use crate::ui::i18n::{t, tf, words};
use crate::ui::shell::format::time;
pub use crate::ui::shell::latest::EventView;

/// How many failovers the timeline shows (the newest).
pub const STORIES_SHOWN: usize = 3;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts {
    /// The view service's current view.
    pub view: u64,
    pub acked_writes: u64,
    pub acked_reads: u64,
    /// Acknowledged writes a failover lost: warm mode's expected losses.
    pub lost_writes: u64,
    pub failovers: u64,
    pub false_suspicions: u64,
    pub violations: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PbView {
    /// The settings the run started with.
    pub settings: PbSettings,
    pub now_us: Micros,
    pub nodes: Vec<NodeFacts>,
    /// Servers the network keeps from the view service (either way).
    pub cut_off: Vec<NodeId>,
    /// The primary the page's actions hit now, and its last write.
    pub target: Option<NodeId>,
    pub primary_applied: u64,
    /// The servers answering clients as primary now.
    pub serving: Vec<NodeId>,
    /// The newest failovers, oldest first.
    pub stories: Vec<FailoverStory>,
    pub counts: Counts,
    pub events: Vec<EventView>,
    /// The violations the live checks found, in words.
    pub violations: Vec<String>,
    pub spiking: bool,
    /// The nodes the checks' violations name (the stage marks them).
    pub offending: Vec<NodeId>,
}

impl PbView {
    pub fn replication(&self) -> Replication {
        self.settings.pb.replication
    }

    pub fn build(run: &PbRun) -> PbView {
        let sim = run.sim();
        let settings = run.settings().clone();
        let nodes = node_facts(sim);
        let reader = run.read();
        let target = crate::sim::pb::page::target_primary(sim);
        let primary_applied = target
            .and_then(|p| nodes.iter().find(|n| n.node == p))
            .map_or(0, |n| n.applied);
        let cut_off = settings
            .pb
            .server_ids()
            .filter(|s| {
                !sim.network().connected(*s, VIEW_SERVICE)
                    || !sim.network().connected(VIEW_SERVICE, *s)
            })
            .collect();
        let checks = sim.checks();
        let skip = reader.stories.len().saturating_sub(STORIES_SHOWN);
        PbView {
            now_us: sim.now_us(),
            counts: Counts {
                view: nodes.first().map_or(0, |n| n.view),
                acked_writes: reader.acked_writes,
                acked_reads: reader.acked_reads,
                lost_writes: checks.expected_losses().len() as u64,
                failovers: reader.stories.len() as u64,
                false_suspicions: checks.false_suspicions(),
                violations: sim.violations().len() as u64,
            },
            stories: reader.stories[skip..].to_vec(),
            events: events(&reader.milestones),
            violations: sim
                .violations()
                .iter()
                .take(3)
                .map(|v| {
                    let property = super::safety::checked(v.property);
                    tf(
                        "pb.violation_line",
                        &[
                            ("property", &t(property.name)),
                            ("time", &time(v.t)),
                            ("detail", &words(&v.detail.text())),
                        ],
                    )
                })
                .collect(),
            offending: sim
                .violations()
                .iter()
                .flat_map(|v| v.nodes.iter().copied())
                .collect(),
            serving: serving_primaries(sim),
            spiking: spiking(sim, &settings),
            cut_off,
            target,
            primary_applied,
            nodes,
            settings,
        }
    }

    /// The node's facts.
    pub fn node(&self, node: NodeId) -> Option<&NodeFacts> {
        self.nodes.iter().find(|n| n.node == node)
    }

    /// The servers, in id order.
    pub fn servers(&self) -> impl Iterator<Item = &NodeFacts> {
        self.nodes
            .iter()
            .filter(|n| self.settings.pb.is_server(n.node))
    }

    pub fn view_service(&self) -> Option<&NodeFacts> {
        self.node(VIEW_SERVICE)
    }

    pub fn storage(&self) -> Option<&NodeFacts> {
        self.settings.pb.storage().and_then(|s| self.node(s))
    }

    /// Whether the view service itself is down (nothing can fail over then).
    pub fn view_service_down(&self) -> bool {
        self.view_service().is_none_or(|v| v.role == Role::Down)
    }
}

/// The latest events worth reading, newest first: the run's milestones as the reader kept
/// them (the view service's decisions, the servers' role changes, fencing, replays,
/// checkpoints, crashes and the cuts; the writes and pings are too many to list, the stage and
/// the counters show them).
fn events(milestones: &[(Micros, Event<PrimaryBackup>)]) -> Vec<EventView> {
    milestones
        .iter()
        .rev()
        .filter_map(|(t_us, event)| {
            let (kind, text) = match event {
                Event::Crash { node } => ("crash", tf("pb.ev.crash", &[("node", node)])),
                Event::Restart { node } => ("restart", tf("pb.ev.restart", &[("node", node)])),
                Event::Cut { from, .. } => ("cut", tf("pb.ev.cut", &[("node", from)])),
                Event::Repair { from, .. } => ("repair", tf("pb.ev.repair", &[("node", from)])),
                Event::Protocol(note) => note_words(note)?,
                _ => return None,
            };
            Some(EventView {
                t_us: *t_us,
                kind,
                text,
            })
        })
        .collect()
}

fn note_words(note: &Note) -> Option<(&'static str, String)> {
    Some(match note {
        Note::PbView { view, .. } => (
            "view",
            match view.primary {
                Some(p) => tf(
                    "pb.ev.view",
                    &[
                        ("view", &view.num),
                        ("primary", &p),
                        ("backups", &names(&view.backups)),
                    ],
                ),
                None => tf("pb.ev.view_empty", &[("view", &view.num)]),
            },
        ),
        Note::PbAck { view, .. } => ("ack", tf("pb.ev.ack", &[("view", view)])),
        Note::PbDead {
            suspect, reason, ..
        } => (
            "dead",
            match reason {
                crate::sim::pb::note::DeadReason::Timeout => {
                    tf("pb.ev.dead_timeout", &[("node", suspect)])
                }
                crate::sim::pb::note::DeadReason::Restarted => {
                    tf("pb.ev.dead_restarted", &[("node", suspect)])
                }
            },
        ),
        Note::PbPrimary {
            node,
            view,
            through,
        } => (
            "primary",
            tf(
                "pb.ev.primary",
                &[("node", node), ("view", view), ("seq", through)],
            ),
        ),
        Note::PbInstall { node, view, seq } => (
            "install",
            tf(
                "pb.ev.install",
                &[("node", node), ("view", view), ("seq", seq)],
            ),
        ),
        Note::PbFenced {
            node,
            from,
            stale,
            view,
        } => (
            "fenced",
            tf(
                "pb.ev.fenced",
                &[
                    ("node", node),
                    ("from", from),
                    ("stale", stale),
                    ("view", view),
                ],
            ),
        ),
        Note::PbReplay {
            node,
            checkpoint_seq,
            entries,
            cost_us,
            ..
        } => (
            "replay",
            tf(
                "pb.ev.replay",
                &[
                    ("node", node),
                    ("seq", checkpoint_seq),
                    ("count", entries),
                    ("cost", &crate::ui::shell::format::ms(*cost_us)),
                ],
            ),
        ),
        Note::PbCheckpoint { seq, .. } => ("checkpoint", tf("pb.ev.checkpoint", &[("seq", seq)])),
        _ => return None,
    })
}

/// Nodes as a list in words ("nobody" for none).
pub fn names(nodes: &[NodeId]) -> String {
    if nodes.is_empty() {
        return t("pb.word.none").to_string();
    }
    nodes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(t("list.separator"))
}
