//! What the view service, the servers, the shared storage and the clients exchange. Each
//! message's fields are flattened into the trace's `send` line beside `id`, `from`, `to` and
//! `deliver_t`, tagged by `type`.

use super::types::{Entry, Seq, View};
use crate::sim::kv::{Command, KvStore, Outcome};
use crate::sim::types::ClientId;
use crate::sim::types::{Micros, NodeId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message {
    /// Server to view service: "I am alive and I hold view `view`" (6.824's `Ping(viewnum)`;
    /// a primary names the new view only once it is ready in it, which acknowledges it).
    /// `boot_us` tells a restarted server from one that was only quiet.
    Ping {
        view: u64,
        boot_us: Micros,
        sent_us: Micros,
    },
    /// View service to server: the current view, and whether the ping sent at `sent_us`
    /// earned the primary a lease (until `sent_us + lease_us` by the primary's reckoning).
    ViewReply {
        view: View,
        sent_us: Micros,
        lease: bool,
    },
    /// Primary to backup (or storage): apply `entry`, the primary's write at `entry.seq`,
    /// stamped with the primary's view so that older views can be refused (fencing).
    Forward {
        view: u64,
        entry: Entry,
    },
    /// Backup (or storage) to primary: everything through `through` is applied.
    ForwardAck {
        view: u64,
        through: Seq,
    },
    /// Primary to a backup of a new view: replace your state with this one, through `seq`
    /// (6.824: the primary copies its whole database to a new backup).
    Install {
        view: u64,
        seq: Seq,
        store: StoreImage,
    },
    InstallAck {
        view: u64,
        seq: Seq,
    },
    /// Backup (or storage) to a primary: your view is older than `view`; refused.
    Fenced {
        view: u64,
    },
    /// Cold mode, primary to storage: the state through `seq`, so a takeover need not replay
    /// the log before it.
    Checkpoint {
        view: u64,
        seq: Seq,
        store: StoreImage,
    },
    /// Cold mode, new primary to storage: fence every view below `view` and send me the last
    /// checkpoint and the log after it.
    Load {
        view: u64,
    },
    Loaded {
        view: u64,
        checkpoint_seq: Seq,
        store: StoreImage,
        entries: Vec<Entry>,
    },
    /// Client to server: run `cmd`, the client's request number `request`.
    Request {
        request: u64,
        cmd: Command,
    },
    /// Server to client: the operation took effect at `index` (see `types::write_index`).
    Reply {
        request: u64,
        index: u64,
        ok: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    },
    /// Server to client: not the serving primary; `primary` is the one it knows of.
    Redirect {
        request: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        primary: Option<NodeId>,
    },
}

/// A whole store on the wire (a state transfer, a checkpoint, a load): the data and the
/// client sessions as lists, since a trace line's flattened message cannot carry a map keyed
/// by client number back through the trace reader.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreImage {
    pub data: Vec<(String, String)>,
    pub sessions: Vec<(ClientId, u64, Outcome)>,
}

impl StoreImage {
    pub fn of(store: &KvStore) -> StoreImage {
        StoreImage {
            data: store
                .data
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            sessions: store
                .sessions
                .iter()
                .map(|(c, (r, o))| (*c, *r, o.clone()))
                .collect(),
        }
    }

    pub fn store(self) -> KvStore {
        KvStore {
            data: self.data.into_iter().collect(),
            sessions: self
                .sessions
                .into_iter()
                .map(|(c, r, o)| (c, (r, o)))
                .collect(),
        }
    }

    /// The approximate size of the image, in bytes.
    pub fn image_bytes(&self) -> u64 {
        let data: usize = self.data.iter().map(|(k, v)| k.len() + v.len() + 8).sum();
        (data + self.sessions.len() * 24) as u64
    }
}

impl Message {
    /// Size on the wire: a fixed header plus the values carried.
    pub fn bytes(&self) -> u64 {
        let body = match self {
            Message::ViewReply { view, .. } => 8 * view.backups.len() as u64,
            Message::Forward { entry, .. } => entry_bytes(entry),
            Message::Install { store, .. }
            | Message::Checkpoint { store, .. }
            | Message::Loaded { store, .. } => store.image_bytes(),
            Message::Request { cmd, .. } => command_bytes(cmd),
            Message::Reply { value, .. } => value.as_ref().map_or(0, |v| v.len() as u64),
            _ => 0,
        };
        let entries = match self {
            Message::Loaded { entries, .. } => entries.iter().map(entry_bytes).sum(),
            _ => 0,
        };
        32 + body + entries
    }
}

/// The bytes an entry takes: its position, origin and command.
pub fn entry_bytes(entry: &Entry) -> u64 {
    20 + command_bytes(&entry.cmd)
}

fn command_bytes(cmd: &Command) -> u64 {
    let text = |s: &str| 4 + s.len() as u64;
    1 + match cmd {
        Command::Noop => 0,
        Command::Put { key, value } => text(key) + text(value),
        Command::Get { key } | Command::Delete { key } => text(key),
        Command::Cas {
            key,
            expected,
            value,
        } => text(key) + expected.as_deref().map_or(1, text) + text(value),
        // Raft's configurations never reach a primary-backup log; sized as Paxos sizes them.
        Command::Config(c) => 4 * (c.voters.len() + c.learners.len()) as u64,
    }
}
