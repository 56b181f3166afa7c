//! Settings of a Paxos run, with their defaults stated once and their bounds checked by
//! `validate`. Every node is an acceptor and a learner; in single-decree Paxos nodes
//! `1..=proposers` also propose, in Multi-Paxos every node may become the leader.

use crate::i18n::Text;
use crate::sim::engine::within;
use crate::sim::types::{Micros, MICROS_PER_MS};
use serde::{Deserialize, Serialize};

/// The fewest and the most nodes of a run.
pub const NODES_MIN: u32 = 1;
pub const NODES_MAX: u32 = 9;
/// The most clients of a Multi-Paxos run.
pub const CLIENTS_MAX: u32 = 16;
/// The most keys the clients use.
pub const KEYS_MAX: u32 = 100;
/// The longest any delay or timeout may be.
pub const TIMEOUT_US_MAX: Micros = 600_000 * MICROS_PER_MS;

/// Which Paxos a run is.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// One value decided by proposers, acceptors and learners ("Paxos Made Simple", section 2).
    #[default]
    Single,
    /// A replicated log of a key-value store's commands with a distinguished proposer, the
    /// leader (section 3).
    Multi,
}

impl Variant {
    pub const ALL: [Variant; 2] = [Variant::Single, Variant::Multi];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Single => "single",
            Variant::Multi => "multi",
        }
    }

    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// Deliberate mistakes that show why each rule exists. The checks must catch every one of
/// them (`faultline fuzz --protocol paxos [--variant multi] --bug NAME --expect-unsafe`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bugs {
    /// `forget-promise-on-crash`: an acceptor keeps its promises in memory only (section 2.5
    /// asks for stable storage), so after a crash it accepts a proposal numbered below one it
    /// promised to ignore. Caught by Agreement.
    pub forget_promise_on_crash: bool,
    /// `ignore-promise-values`: a proposer proposes its own value in phase 2 (a Multi-Paxos
    /// leader: a no-op in every unfinished slot) whatever the promises report, breaking
    /// section 2.2's P2c. Caught by Agreement.
    pub ignore_promise_values: bool,
    /// `accept-lower-ballot`: an acceptor accepts a proposal numbered below its promise
    /// (section 2.2, P1a). Caught by Agreement.
    pub accept_lower_ballot: bool,
}

impl Bugs {
    pub fn any(&self) -> bool {
        self.forget_promise_on_crash || self.ignore_promise_values || self.accept_lower_ballot
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaxosConfig {
    pub variant: Variant,
    /// Nodes of the run, each an acceptor and a learner.
    pub nodes: u32,
    /// Single-decree: nodes `1..=proposers` propose.
    pub proposers: u32,
    /// Single-decree: each proposer starts at a moment drawn from `0..=proposer_start_us_max`
    /// (0: all at once, the dueling start).
    pub proposer_start_us_max: Micros,
    /// A pre-empted proposer (single-decree) waits between these before it tries again with
    /// a higher ballot, drawn from the node's own random stream, the range's width doubling
    /// with each ballot abandoned in a row (up to 64 times). Equal, the wait is fixed, and two
    /// proposers that pre-empt each other can do so forever (section 2.4).
    pub retry_delay_us_min: Micros,
    pub retry_delay_us_max: Micros,
    /// A proposer that has no majority this long after a phase began (lost messages, crashed
    /// acceptors) starts again with a higher ballot.
    pub phase_timeout_us: Micros,
    /// Single-decree: a learner that has learned nothing asks the others this often.
    pub ask_us: Micros,
    /// Multi-Paxos: the leader's heartbeat interval.
    pub heartbeat_us: Micros,
    /// Multi-Paxos: a node that hears no leader for a time drawn from this range campaigns.
    pub election_timeout_us_min: Micros,
    pub election_timeout_us_max: Micros,
    /// Multi-Paxos: clients, each with one command at a time.
    pub clients: u32,
    /// Multi-Paxos: keys the clients use.
    pub keys: u32,
    /// Multi-Paxos: a client's pause between one reply and its next command.
    pub think_us: Micros,
    /// Multi-Paxos: a client with no reply this long sends its command again elsewhere.
    pub client_timeout_us: Micros,
    pub bugs: Bugs,
}

impl Default for PaxosConfig {
    fn default() -> Self {
        PaxosConfig {
            variant: Variant::Single,
            nodes: 5,
            proposers: 2,
            proposer_start_us_max: 0,
            retry_delay_us_min: 2 * MICROS_PER_MS,
            retry_delay_us_max: 40 * MICROS_PER_MS,
            phase_timeout_us: 200 * MICROS_PER_MS,
            ask_us: 200 * MICROS_PER_MS,
            heartbeat_us: 50 * MICROS_PER_MS,
            election_timeout_us_min: 300 * MICROS_PER_MS,
            election_timeout_us_max: 600 * MICROS_PER_MS,
            clients: 3,
            keys: 3,
            think_us: 20 * MICROS_PER_MS,
            client_timeout_us: 500 * MICROS_PER_MS,
            bugs: Bugs::default(),
        }
    }
}

impl PaxosConfig {
    /// Whether node `id` proposes (single-decree; in Multi-Paxos every node may lead).
    pub fn proposes(&self, id: crate::sim::types::NodeId) -> bool {
        match self.variant {
            Variant::Single => (1..=self.proposers).contains(&id.0),
            Variant::Multi => true,
        }
    }

    /// Checks every range; the error names the field, its value and its bounds.
    pub fn validate(&self) -> Result<(), Text> {
        within(
            "paxos.nodes",
            self.nodes.into(),
            NODES_MIN.into(),
            NODES_MAX.into(),
        )?;
        within(
            "paxos.proposers",
            self.proposers.into(),
            1,
            self.nodes.into(),
        )?;
        within("paxos.clients", self.clients.into(), 0, CLIENTS_MAX.into())?;
        within("paxos.keys", self.keys.into(), 1, KEYS_MAX.into())?;
        for (field, value) in [
            ("paxos.proposer_start_us_max", self.proposer_start_us_max),
            ("paxos.retry_delay_us_min", self.retry_delay_us_min),
            ("paxos.think_us", self.think_us),
        ] {
            within(field, value, 0, TIMEOUT_US_MAX)?;
        }
        within(
            "paxos.retry_delay_us_max",
            self.retry_delay_us_max,
            self.retry_delay_us_min,
            TIMEOUT_US_MAX,
        )?;
        for (field, value) in [
            ("paxos.phase_timeout_us", self.phase_timeout_us),
            ("paxos.ask_us", self.ask_us),
            ("paxos.heartbeat_us", self.heartbeat_us),
            (
                "paxos.election_timeout_us_min",
                self.election_timeout_us_min,
            ),
            ("paxos.client_timeout_us", self.client_timeout_us),
        ] {
            within(field, value, 1, TIMEOUT_US_MAX)?;
        }
        within(
            "paxos.election_timeout_us_max",
            self.election_timeout_us_max,
            self.election_timeout_us_min,
            TIMEOUT_US_MAX,
        )?;
        Ok(())
    }
}
