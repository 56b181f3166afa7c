//! Log replication and commitment (Raft paper, sections 5.3 and 5.4), client requests
//! (section 8) and snapshots with InstallSnapshot (section 7).

use super::effect::{Note, PersistOp, Role, Timer};
use super::kv::{Command, Origin, Outcome};
use super::log::Entry;
use super::message::{ClientReply, Message};
use super::node::{ProgressState, RaftNode};
use super::snapshot::Snapshot;
use super::types::Effect;
use crate::sim::rng::SimRng;
use crate::sim::types::{Addr, ClientId, LogIndex, NodeId, Term};
use std::rc::Rc;

impl RaftNode {
    pub(super) fn on_heartbeat_timeout(&mut self, out: &mut Vec<Effect>) {
        if self.role != Role::Leader {
            return;
        }
        if self.membership_active() {
            self.advance_catchup(true, out);
        }
        self.broadcast_append(out);
        out.push(Effect::SetTimer {
            timer: Timer::Heartbeat,
            after_us: self.config.heartbeat_interval_us,
        });
    }

    pub(super) fn broadcast_append(&mut self, out: &mut Vec<Effect>) {
        if self.conf.is_joint() {
            // C_old,new (paper section 6): C_old's voters too. Rare, so a list will do.
            let peers: Vec<NodeId> = self.replicas().collect();
            for peer in peers {
                self.send_append(peer, out);
            }
            return;
        }
        // By position rather than through `replicas()`, which would borrow `self` throughout:
        // voters first, then learners, each in id order.
        let voters = self.conf.voters.len();
        for i in 0..voters + self.conf.learners.len() {
            let peer = match self.conf.voters.get(i) {
                Some(p) => *p,
                None => self.conf.learners[i - voters],
            };
            if peer != self.id {
                self.send_append(peer, out);
            }
        }
    }

    /// Sends `to` the entries from its nextIndex on, or the snapshot when they are compacted.
    pub(super) fn send_append(&mut self, to: NodeId, out: &mut Vec<Effect>) {
        // One lookup of the follower's progress, used and updated in place.
        let Some(p) = self.progress.get_mut(&to) else {
            return;
        };
        if p.next_index <= self.log.snapshot_index() {
            if let Some(snapshot) = self.snapshot.clone() {
                p.state = ProgressState::Snapshot;
                self.send(
                    to,
                    Message::InstallSnapshot {
                        term: self.term,
                        leader: self.id,
                        snapshot,
                    },
                    out,
                );
                return;
            }
        }
        let prev_log_index = p.next_index.prev();
        let prev_log_term = self.log.term_at(prev_log_index).unwrap_or_default();
        let entries = if p.state == ProgressState::Snapshot {
            Vec::new()
        } else {
            self.log.slice(
                p.next_index,
                self.log.last_index(),
                self.config.max_entries_per_append as usize,
            )
        };
        if p.state == ProgressState::Replicate {
            if let Some(last) = entries.last() {
                // Pipelining: assume success; a rejection moves nextIndex back.
                p.next_index = last.index.next();
            }
        }
        self.send(
            to,
            Message::AppendEntries {
                term: self.term,
                leader: self.id,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit: self.commit_index,
            },
            out,
        );
    }

    /// The leader appends to its own log (Leader Append-Only: it never rewrites it).
    pub(super) fn append_own(&mut self, entries: Vec<Entry>, out: &mut Vec<Effect>) {
        let first_new = self.log.entries().len();
        let mut config = false;
        for entry in &entries {
            config |= matches!(*entry.cmd, Command::Config(_));
            self.log.push(entry.clone());
        }
        // The vector itself goes to the disk write; the notes copy entries from the log.
        out.push(Effect::Persist(PersistOp::Append(entries)));
        if self.entry_notes {
            for entry in &self.log.entries()[first_new..] {
                out.push(Effect::Note(Note::Appended(entry.clone())));
            }
        }
        // Thesis section 4.1: a configuration takes effect as soon as it is appended.
        if config {
            self.refresh_configuration(out);
        }
    }

