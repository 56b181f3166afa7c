//! Per-key replica bookkeeping: which nodes hold each key, which hold its latest write, where
//! it should live, and the counters the page shows (under-replicated, unavailable, lost).
//!
//! Replica sets are 64-bit masks (bit n-1 for node n) in shared vectors, so cloning the whole
//! store for time travel copies pointers, and the first write after a clone copies a vector.

use crate::sim::types::NodeId;
use std::rc::Rc;

pub fn bit(node: NodeId) -> u64 {
    1u64 << (node.0 - 1)
}

/// The nodes of a mask, in increasing id order.
pub fn nodes_of(mask: u64) -> Vec<NodeId> {
    (0..64)
        .filter(|i| mask & (1u64 << i) != 0)
        .map(|i| NodeId(i + 1))
        .collect()
}

/// The cluster-wide facts a key's status depends on.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// Nodes whose process is running.
    pub up: u64,
    /// The replication factor R.
    pub replication: u32,
}

/// Counters over all keys.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Keys with fewer than R copies on their preference list.
    pub under_replicated: u32,
    /// Keys no running node holds: unreadable until a crashed node returns.
    pub unavailable: u32,
    /// Keys no node holds at all, not even on a crashed node's disk.
    pub lost: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyTable {
    /// Nodes holding a copy of each key (any version).
    holders: Rc<Vec<u64>>,
    /// Nodes holding the latest write of each key.
    fresh: Rc<Vec<u64>>,
    /// Nodes a transfer of the key is on its way to.
    incoming: Rc<Vec<u64>>,
    /// The key's preference list on the current ring.
    desired: Rc<Vec<u64>>,
    /// The latest write of each key; every key starts at version 1.
    version: Rc<Vec<u32>>,
    counts: Counts,
}

impl KeyTable {
    /// Keys whose copies sit exactly on `desired`, all at version 1.
    pub fn new(desired: Vec<u64>, ctx: Context) -> KeyTable {
        let count = desired.len();
        let mut table = KeyTable {
            holders: Rc::new(desired.clone()),
            fresh: Rc::new(desired.clone()),
            incoming: Rc::new(vec![0; count]),
            desired: Rc::new(desired),
            version: Rc::new(vec![1; count]),
            counts: Counts::default(),
        };
        table.recount(ctx);
        table
    }

