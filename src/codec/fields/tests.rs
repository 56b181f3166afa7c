//! Tests of the field tables: what every codec writes is pinned to what the codecs wrote
//! before the tables (digests of links and files for 2000 runs of every kind), old links open
//! to the same runs, and the tables describe every field serde sees.

use super::actions::{ActionValue, ACTIONS};
use super::settings::{SETTINGS, TAG_NEXT};
use super::{each_leaf, tag_last};
use crate::codec::scenario::Scenario;
use crate::codec::{scenario_file, share};
use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::net::NetConfig;
use crate::sim::raft::action::{Action, TimedAction};
use crate::sim::raft::settings::Settings;
use crate::sim::raft::{Bugs, Command, RaftConfig};
use crate::sim::types::{ClientId, MsgId, NodeId};

pub(crate) struct Rng(pub u64);
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn coin(&mut self) -> bool {
        self.below(2) == 0
    }
    fn number(&mut self) -> u64 {
        match self.below(8) {
            0 => 0,
            1 => 1,
            2 => u32::MAX.into(),
            3 => u64::MAX,
            4 => self.below(10),
            5 => self.below(1_000_000),
            _ => self.below(400_000),
        }
    }
    fn small(&mut self) -> u32 {
        match self.below(4) {
            0 => 0,
            1 => u32::MAX,
            _ => self.below(1_000_001) as u32,
        }
    }
    fn text(&mut self) -> String {
        ["", "x", "héllo", "quote\"d\\ key\n", "值", "\u{1}"][self.below(6) as usize].into()
    }
    fn node(&mut self) -> NodeId {
        NodeId(self.below(8) as u32)
    }
}

fn raft(r: &mut Rng) -> RaftConfig {
    let mut c = RaftConfig::default();
    if r.coin() {
        c.election_timeout_us_min = r.number();
    }
    if r.coin() {
        c.election_timeout_us_max = r.number();
    }
    if r.coin() {
        c.election_timeout_granularity_us = r.number();
    }
    if r.coin() {
        c.heartbeat_interval_us = r.number();
    }
    c.pre_vote = r.coin();
    c.check_quorum = r.coin();
    if r.coin() {
        c.max_entries_per_append = r.small();
    }
    c.snapshot_every_entries = match r.below(3) {
        0 => None,
        1 => Some(r.number().max(1)),
        _ => None,
    };
    c.bugs = Bugs {
        commit_previous_term_by_count: r.coin(),
        vote_without_log_check: r.coin(),
        forget_vote_on_restart: r.coin(),
        // The membership switches and `voters_initial` stay off: the digests below pin
        // what this generator gave before they existed (`membership_round_trips` covers them).
        ..Bugs::default()
    };
    c
}

fn network(r: &mut Rng) -> NetConfig {
    let mut n = NetConfig::default();
    if r.coin() {
        n.latency_us_min = r.number();
    }
    if r.coin() {
        n.latency_us_max = r.number();
    }
    if r.coin() {
        n.loss_ppm = r.small();
    }
    if r.coin() {
        n.duplicate_ppm = r.small();
    }
    if r.coin() {
        n.bandwidth_bytes_per_s = r.number();
    }
    n
}

fn settings(r: &mut Rng) -> Settings {
    let mut s = Settings::default();
    if r.coin() {
        s.nodes = r.below(11) as u32;
    }
    if r.coin() {
        s.seed = r.number();
    }
    if r.coin() {
        s.raft = raft(r);
    }
    if r.coin() {
        s.network = network(r);
    }
    s.disk.sync = match r.below(4) {
        0 => SyncPolicy::Never,
        1 => SyncPolicy::Interval {
            interval_us: r.number(),
        },
        _ => SyncPolicy::EveryWrite,
    };
    for v in [
        &mut s.disk.sync_latency_us,
        &mut s.disk.replay_us_per_entry,
        &mut s.disk.load_us_per_snapshot_kb,
        &mut s.workload.think_us_min,
        &mut s.workload.think_us_max,
        &mut s.workload.request_timeout_us,
    ] {
        if r.coin() {
            *v = r.number();
        }
    }
    for v in [
        &mut s.workload.clients,
        &mut s.workload.keys,
        &mut s.workload.get_ppm,
        &mut s.workload.cas_ppm,
        &mut s.workload.delete_ppm,
    ] {
        if r.coin() {
            *v = r.small();
        }
    }
    s
}

