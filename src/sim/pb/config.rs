//! Settings of a primary-backup run, with their defaults stated once and their bounds checked
//! by `validate`. Node 1 is the view service; nodes `2..=1 + servers` are the servers (one
//! primary and its backups, or in cold mode one primary and its standbys); in cold mode one
//! more node is the shared storage.

use crate::i18n::Text;
use crate::sim::engine::within;
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};
use serde::{Deserialize, Serialize};

/// The view service's node: one node on purpose (it is the run's single point of failure;
/// real systems put it on Raft or ZooKeeper).
pub const VIEW_SERVICE: NodeId = NodeId(1);
/// The fewest and the most servers besides the primary (backups, or cold standbys).
pub const BACKUPS_MIN: u32 = 1;
pub const BACKUPS_MAX: u32 = 4;
/// The most clients of a run.
pub const CLIENTS_MAX: u32 = 16;
/// The most keys the clients use.
pub const KEYS_MAX: u32 = 100;
/// The longest any delay or timeout may be.
pub const TIMEOUT_US_MAX: Micros = 600_000 * MICROS_PER_MS;

/// How the primary keeps its copies.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Replication {
    /// Hot standby: every operation is forwarded to every backup of the view, and the client
    /// is answered only once they all acknowledged it (Alsberg & Day 1976; the 6.824 primary).
    #[default]
    Hot,
    /// Warm standby: the client is answered at once and the log is shipped to the backups
    /// after, so a failover loses the tail not yet shipped.
    Warm,
    /// Cold standby: no backup runs; the primary ships its log to shared storage (answering
    /// once it is stored) and checkpoints there; on failure a standby starts from the last
    /// checkpoint and replays the log after it.
    Cold,
}

impl Replication {
    pub const ALL: [Replication; 3] = [Replication::Hot, Replication::Warm, Replication::Cold];

    pub fn name(self) -> &'static str {
        match self {
            Replication::Hot => "hot",
            Replication::Warm => "warm",
            Replication::Cold => "cold",
        }
    }

    pub fn from_name(name: &str) -> Option<Replication> {
        Replication::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// Deliberate mistakes that show why each rule exists. The checks must catch every one of
/// them (`faultline fuzz --protocol primary-backup --bug NAME --expect-unsafe`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bugs {
    /// `no-fencing`: backups and storage accept operations stamped with an older view, so a
    /// deposed primary's late forwards land beside the new primary's. Caught by Backup Order.
    pub no_fencing: bool,
    /// `no-lease`: a primary serves for as long as it believes it is primary, lease or not,
    /// so a primary cut off from the view service answers after another was promoted.
    /// Caught by Primary Holds the View.
    pub no_lease: bool,
    /// `ack-before-forward` (hot mode): the primary answers before its backups acknowledged,
    /// so a crash loses acknowledged writes. Caught by Acknowledged Writes Kept.
    pub ack_before_forward: bool,
}

