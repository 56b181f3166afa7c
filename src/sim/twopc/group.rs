//! The coordinator on Raft: a member of a 3- or 5-node coordinator group, which holds the
//! project's Raft server (`sim::raft::RaftNode`, not a second Raft) and, while it leads,
//! coordinates. This is how Spanner, CockroachDB and YugabyteDB remove two-phase commit's
//! blocking: the decision is replicated by consensus before anyone hears it, so the leader's
//! crash elects another member that knows every decision (Gray and Lamport, "Consensus on
//! Transaction Commit", 2006, section 4, makes the same point for Paxos Commit).
//!
//! The rules, each of which the checks or the tests hold it to:
//! - **Decision records in the log.** A decision is the entry
//!   `cas txn/<id>: ∅ → "<outcome> <reason> <participants>"` of the group's key-value store.
//!   The compare-and-set makes the first decision appended for a transaction the only one
//!   (a later proposal for it, by any leader, changes nothing), so a decision never changes.
//!   `put end/<id>` marks a commit that every participant acknowledged (the single
//!   coordinator's end record).
//! - **Held back until committed.** The leader sends a decision to the participants and the
//!   client only once the group has committed its record (Raft section 5.3: on a majority's
//!   disks), and sends what the store then holds, which is its own proposal unless another
//!   decision came first. Under the broken switch `decide-before-log` it sends a commit at
//!   once and appends its record only when every participant has acknowledged.
//! - **Take over only after an entry of its own term is committed.** A new leader does not
//!   know which entries of earlier terms are committed until one of its own term is (section
//!   5.4.2; the no-op entry of section 8). Only then does it coordinate: it resends every
//!   logged commit that has no end mark, and every logged abort, and answers inquiries.
//! - **Presumed abort through the log.** A participant that asks about a transaction with no
//!   logged decision, which this leader is not running (its predecessor was), gets abort,
//!   but only once `abort presumed` is committed in the log: the predecessor's commit record,
//!   if one is still on its way, then either is in the store first or can never be.
//! - **Followers do not coordinate.** A member that does not lead answers a client's request
//!   or a participant's inquiry with `Redirect` and the leader it knows, if any.
//!
//! Aborts are logged too (unlike the single coordinator's presumed abort, which logs none):
//! one more round of the group's log per abort buys a new leader the list of aborted
//! transactions to tell in-doubt participants at once.

use super::config::TwoPcConfig;
use super::coordinator::{begin_txn, phases_of, resend, CoordPhase, CoordTxn};
use super::message::{Message, Op, Outcome};
use super::note::{DecideReason, Note, Phase};
use super::record::Record;
use super::timer::{arm_tick, Timer};
use super::types::{Out, TxnId};
use crate::sim::protocol::Effect;
use crate::sim::raft::disk::{durable_of, record_of};
use crate::sim::raft::{self, Command, Entry, KvStore, RaftConfig, RaftEvent, RaftNode, Role};
use crate::sim::rng::SimRng;
use crate::sim::types::{Addr, ClientId, LogIndex, Micros, NodeId, Term};
use std::collections::{BTreeMap, BTreeSet};

/// What every decision record's store key starts with.
pub const DECISION_KEY_PREFIX: &str = "txn/";

/// The store key of `txn`'s decision record.
pub fn decision_key(txn: TxnId) -> String {
    format!("{DECISION_KEY_PREFIX}{txn}")
}

/// The store key that marks `txn`'s commit as acknowledged by every participant.
pub fn end_key(txn: TxnId) -> String {
    format!("end/{txn}")
}

/// A decision as the group's store holds it: `"commit all_yes 2,3,4"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    pub reason: DecideReason,
    pub participants: Vec<NodeId>,
}

impl Decision {
    pub fn encode(&self) -> String {
        let outcome = match self.outcome {
            Outcome::Commit => "commit",
            Outcome::Abort => "abort",
        };
        let parts: Vec<String> = self.participants.iter().map(|p| p.0.to_string()).collect();
        format!("{outcome} {} {}", self.reason.name(), parts.join(","))
    }

