//! A participant: it owns one shard of the keys, locks what a transaction touches (strict
//! two-phase locking, exclusive locks, all of a transaction's keys at once so that waiting
//! never deadlocks), forces a prepare record and votes yes, or votes no; it forces the
//! decision, applies or undoes, releases the locks and acknowledges a commit (Gray and Reuter,
//! section 10.3; Bernstein et al., section 7.3).
//!
//! Once it has voted yes it may not decide alone: if the decision does not come it asks the
//! coordinator and the other participants (the cooperative termination protocol, Bernstein et
//! al., section 7.4). A participant asked before it has voted aborts, since it has promised
//! nothing; one that has decided says how; one that is prepared too can only say it is
//! uncertain. While nobody who knows answers, it is blocked and keeps its locks.
//!
//! With the coordinator on Raft it votes to the member that asked it to prepare and
//! acknowledges to the one that told it the decision (the group's leader then); it asks the
//! member it believes leads first and, when that goes unanswered, every member (a member that
//! does not lead names the leader it knows, `Message::Redirect`).

use super::config::{TwoPcConfig, COORDINATOR};
use super::message::{Message, Outcome};
use super::note::{AbortReason, CommitReason, Note, Phase, VoteReason};
use super::record::Record;
use super::types::{Key, Out, TxnId, Value};
use crate::sim::protocol::Effect;
use crate::sim::types::{Addr, Micros, NodeId};
use std::collections::{BTreeMap, BTreeSet};

/// Where a transaction stands at this participant.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PState {
    /// Waiting for locks that other transactions hold; not voted.
    Waiting,
    /// Voted yes, decision unknown (in doubt).
    Prepared,
    Committed,
    Aborted,
}

/// One transaction at this participant.
#[derive(Clone, Debug, PartialEq)]
pub struct PTxn {
    pub state: PState,
    /// Every key it locks: its reads and its writes on this shard, sorted.
    pub keys: Vec<Key>,
    pub reads: Vec<Key>,
    pub writes: Vec<(Key, Value)>,
    pub participants: Vec<NodeId>,
    /// When it began to wait, voted, or last asked for its decision.
    pub since_us: Micros,
    /// When it was first counted as blocked.
    pub blocked_since_us: Option<Micros>,
    /// Broken switch `forget-prepared-on-crash`: its prepare record is not on disk yet.
    pub unlogged: bool,
    /// The coordinator that asked it to prepare: where its vote goes.
    pub coordinator: NodeId,
    /// Rounds of inquiries it has sent since it last heard from a coordinator.
    pub inquiries: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Participant {
    /// The shard's committed values.
    pub store: BTreeMap<Key, Value>,
    /// Each locked key and the transaction holding it.
    pub locks: BTreeMap<Key, TxnId>,
    pub txns: BTreeMap<TxnId, PTxn>,
    /// Transactions waiting for locks, in arrival order.
    pub waiting: Vec<TxnId>,
    /// Transactions prepared here with no outcome yet (in doubt): an index of `txns`, so that
    /// a step need not look at every transaction the participant ever had.
    pub in_doubt: BTreeSet<TxnId>,
    /// The learner's "vote no" for the next transaction to prepare.
    pub vote_no_next: bool,
    /// The member of the coordinator group it believes leads (node 1 at first and with a
    /// single coordinator).
    pub leader_hint: NodeId,
    tick_armed: bool,
}

impl Default for Participant {
    fn default() -> Participant {
        Participant {
            store: BTreeMap::new(),
            locks: BTreeMap::new(),
            txns: BTreeMap::new(),
            waiting: Vec::new(),
            in_doubt: BTreeSet::new(),
            vote_no_next: false,
            leader_hint: COORDINATOR,
            tick_armed: false,
        }
    }
}

impl Participant {
    pub fn start() -> Participant {
        Participant::default()
    }