impl Bugs {
    pub fn any(&self) -> bool {
        self.no_fencing || self.no_lease || self.ack_before_forward
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PbConfig {
    pub replication: Replication,
    /// Servers besides the first primary: backups (hot, warm) or standbys (cold).
    pub backups: u32,
    /// A server pings the view service this often (6.824's `PingInterval`).
    pub ping_interval_us: Micros,
    /// The view service declares a server dead when it has not heard from it this long
    /// (6.824's `DeadPings * PingInterval`).
    pub dead_timeout_us: Micros,
    /// A primary serves only until this long after the ping that earned its lease was sent;
    /// the view service promotes nobody else until this long after it granted the lease.
    pub lease_us: Micros,
    /// The least time before the primary sends an unacknowledged forward again; the timeout
    /// then adapts to the measured round trips (RFC 6298, as the retransmission protocol does).
    pub resend_us_min: Micros,
    /// Warm mode: the primary ships the writes its backups lack this often (the tail a
    /// failover loses is what was written since the last shipment, or lost on the way).
    pub ship_interval_us: Micros,
    /// Cold mode: the primary writes a checkpoint to shared storage every this many writes
    /// (0: never, so a takeover replays the whole log).
    pub checkpoint_every_writes: u32,
    /// Cold mode: a standby's cost of replaying one shipped log entry.
    pub replay_us_per_entry: Micros,
    /// Cold mode: a standby's cost of loading the checkpoint.
    pub checkpoint_load_us: Micros,
    /// Clients, each with one operation at a time.
    pub clients: u32,
    /// Keys the clients use.
    pub keys: u32,
    /// A client's pause between one reply and its next operation.
    pub think_us: Micros,
    /// A client with no reply this long sends its operation again to another server.
    pub client_timeout_us: Micros,
    pub bugs: Bugs,
}

impl Default for PbConfig {
    fn default() -> Self {
        PbConfig {
            replication: Replication::Hot,
            backups: 2,
            ping_interval_us: 50 * MICROS_PER_MS,
            dead_timeout_us: 250 * MICROS_PER_MS,
            lease_us: 200 * MICROS_PER_MS,
            resend_us_min: 40 * MICROS_PER_MS,
            ship_interval_us: 50 * MICROS_PER_MS,
            checkpoint_every_writes: 50,
            replay_us_per_entry: 2 * MICROS_PER_MS,
            checkpoint_load_us: 20 * MICROS_PER_MS,
            clients: 3,
            keys: 3,
            think_us: 20 * MICROS_PER_MS,
            client_timeout_us: 400 * MICROS_PER_MS,
            bugs: Bugs::default(),
        }
    }
}

impl PbConfig {
    /// The servers (primary and backups or standbys).
    pub fn servers(&self) -> u32 {
        1 + self.backups
    }

    /// Every node of the run: the view service, the servers, and cold mode's storage.
    pub fn nodes(&self) -> u32 {
        1 + self.servers() + u32::from(self.replication == Replication::Cold)
    }

    /// Whether `id` is a server.
    pub fn is_server(&self, id: NodeId) -> bool {
        (2..=1 + self.servers()).contains(&id.0)
    }

    /// Cold mode's shared storage node.
    pub fn storage(&self) -> Option<NodeId> {
        (self.replication == Replication::Cold).then_some(NodeId(2 + self.servers()))
    }

    /// Every server, in id order.
    pub fn server_ids(&self) -> impl Iterator<Item = NodeId> {
        (2..=1 + self.servers()).map(NodeId)
    }

    /// Checks every range; the error names the field, its value and its bounds.
    pub fn validate(&self) -> Result<(), Text> {
        within(
            "pb.backups",
            self.backups.into(),
            BACKUPS_MIN.into(),
            BACKUPS_MAX.into(),
        )?;
        within("pb.clients", self.clients.into(), 0, CLIENTS_MAX.into())?;
        within("pb.keys", self.keys.into(), 1, KEYS_MAX.into())?;
        for (field, value) in [
            ("pb.ping_interval_us", self.ping_interval_us),
            ("pb.resend_us_min", self.resend_us_min),
            ("pb.ship_interval_us", self.ship_interval_us),
            ("pb.client_timeout_us", self.client_timeout_us),
        ] {
            within(field, value, 1, TIMEOUT_US_MAX)?;
        }
        // The service must not declare dead a server that is merely between two pings.
        within(
            "pb.dead_timeout_us",
            self.dead_timeout_us,
            self.ping_interval_us + 1,
            TIMEOUT_US_MAX,
        )?;
        within("pb.lease_us", self.lease_us, 1, TIMEOUT_US_MAX)?;
        for (field, value) in [
            ("pb.think_us", self.think_us),
            ("pb.replay_us_per_entry", self.replay_us_per_entry),
            ("pb.checkpoint_load_us", self.checkpoint_load_us),
        ] {
            within(field, value, 0, TIMEOUT_US_MAX)?;
        }
        within(
            "pb.checkpoint_every_writes",
            self.checkpoint_every_writes.into(),
            0,
            1_000_000,
        )?;
        Ok(())
    }
}
