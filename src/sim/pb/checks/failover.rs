//! What the failure detector and the failovers did, read from the trace like the properties
//! (no property of its own): when a primary crashed, when the view service suspected it,
//! when a new view named another primary and when that primary first answered a client;
//! the acknowledged writes the failover lost (warm mode); and the false suspicions, servers
//! declared dead by timeout that had not crashed since they were last heard from.

use crate::sim::pb::note::{DeadReason, Note};
use crate::sim::pb::types::PrimaryBackup;
use crate::sim::protocol::Event;
use crate::sim::types::{Micros, NodeId};
use std::collections::BTreeMap;

/// One failure of a primary and the service's recovery from it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Failover {
    pub primary: NodeId,
    pub crashed_us: Micros,
    pub suspected_us: Option<Micros>,
    pub new_view_us: Option<Micros>,
    pub new_primary: Option<NodeId>,
    /// The first answer the new primary gave a client.
    pub served_us: Option<Micros>,
    /// Cold mode: the replay's cost.
    pub replay_us: Option<Micros>,
    /// Acknowledged writes lost (warm mode).
    pub lost_writes: u64,
}

#[derive(Clone, Debug, Default)]
pub struct FailoverLog {
    /// The current view's primary.
    primary: Option<NodeId>,
    last_crash_us: BTreeMap<NodeId, Micros>,
    /// The failover in progress, then the finished ones.
    open: Option<Failover>,
    pub done: Vec<Failover>,
    pub false_suspicions: u64,
    pub suspicions: u64,
}

impl FailoverLog {
    pub fn observe(&mut self, event: &Event<PrimaryBackup>, t: Micros, lost_now: u64) {
        if let Some(open) = &mut self.open {
            open.lost_writes += lost_now;
        }
        match event {
            Event::Crash { node } => {
                self.last_crash_us.insert(*node, t);
                if self.primary == Some(*node) && self.open.is_none() {
                    self.open = Some(Failover {
                        primary: *node,
                        crashed_us: t,
                        ..Failover::default()
                    });
                }
            }
            Event::Protocol(note) => self.note(note, t),
            _ => {}
        }
    }

    fn note(&mut self, note: &Note, t: Micros) {
        match note {
            Note::PbView { view, .. } => {
                self.primary = view.primary;
                if let Some(open) = &mut self.open {
                    if open.new_view_us.is_none() && view.primary != Some(open.primary) {
                        open.new_view_us = Some(t);
                        open.new_primary = view.primary;
                    }
                }
            }
            Note::PbDead {
                suspect,
                reason,
                last_sent_us,
                ..
            } => {
                self.suspicions += 1;
                if let Some(open) = &mut self.open {
                    if open.primary == *suspect && open.suspected_us.is_none() {
                        open.suspected_us = Some(t);
                    }
                }
                let crashed_since = self
                    .last_crash_us
                    .get(suspect)
                    .is_some_and(|c| *c >= *last_sent_us);
                if *reason == DeadReason::Timeout && !crashed_since {
                    self.false_suspicions += 1;
                }
            }
            Note::PbReplay { cost_us, .. } => {
                if let Some(open) = &mut self.open {
                    open.replay_us = Some(*cost_us);
                }
            }
            Note::PbServe { node, .. } => {
                let finished = self
                    .open
                    .as_ref()
                    .is_some_and(|o| o.new_primary == Some(*node));
                if finished {
                    if let Some(mut open) = self.open.take() {
                        open.served_us = Some(t);
                        self.done.push(open);
                    }
                }
            }
            _ => {}
        }
    }
}
