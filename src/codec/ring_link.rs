//! Hash ring runs in share links: the store's settings, the strategies table's choices, the
//! learner's timed actions and the moment shown, in the same compact, versioned form as Raft
//! runs ([`crate::codec::share`]), so that a teacher's ring link reproduces what the class sees.
//!
//! Format, version 1: `1.` followed by unpadded base64url of: every setting as (tag, value)
//! pairs ended by tag 0, the moment in microseconds, then the action count and each action as
//! (time since the previous action, action code, fields). A reader skips nothing: an unknown
//! tag or action code is an error that names it.

use crate::codec::share::{
    base64url_decode, base64url_encode, read_tagged, versioned_body, Field, Reader, Writer,
};
use crate::i18n::Text;
use crate::sim::ring::keys::Skew;
use crate::sim::ring::store::{RingAction, RingSettings, MAX_NODE_ID};
use crate::sim::ring::strategy::Strategy;
use crate::sim::types::{Micros, NodeId};

/// The ring-link version this build writes and reads.
pub const RING_LINK_VERSION: u32 = 1;

/// Limits that keep a hostile link from costing memory or time.
const MAX_BYTES: usize = 64 * 1024;
const MAX_ACTIONS: u64 = 1_000;

/// A Hash ring run as a link holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct RingRun {
    pub settings: RingSettings,
    pub skew: Skew,
    /// The strategy the load chart shows.
    pub strategy: Strategy,
    /// Bounded loads' c in thousandths.
    pub load_factor_milli: u32,
    /// The learner's actions at their moments, in time order.
    pub actions: Vec<(Micros, RingAction)>,
    /// The moment shown.
    pub now_us: Micros,
}

fn fields() -> [Field<RingRun>; 18] {
    [
        (1, |r| r.settings.seed, |r, v| r.settings.seed = v),
        (
            2,
            |r| r.settings.nodes.into(),
            |r, v| r.settings.nodes = v as u32,
        ),
        (
            3,
            |r| r.settings.vnodes.into(),
            |r, v| r.settings.vnodes = v as u32,
        ),
        (
            4,
            |r| r.settings.replication.into(),
            |r, v| r.settings.replication = v as u32,
        ),
        (
            5,
            |r| r.settings.write_quorum.into(),
            |r, v| r.settings.write_quorum = v as u32,
        ),
        (
            6,
            |r| r.settings.read_quorum.into(),
            |r, v| r.settings.read_quorum = v as u32,
        ),
        (
            7,
            |r| r.settings.keys.into(),
            |r, v| r.settings.keys = v as u32,
        ),
        (
            8,
            |r| r.settings.value_bytes.into(),
            |r, v| r.settings.value_bytes = v as u32,
        ),
        (
            9,
            |r| r.settings.latency_us,
            |r, v| r.settings.latency_us = v,
        ),
        (
            10,
            |r| r.settings.bandwidth_bytes_per_s,
            |r, v| r.settings.bandwidth_bytes_per_s = v,
        ),
        (
            11,
            |r| r.settings.transfer_batch_keys.into(),
            |r, v| r.settings.transfer_batch_keys = v as u32,
        ),
        (
            12,
            |r| r.settings.failure_detection_us,
            |r, v| r.settings.failure_detection_us = v,
        ),
        (
            13,
            |r| r.settings.request_timeout_us,
            |r, v| r.settings.request_timeout_us = v,
        ),
        (
            14,
            |r| r.settings.workload_interval_us,
            |r, v| r.settings.workload_interval_us = v,
        ),
        (
            15,
            |r| r.settings.workload_read_ppm.into(),
            |r, v| r.settings.workload_read_ppm = v as u32,
        ),
        (
            16,
            |r| skew_code(r.skew),
            |r, v| r.skew = if v == 1 { Skew::Zipf } else { Skew::Uniform },
        ),
        (
            17,
            |r| strategy_code(r.strategy),
            |r, v| r.strategy = Strategy::ALL[v as usize],
        ),
        (
            18,
            |r| r.load_factor_milli.into(),
            |r, v| r.load_factor_milli = v as u32,
        ),
    ]
}

/// The largest value each tag takes (checked before the setter runs, so that no value is
/// truncated); 64-bit fields take any value.
fn max_value(tag: u64) -> u64 {
    match tag {
        1 | 9 | 10 | 12 | 13 | 14 => u64::MAX,
        16 => 1,
        17 => Strategy::ALL.len() as u64 - 1,
        _ => u32::MAX as u64,
    }
}

