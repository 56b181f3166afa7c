//! The engine's state, `Engine<P>` with its nodes and queued events, and `Driver`, what a
//! protocol adds to the engine beyond its node state machine: the settings of a run, the
//! actions a learner or a scenario can take, and optional engine-side parts (clients, a
//! restart that replays the disk visibly, extra trace lines after a crash). Every hook has a
//! default, so a protocol whose nodes are all it needs (retransmission) writes only its
//! types; Raft uses the hooks for its clients and its replay.
//!
//! The two share a file because each names the other: the engine holds the driver's types
//! (its settings, world and actions) and the driver's hooks receive the engine. What the
//! engine does with this state is in the sibling files: `events.rs` the run loop, `nodes.rs`
//! and `faults.rs` carrying out inputs, effects and faults, `views.rs` what it shows.

use super::flights::Flights;
use super::run::{Counters, RunAction, RunSettings, TimedAction};
use crate::sim::net::Network;
use crate::sim::protocol::{Checks, Effect, Protocol, TimerKind};
use crate::sim::queue::EventQueue;
use crate::sim::rng::SimRng;
use crate::sim::trace::Trace;
use crate::sim::types::{Addr, ClientId, Micros, MsgId, NodeId};
use std::fmt::Debug;

/// Something scheduled to happen at a moment of simulated time.
#[derive(Clone, Debug)]
pub(crate) enum QueuedEvent<P: Driver> {
    Deliver(MsgId),
    /// A message that arrived while its node was paused, handed to it when the pause ends
    /// (its process kept its socket's buffer, as a stopped process does).
    DeliverLate {
        id: MsgId,
        from: Addr,
        node: NodeId,
        msg: P::Message,
    },
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
    pub(super) timer_wakeups: Vec<Option<Micros>>,
    pub(super) sync_pending: bool,
    /// While the simulated time is before this, the process is paused (stopped, as by a long
    /// garbage-collection pause or a SIGSTOP): it keeps its state, runs no timer and reads no
    /// message; both wait for the pause to end. 0: not paused.
    pub(crate) paused_until_us: Micros,
}

impl<P: Driver> NodeSlot<P> {
    pub fn is_up(&self) -> bool {
        self.process.is_some()
    }
    /// Crashed and not restarting.
    pub fn is_down(&self) -> bool {
        self.process.is_none() && self.recovery.is_none()
    }
    /// Running, but paused until this moment (see `paused_until_us`).
    pub fn paused_until(&self, now_us: Micros) -> Option<Micros> {
        (self.process.is_some() && self.paused_until_us > now_us).then_some(self.paused_until_us)
    }
    /// The armed timer of this kind: when it was set and when it fires.
    pub fn timer(&self, timer: P::Timer) -> Option<TimerState> {
        self.timers[timer.slot()]
    }
}

/// An armed timer: when it was set and when it fires (the page draws it as a draining arc).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TimerState {
    pub set_us: Micros,
    pub fires_us: Micros,
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
    pub(crate) flights: Flights<P::Message>,
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

/// The engine-side half of a protocol.
pub trait Driver: Protocol {
    /// Everything a run starts from: the seed, the cluster, the world's faults and the
    /// protocol's own settings.
    type Settings: RunSettings<Self>;
    /// What a learner, a lesson or a scenario can do to a run: the shared faults and the
    /// protocol's own requests.
    type Action: RunAction;
    /// The protocol's engine-side state (its clients, for example).
    type World: Clone + Debug + Default;
    /// Queued events of the protocol's engine-side parts (a client's timeout, a replay step).
    type WorldEvent: Clone + Debug;
    /// A node part-way through a visible restart; `()` for protocols that recover at once.
    type Recovery: Clone + Debug + PartialEq;
    /// Counters of the interesting states a run reached.
    type Coverage: Counters<Self>;

    /// Carries out a protocol action (never a fault: those the engine carries out itself).
    fn act(engine: &mut Engine<Self>, action: Self::Action);

    /// Called once when every node has started.
    fn begun(_engine: &mut Engine<Self>) {}

    /// Carries out one of the protocol's own queued events.
    fn world_event(_engine: &mut Engine<Self>, _event: Self::WorldEvent) {}

    /// A message `id` from `from` arrived at node `node`. By default the node's process
    /// handles it, or it is dropped when the node is not running; a protocol whose state is
    /// partly engine-side (the ring store's key table) routes deliveries itself.
    fn deliver_to_node(
        engine: &mut Engine<Self>,
        id: MsgId,
        from: Addr,
        node: NodeId,
        msg: Self::Message,
    ) {
        engine.deliver_to_process(id, from, node, msg);
    }

    /// A message arrived at a client.
    fn client_receive(_engine: &mut Engine<Self>, _client: ClientId, _msg: Self::Message) {}

    /// Extra trace lines after `node` crashed (its lost process is `process`); called only
    /// while the engine records.
    fn crashed(_engine: &mut Engine<Self>, _node: NodeId, _process: &Self::Node) {}

    /// Restarts a crashed node. By default it reads its disk and recovers at once.
    fn restart(engine: &mut Engine<Self>, slot: usize) {
        engine.recover_now(slot);
    }
}
