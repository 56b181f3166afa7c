//! Two-phase commit's engine-side half: the settings of a run, its actions (the shared faults
//! and "this participant votes no"), the clients that submit transactions (a workload drawn
//! from the seed, one transaction at a time per client), and the counters a fault search
//! prints. A restart recovers at once from the log. With the coordinator on Raft a client
//! sends to the member it believes leads, follows a `Redirect`, and tries the next member
//! after a timeout; the fault search can crash whichever member leads (`CrashLeader`).

use super::config::{TwoPcConfig, COORDINATOR};
use super::message::{Message, Op, Outcome};
use super::note::{AbortReason, Note, Phase, VoteReason};
use super::protocol::TwoPcNode;
use super::types::{Command, TwoPc, TxnId, TXNS_PER_CLIENT};
use crate::i18n::Text;
use crate::sim::disk::{CrashMode, DiskConfig};
use crate::sim::engine::{Counters, Driver, Engine, Fault, RunAction, RunSettings};
use crate::sim::net::NetConfig;
use crate::sim::protocol::{Event, Input};
use crate::sim::rng::{SimRng, Stream, PPM_ONE};
use crate::sim::types::{Addr, ClientId, NodeId, MICROS_PER_MS};
use std::ops::AddAssign;

/// Everything a two-phase commit run starts from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TwoPcSettings {
    pub seed: u64,
    pub network: NetConfig,
    pub disk: DiskConfig,
    pub twopc: TwoPcConfig,
}

impl RunSettings<TwoPc> for TwoPcSettings {
    fn seed(&self) -> u64 {
        self.seed
    }
    /// The coordinator and the participants.
    fn nodes(&self) -> u32 {
        self.twopc.nodes()
    }
    fn network(&self) -> &NetConfig {
        &self.network
    }
    fn set_network(&mut self, network: NetConfig) {
        self.network = network;
    }
    fn disk(&self) -> &DiskConfig {
        &self.disk
    }
    fn config(&self) -> &TwoPcConfig {
        &self.twopc
    }
    fn validate(&self) -> Result<(), Text> {
        self.network
            .validate()
            .map_err(|e| Text::new("error.settings.network").with_text("error", e))?;
        self.twopc.validate()
    }
}

/// What a learner, a scenario or the fault search can do to a two-phase commit run.
#[derive(Clone, Debug, PartialEq)]
pub enum TwoPcAction {
    Fault(Fault),
    /// Participant `node` votes no (on the oldest transaction waiting for its locks, or the
    /// next one it is asked to prepare).
    VoteNo {
        node: NodeId,
    },
    /// The learner's client (numbered after the workload's clients) submits a transaction of
    /// these operations now; keys outside the store are left out.
    Submit {
        ops: Vec<Op>,
    },
    /// Crash the member of the coordinator group that leads now (with a single coordinator,
    /// the coordinator; with no leader, node 1), the fault search's coordinator outage.
    CrashLeader {
        mode: CrashMode,
    },
    /// Restart the node the oldest `CrashLeader` not yet undone crashed, if it is still down.
    RestartCrashedLeader,
}

impl RunAction for TwoPcAction {
    fn validate(&self, node_count: u32) -> Result<(), Text> {
        let named: Vec<NodeId> = match self {
            TwoPcAction::VoteNo { node } => vec![*node],
            TwoPcAction::Submit { .. }
            | TwoPcAction::CrashLeader { .. }
            | TwoPcAction::RestartCrashedLeader => Vec::new(),
            TwoPcAction::Fault(fault) => fault.nodes(),
        };
        for n in named {
            if n.0 == 0 || n.0 > node_count {
                return Err(Text::new("error.action.no_node")
                    .with("node", n.0)
                    .with("count", node_count));
            }
        }
        match self {
            TwoPcAction::Fault(Fault::SetNetwork { network }) => network
                .validate()
                .map_err(|e| Text::new("error.settings.network").with_text("error", e)),
            _ => Ok(()),
        }
    }

    fn from_fault(fault: Fault) -> Self {
        TwoPcAction::Fault(fault)
    }

