//! `faultline run --protocol primary-backup`: one primary-backup run (hot, warm or cold), a
//! summary with its failovers, its expected losses (warm mode) and its counters, and
//! optionally its trace.

use super::runner::{
    network_flags, print_counters_and_violations, run_engine_with, save_scenario, scenario_flag,
};
use crate::cli::args::{bugs_from, duration_us, Args, Flag};
use crate::codec::pb_scenario::{self, PbScenario};
use crate::sim::engine::{Engine, TimedAction};
use crate::sim::fuzz::Fuzz;
use crate::sim::pb::{PbAction, PbSettings, PrimaryBackup};

const FLAGS: &[Flag] = &[
    Flag("protocol", true),
    Flag("replication", true),
    Flag("seed", true),
    Flag("duration", true),
    Flag("faults", true),
    Flag("trace", true),
    Flag("scenario", true),
    Flag("save-scenario", true),
    Flag("backups", true),
    Flag("clients", true),
    Flag("keys", true),
    Flag("ping-interval", true),
    Flag("dead-timeout", true),
    Flag("lease", true),
    Flag("checkpoint-every", true),
    Flag("replay-per-entry", true),
    Flag("crash-primary-at", true),
    Flag("isolate-primary-at", true),
    Flag("loss-percent", true),
    Flag("latency", true),
    Flag("bug", true),
];

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(raw, FLAGS)?;
    // A scenario's settings and actions, then the flags on top of them.
    let (mut settings, mut actions) = match scenario_flag(&args, pb_scenario::parse)? {
        Some(s) => (s.settings, s.actions),
        // Seed 1 without a scenario, as before scenario files existed.
        None => (
            PbSettings {
                seed: 1,
                ..PbSettings::default()
            },
            Vec::new(),
        ),
    };
    settings.seed = args.number("seed", settings.seed)?;
    let options = bugs_from::<PrimaryBackup>(args.value("bug"))?;
    let c = &mut settings.pb;
    if let Some(r) = args.value("replication") {
        c.replication = PrimaryBackup::with_variant(options.clone(), r)
            .map_err(|e| e.replace("--variant", "--replication"))?
            .replication;
    }
    if options.bugs.any() {
        c.bugs = options.bugs;
    }
    c.backups = args.number("backups", c.backups)?;
    c.clients = args.number("clients", c.clients)?;
    c.keys = args.number("keys", c.keys)?;
    c.checkpoint_every_writes = args.number("checkpoint-every", c.checkpoint_every_writes)?;
    for (flag, field) in [
        ("ping-interval", &mut c.ping_interval_us),
        ("dead-timeout", &mut c.dead_timeout_us),
        ("lease", &mut c.lease_us),
        ("replay-per-entry", &mut c.replay_us_per_entry),
    ] {
        if let Some(text) = args.value(flag) {
            *field = duration_us(flag, text)?;
        }
    }
    network_flags(&args, &mut settings.network)?;
    validate(&settings)?;
    // Faults are healed by half the run.
    let down_us = 3 * settings.pb.dead_timeout_us;
    if let Some(at) = args.value("crash-primary-at") {
        let at_us = duration_us("crash-primary-at", at)?;
        actions.push(TimedAction {
            at_us,
            action: PbAction::CrashPrimary { down_us },
        });
    }
    if let Some(at) = args.value("isolate-primary-at") {
        let at_us = duration_us("isolate-primary-at", at)?;
        actions.push(TimedAction {
            at_us,
            action: PbAction::IsolatePrimary { for_us: down_us },
        });
    }
    // A stable sort: a scenario's actions stay before the flags' at the same moment.
    actions.sort_by_key(|a| a.at_us);
    let (engine, duration, actions) =
        run_engine_with::<PrimaryBackup>(&args, settings.clone(), actions, |d| d / 2)?;
    save_scenario(
        &args,
        &PbScenario {
            settings: settings.clone(),
            actions,
        },
        pb_scenario::write,
    )?;
    print_summary(&engine, &settings, duration);
    Ok(if engine.violations().is_empty() { 0 } else { 1 })
}

/// The settings' own check, its error naming the flag that set the field.
fn validate(settings: &PbSettings) -> Result<(), String> {
    use crate::sim::engine::RunSettings;
    const FIELDS: [(&str, &str); 8] = [
        ("pb.backups", "--backups"),
        ("pb.clients", "--clients"),
        ("pb.keys", "--keys"),
        ("pb.ping_interval_us", "--ping-interval"),
        ("pb.dead_timeout_us", "--dead-timeout"),
        ("pb.lease_us", "--lease"),
        ("pb.checkpoint_every_writes", "--checkpoint-every"),
        ("pb.replay_us_per_entry", "--replay-per-entry"),
    ];
    settings.validate().map_err(|e| {
        let text = e.english();
        let named = FIELDS.iter().find_map(|(field, flag)| {
            let rest = text.strip_prefix(field)?.trim_start_matches(':').trim();
            Some(format!("{flag}: {rest} (setting {field})"))
        });
        named.unwrap_or_else(|| format!("invalid settings: {text}"))
    })
}