fn command(r: &mut Rng) -> Command {
    match r.below(5) {
        0 => Command::Noop,
        1 => Command::Put {
            key: r.text(),
            value: r.text(),
        },
        2 => Command::Get { key: r.text() },
        3 => Command::Delete { key: r.text() },
        _ => Command::Cas {
            key: r.text(),
            expected: r.coin().then(|| r.text()),
            value: r.text(),
        },
    }
}

fn action(r: &mut Rng) -> Action {
    match r.below(14) {
        0 => Action::Crash {
            node: r.node(),
            mode: [
                CrashMode::Clean,
                CrashMode::LoseUnsynced,
                CrashMode::TearLast,
            ][r.below(3) as usize],
        },
        1 => Action::Restart { node: r.node() },
        2 => Action::Timeout { node: r.node() },
        3 => Action::Request {
            node: r.node(),
            cmd: command(r),
        },
        4 => Action::RequestFrom {
            client: ClientId([0, 100, 101, 5000, u32::MAX][r.below(5) as usize]),
            node: r.node(),
            cmd: command(r),
        },
        5 => Action::Transfer { to: r.node() },
        6 => Action::Snapshot { node: r.node() },
        7 => Action::Partition {
            groups: (0..r.below(4))
                .map(|_| (0..r.below(4)).map(|_| r.node()).collect())
                .collect(),
        },
        8 => Action::Heal,
        9 => Action::Cut {
            from: r.node(),
            to: r.node(),
            both: r.coin(),
        },
        10 => Action::Repair {
            from: r.node(),
            to: r.node(),
            both: r.coin(),
        },
        11 => Action::SetNetwork {
            network: network(r),
        },
        12 => Action::SetRaft { raft: raft(r) },
        _ => Action::DropMessage {
            id: MsgId(r.number()),
        },
    }
}

pub(crate) fn scenario(r: &mut Rng) -> Scenario {
    let mut at_us = 0;
    let actions = (0..r.below(12))
        .map(|_| {
            at_us += r.below(3) * 1000;
            TimedAction {
                at_us,
                action: action(r),
            }
        })
        .collect();
    Scenario {
        settings: settings(r),
        actions,
    }
}

/// Mostly valid runs (so that decoding gets past validation), and some anything.
pub(crate) fn valid_scenario(r: &mut Rng) -> Scenario {
    let mut s = scenario(r);
    if r.below(4) != 0 {
        s.settings.nodes = 1 + r.below(9) as u32;
        let d = Settings::default();
        if s.settings.validate().is_err() {
            s.settings.raft = if r.coin() {
                d.raft.clone()
            } else {
                s.settings.raft
            };
            s.settings.network = d.network.clone();
            s.settings.workload = d.workload.clone();
            if s.settings.validate().is_err() {
                s.settings.raft = d.raft.clone();
            }
        }
        let nodes = s.settings.nodes;
        s.actions.retain(|a| a.action.validate(nodes).is_ok());
    }
    s
}

