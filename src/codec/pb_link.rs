//! Primary-backup runs in share links (`pb=`): the run's settings (replication mode, servers,
//! the view service's timings, the clients, the network and the broken switches), the learner's
//! timed actions (crash or isolate the primary, a checkpoint, a latency spike and its end, a
//! node's crash and restart) and the moment shown, in the same compact, versioned form as the
//! other modes' links ([`crate::codec::share`]), so that a link reproduces the run, a
//! failover included. The disk settings are not in the link: the page never changes them.
//!
//! Format, version 1: [`crate::codec::run_link`]; this module says how the settings become
//! numbers and how each action is written (an action code, then its fields).

use crate::codec::run_link::{LinkFormat, RunLink};
use crate::codec::share::{Reader, Writer};
use crate::i18n::Text;
use crate::sim::disk::CrashMode;
use crate::sim::engine::{Fault, RunSettings};
use crate::sim::net::NetConfig;
use crate::sim::pb::{Bugs, PbAction, PbConfig, PbSettings, Replication};

/// The link version this build writes and reads.
pub const PB_LINK_VERSION: u32 = 1;

/// A primary-backup run as a link holds it.
pub type PbLink = RunLink<PbSettings, PbAction>;

fn replication_code(r: Replication) -> u64 {
    match r {
        Replication::Hot => 0,
        Replication::Warm => 1,
        Replication::Cold => 2,
    }
}