fn skew_code(skew: Skew) -> u64 {
    match skew {
        Skew::Uniform => 0,
        Skew::Zipf => 1,
    }
}

fn strategy_code(strategy: Strategy) -> u64 {
    Strategy::ALL
        .iter()
        .position(|s| *s == strategy)
        .unwrap_or_default() as u64
}

/// Encodes a ring run as a link string.
pub fn encode(run: &RingRun) -> String {
    let mut w = Writer::default();
    for (tag, get, _) in fields() {
        w.varint(tag);
        w.varint(get(run));
    }
    w.varint(0);
    w.varint(run.now_us);
    // The engine's own faults (`RingAction::Fault`) are never a learner's: a link holds
    // only the ring's actions.
    let linked = |a: &&(Micros, RingAction)| !matches!(a.1, RingAction::Fault(_));
    w.varint(run.actions.iter().filter(linked).count() as u64);
    let mut previous_us = 0;
    for (at_us, action) in run.actions.iter().filter(linked) {
        w.varint(at_us.saturating_sub(previous_us));
        previous_us = previous_us.max(*at_us);
        write_action(&mut w, action);
    }
    format!("{RING_LINK_VERSION}.{}", base64url_encode(&w.bytes))
}

/// Decodes a ring link string; the error says what is wrong with it. The settings are checked
/// by the store ([`RingSettings::validate`]); the page adds its own limits.
pub fn decode(text: &str) -> Result<RingRun, Text> {
    let body = versioned_body(text, RING_LINK_VERSION)?;
    if body.len() > MAX_BYTES * 4 / 3 + 4 {
        return Err(Text::new("error.link.too_long").with("count", body.len()));
    }
    let bytes = base64url_decode(body)?;
    let mut r = Reader {
        bytes: &bytes,
        at: 0,
    };
    let mut run = RingRun {
        settings: RingSettings::default(),
        skew: Skew::Uniform,
        strategy: Strategy::Ring,
        load_factor_milli: 1000,
        actions: Vec::new(),
        now_us: 0,
    };
    read_tagged(&mut r, &mut run, &fields(), max_value)?;
    // The store's own checks.
    run.settings
        .validate()
        .map_err(|e| Text::new("error.link.settings").with_text("error", e))?;
    run.now_us = r.varint(Text::new("wire.moment"))?;
    run.actions = r.timed_actions(MAX_ACTIONS, read_action)?;
    if run
        .actions
        .last()
        .is_some_and(|(at_us, _)| *at_us > run.now_us)
    {
        return Err(Text::new("error.link.action_after_moment"));
    }
    r.finished()?;
    Ok(run)
}

fn write_nodes(w: &mut Writer, nodes: &[NodeId]) {
    w.varint(nodes.len() as u64);
    for n in nodes {
        w.node(*n);
    }
}

fn write_action(w: &mut Writer, action: &RingAction) {
    match action {
        RingAction::Crash { node } => {
            w.varint(1);
            w.node(*node);
        }
        RingAction::Restart { node } => {
            w.varint(2);
            w.node(*node);
        }
        RingAction::Add => w.varint(3),
        RingAction::Remove { node } => {
            w.varint(4);
            w.node(*node);
        }
        RingAction::Partition { groups } => {
            w.varint(5);
            w.varint(groups.len() as u64);
            for g in groups {
                write_nodes(w, g);
            }
        }
        RingAction::Heal => w.varint(6),
        RingAction::Cut { from, to, both } | RingAction::Repair { from, to, both } => {
            w.varint(if matches!(action, RingAction::Cut { .. }) {
                7
            } else {
                8
            });
            w.node(*from);
            w.node(*to);
            w.varint(u64::from(*both));
        }
        RingAction::Put { key } => {
            w.varint(9);
            w.varint((*key).into());
        }
        RingAction::Get { key } => {
            w.varint(10);
            w.varint((*key).into());
        }
        RingAction::Fault(_) => {}
    }
}

/// A node id of the ring: 1 to [`MAX_NODE_ID`].
fn ring_node(r: &mut Reader) -> Result<NodeId, Text> {
    let node = r.node()?;
    if node.0 == 0 || node.0 > MAX_NODE_ID {
        return Err(Text::new("error.link.ring_node")
            .with("node", node.0)
            .with("max", MAX_NODE_ID));
    }
    Ok(node)
}

fn read_nodes(r: &mut Reader) -> Result<Vec<NodeId>, Text> {
    let count = r.small(Text::new("wire.group_size"), MAX_NODE_ID.into())?;
    (0..count).map(|_| ring_node(r)).collect()
}