fn print_summary(engine: &Engine<PrimaryBackup>, settings: &PbSettings, duration_us: u64) {
    let c = &settings.pb;
    println!(
        "faultline run: primary-backup ({}), {} servers, {} clients, seed {}, {:.1} s simulated, {} events, {} trace lines",
        c.replication.name(),
        c.servers(),
        c.clients,
        settings.seed,
        duration_us as f64 / 1e6,
        engine.events_processed(),
        engine.trace().len()
    );
    for slot in engine.nodes() {
        let state = match &slot.process {
            None => "down".to_string(),
            Some(node) => {
                if let Some(vs) = node.view_service() {
                    format!(
                        "view service, {}{}",
                        vs.view,
                        if vs.acked {
                            ", acknowledged"
                        } else {
                            ", not acknowledged"
                        }
                    )
                } else if let Some(s) = node.server() {
                    format!(
                        "{} in view {}, writes through {}",
                        s.role(c),
                        s.view.num,
                        s.last_seq
                    )
                } else if let Some(st) = node.storage() {
                    format!(
                        "storage, fenced below view {}, checkpoint at {}, log through {}",
                        st.fence, st.checkpoint_seq, st.last_seq
                    )
                } else {
                    String::new()
                }
            }
        };
        println!("{}: {state}", slot.id);
    }
    println!(
        "clients: {} operations answered",
        engine.world().completed()
    );
    let checks = &engine.checks;
    for f in checks.failovers() {
        let ms = |t: Option<u64>| {
            t.map_or("-".into(), |t| {
                format!("{:.1}", (t - f.crashed_us) as f64 / 1e3)
            })
        };
        println!(
            "failover: {} crashed at {:.3} s; suspected +{} ms, new view +{} ms ({}), first answer +{} ms{}{}",
            f.primary,
            f.crashed_us as f64 / 1e6,
            ms(f.suspected_us),
            ms(f.new_view_us),
            f.new_primary.map_or("-".into(), |p| p.to_string()),
            ms(f.served_us),
            f.replay_us
                .map_or(String::new(), |r| format!(", replay {:.1} ms", r as f64 / 1e3)),
            if f.lost_writes > 0 {
                format!(", {} acknowledged writes lost", f.lost_writes)
            } else {
                String::new()
            }
        );
    }
    println!(
        "suspicions: {} ({} false: the server had not crashed)",
        checks.suspicions(),
        checks.false_suspicions()
    );
    let losses = checks.expected_losses();
    if !losses.is_empty() {
        println!("expected losses (warm mode: acknowledged, not yet shipped at the failover):");
        for l in losses {
            println!(
                "  {}'s request {} at position {}, not held by the primary of view {} (t={:.3} s)",
                l.client,
                l.request,
                l.seq,
                l.view,
                l.at_us as f64 / 1e6
            );
        }
    }
    print_counters_and_violations(engine);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run with the fault search's random faults (pauses among them), saved as a scenario
    /// file and played from it, is the same run: the trace files are identical, byte for byte.
    #[test]
    fn a_saved_scenario_replays_the_same_run() {
        let dir = std::env::temp_dir().join(format!("faultline-pb-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = |name: &str| dir.join(name).to_string_lossy().into_owned();
        let args = |extra: &[&str]| -> Vec<String> {
            [
                "--protocol",
                "primary-backup",
                "--duration",
                "8s",
                "--replication",
                "warm",
            ]
            .iter()
            .chain(extra)
            .map(|s| s.to_string())
            .collect()
        };
        let (scenario, first, second) = (file("s.json"), file("t1.jsonl"), file("t2.jsonl"));
        main(&args(&[
            "--faults",
            "random",
            "--seed",
            "14",
            "--crash-primary-at",
            "2s",
            "--save-scenario",
            &scenario,
            "--trace",
            &first,
        ]))
        .unwrap();
        let saved = std::fs::read_to_string(&scenario).unwrap();
        assert!(saved.contains("\"replication\": \"warm\""), "{saved}");
        assert!(saved.contains("\"action\": \"crash_primary\""), "{saved}");
        main(&args(&["--scenario", &scenario, "--trace", &second])).unwrap();
        assert_eq!(
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap()
        );
        let e = main(&args(&["--scenario", &file("missing.json")])).unwrap_err();
        assert!(e.starts_with("--scenario: cannot read"), "{e}");
        std::fs::write(file("bad.json"), r#"{"version": 1, "protocol": "2pc"}"#).unwrap();
        let e = main(&args(&["--scenario", &file("bad.json")])).unwrap_err();
        assert!(e.contains("protocol must be \"primary-backup\""), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
