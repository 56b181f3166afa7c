//! Running the engine: starting a cluster, scheduling and applying actions, and taking events
//! off the queue in (time, class, seq) order; every trace line is recorded here and fed to
//! the protocol's checks.

use super::core::{Driver, Engine, NodeSlot, Observe, QueuedEvent, Violation};
use super::flights::Flights;
use super::run::{Counters, RunAction, RunSettings, TimedAction};
use crate::i18n::Text;
use crate::sim::net::Network;
use crate::sim::protocol::{Checks, Event, Line, TimerKind};
use crate::sim::queue::{Class, EventQueue};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::trace::Trace;
use crate::sim::types::{Micros, NodeId};

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
                paused_until_us: 0,
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
            flights: Flights::default(),
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
            QueuedEvent::DeliverLate {
                id,
                from,
                node,
                msg,
            } => self.deliver_to_process(id, from, node, msg),
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