    /// Recovery: the log is replayed in order; committed writes are applied again, and every
    /// transaction still prepared takes its locks back before anything else can run, then
    /// asks the coordinator for its decision.
    pub fn recover(
        id: NodeId,
        config: &TwoPcConfig,
        disk: &[Record],
        now_us: Micros,
        out: &mut Out,
    ) -> Participant {
        let mut p = Participant::default();
        for record in disk {
            match record {
                Record::Prepared {
                    txn,
                    keys,
                    writes,
                    participants,
                } => {
                    p.txns.insert(
                        *txn,
                        PTxn {
                            state: PState::Prepared,
                            keys: keys.clone(),
                            reads: Vec::new(),
                            writes: writes.clone(),
                            participants: participants.clone(),
                            since_us: now_us,
                            blocked_since_us: None,
                            unlogged: false,
                            coordinator: COORDINATOR,
                            inquiries: 0,
                        },
                    );
                }
                Record::Commit { txn, .. } => {
                    if let Some(t) = p.txns.get_mut(txn) {
                        t.state = PState::Committed;
                        for (k, v) in &t.writes {
                            p.store.insert(*k, *v);
                        }
                    }
                }
                Record::Abort { txn } => {
                    p.txns
                        .entry(*txn)
                        .or_insert_with(|| aborted_stub(now_us))
                        .state = PState::Aborted;
                }
                Record::End { .. } | Record::Raft(_) => {}
            }
        }
        let count = |s: PState| p.txns.values().filter(|t| t.state == s).count() as u64;
        out.push(Effect::Note(Note::ParticipantRecovered {
            node: id,
            prepared: count(PState::Prepared),
            committed: count(PState::Committed),
            aborted: count(PState::Aborted),
        }));
        p.in_doubt = p
            .txns
            .iter()
            .filter(|(_, t)| t.state == PState::Prepared)
            .map(|(txn, _)| *txn)
            .collect();
        // It no longer knows who leads the coordinator group: it asks every member.
        let asked = config.group_members();
        for txn in p.in_doubt.clone() {
            for k in p.txns[&txn].keys.clone() {
                p.locks.insert(k, txn);
            }
            if let Some(t) = p.txns.get_mut(&txn) {
                t.inquiries = 1;
            }
            out.push(Effect::Note(Note::TxnInquire {
                node: id,
                txn,
                asked: asked.clone(),
            }));
            for to in &asked {
                out.push(Effect::Send {
                    to: Addr::Node(*to),
                    msg: Message::Inquire { txn },
                });
            }
        }
        p.arm(config, out);
        p
    }

    /// The phases its transactions are in, for the crash lines: working (waiting for locks)
    /// and prepared, or idle.
    pub fn phases(&self) -> Vec<Phase> {
        let phases: Vec<Phase> = [
            (!self.waiting.is_empty(), Phase::Working),
            (!self.in_doubt.is_empty(), Phase::Prepared),
        ]
        .into_iter()
        .filter(|(has, _)| *has)
        .map(|(_, phase)| phase)
        .collect();
        if phases.is_empty() {
            vec![Phase::Idle]
        } else {
            phases
        }
    }

    /// Whether anything here can time out.
    fn pending(&self) -> bool {
        !self.waiting.is_empty() || !self.in_doubt.is_empty()
    }

    fn arm(&mut self, config: &TwoPcConfig, out: &mut Out) {
        let pending = self.pending();
        super::timer::arm_tick(&mut self.tick_armed, pending, config, out);
    }

    pub fn on_message(
        &mut self,
        id: NodeId,
        from: Addr,
        msg: Message,
        config: &TwoPcConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        let Addr::Node(from) = from else {
            return;
        };
        if config.is_coordinator(from)
            && matches!(msg, Message::Prepare { .. } | Message::Decision { .. })
        {
            // Only a coordinating leader asks to prepare or decides.
            self.leader_hint = from;
        }
        match msg {
            Message::Prepare {
                txn,
                reads,
                writes,
                participants,
            } => self.on_prepare(
                id,
                from,
                txn,
                reads,
                writes,
                participants,
                config,
                now_us,
                out,
            ),
            Message::Decision { txn, outcome } => {
                self.on_decision(id, from, txn, outcome, config, now_us, out)
            }
            Message::Inquire { txn } => self.on_inquire(id, from, txn, config, now_us, out),
            Message::Redirect { txn, leader } => self.on_redirect(id, from, txn, leader, out),
            _ => {}
        }
        self.arm(config, out);
    }

