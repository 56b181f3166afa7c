//! Hash ring mode's state as plain Rust: the replicated store's run, the settings as last
//! applied, the selected node and hovered key, and the strategies table, which is computed in
//! frame-sized chunks between wake-ups so that no frame blocks. It only calls the simulation.

use crate::codec::ring_link::RingRun;
use crate::sim::ring::hash::Position;
use crate::sim::ring::store::{RingAction, RingEvent, RingSettings, RingSim, PAGE_VNODES};
use crate::sim::ring::strategy::ring::Ring;
use crate::sim::ring::{KeySet, Membership, PlacementConfig, Recompute, Report, Skew, Strategy};
use crate::sim::types::{Micros, NodeId};
use crate::ui::i18n::{t, tf, words};
use crate::ui::shell::clock::{WallClock, EVENTS_PER_FRAME_MAX};
use std::rc::Rc;

/// The page's limits (the simulation accepts more).
pub const MAX_NODES: u32 = 32;
pub const MAX_KEYS: u32 = 100_000;
/// Keys per `Recompute::step`: under a millisecond for the slowest strategy in wasm.
const CHUNK_KEYS: u32 = 4096;
/// A wake-up works on the table until this long after it began (advancing the store counts
/// against it), plus at most one chunk: a frame stays far below 50 ms.
const FRAME_WORK_MS: f64 = 8.0;
/// Membership events the moved-keys chart keeps.
const EVENTS_KEPT: usize = 6;
/// Angular resolution of the owner arcs and of the key density band.
pub const ARC_BINS: u32 = 1024;
pub const DENSITY_BINS: u32 = 180;
/// Events a share link's ring run may take to rebuild (a few seconds of work at most).
const RESTORE_EVENTS_MAX: u64 = 1_000_000;
/// Steps "next" looks through for a membership change or the end of re-replication.
const INTERESTING_STEPS_MAX: u32 = 100_000;

/// The settings form as applied: the store's settings and the table's strategy choices.
#[derive(Clone, Debug, PartialEq)]
pub struct RingForm {
    pub store: RingSettings,
    pub skew: Skew,
    pub strategy: Strategy,
    /// Bounded loads' c in thousandths.
    pub load_factor_milli: u32,
}

impl Default for RingForm {
    fn default() -> Self {
        RingForm {
            store: RingSettings {
                vnodes: PAGE_VNODES,
                ..RingSettings::default()
            },
            skew: Skew::Uniform,
            strategy: Strategy::Ring,
            load_factor_milli: 1250,
        }
    }
}

impl RingForm {
    fn placement(&self, strategy: Strategy) -> PlacementConfig {
        PlacementConfig {
            strategy,
            vnodes: self.store.vnodes,
            load_factor_milli: self.load_factor_milli,
            seed: self.store.seed,
            ..PlacementConfig::default()
        }
    }

    /// The store's settings, or a message naming the setting that does not fit and why.
    pub fn validate(&self) -> Result<RingSettings, String> {
        let s = &self.store;
        if s.nodes == 0 || s.nodes > MAX_NODES {
            return Err(tf(
                "ring.error.nodes",
                &[("max", &MAX_NODES), ("nodes", &s.nodes)],
            ));
        }
        if s.keys > MAX_KEYS {
            return Err(tf(
                "ring.error.keys",
                &[("max", &MAX_KEYS), ("keys", &s.keys)],
            ));
        }
        if s.replication > s.nodes {
            return Err(tf(
                "ring.error.replication",
                &[("r", &s.replication), ("nodes", &s.nodes)],
            ));
        }
        for (name, quorum) in [("W", s.write_quorum), ("R_read", s.read_quorum)] {
            if quorum > s.replication {
                return Err(tf(
                    "ring.error.quorum",
                    &[("name", &name), ("quorum", &quorum), ("r", &s.replication)],
                ));
            }
        }
        s.validate().map_err(|e| words(&e))?;
        self.placement(self.strategy)
            .validate(s.nodes)
            .map_err(|e| words(&e))?;
        Ok(s.clone())
    }
}