/// The settings as numbers, tag `i` for `v[i]` (`v[0]` unused).
fn flat(s: &PbSettings) -> Vec<u64> {
    let (c, n) = (&s.pb, &s.network);
    let b = &c.bugs;
    let bugs =
        u64::from(b.no_fencing) | u64::from(b.no_lease) << 1 | u64::from(b.ack_before_forward) << 2;
    vec![
        0,
        s.seed,
        replication_code(c.replication),
        c.backups.into(),
        c.ping_interval_us,
        c.dead_timeout_us,
        c.lease_us,
        c.resend_us_min,
        c.ship_interval_us,
        c.checkpoint_every_writes.into(),
        c.replay_us_per_entry,
        c.checkpoint_load_us,
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
fn settings(v: &[u64]) -> PbSettings {
    // Every tag above `u32::MAX` is refused by `max_value` first.
    let small = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
    PbSettings {
        seed: v[1],
        network: NetConfig {
            latency_us_min: v[17],
            latency_us_max: v[18],
            loss_ppm: small(v[19]),
            duplicate_ppm: small(v[20]),
            bandwidth_bytes_per_s: v[21],
        },
        pb: PbConfig {
            replication: match v[2] {
                1 => Replication::Warm,
                2 => Replication::Cold,
                _ => Replication::Hot,
            },
            backups: small(v[3]),
            ping_interval_us: v[4],
            dead_timeout_us: v[5],
            lease_us: v[6],
            resend_us_min: v[7],
            ship_interval_us: v[8],
            checkpoint_every_writes: small(v[9]),
            replay_us_per_entry: v[10],
            checkpoint_load_us: v[11],
            clients: small(v[12]),
            keys: small(v[13]),
            think_us: v[14],
            client_timeout_us: v[15],
            bugs: Bugs {
                no_fencing: v[16] & 1 != 0,
                no_lease: v[16] & 2 != 0,
                ack_before_forward: v[16] & 4 != 0,
            },
        },
        ..PbSettings::default()
    }
}

/// The largest value each tag takes.
fn max_value(tag: u64) -> u64 {
    match tag {
        2 => 2,
        16 => 7,
        3 | 9 | 12 | 13 | 19 | 20 => u32::MAX.into(),
        _ => u64::MAX,
    }
}

pub(crate) const FORMAT: LinkFormat<PbSettings, PbAction> = LinkFormat {
    version: PB_LINK_VERSION,
    flat,
    settings,
    max_value,
    validate: |s| s.validate(),
    write_action,
    read_action,
};

/// Encodes a run as a link string. Only the actions the page makes travel; the others (a
/// fault search's) are left out.
pub fn encode(run: &PbLink) -> String {
    FORMAT.encode(run)
}

/// Decodes a link string; the error says what is wrong with it.
pub fn decode(text: &str) -> Result<PbLink, Text> {
    FORMAT.decode(text)
}

fn write_action(w: &mut Writer, action: &PbAction) -> bool {
    match action {
        PbAction::Fault(Fault::Crash {
            node,
            mode: CrashMode::Clean,
        }) => {
            w.varint(1);
            w.node(*node);
        }
        PbAction::Fault(Fault::Restart { node }) => {
            w.varint(2);
            w.node(*node);
        }
        PbAction::CrashPrimary { down_us } => {
            w.varint(3);
            w.varint(*down_us);
        }
        PbAction::IsolatePrimary { for_us } => {
            w.varint(4);
            w.varint(*for_us);
        }
        PbAction::Checkpoint => w.varint(5),
        PbAction::Fault(Fault::SetNetwork { network }) => {
            w.varint(6);
            w.varint(network.latency_us_min);
            w.varint(network.latency_us_max);
            w.varint(network.loss_ppm.into());
            w.varint(network.duplicate_ppm.into());
            w.varint(network.bandwidth_bytes_per_s);
        }
        PbAction::Fault(Fault::Heal) => w.varint(7),
        PbAction::PausePrimary { for_us } => {
            w.varint(8);
            w.varint(*for_us);
        }
        // The page makes no other fault.
        PbAction::Fault(_) => return false,
    }
    true
}

fn read_action(r: &mut Reader) -> Result<PbAction, Text> {
    let code = r.varint(Text::new("wire.action"))?;
    Ok(match code {
        1 => PbAction::Fault(Fault::Crash {
            node: r.node()?,
            mode: CrashMode::Clean,
        }),
        2 => PbAction::Fault(Fault::Restart { node: r.node()? }),
        3 => PbAction::CrashPrimary {
            down_us: r.varint(Text::new("wire.moment"))?,
        },
        4 => PbAction::IsolatePrimary {
            for_us: r.varint(Text::new("wire.moment"))?,
        },
        5 => PbAction::Checkpoint,
        6 => {
            let latency_us_min = r.varint(Text::new("wire.moment"))?;
            let latency_us_max = r.varint(Text::new("wire.moment"))?;
            let ppm = u64::from(u32::MAX);
            let loss_ppm = r.small(Text::new("wire.setting"), ppm)? as u32;
            let duplicate_ppm = r.small(Text::new("wire.setting"), ppm)? as u32;
            let bandwidth_bytes_per_s = r.varint(Text::new("wire.setting"))?;
            let network = NetConfig {
                latency_us_min,
                latency_us_max,
                loss_ppm,
                duplicate_ppm,
                bandwidth_bytes_per_s,
            };
            network
                .validate()
                .map_err(|e| Text::new("error.settings.network").with_text("error", e))?;
            PbAction::Fault(Fault::SetNetwork { network })
        }
        7 => PbAction::Fault(Fault::Heal),
        8 => PbAction::PausePrimary {
            for_us: r.varint(Text::new("wire.moment"))?,
        },
        other => return Err(Text::new("error.link.unknown_action").with("code", other)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::engine::TimedAction;
    use crate::sim::pb::page::{
        crash_primary, isolate_primary, latency_restored, latency_spike, page_settings,
    };
    use crate::sim::types::NodeId;

    fn run() -> PbLink {
        let mut settings = page_settings(Replication::Warm);
        settings.seed = 7;
        settings.pb.bugs.no_lease = true;
        settings.pb.bugs.ack_before_forward = true;
        settings.network.loss_ppm = 20_000;
        let started = settings.clone();
        let at = |at_us, action| TimedAction { at_us, action };
        PbLink {
            settings,
            actions: vec![
                at(1_000, crash_primary()),
                at(1_000, isolate_primary()),
                at(2_000, PbAction::Checkpoint),
                at(2_500, crate::sim::pb::page::pause_primary()),
                at(3_000, latency_spike(&started)),
                at(3_500, latency_restored(&started)),
                at(
                    4_000,
                    PbAction::Fault(Fault::Crash {
                        node: NodeId(1),
                        mode: CrashMode::Clean,
                    }),
                ),
                at(5_000, PbAction::Fault(Fault::Restart { node: NodeId(1) })),
                at(6_000, PbAction::Fault(Fault::Heal)),
            ],
            now_us: 9_000,
        }
    }

    #[test]
    fn a_run_comes_back_as_it_was_written() {
        let r = run();
        assert_eq!(decode(&encode(&r)), Ok(r));
        for replication in Replication::ALL {
            let plain = PbLink {
                settings: page_settings(replication),
                actions: Vec::new(),
                now_us: 0,
            };
            assert_eq!(decode(&encode(&plain)), Ok(plain));
        }
    }

    #[test]
    fn hostile_links_are_errors_not_panics() {
        for bad in [
            "",
            "1.",
            "2.AAAA",
            "1.%%%",
            "1.AQ",
            "1._____________",
            "x.AA",
        ] {
            assert!(decode(bad).is_err(), "{bad}");
        }
        // Five backups are refused by the simulation's own check, which names the field.
        let mut r = run();
        r.settings.pb.backups = 5;
        let e = decode(&encode(&r)).unwrap_err().english();
        assert!(e.contains("backups"), "{e}");
        // An action after the moment shown cannot have happened.
        let mut r = run();
        r.now_us = 10;
        assert!(decode(&encode(&r)).is_err());
        // An unknown replication mode is out of range.
        let mut w = Writer::default();
        crate::codec::share::write_numbered(&mut w, &[0, 1, 3]);
        w.varint(0);
        w.varint(0);
        let text = format!("1.{}", crate::codec::share::base64url_encode(&w.bytes));
        let e = decode(&text).unwrap_err().english();
        assert!(e.contains('2'), "{e}");
        // An unknown action code is named.
        let mut w = Writer::default();
        crate::codec::share::write_numbered(&mut w, &[0, 1]);
        w.varint(0);
        w.varint(1);
        w.varint(0);
        w.varint(99);
        let text = format!("1.{}", crate::codec::share::base64url_encode(&w.bytes));
        let e = decode(&text).unwrap_err().english();
        assert!(e.contains("99"), "{e}");
        // A spike to a network the simulation refuses is refused.
        let mut r = run();
        r.actions = vec![TimedAction {
            at_us: 1,
            action: PbAction::Fault(Fault::SetNetwork {
                network: NetConfig {
                    latency_us_min: 10,
                    latency_us_max: 5,
                    ..NetConfig::default()
                },
            }),
        }];
        assert!(decode(&encode(&r)).is_err());
    }
}
