//! One Raft server as a pure state machine: `handle` takes an input and the server's own
//! random stream and appends the effects the world must carry out (Raft paper, Figure 2).

use super::catchup::Catchup;
use super::config::RaftConfig;
use super::effect::{Input, Note, PersistOp, Role, Timer};
use super::kv::{Configuration, KvStore};
use super::log::RaftLog;
use super::message::{ClientReply, Message};
use super::snapshot::Snapshot;
use super::types::Effect;
use crate::sim::rng::SimRng;
use crate::sim::types::{Addr, ClientId, LogIndex, NodeId, Term};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// How a leader is replicating to one follower (etcd's progress states).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ProgressState {
    /// Looking for the point where the logs agree: one AppendEntries per heartbeat or reply.
    Probe,
    /// Logs agree: entries are streamed as soon as they are appended.
    Replicate,
    /// The follower needs a snapshot, which is in flight.
    Snapshot,
}

/// The leader's view of one follower: nextIndex and matchIndex of Figure 2.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub next_index: LogIndex,
    pub match_index: LogIndex,
    pub state: ProgressState,
    /// Heard from since the last CheckQuorum round.
    pub recently_active: bool,
}

/// What survives a crash: the content of stable storage, read back on restart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Durable {
    pub term: Term,
    pub voted_for: Option<NodeId>,
    pub snapshot: Option<Rc<Snapshot>>,
    /// Entries after the snapshot, in index order.
    pub entries: Vec<super::log::Entry>,
    /// The highest commit index written to disk (etcd keeps it in its HardState): entries
    /// up to it may be replayed into the state machine before the server rejoins.
    pub commit: LogIndex,
    /// The state machine already rebuilt by replaying the log up to this index, when the
    /// restart replayed it; otherwise the server starts from the snapshot.
    pub replayed: Option<(LogIndex, KvStore)>,
}

#[derive(Clone, Debug)]
pub struct RaftNode {
    pub(super) id: NodeId,
    /// The configuration the cluster started in, which holds until the log says otherwise.
    pub(super) bootstrap: Configuration,
    /// The configuration in effect: the latest in the log, whether committed or not (thesis
    /// section 4.1), else the snapshot's, else the bootstrap.
    pub(super) conf: Configuration,
    /// Where `conf` comes from: its entry's index, the snapshot's index, or 0 for the bootstrap.
    pub(super) conf_index: LogIndex,
    /// The leader's catch-up of a new server (thesis section 4.2.1).
    pub(super) catchup: Option<Catchup>,
    pub(super) config: RaftConfig,
    // Persistent state (Figure 2).
    pub(super) term: Term,
    pub(super) voted_for: Option<NodeId>,
    pub(super) log: RaftLog,
    pub(super) snapshot: Option<Rc<Snapshot>>,
    // Volatile state.
    pub(super) role: Role,
    pub(super) leader: Option<NodeId>,
    pub(super) commit_index: LogIndex,
    pub(super) last_applied: LogIndex,
    pub(super) kv: KvStore,
    pub(super) votes: BTreeSet<NodeId>,
    pub(super) progress: BTreeMap<NodeId, Progress>,
    /// Client requests the leader answers once their entry is applied.
    pub(super) waiting: BTreeMap<LogIndex, (ClientId, u64)>,
    pub(super) transfer_to: Option<NodeId>,
    /// Whether to report every entry appended, committed and applied (`Note::Appended`,
    /// `Committed`, `Applied`), the bulk of all notes. On by default; the engine turns it
    /// off when it keeps no trace and runs no checks, as nothing would read them. Notes of
    /// roles, votes, truncations and snapshots are always reported.
    pub(super) entry_notes: bool,
}

impl RaftNode {
    /// A server starting for the first time, with empty storage.
    pub fn new(
        id: NodeId,
        members: Vec<NodeId>,
        config: RaftConfig,
        rng: &mut SimRng,
        out: &mut Vec<Effect>,
    ) -> RaftNode {
        Self::recover(id, members, config, Durable::default(), rng, out)
    }

