//! What the two-phase commit page shows, projected from the run: the coordinator's
//! transactions in progress and its log; each participant's locks, the transactions waiting
//! for them, the ones in doubt (blocked drawn unmistakably) and its log, every record marked
//! on disk or not yet; each recent transaction's timeline; the run's counters; its latest
//! events in words.

use super::model::{TwoPcEngine, TwoPcRun};
use super::timeline::{timelines, TxnTimeline};
use crate::sim::protocol::Event;
use crate::sim::twopc::config::COORDINATOR;
use crate::sim::twopc::coordinator::CoordPhase;
use crate::sim::twopc::group::DECISION_KEY_PREFIX;
use crate::sim::twopc::page::coordinating;
use crate::sim::twopc::participant::PState;
use crate::sim::twopc::txn_name;
use crate::sim::twopc::{CoordinatorKind, Key, Note, Outcome, TwoPcNode, TwoPcSettings, TxnId};
use crate::sim::types::{Micros, NodeId};
use crate::ui::i18n::{t, tf, words};
use crate::ui::shell::format::time;
use crate::ui::shell::latest::latest_events;
pub use crate::ui::shell::latest::EventView;

/// How many log records each node's panel shows (the newest), and how many events the
/// latest-events list shows from how many trace lines.
const LOG_SHOWN: usize = 6;
const EVENTS_SHOWN: usize = 10;
const EVENTS_SCAN_LINES: usize = 3_000;

/// One record of a node's write-ahead log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    /// Its position in the log, from 1.
    pub position: usize,
    /// `prepared`, `commit`, `abort` or `end`.
    pub kind: &'static str,
    pub txn: TxnId,
    /// Whether it is durable (synced), or still only in the page cache.
    pub on_disk: bool,
}

/// A transaction the coordinator is running.
#[derive(Clone, Debug, PartialEq)]
pub struct CoordTxnView {
    pub txn: TxnId,
    /// `collecting` or `committing`.
    pub phase: &'static str,
    /// Each participant and whether it has answered (voted yes, or acknowledged the commit).
    pub parts: Vec<(NodeId, bool)>,
}

