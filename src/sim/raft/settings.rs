//! Everything that defines a run besides its actions: cluster size, seed, protocol, network,
//! disk and client load. Defaults are stated once, here and in the nested configs.

use crate::i18n::Text;
use crate::sim::disk::DiskConfig;
use crate::sim::net::NetConfig;
use crate::sim::raft::config::RaftConfig;
use crate::sim::rng::{Ppm, PPM_ONE};
use crate::sim::types::{Micros, MICROS_PER_MS};
use serde::{Deserialize, Serialize};

/// The smallest and largest cluster the page and the CLI accept.
pub const NODES_MIN: u32 = 1;
pub const NODES_MAX: u32 = 9;

/// Simulated clients that issue a steady stream of operations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Workload {
    /// How many clients run; 0 leaves only the learner's own requests.
    pub clients: u32,
    /// Pause between a reply and the client's next operation.
    pub think_us_min: Micros,
    pub think_us_max: Micros,
    /// How many distinct keys the clients touch (few keys make conflicts likely).
    pub keys: u32,
    /// A client that hears nothing for this long retries at another server.
    pub request_timeout_us: Micros,
    /// The mix of operations; the rest are puts.
    pub get_ppm: Ppm,
    pub cas_ppm: Ppm,
    pub delete_ppm: Ppm,
}

impl Default for Workload {
    fn default() -> Self {
        Workload {
            clients: 0,
            think_us_min: 20 * MICROS_PER_MS,
            think_us_max: 100 * MICROS_PER_MS,
            keys: 3,
            request_timeout_us: 400 * MICROS_PER_MS,
            get_ppm: 300_000,
            cas_ppm: 100_000,
            delete_ppm: 50_000,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub nodes: u32,
    pub seed: u64,
    pub raft: RaftConfig,
    pub network: NetConfig,
    pub disk: DiskConfig,
    pub workload: Workload,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            nodes: 5,
            seed: 1,
            raft: RaftConfig::default(),
            network: NetConfig::default(),
            disk: DiskConfig::default(),
            workload: Workload::default(),
        }
    }
}

impl Settings {
    /// Checks every range; the error names the field.
    pub fn validate(&self) -> Result<(), Text> {
        let outside = |field: &str, value: u64, min: u64, max: u64| {
            Text::new("error.settings.outside")
                .with("field", field)
                .with("value", value)
                .with("min", min)
                .with("max", max)
        };
        let positive = |field: &str| Text::new("error.settings.positive").with("field", field);
        if !(NODES_MIN..=NODES_MAX).contains(&self.nodes) {
            return Err(outside(
                "nodes",
                self.nodes.into(),
                NODES_MIN.into(),
                NODES_MAX.into(),
            ));
        }
        let r = &self.raft;
        if r.voters_initial > self.nodes {
            return Err(outside(
                "raft.voters_initial",
                r.voters_initial.into(),
                0,
                self.nodes.into(),
            ));
        }
        if r.election_timeout_us_min == 0 || r.election_timeout_us_min > r.election_timeout_us_max {
            return Err(Text::new("error.settings.election_timeout")
                .with("min", r.election_timeout_us_min)
                .with("max", r.election_timeout_us_max));
        }
        if r.election_timeout_granularity_us > 0 && r.election_timeout_multiples_us().is_none() {
            return Err(Text::new("error.settings.granularity")
                .with("granularity", r.election_timeout_granularity_us)
                .with("min", r.election_timeout_us_min)
                .with("max", r.election_timeout_us_max));
        }
        if r.heartbeat_interval_us == 0 {
            return Err(positive("raft.heartbeat_interval_us"));
        }
        if r.max_entries_per_append == 0 {
            return Err(positive("raft.max_entries_per_append"));
        }
        self.network
            .validate()
            .map_err(|e| Text::new("error.settings.network").with_text("error", e))?;
        let w = &self.workload;
        if w.clients > 64 {
            return Err(outside("workload.clients", w.clients.into(), 0, 64));
        }
        if w.keys == 0 || w.keys > 1000 {
            return Err(outside("workload.keys", w.keys.into(), 1, 1000));
        }
        if w.think_us_min > w.think_us_max {
            return Err(Text::new("error.settings.min_above_max")
                .with("min_field", "workload.think_us_min")
                .with("min", w.think_us_min)
                .with("max_field", "workload.think_us_max")
                .with("max", w.think_us_max));
        }
        if w.request_timeout_us == 0 {
            return Err(positive("workload.request_timeout_us"));
        }
        if w.get_ppm as u64 + w.cas_ppm as u64 + w.delete_ppm as u64 > PPM_ONE as u64 {
            return Err(Text::new("error.settings.op_mix"));
        }
        Ok(())
    }
}
