//! Retransmission runs in share links: the run's settings, the learner's timed actions (crash,
//! restart, hand over a message) and the moment shown, in the same compact, versioned form as
//! Raft and Hash ring runs ([`crate::codec::share`]), so that a link reproduces the run.
//!
//! Format, version 1: `1.` followed by unpadded base64url of: every setting as (tag, value)
//! pairs ended by tag 0, the moment in microseconds, then the action count and each action as
//! (time since the previous action, action code, fields). A reader skips nothing: an unknown
//! tag or action code is an error that names it, and the settings are checked by the
//! simulation before the run is made.

use crate::codec::share::{
    base64url_decode, base64url_encode, read_numbered, versioned_body, write_numbered, Reader,
    Writer,
};
use crate::i18n::Text;
use crate::sim::disk::CrashMode;
use crate::sim::engine::{Fault, RunSettings, TimedAction};
use crate::sim::net::NetConfig;
use crate::sim::retransmit::{
    AckMode, RetransmitAction, RetransmitConfig, RetransmitSettings, RtoPolicy, Scheme,
};
use crate::sim::types::Micros;

/// The link version this build writes and reads.
pub const RETRANSMIT_LINK_VERSION: u32 = 1;

/// Limits that keep a hostile link from costing memory or time.
const MAX_BYTES: usize = 64 * 1024;
const MAX_ACTIONS: u64 = 1_000;

/// A retransmission run as a link holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct RetransmitLink {
    pub settings: RetransmitSettings,
    /// The learner's actions at their moments, in time order.
    pub actions: Vec<TimedAction<RetransmitAction>>,
    /// The moment shown.
    pub now_us: Micros,
}

/// The settings flattened to numbers, one per tag.
#[derive(Default)]
struct Flat {
    v: [u64; 18],
}

const SCHEMES: [Scheme; 3] = [
    Scheme::StopAndWait,
    Scheme::GoBackN,
    Scheme::SelectiveRepeat,
];

impl Flat {
    fn of(s: &RetransmitSettings) -> Flat {
        let (c, n) = (&s.retransmit, &s.network);
        let scheme = SCHEMES.iter().position(|x| *x == c.scheme).unwrap_or(1) as u64;
        let (kind, fixed, initial, min, max) = match c.rto {
            RtoPolicy::Adaptive {
                initial_us,
                min_us,
                max_us,
            } => (0, 0, initial_us, min_us, max_us),
            RtoPolicy::Fixed { rto_us } => (1, rto_us, 0, 0, 0),
        };
        Flat {
            v: [
                0,
                s.seed,
                c.pairs.into(),
                scheme,
                c.window.into(),
                (c.ack == AckMode::Selective).into(),
                kind,
                fixed,
                initial,
                min,
                max,
                c.messages,
                c.offered_interval_us,
                n.latency_us_min,
                n.latency_us_max,
                n.loss_ppm.into(),
                n.duplicate_ppm.into(),
                n.bandwidth_bytes_per_s,
            ],
        }
    }

    fn settings(&self) -> RetransmitSettings {
        let v = &self.v;
        let small = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
        RetransmitSettings {
            seed: v[1],
            network: NetConfig {
                latency_us_min: v[13],
                latency_us_max: v[14],
                loss_ppm: small(v[15]),
                duplicate_ppm: small(v[16]),
                bandwidth_bytes_per_s: v[17],
            },
            retransmit: RetransmitConfig {
                pairs: small(v[2]),
                scheme: SCHEMES[(v[3] as usize).min(2)],
                window: small(v[4]),
                ack: if v[5] == 1 {
                    AckMode::Selective
                } else {
                    AckMode::Cumulative
                },
                rto: if v[6] == 1 {
                    RtoPolicy::Fixed { rto_us: v[7] }
                } else {
                    RtoPolicy::Adaptive {
                        initial_us: v[8],
                        min_us: v[9],
                        max_us: v[10],
                    }
                },
                messages: v[11],
                offered_interval_us: v[12],
                ..RetransmitConfig::default()
            },
            ..RetransmitSettings::default()
        }
    }
}

/// The largest value each tag takes.
fn max_value(tag: u64) -> u64 {
    match tag {
        3 => 2,
        5 | 6 => 1,
        2 | 4 | 15 | 16 => u32::MAX.into(),
        _ => u64::MAX,
    }
}

