//! Cheap read-only projections of a Raft run for the static layers (nodes, logs, panels).
//! Each is `PartialEq`, so a component whose slice did not change is not re-rendered.

use crate::sim::disk::DiskConfig;
use crate::sim::net::NetConfig;
use crate::sim::raft::disk::WalRecord;
use crate::sim::raft::RaftEvent;
use crate::sim::raft::{Command, Configuration, RaftConfig, Role, Timer};
use crate::sim::trace::TraceEvent;
use crate::sim::types::{Micros, MsgId, NodeId};
use crate::sim::Simulation;
use crate::ui::i18n::{t, tf};
use crate::ui::modes::raft::format;
use crate::ui::modes::raft::run::layout;
use crate::ui::shell::diagram::{Arrow, DiagramView, Mark};
use crate::ui::shell::events::EventLine;
use crate::ui::shell::messages::FlightView;
use crate::ui::store::model::{EventFilter, Model, RecoveryChart, Tab};
use std::collections::BTreeMap;
use std::rc::Rc;

/// One drawn node.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    pub id: NodeId,
    /// `follower`, `candidate`, `leader` or `crashed` (the `data-role` hook).
    pub role: &'static str,
    /// What the node label says: also `pre-candidate`.
    pub role_label: &'static str,
    pub term: u64,
    pub voted_for: Option<NodeId>,
    pub leader: Option<NodeId>,
    pub commit: u64,
    pub applied: u64,
    pub last_index: u64,
    /// Named in a safety violation.
    pub offending: bool,
    /// Its partition group when the network is split (0-based), for the group badge.
    pub group: Option<u32>,
    /// The configuration it uses ("{1,2,3} +4": voters, then learners), once the run has
    /// changed its membership; a crashed node uses none.
    pub config: Option<String>,
    /// What it is in the configuration the leader uses (its own without a leader): `voter`,
    /// `learner` or `out` (removed, and not yet told).
    pub member: &'static str,
}

/// A configuration as a node's tag shows it: `{1,2,3} +4` (voters, then learners), and a
/// joint one as `{1,2,3}→{1,2,3,4}` (C_old's voters, then C_new's).
pub fn config_text(c: &Configuration) -> String {
    let mut s = String::new();
    if c.is_joint() {
        s = format!("{{{}}}→", ids_text(&c.old, ","));
    }
    s += &format!("{{{}}}", ids_text(&c.voters, ","));
    if !c.learners.is_empty() {
        s += &format!(" +{}", ids_text(&c.learners, " +"));
    }
    s
}

/// Server ids as numbers with `sep` between them: `1,2,3`.
pub fn ids_text(ids: &[NodeId], sep: &str) -> String {
    let mut s = String::new();
    for (i, n) in ids.iter().enumerate() {
        if i > 0 {
            s += sep;
        }
        s += &n.0.to_string();
    }
    s
}

/// The configuration the leader uses, else none.
fn leader_config(sim: &Simulation) -> Option<&Configuration> {
    let leader = sim.leader()?;
    sim.node(leader)?
        .process
        .as_ref()
        .map(|r| r.configuration())
}

/// Whether the run has changed its membership: some server uses a configuration entry.
fn membership_changed(sim: &Simulation) -> bool {
    sim.nodes().iter().any(|n| {
        n.process
            .as_ref()
            .is_some_and(|r| r.configuration_index().0 > 0)
    })
}

/// The servers drawn: those some configuration names (`Simulation::servers_in_use`).
fn drawn(
    sim: &Simulation,
) -> impl Iterator<Item = &crate::sim::engine::NodeSlot<crate::sim::raft::Raft>> {
    let ids = sim.servers_in_use();
    sim.nodes().iter().filter(move |n| ids.contains(&n.id))
}