    fn into_fault(self) -> Result<Fault, Self> {
        match self {
            TwoPcAction::Fault(fault) => Ok(fault),
            own => Err(own),
        }
    }
}

/// One client: its own random stream, how many transactions it has submitted, and the one
/// it waits for.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: ClientId,
    rng: SimRng,
    pub submitted: u64,
    pub pending: Option<TxnId>,
    pub committed: u64,
    pub aborted: u64,
    pub given_up: u64,
    /// The coordinator it sends to: node 1, or the member of the group it believes leads.
    pub coordinator: NodeId,
    /// The operations of the transaction it waits for, to send again after a redirect.
    pub pending_ops: Vec<Op>,
}

/// The clients of a run.
#[derive(Clone, Debug, Default)]
pub struct TwoPcWorld {
    pub clients: Vec<Client>,
    /// The nodes `CrashLeader` crashed, oldest first, each restarted by the next
    /// `RestartCrashedLeader` (outages may overlap).
    pub crashed_leaders: Vec<NodeId>,
}

impl TwoPcWorld {
    /// Transactions the clients were told committed.
    pub fn committed(&self) -> u64 {
        self.clients.iter().map(|c| c.committed).sum()
    }
}

/// A client's queued events.
#[derive(Clone, Debug)]
pub enum ClientEvent {
    /// Submit the next transaction.
    Next { client: u32 },
    /// Give up on `txn` if it is still waiting for it.
    Timeout { client: u32, txn: TxnId },
    /// Send `txn` again, to the member now believed to lead, if it still waits for it.
    Resend { client: u32, txn: TxnId },
}

impl Driver for TwoPc {
    type Settings = TwoPcSettings;
    type Action = TwoPcAction;
    type World = TwoPcWorld;
    type WorldEvent = ClientEvent;
    type Recovery = ();
    type Coverage = TwoPcCoverage;

    fn act(engine: &mut Engine<TwoPc>, action: TwoPcAction) {
        match action {
            TwoPcAction::VoteNo { node } => {
                engine.run_node(node.slot(), Input::Command(Command::VoteNo))
            }
            TwoPcAction::Submit { ops } => {
                let keys = engine.settings.twopc.keys;
                let learner = engine.settings.twopc.clients;
                let ops: Vec<Op> = ops.into_iter().filter(|o| o.key < keys).collect();
                if !ops.is_empty() {
                    send_transaction(engine, learner, ops);
                }
            }
            TwoPcAction::CrashLeader { mode } => {
                let node = leader_of(engine);
                engine.world.crashed_leaders.push(node);
                engine.apply_fault(Fault::Crash { node, mode });
            }
            TwoPcAction::RestartCrashedLeader => {
                if !engine.world.crashed_leaders.is_empty() {
                    let node = engine.world.crashed_leaders.remove(0);
                    if engine.node(node).is_some_and(|n| !n.is_up()) {
                        engine.apply_fault(Fault::Restart { node });
                    }
                }
            }
            TwoPcAction::Fault(_) => {}
        }
    }

    /// The workload's clients start at random moments within their first pause; the
    /// learner's client, last, submits only when told (`TwoPcAction::Submit`).
    fn begun(engine: &mut Engine<TwoPc>) {
        let (seed, config) = (engine.settings.seed, engine.settings.twopc.clone());
        for c in 0..=config.clients {
            let mut rng = SimRng::stream(seed, Stream::Client(c + 1));
            let first_us = rng.below(config.think_us + 1);
            engine.world.clients.push(Client {
                id: ClientId(c + 1),
                rng,
                submitted: 0,
                pending: None,
                committed: 0,
                aborted: 0,
                given_up: 0,
                coordinator: COORDINATOR,
                pending_ops: Vec::new(),
            });
            if c < config.clients {
                engine.push_world(first_us, ClientEvent::Next { client: c });
            }
        }
    }

