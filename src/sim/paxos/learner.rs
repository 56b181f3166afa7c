//! The learner ("Paxos Made Simple", section 2.3): it learns a value once it hears that a
//! majority of acceptors accepted it, here from the proposer that counted them (the
//! distinguished learner) or from a learner that knows. In Multi-Paxos it applies the chosen
//! commands to the key-value store in slot order, a gap waiting until its slot is learned
//! (section 3). What it learned is not logged: a restarted learner learns it again.

use super::note::Note;
use super::types::{Out, Slot, Value};
use crate::sim::kv::{KvStore, Origin, Outcome};
use crate::sim::protocol::Effect;
use crate::sim::types::{LogIndex, NodeId};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Learner {
    pub learned: BTreeMap<Slot, Value>,
    /// Every slot up to this one is learned and applied.
    pub applied: Slot,
    pub kv: KvStore,
}

impl Learner {
    /// The first slot not learned yet (every slot below it is).
    pub fn learned_below(&self) -> Slot {
        // Slots are applied as soon as they are next in order, so the applied prefix is the
        // learned prefix.
        self.applied + 1
    }

    /// Learns that `value` is chosen in `slot`; applies every slot that is now next in
    /// order and returns what each application produced (a no-op or an own value applies
    /// to nothing).
    pub fn learn(
        &mut self,
        id: NodeId,
        slot: Slot,
        value: Value,
        out: &mut Out,
    ) -> Vec<(Slot, Value, Outcome)> {
        if self.learned.contains_key(&slot) || slot <= self.applied {
            return Vec::new();
        }
        out.push(Effect::Note(Note::PaxosLearn {
            node: id,
            slot,
            value: value.clone(),
        }));
        self.learned.insert(slot, value);
        let mut applied = Vec::new();
        while let Some(value) = self.learned.get(&(self.applied + 1)) {
            self.applied += 1;
            let index = LogIndex(self.applied);
            let outcome = match value {
                Value::Command {
                    client,
                    request,
                    cmd,
                } => {
                    let origin = Origin {
                        client: *client,
                        request: *request,
                    };
                    self.kv.apply(index, cmd, Some(origin))
                }
                Value::Noop | Value::Own { .. } => Outcome {
                    index,
                    ok: true,
                    value: None,
                },
            };
            applied.push((self.applied, value.clone(), outcome));
        }
        applied
    }
}
