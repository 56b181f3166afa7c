//! What the learner (or a test, or a shared link) can do to a running ring store: the same
//! node controls as the Raft mode, plus adding and removing nodes and client reads and writes.

use crate::sim::engine::Fault;
use crate::sim::types::NodeId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum RingAction {
    /// The node's process stops; its disk keeps its replicas. The cluster notices after
    /// `failure_detection_us` and takes it off the ring.
    Crash { node: NodeId },
    /// A crashed node comes back with the replicas on its disk and rejoins the ring at once.
    Restart { node: NodeId },
    /// A new, empty node joins with the lowest free id and streams its ranges in.
    Add,
    /// The node leaves the ring: it keeps serving as a source until every key it holds has
    /// its replicas elsewhere, then it is gone. A crashed node is gone at once, with its disk.
    Remove { node: NodeId },
    /// Split the nodes into groups; nodes in no group form one more group together.
    Partition { groups: Vec<Vec<NodeId>> },
    /// Remove every partition and cut.
    Heal,
    /// Stop messages from `from` to `to` (and back, with `both`).
    Cut {
        from: NodeId,
        to: NodeId,
        #[serde(default)]
        both: bool,
    },
    Repair {
        from: NodeId,
        to: NodeId,
        #[serde(default)]
        both: bool,
    },
    /// A client writes a new version of `key` (Dynamo section 4.5: a coordinator sends it to
    /// the preference list and waits for W acknowledgements).
    Put { key: u32 },
    /// A client reads `key`, waiting for R_read replies.
    Get { key: u32 },
    /// One of the engine's faults the ring has no words of its own for (the fault search's
    /// loss and duplication, a message dropped by hand). Never in a link or a scenario.
    #[serde(skip)]
    Fault(Fault),
}
