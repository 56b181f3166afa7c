//! The plain projection of Hash ring mode that its components render: nodes, counters, arcs,
//! density, the hovered key's replica set, loads and the strategies table.

use super::model::{Arcs, MoveEvent, RingForm, RingModel, TableRow};
use crate::sim::protocol::Event;
use crate::sim::ring::hash::Position;
use crate::sim::ring::store::{Counts, NodeStatus};
use crate::sim::ring::store::{RingEvent, RingSim};
use crate::sim::ring::theory::ring_load_band_99;
use crate::sim::ring::{Skew, Strategy};
use crate::sim::types::{Micros, NodeId};
use crate::ui::i18n::{t, tf};
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub struct RingNode {
    pub id: NodeId,
    pub status: NodeStatus,
    /// Copies of keys it holds now (any version).
    pub copies: u32,
}

/// The hovered key: where it sits, where it should live and where it does.
#[derive(Clone, Debug, PartialEq)]
pub struct HoverView {
    pub key: u32,
    pub position: Position,
    pub preference: Vec<NodeId>,
    pub holders: Vec<NodeId>,
}

/// Load per node of the strategy the chart shows, after the last membership change.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadView {
    pub strategy: Strategy,
    /// Per node: keys, and its share of requests when keys are Zipf-skewed.
    pub bars: Vec<(NodeId, u32, f64)>,
    pub mean_keys: f64,
    /// Where 99% of nodes' key counts fall with the ring's V tokens per node (theory.rs).
    pub band: (f64, f64),
    pub vnodes: u32,
    pub skew: Skew,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TableView {
    pub label: String,
    pub computing: bool,
    pub progress: Option<(u64, u64)>,
    pub rows: Vec<TableRow>,
    pub shown: Strategy,
    /// The last finished run's total work and longest wake-up, in ms (perf hooks).
    pub work_ms: f64,
    pub slice_max_ms: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RingView {
    pub nodes: Rc<Vec<RingNode>>,
    pub selected: Option<NodeId>,
    pub target: Option<NodeId>,
    pub counts: Counts,
    pub transfers: u32,
    pub keys: u32,
    pub arcs: Rc<Arcs>,
    pub key_bins: Rc<Vec<u32>>,
    pub short_bins: Rc<Vec<u32>>,
    pub hover: Option<HoverView>,
    pub form: RingForm,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub partitioned: bool,
    pub load: Option<Rc<LoadView>>,
    pub table: Rc<TableView>,
    pub events: Rc<Vec<MoveEvent>>,
    /// The last thing that happened to the cluster, in words, and when.
    pub story: Option<(Micros, String)>,
}

impl RingView {
    pub fn build(m: &RingModel) -> RingView {
        let sim = &m.sim;
        let copies = sim.copies_per_node();
        let nodes = sim
            .nodes()
            .iter()
            .map(|n| RingNode {
                id: n.id,
                status: n.status,
                copies: copies.iter().find(|(id, _)| *id == n.id).map_or(0, |c| c.1),
            })
            .collect();
        let hover = m.hover.and_then(|key| {
            Some(HoverView {
                key,
                position: sim.key_position(key)?,
                preference: sim.preference_list(key),
                holders: sim.replicas_of(key),
            })
        });
        let (change, computing) = m.table_label();
        RingView {
            nodes: Rc::new(nodes),
            selected: m.selected,
            target: m.target(),
            counts: sim.counts(),
            transfers: sim.transfers_in_flight(),
            keys: sim.key_count(),
            arcs: m.arcs.clone(),
            key_bins: m.key_bins.clone(),
            short_bins: m.short_bins.clone(),
            hover,
            form: m.form.clone(),
            error: m.error.clone(),
            notice: m.notice.clone(),
            partitioned: m.partitioned,
            load: load(m).map(Rc::new),
            table: Rc::new(TableView {
                label: change.map(|c| c.text()).unwrap_or_default(),
                computing,
                progress: m.table_progress(),
                rows: m.rows.clone(),
                shown: m.form.strategy,
                work_ms: m.last_work_ms,
                slice_max_ms: m.last_slice_max_ms,
            }),
            events: Rc::new(m.events.clone()),
            story: story(sim),
        }
    }
}

fn load(m: &RingModel) -> Option<LoadView> {
    let report = m
        .rows
        .iter()
        .find(|r| r.strategy == m.form.strategy)?
        .report
        .as_ref()?;
    let stats = if m.rows_preview {
        &report.before
    } else {
        &report.after
    };
    let total_weight = m.key_set().total_weight().max(1) as f64;
    let n = stats.per_node.len() as u32;
    // Membership slots are not in id order after a removal; the chart is.
    let mut bars: Vec<(NodeId, u32, f64)> = stats
        .per_node
        .iter()
        .map(|l| (l.node, l.keys, l.weight as f64 / total_weight))
        .collect();
    bars.sort_unstable_by_key(|b| b.0);
    Some(LoadView {
        strategy: report.strategy,
        bars,
        mean_keys: stats.keys.mean,
        band: ring_load_band_99(m.form.store.vnodes, n, report.keys),
        vnodes: m.form.store.vnodes,
        skew: m.form.skew,
    })
}

/// The latest membership or replication event, said for a newcomer (transfers are drawn and
/// counted, not told).
fn story(sim: &RingSim) -> Option<(Micros, String)> {
    let r = sim.settings().replication;
    sim.trace().iter().rev().find_map(|line| {
        let text = match &line.event {
            Event::Crash { node } => tf("ring.story.crashed", &[("node", node)]),
            Event::Restart { node } => tf("ring.story.restarted", &[("node", node)]),
            Event::Protocol(ring) => match ring {
                RingEvent::NodeDownDetected { node } => tf("ring.story.down", &[("node", node)]),
                RingEvent::NodeAdded { node } => tf("ring.story.added", &[("node", node)]),
                RingEvent::NodeLeaving { node } => tf("ring.story.leaving", &[("node", node)]),
                RingEvent::NodeRemoved { node, keys_lost } => {
                    tf("ring.story.removed", &[("node", node), ("lost", keys_lost)])
                }
                RingEvent::RingFullyReplicated => tf("ring.story.replicated", &[("replicas", &r)]),
                RingEvent::LinksChanged { cuts: 0 } => t("ring.story.healed").to_string(),
                RingEvent::LinksChanged { .. } => t("ring.story.split").to_string(),
                _ => return None,
            },
            _ => return None,
        };
        Some((line.t, text))
    })
}
