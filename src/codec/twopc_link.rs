//! Two-phase commit runs in share links (`tp=`): the run's settings, the learner's timed
//! actions (crash, restart, "votes no", a submitted transaction, isolating a node, healing)
//! and the moment shown, in the same compact, versioned form as the other modes' links
//! ([`crate::codec::share`]), so that a link reproduces the run, a blocked participant
//! included.
//!
//! Format, version 1: [`crate::codec::run_link`]; this module says how the settings become
//! numbers and how each action is written (an action code, then its fields).

use crate::codec::run_link::{LinkFormat, RunLink};
use crate::codec::share::{Reader, Writer};
use crate::i18n::Text;
use crate::sim::disk::CrashMode;
use crate::sim::engine::{Fault, RunSettings};
use crate::sim::net::NetConfig;
use crate::sim::twopc::config::OPS_MAX;
use crate::sim::twopc::{Bugs, CoordinatorKind, Op, TwoPcAction, TwoPcConfig, TwoPcSettings};
use crate::sim::types::NodeId;

/// The link version this build writes and reads.
pub const TWOPC_LINK_VERSION: u32 = 1;

/// The most groups a partition in a link has (a node alone, and the rest).
const GROUPS_MAX: u64 = 8;

/// A two-phase commit run as a link holds it.
pub type TwoPcLink = RunLink<TwoPcSettings, TwoPcAction>;

/// The settings as numbers, tag `i` for `v[i]` (`v[0]` unused).
fn flat(s: &TwoPcSettings) -> Vec<u64> {
    let (c, n) = (&s.twopc, &s.network);
    let b = &c.bugs;
    let bugs = u64::from(b.decide_before_log)
        | u64::from(b.forget_prepared_on_crash) << 1
        | u64::from(b.commit_on_timeout) << 2
        | u64::from(b.release_locks_at_prepare) << 3;
    vec![
        0,
        s.seed,
        c.participants.into(),
        c.keys.into(),
        c.clients.into(),
        c.transactions,
        c.ops_max.into(),
        c.write_percent.into(),
        c.think_us,
        c.client_timeout_us,
        c.vote_timeout_us,
        c.decision_timeout_us,
        c.lock_wait_us,
        c.resend_us,
        c.tick_us,
        bugs,
        n.latency_us_min,
        n.latency_us_max,
        n.loss_ppm.into(),
        n.duplicate_ppm.into(),
        n.bandwidth_bytes_per_s,
        c.coordinator.code(),
    ]
}

/// The settings `flat` wrote, from as many numbers as it writes.
fn settings(v: &[u64]) -> TwoPcSettings {
    // Every tag above `u32::MAX` is refused by `max_value` first.
    let small = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
    TwoPcSettings {
        seed: v[1],
        network: NetConfig {
            latency_us_min: v[16],
            latency_us_max: v[17],
            loss_ppm: small(v[18]),
            duplicate_ppm: small(v[19]),
            bandwidth_bytes_per_s: v[20],
        },
        twopc: TwoPcConfig {
            coordinator: CoordinatorKind::from_code(v[21]).unwrap_or_default(),
            participants: small(v[2]),
            keys: small(v[3]),
            clients: small(v[4]),
            transactions: v[5],
            ops_max: small(v[6]),
            write_percent: small(v[7]),
            think_us: v[8],
            client_timeout_us: v[9],
            vote_timeout_us: v[10],
            decision_timeout_us: v[11],
            lock_wait_us: v[12],
            resend_us: v[13],
            tick_us: v[14],
            bugs: Bugs {
                decide_before_log: v[15] & 1 != 0,
                forget_prepared_on_crash: v[15] & 2 != 0,
                commit_on_timeout: v[15] & 4 != 0,
                release_locks_at_prepare: v[15] & 8 != 0,
            },
            ..TwoPcConfig::default()
        },
        ..TwoPcSettings::default()
    }
}

/// The largest value each tag takes.
fn max_value(tag: u64) -> u64 {
    match tag {
        15 => 15,
        // Tag 21, added with the coordinator on Raft: links from before it have none and
        // read as a single coordinator.
        21 => CoordinatorKind::Raft5.code(),
        2..=4 | 6 | 7 | 18 | 19 => u32::MAX.into(),
        _ => u64::MAX,
    }
}

pub(crate) const FORMAT: LinkFormat<TwoPcSettings, TwoPcAction> = LinkFormat {
    version: TWOPC_LINK_VERSION,
    flat,
    settings,
    max_value,
    validate: |s| s.validate(),
    write_action,
    read_action,
};

/// Encodes a run as a link string. Only the actions the page makes travel; the others (a
/// fault search's) are left out.
pub fn encode(run: &TwoPcLink) -> String {
    FORMAT.encode(run)
}

/// Decodes a link string; the error says what is wrong with it.
pub fn decode(text: &str) -> Result<TwoPcLink, Text> {
    FORMAT.decode(text)
}

/// Whether a link carries `action`: the ones the page's controls make.
fn linked(action: &TwoPcAction) -> bool {
    matches!(
        action,
        TwoPcAction::Fault(
            Fault::Crash {
                mode: CrashMode::Clean,
                ..
            } | Fault::Restart { .. }
                | Fault::Partition { .. }
                | Fault::Heal
        ) | TwoPcAction::VoteNo { .. }
            | TwoPcAction::Submit { .. }
    )
}

