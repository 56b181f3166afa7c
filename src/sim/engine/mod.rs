//! The discrete-event engine: one virtual clock, one event queue, the network, the disks,
//! the clients and the Raft servers. Protocol steps return effects; the engine turns them
//! into queued events and trace lines, and feeds every line to the safety checks.

mod actions;
mod clients;
mod coverage;
mod flights;
mod nodes;
mod recovery;

use crate::i18n::Text;
use crate::sim::action::{Action, TimedAction};
use crate::sim::check::{Checker, Violation};
use crate::sim::disk::Disk;
use crate::sim::net::Network;
use crate::sim::queue::{Class, EventQueue};
use crate::sim::raft::{Message, RaftNode, Timer};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::settings::Settings;
use crate::sim::trace::{Trace, TraceEvent, TraceLine};
use crate::sim::types::{Addr, ClientId, Micros, MsgId, NodeId};
use clients::ClientState;

pub use coverage::Coverage;
pub use nodes::TimerState;
pub use recovery::Recovery;

/// Something scheduled to happen at a moment of simulated time.
#[derive(Clone, Debug)]
pub(crate) enum Event {
    Deliver(MsgId),
    /// A wake-up for a node's timer; stale when the timer was re-armed since.
    Timer {
        node: NodeId,
        timer: Timer,
    },
    Sync {
        node: NodeId,
    },
    /// The next step of a restarting node's replay.
    Recover {
        node: NodeId,
    },
    ClientTimeout {
        client: ClientId,
        request: u64,
        attempt: u32,
    },
    ClientNext {
        client: ClientId,
    },
    Action(Box<Action>),
}

/// A message on the wire, kept so the page can draw it between its send and delivery.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    pub id: MsgId,
    pub from: Addr,
    pub to: Addr,
    pub msg: Message,
    pub sent_us: Micros,
    /// Every delivery still to come (two for a duplicated message).
    pub deliver_us: Vec<Micros>,
}

/// One server: its process (absent while crashed), its disk, its random stream and timers.
#[derive(Clone, Debug)]
pub struct NodeSlot {
    pub id: NodeId,
    /// The running process; `None` while crashed or recovering.
    pub raft: Option<RaftNode>,
    /// Set while the node replays its disk after a restart.
    pub recovery: Option<Recovery>,
    pub disk: Disk,
    rng: SimRng,
    timers: [Option<TimerState>; 2],
    /// When the earliest queued wake-up of each timer is due. Re-arming a timer to a later
    /// time queues nothing: the wake-up finds the new deadline and waits again. This keeps
    /// the queue free of the stale events that every heartbeat would otherwise leave.
    timer_wakeups: [Option<Micros>; 2],
    sync_pending: bool,
}

impl NodeSlot {
    pub fn is_up(&self) -> bool {
        self.raft.is_some()
    }
    /// Crashed and not restarting.
    pub fn is_down(&self) -> bool {
        self.raft.is_none() && self.recovery.is_none()
    }
    /// The armed timer of this kind: when it was set and when it fires.
    pub fn timer(&self, timer: Timer) -> Option<TimerState> {
        self.timers[timer.slot()]
    }
}

/// What the engine records and checks as it runs.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Observe {
    /// Keep every trace line in memory.
    pub trace: bool,
    /// Run the safety checks after every event.
    pub checks: bool,
}

