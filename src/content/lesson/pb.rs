//! What a primary-backup lesson can ask of the learner: goals checked against the live
//! primary-backup run (the page's own `History<PrimaryBackup>`), the steps that accomplish them
//! (new settings as the page's settings apply them, actions as its buttons do them, and
//! simulated time passing), and what a step's goals are measured from.
//!
//! Like the other live lessons, these are read beside the live page, which they open on its
//! default run ([`page_run`]), and `tests/lessons.rs` proves each task and prediction in order
//! from that run. Goals count what happened since the step opened ([`PbBaseline`]).

use super::step_json::{GoalJson, SetJson, StepJson};
use crate::codec::json::Json;
use crate::sim::engine::{Engine, Fault};
use crate::sim::history::History;
use crate::sim::net::NetConfig;
use crate::sim::pb::driver::current_primary;
use crate::sim::pb::page::{crash_primary, isolate_primary, page_settings, pause_primary};
use crate::sim::pb::{PbAction, PbCoverage, PbSettings, PrimaryBackup, Property, Replication};
use crate::sim::types::{Micros, NodeId};

pub type PbHistory = History<PrimaryBackup>;
pub type PbEngine = Engine<PrimaryBackup>;

/// A goal of a primary-backup task or prediction. Names are the `goal` strings of lesson
/// files; each counts from the moment the step opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PbGoal {
    /// At least `count` client operations were answered.
    Served { count: u32 },
    /// The view service names another primary than when the step opened.
    Promoted,
    /// At least `count` failovers finished: a primary crashed, the view service moved to a
    /// view with another primary, and that one answered a client (the checks' `Failover`).
    Failover { count: u32 },
    /// The view service declared dead a server that had not crashed since it was last heard
    /// from: a false suspicion.
    FalseSuspicion,
    /// A failover lost acknowledged writes the new primary never received (warm mode's
    /// expected losses).
    WritesLost,
    /// Cold mode: a standby replayed the checkpoint and the log after it to take over.
    Replayed,
    /// Cold mode: the storage kept a new checkpoint.
    Checkpointed,
    /// A backup or the storage refused a message stamped with an older view (fencing).
    Fenced,
    /// The live checks report a violation (of `property`, when one is named).
    Violated { property: Option<Property> },
}

/// The properties by their names in lesson files.
const PROPERTIES: [(&str, Property); 5] = [
    ("one_primary_per_view", Property::OnePrimaryPerView),
    ("primary_holds_the_view", Property::PrimaryHoldsTheView),
    ("backup_order", Property::BackupOrder),
    ("acked_writes_kept", Property::AckedWritesKept),
    ("linearizability", Property::Linearizability),
];

impl PbGoal {
    pub const NAMES: [&'static str; 9] = [
        "pb_served",
        "pb_promoted",
        "pb_failover",
        "pb_false_suspicion",
        "pb_writes_lost",
        "pb_replayed",
        "pb_checkpointed",
        "pb_fenced",
        "pb_violated",
    ];

    /// Reads a goal from its object: `goal`, `count` where the goal takes one (1 when none is
    /// given), and for `pb_violated` an optional `property`.
    pub fn parse(j: &Json) -> Result<PbGoal, String> {
        let goal = GoalJson::of(j)?;
        let count = || goal.count();
        Ok(match goal.name {
            "pb_served" => PbGoal::Served { count: count()? },
            "pb_promoted" => PbGoal::Promoted,
            "pb_failover" => PbGoal::Failover { count: count()? },
            "pb_false_suspicion" => PbGoal::FalseSuspicion,
            "pb_writes_lost" => PbGoal::WritesLost,
            "pb_replayed" => PbGoal::Replayed,
            "pb_checkpointed" => PbGoal::Checkpointed,
            "pb_fenced" => PbGoal::Fenced,
            "pb_violated" => PbGoal::Violated {
                property: match j.get("property") {
                    None => None,
                    Some(p) => Some(
                        p.as_str()
                            .and_then(|p| PROPERTIES.iter().find(|(n, _)| *n == p))
                            .map(|(_, p)| *p)
                            .ok_or_else(|| {
                                format!(
                                    "line {}: `property` is one of {}",
                                    j.line,
                                    PROPERTIES.map(|(n, _)| n).join(", ")
                                )
                            })?,
                    ),
                },
            },
            _ => return Err(goal.unknown("primary-backup", &PbGoal::NAMES)),
        })
    }