    pub fn len(&self) -> u32 {
        self.holders.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.holders.is_empty()
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    pub fn holders(&self, key: u32) -> u64 {
        self.holders[key as usize]
    }

    pub fn fresh(&self, key: u32) -> u64 {
        self.fresh[key as usize]
    }

    pub fn incoming(&self, key: u32) -> u64 {
        self.incoming[key as usize]
    }

    pub fn desired(&self, key: u32) -> u64 {
        self.desired[key as usize]
    }

    pub fn version(&self, key: u32) -> u32 {
        self.version[key as usize]
    }

    fn status(holders: u64, desired: u64, ctx: Context) -> (bool, bool, bool) {
        (
            (holders & desired).count_ones() < ctx.replication,
            holders & ctx.up == 0,
            holders == 0,
        )
    }

    fn adjust(&mut self, before: (bool, bool, bool), after: (bool, bool, bool)) {
        let step = |count: &mut u32, was: bool, is: bool| {
            if was && !is {
                *count -= 1;
            } else if is && !was {
                *count += 1;
            }
        };
        step(&mut self.counts.under_replicated, before.0, after.0);
        step(&mut self.counts.unavailable, before.1, after.1);
        step(&mut self.counts.lost, before.2, after.2);
    }

    /// Recomputes every counter: after a change that touches all keys (a node's liveness or
    /// the ring).
    pub fn recount(&mut self, ctx: Context) {
        let mut counts = Counts::default();
        for (holders, desired) in self.holders.iter().zip(self.desired.iter()) {
            let (under, unavailable, lost) = Self::status(*holders, *desired, ctx);
            counts.under_replicated += under as u32;
            counts.unavailable += unavailable as u32;
            counts.lost += lost as u32;
        }
        self.counts = counts;
    }

    /// Replaces every key's preference list (the ring changed) and recounts.
    pub fn set_desired(&mut self, desired: Vec<u64>, ctx: Context) {
        self.desired = Rc::new(desired);
        self.recount(ctx);
    }

    /// `node` now holds `key`, of the latest version if `latest`.
    pub fn add_copy(&mut self, key: u32, node: NodeId, latest: bool, ctx: Context) {
        let k = key as usize;
        let before = Self::status(self.holders[k], self.desired[k], ctx);
        Rc::make_mut(&mut self.holders)[k] |= bit(node);
        if latest {
            Rc::make_mut(&mut self.fresh)[k] |= bit(node);
        }
        let after = Self::status(self.holders[k], self.desired[k], ctx);
        self.adjust(before, after);
    }

    /// Deletes the copies of `key` on the nodes of `mask`.
    pub fn drop_copies(&mut self, key: u32, mask: u64, ctx: Context) {
        let k = key as usize;
        let before = Self::status(self.holders[k], self.desired[k], ctx);
        Rc::make_mut(&mut self.holders)[k] &= !mask;
        Rc::make_mut(&mut self.fresh)[k] &= !mask;
        let after = Self::status(self.holders[k], self.desired[k], ctx);
        self.adjust(before, after);
    }

    /// Deletes every copy on `node` (it left with its disk) and returns the keys that had no
    /// other copy.
    pub fn forget_node(&mut self, node: NodeId, ctx: Context) -> u32 {
        let mask = bit(node);
        let mut lost = 0;
        let holders = Rc::make_mut(&mut self.holders);
        for h in holders.iter_mut() {
            if *h == mask {
                lost += 1;
            }
            *h &= !mask;
        }
        for f in Rc::make_mut(&mut self.fresh).iter_mut() {
            *f &= !mask;
        }
        for i in Rc::make_mut(&mut self.incoming).iter_mut() {
            *i &= !mask;
        }
        self.recount(ctx);
        lost
    }

    pub fn mark_incoming(&mut self, key: u32, node: NodeId) {
        Rc::make_mut(&mut self.incoming)[key as usize] |= bit(node);
    }

    pub fn clear_incoming(&mut self, key: u32, node: NodeId) {
        Rc::make_mut(&mut self.incoming)[key as usize] &= !bit(node);
    }

    /// A write starts: the key gets a new version that no node holds yet.
    pub fn new_version(&mut self, key: u32) -> u32 {
        let k = key as usize;
        let versions = Rc::make_mut(&mut self.version);
        versions[k] += 1;
        Rc::make_mut(&mut self.fresh)[k] = 0;
        versions[k]
    }

    /// How many keys have each number of copies on their preference list: index i counts
    /// keys with i copies, for i in 0..=R.
    pub fn replica_histogram(&self, replication: u32) -> Vec<u32> {
        let mut histogram = vec![0; replication as usize + 1];
        for (holders, desired) in self.holders.iter().zip(self.desired.iter()) {
            let copies = ((holders & desired).count_ones()).min(replication);
            histogram[copies as usize] += 1;
        }
        histogram
    }

    /// Keys held per node id (index id - 1), counting every copy.
    pub fn copies_per_node(&self) -> [u32; 64] {
        let mut counts = [0u32; 64];
        for holders in self.holders.iter() {
            let mut mask = *holders;
            while mask != 0 {
                let i = mask.trailing_zeros();
                counts[i as usize] += 1;
                mask &= mask - 1;
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_follow_copies() {
        let ctx = Context {
            up: 0b111,
            replication: 2,
        };
        let mut table = KeyTable::new(vec![0b011, 0b110], ctx);
        assert_eq!(table.counts(), Counts::default());
        let down_1 = Context { up: 0b110, ..ctx };
        table.recount(down_1);
        assert_eq!(table.counts().unavailable, 0);
        table.set_desired(vec![0b110, 0b110], down_1);
        assert_eq!(table.counts().under_replicated, 1);
        table.add_copy(0, NodeId(3), true, down_1);
        assert_eq!(table.counts().under_replicated, 0);
        assert_eq!(table.forget_node(NodeId(2), down_1), 0);
        assert_eq!(table.counts().under_replicated, 2);
        assert_eq!(table.replica_histogram(2), vec![0, 2, 0]);
        assert_eq!(nodes_of(table.holders(0)), vec![NodeId(1), NodeId(3)]);
    }
}
