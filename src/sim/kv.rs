//! The replicated state machine every log-replicating protocol shares (Raft, Multi-Paxos): a
//! key-value store with put, get, delete and compare-and-set, plus the table of client
//! sessions that makes retried requests take effect once (Raft paper, extended version,
//! section 8 "Client interaction"). `LogIndex` is the position in the replicated log (Raft's
//! index, Multi-Paxos's slot).

use crate::sim::fnv::{fnv1a, Fnv};
use crate::sim::types::{ClientId, LogIndex, NodeId};
use serde::{Deserialize, Serialize};
use std::collections::{btree_map, BTreeMap};
use std::fmt;

/// A command in the replicated log, serialized in traces as `{"op":"put","key":"x","value":"1"}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    /// The entry a new leader appends to commit entries of earlier terms (section 8).
    Noop,
    Put {
        key: String,
        value: String,
    },
    Get {
        key: String,
    },
    Delete {
        key: String,
    },
    /// Sets `key` to `value` only if it currently holds `expected` (`None`: absent).
    Cas {
        key: String,
        expected: Option<String>,
        value: String,
    },
    /// A new configuration of the servers that replicate the log (Raft thesis, chapter 4).
    /// The store ignores it, as it ignores a no-op; the protocol reads it from the log.
    Config(Configuration),
}

/// Which servers replicate the log: the voters, whose majorities elect leaders and commit
/// entries, and the learners, which receive the log without counting towards a majority
/// (thesis section 4.2.1). Both lists are sorted and disjoint. During a change by joint
/// consensus (the Raft paper's section 6), `old` holds the voters of C_old and `voters` those
/// of C_new: this C_old,new needs a majority of each; `old` is empty otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Configuration {
    pub voters: Vec<NodeId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub learners: Vec<NodeId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub old: Vec<NodeId>,
}

impl Configuration {
    /// Voters `voters` and no learners (the lists are sorted here).
    pub fn of_voters(mut voters: Vec<NodeId>) -> Configuration {
        voters.sort_unstable();
        voters.dedup();
        Configuration {
            voters,
            learners: Vec::new(),
            old: Vec::new(),
        }
    }

    /// A voter of C_new, or during a joint change of C_old (section 6: servers of either
    /// configuration vote and may lead).
    pub fn is_voter(&self, node: NodeId) -> bool {
        self.voters.binary_search(&node).is_ok() || self.old.binary_search(&node).is_ok()
    }

    /// Whether this is C_old,new, the joint configuration of a change by joint consensus.
    pub fn is_joint(&self) -> bool {
        !self.old.is_empty()
    }

    /// The voters of C_old that C_new drops, during a joint change: they vote too.
    pub fn old_only(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.old
            .iter()
            .copied()
            .filter(|n| self.voters.binary_search(n).is_err())
    }

    /// Whether the servers `yes` says yes to are a majority: of the voters, and during a
    /// joint change of C_old's voters as well (paper section 6: "agreement (for elections
    /// and entry commitment) requires separate majorities from both the old and new
    /// configurations").
    pub fn is_quorum(&self, yes: impl Fn(NodeId) -> bool) -> bool {
        let of = |ids: &[NodeId]| ids.iter().filter(|n| yes(**n)).count() > ids.len() / 2;
        of(&self.voters) && (self.old.is_empty() || of(&self.old))
    }

    /// The highest index that a majority holds, by `matched` (each voter's match index): of
    /// the voters, and during a joint change the lower of that and C_old's (section 6).
    pub fn quorum_index(&self, matched: impl Fn(NodeId) -> LogIndex) -> LogIndex {
        // The largest index that more than half of `ids` hold (at most 9 servers: no sort).
        let of = |ids: &[NodeId]| {
            ids.iter()
                .map(|n| matched(*n))
                .filter(|m| ids.iter().filter(|o| matched(**o) >= *m).count() > ids.len() / 2)
                .max()
                .unwrap_or_default()
        };
        match self.old.is_empty() {
            true => of(&self.voters),
            false => of(&self.voters).min(of(&self.old)),
        }
    }

    /// C_old,new for a change from this configuration to `next` (section 6); `next`'s
    /// learners are kept.
    pub fn joint_to(&self, next: &Configuration) -> Configuration {
        Configuration {
            old: self.voters.clone(),
            ..next.clone()
        }
    }

    /// C_new of a joint configuration: its new voters alone.
    pub fn new_only(&self) -> Configuration {
        Configuration {
            old: Vec::new(),
            ..self.clone()
        }
    }

    pub fn is_learner(&self, node: NodeId) -> bool {
        self.learners.binary_search(&node).is_ok()
    }

