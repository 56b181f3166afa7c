//! Paxos runs in share links (`px=`): the run's settings (the variant and the broken switches
//! included), the learner's timed actions (a node proposes, crash, restart, partition, heal,
//! randomized retry on or off) and the moment shown, in the same compact, versioned form as
//! the other modes' links ([`crate::codec::share`]), so that a link reproduces the run, a duel
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
use crate::sim::paxos::{Bugs, PaxosAction, PaxosConfig, PaxosSettings, Variant};
use crate::sim::types::NodeId;

/// The link version this build writes and reads.
pub const PAXOS_LINK_VERSION: u32 = 1;

/// The most groups a partition in a link has.
const GROUPS_MAX: u64 = 9;

/// A Paxos run as a link holds it.
pub type PaxosLink = RunLink<PaxosSettings, PaxosAction>;

/// The settings as numbers, tag `i` for `v[i]` (`v[0]` unused).
fn flat(s: &PaxosSettings) -> Vec<u64> {
    let (c, n) = (&s.paxos, &s.network);
    let b = &c.bugs;
    let bugs = u64::from(b.forget_promise_on_crash)
        | u64::from(b.ignore_promise_values) << 1
        | u64::from(b.accept_lower_ballot) << 2;
    let variant = match c.variant {
        Variant::Single => 0,
        Variant::Multi => 1,
    };
    vec![
        0,
        s.seed,
        variant,
        c.nodes.into(),
        c.proposers.into(),
        c.proposer_start_us_max,
        c.retry_delay_us_min,
        c.retry_delay_us_max,
        c.phase_timeout_us,
        c.ask_us,
        c.heartbeat_us,
        c.election_timeout_us_min,
        c.election_timeout_us_max,
        c.clients.into(),
        c.keys.into(),
        c.think_us,
        c.client_timeout_us,
        bugs,
        n.latency_us_min,
        n.latency_us_max,
        n.loss_ppm.into(),
        n.duplicate_ppm.into(),
        n.bandwidth_bytes_per_s,
    ]
}

/// The settings `flat` wrote, from as many numbers as it writes.
fn settings(v: &[u64]) -> PaxosSettings {
    // Every tag above `u32::MAX` is refused by `max_value` first.
    let small = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
    PaxosSettings {
        seed: v[1],
        network: NetConfig {
            latency_us_min: v[18],
            latency_us_max: v[19],
            loss_ppm: small(v[20]),
            duplicate_ppm: small(v[21]),
            bandwidth_bytes_per_s: v[22],
        },
        paxos: PaxosConfig {
            variant: if v[2] == 1 {
                Variant::Multi
            } else {
                Variant::Single
            },
            nodes: small(v[3]),
            proposers: small(v[4]),
            proposer_start_us_max: v[5],
            retry_delay_us_min: v[6],
            retry_delay_us_max: v[7],
            phase_timeout_us: v[8],
            ask_us: v[9],
            heartbeat_us: v[10],
            election_timeout_us_min: v[11],
            election_timeout_us_max: v[12],
            clients: small(v[13]),
            keys: small(v[14]),
            think_us: v[15],
            client_timeout_us: v[16],
            bugs: Bugs {
                forget_promise_on_crash: v[17] & 1 != 0,
                ignore_promise_values: v[17] & 2 != 0,
                accept_lower_ballot: v[17] & 4 != 0,
            },
        },
        ..PaxosSettings::default()
    }
}

/// The largest value each tag takes.
fn max_value(tag: u64) -> u64 {
    match tag {
        2 => 1,
        17 => 7,
        3 | 4 | 13 | 14 | 20 | 21 => u32::MAX.into(),
        _ => u64::MAX,
    }
}

const FORMAT: LinkFormat<PaxosSettings, PaxosAction> = LinkFormat {
    version: PAXOS_LINK_VERSION,
    flat,
    settings,
    max_value,
    validate: |s| s.validate(),
    write_action,
    read_action,
};

/// Encodes a run as a link string. Only the actions the page makes travel; the others (a
/// fault search's) are left out.
pub fn encode(run: &PaxosLink) -> String {
    FORMAT.encode(run)
}

/// Decodes a link string; the error says what is wrong with it.
pub fn decode(text: &str) -> Result<PaxosLink, Text> {
    FORMAT.decode(text)
}

