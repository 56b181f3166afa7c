//! A backup's steps: take a primary's whole state for a view (the state transfer 6.824's
//! primary does for a new backup), then apply the primary's forwarded writes in its order,
//! each once, acknowledging cumulatively. Fencing: anything stamped with a view older than
//! the one it holds is refused (`Fenced`), so a deposed primary cannot slip writes in beside
//! the new primary's (VMware FT, Scales et al. 2010, section 2.3, makes the same point about
//! a split-brain primary).

use super::config::PbConfig;
use super::message::Message;
use super::message::StoreImage;
use super::note::Note;
use super::server::Server;
use super::types::{Entry, Out, Seq};
use crate::sim::kv::Origin;
use crate::sim::protocol::Effect;
use crate::sim::types::{Addr, LogIndex, NodeId};

impl Server {
    /// The newest view it knows, from the view service or from a primary's state transfer.
    fn held_view(&self) -> u64 {
        self.view.num.max(self.installed)
    }

    /// Refuses a message of an older view, unless fencing is switched off. Returns whether
    /// it was refused.
    pub(super) fn fence(&self, config: &PbConfig, from: NodeId, view: u64, out: &mut Out) -> bool {
        let held = self.held_view();
        if view >= held || config.bugs.no_fencing {
            return false;
        }
        out.push(Effect::Note(Note::PbFenced {
            node: self.id,
            from,
            stale: view,
            view: held,
        }));
        out.push(Effect::Send {
            to: Addr::Node(from),
            msg: Message::Fenced { view: held },
        });
        true
    }

    pub(super) fn on_install(
        &mut self,
        config: &PbConfig,
        from: NodeId,
        (view, seq, store): (u64, Seq, StoreImage),
        out: &mut Out,
    ) {
        if self.fence(config, from, view, out) {
            return;
        }
        // A copy of a transfer already taken must not roll back what arrived since.
        if view != self.installed && view >= self.held_view() {
            self.primary = None;
            self.store = store.store();
            self.last_seq = seq;
            self.installed = view;
            self.ahead.clear();
            if self.view.num == view {
                self.ping_view = view;
            }
            out.push(Effect::Note(Note::PbInstall {
                node: self.id,
                view,
                seq,
            }));
        }
        out.push(Effect::Send {
            to: Addr::Node(from),
            msg: Message::InstallAck { view, seq },
        });
    }

    pub(super) fn on_forward(
        &mut self,
        config: &PbConfig,
        from: NodeId,
        (view, entry): (u64, Entry),
        out: &mut Out,
    ) {
        if self.fence(config, from, view, out) {
            return;
        }
        // Without fencing an older view's write is taken into the current view's history.
        let accepted = view == self.installed || (config.bugs.no_fencing && view < self.installed);
        if !accepted || self.primary.is_some() {
            return; // no state of that view yet: the primary sends it again after the transfer
        }
        if entry.seq > self.last_seq + 1 {
            self.ahead.insert(entry.seq, entry);
        } else if entry.seq == self.last_seq + 1 {
            self.apply(entry, out);
            while let Some(next) = self.ahead.remove(&(self.last_seq + 1)) {
                self.apply(next, out);
            }
            self.ahead.retain(|seq, _| *seq > self.last_seq);
        }
        // Copies of writes already applied are acknowledged again, never applied twice.
        out.push(Effect::Send {
            to: Addr::Node(from),
            msg: Message::ForwardAck {
                view,
                through: self.last_seq,
            },
        });
    }

    fn apply(&mut self, entry: Entry, out: &mut Out) {
        let origin = Origin {
            client: entry.client,
            request: entry.request,
        };
        self.store
            .apply(LogIndex(entry.seq), &entry.cmd, Some(origin));
        self.last_seq = entry.seq;
        out.push(Effect::Note(Note::PbApply {
            node: self.id,
            view: self.installed,
            seq: entry.seq,
            client: entry.client,
            request: entry.request,
        }));
    }
}