    /// A voter or a learner: a server the leader replicates to.
    pub fn contains(&self, node: NodeId) -> bool {
        self.is_voter(node) || self.is_learner(node)
    }

    /// The smallest number of voters that is a majority.
    pub fn quorum(&self) -> usize {
        self.voters.len() / 2 + 1
    }

    /// This configuration with `node` added as a learner (it is first caught up).
    pub fn with_learner(&self, node: NodeId) -> Configuration {
        let mut c = self.clone();
        if let Err(at) = c.learners.binary_search(&node) {
            c.learners.insert(at, node);
        }
        c
    }

    /// This configuration with learner `node` made a voter.
    pub fn promoted(&self, node: NodeId) -> Configuration {
        let mut c = self.without(node);
        if let Err(at) = c.voters.binary_search(&node) {
            c.voters.insert(at, node);
        }
        c
    }

    /// This configuration without `node`, voter or learner.
    pub fn without(&self, node: NodeId) -> Configuration {
        let mut c = self.clone();
        c.voters.retain(|n| *n != node);
        c.learners.retain(|n| *n != node);
        c
    }
}

impl fmt::Display for Configuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |ids: &[NodeId]| {
            ids.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        if self.is_joint() {
            write!(f, "{{{}}} → ", list(&self.old))?;
        }
        write!(f, "{{{}}}", list(&self.voters))?;
        if !self.learners.is_empty() {
            write!(f, " learners {{{}}}", list(&self.learners))?;
        }
        Ok(())
    }
}

impl Command {
    /// The key the command reads or writes, if any.
    pub fn key(&self) -> Option<&str> {
        match self {
            Command::Noop | Command::Config(_) => None,
            Command::Put { key, .. }
            | Command::Get { key }
            | Command::Delete { key }
            | Command::Cas { key, .. } => Some(key),
        }
    }

    /// Whether applying the command can change the store.
    pub fn is_write(&self) -> bool {
        !matches!(
            self,
            Command::Noop | Command::Get { .. } | Command::Config(_)
        )
    }

    /// The operation's name as it appears in traces.
    pub fn op_name(&self) -> &'static str {
        match self {
            Command::Noop => "noop",
            Command::Put { .. } => "put",
            Command::Get { .. } => "get",
            Command::Delete { .. } => "delete",
            Command::Cas { .. } => "cas",
            Command::Config(_) => "config",
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Noop => write!(f, "no-op"),
            Command::Config(c) => write!(f, "config {c}"),
            Command::Put { key, value } => write!(f, "put {key}={value}"),
            Command::Get { key } => write!(f, "get {key}"),
            Command::Delete { key } => write!(f, "delete {key}"),
            Command::Cas {
                key,
                expected,
                value,
            } => write!(
                f,
                "cas {key}: {}→{value}",
                expected.as_deref().unwrap_or("∅")
            ),
        }
    }
}

/// Who asked for a log entry: the client and its request number, for at-most-once application.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Origin {
    pub client: ClientId,
    pub request: u64,
}

/// What applying a command produced: the value read (get), the previous value (put, delete),
/// or whether a compare-and-set matched.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Outcome {
    /// The log index at which the command took effect.
    pub index: LogIndex,
    /// False only for a compare-and-set whose expectation did not hold.
    pub ok: bool,
    /// The value read, or the value before the write.
    pub value: Option<String>,
}

/// The key-value store and its client sessions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KvStore {
    pub data: BTreeMap<String, String>,
    /// The last request applied for each client and its outcome: a retry of it is answered
    /// from here instead of being applied twice.
    pub sessions: BTreeMap<ClientId, (u64, Outcome)>,
}

impl KvStore {
    /// Applies the command at `index`; a request already applied returns its first outcome.
    pub fn apply(&mut self, index: LogIndex, cmd: &Command, origin: Option<Origin>) -> Outcome {
        let Some(origin) = origin else {
            return execute(&mut self.data, index, cmd);
        };
        // One lookup of the client's session serves both the duplicate check and the update.
        match self.sessions.entry(origin.client) {
            btree_map::Entry::Occupied(mut session) => {
                let (last_request, last) = session.get_mut();
                if *last_request >= origin.request {
                    return last.clone();
                }
                let outcome = execute(&mut self.data, index, cmd);
                // Overwritten in place: the stored value's buffer is reused for the copy.
                *last_request = origin.request;
                last.index = outcome.index;
                last.ok = outcome.ok;
                last.value.clone_from(&outcome.value);
                outcome
            }
            btree_map::Entry::Vacant(session) => {
                let outcome = execute(&mut self.data, index, cmd);
                session.insert((origin.request, outcome.clone()));
                outcome
            }
        }
    }