impl Default for Observe {
    fn default() -> Self {
        Observe {
            trace: true,
            checks: true,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Simulation {
    settings: Settings,
    observe: Observe,
    now_us: Micros,
    queue: EventQueue<Event>,
    nodes: Vec<NodeSlot>,
    network: Network,
    net_rng: SimRng,
    next_msg_id: u64,
    flights: flights::Flights,
    clients: Vec<ClientState>,
    trace: Trace,
    checker: Checker,
    violations: Vec<Violation>,
    actions: Vec<TimedAction>,
    events_processed: u64,
    /// Trace lines produced so far, kept or not: the position the checks report.
    lines_recorded: u64,
    scratch: Vec<crate::sim::raft::Effect>,
    /// What the run reached, counted from the lines the checks read (kept only with checks).
    coverage: Coverage,
}

impl Simulation {
    /// Starts a cluster of fresh servers at time 0. The settings must be valid.
    pub fn new(settings: Settings) -> Result<Simulation, Text> {
        Self::with_observe(settings, Observe::default())
    }

    pub fn with_observe(settings: Settings, observe: Observe) -> Result<Simulation, Text> {
        settings.validate()?;
        let seed = settings.seed;
        let nodes = (0..settings.nodes)
            .map(|slot| NodeSlot {
                id: NodeId::from_slot(slot as usize),
                raft: None,
                recovery: None,
                disk: Disk::default(),
                rng: SimRng::stream(seed, Stream::Node(slot + 1)),
                timers: [None, None],
                timer_wakeups: [None, None],
                sync_pending: false,
            })
            .collect();
        let mut sim = Simulation {
            network: Network::new(settings.network.clone()),
            net_rng: SimRng::stream(seed, Stream::Network),
            clients: Vec::new(),
            settings,
            observe,
            now_us: 0,
            queue: EventQueue::default(),
            nodes,
            next_msg_id: 1,
            flights: flights::Flights::default(),
            trace: Trace::default(),
            checker: Checker::default(),
            violations: Vec::new(),
            actions: Vec::new(),
            events_processed: 0,
            lines_recorded: 0,
            scratch: Vec::new(),
            coverage: Coverage::default(),
        };
        for slot in 0..sim.nodes.len() {
            sim.start_node(slot);
        }
        sim.start_clients();
        Ok(sim)
    }

    /// Runs `action` at the current time, after everything already due now.
    pub fn act(&mut self, action: Action) -> Result<(), Text> {
        self.schedule(self.now_us, action)
    }

    /// Schedules `action` at `at_us` (not in the past) and records it in the run's actions.
    pub fn schedule(&mut self, at_us: Micros, action: Action) -> Result<(), Text> {
        action.validate(self.settings.nodes)?;
        let at_us = at_us.max(self.now_us);
        self.actions.push(TimedAction {
            at_us,
            action: action.clone(),
        });
        self.queue
            .push(at_us, Class::Action, Event::Action(Box::new(action)));
        Ok(())
    }

    /// Processes the next event; false when nothing is left to happen.
    pub fn step(&mut self) -> bool {
        let Some((at_us, event)) = self.queue.pop() else {
            return false;
        };
        self.process(at_us, event);
        true
    }

    /// Runs one event taken off the queue.
    fn process(&mut self, at_us: Micros, event: Event) {
        self.now_us = at_us;
        self.events_processed += 1;
        match event {
            Event::Deliver(id) => self.deliver(id),
            Event::Timer { node, timer } => self.fire_timer(node, timer),
            Event::Sync { node } => self.sync_disk(node),
            Event::Recover { node } => self.continue_recovery(node),
            Event::ClientTimeout {
                client,
                request,
                attempt,
            } => self.client_timeout(client, request, attempt),
            Event::ClientNext { client } => self.client_next(client),
            Event::Action(action) => self.apply_action(*action),
        }
    }

    /// Processes every event due at or before `t_us`, then sets the clock to `t_us`.
    pub fn run_until(&mut self, t_us: Micros) {
        while let Some((at_us, event)) = self.queue.pop_at_or_before(t_us) {
            self.process(at_us, event);
        }
        self.now_us = self.now_us.max(t_us);
    }

    /// Like `run_until`, but stops early after at most `max_events` events; returns whether
    /// it reached `t_us`. Keeps a browser frame short however busy the cluster is.
    pub fn run_until_bounded(&mut self, t_us: Micros, max_events: u64) -> bool {
        for _ in 0..max_events {
            let Some((at_us, event)) = self.queue.pop_at_or_before(t_us) else {
                self.now_us = self.now_us.max(t_us);
                return true;
            };
            self.process(at_us, event);
        }
        false
    }

    /// Records a trace line and runs the safety checks on it.
    pub(crate) fn record(&mut self, event: TraceEvent) {
        let line = TraceLine {
            t: self.now_us,
            event,
        };
        if self.observe.checks {
            if let Some(v) = self.checker.observe(&line, self.lines_recorded) {
                self.violations.push(v);
            }
            self.coverage.count(&line.event);
        }
        self.lines_recorded += 1;
        if self.observe.trace {
            self.trace.push(line);
        }
    }

    fn observing(&self) -> bool {
        self.observe.trace || self.observe.checks
    }

    // ----- views -----

    pub fn now_us(&self) -> Micros {
        self.now_us
    }
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    pub fn nodes(&self) -> &[NodeSlot] {
        &self.nodes
    }
    pub fn node(&self, id: NodeId) -> Option<&NodeSlot> {
        self.nodes.get(id.slot()).filter(|_| id.0 > 0)
    }
    pub fn network(&self) -> &Network {
        &self.network
    }
    /// Messages on the wire, in id order.
    pub fn flights(&self) -> impl Iterator<Item = &Flight> {
        self.flights.iter()
    }
    pub fn trace(&self) -> &Trace {
        &self.trace
    }
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
    /// Every action applied or scheduled so far, in the order they were given.
    pub fn actions(&self) -> &[TimedAction] {
        &self.actions
    }
    /// What the run reached so far; counted only while the checks run (`Observe::checks`).
    pub fn coverage(&self) -> &Coverage {
        &self.coverage
    }
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }
    /// When the next event is due, if any.
    pub fn next_event_us(&self) -> Option<Micros> {
        self.queue.peek_time()
    }
    /// The server that leads in the highest term among the live ones.
    pub fn leader(&self) -> Option<NodeId> {
        self.nodes
            .iter()
            .filter_map(|n| n.raft.as_ref())
            .filter(|r| r.role() == crate::sim::raft::Role::Leader)
            .max_by_key(|r| r.term())
            .map(|r| r.id())
    }
    /// Client operations completed so far (acknowledged to their client).
    pub fn completed_ops(&self) -> u64 {
        self.clients.iter().map(|c| c.completed).sum()
    }
    /// The highest log index at which an operation acknowledged to a client took effect.
    pub fn highest_acknowledged_index(&self) -> crate::sim::types::LogIndex {
        self.clients
            .iter()
            .map(|c| c.highest_acked)
            .max()
            .unwrap_or_default()
    }
}