    pub(super) fn on_client_request(
        &mut self,
        client: ClientId,
        request: u64,
        origin: Origin,
        cmd: Rc<Command>,
        out: &mut Vec<Effect>,
    ) {
        let reply_to = Addr::Client(client);
        if self.role != Role::Leader || self.transfer_to.is_some() {
            out.push(Effect::Send {
                to: reply_to,
                msg: Message::ClientReply {
                    request,
                    reply: ClientReply::NotLeader {
                        leader: self.leader.filter(|l| *l != self.id),
                    },
                },
            });
            return;
        }
        // Section 8: a request already applied is answered from the session table.
        if let Some((last, outcome)) = self.kv.sessions.get(&origin.client) {
            if *last == origin.request {
                out.push(Effect::Send {
                    to: reply_to,
                    msg: Message::ClientReply {
                        request,
                        reply: ClientReply::Done {
                            outcome: outcome.clone(),
                        },
                    },
                });
                return;
            }
        }
        let index = self.log.last_index().next();
        let entry = Entry {
            index,
            term: self.term,
            cmd,
            origin: Some(origin),
        };
        self.append_own(vec![entry], out);
        self.waiting.insert(index, (client, request));
        self.stream_and_commit(out);
    }

    /// Appends `cmd` as an entry of the leader's own, with no client, and streams it: how a
    /// protocol that embeds Raft (the two-phase commit coordinator group) replicates its
    /// records. Returns the entry's index; `None`, appending nothing, unless this server leads
    /// and is not handing leadership over.
    pub fn propose(&mut self, cmd: Command, out: &mut Vec<Effect>) -> Option<LogIndex> {
        if self.role != Role::Leader || self.transfer_to.is_some() {
            return None;
        }
        let index = self.log.last_index().next();
        let entry = Entry {
            index,
            term: self.term,
            cmd: Rc::new(cmd),
            origin: None,
        };
        self.append_own(vec![entry], out);
        self.stream_and_commit(out);
        Some(index)
    }

    /// Sends a new entry at once to every follower whose log agrees, then commits what a
    /// majority holds (a group of one commits at once).
    fn stream_and_commit(&mut self, out: &mut Vec<Effect>) {
        // A small fixed array rather than a vector: this runs for every client request.
        let mut streaming = [NodeId(0); crate::sim::raft::settings::NODES_MAX as usize];
        let mut count = 0;
        for (peer, p) in &self.progress {
            if p.state == ProgressState::Replicate {
                if let Some(slot) = streaming.get_mut(count) {
                    *slot = *peer;
                    count += 1;
                }
            }
        }
        for &peer in &streaming[..count] {
            self.send_append(peer, out);
        }
        self.maybe_commit(out);
    }

