//! What exactly a broken property looked like, kept as data rather than as a sentence: the
//! command-line tool words it in English (`Display`), the page in the learner's language from
//! its catalogues.

use crate::sim::raft::kv::Command;
use crate::sim::types::{ClientId, LogIndex, NodeId, Term};
use std::fmt;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Election Safety: `node` became leader of `term`, which `first` already leads.
    SecondLeader {
        node: NodeId,
        first: NodeId,
        term: Term,
    },
    /// Leader Append-Only: leader `node` removed (`deleted`) or overwrote its own entry at `index`.
    LeaderRewrote {
        node: NodeId,
        index: LogIndex,
        deleted: bool,
    },
    /// Log Matching: `a` and `b` hold an entry of `term` at `index` but differ before it.
    LogsDiffer {
        a: NodeId,
        b: NodeId,
        term: Term,
        index: LogIndex,
    },
    /// Leader Completeness: `leader` leads `term` without the entry committed at `index`.
    LeaderLacksCommitted {
        leader: NodeId,
        term: Term,
        index: LogIndex,
    },
    /// State Machine Safety: two servers applied different entries at `index`.
    AppliedDifferently {
        first: NodeId,
        first_cmd: Rc<Command>,
        first_term: Term,
        node: NodeId,
        cmd: Rc<Command>,
        term: Term,
        index: LogIndex,
    },
    /// A client was told its operation took effect at `index`, where another entry
    /// (`applied`) or none at all was applied.
    AckedElsewhere {
        client: ClientId,
        op: u64,
        index: LogIndex,
        applied: Option<Rc<Command>>,
    },
    /// Linearizability: the reply differs from what the log order gives at `index`.
    WrongResult {
        client: ClientId,
        op: u64,
        key: String,
        got: Outcome,
        expected: Outcome,
    },
    /// Linearizability: the operation took effect at `index`, before an operation on the same
    /// key (at `earlier_done`) that had completed before it was even called.
    TookEffectTooEarly {
        client: ClientId,
        op: u64,
        key: String,
        index: LogIndex,
        earlier_done: LogIndex,
    },
    /// Recovery Replay: `node` rebuilt a state machine at `index` unlike the cluster's.
    RecoveredDiffers { node: NodeId, index: LogIndex },
}

/// What a client was told, or should have been: success and the value read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub ok: bool,
    pub value: Option<String>,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ok={} value={:?}", self.ok, self.value)
    }
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::SecondLeader { node, first, term } => {
                write!(f, "{node} became leader in term {term}, which {first} already leads")
            }
            Detail::LeaderRewrote {
                node,
                index,
                deleted,
            } => {
                let what = if *deleted {
                    "deleted entries from"
                } else {
                    "overwrote the entry at"
                };
                write!(f, "leader {node} {what} index {index} of its own log")
            }
            Detail::LogsDiffer { a, b, term, index } => write!(
                f,
                "{a} and {b} both hold an entry of term {term} at index {index}, but their logs differ up to it"
            ),
            Detail::LeaderLacksCommitted {
                leader,
                term,
                index,
            } => write!(
                f,
                "{leader} leads term {term} but its log lacks the committed entry at index {index}"
            ),
            Detail::AppliedDifferently {
                first,
                first_cmd,
                first_term,
                node,
                cmd,
                term,
                index,
            } => write!(
                f,
                "{first} applied \"{first_cmd}\" (term {first_term}) at index {index}, but {node} applied \"{cmd}\" (term {term})"
            ),
            Detail::AckedElsewhere {
                client,
                op,
                index,
                applied: Some(cmd),
            } => write!(
                f,
                "{client} was told its operation {op} took effect at index {index}, but the entry applied there is \"{cmd}\""
            ),
            Detail::AckedElsewhere {
                client,
                op,
                index,
                applied: None,
            } => write!(
                f,
                "{client} was told its operation {op} took effect at index {index}, which no server applied"
            ),
            Detail::WrongResult {
                client,
                op,
                key,
                got,
                expected,
            } => write!(
                f,
                "{client} operation {op} on \"{key}\" got {got}, but in log order it yields {expected}"
            ),
            Detail::TookEffectTooEarly {
                client,
                op,
                key,
                index,
                earlier_done,
            } => write!(
                f,
                "{client} operation {op} on \"{key}\" took effect at index {index}, before an operation (index {earlier_done}) that had completed before it was called"
            ),
            Detail::RecoveredDiffers { node, index } => write!(
                f,
                "{node} recovered a state machine at index {index} that differs from the cluster's at that index"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_words_name_nodes_terms_and_indexes() {
        let two_leaders = Detail::SecondLeader {
            node: NodeId(2),
            first: NodeId(1),
            term: Term(3),
        };
        assert_eq!(
            two_leaders.to_string(),
            "S2 became leader in term 3, which S1 already leads"
        );
        let wrong = Detail::WrongResult {
            client: ClientId(1),
            op: 7,
            key: "x".into(),
            got: Outcome {
                ok: true,
                value: None,
            },
            expected: Outcome {
                ok: true,
                value: Some("1".into()),
            },
        };
        assert!(wrong.to_string().contains("got ok=true value=None"));
        assert!(wrong
            .to_string()
            .contains("yields ok=true value=Some(\"1\")"));
    }
}
