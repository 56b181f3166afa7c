//! The discrete-event engine, one for every protocol: one virtual clock, one event queue,
//! the network, the nodes' lifecycle and disks, the trace and the live checks. A protocol's
//! nodes (`Protocol`) return effects; the engine turns them into queued events and trace
//! lines, and feeds every line to the protocol's checks. What a protocol adds around its
//! nodes (clients, a visible replay) plugs in through `Driver`.

mod driver;
mod faults;
mod flights;
mod nodes;

use crate::i18n::Text;
use crate::sim::net::Network;
use crate::sim::protocol::{Checks, Effect, Event, Line, Protocol, TimerKind};
use crate::sim::queue::{Class, EventQueue};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::trace::Trace;
use crate::sim::types::{Addr, Micros, MsgId, NodeId};

pub use driver::{Counters, Driver, Fault, RunAction, RunSettings};
pub use nodes::TimerState;

/// Something scheduled to happen at a moment of simulated time.
#[derive(Clone, Debug)]
pub(crate) enum QueuedEvent<P: Driver> {
    Deliver(MsgId),
    /// A wake-up for a node's timer; stale when the timer was re-armed since.
    Timer {
        node: NodeId,
        timer: P::Timer,
    },
    Sync {
        node: NodeId,
    },
    /// An event of the protocol's engine-side parts (a client's timeout, a replay step).
    World(P::WorldEvent),
    Action(Box<P::Action>),
}

/// A message on the wire, kept so the page can draw it between its send and delivery.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight<M> {
    pub id: MsgId,
    pub from: Addr,
    pub to: Addr,
    pub msg: M,
    pub sent_us: Micros,
    /// Every delivery still to come (two for a duplicated message).
    pub deliver_us: Vec<Micros>,
}

/// One node: its process (absent while crashed or restarting), its disk, its random stream
/// and its timers.
#[derive(Clone, Debug)]
pub struct NodeSlot<P: Driver> {
    pub id: NodeId,
    /// The running process; `None` while crashed or recovering.
    pub process: Option<P::Node>,
    /// Set while the node replays its disk after a restart.
    pub recovery: Option<P::Recovery>,
    pub disk: P::Disk,
    pub(crate) rng: SimRng,
    /// Indexed by `TimerKind::slot`.
    pub(crate) timers: Vec<Option<TimerState>>,
    /// When the earliest queued wake-up of each timer is due. Re-arming a timer to a later
    /// time queues nothing: the wake-up finds the new deadline and waits again. This keeps
    /// the queue free of the stale events that every heartbeat would otherwise leave.
    timer_wakeups: Vec<Option<Micros>>,
    sync_pending: bool,
}

impl<P: Driver> NodeSlot<P> {
    pub fn is_up(&self) -> bool {
        self.process.is_some()
    }
    /// Crashed and not restarting.
    pub fn is_down(&self) -> bool {
        self.process.is_none() && self.recovery.is_none()
    }
    /// The armed timer of this kind: when it was set and when it fires.
    pub fn timer(&self, timer: P::Timer) -> Option<TimerState> {
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

/// The discrete-event engine running one protocol.
#[derive(Clone, Debug)]
pub struct Engine<P: Driver> {
    pub(crate) settings: P::Settings,
    pub(crate) observe: Observe,
    pub(crate) now_us: Micros,
    pub(crate) queue: EventQueue<QueuedEvent<P>>,
    pub(crate) nodes: Vec<NodeSlot<P>>,
    pub(crate) network: Network,
    pub(crate) net_rng: SimRng,
    pub(crate) next_msg_id: u64,
    pub(crate) flights: flights::Flights<P::Message>,
    /// The protocol's engine-side state (its clients, for Raft).
    pub(crate) world: P::World,
    pub(crate) trace: Trace<P>,
    pub(crate) checks: P::Checks,
    pub(crate) violations: Vec<Violation<P>>,
    pub(crate) actions: Vec<TimedAction<P::Action>>,
    pub(crate) events_processed: u64,
    /// Trace lines produced so far, kept or not: the position the checks report.
    pub(crate) lines_recorded: u64,
    pub(crate) scratch: Vec<Effect<P>>,
    /// What the run reached, counted from the lines the checks read (kept only with checks).
    pub(crate) coverage: P::Coverage,
}

/// A broken property of protocol `P`.
pub type Violation<P> = <<P as Protocol>::Checks as Checks<P>>::Violation;

/// An action at a moment of simulated time.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TimedAction<A> {
    pub at_us: Micros,
    #[serde(flatten)]
    pub action: A,
}

impl<P: Driver> Engine<P> {
    /// Starts a cluster of fresh nodes at time 0. The settings must be valid.
    pub fn new(settings: P::Settings) -> Result<Engine<P>, Text> {
        Self::with_observe(settings, Observe::default())
    }