pub fn nodes(sim: &Simulation) -> Vec<NodeView> {
    let offending: Vec<NodeId> = sim
        .violations()
        .iter()
        .flat_map(|v| v.nodes.iter().copied())
        .collect();
    let groups = sim.network().groups();
    let changed = membership_changed(sim);
    let leader_conf = leader_config(sim);
    drawn(sim)
        .map(|n| {
            let r = n.process.as_ref();
            let (role, role_label) = match (r, &n.recovery) {
                // Not serving yet: a crashed node that is replaying its log.
                (None, Some(_)) => ("crashed", t("role.recovering")),
                _ => format::role_of(r.map(|r| r.role())),
            };
            NodeView {
                id: n.id,
                role,
                role_label,
                term: r.map_or(0, |r| r.term().0),
                voted_for: r.and_then(|r| r.voted_for()),
                leader: r.and_then(|r| r.leader()),
                commit: r.map_or(0, |r| r.commit_index().0),
                applied: r.map_or(0, |r| r.last_applied().0),
                last_index: r.map_or(0, |r| r.log().last_index().0),
                offending: offending.contains(&n.id),
                group: groups.and_then(|g| g.get(n.id.slot()).copied()),
                config: r
                    .filter(|_| changed)
                    .map(|r| config_text(r.configuration())),
                member: match leader_conf.or(r.map(|r| r.configuration())) {
                    Some(c) if c.is_voter(n.id) => "voter",
                    Some(c) if c.is_learner(n.id) => "learner",
                    Some(_) => "out",
                    None => "voter",
                },
            }
        })
        .collect()
}

/// The leader's view of who counts toward a majority (drawn once the membership changed).
#[derive(Clone, Debug, PartialEq)]
pub struct MajorityView {
    pub leader: NodeId,
    pub voters: Vec<NodeId>,
    pub quorum: usize,
    /// C_old's voters during a joint change (paper section 6; empty otherwise): a majority
    /// of them is needed too.
    pub old: Vec<NodeId>,
}

pub fn majority(sim: &Simulation) -> Option<MajorityView> {
    if !membership_changed(sim) {
        return None;
    }
    let c = leader_config(sim)?;
    Some(MajorityView {
        leader: sim.leader()?,
        voters: c.voters.clone(),
        quorum: c.quorum(),
        old: c.old.clone(),
    })
}

/// One log cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub index: u64,
    pub term: u64,
    pub cmd: Rc<Command>,
}

/// One node's row of the log table.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    pub id: NodeId,
    pub up: bool,
    pub is_leader: bool,
    /// Entries in the shown window; compacted ones are absent.
    pub cells: Vec<Cell>,
    pub snapshot_index: u64,
    pub commit: u64,
    pub applied: u64,
    /// The leader's view of this follower: (nextIndex, matchIndex).
    pub progress: Option<(u64, u64)>,
    pub kv: Rc<BTreeMap<String, String>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LogsView {
    pub first: u64,
    pub last: u64,
    pub rows: Vec<LogRow>,
}

/// Columns of the log table at most; older indexes scroll out on the left.
const LOG_COLUMNS_MAX: u64 = 40;

pub fn logs(sim: &Simulation) -> LogsView {
    let last = sim
        .nodes()
        .iter()
        .filter_map(|n| n.process.as_ref().map(|r| r.log().last_index().0))
        .max()
        .unwrap_or(0);
    let first = last.saturating_sub(LOG_COLUMNS_MAX - 1).max(1);
    let leader = sim
        .leader()
        .and_then(|l| sim.node(l))
        .and_then(|n| n.process.as_ref());
    let rows = drawn(sim)
        .map(|n| match n.process.as_ref() {
            Some(r) => LogRow {
                id: n.id,
                up: true,
                is_leader: r.role() == Role::Leader,
                cells: (first..=r.log().last_index().0)
                    .filter_map(|i| r.log().entry(crate::sim::types::LogIndex(i)))
                    .map(|e| Cell {
                        index: e.index.0,
                        term: e.term.0,
                        cmd: e.cmd.clone(),
                    })
                    .collect(),
                snapshot_index: r.log().snapshot_index().0,
                commit: r.commit_index().0,
                applied: r.last_applied().0,
                progress: leader
                    .and_then(|l| l.progress().get(&n.id))
                    .map(|p| (p.next_index.0, p.match_index.0)),
                kv: Rc::new(r.kv().data.clone()),
            },
            None => LogRow {
                id: n.id,
                up: false,
                is_leader: false,
                cells: Vec::new(),
                snapshot_index: 0,
                commit: 0,
                applied: 0,
                progress: None,
                kv: Rc::new(BTreeMap::new()),
            },
        })
        .collect();
    LogsView { first, last, rows }
}