    /// The decision a store value holds; `None` for anything else (nothing but this module
    /// writes the group's store, so that is never expected).
    pub fn decode(value: &str) -> Option<Decision> {
        let mut words = value.split(' ');
        let outcome = match words.next()? {
            "commit" => Outcome::Commit,
            "abort" => Outcome::Abort,
            _ => return None,
        };
        let reason = DecideReason::from_name(words.next()?)?;
        let participants = match words.next() {
            None | Some("") => Vec::new(),
            Some(list) => list
                .split(',')
                .map(|p| p.parse().ok().map(NodeId))
                .collect::<Option<Vec<NodeId>>>()?,
        };
        Some(Decision {
            outcome,
            reason,
            participants,
        })
    }
}

/// What the coordinating leader keeps: the transactions it runs, and the inquiries waiting
/// for a presumed abort to be committed. A crash or a lost leadership drops all of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Lead {
    /// The term in which it took over.
    pub term: Term,
    pub txns: BTreeMap<TxnId, CoordTxn>,
    /// Participants waiting for the answer to their inquiry, by transaction, while a
    /// presumed abort is in the log.
    pub asking: BTreeMap<TxnId, BTreeSet<NodeId>>,
    /// Commits acknowledged by everyone whose end mark is in the log.
    pub ending: BTreeSet<TxnId>,
}

/// One member of the coordinator group.
#[derive(Clone, Debug)]
pub struct Member {
    pub raft: RaftNode,
    /// `Some` while it leads and has taken over (an entry of its term committed).
    pub lead: Option<Lead>,
    tick_armed: bool,
}

impl PartialEq for Member {
    /// Members compare by what they would do next: the Raft server by its persistent and
    /// volatile state as the checks see it, and the coordinating state.
    fn eq(&self, other: &Member) -> bool {
        self.lead == other.lead
            && self.raft.term() == other.raft.term()
            && self.raft.role() == other.raft.role()
            && self.raft.log() == other.raft.log()
            && self.raft.commit_index() == other.raft.commit_index()
            && self.raft.kv() == other.raft.kv()
    }
}

/// The Raft settings a member runs with: the run's, without snapshots (the group's log is
/// short, and a snapshot would need a file the participants' log does not have).
fn member_config(config: &TwoPcConfig) -> RaftConfig {
    RaftConfig {
        snapshot_every_entries: None,
        bugs: raft::Bugs::default(),
        ..config.group_raft.clone()
    }
}

/// The decision logged for `txn`, if any.
pub fn logged(kv: &KvStore, txn: TxnId) -> Option<Decision> {
    kv.data
        .get(&decision_key(txn))
        .and_then(|v| Decision::decode(v))
}

impl Member {
    pub fn start(
        id: NodeId,
        config: &TwoPcConfig,
        rng: &mut SimRng,
        observing: bool,
        out: &mut Out,
    ) -> Member {
        let mut raft_out = Vec::new();
        let mut raft = RaftNode::new(
            id,
            config.group_members(),
            member_config(config),
            rng,
            &mut raft_out,
        );
        raft.set_entry_notes(observing);
        let m = Member {
            raft,
            lead: None,
            tick_armed: false,
        };
        m.carry_out(id, raft_out, out);
        m
    }

    /// Recovery: the Raft server restarts from its records, with the entries it knew to be
    /// committed replayed into its store at once (so that it can answer as soon as it leads
    /// again); it coordinates nothing until it is elected and takes over.
    pub fn recover(
        id: NodeId,
        config: &TwoPcConfig,
        disk: &[Record],
        rng: &mut SimRng,
        observing: bool,
        out: &mut Out,
    ) -> Member {
        let mut durable = durable_of(disk.iter().filter_map(|r| match r {
            Record::Raft(r) => Some(r),
            _ => None,
        }));
        let mut kv = KvStore::default();
        for entry in durable.entries.iter().filter(|e| e.index <= durable.commit) {
            kv.apply(entry.index, &entry.cmd, entry.origin);
        }
        durable.replayed = Some((durable.commit, kv));
        let mut raft_out = Vec::new();
        let mut raft = RaftNode::recover(
            id,
            config.group_members(),
            member_config(config),
            durable,
            rng,
            &mut raft_out,
        );
        raft.set_entry_notes(observing);
        let m = Member {
            raft,
            lead: None,
            tick_armed: false,
        };
        m.carry_out(id, raft_out, out);
        m
    }

