//! Leader election (Raft paper, section 5.2), the up-to-date check (5.4.1), PreVote and
//! CheckQuorum (thesis sections 9.6 and 6.2) and leadership transfer (thesis section 3.10).

use super::effect::{Note, Role, Timer};
use super::kv::Command;
use super::log::Entry;
use super::message::Message;
use super::node::{Progress, ProgressState, RaftNode};
use super::types::Effect;
use crate::sim::rng::SimRng;
use crate::sim::types::{NodeId, Term};
use std::rc::Rc;

impl RaftNode {
    pub(super) fn on_election_timeout(&mut self, rng: &mut SimRng, out: &mut Vec<Effect>) {
        if self.role == Role::Leader {
            self.on_leader_election_tick(rng, out);
        } else {
            self.start_election(false, rng, out);
        }
    }

    /// A leader's election timer is its CheckQuorum round and its transfer deadline.
    fn on_leader_election_tick(&mut self, rng: &mut SimRng, out: &mut Vec<Effect>) {
        self.transfer_to = None;
        if self.config.check_quorum {
            // Only voters count (thesis section 4.1); a leader being removed does not count
            // itself (section 4.2.2); a joint configuration needs both majorities (paper
            // section 6).
            let (me, progress) = (self.id, &self.progress);
            let active = self
                .conf
                .is_quorum(|n| n == me || progress.get(&n).is_some_and(|p| p.recently_active));
            for p in self.progress.values_mut() {
                p.recently_active = false;
            }
            if !active {
                let term = self.term;
                self.become_follower(term, None, rng, out);
                return;
            }
        }
        self.arm_leader_election_timer(out);
    }

    fn arm_leader_election_timer(&self, out: &mut Vec<Effect>) {
        if self.config.check_quorum || self.transfer_to.is_some() {
            out.push(Effect::SetTimer {
                timer: Timer::Election,
                after_us: self.config.election_timeout_us_min,
            });
        } else {
            out.push(Effect::CancelTimer {
                timer: Timer::Election,
            });
        }
    }

    /// Section 5.2: a follower that hears nothing starts an election; with PreVote it first
    /// asks whether it could win, without disturbing anyone's term.
    pub(super) fn start_election(
        &mut self,
        transfer: bool,
        rng: &mut SimRng,
        out: &mut Vec<Effect>,
    ) {
        // Only voters campaign: a learner or a removed server has no say (thesis sections
        // 4.2.1 and 4.2.2), except a voter removed by a change not yet committed, which may
        // still be needed to commit it (4.2.2). An election timeout without a leader ends
        // its lease all the same.
        if !self.may_campaign() {
            self.leader = None;
            return;
        }
        if self.config.pre_vote && !transfer {
            self.leader = None;
            self.votes.clear();
            self.votes.insert(self.id);
            self.set_role(Role::PreCandidate, out);
            self.reset_election_timer(rng, out);
            if self.won_votes() {
                self.campaign(false, rng, out);
                return;
            }
            self.request_votes(true, false, out);
        } else {
            self.campaign(transfer, rng, out);
        }
    }

    fn campaign(&mut self, transfer: bool, rng: &mut SimRng, out: &mut Vec<Effect>) {
        self.term = Term(self.term.0 + 1);
        self.voted_for = Some(self.id);
        self.leader = None;
        self.persist_hard_state(out);
        self.set_role(Role::Candidate, out);
        out.push(Effect::Note(Note::Voted {
            term: self.term,
            candidate: self.id,
        }));
        self.votes.clear();
        self.votes.insert(self.id);
        self.reset_election_timer(rng, out);
        if self.won_votes() {
            self.become_leader(out);
            return;
        }
        self.request_votes(false, transfer, out);
    }

    fn request_votes(&self, pre_vote: bool, transfer: bool, out: &mut Vec<Effect>) {
        let term = if pre_vote {
            Term(self.term.0 + 1)
        } else {
            self.term
        };
        for peer in self.peers() {
            self.send(
                peer,
                Message::RequestVote {
                    term,
                    candidate: self.id,
                    last_log_index: self.log.last_index(),
                    last_log_term: self.log.last_term(),
                    pre_vote,
                    transfer,
                },
                out,
            );
        }
    }

    /// A server that knows a live leader ignores vote requests, so that a partitioned server
    /// rejoining with a high term cannot depose it (thesis section 6.2, with CheckQuorum), and
    /// neither can a removed server that never learned it was removed (section 4.2.3). The
    /// lease lasts from hearing from the leader until this server's election timer fires,
    /// at least the minimum election timeout: the node reads no clock, and its timer is the
    /// one measure of "hearing from a leader recently" it has. With no membership change in
    /// the run the rule stays off without CheckQuorum, as before.
    fn in_leader_lease(&self) -> bool {
        (self.config.check_quorum || self.membership_active()) && self.leader.is_some()
    }

