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

/// A broken property: which, at which line and time, the nodes involved, and what was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RingViolation {
    pub property: RingProperty,
    pub position: u64,
    pub t: Micros,
    pub nodes: Vec<NodeId>,
    pub detail: RingDetail,
}

/// What was seen, per property: data, so the page can word it in any language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RingDetail {
    /// `keys` keys lost their last copy with `replication` replicas, after only the
    /// violation's `nodes` (at most one) failed since the store was last fully replicated.
    KeysLost { keys: u32, replication: u32 },
    /// Write `request` of `key` succeeded with acknowledgements from `acked` only.
    ShortQuorum {
        request: u64,
        key: u32,
        coordinator: Option<NodeId>,
        acked: Vec<NodeId>,
        write_quorum: u32,
    },
    /// Keys were still under-replicated when the healed run had settled.
    StillUnderReplicated,
}

fn names(nodes: &[NodeId]) -> String {
    let names: Vec<String> = nodes.iter().map(|n| n.to_string()).collect();
    names.join(", ")
}

impl fmt::Display for RingDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RingDetail::KeysLost { keys, replication } => write!(
                f,
                "{keys} key(s) have no copy left with R = {replication} after at most one failure"
            ),
            RingDetail::ShortQuorum {
                request,
                key,
                coordinator,
                acked,
                write_quorum,
            } => write!(
                f,
                "write {request} of key {key} via {} succeeded with acknowledgements from [{}] only, W = {write_quorum}",
                coordinator.map_or("no coordinator".into(), |c| c.to_string()),
                names(acked),
            ),
            RingDetail::StillUnderReplicated => {
                write!(f, "keys are still under-replicated after the healed run settled")
            }
        }
    }
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
                "{} broken at trace line {} (t = {} us), nodes [{}]: {}",
                self.property.name(),
                self.position + 1,
                self.t,
                names(&self.nodes),
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
        let broken = |property, nodes, detail| {
            Some(RingViolation {
                property,
                position,
                t: line.t,
                nodes,
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
                        return broken(
                            RingProperty::NoKeyLost,
                            self.failed.iter().copied().collect(),
                            RingDetail::KeysLost {
                                keys: *keys,
                                replication: self.replication,
                            },
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
                        return broken(
                            RingProperty::WriteQuorum,
                            coordinator.iter().copied().collect(),
                            RingDetail::ShortQuorum {
                                request: *request,
                                key: *key,
                                coordinator: *coordinator,
                                acked: acked.into_iter().collect(),
                                write_quorum: self.write_quorum,
                            },
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
            nodes: Vec::new(),
            detail: RingDetail::StillUnderReplicated,
        })
    }
}
