//! The ring store's properties, checked live after every trace line (and again over a saved
//! trace by `faultline check`): they read only the trace, the engine's framing and the
//! store's own lines, never the store's state.
//!
//! - **No key lost** (safety): with R >= 2, a key has a copy somewhere as long as at most
//!   one node failed since the store was last fully replicated (Dynamo section 4.6: R
//!   replicas survive R - 1 failures; failures during re-replication may add up).
//! - **Write quorum** (safety): a write succeeds only once W distinct replicas acknowledged
//!   it, each acknowledgement delivered to the coordinator (Dynamo section 4.5).
//! - **Fully replicated** (liveness): once the faults are healed and the run was quiet,
//!   every key is back on R replicas of its preference list.

use super::message::RingMessage;
use super::trace::RingEvent;
use super::RingStore;
use crate::sim::protocol::{Checks, Event, Line};
use crate::sim::types::{Addr, Micros, MsgId, NodeId};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RingProperty {
    NoKeyLost,
    WriteQuorum,
    FullyReplicated,
}

impl RingProperty {
    pub fn name(self) -> &'static str {
        match self {
            RingProperty::NoKeyLost => "No key lost",
            RingProperty::WriteQuorum => "Write quorum",
            RingProperty::FullyReplicated => "Fully replicated",
        }
    }
}

/// A broken property: which, at which line and time, and what was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RingViolation {
    pub property: RingProperty,
    pub position: u64,
    pub t: Micros,
    pub detail: String,
}

impl fmt::Display for RingViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.property {
            // Asked once the healed run settled: no line broke it.
            RingProperty::FullyReplicated => write!(
                f,
                "{} broken at the end of the run (t = {} us): {}",
                self.property.name(),
                self.t,
                self.detail
            ),
            _ => write!(
                f,
                "{} broken at trace line {} (t = {} us): {}",
                self.property.name(),
                self.position + 1,
                self.t,
                self.detail
            ),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct RingChecks {
    replication: u32,
    write_quorum: u32,
    /// Nodes crashed and not restarted.
    down: BTreeSet<NodeId>,
    /// Nodes that crashed since the store was last fully replicated (or since the start).
    failed: BTreeSet<NodeId>,
    whole: bool,
    /// Keys lost so far (allowed after two failures): they can never be whole again.
    lost: u64,
    /// Acknowledgements of writes on the wire: message id to (request, replica).
    acks_on_wire: BTreeMap<MsgId, (u64, NodeId)>,
    /// Replicas whose acknowledgement of each open write reached its coordinator.
    acked: BTreeMap<u64, BTreeSet<NodeId>>,
}

impl Checks<RingStore> for RingChecks {
    type Violation = RingViolation;

    fn observe(&mut self, line: &Line<RingStore>, position: u64) -> Option<RingViolation> {
        let broken = |property, detail: String| {
            Some(RingViolation {
                property,
                position,
                t: line.t,
                detail,
            })
        };
        match &line.event {
            Event::Crash { node } => {
                self.down.insert(*node);
                self.failed.insert(*node);
            }
            Event::Restart { node } => {
                self.down.remove(node);
            }
            Event::Send {
                id,
                from: Addr::Node(from),
                msg: RingMessage::PutAck { request },
                deliver_t,
                ..
            } if !deliver_t.is_empty() => {
                self.acks_on_wire.insert(*id, (*request, *from));
            }
            Event::Deliver { id } => {
                if let Some((request, replica)) = self.acks_on_wire.remove(id) {
                    self.acked.entry(request).or_default().insert(replica);
                }
            }
            Event::Drop { id, .. } => {
                self.acks_on_wire.remove(id);
            }
            Event::Protocol(ring) => match ring {
                RingEvent::RingStarted {
                    replication,
                    write_quorum,
                    ..
                } => {
                    self.replication = *replication;
                    self.write_quorum = *write_quorum;
                    self.whole = true;
                }
                RingEvent::RingUnderReplicated { .. } => self.whole = false,
                RingEvent::RingFullyReplicated => {
                    self.whole = true;
                    self.failed = self.down.clone();
                }
                RingEvent::RingKeysLost { keys } => {
                    self.lost += *keys as u64;
                    if self.replication >= 2 && self.failed.len() <= 1 {
                        let failed: Vec<String> =
                            self.failed.iter().map(|n| n.to_string()).collect();
                        return broken(
                            RingProperty::NoKeyLost,
                            format!(
                                "{keys} key(s) have no copy left with R = {} after at most one failure (failed since last fully replicated: [{}])",
                                self.replication,
                                failed.join(", ")
                            ),
                        );
                    }
                }
                RingEvent::PutDone {
                    request,
                    key,
                    coordinator,
                    ok,
                    ..
                } => {
                    let acked = self.acked.remove(request).unwrap_or_default();
                    if *ok && (acked.len() as u32) < self.write_quorum {
                        let who: Vec<String> = acked.iter().map(|n| n.to_string()).collect();
                        return broken(
                            RingProperty::WriteQuorum,
                            format!(
                                "write {request} of key {key} via {} succeeded with acknowledgements from [{}] only, W = {}",
                                coordinator.map_or("no coordinator".into(), |c| c.to_string()),
                                who.join(", "),
                                self.write_quorum
                            ),
                        );
                    }
                }
                _ => {}
            },
            _ => {}
        }
        None
    }

    fn finish(&mut self, now_us: Micros) -> Option<RingViolation> {
        // Lost keys stay short of R for ever; the trace does not say which keys are short,
        // so a run that lost keys (legitimately, after two failures) is not judged here.
        if self.whole || self.lost > 0 {
            return None;
        }
        Some(RingViolation {
            property: RingProperty::FullyReplicated,
            position: 0,
            t: now_us,
            detail: "keys are still under-replicated after the healed run settled".into(),
        })
    }
}