/// Everything the node inspector shows about one node.
#[derive(Clone, Debug, PartialEq)]
pub struct InspectorView {
    pub id: NodeId,
    pub up: bool,
    pub role_label: &'static str,
    pub term: u64,
    pub voted_for: Option<NodeId>,
    pub leader: Option<NodeId>,
    pub commit: u64,
    pub applied: u64,
    pub last_index: u64,
    pub election_fires_us: Option<Micros>,
    pub disk_term: u64,
    pub disk_vote: Option<NodeId>,
    pub disk_entries: u64,
    pub disk_unsynced: bool,
    pub disk_snapshot: Option<(u64, u64)>,
    pub wal_records: u64,
    pub kv: Rc<BTreeMap<String, String>>,
    /// Peers and whether the link to / from each is up.
    pub links: Vec<(NodeId, bool, bool)>,
}

pub fn inspector(sim: &Simulation, id: NodeId) -> Option<InspectorView> {
    let n = sim.node(id)?;
    let r = n.process.as_ref();
    let durable = n.disk.read(true).durable;
    let (_, role_label) = format::role_of(r.map(|r| r.role()));
    Some(InspectorView {
        id,
        up: r.is_some(),
        role_label,
        term: r.map_or(0, |r| r.term().0),
        voted_for: r.and_then(|r| r.voted_for()),
        leader: r.and_then(|r| r.leader()),
        commit: r.map_or(0, |r| r.commit_index().0),
        applied: r.map_or(0, |r| r.last_applied().0),
        last_index: r.map_or(0, |r| r.log().last_index().0),
        election_fires_us: n.timer(Timer::Election).map(|t| t.fires_us),
        disk_term: durable.term.0,
        disk_vote: durable.voted_for,
        disk_entries: durable.entries.last().map_or(0, |e| e.index.0),
        disk_unsynced: n.disk.has_unsynced(),
        disk_snapshot: durable
            .snapshot
            .as_ref()
            .map(|s| (s.last_index.0, s.last_term.0)),
        wal_records: n.disk.frames().len() as u64,
        kv: Rc::new(r.map(|r| r.kv().data.clone()).unwrap_or_default()),
        links: drawn(sim)
            .filter(|p| p.id != id)
            .map(|p| {
                (
                    p.id,
                    sim.network().connected(id, p.id),
                    sim.network().connected(p.id, id),
                )
            })
            .collect(),
    })
}

/// Lines shown in the event log at most (the latest ones).
const EVENT_LINES_MAX: usize = 120;

pub fn events(sim: &Simulation, filter: &EventFilter) -> Vec<EventLine> {
    let trace = sim.trace();
    let mut out: Vec<EventLine> = trace
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, l)| filter.matches(&l.event))
        .take(EVENT_LINES_MAX)
        .map(|(i, l)| EventLine {
            line: i,
            t: l.t,
            kind: l.event.kind(),
            node: l.event.node(),
            text: format::event(&l.event),
        })
        .collect();
    out.reverse();
    out
}

pub fn flights(sim: &Simulation) -> Vec<FlightView> {
    sim.flights()
        .map(|f| FlightView {
            id: f.id,
            from: f.from,
            to: f.to,
            type_name: f.msg.type_name(),
            success: f.msg.success(),
            details: format::message(&f.msg),
            sent_us: f.sent_us,
            deliver_us: f.deliver_us.clone(),
        })
        .collect()
}

/// The simulated time the space-time diagram spans, ending at the current moment.
pub const DIAGRAM_SPAN_US: Micros = 400_000;

