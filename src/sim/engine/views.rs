//! What the engine shows of a run: the clock, the nodes, the wire, the trace and what the
//! checks found, for the page, the command line and the tests.

use super::core::{Driver, Engine, NodeSlot, Violation};
use super::flights::Flight;
use super::run::TimedAction;
use crate::sim::net::Network;
use crate::sim::trace::Trace;
use crate::sim::types::{Micros, NodeId};

impl<P: Driver> Engine<P> {
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
    /// The live checks, for what they know beyond violations (Paxos: what is chosen).
    pub fn checks(&self) -> &P::Checks {
        &self.checks
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
}