    /// A digest of the data (not the sessions), equal for equal stores on every platform.
    pub fn digest(&self) -> u64 {
        let mut bytes = Vec::new();
        for (k, v) in &self.data {
            bytes.extend((k.len() as u64).to_le_bytes());
            bytes.extend(k.as_bytes());
            bytes.extend((v.len() as u64).to_le_bytes());
            bytes.extend(v.as_bytes());
        }
        fnv1a(&bytes)
    }

    /// The approximate size of a snapshot of this store, in bytes.
    pub fn image_bytes(&self) -> u64 {
        let data: usize = self.data.iter().map(|(k, v)| k.len() + v.len() + 8).sum();
        (data + self.sessions.len() * 24) as u64
    }
}

/// Runs `cmd` against the data at `index` (sessions aside).
fn execute(data: &mut BTreeMap<String, String>, index: LogIndex, cmd: &Command) -> Outcome {
    let (ok, value) = match cmd {
        Command::Noop | Command::Config(_) => (true, None),
        Command::Put { key, value } => (true, put(data, key, value)),
        Command::Get { key } => (true, data.get(key).cloned()),
        Command::Delete { key } => (true, data.remove(key)),
        Command::Cas {
            key,
            expected,
            value,
        } => {
            let current = data.get(key).cloned();
            if current == *expected {
                put(data, key, value);
                (true, current)
            } else {
                (false, current)
            }
        }
    };
    Outcome { index, ok, value }
}

/// Sets `key` to `value`; returns the value it replaces. The key is copied only when it is
/// new to the store.
fn put(data: &mut BTreeMap<String, String>, key: &str, value: &str) -> Option<String> {
    match data.get_mut(key) {
        Some(current) => Some(std::mem::replace(current, value.to_owned())),
        None => {
            data.insert(key.to_owned(), value.to_owned());
            None
        }
    }
}

/// The hash of a command with its origin, the same on every platform.
pub fn command_hash(cmd: &Command, client: Option<ClientId>, request: Option<u64>) -> u64 {
    let mut h = Fnv::default();
    h.bytes(cmd.op_name().as_bytes());
    match cmd {
        Command::Noop => {}
        Command::Put { key, value } => {
            h.field(key.as_bytes());
            h.field(value.as_bytes());
        }
        Command::Config(c) => {
            for n in &c.voters {
                h.bytes(&n.0.to_le_bytes());
            }
            h.bytes(&[0xfe]);
            for n in &c.learners {
                h.bytes(&n.0.to_le_bytes());
            }
            if c.is_joint() {
                h.bytes(&[0xfd]);
                for n in &c.old {
                    h.bytes(&n.0.to_le_bytes());
                }
            }
        }
        Command::Get { key } | Command::Delete { key } => h.field(key.as_bytes()),
        Command::Cas {
            key,
            expected,
            value,
        } => {
            h.field(key.as_bytes());
            match expected {
                Some(e) => h.field(e.as_bytes()),
                None => h.bytes(&[0xff]),
            }
            h.field(value.as_bytes());
        }
    }
    h.bytes(&client.map(|c| c.0 as u64 + 1).unwrap_or(0).to_le_bytes());
    h.bytes(&request.unwrap_or(0).to_le_bytes());
    h.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(key: &str, value: &str) -> Command {
        Command::Put {
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn commands_apply_in_order() {
        let mut kv = KvStore::default();
        kv.apply(LogIndex(1), &put("x", "1"), None);
        let cas_ok = Command::Cas {
            key: "x".into(),
            expected: Some("1".into()),
            value: "2".into(),
        };
        assert!(kv.apply(LogIndex(2), &cas_ok, None).ok);
        assert!(!kv.apply(LogIndex(3), &cas_ok, None).ok, "x is 2 now");
        let got = kv.apply(LogIndex(4), &Command::Get { key: "x".into() }, None);
        assert_eq!(got.value.as_deref(), Some("2"));
        kv.apply(LogIndex(5), &Command::Delete { key: "x".into() }, None);
        assert!(kv.data.is_empty());
    }

    /// Section 8: a retried request must not be applied twice.
    #[test]
    fn duplicate_request_is_applied_once() {
        let mut kv = KvStore::default();
        let origin = Origin {
            client: ClientId(1),
            request: 1,
        };
        let cas = Command::Cas {
            key: "x".into(),
            expected: None,
            value: "a".into(),
        };
        let first = kv.apply(LogIndex(1), &cas, Some(origin));
        let retry = kv.apply(LogIndex(2), &cas, Some(origin));
        assert!(first.ok);
        assert_eq!(first, retry, "the retry answers with the first outcome");
    }

    #[test]
    fn command_json_shape() {
        let json = serde_json::to_string(&put("x", "1")).unwrap();
        assert_eq!(json, r#"{"op":"put","key":"x","value":"1"}"#);
    }
}
