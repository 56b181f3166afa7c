//! What a primary keeps besides its store: the view it is primary of, its readiness (every
//! backup took its state; cold: the replay is done), its peers' acknowledged positions, the
//! answers waiting until their operations are safe, the writes not yet acknowledged by every
//! peer, and the retransmission timeout (`retransmit::RtoEstimator`, RFC 6298).

use super::config::PbConfig;
use super::types::{Entry, Seq};
use crate::sim::retransmit::{RtoEstimator, RtoPolicy};
use crate::sim::types::{ClientId, Micros, NodeId};
use std::collections::BTreeMap;

/// The most entries one resend carries to one peer.
pub(super) const RESEND_BATCH: u64 = 32;

/// A backup (or the storage) as the primary tracks it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    /// It took the primary's state for this view (the storage needs no transfer).
    pub installed: bool,
    pub acked_through: Seq,
}

/// An answer waiting until its operation is safe.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Pending {
    pub client: ClientId,
    pub request: u64,
    pub wait_for: Seq,
    pub index: u64,
    pub ok: bool,
    pub value: Option<String>,
    pub write: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrimaryState {
    pub view: u64,
    /// Every backup took its state (cold: the replay is done): it acknowledges the view.
    pub ready: bool,
    /// A backup or the storage refused it for a newer view.
    pub deposed: bool,
    /// Cold mode: waiting for the storage's checkpoint and log, then replaying them.
    pub loading: bool,
    pub replaying: bool,
    pub peers: BTreeMap<NodeId, Peer>,
    pub(super) pending: Vec<Pending>,
    /// Writes not yet acknowledged by every peer, for resending.
    pub(super) log: BTreeMap<Seq, Entry>,
    pub(super) rto: RtoEstimator,
    /// The one write being timed for a round-trip sample, and when it left.
    pub(super) probe: Option<(Seq, Micros)>,
    pub(super) resend_armed: bool,
    /// Warm mode: a shipment is due.
    pub(super) ship_armed: bool,
    pub(super) timeouts_in_row: u32,
    /// Reads since the last write, for their positions.
    pub(super) reads_since_write: u64,
    pub(super) writes_since_checkpoint: u32,
}

pub(super) fn rto_policy(config: &PbConfig) -> RtoPolicy {
    RtoPolicy::Adaptive {
        initial_us: config.resend_us_min * 2,
        min_us: config.resend_us_min,
        max_us: config.resend_us_min * 32,
    }
}

impl PrimaryState {
    pub(super) fn new(view: u64, config: &PbConfig) -> PrimaryState {
        PrimaryState {
            view,
            ready: false,
            deposed: false,
            loading: false,
            replaying: false,
            peers: BTreeMap::new(),
            pending: Vec::new(),
            log: BTreeMap::new(),
            rto: RtoEstimator::new(&rto_policy(config)),
            probe: None,
            resend_armed: false,
            ship_armed: false,
            timeouts_in_row: 0,
            reads_since_write: 0,
            writes_since_checkpoint: 0,
        }
    }

    /// Every write through here is on every peer.
    pub(super) fn committed(&self, last_seq: Seq) -> Seq {
        self.peers
            .values()
            .map(|p| if p.installed { p.acked_through } else { 0 })
            .min()
            .unwrap_or(last_seq)
    }

    pub(super) fn outstanding(&self, last_seq: Seq) -> bool {
        self.loading
            || self
                .peers
                .values()
                .any(|p| !p.installed || p.acked_through < last_seq)
    }
}