/// One strategy's share of a table run.
#[derive(Debug)]
enum Job {
    Waiting(Strategy),
    Running(Box<Recompute>, f64),
    Done(Rc<Report>, f64),
    Failed(String),
}

/// The membership change a table run compares, put in words when shown (so that it follows
/// the language).
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Before any change: what `added` joining the `from` nodes would move.
    Preview { added: NodeId, from: u32 },
    /// Nodes that left and joined, and the node counts before and after.
    Happened {
        left: Vec<NodeId>,
        joined: Vec<NodeId>,
        from: u32,
        to: u32,
    },
}

impl Change {
    /// In words: "if S9 joined: 8 → 9 nodes", "S3 left: 8 → 7 nodes".
    pub fn text(&self) -> String {
        match self {
            Change::Preview { added, from } => tf(
                "ring.change.preview",
                &[("node", added), ("from", from), ("to", &(from + 1))],
            ),
            Change::Happened {
                left,
                joined,
                from,
                to,
            } => {
                let names = |ids: &[NodeId], sign: &str| {
                    ids.iter()
                        .map(|id| sign.to_string() + &id.to_string())
                        .collect::<Vec<_>>()
                        .join(t("list.separator"))
                };
                let what = match (left.is_empty(), joined.is_empty()) {
                    (false, true) => tf("ring.change.left", &[("nodes", &names(left, ""))]),
                    (true, false) => tf("ring.change.joined", &[("nodes", &names(joined, ""))]),
                    _ => names(joined, "+") + " " + &names(left, "−"),
                };
                tf(
                    "ring.change.happened",
                    &[("what", &what), ("from", from), ("to", to)],
                )
            }
        }
    }
}

/// Every strategy recomputed for one membership change, a chunk at a time.
#[derive(Debug)]
pub struct TableRun {
    /// What changed ("S3 left: 8 → 7 nodes").
    pub label: Change,
    pub preview: bool,
    before: Membership,
    after: Membership,
    jobs: Vec<Job>,
    /// Wall milliseconds of work so far, and the longest single wake-up's share of it.
    pub work_ms: f64,
    pub slice_max_ms: f64,
}

/// One row of the strategies table.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    pub strategy: Strategy,
    pub report: Option<Rc<Report>>,
    pub error: Option<String>,
    /// Wall milliseconds this strategy's recompute took (0 while it runs).
    pub work_ms: f64,
}

/// Keys moved by one membership change: measured for the ring and modulo-N, and the least
/// any strategy must move.
#[derive(Clone, Debug, PartialEq)]
pub struct MoveEvent {
    pub label: Change,
    pub preview: bool,
    pub ring: f64,
    pub modulo: f64,
    pub ideal: f64,
}

/// Owner arcs of the ring: `(node, first bin, bins)` runs over `ARC_BINS` equal angles.
pub type Arcs = Vec<(NodeId, u32, u32)>;

pub struct RingModel {
    pub sim: RingSim,
    pub form: RingForm,
    /// Why the last settings were refused, shown beside the form.
    pub error: Option<String>,
    /// Why the last node action was refused.
    pub notice: Option<String>,
    pub selected: Option<NodeId>,
    /// The key under the pointer.
    pub hover: Option<u32>,
    /// Whether a partition preset is on (the store does not report its links).
    pub partitioned: bool,
    pub run: Option<TableRun>,
    /// The last finished row of each strategy, shown while a new run computes.
    pub rows: Vec<TableRow>,
    pub events: Vec<MoveEvent>,
    /// Figures of the last finished table run: total work and longest wake-up, in ms.
    pub last_work_ms: f64,
    pub last_slice_max_ms: f64,
    /// Whether the finished rows compare the current membership with a preview of one more
    /// node (so the current loads are their "before"), or a change that happened ("after").
    pub rows_preview: bool,
    pub arcs: Rc<Arcs>,
    /// Keys per density bin, and of those the under-replicated ones.
    pub key_bins: Rc<Vec<u32>>,
    pub short_bins: Rc<Vec<u32>>,
    keys: Rc<KeySet>,
    /// Ring members when the table last followed a change.
    members: Vec<NodeId>,
    /// (under-replicated keys, trace length) when `short_bins` was counted.
    short_for: (u32, usize),
    clock: WallClock,
    /// The learner's actions at their moments since the settings were applied: with the
    /// form, what a share link needs to rebuild this run.
    recorded: Vec<(Micros, RingAction)>,
}