    fn world_event(engine: &mut Engine<TwoPc>, event: ClientEvent) {
        match event {
            ClientEvent::Next { client } => submit(engine, client),
            ClientEvent::Resend { client, txn } => resend(engine, client, txn),
            ClientEvent::Timeout { client, txn } => {
                let c = &mut engine.world.clients[client as usize];
                if c.pending != Some(txn) {
                    return;
                }
                c.pending = None;
                c.given_up += 1;
                if engine.settings.twopc.coordinator.is_raft() {
                    // The member it sent to may be down: the next one, next time.
                    c.coordinator = engine.settings.twopc.next_member(c.coordinator);
                }
                let id = c.id;
                if engine.observing() {
                    engine.record(Event::Protocol(Note::TxnGiveUp { client: id, txn }));
                }
                if client < engine.settings.twopc.clients {
                    let at = engine.now_us + engine.settings.twopc.think_us;
                    engine.push_world(at, ClientEvent::Next { client });
                }
            }
        }
    }

    fn client_receive(engine: &mut Engine<TwoPc>, client: ClientId, msg: Message) {
        if let Message::Redirect { txn, leader } = msg {
            redirected(engine, client, txn, leader);
            return;
        }
        let Message::Reply { txn, outcome } = msg else {
            return;
        };
        let slot = client.0 - 1;
        let Some(c) = engine.world.clients.get_mut(slot as usize) else {
            return;
        };
        if c.pending != Some(txn) {
            return; // a copy, or an answer after it gave up
        }
        c.pending = None;
        match outcome {
            Outcome::Commit => c.committed += 1,
            Outcome::Abort => c.aborted += 1,
        }
        if engine.observing() {
            engine.record(Event::Protocol(Note::TxnReply {
                client,
                txn,
                outcome,
            }));
        }
        if slot < engine.settings.twopc.clients {
            let at = engine.now_us + engine.settings.twopc.think_us;
            engine.push_world(at, ClientEvent::Next { client: slot });
        }
    }

    fn crashed(engine: &mut Engine<TwoPc>, node: NodeId, process: &TwoPcNode) {
        let phases = match process {
            TwoPcNode::Coordinator(c) => c.phases(),
            TwoPcNode::Participant(p) => p.phases(),
            TwoPcNode::Member(m) => m.phases(),
        };
        for phase in phases {
            engine.record(Event::Protocol(Note::TxnCrashPhase { node, phase }));
        }
    }
}

/// Client `client` submits its next transaction: 2 to `ops_max` operations on distinct keys,
/// each a write (of the transaction's own id) with `write_percent` chance, else a read.
fn submit(engine: &mut Engine<TwoPc>, client: u32) {
    let config = engine.settings.twopc.clone();
    let c = &mut engine.world.clients[client as usize];
    if c.submitted >= config.transactions || c.pending.is_some() {
        return;
    }
    let txn = u64::from(c.id.0) * TXNS_PER_CLIENT + c.submitted + 1;
    let count = c.rng.between(2, u64::from(config.ops_max)) as usize;
    let count = count.min(config.keys as usize);
    let mut ops: Vec<Op> = Vec::with_capacity(count);
    while ops.len() < count {
        let key = c.rng.below(u64::from(config.keys)) as u32;
        if ops.iter().any(|o| o.key == key) {
            continue;
        }
        let writes = c.rng.chance(config.write_percent * (PPM_ONE / 100));
        ops.push(Op {
            key,
            write: writes.then_some(txn),
        });
    }
    send_transaction(engine, client, ops);
}

/// Client `client` sends its next transaction, of `ops` (writes carry its id), and waits.
fn send_transaction(engine: &mut Engine<TwoPc>, client: u32, mut ops: Vec<Op>) {
    let config = engine.settings.twopc.clone();
    let now_us = engine.now_us;
    let c = &mut engine.world.clients[client as usize];
    c.submitted += 1;
    let txn = u64::from(c.id.0) * TXNS_PER_CLIENT + c.submitted;
    for op in &mut ops {
        if op.write.is_some() {
            op.write = Some(txn);
        }
    }
    c.pending = Some(txn);
    let id = c.id;
    let to = c.coordinator;
    if config.coordinator.is_raft() {
        c.pending_ops = ops.clone();
    }
    if engine.observing() {
        engine.record(Event::Protocol(Note::TxnSubmit {
            client: id,
            txn,
            ops: ops.clone(),
        }));
    }
    engine.send(
        Addr::Client(id),
        Addr::Node(to),
        Message::Begin { txn, ops },
    );
    engine.push_world(
        now_us + config.client_timeout_us,
        ClientEvent::Timeout { client, txn },
    );
}