    pub(super) fn on_request_vote(
        &mut self,
        from: NodeId,
        msg: Message,
        rng: &mut SimRng,
        out: &mut Vec<Effect>,
    ) {
        let Message::RequestVote {
            term,
            candidate,
            last_log_index,
            last_log_term,
            pre_vote,
            transfer,
        } = msg
        else {
            return;
        };
        let log_ok = self.config.bugs.vote_without_log_check
            || self.log.is_up_to_date(last_log_index, last_log_term);
        if term > self.term && !transfer && self.in_leader_lease() {
            return;
        }
        if pre_vote {
            // A pre-vote changes nothing here: it only answers "would you vote for me?".
            let granted = term > self.term && log_ok;
            let reply_term = if granted { term } else { self.term };
            self.send(
                from,
                Message::RequestVoteReply {
                    term: reply_term,
                    granted,
                    pre_vote: true,
                },
                out,
            );
            return;
        }
        if term > self.term {
            self.become_follower(term, None, rng, out);
        }
        let free = self.voted_for.is_none() || self.voted_for == Some(candidate);
        let granted = term == self.term && free && log_ok;
        if granted {
            self.voted_for = Some(candidate);
            self.persist_hard_state(out);
            out.push(Effect::Note(Note::Voted { term, candidate }));
            // Figure 2: granting a vote resets the election timer.
            self.reset_election_timer(rng, out);
        }
        self.send(
            from,
            Message::RequestVoteReply {
                term: self.term,
                granted,
                pre_vote: false,
            },
            out,
        );
    }

    pub(super) fn on_vote_reply(
        &mut self,
        from: NodeId,
        term: Term,
        granted: bool,
        pre_vote: bool,
        rng: &mut SimRng,
        out: &mut Vec<Effect>,
    ) {
        if pre_vote {
            if !granted && term > self.term {
                self.become_follower(term, None, rng, out);
                return;
            }
            if self.role == Role::PreCandidate && granted && term == Term(self.term.0 + 1) {
                self.votes.insert(from);
                if self.won_votes() {
                    self.campaign(false, rng, out);
                }
            }
            return;
        }
        if term > self.term {
            self.become_follower(term, None, rng, out);
            return;
        }
        if self.role != Role::Candidate || term != self.term || !granted {
            return;
        }
        self.votes.insert(from);
        if self.won_votes() {
            self.become_leader(out);
        }
    }

    /// Whether the votes gathered are a majority of the voters in effect: a reply from a
    /// server outside the configuration does not count (thesis section 4.1), and a joint
    /// configuration needs a majority of C_old and one of C_new (paper section 6).
    fn won_votes(&self) -> bool {
        self.conf.is_quorum(|n| self.votes.contains(&n))
    }

    /// Section 5.2 and 8: the winner sends heartbeats at once and appends a no-op entry, so
    /// that entries of earlier terms get committed through it (section 5.4.2).
    fn become_leader(&mut self, out: &mut Vec<Effect>) {
        self.leader = Some(self.id);
        self.votes.clear();
        self.set_role(Role::Leader, out);
        let next_index = self.log.last_index().next();
        self.catchup = None;
        self.progress = self
            .replicas()
            .map(|peer| {
                (
                    peer,
                    Progress {
                        next_index,
                        match_index: Default::default(),
                        state: ProgressState::Probe,
                        recently_active: true,
                    },
                )
            })
            .collect();
        if !self.config.bugs.commit_previous_term_by_count {
            let entry = Entry {
                index: next_index,
                term: self.term,
                cmd: Rc::new(Command::Noop),
                origin: None,
            };
            self.append_own(vec![entry], out);
        }
        self.arm_leader_election_timer(out);
        self.broadcast_append(out);
        out.push(Effect::SetTimer {
            timer: Timer::Heartbeat,
            after_us: self.config.heartbeat_interval_us,
        });
        self.maybe_commit(out);
    }

    pub(super) fn start_transfer(&mut self, to: NodeId, _rng: &mut SimRng, out: &mut Vec<Effect>) {
        if self.role != Role::Leader
            || to == self.id
            || !self.progress.contains_key(&to)
            || !self.conf.is_voter(to)
        {
            return;
        }
        self.transfer_to = Some(to);
        self.arm_leader_election_timer(out);
        self.maybe_send_timeout_now(to, out);
    }

    /// Sends TimeoutNow once the target's log is complete, or helps it catch up first.
    pub(super) fn maybe_send_timeout_now(&mut self, to: NodeId, out: &mut Vec<Effect>) {
        if self.transfer_to != Some(to) {
            return;
        }
        let caught_up = self
            .progress
            .get(&to)
            .is_some_and(|p| p.match_index == self.log.last_index());
        if caught_up {
            self.send(
                to,
                Message::TimeoutNow {
                    term: self.term,
                    leader: self.id,
                },
                out,
            );
        } else {
            self.send_append(to, out);
        }
    }

    pub(super) fn on_timeout_now(&mut self, term: Term, rng: &mut SimRng, out: &mut Vec<Effect>) {
        if term == self.term && self.role != Role::Leader {
            self.start_election(true, rng, out);
        }
    }
}