    /// The phases of its work, for the crash lines: a follower's, or the leader's
    /// transactions' (`leading` when it runs none).
    pub fn phases(&self) -> Vec<Phase> {
        match &self.lead {
            None if self.raft.role() == Role::Leader => vec![Phase::Leading],
            None => vec![Phase::Follower],
            Some(lead) => match phases_of(&lead.txns).as_slice() {
                [Phase::Idle] => vec![Phase::Leading],
                phases => phases.to_vec(),
            },
        }
    }

    /// Whether it coordinates now.
    pub fn coordinating(&self) -> bool {
        self.lead.is_some()
    }

    /// A Raft message from another member.
    pub fn on_raft(
        &mut self,
        ctx: Step<'_>,
        from: NodeId,
        msg: raft::Message,
        rng: &mut SimRng,
        out: &mut Out,
    ) {
        self.step_raft(
            ctx,
            raft::Input::Receive {
                from: Addr::Node(from),
                msg,
            },
            rng,
            out,
        );
    }

    /// One of its Raft's timers fired.
    pub fn on_raft_timer(&mut self, ctx: Step<'_>, timer: Timer, rng: &mut SimRng, out: &mut Out) {
        let input = match timer {
            Timer::RaftElection => raft::Input::ElectionTimeout,
            Timer::RaftHeartbeat => raft::Input::HeartbeatTimeout,
            Timer::Tick => return self.on_tick(ctx, out),
        };
        self.step_raft(ctx, input, rng, out);
    }

    /// Hands `input` to the Raft server, carries out what it asked, then acts on what it
    /// applied and on a change of leadership.
    fn step_raft(&mut self, ctx: Step<'_>, input: raft::Input, rng: &mut SimRng, out: &mut Out) {
        let applied_before = self.raft.last_applied();
        let mut raft_out = Vec::new();
        self.raft.handle(input, rng, &mut raft_out);
        self.carry_out(ctx.id, raft_out, out);
        self.after_raft(ctx, applied_before, out);
    }

    /// Raft's effects as the member's: its messages wrapped, its timers the member's Raft
    /// timers, its writes records of the member's log, its notes `group_raft` lines. Kept in
    /// Raft's order, so a vote or an append reply still leaves only after its write.
    fn carry_out(&self, id: NodeId, raft_out: Vec<raft::Effect>, out: &mut Out) {
        for effect in raft_out {
            match effect {
                Effect::Send { to, msg } => out.push(Effect::Send {
                    to,
                    msg: Message::Raft { raft: msg },
                }),
                Effect::SetTimer { timer, after_us } => out.push(Effect::SetTimer {
                    timer: own_timer(timer),
                    after_us,
                }),
                Effect::CancelTimer { timer } => out.push(Effect::CancelTimer {
                    timer: own_timer(timer),
                }),
                Effect::Persist(op) => {
                    // Snapshots are off for the group (`member_config`): nothing is lost here.
                    if let Some(record) = record_of(op) {
                        out.push(Effect::Persist(Record::Raft(record)));
                    }
                }
                Effect::Note(note) => out.push(Effect::Note(Note::GroupRaft {
                    event: RaftEvent::of_note(id, note),
                })),
            }
        }
    }