    /// Whether the run satisfies the goal, counted from `start`.
    pub fn satisfied(&self, start: &PbBaseline, sim: &PbEngine) -> bool {
        let now = sim.coverage();
        let since = |of: fn(&PbCoverage) -> u64| of(now).saturating_sub(of(&start.counts));
        let checks = sim.checks();
        match self {
            PbGoal::Served { count } => since(|c| c.client_replies) >= u64::from(*count),
            PbGoal::Promoted => {
                since(|c| c.views) > 0
                    && current_primary(sim).is_some_and(|p| Some(p) != start.primary)
            }
            PbGoal::Failover { count } => {
                checks.failovers().len().saturating_sub(start.failovers) >= *count as usize
            }
            PbGoal::FalseSuspicion => checks.false_suspicions() > start.false_suspicions,
            PbGoal::WritesLost => checks.expected_losses().len() > start.losses,
            PbGoal::Replayed => since(|c| c.replays) > 0,
            PbGoal::Checkpointed => since(|c| c.checkpoints) > 0,
            PbGoal::Fenced => since(|c| c.fenced) > 0,
            PbGoal::Violated { property } => sim.violations()
                [start.violations.min(sim.violations().len())..]
                .iter()
                .any(|v| property.is_none_or(|p| v.property == p)),
        }
    }
}

/// What the run had counted when a step opened (or when the run was replaced since).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PbBaseline {
    pub counts: PbCoverage,
    pub primary: Option<NodeId>,
    pub failovers: usize,
    pub false_suspicions: u64,
    pub losses: usize,
    pub violations: usize,
}

impl PbBaseline {
    pub fn of(sim: &PbEngine) -> PbBaseline {
        let checks = sim.checks();
        PbBaseline {
            counts: *sim.coverage(),
            primary: current_primary(sim),
            failovers: checks.failovers().len(),
            false_suspicions: checks.false_suspicions(),
            losses: checks.expected_losses().len(),
            violations: sim.violations().len(),
        }
    }
}

/// New settings as the page applies them: the fields given, the others as they are. Every
/// change is a new run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PbSet {
    pub replication: Option<Replication>,
    pub backups: Option<u32>,
    pub no_fencing: Option<bool>,
    pub no_lease: Option<bool>,
    pub ack_before_forward: Option<bool>,
    pub latency_ms: Option<u64>,
    pub loss_percent: Option<u64>,
    pub seed: Option<u64>,
}

/// The names of [`PbSet`]'s fields in lesson files.
const SET_FIELDS: [&str; 8] = [
    "replication",
    "backups",
    "no_fencing",
    "no_lease",
    "ack_before_forward",
    "latency_ms",
    "loss_percent",
    "seed",
];

impl PbSet {
    fn parse(set: &SetJson) -> Result<PbSet, String> {
        let modes = Replication::ALL.map(Replication::name);
        Ok(PbSet {
            replication: set
                .choice("replication", &modes)?
                .map(|i| Replication::ALL[i]),
            backups: set.small("backups")?,
            no_fencing: set.flag("no_fencing")?,
            no_lease: set.flag("no_lease")?,
            ack_before_forward: set.flag("ack_before_forward")?,
            latency_ms: set.number("latency_ms")?,
            loss_percent: set.number("loss_percent")?,
            seed: set.number("seed")?,
        })
    }

    /// `current` with these fields changed.
    pub fn settings(&self, current: &PbSettings) -> PbSettings {
        let mut s = current.clone();
        if let Some(r) = self.replication {
            s.pb.replication = r;
        }
        if let Some(b) = self.backups {
            s.pb.backups = b;
        }
        if let Some(on) = self.no_fencing {
            s.pb.bugs.no_fencing = on;
        }
        if let Some(on) = self.no_lease {
            s.pb.bugs.no_lease = on;
        }
        if let Some(on) = self.ack_before_forward {
            s.pb.bugs.ack_before_forward = on;
        }
        if let Some(ms) = self.latency_ms {
            s.network.set_latency_ms_keeping_jitter(ms);
        }
        if let Some(p) = self.loss_percent {
            s.network.loss_ppm = NetConfig::ppm_of_percent(p);
        }
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        s
    }
}

