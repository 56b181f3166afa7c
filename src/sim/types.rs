//! Identifiers and positions shared by every protocol: newtypes so that a term is never
//! mistaken for an index.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Simulated time in integer microseconds since the start of a run.
pub type Micros = u64;

/// Microseconds in one millisecond, for settings written in milliseconds.
pub const MICROS_PER_MS: Micros = 1_000;

macro_rules! newtype {
    ($(#[$doc:meta])* $name:ident($inner:ty), $prefix:literal) => {
        $(#[$doc])*
        #[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

newtype!(
    /// A node of the cluster, numbered from 1.
    NodeId(u32),
    "S"
);
newtype!(
    /// A Raft term (Raft paper, section 5.1).
    Term(u64),
    ""
);
newtype!(
    /// A position in the replicated log, starting at 1; 0 means "before the first entry".
    LogIndex(u64),
    ""
);
newtype!(
    /// A simulated client of the cluster.
    ClientId(u32),
    "c"
);
newtype!(
    /// A message on the simulated network, unique within a run.
    MsgId(u64),
    "m"
);

impl NodeId {
    /// The position of this node in a zero-based vector of nodes.
    pub fn slot(self) -> usize {
        (self.0 as usize).saturating_sub(1)
    }

    /// The node stored at zero-based `slot`.
    pub fn from_slot(slot: usize) -> NodeId {
        NodeId(slot as u32 + 1)
    }
}

impl LogIndex {
    pub fn next(self) -> LogIndex {
        LogIndex(self.0 + 1)
    }
    pub fn prev(self) -> LogIndex {
        LogIndex(self.0.saturating_sub(1))
    }
}

/// An endpoint on the simulated network: a server of the cluster or a client outside it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Addr {
    /// Serialized as the node's number.
    Node(NodeId),
    /// Serialized as `"c<number>"`.
    #[serde(with = "client_addr")]
    Client(ClientId),
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Addr::Node(n) => write!(f, "{n}"),
            Addr::Client(c) => write!(f, "{c}"),
        }
    }
}

mod client_addr {
    use super::ClientId;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(client: &ClientId, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("c{}", client.0))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ClientId, D::Error> {
        let text = String::deserialize(d)?;
        text.strip_prefix('c')
            .and_then(|n| n.parse().ok())
            .map(ClientId)
            .ok_or_else(|| {
                D::Error::custom(format!(
                    "client address must look like \"c1\", not {text:?}"
                ))
            })
    }
}