    /// Figure 2, AppendEntries receiver implementation.
    pub(super) fn on_append_entries(
        &mut self,
        from: NodeId,
        msg: Message,
        rng: &mut SimRng,
        out: &mut Vec<Effect>,
    ) {
        let Message::AppendEntries {
            term,
            leader,
            mut prev_log_index,
            mut prev_log_term,
            mut entries,
            leader_commit,
        } = msg
        else {
            return;
        };
        // 1. Reply false if term < currentTerm.
        if term < self.term {
            self.reply_append(from, false, LogIndex(0), LogIndex(0), None, out);
            return;
        }
        if term > self.term || self.role != Role::Follower {
            self.become_follower(term, Some(leader), rng, out);
        }
        self.leader = Some(leader);
        self.reset_election_timer(rng, out);
        // Entries at or below our snapshot are committed and already in it.
        let snap = self.log.snapshot_index();
        if prev_log_index < snap {
            entries.retain(|e| e.index > snap);
            prev_log_index = snap;
            prev_log_term = self.log.snapshot_term();
        }
        // 2. Reply false if the log has no entry at prevLogIndex whose term is prevLogTerm.
        match self.log.term_at(prev_log_index) {
            None => {
                let conflict = self.log.last_index().next();
                self.reply_append(from, false, LogIndex(0), conflict, None, out);
                return;
            }
            Some(t) if t != prev_log_term => {
                let conflict = self.log.first_index_of_term(t, prev_log_index);
                self.reply_append(from, false, LogIndex(0), conflict, Some(t), out);
                return;
            }
            Some(_) => {}
        }
        let last_new = LogIndex(prev_log_index.0 + entries.len() as u64);
        // 3. Delete a conflicting entry and all that follow it; 4. append new entries.
        // Entries the log already holds are skipped; from the first one it lacks or holds
        // with another term, the rest are new (the message's vector is reused for them).
        let first_new = entries
            .iter()
            .position(|e| self.log.term_at(e.index) != Some(e.term));
        if let Some(k) = first_new {
            let from = entries[k].index;
            if self.log.term_at(from).is_some() {
                self.log.truncate_from(from);
                out.push(Effect::Persist(PersistOp::TruncateFrom(from)));
                out.push(Effect::Note(Note::Truncated { from }));
                // A configuration entry removed with the conflict no longer applies: the
                // server falls back to the one before it (thesis section 4.1).
                if from <= self.conf_index {
                    self.refresh_configuration(out);
                }
            }
            entries.drain(..k);
            self.append_own(entries, out);
        }
        // 5. If leaderCommit > commitIndex, commitIndex = min(leaderCommit, last new entry).
        if leader_commit > self.commit_index {
            let index = leader_commit.min(last_new);
            if index > self.commit_index {
                self.advance_commit(index, out);
            }
        }
        self.reply_append(from, true, last_new, LogIndex(0), None, out);
    }

    fn reply_append(
        &self,
        to: NodeId,
        success: bool,
        match_index: LogIndex,
        conflict_index: LogIndex,
        conflict_term: Option<Term>,
        out: &mut Vec<Effect>,
    ) {
        self.send(
            to,
            Message::AppendEntriesReply {
                term: self.term,
                success,
                match_index,
                conflict_index,
                conflict_term,
            },
            out,
        );
    }

    pub(super) fn on_append_reply(
        &mut self,
        from: NodeId,
        msg: Message,
        rng: &mut SimRng,
        out: &mut Vec<Effect>,
    ) {
        let Message::AppendEntriesReply {
            term,
            success,
            match_index,
            conflict_index,
            conflict_term,
        } = msg
        else {
            return;
        };
        if term > self.term {
            self.become_follower(term, None, rng, out);
            return;
        }
        if self.role != Role::Leader || term != self.term {
            return;
        }
        let last_index = self.log.last_index();
        let Some(p) = self.progress.get_mut(&from) else {
            return;
        };
        p.recently_active = true;
        if success {
            if match_index > p.match_index {
                p.match_index = match_index;
            }
            p.next_index = p.next_index.max(p.match_index.next());
            p.state = ProgressState::Replicate;
            let behind = p.next_index <= last_index;
            self.maybe_commit(out);
            if self.membership_active() {
                self.advance_catchup(false, out);
                self.finish_joint(out);
                if self.step_down_if_removed(rng, out) {
                    return;
                }
            }
            if self.transfer_to == Some(from) {
                self.maybe_send_timeout_now(from, out);
            } else if behind {
                self.send_append(from, out);
            }
            return;
        }
        // Section 5.3, last paragraph: skip back over the whole conflicting term at once.
        let hinted = match conflict_term.and_then(|t| self.log.last_index_of_term(t)) {
            Some(i) => i.next(),
            None => conflict_index,
        };
        let lowest = p.match_index.next();
        let candidate = hinted.max(lowest).max(LogIndex(1));
        if p.state == ProgressState::Replicate || candidate < p.next_index {
            p.next_index = candidate.min(last_index.next());
            p.state = ProgressState::Probe;
            self.send_append(from, out);
        }
    }