    #[allow(clippy::too_many_arguments)]
    fn on_prepare(
        &mut self,
        id: NodeId,
        from: NodeId,
        txn: TxnId,
        reads: Vec<Key>,
        writes: Vec<(Key, Value)>,
        participants: Vec<NodeId>,
        config: &TwoPcConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        if let Some(t) = self.txns.get_mut(&txn) {
            // A request sent again (by a new leader of the coordinator group, perhaps): the
            // vote it already gave, if it gave one, to whoever asks now.
            t.coordinator = from;
            match t.state {
                PState::Waiting | PState::Committed => {}
                PState::Prepared => send_vote(from, txn, true, out),
                PState::Aborted => {
                    out.push(Effect::Note(Note::TxnVote {
                        node: id,
                        txn,
                        yes: false,
                        reason: Some(VoteReason::AlreadyAborted),
                        reads: Vec::new(),
                    }));
                    send_vote(from, txn, false, out);
                }
            }
            return;
        }
        let mut keys: Vec<Key> = reads
            .iter()
            .copied()
            .chain(writes.iter().map(|w| w.0))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        self.txns.insert(
            txn,
            PTxn {
                state: PState::Waiting,
                keys,
                reads,
                writes,
                participants,
                since_us: now_us,
                blocked_since_us: None,
                unlogged: false,
                coordinator: from,
                inquiries: 0,
            },
        );
        if self.vote_no_next {
            self.vote_no_next = false;
            self.vote_no(id, txn, VoteReason::Told, out);
            return;
        }
        if self.free(txn) {
            self.lock_and_vote_yes(id, txn, config, now_us, out);
            return;
        }
        if config.lock_wait_us == 0 {
            self.vote_no(id, txn, VoteReason::LockConflict, out);
            return;
        }
        let t = &self.txns[&txn];
        if let Some((&key, &holder)) = t.keys.iter().find_map(|k| self.locks.get_key_value(k)) {
            let holder_prepared = self
                .txns
                .get(&holder)
                .is_some_and(|h| h.state == PState::Prepared);
            out.push(Effect::Note(Note::TxnLockWait {
                node: id,
                txn,
                key,
                holder,
                holder_prepared,
            }));
        }
        self.waiting.push(txn);
    }

    /// Whether every key `txn` needs is free.
    fn free(&self, txn: TxnId) -> bool {
        self.txns[&txn]
            .keys
            .iter()
            .all(|k| self.locks.get(k).is_none_or(|h| *h == txn))
    }

    /// Phase one at this participant: locks taken, prepare record forced, vote yes sent.
    fn lock_and_vote_yes(
        &mut self,
        id: NodeId,
        txn: TxnId,
        config: &TwoPcConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        let t = self.txns.get_mut(&txn).expect("known transaction");
        for k in &t.keys {
            self.locks.insert(*k, txn);
        }
        t.state = PState::Prepared;
        t.since_us = now_us;
        self.in_doubt.insert(txn);
        if config.bugs.forget_prepared_on_crash {
            t.unlogged = true;
        } else {
            out.push(Effect::Persist(prepared_record(txn, t)));
        }
        let reads = t
            .reads
            .iter()
            .map(|k| (*k, self.store.get(k).copied().unwrap_or(0)))
            .collect();
        out.push(Effect::Note(Note::TxnVote {
            node: id,
            txn,
            yes: true,
            reason: None,
            reads,
        }));
        send_vote(t.coordinator, txn, true, out);
        if config.bugs.release_locks_at_prepare {
            self.release(id, txn, config, now_us, out);
        }
    }