/// A member that does not lead answered client `client`: it follows the member's word on
/// who leads at once, or, when the member knows of no leader, tries the next member after
/// `resend_us` (an election may be under way).
fn redirected(engine: &mut Engine<TwoPc>, client: ClientId, txn: TxnId, leader: Option<NodeId>) {
    let slot = client.0 - 1;
    let config = &engine.settings.twopc;
    let resend_us = config.resend_us;
    let Some(c) = engine.world.clients.get_mut(slot as usize) else {
        return;
    };
    if c.pending != Some(txn) {
        return;
    }
    match leader {
        Some(leader) if config.is_coordinator(leader) => {
            c.coordinator = leader;
            resend(engine, slot, txn);
        }
        _ => {
            c.coordinator = config.next_member(c.coordinator);
            let at = engine.now_us + resend_us;
            engine.push_world(at, ClientEvent::Resend { client: slot, txn });
        }
    }
}

/// Client `client` sends `txn` again, to the member it now believes leads.
fn resend(engine: &mut Engine<TwoPc>, client: u32, txn: TxnId) {
    let Some(c) = engine.world.clients.get(client as usize) else {
        return;
    };
    if c.pending != Some(txn) {
        return;
    }
    let (id, to, ops) = (c.id, c.coordinator, c.pending_ops.clone());
    engine.send(
        Addr::Client(id),
        Addr::Node(to),
        Message::Begin { txn, ops },
    );
}

/// The member of the coordinator group that leads now (the highest term among those that
/// think they lead), or node 1 when none does; with a single coordinator, node 1.
fn leader_of(engine: &Engine<TwoPc>) -> NodeId {
    engine
        .settings
        .twopc
        .group_members()
        .into_iter()
        .filter_map(|id| match engine.node(id)?.process.as_ref()? {
            TwoPcNode::Member(m) if m.raft.role() == crate::sim::raft::Role::Leader => {
                Some((m.raft.term(), id))
            }
            _ => None,
        })
        .max()
        .map_or(COORDINATOR, |(_, id)| id)
}

/// What a two-phase commit run reached.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct TwoPcCoverage {
    pub transactions: u64,
    pub commits: u64,
    pub aborts: u64,
    pub aborts_on_vote_timeout: u64,
    pub votes_no: u64,
    pub lock_waits: u64,
    pub lock_waits_behind_prepared: u64,
    pub lock_timeouts: u64,
    /// Participants counted as blocked (prepared, decision late).
    pub blocked: u64,
    /// Time participants spent blocked, summed, in milliseconds.
    pub blocked_ms: u64,
    /// Decisions a participant learned from another participant.
    pub cooperative_resolutions: u64,
    /// Participants that aborted because another asked before they had voted.
    pub unilateral_aborts: u64,
    /// Inquiries the coordinator answered "abort" with no record (presumed abort).
    pub presumed_aborts: u64,
    pub client_give_ups: u64,
    pub crashes: u64,
    pub crashes_coordinator_idle: u64,
    pub crashes_coordinator_collecting: u64,
    pub crashes_coordinator_committing: u64,
    pub crashes_participant_idle: u64,
    pub crashes_participant_working: u64,
    pub crashes_participant_prepared: u64,
    pub coordinator_recoveries: u64,
    /// Commits a recovered coordinator sent again.
    pub commits_resent_after_recovery: u64,
    pub participant_recoveries: u64,
    /// Transactions a recovered participant found in doubt.
    pub in_doubt_after_recovery: u64,
    pub torn_writes: u64,
    pub partitions: u64,
    pub messages_dropped: u64,
    pub messages_duplicated: u64,
    /// Coordinator on Raft: leaders that took over (an entry of their term committed).
    pub group_takeovers: u64,
    /// Logged decisions a new leader sent again when it took over.
    pub decisions_resent_on_takeover: u64,
    /// Leaders that lost their leadership while coordinating.
    pub group_step_downs: u64,
    pub crashes_group_follower: u64,
}