    pub(super) fn on_install_snapshot(
        &mut self,
        from: NodeId,
        term: Term,
        leader: NodeId,
        snapshot: Rc<Snapshot>,
        rng: &mut SimRng,
        out: &mut Vec<Effect>,
    ) {
        if term < self.term {
            self.send(
                from,
                Message::InstallSnapshotReply {
                    term: self.term,
                    last_index: LogIndex(0),
                },
                out,
            );
            return;
        }
        if term > self.term || self.role != Role::Follower {
            self.become_follower(term, Some(leader), rng, out);
        }
        self.leader = Some(leader);
        self.reset_election_timer(rng, out);
        let last_index = snapshot.last_index;
        if last_index > self.commit_index {
            let keeps_suffix = self.log.term_at(last_index) == Some(snapshot.last_term);
            if !keeps_suffix && self.log.last_index() > last_index {
                out.push(Effect::Note(Note::Truncated {
                    from: last_index.next(),
                }));
                self.log.truncate_from(last_index.next());
            }
            self.log.compact_to(last_index, snapshot.last_term);
            self.kv = snapshot.kv.clone();
            self.commit_index = last_index;
            self.last_applied = last_index;
            self.snapshot = Some(snapshot.clone());
            out.push(Effect::Persist(PersistOp::Snapshot(snapshot.clone())));
            out.push(Effect::Note(Note::Snapshot {
                last_index,
                last_term: snapshot.last_term,
            }));
            out.push(Effect::Note(Note::Committed { index: last_index }));
            // The configuration may have come with the snapshot (thesis section 4.2.1: a new
            // server behind the compacted log catches up this way).
            if snapshot.config.is_some() || self.conf_index > LogIndex(0) {
                self.refresh_configuration(out);
            }
        }
        self.send(
            from,
            Message::InstallSnapshotReply {
                term: self.term,
                last_index: self.commit_index,
            },
            out,
        );
    }

    pub(super) fn on_install_snapshot_reply(
        &mut self,
        from: NodeId,
        term: Term,
        last_index: LogIndex,
        rng: &mut SimRng,
        out: &mut Vec<Effect>,
    ) {
        if term > self.term {
            self.become_follower(term, None, rng, out);
            return;
        }
        if self.role != Role::Leader || term != self.term {
            return;
        }
        let Some(p) = self.progress.get_mut(&from) else {
            return;
        };
        p.recently_active = true;
        p.match_index = p.match_index.max(last_index);
        p.next_index = p.match_index.next();
        p.state = ProgressState::Probe;
        self.maybe_commit(out);
        if self.membership_active() {
            self.advance_catchup(false, out);
            self.finish_joint(out);
            if self.step_down_if_removed(rng, out) {
                return;
            }
        }
        self.send_append(from, out);
    }

