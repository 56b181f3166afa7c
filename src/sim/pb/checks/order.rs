//! Backup Order: a backup (or the storage) applies, in each view, exactly the writes the
//! view's primary ran, at the positions it ran them, one after the other from the state it
//! took, each once (Alsberg & Day 1976: the backups process requests in the order the
//! primary chose). The primary itself runs its writes at consecutive positions from the
//! history it carries on.

use super::property::{Detail, Finding, Property};
use super::views::Views;
use crate::sim::pb::note::Note;
use crate::sim::pb::types::Seq;
use crate::sim::types::{ClientId, NodeId};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct BackupOrder {
    /// What each primary ran at each position (the latest, if it ran one there twice).
    ran: BTreeMap<(NodeId, Seq), (ClientId, u64)>,
    /// Each primary's last position.
    last_ran: BTreeMap<NodeId, Seq>,
    /// Each backup's view and last applied position.
    applied: BTreeMap<NodeId, (u64, Seq)>,
}

impl BackupOrder {
    pub fn observe(&mut self, note: &Note, views: &Views) -> Option<Finding> {
        match note {
            Note::PbPrimary { node, through, .. } => {
                self.last_ran.insert(*node, *through);
                None
            }
            Note::PbInstall { node, view, seq } => {
                self.applied.insert(*node, (*view, *seq));
                None
            }
            Note::PbExecute {
                node,
                view,
                seq,
                client,
                request,
                ..
            } => {
                let expected = self.last_ran.get(node).copied().unwrap_or(0) + 1;
                self.last_ran.insert(*node, *seq);
                self.ran.insert((*node, *seq), (*client, *request));
                (*seq != expected).then(|| Finding {
                    property: Property::BackupOrder,
                    nodes: vec![*node],
                    detail: Detail::OutOfOrder {
                        node: *node,
                        view: *view,
                        seq: *seq,
                        client: *client,
                        request: *request,
                        expected,
                        primary_ran: None,
                    },
                })
            }
            Note::PbApply {
                node,
                view,
                seq,
                client,
                request,
            } => {
                let (held, through) = self.applied.get(node).copied().unwrap_or((0, 0));
                let expected = through + 1;
                self.applied.insert(*node, (held, *seq));
                let primary_ran = views
                    .primary(*view)
                    .and_then(|p| self.ran.get(&(p, *seq)).copied());
                let right =
                    held == *view && *seq == expected && primary_ran == Some((*client, *request));
                (!right).then(|| Finding {
                    property: Property::BackupOrder,
                    nodes: vec![*node],
                    detail: Detail::OutOfOrder {
                        node: *node,
                        view: *view,
                        seq: *seq,
                        client: *client,
                        request: *request,
                        expected,
                        primary_ran,
                    },
                })
            }
            _ => None,
        }
    }
}