impl Counters<TwoPc> for TwoPcCoverage {
    fn count(&mut self, event: &Event<TwoPc>) {
        match event {
            Event::Crash { .. } => self.crashes += 1,
            Event::DiscardTorn { .. } => self.torn_writes += 1,
            Event::Partition { .. } => self.partitions += 1,
            Event::Drop { .. } => self.messages_dropped += 1,
            Event::Send { deliver_t, .. } if deliver_t.len() > 1 => self.messages_duplicated += 1,
            Event::Protocol(note) => self.count_note(note),
            _ => {}
        }
    }

    /// Two-phase commit nodes recover at once: there is no replay to crash in.
    fn crash_during_recovery(&mut self) {}

    fn named(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("transactions", self.transactions),
            ("commits", self.commits),
            ("aborts", self.aborts),
            ("aborts_on_vote_timeout", self.aborts_on_vote_timeout),
            ("votes_no", self.votes_no),
            ("lock_waits", self.lock_waits),
            (
                "lock_waits_behind_prepared",
                self.lock_waits_behind_prepared,
            ),
            ("lock_timeouts", self.lock_timeouts),
            ("blocked", self.blocked),
            ("blocked_ms", self.blocked_ms),
            ("cooperative_resolutions", self.cooperative_resolutions),
            ("unilateral_aborts", self.unilateral_aborts),
            ("presumed_aborts", self.presumed_aborts),
            ("client_give_ups", self.client_give_ups),
            ("crashes", self.crashes),
            ("crashes_coordinator_idle", self.crashes_coordinator_idle),
            (
                "crashes_coordinator_collecting",
                self.crashes_coordinator_collecting,
            ),
            (
                "crashes_coordinator_committing",
                self.crashes_coordinator_committing,
            ),
            ("crashes_participant_idle", self.crashes_participant_idle),
            (
                "crashes_participant_working",
                self.crashes_participant_working,
            ),
            (
                "crashes_participant_prepared",
                self.crashes_participant_prepared,
            ),
            ("coordinator_recoveries", self.coordinator_recoveries),
            (
                "commits_resent_after_recovery",
                self.commits_resent_after_recovery,
            ),
            ("participant_recoveries", self.participant_recoveries),
            ("in_doubt_after_recovery", self.in_doubt_after_recovery),
            ("torn_writes", self.torn_writes),
            ("partitions", self.partitions),
            ("messages_dropped", self.messages_dropped),
            ("messages_duplicated", self.messages_duplicated),
            ("group_takeovers", self.group_takeovers),
            (
                "decisions_resent_on_takeover",
                self.decisions_resent_on_takeover,
            ),
            ("group_step_downs", self.group_step_downs),
            ("crashes_group_follower", self.crashes_group_follower),
        ]
    }
}

