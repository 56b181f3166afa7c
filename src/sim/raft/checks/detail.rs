//! What exactly a broken property looked like, kept as data rather than as a sentence: the
//! command-line tool words it in English (`Display`), the page in the learner's language from
//! its catalogues.

use crate::i18n::Text;
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

impl Detail {
    /// The words, as catalogue keys and values (`violation.*`): one wording for the
    /// command-line tool (English) and the page (the learner's language).
    pub fn text(&self) -> Text {
        match self {
            Detail::SecondLeader { node, first, term } => Text::new("violation.second_leader")
                .with("node", node)
                .with("first", first)
                .with("term", term),
            Detail::LeaderRewrote {
                node,
                index,
                deleted: true,
            } => Text::new("violation.leader_deleted")
                .with("node", node)
                .with("index", index),
            Detail::LeaderRewrote {
                node,
                index,
                deleted: false,
            } => Text::new("violation.leader_overwrote")
                .with("node", node)
                .with("index", index),
            Detail::LogsDiffer { a, b, term, index } => Text::new("violation.logs_differ")
                .with("a", a)
                .with("b", b)
                .with("term", term)
                .with("index", index),
            Detail::LeaderLacksCommitted {
                leader,
                term,
                index,
            } => Text::new("violation.leader_lacks")
                .with("leader", leader)
                .with("term", term)
                .with("index", index),
            Detail::AppliedDifferently {
                first,
                first_cmd,
                first_term,
                node,
                cmd,
                term,
                index,
            } => Text::new("violation.applied_differently")
                .with("first", first)
                .with("first_cmd", first_cmd)
                .with("first_term", first_term)
                .with("node", node)
                .with("cmd", cmd)
                .with("term", term)
                .with("index", index),
            Detail::AckedElsewhere {
                client,
                op,
                index,
                applied: Some(cmd),
            } => Text::new("violation.acked_other")
                .with("client", client)
                .with("op", op)
                .with("index", index)
                .with("cmd", cmd),
            Detail::AckedElsewhere {
                client,
                op,
                index,
                applied: None,
            } => Text::new("violation.acked_unapplied")
                .with("client", client)
                .with("op", op)
                .with("index", index),
            Detail::WrongResult {
                client,
                op,
                key,
                got,
                expected,
            } => Text::new("violation.wrong_result")
                .with("client", client)
                .with("op", op)
                .with("key", key)
                .with_text("got", got.text())
                .with_text("expected", expected.text()),
            Detail::TookEffectTooEarly {
                client,
                op,
                key,
                index,
                earlier_done,
            } => Text::new("violation.too_early")
                .with("client", client)
                .with("op", op)
                .with("key", key)
                .with("index", index)
                .with("earlier", earlier_done),
            Detail::RecoveredDiffers { node, index } => Text::new("violation.recovered_differs")
                .with("node", node)
                .with("index", index),
        }
    }
}

impl Outcome {
    fn text(&self) -> Text {
        let result = Text::new(if self.ok {
            "violation.ok"
        } else {
            "violation.failed"
        });
        match &self.value {
            Some(value) => Text::new("violation.outcome_value")
                .with_text("result", result)
                .with("value", value),
            None => result,
        }
    }
}

/// In English, for the command-line tool.
impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english())
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
        assert_eq!(
            wrong.to_string(),
            "c1 operation 7 on \"x\" got ok, but in log order it gives ok, value \"1\""
        );
    }
}