/// The bin of a ring position among `bins` equal angles.
fn bin_of(pos: Position, bins: u32) -> u32 {
    ((pos as u128 * bins as u128) >> 64) as u32
}

fn owner_arcs(ring: Option<&Ring>) -> Arcs {
    let Some(ring) = ring else {
        return Vec::new();
    };
    let mut arcs: Arcs = Vec::new();
    for bin in 0..ARC_BINS {
        // Each bin is drawn in the colour of whoever owns its middle: a range narrower than a
        // bin (1/1024 of the ring) can vanish from the drawing, never from the counts.
        let mid = (((bin as u128 * 2 + 1) << 63) / ARC_BINS as u128) as Position;
        let owner = ring.owner(ring.successor(mid).0);
        match arcs.last_mut() {
            Some((node, _, len)) if *node == owner => *len += 1,
            _ => arcs.push((owner, bin, 1)),
        }
    }
    arcs
}

impl RingModel {
    pub fn new() -> RingModel {
        let form = RingForm::default();
        let sim = form
            .validate()
            .and_then(RingSim::new)
            .or_else(|_| RingSim::new(RingSettings::default()));
        match sim {
            Ok(sim) => RingModel::with(sim, form),
            Err(e) => panic!("the default ring settings are invalid: {e}"),
        }
    }

    fn with(sim: RingSim, form: RingForm) -> RingModel {
        let keys = KeySet::generate(form.store.keys, sim.settings().seed, form.skew)
            .or_else(|_| KeySet::generate(0, 1, Skew::Uniform))
            .map(Rc::new)
            .unwrap_or_else(|e| panic!("an empty key set is valid: {e}"));
        let mut key_bins = vec![0; DENSITY_BINS as usize];
        for pos in sim.key_positions() {
            key_bins[bin_of(*pos, DENSITY_BINS) as usize] += 1;
        }
        let mut model = RingModel {
            form,
            error: None,
            notice: None,
            selected: None,
            hover: None,
            partitioned: false,
            run: None,
            rows: Vec::new(),
            events: Vec::new(),
            last_work_ms: 0.0,
            last_slice_max_ms: 0.0,
            rows_preview: true,
            arcs: Rc::new(owner_arcs(sim.ring())),
            key_bins: Rc::new(key_bins),
            short_bins: Rc::new(vec![0; DENSITY_BINS as usize]),
            keys,
            members: Vec::new(),
            short_for: (0, 0),
            clock: WallClock::default(),
            recorded: Vec::new(),
            sim,
        };
        model.members = model.ring_members();
        model.rows = Strategy::ALL
            .iter()
            .map(|s| TableRow {
                strategy: *s,
                report: None,
                error: None,
                work_ms: 0.0,
            })
            .collect();
        model.start_preview();
        model
    }

    /// The page's ring with the store settings `store` (a documentation page's widget).
    pub fn with_store(store: RingSettings) -> Result<RingModel, String> {
        let form = RingForm {
            store,
            ..RingForm::default()
        };
        let sim = form.validate().and_then(RingSim::new)?;
        Ok(RingModel::with(sim, form))
    }

