//! What the page's primary-backup mode starts from and reads of a run: the run a learner first
//! sees (in each replication mode), the actions its buttons make, each node's part as the page
//! draws it, and every failover told from the trace (failure, suspicion, new view, replay,
//! first write served, the acknowledged writes lost). Here, not in the page, so that the tests
//! and the lessons read the same definitions; nothing here changes a run.

use super::checks::Loss;
use super::config::{PbConfig, Replication, VIEW_SERVICE};
use super::driver::{current_primary, PbAction, PbSettings};
use super::node::PbNode;
use super::note::{DeadReason, Note};
use super::types::{PrimaryBackup, Seq};
use crate::sim::engine::{Engine, Fault};
use crate::sim::net::NetConfig;
use crate::sim::protocol::Event;
use crate::sim::trace::Trace;
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};

const MS: Micros = MICROS_PER_MS;

/// How long a primary the page crashes stays down, and how long "isolate the primary" cuts it
/// off from the view service: long enough for the whole failover to happen in between.
pub const PAGE_DOWN_US: Micros = 4_000 * MS;
pub const PAGE_ISOLATE_US: Micros = 4_000 * MS;
/// How long "pause the primary" stops it: four dead timeouts, so the view service gives up
/// on it and promotes a backup while it is still stopped.
pub const PAGE_PAUSE_US: Micros = 2_000 * MS;

/// The one-way latency of the page's latency spike, at least: more than the page run's dead
/// timeout, so that a ping arrives too late and every server, alive, is suspected.
pub const PAGE_SPIKE_LATENCY_US: Micros = 700 * MS;

/// The spike's one-way latency for a run that started with `started`: [`PAGE_SPIKE_LATENCY_US`],
/// or more when the learner set a longer dead timeout, so that the spike always outlasts it.
pub fn spike_latency_us(started: &PbSettings) -> Micros {
    PAGE_SPIKE_LATENCY_US.max(started.pb.dead_timeout_us + 200 * MS)
}

/// The run the page's primary-backup mode first shows: a view service, three servers (a
/// primary and two backups or standbys) and, in cold mode, the shared storage; three clients;
/// a one-way latency of 40 to 60 ms, so that at the page's 1/20x a message is on screen for
/// about a second, with the view service's timings scaled to it (a ping every 100 ms, dead
/// after 500 ms of silence, a lease of 400 ms).
pub fn page_settings(replication: Replication) -> PbSettings {
    PbSettings {
        seed: 1,
        network: NetConfig {
            latency_us_min: 40 * MS,
            latency_us_max: 60 * MS,
            ..NetConfig::default()
        },
        pb: PbConfig {
            replication,
            backups: 2,
            ping_interval_us: 100 * MS,
            dead_timeout_us: 500 * MS,
            lease_us: 400 * MS,
            resend_us_min: 150 * MS,
            ship_interval_us: 300 * MS,
            checkpoint_every_writes: 20,
            replay_us_per_entry: 20 * MS,
            checkpoint_load_us: 100 * MS,
            clients: 3,
            keys: 3,
            think_us: 100 * MS,
            client_timeout_us: 1_500 * MS,
            ..PbConfig::default()
        },
        ..PbSettings::default()
    }
}

/// The page's replication switch: a new run in `replication`, keeping everything else the
/// learner set in `current`.
pub fn switch_replication(current: &PbSettings, replication: Replication) -> PbSettings {
    let mut next = current.clone();
    next.pb.replication = replication;
    next
}

/// "Crash the primary": whoever is primary crashes and restarts [`PAGE_DOWN_US`] later.
pub fn crash_primary() -> PbAction {
    PbAction::CrashPrimary {
        down_us: PAGE_DOWN_US,
    }
}

/// "Pause the primary" for [`PAGE_PAUSE_US`]: stopped, not crashed, it keeps its state and
/// runs on afterwards believing it is primary.
pub fn pause_primary() -> PbAction {
    PbAction::PausePrimary {
        for_us: PAGE_PAUSE_US,
    }
}