fn read_action(r: &mut Reader) -> Result<RingAction, Text> {
    let key = |r: &mut Reader| {
        r.small(Text::new("wire.key"), u32::MAX.into())
            .map(|k| k as u32)
    };
    Ok(match r.varint(Text::new("wire.action"))? {
        1 => RingAction::Crash {
            node: ring_node(r)?,
        },
        2 => RingAction::Restart {
            node: ring_node(r)?,
        },
        3 => RingAction::Add,
        4 => RingAction::Remove {
            node: ring_node(r)?,
        },
        5 => {
            let count = r.small(Text::new("wire.group_count"), MAX_NODE_ID.into())?;
            RingAction::Partition {
                groups: (0..count)
                    .map(|_| read_nodes(r))
                    .collect::<Result<_, _>>()?,
            }
        }
        6 => RingAction::Heal,
        code @ (7 | 8) => {
            let (from, to) = (ring_node(r)?, ring_node(r)?);
            let both = r.small(Text::new("wire.direction"), 1)? == 1;
            if code == 7 {
                RingAction::Cut { from, to, both }
            } else {
                RingAction::Repair { from, to, both }
            }
        }
        9 => RingAction::Put { key: key(r)? },
        10 => RingAction::Get { key: key(r)? },
        other => return Err(Text::new("error.link.unknown_action").with("code", other)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rich() -> RingRun {
        RingRun {
            settings: RingSettings {
                seed: 42,
                nodes: 12,
                vnodes: 64,
                replication: 3,
                keys: 20_000,
                workload_interval_us: 5_000,
                ..RingSettings::default()
            },
            skew: Skew::Zipf,
            strategy: Strategy::Maglev,
            load_factor_milli: 1250,
            actions: vec![
                (1_000_000, RingAction::Crash { node: NodeId(3) }),
                (1_500_000, RingAction::Add),
                (
                    2_000_000,
                    RingAction::Partition {
                        groups: vec![vec![NodeId(1), NodeId(2)], vec![NodeId(4)]],
                    },
                ),
                (2_000_000, RingAction::Heal),
                (
                    2_500_000,
                    RingAction::Cut {
                        from: NodeId(1),
                        to: NodeId(2),
                        both: true,
                    },
                ),
                (
                    2_600_000,
                    RingAction::Repair {
                        from: NodeId(1),
                        to: NodeId(2),
                        both: false,
                    },
                ),
                (3_000_000, RingAction::Restart { node: NodeId(3) }),
                (3_100_000, RingAction::Remove { node: NodeId(5) }),
                (3_200_000, RingAction::Put { key: 7 }),
                (3_300_000, RingAction::Get { key: 9_999 }),
            ],
            now_us: 4_000_000,
        }
    }

    #[test]
    fn a_ring_run_survives_the_round_trip() {
        let run = rich();
        let text = encode(&run);
        assert!(text.starts_with("1."), "{text}");
        assert_eq!(decode(&text).ok(), Some(run));
    }

    /// A link written before the field tables (commit 1d5635a) opens to the same run, and the
    /// run still gives that link.
    #[test]
    fn an_old_ring_link_opens_to_the_same_run() {
        let old = "1.ASoCDANABAMFAgYCB6CcAQiACAnQDwrAhD0LgAIMwIQ9DaDCHg6IJw-gwh4QAREEEuIJAICS9AEKwIQ9AQOgwh4DoMIeBQICAQIBBAAGoMIeBwECAaCNBggBAgCAtRgCA6CNBgQFoI0GCQegjQYKj04";
        assert_eq!(decode(old).ok(), Some(rich()));
        assert_eq!(encode(&rich()), old);
    }

    #[test]
    fn a_bad_ring_link_is_named_and_never_panics() {
        let error = |text: &str| decode(text).err().map(|e| e.english()).unwrap_or_default();
        assert!(error("2.AAAA").contains("version 2"));
        assert!(error("x").contains("version"));
        assert!(error("1.*").contains("not allowed"));
        let text = encode(&rich());
        // Every cut and every flipped byte is refused or read, never a panic.
        let bytes = base64url_decode(&text[2..]).unwrap_or_default();
        for cut in 0..bytes.len() {
            let _ = decode(&format!("1.{}", base64url_encode(&bytes[..cut])));
            let mut flipped = bytes.clone();
            flipped[cut] ^= 0x5a;
            let _ = decode(&format!("1.{}", base64url_encode(&flipped)));
        }
        // Settings the store refuses are named.
        let mut bad = rich();
        bad.settings.replication = 0;
        assert!(decode(&encode(&bad)).is_err());
    }
}
