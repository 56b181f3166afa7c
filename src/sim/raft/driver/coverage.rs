//! Counters of the interesting states a run reached, so that a fault search can show it got
//! there (FoundationDB's and TigerBeetle's simulators print such counts): a search that never
//! tears a write or installs a snapshot has not tested recovery from one, however many seeds
//! it ran.

use crate::sim::engine::Counters;
use crate::sim::protocol::Event;
use crate::sim::raft::effect::Role;
use crate::sim::raft::message::Message;
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::Raft;
use std::ops::AddAssign;

/// How often each interesting thing happened in one run, or summed over many.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Servers that became candidates (section 5.2).
    pub elections: u64,
    /// PreVote rounds started (thesis section 9.6).
    pub pre_votes: u64,
    /// Servers that won an election.
    pub leaders: u64,
    pub crashes: u64,
    /// Crashes of a node while it was still replaying its disk after a restart.
    pub crashes_during_replay: u64,
    /// Restarts that replayed a write-ahead log.
    pub replays: u64,
    /// Torn records found and discarded at the tail of a log on restart.
    pub torn_writes: u64,
    pub partitions: u64,
    pub cuts: u64,
    /// Messages lost to loss, partitions, cuts or a down receiver.
    pub messages_dropped: u64,
    /// Messages the network delivered twice.
    pub messages_duplicated: u64,
    /// Conflicting log suffixes a follower removed (Figure 7's cases).
    pub log_truncations: u64,
    pub snapshots_taken: u64,
    /// InstallSnapshot messages sent to followers behind the compacted log (section 7).
    pub snapshots_sent: u64,
    /// Client operations acknowledged.
    pub client_replies: u64,
    /// Configurations servers began to use (`config` lines: membership changes appended,
    /// truncated away, installed or read back after a restart).
    pub config_changes: u64,
}

impl Counters<Raft> for Coverage {
    fn count(&mut self, event: &Event<Raft>) {
        match event {
            Event::Protocol(RaftEvent::Role { role, .. }) => match role {
                Role::Candidate => self.elections += 1,
                Role::PreCandidate => self.pre_votes += 1,
                Role::Leader => self.leaders += 1,
                Role::Follower => {}
            },
            Event::Crash { .. } => self.crashes += 1,
            Event::Protocol(RaftEvent::RecoverStart { .. }) => self.replays += 1,
            Event::DiscardTorn { .. } => self.torn_writes += 1,
            Event::Partition { .. } => self.partitions += 1,
            Event::Cut { .. } => self.cuts += 1,
            Event::Drop { .. } => self.messages_dropped += 1,
            Event::Send { deliver_t, msg, .. } => {
                if deliver_t.len() > 1 {
                    self.messages_duplicated += 1;
                }
                if matches!(msg, Message::InstallSnapshot { .. }) {
                    self.snapshots_sent += 1;
                }
            }
            Event::Protocol(RaftEvent::LogTruncate { .. }) => self.log_truncations += 1,
            Event::Protocol(RaftEvent::Snapshot { .. }) => self.snapshots_taken += 1,
            Event::Protocol(RaftEvent::ClientReply { .. }) => self.client_replies += 1,
            Event::Protocol(RaftEvent::Config { .. }) => self.config_changes += 1,
            _ => {}
        }
    }

    fn crash_during_recovery(&mut self) {
        self.crashes_during_replay += 1;
    }

    fn named(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("elections", self.elections),
            ("pre_votes", self.pre_votes),
            ("leaders", self.leaders),
            ("crashes", self.crashes),
            ("crashes_during_replay", self.crashes_during_replay),
            ("replays", self.replays),
            ("torn_writes", self.torn_writes),
            ("partitions", self.partitions),
            ("cuts", self.cuts),
            ("messages_dropped", self.messages_dropped),
            ("messages_duplicated", self.messages_duplicated),
            ("log_truncations", self.log_truncations),
            ("snapshots_taken", self.snapshots_taken),
            ("snapshots_sent", self.snapshots_sent),
            ("client_replies", self.client_replies),
            ("config_changes", self.config_changes),
        ]
    }
}

impl AddAssign for Coverage {
    fn add_assign(&mut self, other: Coverage) {
        self.elections += other.elections;
        self.pre_votes += other.pre_votes;
        self.leaders += other.leaders;
        self.crashes += other.crashes;
        self.crashes_during_replay += other.crashes_during_replay;
        self.replays += other.replays;
        self.torn_writes += other.torn_writes;
        self.partitions += other.partitions;
        self.cuts += other.cuts;
        self.messages_dropped += other.messages_dropped;
        self.messages_duplicated += other.messages_duplicated;
        self.log_truncations += other.log_truncations;
        self.snapshots_taken += other.snapshots_taken;
        self.snapshots_sent += other.snapshots_sent;
        self.client_replies += other.client_replies;
        self.config_changes += other.config_changes;
    }
}