/// "Cut the primary off from the view service" for [`PAGE_ISOLATE_US`].
pub fn isolate_primary() -> PbAction {
    PbAction::IsolatePrimary {
        for_us: PAGE_ISOLATE_US,
    }
}

/// The latency spike: every message takes [`spike_latency_us`]: every server is alive and
/// late, and all of them may be suspected (a pause, [`pause_primary`], stops the primary only).
pub fn latency_spike(started: &PbSettings) -> PbAction {
    let jitter = started
        .network
        .latency_us_max
        .saturating_sub(started.network.latency_us_min);
    PbAction::Fault(Fault::SetNetwork {
        network: NetConfig {
            latency_us_min: spike_latency_us(started),
            latency_us_max: spike_latency_us(started) + jitter,
            ..started.network.clone()
        },
    })
}

/// The end of the spike: the network the run started with.
pub fn latency_restored(started: &PbSettings) -> PbAction {
    PbAction::Fault(Fault::SetNetwork {
        network: started.network.clone(),
    })
}

/// What a node is now, as the page draws it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    ViewService,
    Storage,
    /// The primary of its latest view (acting: it may not be serving, or even be named).
    Primary,
    Backup,
    /// Cold mode: a running server that is not the primary; it holds no copy and starts the
    /// service only when promoted.
    Standby,
    /// Hot or warm mode: a server in no view yet.
    Idle,
    Down,
}

impl Role {
    /// Its name in the page's hooks (`data-role`).
    pub fn name(self) -> &'static str {
        match self {
            Role::ViewService => "view-service",
            Role::Storage => "storage",
            Role::Primary => "primary",
            Role::Backup => "backup",
            Role::Standby => "standby",
            Role::Idle => "idle",
            Role::Down => "down",
        }
    }
}

/// A node as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeFacts {
    pub node: NodeId,
    pub role: Role,
    /// The view it holds (the view service: its current view; the storage: its fence).
    pub view: u64,
    /// A server: the last write its store holds; the storage: the last write shipped to it.
    pub applied: Seq,
    /// A primary: whether it answers clients now (ready, not deposed, within its lease, not
    /// paused).
    pub serving: bool,
    /// A primary: what is left of its lease (0 once it has run out).
    pub lease_left_us: Micros,
    /// A primary: it replays the log (cold mode's takeover) or waits for its backups.
    pub replaying: bool,
    pub ready: bool,
    /// The view service: whether the view's primary acknowledged it, and the lease it
    /// granted runs until here.
    pub acked: bool,
    pub lease_until_us: Micros,
    /// The view service: servers it suspects now (declared dead, not heard from since).
    pub suspects: Vec<NodeId>,
    /// The storage: its checkpoint's position.
    pub checkpoint_seq: Seq,
    /// Paused (stopped, not crashed): how long until it runs again; 0 when running.
    pub paused_left_us: Micros,
}

/// Every node of the run, in id order.
pub fn node_facts(engine: &Engine<PrimaryBackup>) -> Vec<NodeFacts> {
    let config = &engine.settings().pb;
    let now_us = engine.now_us();
    (1..=config.nodes())
        .map(|n| facts_of(engine, config, now_us, NodeId(n)))
        .collect()
}