fn write_action(w: &mut Writer, action: &TwoPcAction) -> bool {
    if !linked(action) {
        return false;
    }
    match action {
        TwoPcAction::Fault(Fault::Crash { node, .. }) => {
            w.varint(1);
            w.node(*node);
        }
        TwoPcAction::Fault(Fault::Restart { node }) => {
            w.varint(2);
            w.node(*node);
        }
        TwoPcAction::VoteNo { node } => {
            w.varint(3);
            w.node(*node);
        }
        TwoPcAction::Submit { ops } => {
            w.varint(4);
            w.varint(ops.len() as u64);
            for op in ops {
                w.varint(op.key.into());
                w.varint(op.write.is_some().into());
            }
        }
        TwoPcAction::Fault(Fault::Partition { groups }) => {
            w.varint(5);
            w.varint(groups.len() as u64);
            for g in groups {
                w.varint(g.len() as u64);
                for n in g {
                    w.node(*n);
                }
            }
        }
        TwoPcAction::Fault(Fault::Heal) => w.varint(6),
        // Not linked (`linked`).
        TwoPcAction::Fault(_)
        | TwoPcAction::CrashLeader { .. }
        | TwoPcAction::RestartCrashedLeader => {}
    }
    true
}

fn read_action(r: &mut Reader) -> Result<TwoPcAction, Text> {
    let code = r.varint(Text::new("wire.action"))?;
    Ok(match code {
        1 => TwoPcAction::Fault(Fault::Crash {
            node: r.node()?,
            mode: CrashMode::Clean,
        }),
        2 => TwoPcAction::Fault(Fault::Restart { node: r.node()? }),
        3 => TwoPcAction::VoteNo { node: r.node()? },
        4 => {
            let count = r.small(Text::new("wire.ops"), OPS_MAX.into())?;
            let mut ops = Vec::new();
            for _ in 0..count {
                let key = r.small(Text::new("wire.key"), u32::MAX.into())? as u32;
                let write = r.small(Text::new("wire.flag"), 1)? == 1;
                // The client stamps a write with its transaction's id when it sends it.
                ops.push(Op {
                    key,
                    write: write.then_some(0),
                });
            }
            TwoPcAction::Submit { ops }
        }
        5 => {
            let count = r.small(Text::new("wire.group_count"), GROUPS_MAX)?;
            let mut groups = Vec::new();
            for _ in 0..count {
                let size = r.small(Text::new("wire.group_size"), 1_000)?;
                let group: Result<Vec<NodeId>, Text> = (0..size).map(|_| r.node()).collect();
                groups.push(group?);
            }
            TwoPcAction::Fault(Fault::Partition { groups })
        }
        6 => TwoPcAction::Fault(Fault::Heal),
        other => return Err(Text::new("error.link.unknown_action").with("code", other)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::engine::TimedAction;

    fn run() -> TwoPcLink {
        let mut settings = crate::sim::twopc::page_settings();
        settings.seed = 7;
        settings.twopc.bugs.commit_on_timeout = true;
        settings.network.loss_ppm = 20_000;
        let at = |at_us, action| TimedAction { at_us, action };
        TwoPcLink {
            settings,
            actions: vec![
                at(
                    1_000,
                    TwoPcAction::Submit {
                        ops: vec![
                            Op {
                                key: 0,
                                write: Some(0),
                            },
                            Op {
                                key: 4,
                                write: None,
                            },
                        ],
                    },
                ),
                at(2_000, TwoPcAction::VoteNo { node: NodeId(3) }),
                at(
                    3_000,
                    TwoPcAction::Fault(Fault::Crash {
                        node: NodeId(1),
                        mode: CrashMode::Clean,
                    }),
                ),
                at(
                    4_000,
                    TwoPcAction::Fault(Fault::Partition {
                        groups: vec![vec![NodeId(2)], vec![NodeId(1), NodeId(3), NodeId(4)]],
                    }),
                ),
                at(5_000, TwoPcAction::Fault(Fault::Heal)),
                at(
                    6_000,
                    TwoPcAction::Fault(Fault::Restart { node: NodeId(1) }),
                ),
            ],
            now_us: 9_000,
        }
    }

    #[test]
    fn a_run_comes_back_as_it_was_written() {
        let r = run();
        assert_eq!(decode(&encode(&r)), Ok(r));
    }

    /// A link written before the coordinator kind had a tag (commit 32f5aa1's build) reads
    /// as the same run, with a single coordinator.
    const LINK_BEFORE_COORDINATOR_TAG: &str = "1.AQcCAwMJBAIFMgYDBzIIoMIeCcCNtwEKoMIeC4C1GAzgpxIN8JMJDqjDAQ8EEMC4AhHg1AMSoJwBEwAUwIQ9AKhGBugHBAIAAQQA6AcDA-gHAQHoBwUCAQIDAQME6AcG6AcCAQ";

    #[test]
    fn a_link_from_before_the_coordinator_tag_reads_the_same() {
        let read = decode(LINK_BEFORE_COORDINATOR_TAG).expect("an old link reads");
        assert_eq!(read, run());
        assert_eq!(read.settings.twopc.coordinator, CoordinatorKind::Single);
    }

    #[test]
    fn the_coordinator_kind_travels() {
        for kind in [CoordinatorKind::Raft3, CoordinatorKind::Raft5] {
            let mut r = run();
            r.settings.twopc.coordinator = kind;
            let text = encode(&r);
            assert_ne!(text, encode(&run()));
            assert_eq!(decode(&text), Ok(r));
        }
    }

    #[test]
    fn hostile_links_are_errors_not_panics() {
        for bad in ["", "1.", "2.AAAA", "1.%%%", "1.AQ", "1._____________"] {
            assert!(decode(bad).is_err(), "{bad}");
        }
        // One participant is refused by the simulation's own check, which names the field.
        let mut r = run();
        r.settings.twopc.participants = 1;
        let e = decode(&encode(&r)).unwrap_err().english();
        assert!(e.contains("participants"), "{e}");
        // An action after the moment shown cannot have happened.
        let mut r = run();
        r.now_us = 10;
        assert!(decode(&encode(&r)).is_err());
    }
}