    /// Section 5.3 and 5.4.2: the leader commits the highest index stored on a majority,
    /// but only if that entry is from its current term.
    pub(super) fn maybe_commit(&mut self, out: &mut Vec<Effect>) {
        if self.role != Role::Leader {
            return;
        }
        if self.conf.is_joint() {
            // Paper section 6: an entry is committed once a majority of C_old and a majority
            // of C_new hold it (with the same current-term rule as ever).
            let (me, own) = (self.id, self.log.last_index());
            let progress = &self.progress;
            let candidate = self.conf.quorum_index(|n| match n == me {
                true => own,
                false => progress.get(&n).map_or(LogIndex(0), |p| p.match_index),
            });
            let current_term = self.log.term_at(candidate) == Some(self.term);
            if candidate > self.commit_index
                && (current_term || self.config.bugs.commit_previous_term_by_count)
            {
                self.advance_commit(candidate, out);
            }
            return;
        }
        // The match index of every member, this leader's own log included; a small fixed
        // array, since this runs on every reply.
        let mut matched = [LogIndex(0); crate::sim::raft::settings::NODES_MAX as usize];
        let mut count = 0;
        // Only voters count (thesis section 4.1); a leader being removed replicates without
        // counting its own log (section 4.2.2).
        let conf = &self.conf;
        let own = conf
            .is_voter(self.id)
            .then(|| self.log.last_index())
            .into_iter();
        for index in self
            .progress
            .iter()
            .filter(|(id, _)| conf.learners.is_empty() || conf.is_voter(**id))
            .map(|(_, p)| p.match_index)
            .chain(own)
        {
            if let Some(slot) = matched.get_mut(count) {
                *slot = index;
                count += 1;
            }
        }
        let matched = &mut matched[..count];
        // The majority-th largest index is above commitIndex exactly when a majority of the
        // indexes are: counting first spares the sort on most replies, which commit nothing.
        let above = matched.iter().filter(|&&m| m > self.commit_index).count();
        if above < self.majority() {
            return;
        }
        matched.sort_unstable_by(|a, b| b.cmp(a));
        let Some(&candidate) = matched.get(self.majority() - 1) else {
            return;
        };
        if candidate <= self.commit_index {
            return;
        }
        let current_term = self.log.term_at(candidate) == Some(self.term);
        if current_term || self.config.bugs.commit_previous_term_by_count {
            self.advance_commit(candidate, out);
        }
    }

    /// Raises commitIndex and applies what became committed, answering waiting clients.
    pub(super) fn advance_commit(&mut self, index: LogIndex, out: &mut Vec<Effect>) {
        self.commit_index = index;
        out.push(Effect::Persist(PersistOp::Commit(index)));
        if self.entry_notes {
            out.push(Effect::Note(Note::Committed { index }));
        }
        while self.last_applied < self.commit_index {
            let next = self.last_applied.next();
            let Some(entry) = self.log.entry(next) else {
                break;
            };
            let outcome = self.kv.apply(next, &entry.cmd, entry.origin);
            let noted = self.entry_notes.then(|| entry.clone());
            self.last_applied = next;
            let waiting = self.waiting.remove(&next);
            match noted {
                Some(entry) => {
                    if let Some((client, request)) = waiting {
                        out.push(done_reply(client, request, outcome.clone()));
                    }
                    out.push(Effect::Note(Note::Applied { entry, outcome }));
                }
                None => {
                    if let Some((client, request)) = waiting {
                        out.push(done_reply(client, request, outcome));
                    }
                }
            }
        }
        if let Some(every) = self.config.snapshot_every_entries {
            if every > 0 && self.last_applied.0 >= self.log.snapshot_index().0 + every {
                self.take_snapshot(out);
            }
        }
    }

    /// Section 7: saves the state machine as of lastApplied and discards the log before it.
    pub(super) fn take_snapshot(&mut self, out: &mut Vec<Effect>) {
        let last_index = self.last_applied;
        if last_index <= self.log.snapshot_index() {
            return;
        }
        let Some(last_term) = self.log.term_at(last_index) else {
            return;
        };
        let snapshot = Rc::new(Snapshot {
            last_index,
            last_term,
            kv: self.kv.clone(),
            config: self.snapshot_configuration(last_index),
        });
        self.log.compact_to(last_index, last_term);
        self.snapshot = Some(snapshot.clone());
        out.push(Effect::Persist(PersistOp::Snapshot(snapshot)));
        out.push(Effect::Note(Note::Snapshot {
            last_index,
            last_term,
        }));
    }
}

/// The answer to a client whose request took effect with `outcome`.
fn done_reply(client: ClientId, request: u64, outcome: Outcome) -> Effect {
    Effect::Send {
        to: Addr::Client(client),
        msg: Message::ClientReply {
            request,
            reply: ClientReply::Done { outcome },
        },
    }
}
