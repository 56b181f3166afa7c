//! Cold mode's shared storage (VMware FT's shared disk, Scales et al. 2010, section 2.3, in
//! the part of the store a standby starts from): it keeps the last checkpoint and the log
//! shipped after it, on its own write-ahead log, and fences: a new primary's load raises the
//! view it accepts, and anything stamped with an older view is refused from then on.

use super::config::PbConfig;
use super::message::{Message, StoreImage};
use super::note::{Note, Part};
use super::record::Record;
use super::types::{Entry, Out, Seq};
use crate::sim::kv::KvStore;
use crate::sim::protocol::Effect;
use crate::sim::types::{Addr, NodeId};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Storage {
    id: NodeId,
    /// Views below this are refused.
    pub fence: u64,
    pub checkpoint_seq: Seq,
    pub checkpoint: KvStore,
    /// The shipped log after the checkpoint.
    pub entries: BTreeMap<Seq, Entry>,
    pub last_seq: Seq,
}

impl Storage {
    /// Boots from what its log holds.
    pub fn boot(id: NodeId, recovered: &[Record], out: &mut Out) -> Storage {
        let mut s = Storage {
            id,
            fence: 0,
            checkpoint_seq: 0,
            checkpoint: KvStore::default(),
            entries: BTreeMap::new(),
            last_seq: 0,
        };
        for record in recovered {
            match record {
                Record::Fence { view } => s.fence = s.fence.max(*view),
                Record::Entry { entry } => {
                    s.last_seq = entry.seq;
                    s.entries.insert(entry.seq, entry.clone());
                }
                Record::Checkpoint { seq, store } => {
                    s.take_checkpoint(*seq, store.clone());
                    s.last_seq = s.last_seq.max(*seq);
                }
                Record::View { .. } | Record::Acked { .. } => {}
            }
        }
        out.push(Effect::Note(Note::PbBoot {
            node: id,
            part: Part::Storage,
            view: None,
            replication: None,
        }));
        s
    }

    fn take_checkpoint(&mut self, seq: Seq, store: KvStore) {
        self.checkpoint_seq = seq;
        self.checkpoint = store;
        self.entries = self.entries.split_off(&(seq + 1));
    }

    /// Refuses an older view (unless fencing is off); raises the fence to a newer one.
    fn admit(&mut self, config: &PbConfig, from: NodeId, view: u64, out: &mut Out) -> bool {
        if view < self.fence && !config.bugs.no_fencing {
            out.push(Effect::Note(Note::PbFenced {
                node: self.id,
                from,
                stale: view,
                view: self.fence,
            }));
            out.push(Effect::Send {
                to: Addr::Node(from),
                msg: Message::Fenced { view: self.fence },
            });
            return false;
        }
        if view > self.fence {
            self.fence = view;
            out.push(Effect::Persist(Record::Fence { view }));
            out.push(Effect::Note(Note::PbInstall {
                node: self.id,
                view,
                seq: self.last_seq,
            }));
        }
        true
    }

    pub fn on_message(&mut self, config: &PbConfig, from: NodeId, msg: Message, out: &mut Out) {
        match msg {
            Message::Load { view } => {
                if !self.admit(config, from, view, out) {
                    return;
                }
                out.push(Effect::Send {
                    to: Addr::Node(from),
                    msg: Message::Loaded {
                        view,
                        checkpoint_seq: self.checkpoint_seq,
                        store: StoreImage::of(&self.checkpoint),
                        entries: self.entries.values().cloned().collect(),
                    },
                });
            }
            Message::Forward { view, entry } => {
                if !self.admit(config, from, view, out) {
                    return;
                }
                if entry.seq == self.last_seq + 1 {
                    self.last_seq = entry.seq;
                    out.push(Effect::Note(Note::PbApply {
                        node: self.id,
                        view: self.fence,
                        seq: entry.seq,
                        client: entry.client,
                        request: entry.request,
                    }));
                    out.push(Effect::Persist(Record::Entry {
                        entry: entry.clone(),
                    }));
                    self.entries.insert(entry.seq, entry);
                }
                out.push(Effect::Send {
                    to: Addr::Node(from),
                    msg: Message::ForwardAck {
                        view,
                        through: self.last_seq,
                    },
                });
            }
            Message::Checkpoint { view, seq, store } => {
                let store = store.store();
                if !self.admit(config, from, view, out) || seq <= self.checkpoint_seq {
                    return;
                }
                out.push(Effect::Persist(Record::Checkpoint {
                    seq,
                    store: store.clone(),
                }));
                out.push(Effect::Note(Note::PbCheckpoint { node: self.id, seq }));
                self.take_checkpoint(seq, store);
                // A checkpoint can overtake the forwards of its last writes: it holds them.
                if seq > self.last_seq {
                    self.last_seq = seq;
                    out.push(Effect::Note(Note::PbInstall {
                        node: self.id,
                        view: self.fence,
                        seq,
                    }));
                }
            }
            _ => {}
        }
    }
}
