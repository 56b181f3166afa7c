//! Membership change with single-server changes (Raft thesis, chapter 4): a configuration is
//! a log entry that a server uses as soon as it is in its log, committed or not (section
//! 4.1); a leader changes one server at a time, and only once the previous change is
//! committed (4.1) and it has committed an entry of its own term (the fix Ongaro posted to
//! raft-dev in 2015); a new server first catches up as a learner and is made a voter when a
//! round of catch-up takes less than an election timeout (4.2.1); a leader that removes
//! itself keeps leading, without counting itself, until the configuration without it is
//! committed, then steps down (4.2.2). The lease that keeps removed servers from disrupting
//! the cluster (4.2.3) is in `election.rs`, beside the vote it guards.

use super::catchup::Catchup;
use super::effect::{Note, Role};
use super::kv::{Command, Configuration};
use super::log::Entry;
use super::message::Message;
use super::node::{Progress, ProgressState, RaftNode};
use super::types::Effect;
use crate::sim::rng::SimRng;
use crate::sim::types::{LogIndex, NodeId};
use std::rc::Rc;

impl RaftNode {
    /// Whether the run has membership changes: a cluster that started with spare servers,
    /// or a configuration entry in this server's log or snapshot. Without them every rule of
    /// this file is skipped, so a run with no change is the run it was before they existed.
    pub(super) fn membership_active(&self) -> bool {
        self.config.voters_initial > 0 || self.conf_index > LogIndex(0)
    }

    /// The configuration in effect at `index`: the latest configuration entry at or before
    /// it, else the snapshot's, else the bootstrap, with the index it comes from.
    fn configuration_at(&self, index: LogIndex) -> (LogIndex, Configuration) {
        let entries = self.log.entries();
        let newest = entries
            .iter()
            .rev()
            .filter(|e| e.index <= index)
            .find_map(|e| match &*e.cmd {
                Command::Config(c) => Some((e.index, c.clone())),
                _ => None,
            });
        if let Some(found) = newest {
            return found;
        }
        match self.snapshot.as_ref().and_then(|s| s.config.clone()) {
            Some(c) => (self.log.snapshot_index(), c),
            None => (LogIndex(0), self.bootstrap.clone()),
        }
    }

    /// Thesis section 4.2.2: a voter campaigns; so does a server that the latest
    /// configuration removes while that configuration is not known to be committed, since
    /// its vote may still be needed to commit it (it does not count its own vote).
    pub(super) fn may_campaign(&self) -> bool {
        if self.conf.is_voter(self.id) {
            return true;
        }
        self.conf_index > self.commit_index
            && self
                .configuration_at(self.conf_index.prev())
                .1
                .is_voter(self.id)
    }

    /// What a snapshot up to `last_index` records as the configuration (`None`: the
    /// bootstrap, so that runs without changes write the snapshots they always wrote).
    pub(super) fn snapshot_configuration(&self, last_index: LogIndex) -> Option<Configuration> {
        let (index, c) = self.configuration_at(last_index);
        (index > LogIndex(0)).then_some(c)
    }

    /// After a restart: the configuration is whatever the disk's log and snapshot say.
    pub(super) fn recover_configuration(&mut self, out: &mut Vec<Effect>) {
        let (index, c) = self.configuration_at(self.log.last_index());
        if index > LogIndex(0) {
            self.conf = c.clone();
            self.conf_index = index;
            out.push(Effect::Note(Note::Config { index, config: c }));
        }
    }

    /// Thesis section 4.1: the server uses the latest configuration in its log. Called
    /// after the log gained a configuration entry, lost one, or was replaced by a snapshot.
    pub(super) fn refresh_configuration(&mut self, out: &mut Vec<Effect>) {
        let (index, c) = self.configuration_at(self.log.last_index());
        if index == self.conf_index && c == self.conf {
            return;
        }
        let changed = c != self.conf;
        self.conf = c;
        self.conf_index = index;
        if !changed {
            return; // the same servers from another position (a compacted entry)
        }
        out.push(Effect::Note(Note::Config {
            index,
            config: self.conf.clone(),
        }));
        if self.role == Role::Leader {
            self.sync_progress();
        }
    }

    /// The leader replicates to exactly the servers of the configuration in effect: a new
    /// one starts from the leader's next index and is probed back, as after an election.
    fn sync_progress(&mut self) {
        let next_index = self.log.last_index().next();
        let conf = &self.conf;
        self.progress.retain(|id, _| conf.contains(*id));
        let replicas: Vec<NodeId> = self.replicas().collect();
        for peer in replicas {
            self.progress.entry(peer).or_insert(Progress {
                next_index,
                match_index: LogIndex(0),
                state: ProgressState::Probe,
                recently_active: true,
            });
        }
        if self
            .catchup
            .as_ref()
            .is_some_and(|c| !self.conf.is_learner(c.learner))
        {
            self.catchup = None;
        }
    }

    /// Whether this leader may append a configuration change now: the previous one is
    /// committed (thesis section 4.1, one change at a time) and so is an entry of its own
    /// term (the 2015 fix: otherwise a change appended by an earlier leader and not yet
    /// replicated can form a majority disjoint from this one's). Each broken switch turns
    /// one of the two conditions off.
    pub fn may_change_configuration(&self) -> bool {
        let bugs = &self.config.bugs;
        let previous_committed = bugs.concurrent_config_changes
            || (self.conf_index <= self.commit_index && !self.conf.is_joint());
        let own_term_committed = bugs.config_before_own_term_commit
            || self.log.term_at(self.commit_index) == Some(self.term);
        self.role == Role::Leader
            && self.transfer_to.is_none()
            && previous_committed
            && own_term_committed
    }