fn facts_of(
    engine: &Engine<PrimaryBackup>,
    config: &PbConfig,
    now_us: Micros,
    node: NodeId,
) -> NodeFacts {
    let mut facts = NodeFacts {
        node,
        role: Role::Down,
        view: 0,
        applied: 0,
        serving: false,
        lease_left_us: 0,
        replaying: false,
        ready: false,
        acked: false,
        lease_until_us: 0,
        suspects: Vec::new(),
        checkpoint_seq: 0,
        paused_left_us: 0,
    };
    let Some(process) = engine.node(node).and_then(|n| n.process.as_ref()) else {
        return facts;
    };
    facts.paused_left_us = engine
        .node(node)
        .and_then(|n| n.paused_until(now_us))
        .map_or(0, |until| until - now_us);
    match process {
        PbNode::ViewService(vs) => {
            facts.role = Role::ViewService;
            facts.view = vs.view.num;
            facts.acked = vs.acked;
            facts.lease_until_us = vs.lease_until_us;
            facts.suspects = config
                .server_ids()
                .filter(|s| vs.view.has(*s))
                .filter(|s| {
                    vs.restarted(*s)
                        || vs
                            .heard
                            .get(s)
                            .is_none_or(|h| now_us >= h.at_us + config.dead_timeout_us)
                })
                .collect();
        }
        PbNode::Storage(storage) => {
            facts.role = Role::Storage;
            facts.view = storage.fence;
            facts.applied = storage.last_seq;
            facts.checkpoint_seq = storage.checkpoint_seq;
        }
        PbNode::Server(server) => {
            facts.view = server.view.num;
            facts.applied = server.last_seq;
            facts.role = match server.role(config) {
                "primary" => Role::Primary,
                "backup" => Role::Backup,
                "standby" => Role::Standby,
                _ => Role::Idle,
            };
            if let Some(p) = &server.primary {
                facts.role = Role::Primary;
                // A paused primary answers nobody, lease or not, until it runs again.
                facts.serving = server.serving(config, now_us) && facts.paused_left_us == 0;
                facts.ready = p.ready;
                facts.replaying = p.loading || p.replaying;
                facts.lease_left_us = server.lease_until_us.saturating_sub(now_us);
            } else if facts.role == Role::Primary {
                // Named primary of a newer view, not yet taken up.
                facts.lease_left_us = 0;
            }
        }
    }
    facts
}

/// The servers answering clients as primary now: more than one is split brain.
pub fn serving_primaries(engine: &Engine<PrimaryBackup>) -> Vec<NodeId> {
    node_facts(engine)
        .into_iter()
        .filter(|f| f.role == Role::Primary && f.serving)
        .map(|f| f.node)
        .collect()
}

/// The primary the page's primary-aimed actions hit now (`driver::current_primary`).
pub fn target_primary(engine: &Engine<PrimaryBackup>) -> Option<NodeId> {
    current_primary(engine)
}

/// Whether the run's network is slower than the one it started with: the spike is on.
pub fn spiking(engine: &Engine<PrimaryBackup>, started: &PbSettings) -> bool {
    engine.network().config.latency_us_min > started.network.latency_us_min
}

/// How a failover began.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The primary crashed.
    Crash,
    /// The primary was cut off from the view service (it kept running).
    Isolated,
    /// The primary was paused (stopped, not crashed): it runs on afterwards.
    Paused,
    /// The view service suspected a primary that had neither crashed nor been cut off (a
    /// slow network).
    Suspected,
}

/// One failure of a primary and what followed, from the trace.
#[derive(Clone, Debug, PartialEq)]
pub struct FailoverStory {
    pub failure: Failure,
    pub primary: NodeId,
    /// The view it was primary of.
    pub view: u64,
    pub failed_us: Micros,
    /// When the view service declared it dead, and why; `wrongly` when it was running then.
    pub suspected: Option<(Micros, DeadReason)>,
    pub wrongly: bool,
    /// When a view named another primary, its number and the primary.
    pub new_view: Option<(Micros, u64, Option<NodeId>)>,
    /// Cold mode: the new primary's replay (when it began, the checkpoint, the entries after
    /// it, its cost).
    pub replay: Option<(Micros, Seq, u64, Micros)>,
    /// The first write the new primary answered.
    pub served_us: Option<Micros>,
    /// The acknowledged writes the new view's primary does not have (warm mode's expected
    /// losses; hot and cold mode lose none unless a broken switch is on).
    pub lost: Vec<Loss>,
}

/// How many of the latest milestones a [`RunReader`] keeps.
pub const MILESTONES_KEPT: usize = 10;