    pub fn with_observe(settings: P::Settings, observe: Observe) -> Result<Engine<P>, Text> {
        settings.validate()?;
        let seed = settings.seed();
        let nodes = (0..settings.nodes())
            .map(|slot| NodeSlot {
                id: NodeId::from_slot(slot as usize),
                process: None,
                recovery: None,
                disk: P::Disk::default(),
                rng: SimRng::stream(seed, Stream::Node(slot + 1)),
                timers: vec![None; P::Timer::COUNT],
                timer_wakeups: vec![None; P::Timer::COUNT],
                sync_pending: false,
            })
            .collect();
        let mut engine = Engine {
            network: Network::new(settings.network().clone()),
            net_rng: SimRng::stream(seed, Stream::Network),
            world: P::World::default(),
            settings,
            observe,
            now_us: 0,
            queue: EventQueue::default(),
            nodes,
            next_msg_id: 1,
            flights: flights::Flights::default(),
            trace: Trace::default(),
            checks: P::Checks::default(),
            violations: Vec::new(),
            actions: Vec::new(),
            events_processed: 0,
            lines_recorded: 0,
            scratch: Vec::new(),
            coverage: P::Coverage::default(),
        };
        for slot in 0..engine.nodes.len() {
            engine.start_node(slot);
        }
        P::begun(&mut engine);
        Ok(engine)
    }

    /// Runs `action` at the current time, after everything already due now.
    pub fn act(&mut self, action: P::Action) -> Result<(), Text> {
        self.schedule(self.now_us, action)
    }

    /// Schedules `action` at `at_us` (not in the past) and records it in the run's actions.
    pub fn schedule(&mut self, at_us: Micros, action: P::Action) -> Result<(), Text> {
        action.validate(self.settings.nodes())?;
        let at_us = at_us.max(self.now_us);
        self.actions.push(TimedAction {
            at_us,
            action: action.clone(),
        });
        self.queue
            .push(at_us, Class::Action, QueuedEvent::Action(Box::new(action)));
        Ok(())
    }

    /// Applies `action` at once, before anything else due now, and records it in the run's
    /// actions: for a protocol whose learner acts between events (the ring store's page).
    pub fn apply(&mut self, action: P::Action) -> Result<(), Text> {
        action.validate(self.settings.nodes())?;
        self.actions.push(TimedAction {
            at_us: self.now_us,
            action: action.clone(),
        });
        self.process(self.now_us, QueuedEvent::Action(Box::new(action)));
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
    fn process(&mut self, at_us: Micros, event: QueuedEvent<P>) {
        self.now_us = at_us;
        self.events_processed += 1;
        match event {
            QueuedEvent::Deliver(id) => self.deliver(id),
            QueuedEvent::Timer { node, timer } => self.fire_timer(node, timer),
            QueuedEvent::Sync { node } => self.sync_disk(node),
            QueuedEvent::World(event) => P::world_event(self, event),
            QueuedEvent::Action(action) => match action.into_fault() {
                Ok(fault) => self.apply_fault(fault),
                Err(own) => P::act(self, own),
            },
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
    pub(crate) fn record(&mut self, event: Event<P>) {
        let line = Line {
            t: self.now_us,
            event,
        };
        if self.observe.checks {
            if let Some(v) = self.checks.observe(&line, self.lines_recorded) {
                self.violations.push(v);
            }
            self.coverage.count(&line.event);
        }
        self.lines_recorded += 1;
        if self.observe.trace {
            self.trace.push(line);
        }
    }

    pub(crate) fn observing(&self) -> bool {
        self.observe.trace || self.observe.checks
    }

    // ----- views -----

    pub fn now_us(&self) -> Micros {
        self.now_us
    }
    pub fn settings(&self) -> &P::Settings {
        &self.settings
    }
    pub fn nodes(&self) -> &[NodeSlot<P>] {
        &self.nodes
    }
    pub fn node(&self, id: NodeId) -> Option<&NodeSlot<P>> {
        self.nodes.get(id.slot()).filter(|_| id.0 > 0)
    }
    pub fn network(&self) -> &Network {
        &self.network
    }
    /// Messages on the wire, in id order.
    pub fn flights(&self) -> impl Iterator<Item = &Flight<P::Message>> {
        self.flights.iter()
    }
    pub fn trace(&self) -> &Trace<P> {
        &self.trace
    }
    pub fn violations(&self) -> &[Violation<P>] {
        &self.violations
    }
    /// Every action applied or scheduled so far, in the order they were given.
    pub fn actions(&self) -> &[TimedAction<P::Action>] {
        &self.actions
    }
    /// What the run reached so far; counted only while the checks run (`Observe::checks`).
    pub fn coverage(&self) -> &P::Coverage {
        &self.coverage
    }
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }
    /// When the next event is due, if any.
    pub fn next_event_us(&self) -> Option<Micros> {
        self.queue.peek_time()
    }
    /// The protocol's engine-side state.
    pub fn world(&self) -> &P::World {
        &self.world
    }

    /// Asks the protocol's liveness properties, at the end of a run whose faults were healed
    /// and which then ran quiet; a violation found is also kept with the others.
    pub fn finish_checks(&mut self) -> Option<Violation<P>> {
        let found = self.checks.finish(self.now_us);
        if let Some(v) = &found {
            self.violations.push(v.clone());
        }
        found
    }

    // ----- for the protocol's engine-side parts (`Driver` hooks), which also use the
    // crate-visible fields -----

    /// Queues one of the protocol's own events at `at_us`.
    pub(crate) fn push_world(&mut self, at_us: Micros, event: P::WorldEvent) {
        self.queue
            .push(at_us, Class::Internal, QueuedEvent::World(event));
    }
}