    /// After Raft stepped: stop coordinating on a lost leadership, act on every entry it
    /// applied, and take over once an entry of its own term is committed.
    fn after_raft(&mut self, ctx: Step<'_>, applied_before: LogIndex, out: &mut Out) {
        let leads_same_term = self.raft.role() == Role::Leader
            && self
                .lead
                .as_ref()
                .is_some_and(|l| l.term == self.raft.term());
        if self.lead.is_some() && !leads_same_term {
            let lead = self.lead.take().expect("checked just above");
            out.push(Effect::Note(Note::GroupStepDown {
                node: ctx.id,
                term: lead.term,
                dropped: lead.txns.len() as u64,
            }));
        }
        let applied: Vec<Entry> = (applied_before.0 + 1..=self.raft.last_applied().0)
            .filter_map(|i| self.raft.log().entry(LogIndex(i)).cloned())
            .collect();
        for entry in applied {
            self.on_applied(ctx, &entry, out);
        }
        let own_term_committed =
            self.raft.log().term_at(self.raft.commit_index()) == Some(self.raft.term());
        if self.raft.role() == Role::Leader && self.lead.is_none() && own_term_committed {
            self.take_over(ctx, out);
        }
        self.arm(ctx.config, out);
    }

    /// Section 5.4.2: everything committed is in this leader's store now. It resends every
    /// logged commit without an end mark (and waits for their acknowledgements) and every
    /// logged abort, and from now on answers for the group.
    fn take_over(&mut self, ctx: Step<'_>, out: &mut Out) {
        let mut lead = Lead {
            term: self.raft.term(),
            txns: BTreeMap::new(),
            asking: BTreeMap::new(),
            ending: BTreeSet::new(),
        };
        let (mut commits, mut aborts) = (0, 0);
        let kv = self.raft.kv();
        for (key, value) in kv.data.range("txn/".to_string()..) {
            let Some(txn) = key.strip_prefix("txn/").and_then(|t| t.parse().ok()) else {
                break;
            };
            let Some(d) = Decision::decode(value) else {
                continue;
            };
            match d.outcome {
                Outcome::Commit if !kv.data.contains_key(&end_key(txn)) => {
                    commits += 1;
                    send_all(txn, Outcome::Commit, &d.participants, out);
                    let commit = Message::Decision {
                        txn,
                        outcome: Outcome::Commit,
                    };
                    lead.txns.insert(
                        txn,
                        CoordTxn {
                            client: None,
                            parts: d
                                .participants
                                .iter()
                                .map(|p| (*p, commit.clone()))
                                .collect(),
                            phase: CoordPhase::Committing {
                                acked: BTreeSet::new(),
                                logged: true,
                            },
                            began_us: ctx.now_us,
                            sent_us: ctx.now_us,
                        },
                    );
                }
                Outcome::Commit => {}
                Outcome::Abort => {
                    aborts += 1;
                    send_all(txn, Outcome::Abort, &d.participants, out);
                }
            }
        }
        out.push(Effect::Note(Note::GroupTakeover {
            node: ctx.id,
            term: lead.term,
            commits,
            aborts,
        }));
        self.lead = Some(lead);
    }

    /// An entry the Raft server applied. Every member applies every entry; only the
    /// coordinating leader acts on them: a decision it (or an earlier leader) appended is
    /// now committed and may be told, and an end mark ends a commit.
    fn on_applied(&mut self, ctx: Step<'_>, entry: &Entry, out: &mut Out) {
        let Some(key) = entry.cmd.key() else {
            return;
        };
        let Some(lead) = self.lead.as_mut() else {
            if self.raft.role() == Role::Leader {
                self.committed_before_take_over(ctx, key, out);
            }
            return;
        };
        if let Some(txn) = key.strip_prefix("end/").and_then(|t| t.parse().ok()) {
            if lead.ending.remove(&txn) {
                out.push(Effect::Note(Note::TxnEnd { node: ctx.id, txn }));
            }
            return;
        }
        let Some(txn) = key.strip_prefix("txn/").and_then(|t| t.parse().ok()) else {
            return;
        };
        let Some(d) = logged(self.raft.kv(), txn) else {
            return;
        };
        if let Some(asking) = lead.asking.remove(&txn) {
            for to in asking {
                answer(ctx.id, txn, to, &d, out);
            }
        }
        let Some(t) = lead.txns.get_mut(&txn) else {
            return;
        };
        match t.phase {
            CoordPhase::Logging => {}
            // `decide-before-log`: the commit was told long ago; its record is in now, and
            // its end mark follows it (`on_ack`).
            CoordPhase::Committing { .. } | CoordPhase::Collecting { .. } => return,
        }
        out.push(Effect::Note(Note::TxnDecide {
            node: ctx.id,
            txn,
            outcome: d.outcome,
            reason: d.reason,
        }));
        tell(txn, t, d.outcome, out);
        match d.outcome {
            Outcome::Commit => {
                t.phase = CoordPhase::Committing {
                    acked: BTreeSet::new(),
                    logged: true,
                };
                t.sent_us = ctx.now_us;
            }
            Outcome::Abort => {
                lead.txns.remove(&txn);
            }
        }
    }