/// FNV-1a over what `write` gives for 2000 runs (about three in four valid).
pub(crate) fn digest(write: fn(&Scenario) -> String) -> u64 {
    let mut r = Rng(0x05ee_df1e_1d5a_b1e5);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for _ in 0..2000 {
        for b in write(&valid_scenario(&mut r)).bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    h
}

fn at(at_us: u64, action: Action) -> TimedAction {
    TimedAction { at_us, action }
}

/// Runs with every kind of setting and action, for links pinned as old builds wrote them.
pub(crate) fn pinned_runs() -> [Scenario; 3] {
    let mut a = Settings {
        nodes: 3,
        ..Settings::default()
    };
    a.disk.sync = SyncPolicy::Never;
    a.raft.bugs = Bugs {
        commit_previous_term_by_count: false,
        vote_without_log_check: true,
        forget_vote_on_restart: true,
        ..Bugs::default()
    };
    a.raft.snapshot_every_entries = Some(100);
    a.workload.clients = 2;
    a.workload.keys = 10;
    let mut b = Settings::default();
    b.disk.sync = SyncPolicy::Interval { interval_us: 0 };
    b.raft.election_timeout_us_min = 150_000;
    b.raft.election_timeout_us_max = 155_000;
    b.raft.election_timeout_granularity_us = 1_000;
    b.network.bandwidth_bytes_per_s = 0;
    b.disk.sync_latency_us = 2_000;
    let granular = b.raft.clone();
    [
        Scenario {
            settings: a,
            actions: vec![
                at(
                    500_000,
                    Action::Crash {
                        node: NodeId(1),
                        mode: CrashMode::LoseUnsynced,
                    },
                ),
                at(
                    600_000,
                    Action::Cut {
                        from: NodeId(2),
                        to: NodeId(3),
                        both: false,
                    },
                ),
                at(
                    700_000,
                    Action::Repair {
                        from: NodeId(2),
                        to: NodeId(3),
                        both: true,
                    },
                ),
                at(800_000, Action::Transfer { to: NodeId(2) }),
                at(800_000, Action::Snapshot { node: NodeId(3) }),
                at(900_000, Action::Timeout { node: NodeId(2) }),
                at(1_000_000, Action::Restart { node: NodeId(1) }),
            ],
        },
        Scenario {
            settings: b,
            actions: vec![
                at(10, Action::SetRaft { raft: granular }),
                at(
                    20,
                    Action::SetRaft {
                        raft: RaftConfig {
                            pre_vote: true,
                            ..RaftConfig::default()
                        },
                    },
                ),
                at(
                    30,
                    Action::SetNetwork {
                        network: NetConfig {
                            loss_ppm: 1_000_000,
                            bandwidth_bytes_per_s: 0,
                            ..NetConfig::default()
                        },
                    },
                ),
                at(
                    40,
                    Action::RequestFrom {
                        client: ClientId(100),
                        node: NodeId(4),
                        cmd: Command::Get { key: "k".into() },
                    },
                ),
                at(
                    50,
                    Action::RequestFrom {
                        client: ClientId(101),
                        node: NodeId(5),
                        cmd: Command::Cas {
                            key: "k".into(),
                            expected: Some("1".into()),
                            value: "2".into(),
                        },
                    },
                ),
                at(
                    60,
                    Action::Request {
                        node: NodeId(1),
                        cmd: Command::Delete { key: "k".into() },
                    },
                ),
            ],
        },
        Scenario {
            settings: Settings::default(),
            actions: vec![
                at(0, Action::Partition { groups: vec![] }),
                at(
                    1,
                    Action::Partition {
                        groups: vec![vec![], vec![NodeId(5), NodeId(1)]],
                    },
                ),
                at(
                    2,
                    Action::Request {
                        node: NodeId(2),
                        cmd: Command::Noop,
                    },
                ),
                at(
                    3,
                    Action::DropMessage {
                        id: MsgId(u64::MAX),
                    },
                ),
                at(4, Action::Heal),
            ],
        },
    ]
}

/// What the share link and the scenario-file writer wrote before the field tables, for the
/// 2000 runs of [`digest`] (measured with the hand-written codecs of commit 1d5635a).
const LINKS_DIGEST: u64 = 0xb18a_43dd_a260_6904;
const FILES_DIGEST: u64 = 0x966b_3508_05b4_b180;

#[test]
fn links_and_files_are_written_as_before_the_tables() {
    assert_eq!(digest(share::encode), LINKS_DIGEST, "share links changed");
    assert_eq!(
        digest(scenario_file::write),
        FILES_DIGEST,
        "scenario files changed"
    );
}

/// Links written by the build before the field tables open to the same runs, and the same
/// runs still give those links.
#[test]
fn old_links_open_to_the_same_runs() {
    let old = [
        "1.AQMJZAoGEAIVAhgKAAegwh4BAQGgjQYKAgMAoI0GCwIDAaCNBgYCAAcDoI0GAwKgjQYCAQ",
        "1.BPi6CQ8AEAERABLQDx3oBwAGCg_wkwn4ugnQhgMAAEAAAOgHCg3wkwngpxLQhgMBAEAAAAoMkE6gnAHAhD0AAAoFZAQCAWsKBWUFBAFrAQExATIKBAEDAWs",
        "1.AAUACAABCAIAAgUBAQQCAAEO____________AQEJ",
    ];
    for (link, run) in old.iter().zip(pinned_runs()) {
        assert_eq!(share::decode(link), Ok(run.clone()), "{link}");
        assert_eq!(share::encode(&run), *link);
    }
}

/// Every random run survives the link and the file, and what the file writer writes is
/// what serde (the CLI's traces, and the shape of docs/scenario-format.md) writes for the
/// same values: a field added to a struct but not to its table fails here.
#[test]
fn the_tables_describe_every_field_serde_sees() {
    let mut r = Rng(7);
    for _ in 0..500 {
        let s = scenario(&mut r);
        let text = scenario_file::write(&s);
        let written: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(
            written["settings"],
            serde_json::to_value(&s.settings).unwrap(),
            "{text}"
        );
        for (i, a) in s.actions.iter().enumerate() {
            let mut expected = serde_json::to_value(&a.action).unwrap();
            expected["at_us"] = a.at_us.into();
            assert_eq!(written["actions"][i], expected, "{text}");
        }
        let valid = valid_scenario(&mut r);
        assert_eq!(share::decode(&share::encode(&valid)).ok(), {
            let nodes = valid.settings.nodes;
            (valid.settings.validate().is_ok()
                && valid
                    .actions
                    .iter()
                    .all(|a| a.action.validate(nodes).is_ok()))
            .then(|| valid.clone())
        });
    }
}

/// Tags are unique (bits of one tag apart), `TAG_NEXT` is free, every action number is
/// unique, and every Raft and network setting travels in some `set_raft`/`set_network`
/// action code (a new one needs a new code: see the module's "Adding a setting").
#[test]
fn every_leaf_is_carried() {
    let mut seen: Vec<super::Link> = Vec::new();
    each_leaf(SETTINGS, &mut |f| {
        assert!(!seen.contains(&f.link), "{} reuses {:?}", f.name, f.link);
        assert!(f.link.tag().is_some(), "{} has no tag", f.name);
        seen.push(f.link);
    });
    assert_eq!(tag_last(SETTINGS) + 1, TAG_NEXT);
    assert!(
        ACTIONS.windows(2).all(|w| w[0].code < w[1].code),
        "action numbers in order, once each"
    );
    for v in ACTIONS {
        for f in v.fields {
            if let ActionValue::Settings { table, .. } = f.value {
                each_leaf(table, &mut |leaf| {
                    let tag = leaf.link.tag().unwrap_or(0);
                    let carried = ACTIONS.iter().any(|w| {
                        w.name == v.name
                            && w.fields.iter().any(|g| {
                                matches!(g.value, ActionValue::Settings { tags, .. } if tags.contains(&tag))
                            })
                    });
                    assert!(carried, "no `{}` link code carries {}", v.name, leaf.name);
                });
            }
        }
    }
}
