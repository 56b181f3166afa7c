//! Per-key linearizability of a key-value store's client history (Herlihy and Wing 1990;
//! checked key by key, since linearizability is compositional), for any protocol that
//! replicates a log of `kv::Command`s (Raft, Multi-Paxos).
//!
//! The log order is the witness: each completed operation must (1) have received exactly the
//! result the sequential store gives at its position, and (2) take effect after every
//! operation on its key that completed before it was invoked. If both hold for every
//! operation, the log order is a valid linearization of the client history. A protocol's
//! check feeds it the invocations and completions it reads from its own trace lines and maps
//! what it finds to its own property and detail.

use crate::sim::kv::Outcome;
use crate::sim::types::{ClientId, LogIndex, Micros};
use std::collections::BTreeMap;

/// The client history so far: operations in progress, and per key the completions.
#[derive(Clone, Debug, Default)]
pub struct PerKeyHistory {
    /// Invocation time and key of each operation in progress.
    invoked: BTreeMap<(ClientId, u64), (Micros, String)>,
    /// Per key, completions in time order with the highest position completed so far.
    completions: BTreeMap<String, Vec<(Micros, LogIndex)>>,
}

/// How a completed operation fails to be linearizable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotLinearizable {
    /// The reply differs from what the log order gives at its position.
    WrongResult { key: String, expected: Outcome },
    /// It took effect at a position no later than an operation on its key that had already
    /// completed, at `earlier_done`, before it was invoked.
    TookEffectTooEarly { key: String, earlier_done: LogIndex },
}

/// A completed operation as its client saw it.
#[derive(Copy, Clone, Debug)]
pub struct Completion<'a> {
    pub client: ClientId,
    pub op: u64,
    pub t: Micros,
    /// Where the reply says it took effect.
    pub index: LogIndex,
    pub ok: bool,
    pub value: &'a Option<String>,
}

impl PerKeyHistory {
    /// Client `client` invoked operation `op` on `key` at `t`.
    pub fn invoke(&mut self, client: ClientId, op: u64, t: Micros, key: &str) {
        self.invoked.insert((client, op), (t, key.to_string()));
    }

    /// The operation completed; `expected` is what the sequential store gives at its
    /// position, when the checker knows it. Returns the key and what is wrong, if anything;
    /// an operation never invoked is ignored.
    pub fn complete(
        &mut self,
        done: Completion<'_>,
        expected: Option<&Outcome>,
    ) -> Option<NotLinearizable> {
        let (invoked_at, key) = self.invoked.remove(&(done.client, done.op))?;
        if let Some(expected) = expected {
            if expected.ok != done.ok || expected.value != *done.value {
                return Some(NotLinearizable::WrongResult {
                    key,
                    expected: expected.clone(),
                });
            }
        }
        let completed = self.completions.entry(key.clone()).or_default();
        let before = completed.partition_point(|(t, _)| *t < invoked_at);
        if before > 0 {
            let (_, latest) = completed[before - 1];
            if latest >= done.index {
                return Some(NotLinearizable::TookEffectTooEarly {
                    key,
                    earlier_done: latest,
                });
            }
        }
        let highest = completed
            .last()
            .map(|(_, i)| *i)
            .unwrap_or_default()
            .max(done.index);
        completed.push((done.t, highest));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(op: u64, t: Micros, index: u64, value: &Option<String>) -> Completion<'_> {
        Completion {
            client: ClientId(1),
            op,
            t,
            index: LogIndex(index),
            ok: true,
            value,
        }
    }

    #[test]
    fn a_later_operation_may_not_take_effect_before_an_earlier_completed_one() {
        let mut h = PerKeyHistory::default();
        let none = None;
        h.invoke(ClientId(1), 1, 0, "x");
        assert_eq!(h.complete(done(1, 10, 5, &none), None), None);
        h.invoke(ClientId(1), 2, 20, "x");
        assert_eq!(
            h.complete(done(2, 30, 4, &none), None),
            Some(NotLinearizable::TookEffectTooEarly {
                key: "x".into(),
                earlier_done: LogIndex(5)
            })
        );
        let expected = Outcome {
            index: LogIndex(6),
            ok: true,
            value: Some("1".into()),
        };
        h.invoke(ClientId(1), 3, 40, "x");
        let got = h.complete(done(3, 50, 6, &none), Some(&expected));
        assert!(matches!(got, Some(NotLinearizable::WrongResult { .. })));
    }
}