    /// A new leader commits its predecessors' last entries with the first entry of its own
    /// term, before it takes over: a decision or an end mark that only now became committed
    /// is noted as such (the predecessor may have crashed before it could), and told at the
    /// takeover that follows.
    fn committed_before_take_over(&self, ctx: Step<'_>, key: &str, out: &mut Out) {
        if let Some(txn) = key.strip_prefix("end/").and_then(|t| t.parse().ok()) {
            out.push(Effect::Note(Note::TxnEnd { node: ctx.id, txn }));
        } else if let Some(txn) = key.strip_prefix("txn/").and_then(|t| t.parse().ok()) {
            if let Some(d) = logged(self.raft.kv(), txn) {
                out.push(Effect::Note(Note::TxnDecide {
                    node: ctx.id,
                    txn,
                    outcome: d.outcome,
                    reason: d.reason,
                }));
            }
        }
    }

    /// A message from a client or a participant: handled while it coordinates; otherwise a
    /// request or an inquiry is redirected to the leader it knows of.
    pub fn on_message(&mut self, ctx: Step<'_>, from: Addr, msg: Message, out: &mut Out) {
        if self.lead.is_none() {
            self.redirect(ctx, from, &msg, out);
            return;
        }
        match (from, msg) {
            (Addr::Client(client), Message::Begin { txn, ops }) => {
                self.begin(ctx, client, txn, &ops, out)
            }
            (Addr::Node(p), Message::Vote { txn, yes }) => self.on_vote(ctx, p, txn, yes, out),
            (Addr::Node(p), Message::Ack { txn }) => self.on_ack(ctx, p, txn, out),
            (Addr::Node(p), Message::Inquire { txn }) => self.on_inquire(ctx, p, txn, out),
            _ => {}
        }
        self.arm(ctx.config, out);
    }

    /// A member that does not coordinate points the asker at the leader it knows of. A
    /// leader that has not taken over yet stays silent: the asker tries again on its timeout,
    /// by when it will have.
    fn redirect(&self, ctx: Step<'_>, from: Addr, msg: &Message, out: &mut Out) {
        if !matches!(msg, Message::Begin { .. } | Message::Inquire { .. })
            || self.raft.role() == Role::Leader
        {
            return;
        }
        let leader = self.raft.leader().filter(|l| *l != ctx.id);
        out.push(Effect::Send {
            to: from,
            msg: Message::Redirect {
                txn: msg.txn(),
                leader,
            },
        });
    }

    fn begin(&mut self, ctx: Step<'_>, client: ClientId, txn: TxnId, ops: &[Op], out: &mut Out) {
        let Some(lead) = self.lead.as_mut() else {
            return;
        };
        // A request sent again after a redirect or a leader change: a decided transaction is
        // answered from the log; one under way is already being run.
        if let Some(d) = logged(self.raft.kv(), txn) {
            out.push(Effect::Send {
                to: Addr::Client(client),
                msg: Message::Reply {
                    txn,
                    outcome: d.outcome,
                },
            });
            return;
        }
        if lead.txns.contains_key(&txn) || lead.asking.contains_key(&txn) {
            return;
        }
        let t = begin_txn(ctx.id, client, txn, ops, ctx.config, ctx.now_us, out);
        lead.txns.insert(txn, t);
    }

