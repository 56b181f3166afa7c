//! Linearizability of what the clients saw, key by key (hot and cold mode): their lines fed
//! to the shared per-key check (`sim::linearizability`, the same as Raft's and Multi-Paxos's),
//! with the primary's order as the witness and the store its history gives (kept by
//! `History`) as the expected reply. Warm mode loses acknowledged writes by design, so its
//! history is not linearizable across a failover and is not checked.

use super::history::History;
use super::property::{Detail, Finding, Property};
use crate::sim::linearizability::{Completion, NotLinearizable, PerKeyHistory};
use crate::sim::pb::config::Replication;
use crate::sim::pb::note::Note;
use crate::sim::pb::types::READ_BITS;
use crate::sim::types::{LogIndex, Micros};

#[derive(Clone, Debug, Default)]
pub struct Linearizable {
    history: PerKeyHistory,
}

impl Linearizable {
    pub fn observe(&mut self, note: &Note, t: Micros, writes: &History) -> Option<Finding> {
        if writes.replication == Replication::Warm {
            return None;
        }
        match note {
            Note::PbClientRequest {
                client,
                request,
                cmd,
            } => {
                let key = cmd.key().unwrap_or_default();
                self.history.invoke(*client, *request, t, key);
                None
            }
            Note::PbClientReply {
                client,
                request,
                index,
                ok,
                value,
            } => {
                let done = Completion {
                    client: *client,
                    op: *request,
                    t,
                    index: LogIndex(*index),
                    ok: *ok,
                    value,
                };
                let is_write = index & ((1 << READ_BITS) - 1) == 0;
                let expected = if is_write {
                    writes.outcomes.get(&(index >> READ_BITS))
                } else {
                    writes.reads.get(&(*client, *request, *index))
                };
                let detail = match self.history.complete(done, expected)? {
                    NotLinearizable::WrongResult { key, expected } => Detail::WrongResult {
                        client: *client,
                        request: *request,
                        key,
                        got: (*ok, value.clone()),
                        expected: (expected.ok, expected.value),
                    },
                    NotLinearizable::TookEffectTooEarly { key, earlier_done } => {
                        Detail::TookEffectTooEarly {
                            client: *client,
                            request: *request,
                            key,
                            earlier_done: earlier_done.0,
                        }
                    }
                };
                Some(Finding {
                    property: Property::Linearizability,
                    nodes: Vec::new(),
                    detail,
                })
            }
            _ => None,
        }
    }
}