    /// This run as a share link holds it.
    pub fn run(&self) -> RingRun {
        RingRun {
            settings: self.form.store.clone(),
            skew: self.form.skew,
            strategy: self.form.strategy,
            load_factor_milli: self.form.load_factor_milli,
            actions: self.recorded.clone(),
            now_us: self.sim.now_us(),
        }
    }

    /// Rebuilds a run from a share link: the same settings, the same actions at the same
    /// moments, up to the moment the link shows. The tables of the membership changes the
    /// moved-keys chart keeps are computed in full on the way (`wall_ms` times them), as the
    /// learner saw them computed; a first pass on a copy counts the changes, so that a long
    /// (or hostile) link costs no more tables than the chart shows. The error names what the
    /// page cannot rebuild.
    pub fn restore(run: RingRun, wall_ms: &dyn Fn() -> f64) -> Result<RingModel, String> {
        let form = RingForm {
            store: run.settings.clone(),
            skew: run.skew,
            strategy: run.strategy,
            load_factor_milli: run.load_factor_milli,
        };
        let sim = form.validate().and_then(RingSim::new)?;
        let mut count = RingModel::with(sim.clone(), form.clone());
        let mut changes: usize = 0;
        count.replay(&run, &mut |m| {
            m.members = m.ring_members();
            changes += 1;
        })?;
        // The chart lists the last EVENTS_KEPT of: the preview, then each change.
        let first_kept = (changes + 1).saturating_sub(EVENTS_KEPT);
        let mut model = RingModel::with(sim, form);
        if first_kept == 0 {
            model.finish_table(wall_ms);
        }
        let mut change = 0;
        model.replay(&run, &mut |m| {
            m.changed();
            change += 1;
            if change >= first_kept {
                m.finish_table(wall_ms);
            }
        })?;
        model.changed();
        model.clock.set(model.sim.now_us());
        Ok(model)
    }

    /// Runs the store through `run`'s actions to its moment, event by event, calling
    /// `on_change` after each event that changes the ring's members (as the page follows them
    /// when it plays). At most `RESTORE_EVENTS_MAX` events: a link that asks for more is
    /// refused rather than freezing the page.
    fn replay(
        &mut self,
        run: &RingRun,
        on_change: &mut dyn FnMut(&mut RingModel),
    ) -> Result<(), String> {
        let mut budget = RESTORE_EVENTS_MAX;
        for (i, (at_us, action)) in run.actions.iter().enumerate() {
            self.replay_to(*at_us, &mut budget, on_change)?;
            let before = self.members.clone();
            // As the learner's click did: `update` follows a change it makes at once.
            self.update(RingMsg::Act(action.clone()));
            if let Some(e) = self.notice.take() {
                return Err(tf(
                    "ring.error.action",
                    &[("action", &(i + 1)), ("error", &e)],
                ));
            }
            if self.members != before {
                on_change(self);
            }
        }
        self.replay_to(run.now_us, &mut budget, on_change)
    }

    /// `replay`'s run to `t_us`, spending `budget` events.
    fn replay_to(
        &mut self,
        t_us: Micros,
        budget: &mut u64,
        on_change: &mut dyn FnMut(&mut RingModel),
    ) -> Result<(), String> {
        while self.sim.next_event_us().is_some_and(|next| next <= t_us) {
            if *budget == 0 {
                return Err(tf(
                    "ring.error.too_long",
                    &[("events", &RESTORE_EVENTS_MAX)],
                ));
            }
            *budget -= 1;
            let ring_before = self.sim.ring().map(std::ptr::from_ref);
            self.sim.step();
            // The store builds a new ring whenever its members may have changed (the old one
            // lives until then, so the new one has another address): only then compare.
            if self.sim.ring().map(std::ptr::from_ref) != ring_before
                && self.ring_members() != self.members
            {
                on_change(self);
            }
        }
        self.sim.run_until(t_us);
        Ok(())
    }