    fn on_vote(&mut self, ctx: Step<'_>, from: NodeId, txn: TxnId, yes: bool, out: &mut Out) {
        let Some(lead) = self.lead.as_mut() else {
            return;
        };
        let Some(t) = lead.txns.get_mut(&txn) else {
            // A vote for a transaction it does not run: answered if it is decided; otherwise
            // the participant will ask when its decision does not come.
            if let Some(d) = logged(self.raft.kv(), txn) {
                out.push(Effect::Send {
                    to: Addr::Node(from),
                    msg: Message::Decision {
                        txn,
                        outcome: d.outcome,
                    },
                });
            }
            return;
        };
        let CoordPhase::Collecting { yes: yeses } = &mut t.phase else {
            return;
        };
        if !yes {
            self.decide(ctx, txn, Outcome::Abort, DecideReason::VoteNo, out);
            return;
        }
        yeses.insert(from);
        if yeses.len() == t.parts.len() {
            self.decide(ctx, txn, Outcome::Commit, DecideReason::AllYes, out);
        }
    }

    /// The decision goes into the log and is held back until committed (`on_applied`);
    /// under `decide-before-log` a commit is told at once instead.
    fn decide(
        &mut self,
        ctx: Step<'_>,
        txn: TxnId,
        outcome: Outcome,
        reason: DecideReason,
        out: &mut Out,
    ) {
        let Some(lead) = self.lead.as_mut() else {
            return;
        };
        let Some(t) = lead.txns.get_mut(&txn) else {
            return;
        };
        let participants: Vec<NodeId> = t.parts.keys().copied().collect();
        if outcome == Outcome::Commit && ctx.config.bugs.decide_before_log {
            out.push(Effect::Note(Note::TxnDecide {
                node: ctx.id,
                txn,
                outcome,
                reason,
            }));
            tell(txn, t, outcome, out);
            t.phase = CoordPhase::Committing {
                acked: BTreeSet::new(),
                logged: false,
            };
            t.sent_us = ctx.now_us;
            return;
        }
        t.phase = CoordPhase::Logging;
        let decision = Decision {
            outcome,
            reason,
            participants,
        };
        self.propose_decision(ctx, txn, &decision, out);
    }

    /// Appends `cas txn/<id>: ∅ → decision` to the group's log.
    fn propose_decision(&mut self, ctx: Step<'_>, txn: TxnId, d: &Decision, out: &mut Out) {
        let cmd = Command::Cas {
            key: decision_key(txn),
            expected: None,
            value: d.encode(),
        };
        if let Some(index) = self.propose(ctx, cmd, out) {
            out.push(Effect::Note(Note::GroupPropose {
                node: ctx.id,
                txn,
                outcome: d.outcome,
                term: self.raft.term(),
                index,
            }));
        }
    }

    /// Appends `cmd` and carries out the Raft server's effects (a group whose other members
    /// are all caught up commits it when their replies come).
    fn propose(&mut self, ctx: Step<'_>, cmd: Command, out: &mut Out) -> Option<LogIndex> {
        let applied_before = self.raft.last_applied();
        let mut raft_out = Vec::new();
        let index = self.raft.propose(cmd, &mut raft_out);
        self.carry_out(ctx.id, raft_out, out);
        if self.raft.last_applied() > applied_before {
            self.after_raft(ctx, applied_before, out);
        }
        index
    }

    fn on_ack(&mut self, ctx: Step<'_>, from: NodeId, txn: TxnId, out: &mut Out) {
        let Some(lead) = self.lead.as_mut() else {
            return;
        };
        let Some(t) = lead.txns.get_mut(&txn) else {
            return;
        };
        let CoordPhase::Committing { acked, logged } = &mut t.phase else {
            return;
        };
        acked.insert(from);
        if acked.len() < t.parts.len() {
            return;
        }
        let unlogged = !*logged;
        let participants: Vec<NodeId> = t.parts.keys().copied().collect();
        lead.txns.remove(&txn);
        lead.ending.insert(txn);
        if unlogged {
            // `decide-before-log`: the commit record goes into the log only now.
            let d = Decision {
                outcome: Outcome::Commit,
                reason: DecideReason::AllYes,
                participants,
            };
            self.propose_decision(ctx, txn, &d, out);
        }
        let end = Command::Put {
            key: end_key(txn),
            value: String::new(),
        };
        self.propose(ctx, end, out);
    }