/// Whether a line is a milestone of the run: a crash or restart, a cut or repair between a
/// server and the view service, and the protocol's decisions (a view, its acknowledgement, a
/// suspicion, a new primary, a state transfer, a refused message, a replay, a checkpoint), as
/// opposed to the pings, writes and replies that make up most of the trace.
pub fn milestone(event: &Event<PrimaryBackup>) -> bool {
    match event {
        Event::Crash { .. } | Event::Restart { .. } => true,
        Event::Cut { to, .. } | Event::Repair { to, .. } => *to == VIEW_SERVICE,
        Event::Protocol(note) => matches!(
            note,
            Note::PbView { .. }
                | Note::PbAck { .. }
                | Note::PbDead { .. }
                | Note::PbPrimary { .. }
                | Note::PbInstall { .. }
                | Note::PbFenced { .. }
                | Note::PbReplay { .. }
                | Note::PbCheckpoint { .. }
        ),
        _ => false,
    }
}

/// What the page reads of a whole run's trace, line by line: the failovers, the
/// acknowledged writes and the latest milestones. [`RunReader::read`] reads on from where it stopped, so the page pays
/// only for new lines; a run moved back in time needs a fresh reader.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunReader {
    read_to: usize,
    primary: Option<(NodeId, u64)>,
    crashed: Vec<NodeId>,
    cut_off: Vec<NodeId>,
    pub stories: Vec<FailoverStory>,
    /// Writes the clients were told took effect.
    pub acked_writes: u64,
    /// Reads the clients were answered.
    pub acked_reads: u64,
    /// The latest milestones ([`milestone`]), oldest first, at most [`MILESTONES_KEPT`].
    pub milestones: Vec<(Micros, Event<PrimaryBackup>)>,
}

impl RunReader {
    /// Reads the trace lines not read yet; `losses` are the checks' expected losses so far.
    pub fn read(&mut self, trace: &Trace<PrimaryBackup>, losses: &[Loss]) {
        if trace.len() < self.read_to {
            *self = RunReader::default();
        }
        for i in self.read_to..trace.len() {
            if let Some(line) = trace.get(i) {
                self.line(&line.event, line.t);
            }
        }
        self.read_to = trace.len();
        for story in &mut self.stories {
            if let Some((_, view, _)) = story.new_view {
                story.lost = losses.iter().filter(|l| l.view == view).cloned().collect();
            }
        }
    }

    /// The failover still going on.
    fn open(&mut self) -> Option<&mut FailoverStory> {
        self.stories.last_mut().filter(|s| s.served_us.is_none())
    }

    fn begin(&mut self, failure: Failure, primary: NodeId, view: u64, t: Micros) {
        if self.open().is_some() {
            return;
        }
        self.stories.push(FailoverStory {
            failure,
            primary,
            view,
            failed_us: t,
            suspected: None,
            wrongly: false,
            new_view: None,
            replay: None,
            served_us: None,
            lost: Vec::new(),
        });
    }

    fn line(&mut self, event: &Event<PrimaryBackup>, t: Micros) {
        if milestone(event) {
            if self.milestones.len() == MILESTONES_KEPT {
                self.milestones.remove(0);
            }
            self.milestones.push((t, event.clone()));
        }
        match event {
            Event::Crash { node } => {
                self.crashed.push(*node);
                if let Some((p, view)) = self.primary.filter(|(p, _)| p == node) {
                    self.begin(Failure::Crash, p, view, t);
                }
            }
            Event::Restart { node } => self.crashed.retain(|n| n != node),
            Event::Cut { from, to } if *to == VIEW_SERVICE => {
                self.cut_off.push(*from);
                if let Some((p, view)) = self.primary.filter(|(p, _)| p == from) {
                    self.begin(Failure::Isolated, p, view, t);
                }
            }
            Event::Repair { from, to } if *to == VIEW_SERVICE => self.cut_off.retain(|n| n != from),
            Event::Heal {} => self.cut_off.clear(),
            Event::Protocol(Note::PbPause { node, .. }) => {
                if let Some((p, view)) = self.primary.filter(|(p, _)| p == node) {
                    self.begin(Failure::Paused, p, view, t);
                }
            }
            Event::Protocol(note) => self.note(note, t),
            _ => {}
        }
    }