impl TwoPcCoverage {
    fn count_note(&mut self, note: &Note) {
        use super::note::DecideReason;
        match note {
            Note::TxnSubmit { .. } => self.transactions += 1,
            Note::TxnDecide {
                outcome: Outcome::Commit,
                ..
            } => self.commits += 1,
            Note::TxnDecide { reason, .. } => {
                self.aborts += 1;
                if *reason == DecideReason::VoteTimeout {
                    self.aborts_on_vote_timeout += 1;
                }
            }
            Note::TxnVote {
                yes: false, reason, ..
            } => {
                self.votes_no += 1;
                if *reason == Some(VoteReason::LockTimeout) {
                    self.lock_timeouts += 1;
                }
            }
            Note::TxnLockWait {
                holder_prepared, ..
            } => {
                self.lock_waits += 1;
                if *holder_prepared {
                    self.lock_waits_behind_prepared += 1;
                }
            }
            Note::TxnBlocked { .. } => self.blocked += 1,
            Note::TxnUnblocked { blocked_us, .. } => self.blocked_ms += blocked_us / MICROS_PER_MS,
            Note::TxnCooperative { .. } => self.cooperative_resolutions += 1,
            Note::TxnAbort {
                reason: AbortReason::Unvoted,
                ..
            } => self.unilateral_aborts += 1,
            Note::TxnAnswer { presumed: true, .. } => self.presumed_aborts += 1,
            Note::TxnGiveUp { .. } => self.client_give_ups += 1,
            Note::TxnCrashPhase { node, phase } => {
                // Only a coordinator (or the group's leader) collects, commits or leads; an
                // idle crash is the coordinator's at node 1.
                let coordinator = *node == COORDINATOR;
                let counter = match (coordinator, phase) {
                    (_, Phase::Collecting) => &mut self.crashes_coordinator_collecting,
                    (_, Phase::Committing) => &mut self.crashes_coordinator_committing,
                    (_, Phase::Leading) | (true, Phase::Idle) => &mut self.crashes_coordinator_idle,
                    (_, Phase::Follower) => &mut self.crashes_group_follower,
                    (_, Phase::Working) => &mut self.crashes_participant_working,
                    (_, Phase::Prepared) => &mut self.crashes_participant_prepared,
                    (false, Phase::Idle) => &mut self.crashes_participant_idle,
                };
                *counter += 1;
            }
            Note::GroupTakeover {
                commits, aborts, ..
            } => {
                self.group_takeovers += 1;
                self.decisions_resent_on_takeover += commits + aborts;
            }
            Note::GroupStepDown { .. } => self.group_step_downs += 1,
            Note::CoordinatorRecovered { committing, .. } => {
                self.coordinator_recoveries += 1;
                self.commits_resent_after_recovery += committing;
            }
            Note::ParticipantRecovered { prepared, .. } => {
                self.participant_recoveries += 1;
                self.in_doubt_after_recovery += prepared;
            }
            _ => {}
        }
    }
}

impl AddAssign for TwoPcCoverage {
    fn add_assign(&mut self, o: TwoPcCoverage) {
        self.transactions += o.transactions;
        self.commits += o.commits;
        self.aborts += o.aborts;
        self.aborts_on_vote_timeout += o.aborts_on_vote_timeout;
        self.votes_no += o.votes_no;
        self.lock_waits += o.lock_waits;
        self.lock_waits_behind_prepared += o.lock_waits_behind_prepared;
        self.lock_timeouts += o.lock_timeouts;
        self.blocked += o.blocked;
        self.blocked_ms += o.blocked_ms;
        self.cooperative_resolutions += o.cooperative_resolutions;
        self.unilateral_aborts += o.unilateral_aborts;
        self.presumed_aborts += o.presumed_aborts;
        self.client_give_ups += o.client_give_ups;
        self.crashes += o.crashes;
        self.crashes_coordinator_idle += o.crashes_coordinator_idle;
        self.crashes_coordinator_collecting += o.crashes_coordinator_collecting;
        self.crashes_coordinator_committing += o.crashes_coordinator_committing;
        self.crashes_participant_idle += o.crashes_participant_idle;
        self.crashes_participant_working += o.crashes_participant_working;
        self.crashes_participant_prepared += o.crashes_participant_prepared;
        self.coordinator_recoveries += o.coordinator_recoveries;
        self.commits_resent_after_recovery += o.commits_resent_after_recovery;
        self.participant_recoveries += o.participant_recoveries;
        self.in_doubt_after_recovery += o.in_doubt_after_recovery;
        self.torn_writes += o.torn_writes;
        self.partitions += o.partitions;
        self.messages_dropped += o.messages_dropped;
        self.messages_duplicated += o.messages_duplicated;
        self.group_takeovers += o.group_takeovers;
        self.decisions_resent_on_takeover += o.decisions_resent_on_takeover;
        self.group_step_downs += o.group_step_downs;
        self.crashes_group_follower += o.crashes_group_follower;
    }
}
