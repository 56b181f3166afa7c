//! A set of node ids in slot order: what every placement strategy is computed over.
//!
//! Most strategies depend only on the set of ids. Modulo-N and jump consistent hash number
//! their buckets `0..n`, so for them the order matters: a membership keeps its nodes in slot
//! order, adding appends a slot and removing moves the last slot's node into the freed slot
//! (the usual way to use jump hash with arbitrary removals; Lamping and Veach 2014, section 5,
//! note that jump hash itself can only add or remove buckets at the end).

use crate::sim::types::NodeId;
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    slots: Vec<NodeId>,
}

impl Membership {
    /// Nodes in the given slot order. Errors on an empty list, a duplicate or node 0.
    pub fn new(slots: Vec<NodeId>) -> Result<Membership, String> {
        if slots.is_empty() {
            return Err("a membership needs at least one node".into());
        }
        let mut seen = BTreeSet::new();
        for id in &slots {
            if id.0 == 0 {
                return Err("node ids start at 1".into());
            }
            if !seen.insert(*id) {
                return Err(format!("node {} is listed twice", id.0));
            }
        }
        Ok(Membership { slots })
    }

    /// Nodes 1..=n.
    pub fn contiguous(n: u32) -> Result<Membership, String> {
        Membership::new((1..=n).map(NodeId).collect())
    }

    pub fn slots(&self) -> &[NodeId] {
        &self.slots
    }

    pub fn len(&self) -> u32 {
        self.slots.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn contains(&self, id: NodeId) -> bool {
        self.slots.contains(&id)
    }

    /// This membership with `count` new nodes appended, numbered after the highest id.
    pub fn with_added(&self, count: u32) -> Membership {
        let highest = self.slots.iter().map(|id| id.0).max().unwrap_or(0);
        let mut slots = self.slots.clone();
        slots.extend((1..=count).map(|i| NodeId(highest + i)));
        Membership { slots }
    }

    /// This membership without `ids`; each freed slot takes the node of the current last slot.
    pub fn without(&self, ids: &[NodeId]) -> Result<Membership, String> {
        let mut slots = self.slots.clone();
        for id in ids {
            let Some(at) = slots.iter().position(|s| s == id) else {
                return Err(format!("node {} is not a member", id.0));
            };
            slots.swap_remove(at);
        }
        if slots.is_empty() {
            return Err("cannot remove every node".into());
        }
        Ok(Membership { slots })
    }

    /// This membership changed to hold exactly `ids`, the way a cluster changes: each node
    /// that left frees its slot as in [`Membership::without`], then the new ones are appended
    /// in the order given. Errors when no node is left.
    pub fn changed_to(&self, ids: &[NodeId]) -> Result<Membership, String> {
        let gone: Vec<NodeId> = self
            .slots
            .iter()
            .copied()
            .filter(|id| !ids.contains(id))
            .collect();
        let mut slots = self.slots.clone();
        for id in gone {
            if let Some(at) = slots.iter().position(|s| *s == id) {
                slots.swap_remove(at);
            }
        }
        slots.extend(ids.iter().filter(|id| !self.contains(**id)));
        Membership::new(slots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_from_the_middle_moves_the_last_slot() {
        let m = Membership::contiguous(8).unwrap();
        let without_3 = m.without(&[NodeId(3)]).unwrap();
        let ids: Vec<u32> = without_3.slots().iter().map(|n| n.0).collect();
        assert_eq!(ids, vec![1, 2, 8, 4, 5, 6, 7]);
        let added = without_3.with_added(2);
        assert_eq!(added.slots()[7..], [NodeId(9), NodeId(10)]);
    }

    #[test]
    fn changed_to_frees_slots_then_appends() {
        let m = Membership::contiguous(4).unwrap();
        let ids = [NodeId(1), NodeId(3), NodeId(4), NodeId(9)];
        let changed = m.changed_to(&ids).unwrap();
        assert_eq!(
            changed.slots(),
            [NodeId(1), NodeId(4), NodeId(3), NodeId(9)]
        );
        assert_eq!(m.changed_to(m.slots()).unwrap(), m);
        assert!(m.changed_to(&[]).is_err());
    }

    #[test]
    fn bad_memberships_are_errors() {
        assert!(Membership::new(vec![]).is_err());
        assert!(Membership::new(vec![NodeId(1), NodeId(1)]).is_err());
        assert!(Membership::new(vec![NodeId(0)]).is_err());
        let m = Membership::contiguous(2).unwrap();
        assert!(m.without(&[NodeId(5)]).is_err());
        assert!(m.without(&[NodeId(1), NodeId(2)]).is_err());
    }
}
