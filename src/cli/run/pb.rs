//! `faultline run --protocol primary-backup`: one primary-backup run (hot, warm or cold), a
//! summary with its failovers, its expected losses (warm mode) and its counters, and
//! optionally its trace.

use super::runner::{network_flags, print_counters_and_violations, run_engine_scripted};
use crate::cli::args::{bugs_from, duration_us, Args, Flag};
use crate::sim::engine::Engine;
use crate::sim::fuzz::Fuzz;
use crate::sim::pb::{PbAction, PbSettings, PrimaryBackup};

const FLAGS: &[Flag] = &[
    Flag("protocol", true),
    Flag("replication", true),
    Flag("seed", true),
    Flag("duration", true),
    Flag("faults", true),
    Flag("trace", true),
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
    let mut settings = PbSettings {
        seed: args.number("seed", 1)?,
        ..PbSettings::default()
    };
    let options = bugs_from::<PrimaryBackup>(args.value("bug"))?;
    let options = match args.value("replication") {
        Some(r) => PrimaryBackup::with_variant(options, r)
            .map_err(|e| e.replace("--variant", "--replication"))?,
        None => options,
    };
    let c = &mut settings.pb;
    c.replication = options.replication;
    c.bugs = options.bugs;
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
    let mut scripted = Vec::new();
    let down_us = 3 * settings.pb.dead_timeout_us;
    if let Some(at) = args.value("crash-primary-at") {
        let at_us = duration_us("crash-primary-at", at)?;
        scripted.push((at_us, PbAction::CrashPrimary { down_us }));
    }
    if let Some(at) = args.value("isolate-primary-at") {
        let at_us = duration_us("isolate-primary-at", at)?;
        scripted.push((at_us, PbAction::IsolatePrimary { for_us: down_us }));
    }
    let (engine, duration) =
        run_engine_scripted::<PrimaryBackup>(&args, settings.clone(), |d| d / 2, scripted)?;
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