    /// Computes the strategies table to the end now.
    fn finish_table(&mut self, wall_ms: &dyn Fn() -> f64) {
        while self.work(wall_ms, wall_ms()) {}
    }

    /// Nodes whose tokens place keys now, by id.
    fn ring_members(&self) -> Vec<NodeId> {
        self.sim
            .nodes()
            .iter()
            .filter(|n| n.in_ring)
            .map(|n| n.id)
            .collect()
    }

    /// Before any membership event, the table shows what adding one node would move.
    fn start_preview(&mut self) {
        let Ok(before) = Membership::new(self.members.clone()) else {
            return;
        };
        let after = before.with_added(1);
        let (n, added) = (before.len(), after.slots()[before.len() as usize]);
        let label = Change::Preview { added, from: n };
        self.start_run(label, true, before, after);
    }

    fn start_run(&mut self, label: Change, preview: bool, before: Membership, after: Membership) {
        self.run = Some(TableRun {
            label,
            preview,
            before,
            after,
            jobs: Strategy::ALL.iter().map(|s| Job::Waiting(*s)).collect(),
            work_ms: 0.0,
            slice_max_ms: 0.0,
        });
    }

    /// After anything that moved the run: follow membership changes with the table and the
    /// arcs, and recount where keys wait for copies.
    fn changed(&mut self) {
        let members = self.ring_members();
        if members != self.members {
            let before = Membership::new(std::mem::replace(&mut self.members, members.clone()));
            if let Ok((before, after)) = before.and_then(|b| b.changed_to(&members).map(|a| (b, a)))
            {
                // Nodes of `a` that `b` lacks, by name.
                let missing = |a: &Membership, b: &Membership| -> Vec<NodeId> {
                    a.slots()
                        .iter()
                        .copied()
                        .filter(|id| !b.contains(*id))
                        .collect()
                };
                let label = Change::Happened {
                    left: missing(&before, &after),
                    joined: missing(&after, &before),
                    from: before.len(),
                    to: after.len(),
                };
                self.start_run(label, false, before, after);
            }
            self.arcs = Rc::new(owner_arcs(self.sim.ring()));
        }
        let key = (self.sim.under_replicated(), self.sim.trace().len());
        if key != self.short_for {
            self.short_for = key;
            let mut bins = vec![0; DENSITY_BINS as usize];
            if key.0 > 0 {
                let r = self.sim.settings().replication;
                for (k, pos) in self.sim.key_positions().iter().enumerate() {
                    if self.sim.replica_count(k as u32) < r {
                        bins[bin_of(*pos, DENSITY_BINS) as usize] += 1;
                    }
                }
            }
            self.short_bins = Rc::new(bins);
        }
    }

    // ----- time -----

    pub fn advance_wall(&mut self, wall_ms: f64, speed: f64) {
        let now = self.sim.now_us();
        let target = self.clock.advance(now, wall_ms, speed);
        if target > now {
            let mut budget = EVENTS_PER_FRAME_MAX;
            while budget > 0 && self.sim.next_event_us().is_some_and(|t| t <= target) {
                self.sim.step();
                budget -= 1;
            }
            if budget == 0 {
                // Too much happened for one frame: the clock waits for the simulation.
                self.clock.set(self.sim.now_us());
            } else {
                self.sim.run_until(target);
            }
            self.changed();
        }
    }

    pub fn next_event_wall_ms(&self, speed: f64) -> Option<f64> {
        let next: Micros = self.sim.next_event_us()?;
        Some(self.clock.wall_ms_until(next, speed))
    }

    pub fn step(&mut self) {
        self.sim.step();
        self.clock.set(self.sim.now_us());
        self.changed();
    }