    /// A server restarting from what its stable storage holds; all else starts afresh.
    pub fn recover(
        id: NodeId,
        members: Vec<NodeId>,
        config: RaftConfig,
        durable: Durable,
        rng: &mut SimRng,
        out: &mut Vec<Effect>,
    ) -> RaftNode {
        let (snap_index, snap_term, kv) = match &durable.snapshot {
            Some(s) => (s.last_index, s.last_term, s.kv.clone()),
            None => (LogIndex(0), Term(0), KvStore::default()),
        };
        let (applied, kv) = match durable.replayed {
            Some((index, replayed)) if index >= snap_index => (index, replayed),
            _ => (snap_index, kv),
        };
        let voted_for = if config.bugs.forget_vote_on_restart {
            None
        } else {
            durable.voted_for
        };
        let bootstrap = Configuration::of_voters(members);
        let mut node = RaftNode {
            id,
            conf: bootstrap.clone(),
            bootstrap,
            conf_index: LogIndex(0),
            catchup: None,
            config,
            term: durable.term,
            voted_for,
            log: RaftLog::from_parts(snap_index, snap_term, durable.entries),
            snapshot: durable.snapshot,
            role: Role::Follower,
            leader: None,
            commit_index: applied,
            last_applied: applied,
            kv,
            votes: BTreeSet::new(),
            progress: BTreeMap::new(),
            waiting: BTreeMap::new(),
            transfer_to: None,
            entry_notes: true,
        };
        out.push(Effect::Note(Note::Role {
            role: Role::Follower,
            term: node.term,
        }));
        node.recover_configuration(out);
        node.reset_election_timer(rng, out);
        node
    }

    /// Handles one input, appending the resulting effects to `out` in the order they must be
    /// carried out (writes to storage before the messages that depend on them).
    pub fn handle(&mut self, input: Input, rng: &mut SimRng, out: &mut Vec<Effect>) {
        match input {
            Input::ElectionTimeout => self.on_election_timeout(rng, out),
            Input::HeartbeatTimeout => self.on_heartbeat_timeout(out),
            Input::TransferLeadership { to } => self.start_transfer(to, rng, out),
            Input::TakeSnapshot => self.take_snapshot(out),
            Input::AddServer { node } => self.on_add_server(node, out),
            Input::RemoveServer { node } => self.on_remove_server(node, out),
            Input::Receive { from, msg } => self.receive(from, msg, rng, out),
        }
    }

    fn receive(&mut self, from: Addr, msg: Message, rng: &mut SimRng, out: &mut Vec<Effect>) {
        let peer = match from {
            Addr::Node(n) => n,
            Addr::Client(client) => {
                if let Message::ClientRequest {
                    request,
                    origin,
                    cmd,
                } = msg
                {
                    self.on_client_request(client, request, origin, cmd, out);
                }
                return;
            }
        };
        match msg {
            Message::RequestVote { .. } => self.on_request_vote(peer, msg, rng, out),
            Message::RequestVoteReply {
                term,
                granted,
                pre_vote,
            } => self.on_vote_reply(peer, term, granted, pre_vote, rng, out),
            Message::AppendEntries { .. } => self.on_append_entries(peer, msg, rng, out),
            Message::AppendEntriesReply { .. } => self.on_append_reply(peer, msg, rng, out),
            Message::InstallSnapshot {
                term,
                leader,
                snapshot,
            } => self.on_install_snapshot(peer, term, leader, snapshot, rng, out),
            Message::InstallSnapshotReply { term, last_index } => {
                self.on_install_snapshot_reply(peer, term, last_index, rng, out)
            }
            Message::TimeoutNow { term, .. } => self.on_timeout_now(term, rng, out),
            Message::ClientRequest { .. } | Message::ClientReply { .. } => {}
        }
    }

    // ----- shared helpers -----

    /// A majority of the voters of the configuration in effect (thesis section 4.1).
    pub(super) fn majority(&self) -> usize {
        self.conf.quorum()
    }