    fn vote_no(&mut self, id: NodeId, txn: TxnId, reason: VoteReason, out: &mut Out) {
        self.waiting.retain(|w| *w != txn);
        let mut coordinator = self.leader_hint;
        if let Some(t) = self.txns.get_mut(&txn) {
            t.state = PState::Aborted;
            coordinator = t.coordinator;
        }
        out.push(Effect::Persist(Record::Abort { txn }));
        out.push(Effect::Note(Note::TxnVote {
            node: id,
            txn,
            yes: false,
            reason: Some(reason),
            reads: Vec::new(),
        }));
        out.push(Effect::Note(Note::TxnAbort {
            node: id,
            txn,
            reason: AbortReason::VotedNo,
        }));
        send_vote(coordinator, txn, false, out);
    }

    #[allow(clippy::too_many_arguments)]
    fn on_decision(
        &mut self,
        id: NodeId,
        from: NodeId,
        txn: TxnId,
        outcome: Outcome,
        config: &TwoPcConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        let from_peer = !config.is_coordinator(from);
        let state = self.txns.get(&txn).map(|t| t.state);
        match (state, outcome) {
            (Some(PState::Prepared), _) => {
                let reason = if from_peer {
                    out.push(Effect::Note(Note::TxnCooperative {
                        node: id,
                        txn,
                        peer: from,
                        outcome,
                    }));
                    CommitReason::Peer
                } else {
                    CommitReason::Decision
                };
                match outcome {
                    Outcome::Commit => self.commit(id, from, txn, reason, config, now_us, out),
                    Outcome::Abort => {
                        let reason = if from_peer {
                            AbortReason::Peer
                        } else {
                            AbortReason::Decision
                        };
                        self.abort(id, txn, reason, config, now_us, out)
                    }
                }
            }
            // The coordinator resends a commit whose acknowledgement was lost.
            (Some(PState::Committed), Outcome::Commit) if !from_peer => send_ack(from, txn, out),
            (Some(PState::Waiting), Outcome::Abort) => {
                self.abort(id, txn, AbortReason::Decision, config, now_us, out)
            }
            (None, Outcome::Abort) => {
                // An abort before the request to prepare (which may still come, late).
                self.txns.insert(txn, aborted_stub(now_us));
                out.push(Effect::Persist(Record::Abort { txn }));
                out.push(Effect::Note(Note::TxnAbort {
                    node: id,
                    txn,
                    reason: AbortReason::Decision,
                }));
            }
            (None, Outcome::Commit) if !from_peer => {
                // No prepare record: it never promised, so it takes the transaction for
                // aborted. Only a prepare record lost from the disk gets here.
                self.txns.insert(txn, aborted_stub(now_us));
                out.push(Effect::Persist(Record::Abort { txn }));
                out.push(Effect::Note(Note::TxnAbort {
                    node: id,
                    txn,
                    reason: AbortReason::NoRecord,
                }));
            }
            _ => {}
        }
    }

    /// Phase two at this participant: the commit forced, the writes applied, the locks
    /// released, the coordinator told.
    #[allow(clippy::too_many_arguments)]
    fn commit(
        &mut self,
        id: NodeId,
        from: NodeId,
        txn: TxnId,
        reason: CommitReason,
        config: &TwoPcConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        let t = self.txns.get_mut(&txn).expect("known transaction");
        if t.unlogged {
            // `forget-prepared-on-crash`: the prepare record goes to disk only now.
            out.push(Effect::Persist(prepared_record(txn, t)));
            t.unlogged = false;
        }
        out.push(Effect::Persist(Record::Commit {
            txn,
            participants: t.participants.clone(),
        }));
        t.state = PState::Committed;
        self.in_doubt.remove(&txn);
        for (k, v) in &t.writes {
            self.store.insert(*k, *v);
        }
        out.push(Effect::Note(Note::TxnCommit {
            node: id,
            txn,
            reason,
            writes: t.writes.clone(),
        }));
        if let Some(since) = t.blocked_since_us.take() {
            out.push(Effect::Note(Note::TxnUnblocked {
                node: id,
                txn,
                blocked_us: now_us - since,
                outcome: Outcome::Commit,
            }));
        }
        self.release(id, txn, config, now_us, out);
        // The acknowledgement goes to the coordinator that decided; a commit learned from a
        // peer (or alone) is acknowledged to the one that asked it to prepare.
        let to = if config.is_coordinator(from) {
            from
        } else {
            self.txns
                .get(&txn)
                .map_or(self.leader_hint, |t| t.coordinator)
        };
        send_ack(to, txn, out);
    }

