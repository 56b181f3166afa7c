//! Linearizability of what clients saw, key by key: Raft's client lines fed to the shared
//! per-key check (`sim::linearizability`), with the log order as the witness and the
//! sequential store's result at each index (from State Machine Safety) as the expected reply.

use super::detail::{Detail, Outcome};
use super::property::{Finding, Property};
use super::state_machine_safety::StateMachineSafety;
use crate::sim::linearizability::{Completion, NotLinearizable, PerKeyHistory};
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::{TraceEvent, TraceLine};

#[derive(Clone, Debug, Default)]
pub struct Linearizable {
    history: PerKeyHistory,
}

impl Linearizable {
    pub fn observe(&mut self, line: &TraceLine, applied: &StateMachineSafety) -> Option<Finding> {
        match &line.event {
            TraceEvent::Protocol(RaftEvent::ClientRequest { client, op, cmd }) => {
                let key = cmd.key().unwrap_or_default();
                self.history.invoke(*client, *op, line.t, key);
                None
            }
            TraceEvent::Protocol(RaftEvent::ClientReply {
                client,
                op,
                ok,
                index,
                value,
            }) => {
                let done = Completion {
                    client: *client,
                    op: *op,
                    t: line.t,
                    index: *index,
                    ok: *ok,
                    value,
                };
                let detail = match self.history.complete(done, applied.outcomes.get(index))? {
                    NotLinearizable::WrongResult { key, expected } => Detail::WrongResult {
                        client: *client,
                        op: *op,
                        key,
                        got: Outcome {
                            ok: *ok,
                            value: value.clone(),
                        },
                        expected: Outcome {
                            ok: expected.ok,
                            value: expected.value,
                        },
                    },
                    NotLinearizable::TookEffectTooEarly { key, earlier_done } => {
                        Detail::TookEffectTooEarly {
                            client: *client,
                            op: *op,
                            key,
                            index: *index,
                            earlier_done,
                        }
                    }
                };
                Some(Finding {
                    property: Property::Linearizability,
                    nodes: Vec::new(),
                    index: Some(*index),
                    term: None,
                    detail: Box::new(detail),
                })
            }
            _ => None,
        }
    }
}