    /// The other voters: the servers a candidate asks for votes (during a joint change,
    /// those of C_old too: paper section 6).
    pub(super) fn peers(&self) -> impl Iterator<Item = NodeId> + '_ {
        let me = self.id;
        let c = &self.conf;
        c.voters
            .iter()
            .copied()
            .chain(c.old_only())
            .filter(move |n| *n != me)
    }

    /// The other voters and the learners: the servers a leader replicates to.
    pub(super) fn replicas(&self) -> impl Iterator<Item = NodeId> + '_ {
        let me = self.id;
        let c = &self.conf;
        c.voters
            .iter()
            .copied()
            .chain(c.old_only())
            .chain(c.learners.iter().copied())
            .filter(move |n| *n != me)
    }

    pub(super) fn send(&self, to: NodeId, msg: Message, out: &mut Vec<Effect>) {
        out.push(Effect::Send {
            to: Addr::Node(to),
            msg,
        });
    }

    pub(super) fn persist_hard_state(&self, out: &mut Vec<Effect>) {
        out.push(Effect::Persist(PersistOp::HardState {
            term: self.term,
            voted_for: self.voted_for,
        }));
    }

    pub(super) fn set_role(&mut self, role: Role, out: &mut Vec<Effect>) {
        self.role = role;
        out.push(Effect::Note(Note::Role {
            role,
            term: self.term,
        }));
    }

    pub(super) fn reset_election_timer(&self, rng: &mut SimRng, out: &mut Vec<Effect>) {
        let draw_us = rng.between(
            self.config.election_timeout_us_min,
            self.config.election_timeout_us_max,
        );
        let after_us = self.config.election_timeout_from_draw_us(draw_us);
        out.push(Effect::SetTimer {
            timer: Timer::Election,
            after_us,
        });
    }

    /// Figure 2, "All Servers": on a higher term, adopt it and become a follower.
    pub(super) fn become_follower(
        &mut self,
        term: Term,
        leader: Option<NodeId>,
        rng: &mut SimRng,
        out: &mut Vec<Effect>,
    ) {
        if term > self.term {
            self.term = term;
            self.voted_for = None;
            self.persist_hard_state(out);
        }
        let was = self.role;
        self.leader = leader;
        self.votes.clear();
        self.transfer_to = None;
        if was == Role::Leader {
            self.progress.clear();
            out.push(Effect::CancelTimer {
                timer: Timer::Heartbeat,
            });
            // Clients waiting on this server retry elsewhere; their entries may still commit,
            // and the session table keeps a retry from applying twice.
            for (_, (client, request)) in std::mem::take(&mut self.waiting) {
                out.push(Effect::Send {
                    to: Addr::Client(client),
                    msg: Message::ClientReply {
                        request,
                        reply: ClientReply::NotLeader { leader },
                    },
                });
            }
        }
        if was != Role::Follower {
            self.set_role(Role::Follower, out);
        }
        // A follower or candidate keeps its running election timer: only hearing from a
        // leader or granting a vote restarts it (Figure 2). Otherwise servers that cannot
        // win could keep the others from ever timing out.
        if was == Role::Leader {
            self.reset_election_timer(rng, out);
        }
    }

    // ----- read-only view for the UI, the checks and the tests -----

    pub fn id(&self) -> NodeId {
        self.id
    }
    pub fn term(&self) -> Term {
        self.term
    }
    pub fn voted_for(&self) -> Option<NodeId> {
        self.voted_for
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn leader(&self) -> Option<NodeId> {
        self.leader
    }
    pub fn log(&self) -> &RaftLog {
        &self.log
    }
    pub fn commit_index(&self) -> LogIndex {
        self.commit_index
    }
    pub fn last_applied(&self) -> LogIndex {
        self.last_applied
    }
    pub fn kv(&self) -> &KvStore {
        &self.kv
    }
    pub fn snapshot(&self) -> Option<&Rc<Snapshot>> {
        self.snapshot.as_ref()
    }
    pub fn progress(&self) -> &BTreeMap<NodeId, Progress> {
        &self.progress
    }
    pub fn config(&self) -> &RaftConfig {
        &self.config
    }
    /// The configuration this server uses (thesis section 4.1: the latest in its log).
    pub fn configuration(&self) -> &Configuration {
        &self.conf
    }
    /// The index of the entry `configuration` comes from (0: the cluster's first one).
    pub fn configuration_index(&self) -> LogIndex {
        self.conf_index
    }
    pub fn transfer_target(&self) -> Option<NodeId> {
        self.transfer_to
    }
    /// Turns the per-entry notes on or off (see `entry_notes`); nothing else changes.
    pub fn set_entry_notes(&mut self, on: bool) {
        self.entry_notes = on;
    }
    /// Changes settings that take effect from the next timer or message on.
    pub fn set_config(&mut self, config: RaftConfig) {
        self.config = config;
    }
}
