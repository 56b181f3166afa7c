//! Log Matching (Raft paper, Figure 3 and section 5.3): if two logs contain an entry with the
//! same index and term, the logs are identical in all entries up through that index.

use super::detail::Detail;
use super::mirror::Appended;
use super::property::{Finding, Property};

#[derive(Clone, Debug, Default)]
pub struct LogMatching;

impl LogMatching {
    /// Compares the chain hash of a new entry with the first one seen at its index and term.
    pub fn observe(&mut self, appended: Option<&Appended>) -> Option<Finding> {
        let a = appended?;
        let (first_chain, first_node) = a.earlier?;
        (first_chain != a.chain).then(|| Finding {
            property: Property::LogMatching,
            nodes: vec![first_node, a.node],
            index: Some(a.index),
            term: Some(a.term),
            detail: Box::new(Detail::LogsDiffer {
                a: first_node,
                b: a.node,
                term: a.term,
                index: a.index,
            }),
        })
    }
}