fn write_action(w: &mut Writer, action: &PaxosAction) -> bool {
    match action {
        PaxosAction::Fault(Fault::Crash {
            node,
            mode: CrashMode::Clean,
        }) => {
            w.varint(1);
            w.node(*node);
        }
        PaxosAction::Fault(Fault::Restart { node }) => {
            w.varint(2);
            w.node(*node);
        }
        PaxosAction::Propose { node } => {
            w.varint(3);
            w.node(*node);
        }
        PaxosAction::Fault(Fault::Partition { groups }) => {
            w.varint(4);
            w.varint(groups.len() as u64);
            for g in groups {
                w.varint(g.len() as u64);
                for n in g {
                    w.node(*n);
                }
            }
        }
        PaxosAction::Fault(Fault::Heal) => w.varint(5),
        PaxosAction::SetRetry { min_us, max_us } => {
            w.varint(6);
            w.varint(*min_us);
            w.varint(*max_us);
        }
        // The page makes no other fault.
        PaxosAction::Fault(_) => return false,
    }
    true
}

fn read_action(r: &mut Reader) -> Result<PaxosAction, Text> {
    let code = r.varint(Text::new("wire.action"))?;
    Ok(match code {
        1 => PaxosAction::Fault(Fault::Crash {
            node: r.node()?,
            mode: CrashMode::Clean,
        }),
        2 => PaxosAction::Fault(Fault::Restart { node: r.node()? }),
        3 => PaxosAction::Propose { node: r.node()? },
        4 => {
            let count = r.small(Text::new("wire.group_count"), GROUPS_MAX)?;
            let mut groups = Vec::new();
            for _ in 0..count {
                let size = r.small(Text::new("wire.group_size"), 1_000)?;
                let group: Result<Vec<NodeId>, Text> = (0..size).map(|_| r.node()).collect();
                groups.push(group?);
            }
            PaxosAction::Fault(Fault::Partition { groups })
        }
        5 => PaxosAction::Fault(Fault::Heal),
        6 => PaxosAction::SetRetry {
            min_us: r.varint(Text::new("wire.moment"))?,
            max_us: r.varint(Text::new("wire.moment"))?,
        },
        other => return Err(Text::new("error.link.unknown_action").with("code", other)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::engine::TimedAction;
    use crate::sim::paxos::{page_settings, set_retry};

    fn run() -> PaxosLink {
        let mut settings = page_settings(Variant::Multi);
        settings.seed = 7;
        settings.paxos.bugs.accept_lower_ballot = true;
        settings.network.loss_ppm = 20_000;
        let at = |at_us, action| TimedAction { at_us, action };
        PaxosLink {
            settings,
            actions: vec![
                at(1_000, PaxosAction::Propose { node: NodeId(2) }),
                at(1_000, PaxosAction::Propose { node: NodeId(3) }),
                at(2_000, set_retry(false)),
                at(
                    3_000,
                    PaxosAction::Fault(Fault::Crash {
                        node: NodeId(1),
                        mode: CrashMode::Clean,
                    }),
                ),
                at(
                    4_000,
                    PaxosAction::Fault(Fault::Partition {
                        groups: vec![vec![NodeId(2)], vec![NodeId(1), NodeId(3), NodeId(4)]],
                    }),
                ),
                at(5_000, PaxosAction::Fault(Fault::Heal)),
                at(
                    6_000,
                    PaxosAction::Fault(Fault::Restart { node: NodeId(1) }),
                ),
                at(7_000, set_retry(true)),
            ],
            now_us: 9_000,
        }
    }

    #[test]
    fn a_run_comes_back_as_it_was_written() {
        let r = run();
        assert_eq!(decode(&encode(&r)), Ok(r));
        let single = PaxosLink {
            settings: page_settings(Variant::Single),
            actions: Vec::new(),
            now_us: 0,
        };
        assert_eq!(decode(&encode(&single)), Ok(single));
    }

    #[test]
    fn hostile_links_are_errors_not_panics() {
        for bad in ["", "1.", "2.AAAA", "1.%%%", "1.AQ", "1._____________"] {
            assert!(decode(bad).is_err(), "{bad}");
        }
        // Ten nodes are refused by the simulation's own check, which names the field.
        let mut r = run();
        r.settings.paxos.nodes = 10;
        let e = decode(&encode(&r)).unwrap_err().english();
        assert!(e.contains("nodes"), "{e}");
        // An action after the moment shown cannot have happened.
        let mut r = run();
        r.now_us = 10;
        assert!(decode(&encode(&r)).is_err());
    }
}
