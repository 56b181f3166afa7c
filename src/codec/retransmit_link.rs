//! Retransmission runs in share links: the run's settings, the learner's timed actions (crash,
//! restart, hand over a message) and the moment shown, in the same compact, versioned form as
//! Raft and Hash ring runs ([`crate::codec::share`]), so that a link reproduces the run.
//!
//! Format, version 1: [`crate::codec::run_link`]; this module says how the settings become
//! numbers and how each action is written (an action code, then its fields).

use crate::codec::run_link::{LinkFormat, RunLink};
use crate::codec::share::{Reader, Writer};
use crate::i18n::Text;
use crate::sim::disk::CrashMode;
use crate::sim::engine::{Fault, RunSettings};
use crate::sim::net::NetConfig;
use crate::sim::retransmit::{
    AckMode, RetransmitAction, RetransmitConfig, RetransmitSettings, RtoPolicy, Scheme,
};

/// The link version this build writes and reads.
pub const RETRANSMIT_LINK_VERSION: u32 = 1;

/// A retransmission run as a link holds it.
pub type RetransmitLink = RunLink<RetransmitSettings, RetransmitAction>;

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

pub(crate) const FORMAT: LinkFormat<RetransmitSettings, RetransmitAction> = LinkFormat {
    version: RETRANSMIT_LINK_VERSION,
    flat: |s| Flat::of(s).v.to_vec(),
    settings: |v| {
        let mut flat = Flat::default();
        flat.v.copy_from_slice(v);
        flat.settings()
    },
    max_value,
    validate: |s| s.validate(),
    write_action,
    read_action,
};

/// Encodes a run as a link string. Only the learner's actions travel (crash, restart, hand
/// over); the page makes no others.
pub fn encode(run: &RetransmitLink) -> String {
    FORMAT.encode(run)
}

/// Decodes a link string; the error says what is wrong with it.
pub fn decode(text: &str) -> Result<RetransmitLink, Text> {
    FORMAT.decode(text)
}

fn write_action(w: &mut Writer, action: &RetransmitAction) -> bool {
    let (code, node) = match action {
        RetransmitAction::Fault(Fault::Crash {
            node,
            mode: CrashMode::Clean,
        }) => (1, node),
        RetransmitAction::Fault(Fault::Restart { node }) => (2, node),
        RetransmitAction::HandOver { node } => (3, node),
        RetransmitAction::Fault(_) => return false,
    };
    w.varint(code);
    w.node(*node);
    true
}

fn read_action(r: &mut Reader) -> Result<RetransmitAction, Text> {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::engine::TimedAction;
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

    /// A link written before the links of engine runs shared `codec::run_link` (84be2d3):
    /// it still reads as the same run, and the run is still written as the same string.
    #[test]
    fn a_link_from_before_reads_the_same() {
        let mut settings = RetransmitSettings {
            seed: 42,
            ..Default::default()
        };
        settings.network.loss_ppm = 100_000;
        let r = RetransmitLink {
            settings,
            actions: vec![TimedAction {
                at_us: 1_000,
                action: RetransmitAction::HandOver { node: NodeId(1) },
            }],
            now_us: 9_000,
        };
        let old = "1.ASoCAQMBBAQFAAYABwAIwIQ9CcCaDAqAjs4cCygMAA2QTg6gnAEPoI0GEAARwIQ9AKhGAegHAwE";
        assert_eq!(encode(&r), old);
        assert_eq!(decode(old), Ok(r));
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