    /// Runs to the next membership change noticed, or to the end of re-replication.
    pub fn step_interesting(&mut self) {
        let start = self.sim.trace().len();
        for _ in 0..INTERESTING_STEPS_MAX {
            if !self.sim.step() {
                break;
            }
            let trace = self.sim.trace();
            let notable = (start..trace.len()).filter_map(|i| trace.get(i)).any(|l| {
                matches!(
                    l.event.protocol(),
                    Some(
                        RingEvent::NodeDownDetected { .. }
                            | RingEvent::NodeRemoved { .. }
                            | RingEvent::RingFullyReplicated
                    )
                )
            });
            if notable {
                break;
            }
        }
        self.clock.set(self.sim.now_us());
        self.changed();
    }

    // ----- the learner's actions -----

    /// The node actions apply to: the selected one, else the first node.
    pub fn target(&self) -> Option<NodeId> {
        let nodes = self.sim.nodes();
        self.selected
            .filter(|id| nodes.iter().any(|n| n.id == *id))
            .or_else(|| nodes.first().map(|n| n.id))
    }

    pub fn update(&mut self, msg: RingMsg) {
        match msg {
            RingMsg::Select(id) => {
                self.selected = if self.selected == Some(id) {
                    None
                } else {
                    Some(id)
                };
            }
            RingMsg::Act(action) => {
                match &action {
                    RingAction::Partition { .. } => self.partitioned = true,
                    RingAction::Heal => self.partitioned = false,
                    _ => {}
                }
                let now = self.sim.now_us();
                self.notice = match self.sim.act(action.clone()) {
                    Ok(()) => {
                        self.recorded.push((now, action));
                        None
                    }
                    Err(e) => Some(e),
                };
                self.changed();
            }
            RingMsg::Apply(form) => match form.validate().and_then(RingSim::new) {
                Ok(sim) => *self = RingModel::with(sim, form),
                Err(e) => self.error = Some(e),
            },
            RingMsg::Hover(pos) => {
                self.hover = pos.and_then(|p| self.nearest_key(p));
            }
            RingMsg::ShowStrategy(strategy) => self.form.strategy = strategy,
            RingMsg::DismissNotice => {
                self.notice = None;
                self.error = None;
            }
        }
    }

    /// The key closest to `pos` on the circle (a sweep: a fraction of a millisecond).
    fn nearest_key(&self, pos: Position) -> Option<u32> {
        let distance = |p: Position| p.wrapping_sub(pos).min(pos.wrapping_sub(p));
        self.sim
            .key_positions()
            .iter()
            .enumerate()
            .min_by_key(|(_, p)| distance(**p))
            .map(|(k, _)| k as u32)
    }

    // ----- the strategies table -----

    pub fn has_work(&self) -> bool {
        self.run.is_some()
    }

    /// Recomputes in chunks until `FRAME_WORK_MS` after `wake_ms` on `clock_ms` (a wall clock
    /// in milliseconds), always at least one chunk so that the table progresses however busy
    /// the wake-up was; true while work is left for another wake-up.
    pub fn work(&mut self, clock_ms: &dyn Fn() -> f64, wake_ms: f64) -> bool {
        let Some(run) = self.run.as_mut() else {
            return false;
        };
        let start = clock_ms();
        let mut done = true;
        while let Some(job) = run
            .jobs
            .iter_mut()
            .find(|j| !matches!(j, Job::Done(..) | Job::Failed(..)))
        {
            let t0 = clock_ms();
            match job {
                Job::Waiting(strategy) => {
                    let config = self.form.placement(*strategy);
                    *job = match Recompute::new(self.keys.clone(), &config, &run.before, &run.after)
                    {
                        Ok(r) => Job::Running(Box::new(r), clock_ms() - t0),
                        Err(e) => Job::Failed(e),
                    };
                }
                Job::Running(recompute, ms) => {
                    let finished = recompute.step(CHUNK_KEYS);
                    *ms += clock_ms() - t0;
                    if finished {
                        if let Some(report) = recompute.report() {
                            *job = Job::Done(Rc::new(report), *ms);
                        }
                    }
                }
                Job::Done(..) | Job::Failed(..) => {}
            }
            if clock_ms() - wake_ms >= FRAME_WORK_MS {
                done = false;
                break;
            }
        }
        let spent = clock_ms() - start;
        run.work_ms += spent;
        run.slice_max_ms = run.slice_max_ms.max(spent);
        for (row, job) in self.rows.iter_mut().zip(&run.jobs) {
            match job {
                Job::Done(report, ms) => {
                    row.report = Some(report.clone());
                    row.error = None;
                    row.work_ms = *ms;
                }
                Job::Failed(e) => row.error = Some(e.clone()),
                _ => {}
            }
        }
        if !done
            && run
                .jobs
                .iter()
                .any(|j| !matches!(j, Job::Done(..) | Job::Failed(..)))
        {
            return true;
        }
        if let Some(run) = self.run.take() {
            self.finish(run);
        }
        false
    }