    /// The abort: recorded (presumed abort needs it on disk for no one; it is kept so a late
    /// request to prepare is answered no again), staged writes dropped, locks released. No
    /// acknowledgement: the coordinator waits for none.
    fn abort(
        &mut self,
        id: NodeId,
        txn: TxnId,
        reason: AbortReason,
        config: &TwoPcConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        self.waiting.retain(|w| *w != txn);
        let t = self.txns.get_mut(&txn).expect("known transaction");
        t.state = PState::Aborted;
        t.unlogged = false;
        self.in_doubt.remove(&txn);
        out.push(Effect::Persist(Record::Abort { txn }));
        out.push(Effect::Note(Note::TxnAbort {
            node: id,
            txn,
            reason,
        }));
        if let Some(since) = t.blocked_since_us.take() {
            out.push(Effect::Note(Note::TxnUnblocked {
                node: id,
                txn,
                blocked_us: now_us - since,
                outcome: Outcome::Abort,
            }));
        }
        self.release(id, txn, config, now_us, out);
    }

    /// Releases `txn`'s locks, then lets waiting transactions whose keys are all free go on,
    /// oldest first.
    fn release(
        &mut self,
        id: NodeId,
        txn: TxnId,
        config: &TwoPcConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        let keys: Vec<Key> = self
            .locks
            .iter()
            .filter(|(_, holder)| **holder == txn)
            .map(|(k, _)| *k)
            .collect();
        if keys.is_empty() {
            return;
        }
        for k in &keys {
            self.locks.remove(k);
        }
        out.push(Effect::Note(Note::TxnRelease {
            node: id,
            txn,
            keys,
        }));
        let mut i = 0;
        while i < self.waiting.len() {
            let next = self.waiting[i];
            if self.free(next) {
                self.waiting.remove(i);
                self.lock_and_vote_yes(id, next, config, now_us, out);
            } else {
                i += 1;
            }
        }
    }

    /// Cooperative termination, the answering side.
    fn on_inquire(
        &mut self,
        id: NodeId,
        from: NodeId,
        txn: TxnId,
        config: &TwoPcConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        let state = self.txns.get(&txn).map(|t| t.state);
        let answer = match state {
            Some(PState::Committed) => Message::Decision {
                txn,
                outcome: Outcome::Commit,
            },
            Some(PState::Aborted) => Message::Decision {
                txn,
                outcome: Outcome::Abort,
            },
            Some(PState::Prepared) => Message::Uncertain { txn },
            Some(PState::Waiting) | None => {
                // Not voted: it may abort, and does, so the asker can too.
                if state.is_none() {
                    self.txns.insert(txn, aborted_stub(now_us));
                }
                self.abort(id, txn, AbortReason::Unvoted, config, now_us, out);
                let to = self
                    .txns
                    .get(&txn)
                    .map_or(self.leader_hint, |t| t.coordinator);
                send_vote(to, txn, false, out);
                Message::Decision {
                    txn,
                    outcome: Outcome::Abort,
                }
            }
        };
        out.push(Effect::Send {
            to: Addr::Node(from),
            msg: answer,
        });
    }

    /// A member of the coordinator group that does not lead named the one it knows of: ask
    /// it at once, if this participant is still in doubt.
    fn on_redirect(
        &mut self,
        id: NodeId,
        from: NodeId,
        txn: TxnId,
        leader: Option<NodeId>,
        out: &mut Out,
    ) {
        let Some(leader) = leader.filter(|l| *l != from) else {
            return;
        };
        self.leader_hint = leader;
        if !self.in_doubt.contains(&txn) {
            return;
        }
        out.push(Effect::Note(Note::TxnInquire {
            node: id,
            txn,
            asked: vec![leader],
        }));
        out.push(Effect::Send {
            to: Addr::Node(leader),
            msg: Message::Inquire { txn },
        });
    }