    /// A participant in doubt asks: a logged decision is answered; one on its way to the log
    /// or a transaction still collecting votes will be told; anything else is presumed
    /// aborted, through the log.
    fn on_inquire(&mut self, ctx: Step<'_>, from: NodeId, txn: TxnId, out: &mut Out) {
        if let Some(d) = logged(self.raft.kv(), txn) {
            answer(ctx.id, txn, from, &d, out);
            return;
        }
        let Some(lead) = self.lead.as_mut() else {
            return;
        };
        if let Some(t) = lead.txns.get(&txn) {
            if let CoordPhase::Committing { .. } = t.phase {
                // `decide-before-log`: told, not yet logged.
                let d = Decision {
                    outcome: Outcome::Commit,
                    reason: DecideReason::AllYes,
                    participants: Vec::new(),
                };
                answer(ctx.id, txn, from, &d, out);
            }
            return;
        }
        let asking = lead.asking.entry(txn).or_default();
        let first = asking.is_empty();
        asking.insert(from);
        if first {
            let d = Decision {
                outcome: Outcome::Abort,
                reason: DecideReason::Presumed,
                participants: vec![from],
            };
            self.propose_decision(ctx, txn, &d, out);
        }
    }

    /// The tick: abort what has waited too long for its votes, send again what has not been
    /// answered, and ask again for presumed aborts whose entry was lost with an old term.
    fn on_tick(&mut self, ctx: Step<'_>, out: &mut Out) {
        self.tick_armed = false;
        let Some(lead) = self.lead.as_mut() else {
            return;
        };
        let late: Vec<TxnId> = lead
            .txns
            .iter()
            .filter(|(_, t)| {
                matches!(t.phase, CoordPhase::Collecting { .. })
                    && ctx.now_us >= t.began_us + ctx.config.vote_timeout_us
            })
            .map(|(txn, _)| *txn)
            .collect();
        for txn in late {
            self.decide(ctx, txn, Outcome::Abort, DecideReason::VoteTimeout, out);
        }
        if let Some(lead) = self.lead.as_mut() {
            resend(&mut lead.txns, ctx.config, ctx.now_us, out);
        }
        self.arm(ctx.config, out);
    }

    fn arm(&mut self, config: &TwoPcConfig, out: &mut Out) {
        let pending = self.lead.as_ref().is_some_and(|l| !l.txns.is_empty());
        arm_tick(&mut self.tick_armed, pending, config, out);
    }
}

/// What a member's step needs besides its own state.
#[derive(Copy, Clone)]
pub struct Step<'a> {
    pub id: NodeId,
    pub config: &'a TwoPcConfig,
    pub now_us: Micros,
}

fn own_timer(timer: raft::Timer) -> Timer {
    match timer {
        raft::Timer::Election => Timer::RaftElection,
        raft::Timer::Heartbeat => Timer::RaftHeartbeat,
    }
}

/// The decision to every participant of the transaction and its outcome to its client.
fn tell(txn: TxnId, t: &CoordTxn, outcome: Outcome, out: &mut Out) {
    let participants: Vec<NodeId> = t.parts.keys().copied().collect();
    send_all(txn, outcome, &participants, out);
    if let Some(client) = t.client {
        out.push(Effect::Send {
            to: Addr::Client(client),
            msg: Message::Reply { txn, outcome },
        });
    }
}

fn send_all(txn: TxnId, outcome: Outcome, participants: &[NodeId], out: &mut Out) {
    for p in participants {
        out.push(Effect::Send {
            to: Addr::Node(*p),
            msg: Message::Decision { txn, outcome },
        });
    }
}

/// The answer to `to`'s inquiry, noted as the coordinator's answer.
fn answer(id: NodeId, txn: TxnId, to: NodeId, d: &Decision, out: &mut Out) {
    out.push(Effect::Note(Note::TxnAnswer {
        node: id,
        txn,
        to,
        outcome: d.outcome,
        presumed: d.reason == DecideReason::Presumed,
    }));
    out.push(Effect::Send {
        to: Addr::Node(to),
        msg: Message::Decision {
            txn,
            outcome: d.outcome,
        },
    });
}
