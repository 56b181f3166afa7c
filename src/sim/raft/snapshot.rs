//! A snapshot: the state machine image after applying every entry up to `last_index`
//! (Raft paper, section 7).

use super::kv::{Configuration, KvStore};
use crate::sim::types::{LogIndex, Term};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub last_index: LogIndex,
    pub last_term: Term,
    pub kv: KvStore,
    /// The configuration as of `last_index`, when one was ever appended: the log entry that
    /// held it may be compacted away (thesis section 5.1). `None`: the cluster's first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Configuration>,
}

impl Snapshot {
    pub fn size_bytes(&self) -> u64 {
        let config = self.config.as_ref().map_or(0, |c| {
            4 * (c.voters.len() + c.learners.len() + c.old.len()) as u64
        });
        32 + self.kv.image_bytes() + config
    }
}