pub fn diagram(sim: &Simulation) -> DiagramView {
    let to_us = sim.now_us();
    let from_us = to_us.saturating_sub(DIAGRAM_SPAN_US);
    let mut arrows = Vec::new();
    let mut marks = Vec::new();
    for l in sim.trace().iter().rev() {
        if l.t + 2 * DIAGRAM_SPAN_US < from_us {
            break;
        }
        match &l.event {
            TraceEvent::Send {
                from,
                to,
                deliver_t,
                msg,
                ..
            } => {
                for d in deliver_t {
                    if *d >= from_us {
                        arrows.push(Arrow {
                            from: *from,
                            to: *to,
                            sent_us: l.t,
                            deliver_us: *d,
                            type_name: msg.type_name(),
                            success: msg.success(),
                        });
                    }
                }
                if deliver_t.is_empty() && l.t >= from_us {
                    // Lost at once: a short stub.
                    arrows.push(Arrow {
                        from: *from,
                        to: *from,
                        sent_us: l.t,
                        deliver_us: l.t,
                        type_name: msg.type_name(),
                        success: Some(false),
                    });
                }
            }
            TraceEvent::Protocol(RaftEvent::Role { node, term, role }) if l.t >= from_us => marks
                .push(Mark {
                    node: *node,
                    t: l.t,
                    kind: format::role_of(Some(*role)).0,
                    label: tf(
                        "diagram.mark.role",
                        &[("role", &format::role_of(Some(*role)).1), ("term", &term.0)],
                    ),
                }),
            TraceEvent::Crash { node } if l.t >= from_us => marks.push(Mark {
                node: *node,
                t: l.t,
                kind: "crashed",
                label: t("diagram.mark.crashed").into(),
            }),
            TraceEvent::Restart { node } if l.t >= from_us => marks.push(Mark {
                node: *node,
                t: l.t,
                kind: "restart",
                label: t("diagram.mark.restarted").into(),
            }),
            _ => {}
        }
    }
    DiagramView {
        from_us,
        to_us,
        nodes: layout(sim),
        arrows,
        marks,
    }
}

/// What the Raft and Log replay modes show, rebuilt from the model after every message and
/// compared field by field, so that a panel whose slice did not change is not re-rendered.
#[derive(Clone, Debug, PartialEq)]
pub struct RaftView {
    /// The servers the run started with (its spare servers not counted).
    pub node_count: u32,
    /// Positions on the circle (`layout`).
    pub layout: u32,
    /// The server "Add server" brings in, if a spare is left.
    pub spare: Option<NodeId>,
    pub majority: Option<MajorityView>,
    pub seed: u64,
    pub selected: Option<NodeId>,
    pub target: NodeId,
    pub leader: Option<NodeId>,
    pub nodes: Rc<Vec<NodeView>>,
    pub logs: Rc<LogsView>,
    pub inspector: Option<Rc<InspectorView>>,
    pub events: Rc<Vec<EventLine>>,
    pub filter: EventFilter,
    pub flights: Rc<Vec<FlightView>>,
    pub selected_msg: Option<MsgId>,
    pub diagram: Rc<DiagramView>,
    pub network: NetConfig,
    pub raft: RaftConfig,
    pub partitioned: bool,
    pub cuts: usize,
    pub links: Rc<Vec<(NodeId, NodeId, bool, bool)>>,
    pub tab: Tab,
    pub disks: Rc<Vec<DiskView>>,
    pub disk_config: DiskConfig,
    pub snapshot_every: Option<u64>,
    pub recovery_chart: Option<Rc<RecoveryChart>>,
}

impl RaftView {
    pub fn build(m: &Model) -> RaftView {
        let sim = m.raft.sim();
        let target = m.target();
        let tab = m.tab;
        RaftView {
            node_count: sim.settings().raft.voters_at_start(sim.settings().nodes),
            layout: layout(sim),
            spare: sim.spare_server(),
            majority: majority(sim),
            seed: sim.settings().seed,
            selected: m.selected,
            target,
            leader: sim.leader(),
            nodes: Rc::new(nodes(sim)),
            logs: Rc::new(logs(sim)),
            inspector: inspector(sim, target).map(Rc::new),
            // The heavier panels are only built while they are on screen.
            events: Rc::new(if tab == Tab::Events {
                events(sim, &m.filter)
            } else {
                Vec::new()
            }),
            filter: m.filter.clone(),
            flights: Rc::new(if tab == Tab::Messages || m.selected_msg.is_some() {
                flights(sim)
            } else {
                Vec::new()
            }),
            selected_msg: m.selected_msg,
            diagram: Rc::new(if tab == Tab::Diagram {
                diagram(sim)
            } else {
                DiagramView {
                    from_us: 0,
                    to_us: 0,
                    nodes: 0,
                    arrows: Vec::new(),
                    marks: Vec::new(),
                }
            }),
            network: sim.settings().network.clone(),
            raft: sim
                .nodes()
                .iter()
                .find_map(|n| n.process.as_ref().map(|r| r.config().clone()))
                .unwrap_or_else(|| sim.settings().raft.clone()),
            partitioned: sim.network().groups().is_some(),
            cuts: sim.network().cuts().len(),
            links: Rc::new(links(sim)),
            tab,
            disks: Rc::new(if tab == Tab::Disks {
                disks(sim)
            } else {
                Vec::new()
            }),
            disk_config: sim.settings().disk.clone(),
            snapshot_every: sim
                .nodes()
                .iter()
                .find_map(|n| {
                    n.process
                        .as_ref()
                        .map(|r| r.config().snapshot_every_entries)
                })
                .unwrap_or(sim.settings().raft.snapshot_every_entries),
            recovery_chart: m.recovery_chart.clone().map(Rc::new),
        }
    }
}

