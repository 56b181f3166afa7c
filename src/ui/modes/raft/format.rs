//! Words for what a Raft run reports: its messages, roles and trace lines.

use crate::sim::net::DropReason;
use crate::sim::raft::RaftEvent;
use crate::sim::raft::{ClientReply, Message, Role};
use crate::sim::trace::TraceEvent;
use crate::sim::types::Addr;
use crate::ui::i18n::{t, tf};
use crate::ui::shell::format::{addr, opt_node};

/// A message type in words, as the legend names it.
pub fn type_words(type_name: &str) -> &'static str {
    match type_name {
        "RequestVote" => "RequestVote",
        "PreVote" => t("type.pre_vote"),
        "RequestVoteReply" => t("type.vote_reply"),
        "PreVoteReply" => t("type.pre_vote_reply"),
        "Heartbeat" => t("type.heartbeat"),
        "AppendEntries" => "AppendEntries",
        "AppendEntriesReply" => t("type.append_reply"),
        "InstallSnapshot" => "InstallSnapshot",
        "InstallSnapshotReply" => t("type.snapshot_reply"),
        "TimeoutNow" => "TimeoutNow",
        "ClientRequest" => t("type.client_request"),
        "ClientReply" => t("type.client_reply"),
        _ => t("type.message"),
    }
}

/// A message's fields in one line.
pub fn message(msg: &Message) -> String {
    match msg {
        Message::RequestVote {
            term,
            candidate,
            last_log_index,
            last_log_term,
            pre_vote,
            transfer,
        } => {
            let mut s = tf(
                "msg.request_vote",
                &[
                    ("term", term),
                    ("candidate", candidate),
                    ("index", last_log_index),
                    ("log_term", last_log_term),
                ],
            );
            if *pre_vote {
                s = tf("msg.pre_vote", &[("fields", &s)]);
            }
            if *transfer {
                s = tf("msg.transfer", &[("fields", &s)]);
            }
            s
        }
        Message::RequestVoteReply {
            term,
            granted,
            pre_vote,
        } => {
            let s = if *granted {
                tf("msg.vote_granted", &[("term", term)])
            } else {
                tf("msg.vote_refused", &[("term", term)])
            };
            if *pre_vote {
                tf("msg.pre_vote", &[("fields", &s)])
            } else {
                s
            }
        }
        Message::AppendEntries {
            term,
            leader,
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
        } => {
            let carried = match entries.len() {
                0 => t("msg.no_entries").to_string(),
                1 => tf(
                    "msg.one_entry",
                    &[("index", &entries[0].index), ("cmd", &entries[0].cmd)],
                ),
                n => tf(
                    "msg.entries",
                    &[
                        ("count", &n),
                        ("first", &entries[0].index),
                        ("last", &entries[n - 1].index),
                    ],
                ),
            };
            tf(
                "msg.append_entries",
                &[
                    ("term", term),
                    ("leader", leader),
                    ("index", prev_log_index),
                    ("log_term", prev_log_term),
                    ("commit", leader_commit),
                    ("entries", &carried),
                ],
            )
        }
        Message::AppendEntriesReply {
            term,
            success,
            match_index,
            conflict_index,
            ..
        } => {
            if *success {
                tf("msg.append_ok", &[("term", term), ("match", match_index)])
            } else {
                tf(
                    "msg.append_failed",
                    &[("term", term), ("conflict", conflict_index)],
                )
            }
        }
        Message::InstallSnapshot {
            term,
            leader,
            snapshot,
        } => tf(
            "msg.install_snapshot",
            &[
                ("term", term),
                ("leader", leader),
                ("index", &snapshot.last_index),
                ("log_term", &snapshot.last_term),
            ],
        ),
        Message::InstallSnapshotReply { term, last_index } => tf(
            "msg.snapshot_installed",
            &[("term", term), ("index", last_index)],
        ),
        Message::TimeoutNow { term, leader } => {
            tf("msg.timeout_now", &[("term", term), ("leader", leader)])
        }
        Message::ClientRequest { request, cmd, .. } => {
            tf("msg.client_request", &[("request", request), ("cmd", cmd)])
        }
        Message::ClientReply { request, reply } => match reply {
            ClientReply::Done { outcome } => {
                let s = tf(
                    "msg.client_done",
                    &[("request", request), ("index", &outcome.index)],
                );
                match &outcome.value {
                    Some(v) => tf("msg.with_value", &[("text", &s), ("value", v)]),
                    None => s,
                }
            }
            ClientReply::NotLeader { leader } => tf(
                "msg.not_leader",
                &[("request", request), ("leader", &opt_node(*leader))],
            ),
        },
    }
}

