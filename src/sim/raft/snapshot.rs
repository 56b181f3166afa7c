//! A snapshot: the state machine image after applying every entry up to `last_index`
//! (Raft paper, section 7).

use super::kv::KvStore;
use crate::sim::types::{LogIndex, Term};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub last_index: LogIndex,
    pub last_term: Term,
    pub kv: KvStore,
}

impl Snapshot {
    pub fn size_bytes(&self) -> u64 {
        32 + self.kv.image_bytes()
    }
}