/// Log records shown per disk strip at most: the newest ones.
const DISK_RECORDS_MAX: usize = 40;

/// One record of a node's write-ahead log, as the Disks panel draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordView {
    pub kind: &'static str,
    pub label: String,
    /// Durable (synced) or only written to the page cache.
    pub synced: bool,
    /// Failed its checksum: a write cut off by a power loss.
    pub torn: bool,
    /// Replayed into the state machine by the recovery in progress.
    pub replayed: bool,
}

/// A node's disk: snapshot file, log records, and the recovery in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct DiskView {
    pub id: NodeId,
    /// "up", "recovering" or "crashed".
    pub status: &'static str,
    pub snapshot: Option<(u64, u64)>,
    pub records: Vec<RecordView>,
    pub hidden_records: usize,
    /// Replayed index and the commit index replay stops at, while recovering.
    pub cursor: Option<(u64, u64)>,
    /// The node's state machine: live, or as rebuilt so far while recovering.
    pub kv: Vec<(String, String)>,
    pub applied: u64,
    pub bytes_written: u64,
}

pub fn disks(sim: &Simulation) -> Vec<DiskView> {
    drawn(sim)
        .map(|n| {
            let disk = &n.disk;
            let frames = disk.frames();
            let first = frames.len().saturating_sub(DISK_RECORDS_MAX);
            let cursor = n.recovery.as_ref().map(|r| (r.cursor.0, r.target.0));
            let records = frames[first..]
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let (label, last_index) = record_label(&f.record);
                    RecordView {
                        kind: f.record.kind(),
                        label,
                        synced: first + i < disk.synced_len(),
                        torn: !f.intact(),
                        replayed: matches!((cursor, last_index), (Some((c, _)), Some(l)) if l <= c),
                    }
                })
                .collect();
            let (status, kv, applied) = match (&n.process, &n.recovery) {
                (Some(r), _) => ("up", &r.kv().data, r.last_applied().0),
                (None, Some(rec)) => ("recovering", &rec.kv.data, rec.cursor.0),
                (None, None) => ("crashed", &EMPTY_KV, 0),
            };
            DiskView {
                id: n.id,
                status,
                snapshot: disk.snapshot().map(|s| (s.last_index.0, s.size_bytes())),
                records,
                hidden_records: first,
                cursor,
                kv: kv.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                applied,
                bytes_written: disk.bytes_written(),
            }
        })
        .collect()
}

static EMPTY_KV: BTreeMap<String, String> = BTreeMap::new();

/// A short label for a log record, and the last log index it holds, if any.
fn record_label(record: &WalRecord) -> (String, Option<u64>) {
    match record {
        WalRecord::HardState { term, voted_for } => (
            tf(
                "disk.record.hard_state",
                &[
                    ("term", term),
                    ("vote", &voted_for.map_or("-".into(), |v| v.to_string())),
                ],
            ),
            None,
        ),
        WalRecord::Entries(entries) => match (entries.first(), entries.last()) {
            (Some(a), Some(b)) if a.index == b.index => (format!("#{}", a.index), Some(b.index.0)),
            (Some(a), Some(b)) => (format!("#{}–{}", a.index, b.index), Some(b.index.0)),
            _ => (t("disk.record.no_entries").into(), None),
        },
        WalRecord::TruncateFrom(i) => (tf("disk.record.truncate", &[("index", i)]), None),
        WalRecord::Commit(i) => (tf("disk.record.commit", &[("index", i)]), None),
    }
}

/// Every pair of nodes with whether each direction carries messages.
pub fn links(sim: &Simulation) -> Vec<(NodeId, NodeId, bool, bool)> {
    let ids = sim.servers_in_use();
    let net = sim.network();
    let mut out = Vec::new();
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            out.push((*a, *b, net.connected(*a, *b), net.connected(*b, *a)));
        }
    }
    out
}