    fn note(&mut self, note: &Note, t: Micros) {
        match note {
            Note::PbView { view, .. } => {
                if let Some(open) = self.open() {
                    if open.new_view.is_none() && view.primary != Some(open.primary) {
                        open.new_view = Some((t, view.num, view.primary));
                    }
                }
                self.primary = view.primary.map(|p| (p, view.num));
            }
            Note::PbDead {
                suspect, reason, ..
            } => {
                let running = !self.crashed.contains(suspect);
                if let Some((p, view)) = self.primary.filter(|(p, _)| p == suspect) {
                    self.begin(Failure::Suspected, p, view, t);
                }
                if let Some(open) = self.open() {
                    if open.primary == *suspect && open.suspected.is_none() {
                        open.suspected = Some((t, *reason));
                        open.wrongly = running;
                    }
                }
            }
            Note::PbReplay {
                node,
                checkpoint_seq,
                entries,
                cost_us,
                ..
            } => {
                if let Some(open) = self.open() {
                    if open.new_view.is_some_and(|(_, _, p)| p == Some(*node)) {
                        open.replay = Some((t, *checkpoint_seq, *entries, *cost_us));
                    }
                }
            }
            Note::PbServe { node, write, .. } => {
                if *write {
                    self.acked_writes += 1;
                } else {
                    self.acked_reads += 1;
                }
                if let Some(open) = self.open() {
                    if *write && open.new_view.is_some_and(|(_, _, p)| p == Some(*node)) {
                        open.served_us = Some(t);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::pb::Property;

    fn run(
        replication: Replication,
        tune: impl FnOnce(&mut PbSettings),
        actions: &[(Micros, PbAction)],
        until_us: Micros,
    ) -> (Engine<PrimaryBackup>, RunReader) {
        let mut settings = page_settings(replication);
        tune(&mut settings);
        let mut engine = Engine::<PrimaryBackup>::new(settings).expect("valid");
        for (at, action) in actions {
            engine.schedule(*at, action.clone()).expect("valid action");
        }
        engine.run_until(until_us);
        let mut reader = RunReader::default();
        reader.read(engine.trace(), engine.checks().expected_losses());
        (engine, reader)
    }

    #[test]
    fn the_page_runs_serve_clients_in_every_mode() {
        for r in Replication::ALL {
            let (engine, reader) = run(r, |_| {}, &[], 5_000 * MS);
            assert!(
                engine.violations().is_empty(),
                "{r:?}: {:?}",
                engine.violations()
            );
            assert!(reader.acked_writes >= 20, "{r:?}: {}", reader.acked_writes);
            let facts = node_facts(&engine);
            assert_eq!(facts[0].role, Role::ViewService);
            assert_eq!(serving_primaries(&engine).len(), 1, "{r:?}");
        }
    }

    /// Hot mode: the crashed primary's backup is promoted and no acknowledged write is lost.
    #[test]
    fn a_hot_failover_is_told_from_failure_to_first_write() {
        let (engine, reader) = run(
            Replication::Hot,
            |_| {},
            &[(2_000 * MS, crash_primary())],
            5_000 * MS,
        );
        assert!(engine.violations().is_empty(), "{:?}", engine.violations());
        let story = reader.stories.first().expect("a failover");
        assert_eq!(story.failure, Failure::Crash);
        let (suspected_us, reason) = story.suspected.expect("suspected");
        assert_eq!(reason, DeadReason::Timeout);
        assert!(!story.wrongly);
        let (new_view_us, view, primary) = story.new_view.expect("a new view");
        assert!(view > story.view && primary != Some(story.primary));
        let served = story.served_us.expect("served");
        assert!(story.failed_us < suspected_us && suspected_us <= new_view_us);
        assert!(new_view_us < served);
        assert!(story.lost.is_empty());
    }

    /// Warm mode: the failover loses the acknowledged tail not yet shipped, named write by
    /// write.
    #[test]
    fn a_warm_failover_names_the_lost_tail() {
        let lost: usize = [1_950, 2_000, 2_100, 2_230]
            .iter()
            .map(|at| {
                let (engine, reader) = run(
                    Replication::Warm,
                    |_| {},
                    &[(at * MS, crash_primary())],
                    5_000 * MS,
                );
                assert!(engine.violations().is_empty(), "{:?}", engine.violations());
                let story = reader.stories.first().expect("a failover");
                assert!(story.served_us.is_some());
                story.lost.len()
            })
            .sum();
        assert!(lost >= 4, "{lost} writes lost in four failovers");
    }

    /// Cold mode: the standby replays the log after the last checkpoint.
    #[test]
    fn a_cold_takeover_replays() {
        let (engine, reader) = run(
            Replication::Cold,
            |_| {},
            &[(2_000 * MS, crash_primary())],
            6_000 * MS,
        );
        assert!(engine.violations().is_empty(), "{:?}", engine.violations());
        let story = reader.stories.first().expect("a failover");
        let (_, _, entries, cost) = story.replay.expect("a replay");
        assert!(cost > 0 && entries < 20, "{entries} entries, {cost} us");
        assert!(story.served_us.is_some());
    }

    /// Without the lease, a primary cut off from the view service keeps answering after a
    /// backup is promoted: two primaries serve, and the checks name the property.
    #[test]
    fn without_the_lease_an_isolated_primary_makes_two() {
        let (engine, reader) = run(
            Replication::Hot,
            |s| s.pb.bugs.no_lease = true,
            &[(2_000 * MS, isolate_primary())],
            2_000 * MS,
        );
        let _ = reader;
        let mut engine = engine;
        let mut two = false;
        for _ in 0..400 {
            engine.run_until(engine.now_us() + 10 * MS);
            two |= serving_primaries(&engine).len() >= 2;
        }
        assert!(two, "two primaries served at once");
        let first = engine.violations().first().expect("caught");
        assert_eq!(first.property, Property::PrimaryHoldsTheView);
        let mut reader = RunReader::default();
        reader.read(engine.trace(), engine.checks().expected_losses());
        let story = reader.stories.first().expect("a failover");
        assert_eq!(story.failure, Failure::Isolated);
        assert!(story.wrongly, "it was running when suspected");
    }

    /// With the lease, the isolated primary stops before another is promoted.
    #[test]
    fn with_the_lease_an_isolated_primary_stops_first() {
        let (mut engine, _) = run(
            Replication::Hot,
            |_| {},
            &[(2_000 * MS, isolate_primary())],
            2_000 * MS,
        );
        for _ in 0..400 {
            engine.run_until(engine.now_us() + 10 * MS);
            assert!(serving_primaries(&engine).len() <= 1);
        }
        assert!(engine.violations().is_empty(), "{:?}", engine.violations());
    }

    /// The latency spike: a live primary is suspected; once it ends, the run serves again.
    #[test]
    fn a_latency_spike_makes_a_live_primary_suspected() {
        let started = page_settings(Replication::Hot);
        let (engine, reader) = run(
            Replication::Hot,
            |_| {},
            &[
                (2_000 * MS, latency_spike(&started)),
                (4_000 * MS, latency_restored(&started)),
            ],
            8_000 * MS,
        );
        assert!(engine.violations().is_empty(), "{:?}", engine.violations());
        let story = reader.stories.first().expect("a suspicion");
        assert_eq!(story.failure, Failure::Suspected);
        assert!(story.wrongly);
        assert!(!spiking(&engine, &started));
        assert_eq!(serving_primaries(&engine).len(), 1);
    }
}