    /// The learner's "vote no": on the oldest transaction waiting for locks, or the next one.
    pub fn vote_no_command(&mut self, id: NodeId, config: &TwoPcConfig, out: &mut Out) {
        match self.waiting.first().copied() {
            Some(txn) => self.vote_no(id, txn, VoteReason::Told, out),
            None => self.vote_no_next = true,
        }
        self.arm(config, out);
    }

    /// The tick: lock waits that ran out vote no; prepared transactions whose decision is late
    /// are blocked and ask (or, under `commit-on-timeout`, commit).
    pub fn on_tick(&mut self, id: NodeId, config: &TwoPcConfig, now_us: Micros, out: &mut Out) {
        self.tick_armed = false;
        let timed_out: Vec<TxnId> = self
            .waiting
            .iter()
            .filter(|txn| now_us >= self.txns[*txn].since_us + config.lock_wait_us)
            .copied()
            .collect();
        for txn in timed_out {
            self.vote_no(id, txn, VoteReason::LockTimeout, out);
        }
        let late: Vec<TxnId> = self
            .in_doubt
            .iter()
            .filter(|txn| now_us >= self.txns[*txn].since_us + config.decision_timeout_us)
            .copied()
            .collect();
        for txn in late {
            if config.bugs.commit_on_timeout {
                self.commit(id, id, txn, CommitReason::Timeout, config, now_us, out);
                continue;
            }
            let t = self.txns.get_mut(&txn).expect("known transaction");
            t.since_us = now_us;
            if t.blocked_since_us.is_none() {
                t.blocked_since_us = Some(now_us);
                let bound_us = config
                    .coordinator
                    .is_raft()
                    .then(|| super::checks::blocking_bound_us(config));
                out.push(Effect::Note(Note::TxnBlocked {
                    node: id,
                    txn,
                    bound_us,
                }));
            }
            // The coordinator first (the member believed to lead; every member once that
            // went unanswered), then the other participants.
            let coordinators = if t.inquiries == 0 || !config.coordinator.is_raft() {
                vec![self.leader_hint]
            } else {
                config.group_members()
            };
            t.inquiries += 1;
            let asked: Vec<NodeId> = coordinators
                .into_iter()
                .chain(t.participants.iter().copied().filter(|p| *p != id))
                .collect();
            for to in &asked {
                out.push(Effect::Send {
                    to: Addr::Node(*to),
                    msg: Message::Inquire { txn },
                });
            }
            out.push(Effect::Note(Note::TxnInquire {
                node: id,
                txn,
                asked,
            }));
        }
        self.arm(config, out);
    }
}

fn prepared_record(txn: TxnId, t: &PTxn) -> Record {
    Record::Prepared {
        txn,
        keys: t.keys.clone(),
        writes: t.writes.clone(),
        participants: t.participants.clone(),
    }
}

/// A transaction known only as aborted (it never got, or never kept, a request to prepare).
fn aborted_stub(now_us: Micros) -> PTxn {
    PTxn {
        state: PState::Aborted,
        keys: Vec::new(),
        reads: Vec::new(),
        writes: Vec::new(),
        participants: Vec::new(),
        since_us: now_us,
        blocked_since_us: None,
        unlogged: false,
        coordinator: COORDINATOR,
        inquiries: 0,
    }
}

fn send_vote(to: NodeId, txn: TxnId, yes: bool, out: &mut Out) {
    out.push(Effect::Send {
        to: Addr::Node(to),
        msg: Message::Vote { txn, yes },
    });
}

fn send_ack(to: NodeId, txn: TxnId, out: &mut Out) {
    out.push(Effect::Send {
        to: Addr::Node(to),
        msg: Message::Ack { txn },
    });
}
