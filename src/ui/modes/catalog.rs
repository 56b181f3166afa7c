//! Which modes the page has: their names in links and their words on the mode switch. Adding
//! a mode adds a variant here and its folder beside this file.

use crate::sim::raft::settings::NODES_MAX;
use crate::sim::types::Micros;
use crate::sim::Settings;
use crate::ui::i18n::t;

/// What the page teaches: Raft itself, or how a node's disk survives a crash.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Raft,
    LogReplay,
    /// Consistent hashing and a Dynamo-style store: runs a `RingSim`, not the Raft engine.
    Ring,
    /// Retransmission: a sender, a receiver and a lossy link; runs `Engine<Retransmit>`.
    Retransmit,
    /// Two-phase commit: a coordinator and shards; runs `Engine<TwoPc>`.
    TwoPc,
    /// Paxos, single-decree or Multi-Paxos, beside Raft; runs `Engine<Paxos>`.
    Paxos,
    /// Primary-backup with a view service (hot, warm or cold standby); runs
    /// `Engine<PrimaryBackup>`.
    PrimaryBackup,
}

impl Mode {
    /// Every mode, in the order of the mode switch.
    pub const ALL: [Mode; 7] = [
        Mode::Raft,
        Mode::LogReplay,
        Mode::Ring,
        Mode::Retransmit,
        Mode::TwoPc,
        Mode::Paxos,
        Mode::PrimaryBackup,
    ];

    /// The mode's name in links (and its `data-action`, `mode-<id>`).
    pub fn id(self) -> &'static str {
        match self {
            Mode::Raft => "raft",
            Mode::LogReplay => "replay",
            Mode::Ring => "ring",
            Mode::Retransmit => "retransmit",
            Mode::TwoPc => "2pc",
            Mode::Paxos => "paxos",
            Mode::PrimaryBackup => "primary-backup",
        }
    }

    pub fn from_id(id: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.id() == id)
    }

    /// Whether this bundle holds the mode's page. The default page holds Raft and Log replay
    /// only; the others open the full page (`full/`) at the same address.
    pub fn in_bundle(self) -> bool {
        match self {
            Mode::Raft | Mode::LogReplay => true,
            Mode::Ring => cfg!(feature = "mode-ring"),
            Mode::Retransmit => cfg!(feature = "mode-retransmit"),
            Mode::TwoPc => cfg!(feature = "mode-2pc"),
            Mode::Paxos => cfg!(feature = "mode-paxos"),
            Mode::PrimaryBackup => cfg!(feature = "mode-pb"),
        }
    }

    /// The mode switch's button, its tooltip and the header's subtitle.
    pub fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Mode::Raft => (t("mode.raft"), t("mode.raft_title"), t("header.raft")),
            Mode::LogReplay => (t("mode.replay"), t("mode.replay_title"), t("header.replay")),
            Mode::Ring => (t("mode.ring"), t("mode.ring_title"), t("header.ring")),
            Mode::Retransmit => (
                t("mode.retransmit"),
                t("mode.retransmit_title"),
                t("header.retransmit"),
            ),
            Mode::TwoPc => (t("mode.2pc"), t("mode.2pc_title"), t("header.2pc")),
            Mode::Paxos => (t("mode.paxos"), t("mode.paxos_title"), t("header.paxos")),
            Mode::PrimaryBackup => (t("mode.pb"), t("mode.pb_title"), t("header.pb")),
        }
    }

    /// The settings a mode runs with, from `base`: Log replay makes recovery cost simulated
    /// time and keeps clients writing, so logs grow and replays are visible.
    pub fn settings(self, base: &Settings) -> Settings {
        let mut settings = base.clone();
        match self {
            Mode::LogReplay => {
                // Its clients pick servers among all of the run's: no spares.
                settings.nodes = settings.raft.voters_at_start(settings.nodes);
                settings.raft.voters_initial = 0;
                settings.disk.replay_us_per_entry = REPLAY_US_PER_ENTRY;
                settings.disk.load_us_per_snapshot_kb = LOAD_US_PER_SNAPSHOT_KB;
                settings.workload.clients = settings.workload.clients.max(2);
            }
            // Ring mode runs its own simulation; the Raft run behind it is the plain one.
            // Raft keeps a spare server in every slot up to the page's limit, for "Add
            // server" (thesis chapter 4); spares stay idle until added.
            Mode::Raft
            | Mode::Ring
            | Mode::Retransmit
            | Mode::TwoPc
            | Mode::Paxos
            | Mode::PrimaryBackup => {
                if settings.raft.voters_initial == 0 && settings.nodes < NODES_MAX {
                    settings.raft.voters_initial = settings.nodes;
                    settings.nodes = NODES_MAX;
                }
                settings.disk = Default::default();
                settings.workload.clients = 0;
            }
        }
        settings
    }
}

/// `settings` with a cluster of `voters` servers: a run with spare servers keeps its slots
/// (ids up to `NODES_MAX`, the servers "Add server" brings in) and starts with `voters` of
/// them voting; a run without starts with `voters` servers and no spares.
pub fn sized(settings: &Settings, voters: u32) -> Settings {
    let mut s = settings.clone();
    match s.raft.voters_initial {
        0 => s.nodes = voters,
        _ => s.raft.voters_initial = voters.min(s.nodes),
    }
    s
}

/// Replay costs in Log replay mode: slow enough to watch at the default speed (an entry takes
/// 4 ms of simulated time, 80 ms on screen at 1/20x).
pub const REPLAY_US_PER_ENTRY: Micros = 4_000;
pub const LOAD_US_PER_SNAPSHOT_KB: Micros = 2_000;