    /// A learner's request to join: the server is added as a learner and caught up before it
    /// votes (thesis section 4.2.1). Ignored for a server already in the configuration, and
    /// when no change may be made now.
    pub(super) fn on_add_server(&mut self, node: NodeId, out: &mut Vec<Effect>) {
        if self.conf.contains(node) || !self.may_change_configuration() {
            return;
        }
        let next = self.conf.with_learner(node);
        self.append_configuration(next, out);
    }

    /// Removes a voter or a learner (thesis section 4.1); never the last voter, which would
    /// leave no majority to commit anything.
    pub(super) fn on_remove_server(&mut self, node: NodeId, out: &mut Vec<Effect>) {
        if !self.conf.contains(node) || !self.may_change_configuration() {
            return;
        }
        let next = self.conf.without(node);
        if next.voters.is_empty() {
            return;
        }
        let next = self.through_joint(next);
        self.append_configuration(next, out);
    }

    /// With `raft.joint_consensus`, a change of the voters goes through C_old,new first
    /// (paper section 6); adding or dropping a learner changes no majority and is made
    /// directly, as is every change without the setting.
    fn through_joint(&self, next: Configuration) -> Configuration {
        match self.config.joint_consensus && next.voters != self.conf.voters {
            true => self.conf.joint_to(&next),
            false => next,
        }
    }

    /// Paper section 6: "once C_old,new has been committed ... the leader [can] create a log
    /// entry describing C_new and replicate it to the cluster". Also a new leader that finds
    /// a committed C_old,new in its log goes on with the change.
    pub(super) fn finish_joint(&mut self, out: &mut Vec<Effect>) {
        if self.role == Role::Leader
            && self.conf.is_joint()
            && self.conf_index <= self.commit_index
            && self.transfer_to.is_none()
        {
            let next = self.conf.new_only();
            self.append_configuration(next, out);
        }
    }

    /// Appends configuration `next` (which the leader uses at once) and sends it out.
    fn append_configuration(&mut self, next: Configuration, out: &mut Vec<Effect>) {
        let entry = Entry {
            index: self.log.last_index().next(),
            term: self.term,
            cmd: Rc::new(Command::Config(next)),
            origin: None,
        };
        self.append_own(vec![entry], out);
        self.broadcast_append(out);
        self.maybe_commit(out);
        self.finish_joint(out);
    }

    /// The most heartbeat intervals a catch-up round may last for the learner to be made a
    /// voter: an election timeout's worth (thesis section 4.2.1).
    fn round_ticks_max(&self) -> u32 {
        let ticks = self.config.election_timeout_us_min / self.config.heartbeat_interval_us.max(1);
        (ticks.max(1)).min(u32::MAX as u64) as u32
    }

    /// Moves the catch-up of the first learner on: `tick` is a heartbeat interval passing.
    /// A round that ends within an election timeout makes the learner a voter (when a change
    /// may be made now); a slower one starts another round from the leader's last index.
    pub(super) fn advance_catchup(&mut self, tick: bool, out: &mut Vec<Effect>) {
        if self.role != Role::Leader {
            return;
        }
        let Some(&learner) = self.conf.learners.first() else {
            self.catchup = None;
            return;
        };
        let last_index = self.log.last_index();
        let round_ticks_max = self.round_ticks_max();
        let matched = self.progress.get(&learner).map(|p| p.match_index);
        let c = match &mut self.catchup {
            Some(c) if c.learner == learner => c,
            _ => {
                self.catchup = Some(Catchup {
                    learner,
                    round_end: last_index,
                    round_ticks: 0,
                    rounds: 1,
                });
                return;
            }
        };
        if tick {
            c.round_ticks = c.round_ticks.saturating_add(1);
        }
        if matched.is_none_or(|m| m < c.round_end) {
            return;
        }
        let quick = c.round_ticks <= round_ticks_max;
        // The next round, whether this one was too slow or the promotion must wait for the
        // previous change to commit.
        c.round_end = last_index;
        c.round_ticks = 0;
        c.rounds = c.rounds.saturating_add(1);
        if quick && self.may_change_configuration() {
            let next = self.through_joint(self.conf.promoted(learner));
            self.append_configuration(next, out);
        }
    }

    /// Thesis section 4.2.2: a leader that is not in the configuration in effect steps down
    /// once that configuration is committed. Returns whether it did.
    pub(super) fn step_down_if_removed(&mut self, rng: &mut SimRng, out: &mut Vec<Effect>) -> bool {
        let removed = self.role == Role::Leader
            && !self.conf.is_voter(self.id)
            && self.commit_index >= self.conf_index;
        if removed {
            // One last round tells the voters that the configuration is committed, so
            // that they need not wait for the next leader to learn it; and the most
            // up-to-date voter is told to campaign at once (thesis section 4.2.2 suggests
            // leadership transfer here): the others' leases would make it wait otherwise.
            self.broadcast_append(out);
            let heir = self
                .progress
                .iter()
                .filter(|(id, _)| self.conf.is_voter(**id))
                .max_by_key(|(id, p)| (p.match_index, std::cmp::Reverse(**id)))
                .map(|(id, _)| *id);
            if let Some(heir) = heir {
                let msg = Message::TimeoutNow {
                    term: self.term,
                    leader: self.id,
                };
                self.send(heir, msg, out);
            }
            let term = self.term;
            self.become_follower(term, None, rng, out);
        }
        removed
    }
}