    fn finish(&mut self, run: TableRun) {
        self.rows_preview = run.preview;
        self.last_work_ms = run.work_ms;
        self.last_slice_max_ms = run.slice_max_ms;
        let moved = |s: Strategy| {
            self.rows
                .iter()
                .find(|r| r.strategy == s)
                .and_then(|r| r.report.as_ref())
                .map(|r| (r.movement.moved_fraction, r.movement.ideal_fraction))
        };
        if let (Some((ring, ideal)), Some((modulo, _))) =
            (moved(Strategy::Ring), moved(Strategy::Modulo))
        {
            if self.events.len() == EVENTS_KEPT {
                self.events.remove(0);
            }
            self.events.push(MoveEvent {
                label: run.label,
                preview: run.preview,
                ring,
                modulo,
                ideal,
            });
        }
    }

    /// The table run's label and whether it is still computing, for the table heading.
    pub fn table_label(&self) -> (Option<&Change>, bool) {
        match &self.run {
            Some(run) => (Some(&run.label), true),
            None => (self.events.last().map(|e| &e.label), false),
        }
    }

    /// Keys placed so far by the running table and in all, for its progress bar.
    pub fn table_progress(&self) -> Option<(u64, u64)> {
        let run = self.run.as_ref()?;
        let total = self.keys.len() as u64 * run.jobs.len() as u64;
        let placed = run
            .jobs
            .iter()
            .map(|j| match j {
                Job::Running(r, _) => r.progress().0 as u64,
                Job::Done(..) | Job::Failed(..) => self.keys.len() as u64,
                Job::Waiting(_) => 0,
            })
            .sum();
        Some((placed, total))
    }

    pub fn key_set(&self) -> &KeySet {
        &self.keys
    }

    /// A small fingerprint of what the page shows, compared at every wake-up to decide
    /// whether Yew needs to render.
    pub fn static_key(&self, out: &mut Vec<u64>) {
        out.clear();
        for n in self.sim.nodes() {
            out.push((n.id.0 as u64) << 8 | n.status as u64);
        }
        let counts = self.sim.counts();
        out.push(counts.under_replicated as u64);
        out.push(counts.unavailable as u64);
        out.push(counts.lost as u64);
        out.push(self.sim.transfers_in_flight() as u64);
        out.push(self.events.len() as u64);
        out.push(self.run.as_ref().map_or(0, |r| {
            1 + r.jobs.iter().filter(|j| matches!(j, Job::Done(..))).count() as u64
        }));
    }
}

impl Default for RingModel {
    fn default() -> Self {
        RingModel::new()
    }
}

/// Everything a Hash ring control can ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum RingMsg {
    Select(NodeId),
    Act(RingAction),
    /// New settings: a new run if they are valid, else a message naming the problem.
    Apply(RingForm),
    /// The pointer is over this ring position (None: it left).
    Hover(Option<Position>),
    /// Which strategy the load chart shows.
    ShowStrategy(Strategy),
    DismissNotice,
}
