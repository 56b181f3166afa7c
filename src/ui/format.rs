//! Words for what the simulation reports: times, speeds, messages and trace lines.

use crate::sim::raft::{ClientReply, Message};
use crate::sim::trace::TraceEvent;
use crate::sim::types::{Addr, Micros, NodeId};

/// Simulated time as seconds with four decimals (a tenth of a millisecond).
pub fn time(us: Micros) -> String {
    format!("{}.{:04} s", us / 1_000_000, us % 1_000_000 / 100)
}

/// A short time for axis labels and the event log: milliseconds with one decimal.
pub fn ms(us: Micros) -> String {
    format!("{}.{} ms", us / 1000, us % 1000 / 100)
}

/// The speed factor as a learner reads it: "1/20×", "2×".
pub fn speed(factor: f64) -> String {
    if factor >= 0.95 {
        format!("{}×", super::geometry::num(factor))
    } else {
        let inverse = 1.0 / factor;
        let nice = if inverse >= 100.0 {
            (inverse / 10.0).round() as u64 * 10
        } else {
            inverse.round() as u64
        };
        format!("1/{nice}×")
    }
}

pub fn addr(a: Addr) -> String {
    match a {
        Addr::Node(n) => n.to_string(),
        Addr::Client(c) if c.0 == 0 => "you (client)".to_string(),
        Addr::Client(c) => format!("client {}", c.0),
    }
}

pub fn opt_node(n: Option<NodeId>) -> String {
    n.map_or_else(|| "—".to_string(), |n| n.to_string())
}

/// A message type in words, as the legend names it.
pub fn type_words(type_name: &str) -> &'static str {
    match type_name {
        "RequestVote" => "RequestVote",
        "PreVote" => "PreVote request",
        "RequestVoteReply" => "vote reply",
        "PreVoteReply" => "PreVote reply",
        "Heartbeat" => "heartbeat",
        "AppendEntries" => "AppendEntries",
        "AppendEntriesReply" => "append reply",
        "InstallSnapshot" => "InstallSnapshot",
        "InstallSnapshotReply" => "snapshot reply",
        "TimeoutNow" => "TimeoutNow",
        "ClientRequest" => "client request",
        "ClientReply" => "client reply",
        _ => "message",
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
        } => format!(
            "{}term {term}, candidate {candidate}, last log {last_log_index}@{last_log_term}{}",
            if *pre_vote { "pre-vote, " } else { "" },
            if *transfer {
                ", leadership transfer"
            } else {
                ""
            }
        ),
        Message::RequestVoteReply {
            term,
            granted,
            pre_vote,
        } => format!(
            "{}term {term}, {}",
            if *pre_vote { "pre-vote, " } else { "" },
            if *granted { "granted" } else { "refused" }
        ),
        Message::AppendEntries {
            term,
            leader,
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
        } => {
            let mut s = format!(
                "term {term}, leader {leader}, prev {prev_log_index}@{prev_log_term}, commit {leader_commit}, "
            );
            match entries.len() {
                0 => s.push_str("no entries"),
                1 => s.push_str(&format!("entry {}: {}", entries[0].index, entries[0].cmd)),
                n => s.push_str(&format!(
                    "{n} entries {}..{}",
                    entries[0].index,
                    entries[n - 1].index
                )),
            }
            s
        }
        Message::AppendEntriesReply {
            term,
            success,
            match_index,
            conflict_index,
            ..
        } => {
            if *success {
                format!("term {term}, success, match {match_index}")
            } else {
                format!("term {term}, failure, conflict at {conflict_index}")
            }
        }
        Message::InstallSnapshot {
            term,
            leader,
            snapshot,
        } => format!(
            "term {term}, leader {leader}, snapshot up to {}@{}",
            snapshot.last_index, snapshot.last_term
        ),
        Message::InstallSnapshotReply { term, last_index } => {
            format!("term {term}, installed up to {last_index}")
        }
        Message::TimeoutNow { term, leader } => {
            format!("term {term}, from leader {leader}: start an election now")
        }
        Message::ClientRequest { request, cmd, .. } => format!("request {request}: {cmd}"),
        Message::ClientReply { request, reply } => match reply {
            ClientReply::Done { outcome } => format!(
                "request {request}: done at index {}{}",
                outcome.index,
                outcome
                    .value
                    .as_ref()
                    .map_or(String::new(), |v| format!(", value {v}"))
            ),
            ClientReply::NotLeader { leader } => {
                format!(
                    "request {request}: not the leader (try {})",
                    opt_node(*leader)
                )
            }
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
            let fate = if deliver_t.is_empty() {
                " — lost"
            } else if deliver_t.len() > 1 {
                " — duplicated"
            } else {
                ""
            };
            format!(
                "{} → {}: {} {id} ({}){fate}",
                addr(*from),
                addr(*to),
                msg.type_name(),
                message(msg)
            )
        }
        TraceEvent::Deliver { id } => format!("{id} delivered"),
        TraceEvent::Drop { id, reason } => format!("{id} dropped ({reason:?})").to_lowercase(),
        TraceEvent::Crash { node } => format!("{node} crashed"),
        TraceEvent::Restart { node } => format!("{node} restarted from its disk"),
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
            format!("network split: {}", parts.join(" | "))
        }
        TraceEvent::Heal {} => "network healed".to_string(),
        TraceEvent::Cut { from, to } => format!("link {from} → {to} cut"),
        TraceEvent::Repair { from, to } => format!("link {from} → {to} repaired"),
        TraceEvent::Role { node, term, role } => format!(
            "{node} becomes {} in term {term}",
            super::view::role_of(Some(*role)).1
        ),
        TraceEvent::Vote {
            node,
            term,
            candidate,
        } => format!("{node} votes for {candidate} in term {term}"),
        TraceEvent::LogAppend {
            node,
            index,
            term,
            cmd,
            ..
        } => format!("{node} appends {index}@{term}: {cmd}"),
        TraceEvent::LogTruncate { node, from } => format!("{node} truncates its log from {from}"),
        TraceEvent::Snapshot {
            node,
            last_index,
            last_term,
        } => format!("{node} snapshots up to {last_index}@{last_term}"),
        TraceEvent::Commit { node, index } => format!("{node} commits up to {index}"),
        TraceEvent::Apply {
            node, index, cmd, ..
        } => format!("{node} applies {index}: {cmd}"),
        TraceEvent::ClientRequest { client, op, cmd } => {
            format!("{} asks {cmd} (op {op})", addr(Addr::Client(*client)))
        }
        TraceEvent::ClientReply {
            client,
            op,
            ok,
            index,
            value,
        } => format!(
            "{} gets its answer to op {op}: {} at index {index}{}",
            addr(Addr::Client(*client)),
            if *ok { "ok" } else { "not applied" },
            value
                .as_ref()
                .map_or(String::new(), |v| format!(", value {v}"))
        ),
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
