//! Settings of a replicated ring store run, with their defaults stated once.

use crate::i18n::Text;
use crate::sim::rng::Ppm;
use crate::sim::types::{Micros, MICROS_PER_MS};
use serde::{Deserialize, Serialize};

/// Node ids run from 1 to this: replica sets are 64-bit masks.
pub const MAX_NODE_ID: u32 = 64;
/// Dynamo's N, the replication factor, is at most this in the page.
pub const MAX_REPLICATION: u32 = 5;
/// The most keys a store holds (the page offers up to 100,000).
pub const MAX_STORE_KEYS: u32 = 1_000_000;
/// Tokens per node of the page's ring (and its widgets): more than the store's default, so
/// that the ring starts fairly balanced.
pub const PAGE_VNODES: u32 = 64;
/// Bytes of key and header that travel with each value in a transfer.
pub const KEY_OVERHEAD_BYTES: u64 = 32;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RingSettings {
    /// Seed of token positions, key positions and the workload.
    pub seed: u64,
    /// Nodes at the start, numbered 1..=nodes.
    pub nodes: u32,
    /// Tokens per node (Dynamo section 4.2's virtual nodes).
    pub vnodes: u32,
    /// R: replicas per key, the first R distinct nodes clockwise (Dynamo section 4.3, "N").
    pub replication: u32,
    /// W: acknowledgements a write waits for (Dynamo section 4.5).
    pub write_quorum: u32,
    /// R_read: replies a read waits for; R_read + W > R makes read and write quorums overlap.
    pub read_quorum: u32,
    /// Keys loaded at the start, each on its full preference list.
    pub keys: u32,
    pub value_bytes: u32,
    /// One-way network latency between any two nodes.
    pub latency_us: Micros,
    /// Each node's outgoing bandwidth for transfers; a node sends one transfer at a time.
    pub bandwidth_bytes_per_s: u64,
    /// The most keys one transfer message carries.
    pub transfer_batch_keys: u32,
    /// How long after a crash the cluster notices and takes the node off the ring (Dynamo
    /// section 4.8: failure detection is local and takes time).
    pub failure_detection_us: Micros,
    /// A read or write without its quorum by then fails.
    pub request_timeout_us: Micros,
    /// A random read or write every this often; 0 turns the workload off.
    pub workload_interval_us: Micros,
    /// Share of workload operations that are reads.
    pub workload_read_ppm: Ppm,
}

impl Default for RingSettings {
    fn default() -> Self {
        RingSettings {
            seed: 1,
            nodes: 8,
            vnodes: 16,
            replication: 3,
            write_quorum: 2,
            read_quorum: 2,
            keys: 10_000,
            value_bytes: 1024,
            latency_us: 2 * MICROS_PER_MS,
            bandwidth_bytes_per_s: 1_000_000,
            transfer_batch_keys: 256,
            failure_detection_us: 1_000 * MICROS_PER_MS,
            request_timeout_us: 500 * MICROS_PER_MS,
            workload_interval_us: 0,
            workload_read_ppm: 500_000,
        }
    }
}

impl RingSettings {
    /// Checks every setting; the error names the first bad one.
    pub fn validate(&self) -> Result<(), Text> {
        let within = |name: &str, value: u64, min: u64, max: u64| {
            if value < min || value > max {
                Err(Text::new("error.settings.outside")
                    .with("field", name)
                    .with("value", value)
                    .with("min", min)
                    .with("max", max))
            } else {
                Ok(())
            }
        };
        within("nodes", self.nodes as u64, 1, MAX_NODE_ID as u64)?;
        within("vnodes", self.vnodes as u64, 1, 1000)?;
        within(
            "replication",
            self.replication as u64,
            1,
            MAX_REPLICATION as u64,
        )?;
        within(
            "write_quorum",
            self.write_quorum as u64,
            1,
            self.replication as u64,
        )?;
        within(
            "read_quorum",
            self.read_quorum as u64,
            1,
            self.replication as u64,
        )?;
        within("keys", self.keys as u64, 0, MAX_STORE_KEYS as u64)?;
        within("value_bytes", self.value_bytes as u64, 1, 1 << 26)?;
        within(
            "bandwidth_bytes_per_s",
            self.bandwidth_bytes_per_s,
            1,
            u64::MAX >> 24,
        )?;
        within(
            "transfer_batch_keys",
            self.transfer_batch_keys as u64,
            1,
            1 << 20,
        )?;
        within(
            "workload_read_ppm",
            self.workload_read_ppm as u64,
            0,
            1_000_000,
        )?;
        if self.request_timeout_us == 0 {
            return Err(Text::new("error.settings.positive").with("field", "request_timeout_us"));
        }
        Ok(())
    }

    /// Whether every read quorum overlaps every write quorum (R_read + W > R), so a read
    /// after a successful write sees it while the preference list is stable (Dynamo 4.5).
    pub fn quorums_overlap(&self) -> bool {
        self.read_quorum + self.write_quorum > self.replication
    }
}
