//! Acknowledged Writes Kept and the expected losses of warm mode, from the history each new
//! primary carries on: the writes of the view's primary in its order, cut back at every
//! failover to what the new primary holds (`pb_primary`'s `through`). An acknowledged write
//! cut away is a violation in hot and cold mode; in warm mode it is the tail that had not
//! been shipped to the new primary, kept as an expected loss, as the disk's sync policies'
//! losses are. It also keeps the store the history gives, for the linearizability check.

use super::property::{Detail, Finding, Property};
use crate::sim::kv::{Command, KvStore, Origin, Outcome};
use crate::sim::pb::config::Replication;
use crate::sim::pb::note::Note;
use crate::sim::pb::types::{Seq, READ_BITS};
use crate::sim::types::{ClientId, LogIndex, Micros, NodeId};
use std::collections::BTreeMap;

/// An acknowledged write a warm failover lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loss {
    pub client: ClientId,
    pub request: u64,
    pub seq: Seq,
    /// The view whose primary does not have it.
    pub view: u64,
    pub at_us: Micros,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    pub replication: Replication,
    /// The writes in order: position `seq` is at `seq - 1`.
    writes: Vec<(Origin, Command)>,
    /// The view and primary whose writes extend it.
    head: (u64, Option<NodeId>),
    /// The store the writes give, and each write's outcome.
    store: KvStore,
    pub outcomes: BTreeMap<Seq, Outcome>,
    /// Acknowledged writes in the history.
    acked: BTreeMap<Seq, Origin>,
    /// What each read should have returned, by client, request and position.
    pub reads: BTreeMap<(ClientId, u64, u64), Outcome>,
    /// The key of each operation in progress.
    keys: BTreeMap<(ClientId, u64), String>,
    pub losses: Vec<Loss>,
}

impl History {
    pub fn observe(&mut self, note: &Note, t: Micros) -> Option<Finding> {
        match note {
            Note::PbBoot {
                replication: Some(r),
                ..
            } => {
                self.replication = *r;
                None
            }
            Note::PbClientRequest {
                client,
                request,
                cmd,
            } => {
                let key = cmd.key().unwrap_or_default().to_string();
                self.keys.insert((*client, *request), key);
                None
            }
            Note::PbPrimary {
                node,
                view,
                through,
            } if *view > self.head.0 => self.cut(*node, *view, *through, t),
            Note::PbExecute {
                node,
                view,
                seq,
                client,
                request,
                cmd,
            } => {
                if (*view, Some(*node)) == self.head && *seq == self.writes.len() as u64 + 1 {
                    let origin = Origin {
                        client: *client,
                        request: *request,
                    };
                    let outcome = self.store.apply(LogIndex(*seq), cmd, Some(origin));
                    self.outcomes.insert(*seq, outcome);
                    self.writes.push((origin, cmd.clone()));
                }
                None
            }
            Note::PbRead {
                index,
                client,
                request,
                ..
            } => {
                // The store the history gives now: what the serving primary's store holds, and
                // what a deposed primary's read must match not to be stale.
                let key = self.keys.get(&(*client, *request));
                let value = key.and_then(|k| self.store.data.get(k).cloned());
                let outcome = Outcome {
                    index: LogIndex(*index),
                    ok: true,
                    value,
                };
                self.reads.insert((*client, *request, *index), outcome);
                None
            }
            Note::PbServe {
                node,
                view,
                client,
                request,
                index,
                write: true,
            } => {
                let seq = index >> READ_BITS;
                let origin = Origin {
                    client: *client,
                    request: *request,
                };
                let held = seq
                    .checked_sub(1)
                    .and_then(|i| self.writes.get(i as usize))
                    .map(|(o, _)| *o);
                if held == Some(origin) {
                    self.acked.insert(seq, origin);
                    return None;
                }
                Some(Finding {
                    property: Property::AckedWritesKept,
                    nodes: vec![*node],
                    detail: Detail::Lost {
                        client: *client,
                        request: *request,
                        seq,
                        view: *view,
                    },
                })
            }
            _ => None,
        }
    }

    /// A new primary carries on from its writes through `through`: the rest is cut away.
    fn cut(&mut self, node: NodeId, view: u64, through: Seq, t: Micros) -> Option<Finding> {
        self.head = (view, Some(node));
        let cut: Vec<(Seq, Origin)> = self.acked.split_off(&(through + 1)).into_iter().collect();
        if (through as usize) < self.writes.len() {
            self.writes.truncate(through as usize);
            self.outcomes.retain(|seq, _| *seq <= through);
            self.store = KvStore::default();
            for (i, (origin, cmd)) in self.writes.iter().enumerate() {
                self.store.apply(LogIndex(i as u64 + 1), cmd, Some(*origin));
            }
        }
        let (seq, origin) = *cut.first()?;
        if self.replication == Replication::Warm {
            for (seq, origin) in cut {
                self.losses.push(Loss {
                    client: origin.client,
                    request: origin.request,
                    seq,
                    view,
                    at_us: t,
                });
            }
            return None;
        }
        Some(Finding {
            property: Property::AckedWritesKept,
            nodes: vec![node],
            detail: Detail::Lost {
                client: origin.client,
                request: origin.request,
                seq,
                view,
            },
        })
    }
}
