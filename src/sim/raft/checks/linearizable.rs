//! Linearizability of what clients saw, key by key (Herlihy and Wing 1990; checked per key,
//! since linearizability is compositional).
//!
//! The log order is the witness: each completed operation must (1) have received exactly the
//! result the sequential store gives at its index, and (2) take effect after every operation
//! on its key that completed before it was invoked. If both hold for every operation, the log
//! order is a valid linearization of the client history.

use super::detail::{Detail, Outcome};
use super::property::{Finding, Property};
use super::state_machine_safety::StateMachineSafety;
use crate::sim::raft::trace::RaftEvent;
use crate::sim::raft::types::{TraceEvent, TraceLine};
use crate::sim::types::{ClientId, LogIndex, Micros};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct Linearizable {
    /// Invocation time and key of each operation in progress.
    invoked: BTreeMap<(ClientId, u64), (Micros, String)>,
    /// Per key, completions in time order with the highest index completed so far.
    completions: BTreeMap<String, Vec<(Micros, LogIndex)>>,
}

impl Linearizable {
    pub fn observe(&mut self, line: &TraceLine, applied: &StateMachineSafety) -> Option<Finding> {
        match &line.event {
            TraceEvent::Protocol(RaftEvent::ClientRequest { client, op, cmd }) => {
                let key = cmd.key().unwrap_or_default().to_string();
                self.invoked.insert((*client, *op), (line.t, key));
                None
            }
            TraceEvent::Protocol(RaftEvent::ClientReply {
                client,
                op,
                ok,
                index,
                value,
            }) => {
                let (invoked_at, key) = self.invoked.remove(&(*client, *op))?;
                if let Some(expected) = applied.outcomes.get(index) {
                    if expected.ok != *ok || expected.value != *value {
                        return Some(Finding {
                            property: Property::Linearizability,
                            nodes: Vec::new(),
                            index: Some(*index),
                            term: None,
                            detail: Box::new(Detail::WrongResult {
                                client: *client,
                                op: *op,
                                key,
                                got: Outcome {
                                    ok: *ok,
                                    value: value.clone(),
                                },
                                expected: Outcome {
                                    ok: expected.ok,
                                    value: expected.value.clone(),
                                },
                            }),
                        });
                    }
                }
                let done = self.completions.entry(key.clone()).or_default();
                let before = done.partition_point(|(t, _)| *t < invoked_at);
                if before > 0 {
                    let (_, latest) = done[before - 1];
                    if latest >= *index {
                        return Some(Finding {
                            property: Property::Linearizability,
                            nodes: Vec::new(),
                            index: Some(*index),
                            term: None,
                            detail: Box::new(Detail::TookEffectTooEarly {
                                client: *client,
                                op: *op,
                                key,
                                index: *index,
                                earlier_done: latest,
                            }),
                        });
                    }
                }
                let highest = done.last().map(|(_, i)| *i).unwrap_or_default().max(*index);
                done.push((line.t, highest));
                None
            }
            _ => None,
        }
    }
}