/// One thing a primary-backup lesson's solution (or a prediction's `then`) does to the live
/// run.
#[derive(Clone, Debug, PartialEq)]
pub enum PbStep {
    Set(PbSet),
    /// Crash or cut off the primary, take a checkpoint, crash or restart a node, as the page's
    /// buttons do it.
    Act(PbAction),
    /// Simulated time runs on this long.
    Wait {
        us: Micros,
    },
}

impl PbStep {
    /// Reads `{"set": {"replication": "warm"}}`, `{"action": "crash_primary"}` (also
    /// `pause_primary`, `isolate_primary` and `checkpoint`), `{"action": "crash", "node": 3}` (also `restart`)
    /// or `{"wait_ms": 500}`.
    pub fn parse(j: &Json) -> Result<PbStep, String> {
        let step = StepJson {
            j,
            what: "a primary-backup step",
        };
        step.known(&["set", "action", "node", "wait_ms"])?;
        if let Some(set) = step.set(&SET_FIELDS) {
            return Ok(PbStep::Set(PbSet::parse(&set?)?));
        }
        if let Some(us) = step.wait_us() {
            return Ok(PbStep::Wait { us: us? });
        }
        let action = match step.action() {
            Some("crash_primary") => crash_primary(),
            Some("isolate_primary") => isolate_primary(),
            Some("pause_primary") => pause_primary(),
            Some("checkpoint") => PbAction::Checkpoint,
            Some("crash") => PbAction::Fault(Fault::Crash {
                node: step.node()?,
                mode: Default::default(),
            }),
            Some("restart") => PbAction::Fault(Fault::Restart { node: step.node()? }),
            Some(other) => return Err(step.err(format!("unknown primary-backup action `{other}`"))),
            None => {
                return Err(step.err("a primary-backup step is a `set`, an `action` or a `wait_ms`"))
            }
        };
        Ok(PbStep::Act(action))
    }

    /// Applies the step to `history` as the page does: new settings replace the run (and
    /// `start` with it), actions act now, waits run on.
    pub fn apply(&self, history: &mut PbHistory, start: &mut PbBaseline) -> Result<(), String> {
        match self {
            PbStep::Set(set) => {
                let settings = set.settings(history.sim().settings());
                *history = PbHistory::new(settings).map_err(|e| e.english())?;
                *start = PbBaseline::of(history.sim());
            }
            PbStep::Act(action) => history.act(action.clone()).map_err(|e| e.english())?,
            PbStep::Wait { us } => history.advance(history.now_us().saturating_add(*us)),
        }
        Ok(())
    }
}

