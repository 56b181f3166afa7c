//! The coordinator: it splits a client's transaction by shard, collects the votes, forces its
//! commit decision before announcing it, resends it until every participant has acknowledged,
//! and writes an end record (Gray and Reuter, section 10.3; Bernstein et al., section 7.3).
//!
//! Presumed abort (Bernstein et al., section 7.4): an abort is neither logged nor
//! acknowledged, and a question about a transaction the coordinator has no record of is
//! answered "abort". What it must never do is forget a commit that anyone may have acted on,
//! so the commit record is forced before the first commit message leaves; a recovered
//! coordinator resends every commit whose end record is missing.

use super::config::TwoPcConfig;
use super::message::{Message, Op, Outcome};
use super::note::{DecideReason, Note, Phase};
use super::record::Record;
use super::types::{Out, TxnId};
use crate::sim::protocol::Effect;
use crate::sim::types::{Addr, ClientId, Micros, NodeId};
use std::collections::{BTreeMap, BTreeSet};

/// One transaction the coordinator is running.
#[derive(Clone, Debug, PartialEq)]
pub struct CoordTxn {
    /// Whom to tell the outcome; `None` after a recovery (the client has given up by then).
    pub client: Option<ClientId>,
    /// Each participant and its request to prepare (after a recovery, the commit decision:
    /// the log keeps only the participants).
    pub parts: BTreeMap<NodeId, Message>,
    pub phase: CoordPhase,
    /// When the votes were first asked for.
    pub began_us: Micros,
    /// When prepare requests or commit decisions last went out.
    pub sent_us: Micros,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CoordPhase {
    /// Phase one: the yes votes so far.
    Collecting { yes: BTreeSet<NodeId> },
    /// Phase two of a commit: the acknowledgements so far; `logged` is false only under
    /// `decide-before-log`, until every acknowledgement is in.
    Committing {
        acked: BTreeSet<NodeId>,
        logged: bool,
    },
    /// Coordinator on Raft only: the decision is appended to the group's log and held back
    /// until the group has committed it (`group.rs`).
    Logging,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Coordinator {
    pub txns: BTreeMap<TxnId, CoordTxn>,
    /// How transactions it no longer runs ended, as far as it remembers: an abort only until
    /// a crash (presumed abort needs no record of it), a commit from its log.
    pub finished: BTreeMap<TxnId, Outcome>,
    tick_armed: bool,
}

impl Coordinator {
    pub fn start() -> Coordinator {
        Coordinator::default()
    }

    /// Recovery: every commit without an end record is resent; everything else is forgotten
    /// and, if anyone asks, presumed aborted.
    pub fn recover(
        id: NodeId,
        config: &TwoPcConfig,
        disk: &[Record],
        now_us: Micros,
        out: &mut Out,
    ) -> Coordinator {
        let mut c = Coordinator::default();
        let mut committing: BTreeMap<TxnId, Vec<NodeId>> = BTreeMap::new();
        for record in disk {
            match record {
                Record::Commit { txn, participants } => {
                    committing.insert(*txn, participants.clone());
                }
                Record::End { txn } => {
                    committing.remove(txn);
                    c.finished.insert(*txn, Outcome::Commit);
                }
                Record::Prepared { .. } | Record::Abort { .. } | Record::Raft(_) => {}
            }
        }
        out.push(Effect::Note(Note::CoordinatorRecovered {
            node: id,
            committing: committing.len() as u64,
            ended: c.finished.len() as u64,
        }));
        for (txn, participants) in committing {
            for p in &participants {
                out.push(Effect::Send {
                    to: Addr::Node(*p),
                    msg: Message::Decision {
                        txn,
                        outcome: Outcome::Commit,
                    },
                });
            }
            let commit = Message::Decision {
                txn,
                outcome: Outcome::Commit,
            };
            let parts = participants
                .into_iter()
                .map(|p| (p, commit.clone()))
                .collect();
            c.txns.insert(
                txn,
                CoordTxn {
                    client: None,
                    parts,
                    phase: CoordPhase::Committing {
                        acked: BTreeSet::new(),
                        logged: true,
                    },
                    began_us: now_us,
                    sent_us: now_us,
                },
            );
        }
        c.arm(config, out);
        c
    }

    /// The phases its transactions are in, for the crash lines: collecting votes and
    /// committing, or idle.
    pub fn phases(&self) -> Vec<Phase> {
        phases_of(&self.txns)
    }

    fn arm(&mut self, config: &TwoPcConfig, out: &mut Out) {
        let pending = !self.txns.is_empty();
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
        match (from, msg) {
            (Addr::Client(client), Message::Begin { txn, ops }) => {
                self.begin(id, client, txn, &ops, config, now_us, out)
            }
            (Addr::Node(p), Message::Vote { txn, yes }) => {
                self.on_vote(id, p, txn, yes, config, now_us, out)
            }
            (Addr::Node(p), Message::Ack { txn }) => self.on_ack(id, p, txn, out),
            (Addr::Node(p), Message::Inquire { txn }) => self.on_inquire(id, p, txn, out),
            _ => {}
        }
        self.arm(config, out);
    }

    #[allow(clippy::too_many_arguments)]
    fn begin(
        &mut self,
        id: NodeId,
        client: ClientId,
        txn: TxnId,
        ops: &[Op],
        config: &TwoPcConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        // A copy of a request it has already taken (the network duplicates) is ignored.
        if self.txns.contains_key(&txn) || self.finished.contains_key(&txn) {
            return;
        }
        let t = begin_txn(id, client, txn, ops, config, now_us, out);
        self.txns.insert(txn, t);
    }

    #[allow(clippy::too_many_arguments)]
    fn on_vote(
        &mut self,
        id: NodeId,
        from: NodeId,
        txn: TxnId,
        yes: bool,
        config: &TwoPcConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        let Some(t) = self.txns.get_mut(&txn) else {
            // A vote for a transaction it has aborted (and remembers) is answered; for one it
            // has forgotten, the participant will ask when its decision does not come.
            if let Some(&outcome) = self.finished.get(&txn) {
                out.push(Effect::Send {
                    to: Addr::Node(from),
                    msg: Message::Decision { txn, outcome },
                });
            }
            return;
        };
        let CoordPhase::Collecting { yes: yeses } = &mut t.phase else {
            return; // a late copy of a vote
        };
        if !yes {
            self.decide(
                id,
                txn,
                Outcome::Abort,
                DecideReason::VoteNo,
                config,
                now_us,
                out,
            );
            return;
        }
        yeses.insert(from);
        if yeses.len() == t.parts.len() {
            self.decide(
                id,
                txn,
                Outcome::Commit,
                DecideReason::AllYes,
                config,
                now_us,
                out,
            );
        }
    }

    /// Phase two begins: the decision, forced first when it is a commit (presumed abort
    /// logs no abort), then sent to every participant and to the client.
    #[allow(clippy::too_many_arguments)]
    fn decide(
        &mut self,
        id: NodeId,
        txn: TxnId,
        outcome: Outcome,
        reason: DecideReason,
        config: &TwoPcConfig,
        now_us: Micros,
        out: &mut Out,
    ) {
        let Some(t) = self.txns.get_mut(&txn) else {
            return;
        };
        let participants: Vec<NodeId> = t.parts.keys().copied().collect();
        let log_first = !config.bugs.decide_before_log;
        if outcome == Outcome::Commit && log_first {
            out.push(Effect::Persist(Record::Commit {
                txn,
                participants: participants.clone(),
            }));
        }
        out.push(Effect::Note(Note::TxnDecide {
            node: id,
            txn,
            outcome,
            reason,
        }));
        for p in &participants {
            out.push(Effect::Send {
                to: Addr::Node(*p),
                msg: Message::Decision { txn, outcome },
            });
        }
        if let Some(client) = t.client {
            out.push(Effect::Send {
                to: Addr::Client(client),
                msg: Message::Reply { txn, outcome },
            });
        }
        match outcome {
            Outcome::Commit => {
                t.phase = CoordPhase::Committing {
                    acked: BTreeSet::new(),
                    logged: log_first,
                };
                t.sent_us = now_us;
            }
            Outcome::Abort => {
                // Presumed abort: no acknowledgements to wait for; forgotten at a crash.
                self.txns.remove(&txn);
                self.finished.insert(txn, Outcome::Abort);
            }
        }
    }

    fn on_ack(&mut self, id: NodeId, from: NodeId, txn: TxnId, out: &mut Out) {
        let Some(t) = self.txns.get_mut(&txn) else {
            return;
        };
        let CoordPhase::Committing { acked, logged } = &mut t.phase else {
            return;
        };
        acked.insert(from);
        if acked.len() < t.parts.len() {
            return;
        }
        if !*logged {
            // `decide-before-log`: the commit record is written only now.
            out.push(Effect::Persist(Record::Commit {
                txn,
                participants: t.parts.keys().copied().collect(),
            }));
        }
        out.push(Effect::Persist(Record::End { txn }));
        out.push(Effect::Note(Note::TxnEnd { node: id, txn }));
        self.txns.remove(&txn);
        self.finished.insert(txn, Outcome::Commit);
    }

    /// A participant in doubt asks. While the votes are still coming the decision will follow;
    /// a transaction it has no record of was aborted (presumed abort).
    fn on_inquire(&mut self, id: NodeId, from: NodeId, txn: TxnId, out: &mut Out) {
        let (outcome, presumed) = match (self.txns.get(&txn), self.finished.get(&txn)) {
            (Some(t), _) => match t.phase {
                CoordPhase::Collecting { .. } | CoordPhase::Logging => return,
                CoordPhase::Committing { .. } => (Outcome::Commit, false),
            },
            (None, Some(&outcome)) => (outcome, false),
            (None, None) => (Outcome::Abort, true),
        };
        out.push(Effect::Note(Note::TxnAnswer {
            node: id,
            txn,
            to: from,
            outcome,
            presumed,
        }));
        out.push(Effect::Send {
            to: Addr::Node(from),
            msg: Message::Decision { txn, outcome },
        });
    }

    /// The tick: abort what has waited too long for its votes, and send again what has not
    /// been answered.
    pub fn on_tick(&mut self, id: NodeId, config: &TwoPcConfig, now_us: Micros, out: &mut Out) {
        self.tick_armed = false;
        let late: Vec<TxnId> = self
            .txns
            .iter()
            .filter(|(_, t)| {
                matches!(t.phase, CoordPhase::Collecting { .. })
                    && now_us >= t.began_us + config.vote_timeout_us
            })
            .map(|(txn, _)| *txn)
            .collect();
        for txn in late {
            self.decide(
                id,
                txn,
                Outcome::Abort,
                DecideReason::VoteTimeout,
                config,
                now_us,
                out,
            );
        }
        resend(&mut self.txns, config, now_us, out);
        self.arm(config, out);
    }
}

/// The phases `txns` are in, for the crash lines: collecting votes (or logging the decision,
/// which nobody has heard yet) and committing, or idle.
pub(super) fn phases_of(txns: &BTreeMap<TxnId, CoordTxn>) -> Vec<Phase> {
    let collecting = txns
        .values()
        .any(|t| matches!(t.phase, CoordPhase::Collecting { .. } | CoordPhase::Logging));
    let committing = txns
        .values()
        .any(|t| matches!(t.phase, CoordPhase::Committing { .. }));
    match (collecting, committing) {
        (false, false) => vec![Phase::Idle],
        (true, false) => vec![Phase::Collecting],
        (false, true) => vec![Phase::Committing],
        (true, true) => vec![Phase::Collecting, Phase::Committing],
    }
}

/// Phase one begins: `ops` split by shard into one request to prepare for each participant
/// (sent, and noted), and the transaction as the coordinator keeps it while the votes come.
pub(super) fn begin_txn(
    id: NodeId,
    client: ClientId,
    txn: TxnId,
    ops: &[Op],
    config: &TwoPcConfig,
    now_us: Micros,
    out: &mut Out,
) -> CoordTxn {
    let mut by_owner: BTreeMap<NodeId, (Vec<_>, Vec<_>)> = BTreeMap::new();
    for op in ops {
        let (reads, writes) = by_owner.entry(config.owner_of(op.key)).or_default();
        match op.write {
            Some(v) => writes.push((op.key, v)),
            None => reads.push(op.key),
        }
    }
    let participants: Vec<NodeId> = by_owner.keys().copied().collect();
    let parts: BTreeMap<NodeId, Message> = by_owner
        .into_iter()
        .map(|(p, (reads, writes))| {
            let prepare = Message::Prepare {
                txn,
                reads,
                writes,
                participants: participants.clone(),
            };
            (p, prepare)
        })
        .collect();
    out.push(Effect::Note(Note::TxnBegin {
        node: id,
        txn,
        participants,
    }));
    for (p, prepare) in &parts {
        out.push(Effect::Send {
            to: Addr::Node(*p),
            msg: prepare.clone(),
        });
    }
    CoordTxn {
        client: Some(client),
        parts,
        phase: CoordPhase::Collecting {
            yes: BTreeSet::new(),
        },
        began_us: now_us,
        sent_us: now_us,
    }
}

/// Sends again what has not been answered within `resend_us`: requests to prepare without a
/// vote, commit decisions without an acknowledgement.
pub(super) fn resend(
    txns: &mut BTreeMap<TxnId, CoordTxn>,
    config: &TwoPcConfig,
    now_us: Micros,
    out: &mut Out,
) {
    for (txn, t) in txns.iter_mut() {
        if now_us < t.sent_us + config.resend_us {
            continue;
        }
        t.sent_us = now_us;
        match &t.phase {
            CoordPhase::Collecting { yes } => {
                for (p, prepare) in &t.parts {
                    if !yes.contains(p) {
                        out.push(Effect::Send {
                            to: Addr::Node(*p),
                            msg: prepare.clone(),
                        });
                    }
                }
            }
            CoordPhase::Committing { acked, .. } => {
                for p in t.parts.keys() {
                    if !acked.contains(p) {
                        out.push(Effect::Send {
                            to: Addr::Node(*p),
                            msg: Message::Decision {
                                txn: *txn,
                                outcome: Outcome::Commit,
                            },
                        });
                    }
                }
            }
            // The decision waits for the group's log, not for anyone's answer.
            CoordPhase::Logging => {}
        }
    }
}
