//! Linearizability of what Multi-Paxos's clients saw, key by key: their lines fed to the
//! shared per-key check (`sim::linearizability`, the same as Raft's), with the slot order as
//! the witness and the store the chosen commands give (kept by Agreement) as the expected
//! reply.

use super::agreement::Agreement;
use super::property::{Detail, Finding, Property};
use crate::sim::linearizability::{Completion, NotLinearizable, PerKeyHistory};
use crate::sim::paxos::note::Note;
use crate::sim::types::{LogIndex, Micros};

#[derive(Clone, Debug, Default)]
pub struct Linearizable {
    history: PerKeyHistory,
}

impl Linearizable {
    pub fn observe(&mut self, note: &Note, t: Micros, agreement: &Agreement) -> Option<Finding> {
        match note {
            Note::PaxosClientRequest {
                client,
                request,
                cmd,
            } => {
                let key = cmd.key().unwrap_or_default();
                self.history.invoke(*client, *request, t, key);
                None
            }
            Note::PaxosClientReply {
                client,
                request,
                slot,
                ok,
                value,
            } => {
                let done = Completion {
                    client: *client,
                    op: *request,
                    t,
                    index: LogIndex(*slot),
                    ok: *ok,
                    value,
                };
                let expected = agreement.outcomes.get(&LogIndex(*slot));
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
                    slot: *slot,
                    detail,
                })
            }
            _ => None,
        }
    }
}