/// The page's primary-backup run as a lesson opens it: hot standby, the default settings, at
/// its start.
pub fn page_run() -> Result<PbHistory, String> {
    PbHistory::new(page_settings(Replication::Hot)).map_err(|e| e.english())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::json;

    fn step(text: &str) -> PbStep {
        PbStep::parse(&json::parse(text).unwrap()).unwrap()
    }

    fn goal(text: &str) -> PbGoal {
        PbGoal::parse(&json::parse(text).unwrap()).unwrap()
    }

    fn run(h: &mut PbHistory, start: &mut PbBaseline, steps: &[&str]) {
        for s in steps {
            step(s).apply(h, start).unwrap();
        }
    }

    /// Hot standby (Alsberg & Day 1976): the primary answers only once every backup has the
    /// write, so a crashed primary's backup takes over with nothing acknowledged lost; warm
    /// standby answers first and a failover loses the unshipped tail.
    #[test]
    fn hot_failover_loses_nothing_and_warm_loses_the_tail() {
        let mut h = page_run().unwrap();
        let mut start = PbBaseline::of(h.sim());
        run(&mut h, &mut start, &[r#"{"wait_ms": 3000}"#]);
        assert!(goal(r#"{"goal": "pb_served", "count": 5}"#).satisfied(&start, h.sim()));
        let start = PbBaseline::of(h.sim());
        let mut s = start.clone();
        run(
            &mut h,
            &mut s,
            &[r#"{"action": "crash_primary"}"#, r#"{"wait_ms": 5000}"#],
        );
        assert!(goal(r#"{"goal": "pb_promoted"}"#).satisfied(&start, h.sim()));
        assert!(goal(r#"{"goal": "pb_failover"}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "pb_writes_lost"}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "pb_violated"}"#).satisfied(&start, h.sim()));

        let mut start = PbBaseline::of(h.sim());
        run(
            &mut h,
            &mut start,
            &[
                r#"{"set": {"replication": "warm"}}"#,
                r#"{"wait_ms": 3000}"#,
                r#"{"action": "crash_primary"}"#,
                r#"{"wait_ms": 5000}"#,
            ],
        );
        assert_eq!(h.sim().settings().pb.replication, Replication::Warm);
        assert!(goal(r#"{"goal": "pb_writes_lost"}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "pb_violated"}"#).satisfied(&start, h.sim()));
    }

    /// VMware FT (Scales et al. 2010, section 2.3): with the lease, a primary cut off from
    /// the arbiter stops before another is promoted; without it, two serve at once.
    #[test]
    fn a_cut_off_primary_is_suspected_and_without_a_lease_two_serve() {
        let mut h = page_run().unwrap();
        let mut start = PbBaseline::of(h.sim());
        run(
            &mut h,
            &mut start,
            &[
                r#"{"wait_ms": 3000}"#,
                r#"{"action": "isolate_primary"}"#,
                r#"{"wait_ms": 3000}"#,
            ],
        );
        assert!(goal(r#"{"goal": "pb_false_suspicion"}"#).satisfied(&start, h.sim()));
        assert!(goal(r#"{"goal": "pb_promoted"}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "pb_violated"}"#).satisfied(&start, h.sim()));

        let mut start = PbBaseline::of(h.sim());
        run(
            &mut h,
            &mut start,
            &[
                r#"{"set": {"replication": "warm", "no_lease": true, "no_fencing": true}}"#,
                r#"{"wait_ms": 3000}"#,
                r#"{"action": "isolate_primary"}"#,
                r#"{"wait_ms": 3000}"#,
            ],
        );
        assert!(
            goal(r#"{"goal": "pb_violated", "property": "primary_holds_the_view"}"#)
                .satisfied(&start, h.sim())
        );

        // Fencing without the lease: the backups refuse the deposed primary's shipments, and
        // still it answers its clients (what lesson 23's fourth and fifth steps say).
        let mut start = PbBaseline::of(h.sim());
        run(
            &mut h,
            &mut start,
            &[
                r#"{"set": {"no_fencing": false}}"#,
                r#"{"wait_ms": 3000}"#,
                r#"{"action": "isolate_primary"}"#,
                r#"{"wait_ms": 3000}"#,
            ],
        );
        assert!(goal(r#"{"goal": "pb_fenced"}"#).satisfied(&start, h.sim()));
        assert!(
            goal(r#"{"goal": "pb_violated", "property": "primary_holds_the_view"}"#)
                .satisfied(&start, h.sim())
        );
        assert!(
            !goal(r#"{"goal": "pb_violated", "property": "backup_order"}"#)
                .satisfied(&start, h.sim())
        );
    }

    #[test]
    fn bad_steps_and_goals_are_named() {
        let cases = [
            (r#"{"set": {"colour": 1}}"#, "unknown field `colour`"),
            (
                r#"{"set": {"replication": "tepid"}}"#,
                "set.replication is hot or warm or cold",
            ),
            (r#"{"set": {"no_lease": 1}}"#, "set.no_lease"),
            (r#"{"wait_ms": 0}"#, "wait_ms"),
            (r#"{"action": "explode"}"#, "explode"),
            (r#"{"action": "crash"}"#, "node"),
            (r#"{"jump": 1}"#, "unknown field `jump`"),
        ];
        for (text, expected) in cases {
            let e = PbStep::parse(&json::parse(text).unwrap()).unwrap_err();
            assert!(e.contains(expected), "{e} should mention {expected}");
        }
        for name in PbGoal::NAMES {
            let text = format!(r#"{{"goal": "{name}", "count": 2}}"#);
            assert!(
                PbGoal::parse(&json::parse(&text).unwrap()).is_ok(),
                "{name}"
            );
        }
        for (text, expected) in [
            (r#"{"goal": "pb_fly"}"#, "pb_fly"),
            (
                r#"{"goal": "pb_violated", "property": "honesty"}"#,
                "property",
            ),
        ] {
            let e = PbGoal::parse(&json::parse(text).unwrap()).unwrap_err();
            assert!(e.contains(expected), "{e} should mention {expected}");
        }
    }
}