/// A trace line in words.
pub fn event(e: &TraceEvent) -> String {
    match e {
        TraceEvent::Send {
            id,
            from,
            to,
            deliver_t,
            msg,
        } => {
            let args: [(&str, &dyn std::fmt::Display); 5] = [
                ("from", &addr(*from)),
                ("to", &addr(*to)),
                ("type", &msg.type_name()),
                ("id", id),
                ("details", &message(msg)),
            ];
            if deliver_t.is_empty() {
                tf("event.send_lost", &args)
            } else if deliver_t.len() > 1 {
                tf("event.send_duplicated", &args)
            } else {
                tf("event.send", &args)
            }
        }
        TraceEvent::Deliver { id } => tf("event.deliver", &[("id", id)]),
        TraceEvent::Drop { id, reason } => {
            let why = match reason {
                DropReason::Loss => t("drop.loss"),
                DropReason::Partition => t("drop.partition"),
                DropReason::Crashed => t("drop.crashed"),
                DropReason::Recovering => t("drop.recovering"),
                DropReason::Manual => t("drop.manual"),
            };
            tf("event.drop", &[("id", id), ("reason", &why)])
        }
        TraceEvent::Crash { node } => tf("event.crash", &[("node", node)]),
        TraceEvent::Restart { node } => tf("event.restart", &[("node", node)]),
        TraceEvent::Partition { groups } => {
            let parts: Vec<String> = groups
                .iter()
                .map(|g| {
                    g.iter()
                        .map(|n| n.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            tf("event.partition", &[("groups", &parts.join(" | "))])
        }
        TraceEvent::Heal {} => t("event.heal").to_string(),
        TraceEvent::Cut { from, to } => tf("event.cut", &[("from", from), ("to", to)]),
        TraceEvent::Repair { from, to } => tf("event.repair", &[("from", from), ("to", to)]),
        TraceEvent::Protocol(RaftEvent::Role { node, term, role }) => tf(
            "event.role",
            &[
                ("node", node),
                ("role", &role_of(Some(*role)).1),
                ("term", term),
            ],
        ),
        TraceEvent::Protocol(RaftEvent::Vote {
            node,
            term,
            candidate,
        }) => tf(
            "event.vote",
            &[("node", node), ("candidate", candidate), ("term", term)],
        ),
        TraceEvent::Protocol(RaftEvent::LogAppend {
            node,
            index,
            term,
            cmd,
            ..
        }) => tf(
            "event.append",
            &[
                ("node", node),
                ("index", index),
                ("term", term),
                ("cmd", cmd),
            ],
        ),
        TraceEvent::Protocol(RaftEvent::LogTruncate { node, from }) => {
            tf("event.truncate", &[("node", node), ("index", from)])
        }
        TraceEvent::Protocol(RaftEvent::Snapshot {
            node,
            last_index,
            last_term,
        }) => tf(
            "event.snapshot",
            &[("node", node), ("index", last_index), ("term", last_term)],
        ),
        TraceEvent::Protocol(RaftEvent::Commit { node, index }) => {
            tf("event.commit", &[("node", node), ("index", index)])
        }
        TraceEvent::Protocol(RaftEvent::Apply {
            node, index, cmd, ..
        }) => tf(
            "event.apply",
            &[("node", node), ("index", index), ("cmd", cmd)],
        ),
        TraceEvent::Protocol(RaftEvent::ClientRequest { client, op, cmd }) => tf(
            "event.client_request",
            &[
                ("client", &addr(Addr::Client(*client))),
                ("cmd", cmd),
                ("op", op),
            ],
        ),
        TraceEvent::Protocol(RaftEvent::ClientReply {
            client,
            op,
            ok,
            index,
            value,
        }) => {
            let args: [(&str, &dyn std::fmt::Display); 3] = [
                ("client", &addr(Addr::Client(*client))),
                ("op", op),
                ("index", index),
            ];
            let s = if *ok {
                tf("event.client_reply_ok", &args)
            } else {
                tf("event.client_reply_failed", &args)
            };
            match value {
                Some(v) => tf("msg.with_value", &[("text", &s), ("value", v)]),
                None => s,
            }
        }
        // Disk and recovery events, and any the simulation adds later: kind and node.
        other => match other.node() {
            Some(n) => format!("{n}: {}", other.kind().replace('_', " ")),
            None => other.kind().replace('_', " "),
        },
    }
}

/// A hue for a term, so that entries of one term share a colour in the log table.
pub fn term_hue(term: u64) -> u64 {
    (term * 67 + 200) % 360
}

/// The `data-role` hook of a role, and its word on the page.
pub fn role_of(raft: Option<Role>) -> (&'static str, &'static str) {
    match raft {
        None => ("crashed", t("role.crashed")),
        Some(Role::Follower) => ("follower", t("role.follower")),
        Some(Role::PreCandidate) => ("candidate", t("role.pre_candidate")),
        Some(Role::Candidate) => ("candidate", t("role.candidate")),
        Some(Role::Leader) => ("leader", t("role.leader")),
    }
}