/// A member of the coordinator group (the coordinator on Raft).
#[derive(Clone, Debug, PartialEq)]
pub struct MemberView {
    pub node: NodeId,
    pub up: bool,
    /// Its Raft role (`leader`, `follower`, `pre_candidate`, `candidate`), or `down`.
    pub role: &'static str,
    pub term: u64,
    /// Whether it coordinates now (leads, and has committed an entry of its term).
    pub coordinating: bool,
    /// Entries in its Raft log, and how many of them it knows committed.
    pub log_len: u64,
    pub commit: u64,
    /// Decision records in its replicated store.
    pub decisions: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CoordinatorView {
    pub node: NodeId,
    pub up: bool,
    pub txns: Vec<CoordTxnView>,
    pub log: Vec<LogLine>,
    pub log_len: usize,
}

/// A transaction prepared at a participant, waiting for its decision.
#[derive(Clone, Debug, PartialEq)]
pub struct InDoubt {
    pub txn: TxnId,
    /// Since when it has been blocked (its decision late), if it is.
    pub blocked_since_us: Option<Micros>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParticipantView {
    pub node: NodeId,
    pub up: bool,
    /// The keys this shard owns.
    pub keys: Vec<Key>,
    /// Each locked key, the transaction holding it, and whether that one is prepared.
    pub locks: Vec<(Key, TxnId, bool)>,
    /// Transactions waiting for locks, in arrival order.
    pub waiting: Vec<TxnId>,
    pub in_doubt: Vec<InDoubt>,
    pub vote_no_next: bool,
    pub log: Vec<LogLine>,
    pub log_len: usize,
}

impl ParticipantView {
    pub fn blocked(&self) -> bool {
        self.in_doubt.iter().any(|d| d.blocked_since_us.is_some())
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts {
    pub submitted: u64,
    pub committed: u64,
    pub aborted: u64,
    pub blocked: u64,
    pub blocked_ms: u64,
    pub violations: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TwoPcView {
    pub settings: TwoPcSettings,
    pub now_us: Micros,
    /// The node that coordinates (on Raft: the member that does, or node 1 while none does).
    pub coordinator: CoordinatorView,
    /// The coordinator group's members, node 1 first; empty with a single coordinator.
    pub group: Vec<MemberView>,
    pub participants: Vec<ParticipantView>,
    pub txns: Vec<TxnTimeline>,
    pub counts: Counts,
    pub events: Vec<EventView>,
    /// The violations the live checks found, in words.
    pub violations: Vec<String>,
    /// Whether the network is split (a partition or a cut is in force).
    pub partitioned: bool,
    /// Participants the coordinator cannot reach.
    pub cut_off: Vec<NodeId>,
}

impl TwoPcView {
    pub fn build(run: &TwoPcRun) -> TwoPcView {
        let sim = run.sim();
        let settings = sim.settings().clone();
        let c = sim.coverage();
        TwoPcView {
            now_us: sim.now_us(),
            coordinator: coordinator_view(sim),
            group: group_view(sim),
            participants: settings
                .twopc
                .participant_nodes()
                .map(|n| participant_view(sim, n))
                .collect(),
            txns: timelines(sim),
            counts: Counts {
                submitted: c.transactions,
                committed: c.commits,
                aborted: c.aborts,
                blocked: c.blocked,
                blocked_ms: c.blocked_ms,
                violations: sim.violations().len() as u64,
            },
            events: events(sim),
            violations: sim
                .violations()
                .iter()
                .take(3)
                .map(|v| {
                    let property = super::safety::checked(v.property);
                    tf(
                        "tp.violation_line",
                        &[
                            ("property", &t(property.name)),
                            ("time", &time(v.t)),
                            ("txn", &txn_name(v.txn)),
                            ("detail", &words(&v.detail.text())),
                        ],
                    )
                })
                .collect(),
            partitioned: sim.network().groups().is_some() || !sim.network().cuts().is_empty(),
            cut_off: {
                let from = coordinating(sim).map_or(COORDINATOR, |(node, _)| node);
                settings
                    .twopc
                    .participant_nodes()
                    .filter(|p| {
                        !sim.network().connected(from, *p) || !sim.network().connected(*p, from)
                    })
                    .collect()
            },
            settings,
        }
    }
}

fn log_of(sim: &TwoPcEngine, node: NodeId) -> (Vec<LogLine>, usize) {
    let Some(slot) = sim.node(node) else {
        return (Vec::new(), 0);
    };
    let frames = slot.disk.frames();
    let synced = slot.disk.synced_len();
    let lines = frames
        .iter()
        .enumerate()
        .skip(frames.len().saturating_sub(LOG_SHOWN))
        .map(|(i, f)| LogLine {
            position: i + 1,
            kind: f.record.name(),
            txn: f.record.txn(),
            on_disk: i < synced,
        })
        .collect();
    (lines, frames.len())
}

fn coordinator_view(sim: &TwoPcEngine) -> CoordinatorView {
    let running = coordinating(sim);
    let node = running.map_or(COORDINATOR, |(node, _)| node);
    let (log, log_len) = log_of(sim, node);
    let empty = std::collections::BTreeSet::new();
    let txns = running
        .map(|(_, txns)| {
            txns.iter()
                .map(|(txn, x)| {
                    let (phase, answered) = match &x.phase {
                        CoordPhase::Collecting { yes } => ("collecting", yes),
                        CoordPhase::Committing { acked, .. } => ("committing", acked),
                        // On Raft: every vote is in, the decision is in the group's log.
                        CoordPhase::Logging => ("logging", &empty),
                    };
                    CoordTxnView {
                        txn: *txn,
                        phase,
                        parts: x.parts.keys().map(|p| (*p, answered.contains(p))).collect(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    CoordinatorView {
        node,
        up: sim.node(node).is_some_and(|n| n.process.is_some()),
        txns,
        log,
        log_len,
    }
}

/// The coordinator group's members with their Raft state; empty for a single coordinator.
fn group_view(sim: &TwoPcEngine) -> Vec<MemberView> {
    let config = &sim.settings().twopc;
    if config.coordinator == CoordinatorKind::Single {
        return Vec::new();
    }
    config
        .group_members()
        .into_iter()
        .map(
            |node| match sim.node(node).and_then(|n| n.process.as_ref()) {
                Some(TwoPcNode::Member(m)) => MemberView {
                    node,
                    up: true,
                    role: m.raft.role().name(),
                    term: m.raft.term().0,
                    coordinating: m.coordinating(),
                    log_len: m.raft.log().last_index().0,
                    commit: m.raft.commit_index().0,
                    decisions: m
                        .raft
                        .kv()
                        .data
                        .keys()
                        .filter(|k| k.starts_with(DECISION_KEY_PREFIX))
                        .count(),
                },
                _ => MemberView {
                    node,
                    up: false,
                    role: "down",
                    term: 0,
                    coordinating: false,
                    log_len: 0,
                    commit: 0,
                    decisions: 0,
                },
            },
        )
        .collect()
}

fn participant_view(sim: &TwoPcEngine, node: NodeId) -> ParticipantView {
    let config = &sim.settings().twopc;
    let (log, log_len) = log_of(sim, node);
    let keys = (0..config.keys)
        .filter(|k| config.owner_of(*k) == node)
        .collect();
    let process = sim.node(node).and_then(|n| n.process.as_ref());
    let Some(TwoPcNode::Participant(p)) = process else {
        return ParticipantView {
            node,
            up: false,
            keys,
            locks: Vec::new(),
            waiting: Vec::new(),
            in_doubt: Vec::new(),
            vote_no_next: false,
            log,
            log_len,
        };
    };
    let prepared = |txn: &TxnId| p.txns.get(txn).is_some_and(|x| x.state == PState::Prepared);
    ParticipantView {
        node,
        up: true,
        keys,
        locks: p
            .locks
            .iter()
            .map(|(k, txn)| (*k, *txn, prepared(txn)))
            .collect(),
        waiting: p.waiting.clone(),
        in_doubt: p
            .in_doubt
            .iter()
            .map(|txn| InDoubt {
                txn: *txn,
                blocked_since_us: p.txns.get(txn).and_then(|x| x.blocked_since_us),
            })
            .collect(),
        vote_no_next: p.vote_no_next,
        log,
        log_len,
    }
}

/// The latest events worth reading, newest first.
fn events(sim: &TwoPcEngine) -> Vec<EventView> {
    latest_events(
        sim.trace(),
        EVENTS_SCAN_LINES,
        EVENTS_SHOWN,
        |_, line| match &line.event {
            Event::Crash { node } => Some(("crash", tf("tp.ev.crash", &[("node", node)]))),
            Event::Restart { node } => Some(("restart", tf("tp.ev.restart", &[("node", node)]))),
            Event::Protocol(note) => note_words(note),
            _ => None,
        },
    )
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Commit => t("tp.outcome.committed"),
        Outcome::Abort => t("tp.outcome.aborted"),
    }
}

fn names(nodes: &[NodeId]) -> String {
    nodes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(t("list.separator"))
}

fn note_words(note: &Note) -> Option<(&'static str, String)> {
    Some(match note {
        Note::TxnSubmit { client, txn, ops } => (
            "submit",
            tf(
                "tp.ev.submit",
                &[
                    ("client", client),
                    ("txn", &txn_name(*txn)),
                    ("count", &ops.len()),
                ],
            ),
        ),
        Note::TxnBegin {
            txn, participants, ..
        } => (
            "begin",
            tf(
                "tp.ev.begin",
                &[("txn", &txn_name(*txn)), ("nodes", &names(participants))],
            ),
        ),
        Note::TxnVote {
            node,
            txn,
            yes: true,
            ..
        } => (
            "vote-yes",
            tf(
                "tp.ev.vote_yes",
                &[("node", node), ("txn", &txn_name(*txn))],
            ),
        ),
        Note::TxnVote { node, txn, .. } => (
            "vote-no",
            tf("tp.ev.vote_no", &[("node", node), ("txn", &txn_name(*txn))]),
        ),
        Note::TxnDecide { txn, outcome, .. } => (
            "decide",
            tf(
                "tp.ev.decide",
                &[
                    ("txn", &txn_name(*txn)),
                    ("outcome", &outcome_word(*outcome)),
                ],
            ),
        ),
        Note::TxnCommit { node, txn, .. } => (
            "commit",
            tf("tp.ev.commit", &[("node", node), ("txn", &txn_name(*txn))]),
        ),
        Note::TxnAbort { node, txn, .. } => (
            "abort",
            tf("tp.ev.abort", &[("node", node), ("txn", &txn_name(*txn))]),
        ),
        Note::TxnBlocked { node, txn, .. } => (
            "blocked",
            tf("tp.ev.blocked", &[("node", node), ("txn", &txn_name(*txn))]),
        ),
        Note::TxnUnblocked {
            node,
            txn,
            blocked_us,
            outcome,
        } => (
            "unblocked",
            tf(
                "tp.ev.unblocked",
                &[
                    ("node", node),
                    ("txn", &txn_name(*txn)),
                    ("time", &crate::ui::shell::format::ms(*blocked_us)),
                    ("outcome", &outcome_word(*outcome)),
                ],
            ),
        ),
        Note::TxnInquire { node, txn, asked } => (
            "inquire",
            tf(
                "tp.ev.inquire",
                &[
                    ("node", node),
                    ("txn", &txn_name(*txn)),
                    ("nodes", &names(asked)),
                ],
            ),
        ),
        Note::TxnCooperative {
            node,
            txn,
            peer,
            outcome,
        } => (
            "cooperative",
            tf(
                "tp.ev.cooperative",
                &[
                    ("node", node),
                    ("txn", &txn_name(*txn)),
                    ("peer", peer),
                    ("outcome", &outcome_word(*outcome)),
                ],
            ),
        ),
        Note::TxnAnswer {
            txn,
            to,
            presumed: true,
            ..
        } => (
            "presumed",
            tf("tp.ev.presumed", &[("txn", &txn_name(*txn)), ("node", to)]),
        ),
        Note::TxnLockWait {
            node,
            txn,
            key,
            holder,
            ..
        } => (
            "lock-wait",
            tf(
                "tp.ev.lock_wait",
                &[
                    ("node", node),
                    ("txn", &txn_name(*txn)),
                    ("key", key),
                    ("holder", &txn_name(*holder)),
                ],
            ),
        ),
        Note::TxnGiveUp { client, txn } => (
            "give-up",
            tf(
                "tp.ev.give_up",
                &[("client", client), ("txn", &txn_name(*txn))],
            ),
        ),
        Note::CoordinatorRecovered {
            node, committing, ..
        } => (
            "recovered",
            tf(
                "tp.ev.coordinator_recovered",
                &[("node", node), ("count", committing)],
            ),
        ),
        Note::ParticipantRecovered { node, prepared, .. } => (
            "recovered",
            tf(
                "tp.ev.participant_recovered",
                &[("node", node), ("count", prepared)],
            ),
        ),
        // Shown by the timeline, the logs and the locks.
        Note::TxnReply { .. }
        | Note::TxnAnswer { .. }
        | Note::TxnEnd { .. }
        | Note::TxnRelease { .. }
        | Note::TxnCrashPhase { .. } => return None,
        // The coordinator group's lines: the page runs a single coordinator.
        Note::GroupRaft { .. }
        | Note::GroupPropose { .. }
        | Note::GroupTakeover { .. }
        | Note::GroupStepDown { .. } => return None,
    })
}

/// A record kind in the learner's words.
pub fn record_word(kind: &str) -> &'static str {
    match kind {
        "prepared" => t("tp.record.prepared"),
        "commit" => t("tp.record.commit"),
        "abort" => t("tp.record.abort"),
        _ => t("tp.record.end"),
    }
}

/// Whether the rule forces `kind` to disk before the node goes on (prepared and commit
/// records; presumed abort writes abort and end records lazily).
pub fn forced_by_rule(kind: &str) -> bool {
    matches!(kind, "prepared" | "commit")
}