/// Encodes a run as a link string. Only the learner's actions travel (crash, restart, hand
/// over); the page makes no others.
pub fn encode(run: &RetransmitLink) -> String {
    let mut w = Writer::default();
    write_numbered(&mut w, &Flat::of(&run.settings).v);
    w.varint(run.now_us);
    let linked: Vec<_> = run
        .actions
        .iter()
        .filter(|a| action_code(&a.action).is_some())
        .collect();
    w.varint(linked.len() as u64);
    let mut previous_us = 0;
    for a in linked {
        w.varint(a.at_us.saturating_sub(previous_us));
        previous_us = previous_us.max(a.at_us);
        if let Some((code, node)) = action_code(&a.action) {
            w.varint(code);
            w.varint(node.into());
        }
    }
    format!("{RETRANSMIT_LINK_VERSION}.{}", base64url_encode(&w.bytes))
}

fn action_code(action: &RetransmitAction) -> Option<(u64, u32)> {
    match action {
        RetransmitAction::Fault(Fault::Crash {
            node,
            mode: CrashMode::Clean,
        }) => Some((1, node.0)),
        RetransmitAction::Fault(Fault::Restart { node }) => Some((2, node.0)),
        RetransmitAction::HandOver { node } => Some((3, node.0)),
        RetransmitAction::Fault(_) => None,
    }
}

/// Decodes a link string; the error says what is wrong with it.
pub fn decode(text: &str) -> Result<RetransmitLink, Text> {
    let body = versioned_body(text, RETRANSMIT_LINK_VERSION)?;
    if body.len() > MAX_BYTES * 4 / 3 + 4 {
        return Err(Text::new("error.link.too_long").with("count", body.len()));
    }
    let bytes = base64url_decode(body)?;
    let mut r = Reader {
        bytes: &bytes,
        at: 0,
    };
    let mut flat = Flat::of(&RetransmitSettings::default());
    read_numbered(&mut r, &mut flat.v, max_value)?;
    let settings = flat.settings();
    settings
        .validate()
        .map_err(|e| Text::new("error.link.settings").with_text("error", e))?;
    let now_us = r.varint(Text::new("wire.moment"))?;
    let actions: Vec<TimedAction<RetransmitAction>> = r
        .timed_actions(MAX_ACTIONS, |r| {
            let code = r.varint(Text::new("wire.action"))?;
            let node = r.node()?;
            match code {
                1 => Ok(RetransmitAction::Fault(Fault::Crash {
                    node,
                    mode: CrashMode::Clean,
                })),
                2 => Ok(RetransmitAction::Fault(Fault::Restart { node })),
                3 => Ok(RetransmitAction::HandOver { node }),
                other => Err(Text::new("error.link.unknown_action").with("code", other)),
            }
        })?
        .into_iter()
        .map(|(at_us, action)| TimedAction { at_us, action })
        .collect();
    if actions.last().is_some_and(|a| a.at_us > now_us) {
        return Err(Text::new("error.link.action_after_moment"));
    }
    r.finished()?;
    Ok(RetransmitLink {
        settings,
        actions,
        now_us,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::types::NodeId;

    fn run() -> RetransmitLink {
        let mut settings = RetransmitSettings {
            seed: 42,
            ..Default::default()
        };
        settings.network.loss_ppm = 100_000;
        settings.retransmit.scheme = Scheme::SelectiveRepeat;
        settings.retransmit.ack = AckMode::Selective;
        settings.retransmit.rto = RtoPolicy::Fixed { rto_us: 150_000 };
        RetransmitLink {
            settings,
            actions: vec![
                TimedAction {
                    at_us: 1_000,
                    action: RetransmitAction::Fault(Fault::Crash {
                        node: NodeId(2),
                        mode: CrashMode::Clean,
                    }),
                },
                TimedAction {
                    at_us: 5_000,
                    action: RetransmitAction::Fault(Fault::Restart { node: NodeId(2) }),
                },
                TimedAction {
                    at_us: 6_000,
                    action: RetransmitAction::HandOver { node: NodeId(1) },
                },
            ],
            now_us: 9_000,
        }
    }

    #[test]
    fn a_run_comes_back_as_it_was_written() {
        let r = run();
        assert_eq!(decode(&encode(&r)), Ok(r));
    }

    #[test]
    fn hostile_links_are_errors_not_panics() {
        for bad in ["", "1.", "2.AAAA", "1.%%%", "1.AQ", "1._____________"] {
            assert!(decode(bad).is_err(), "{bad}");
        }
        // A window of 0 is refused by the simulation's own check, which names the field.
        let mut r = run();
        r.settings.retransmit.window = 0;
        let e = decode(&encode(&r)).unwrap_err().english();
        assert!(e.contains("retransmit.window"), "{e}");
    }
}
