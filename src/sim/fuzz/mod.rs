//! Random fault search in the style of TigerBeetle's VOPR, the same for every protocol:
//! every knob of a run comes from its seed (swarm testing, `faults`); a safety phase of
//! crashes, restarts, partitions, cuts, loss and duplication is followed by a healed
//! liveness phase in which the protocol must finish what it promised. The protocol's checks
//! run after every event throughout.

pub mod faults;

use crate::sim::engine::{Driver, Engine, Observe, TimedAction, Violation};
use crate::sim::types::{Micros, MICROS_PER_MS};
use std::fmt::Debug;

/// How long each phase of a fuzz run lasts, in simulated time.
#[derive(Copy, Clone, Debug)]
pub struct Phases {
    pub safety_us: Micros,
    pub liveness_us: Micros,
}

impl Default for Phases {
    fn default() -> Self {
        Phases {
            safety_us: 10_000 * MICROS_PER_MS,
            liveness_us: 10_000 * MICROS_PER_MS,
        }
    }
}

/// What a protocol tells the fault search.
pub trait Fuzz: Driver {
    /// The protocol's broken switches.
    type Bugs: Clone + Debug + Default + Send + Sync + 'static;

    /// The `--bug` names and what each switches on.
    fn bug(name: &str) -> Option<Self::Bugs>;
    /// Every `--bug` name, for the error that lists them.
    const BUG_NAMES: &'static [&'static str];
    /// What `work_done` counts, for the summary ("client operations").
    const WORK_NAME: &'static str;

    /// Applies `--variant NAME` to the search's options (for a protocol that comes in
    /// variants, Paxos's single-decree and Multi-Paxos); by default there are none.
    fn with_variant(_bugs: Self::Bugs, name: &str) -> Result<Self::Bugs, String> {
        Err(format!(
            "--variant: {} has no variants (\"{name}\")",
            Self::NAME
        ))
    }

    /// Applies `--membership` (servers added and removed among the faults); by default the
    /// protocol has no membership changes.
    fn with_membership(_bugs: Self::Bugs) -> Result<Self::Bugs, String> {
        Err(format!(
            "--membership: {} has no membership changes",
            Self::NAME
        ))
    }

    /// Membership changes by joint consensus (`--joint`, with `--membership`).
    fn with_joint(_bugs: Self::Bugs) -> Result<Self::Bugs, String> {
        Err(format!("--joint: {} has no joint consensus", Self::NAME))
    }

    /// The settings of seed `seed`'s run (`nodes` fixes the cluster size where it can vary).
    fn settings_for_seed(seed: u64, nodes: Option<u32>, bugs: &Self::Bugs) -> Self::Settings;

    /// A random fault schedule over `[0, until_us)`, followed by a full repair at `until_us`.
    fn fault_schedule(
        settings: &Self::Settings,
        until_us: Micros,
    ) -> Vec<TimedAction<Self::Action>>;

    /// Whether a violation is one the settings allow: a disk that does not sync every write
    /// may lose what it acknowledged in a power loss, and the protocol's promises with it.
    fn excused(settings: &Self::Settings, violation: &Violation<Self>) -> bool;

    /// How long the healed phase of a run with these settings lasts: `phases.liveness_us`
    /// unless the protocol needs longer to be sure to finish (a slow sender's backlog).
    fn liveness_us(_settings: &Self::Settings, phases: Phases) -> Micros {
        phases.liveness_us
    }

    /// How long before the end of the liveness phase what was promised must be settled.
    fn settle_us(settings: &Self::Settings, phases: Phases) -> Micros;

    /// What has been promised by the start of the settling time (Raft: the highest index
    /// acknowledged to a client).
    fn promised(engine: &Engine<Self>) -> u64;

    /// At the end of the healed phase: what is missing, if anything.
    fn liveness_problem(engine: &mut Engine<Self>, promised: u64) -> Option<String>;

    /// The work a passing run got done, for the summary (client operations, deliveries).
    fn work_done(engine: &Engine<Self>) -> u64;
}

/// How one fuzz run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict<V> {
    Pass {
        events: u64,
        ops: u64,
    },
    Unsafe(V),
    /// The healed run did not finish what it promised in the liveness phase; says what was
    /// missing.
    Stuck(String),
    /// The disk did not sync every write, a crash lost what was not synced, and the
    /// protocol's guarantees failed as a result (as they must: they need stable storage).
    LossyDisk(V),
}

/// Runs one seed through both phases, with the counters of what the run reached (up to where
/// it stopped).
pub fn run_seed_covered<P: Fuzz>(
    seed: u64,
    nodes: Option<u32>,
    bugs: &P::Bugs,
    phases: Phases,
) -> (Verdict<Violation<P>>, P::Coverage) {
    let settings = P::settings_for_seed(seed, nodes, bugs);
    let schedule = P::fault_schedule(&settings, phases.safety_us);
    let observe = Observe {
        trace: false,
        checks: true,
    };
    let mut engine = match Engine::<P>::with_observe(settings, observe) {
        Ok(engine) => engine,
        Err(e) => {
            let why = format!("invalid settings: {}", e.english());
            return (Verdict::Stuck(why), P::Coverage::default());
        }
    };
    for a in schedule {
        if let Err(e) = engine.schedule(a.at_us, a.action) {
            let why = format!("invalid fault schedule: {}", e.english());
            return (Verdict::Stuck(why), P::Coverage::default());
        }
    }
    let verdict = run_phases(&mut engine, phases);
    (verdict, *engine.coverage())
}

/// Runs a scheduled engine through the safety and liveness phases.
pub fn run_phases<P: Fuzz>(engine: &mut Engine<P>, phases: Phases) -> Verdict<Violation<P>> {
    let phases = Phases {
        liveness_us: P::liveness_us(engine.settings(), phases),
        ..phases
    };
    let end = phases.safety_us + phases.liveness_us;
    let settle_us = P::settle_us(engine.settings(), phases);
    let mut promised = None;
    // Stop at the first violation rather than running on in a broken state.
    let mut checkpoint = 0;
    while checkpoint < end {
        let next = (checkpoint + 100 * MICROS_PER_MS).min(end);
        if checkpoint < end - settle_us && next >= end - settle_us {
            engine.run_until(end - settle_us);
            promised = Some(P::promised(engine));
        }
        checkpoint = next;
        engine.run_until(checkpoint);
        if let Some(v) = engine.violations().first() {
            return judged::<P>(engine.settings(), v.clone());
        }
    }
    if let Some(v) = engine.finish_checks() {
        return judged::<P>(engine.settings(), v);
    }
    match P::liveness_problem(engine, promised.unwrap_or_default()) {
        Some(problem) => Verdict::Stuck(problem),
        None => Verdict::Pass {
            events: engine.events_processed(),
            ops: P::work_done(engine),
        },
    }
}

fn judged<P: Fuzz>(settings: &P::Settings, v: Violation<P>) -> Verdict<Violation<P>> {
    if P::excused(settings, &v) {
        Verdict::LossyDisk(v)
    } else {
        Verdict::Unsafe(v)
    }
}
