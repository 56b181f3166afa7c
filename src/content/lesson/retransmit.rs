//! What a retransmission lesson can ask of the learner: goals checked against the live
//! retransmission run (the page's own `History<Retransmit>`), the steps that accomplish them
//! (new settings as the settings form applies them, node actions as the buttons do them, and
//! simulated time passing), and what a step's goals are measured from.
//!
//! Retransmission lessons have no scripted run: they are read beside the live Retransmission
//! page, which they open on its default run ([`page_run`]), and `tests/lessons.rs` proves each
//! task and prediction in order from that run. Their goals count what happened since the step
//! opened ([`RtBaseline`]), because the run on screen goes on by itself: "a message was
//! resent" must mean one the learner saw, not one from before the step.

use crate::codec::json::Json;
use crate::sim::engine::{Engine, Fault};
use crate::sim::history::History;
use crate::sim::net::NetConfig;
use crate::sim::retransmit::{
    page_settings, AckMode, Retransmit, RetransmitAction, RetransmitCoverage, RetransmitNode,
    RetransmitSettings, Scheme,
};
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};

pub type RtHistory = History<Retransmit>;
pub type RtEngine = Engine<Retransmit>;

/// The longest a lesson step may let simulated time run in one `wait_ms`: a minute.
pub const WAIT_MS_MAX: u64 = 60_000;

/// A goal of a retransmission task or prediction. Names are the `goal` strings of lesson
/// files; every one but `rt_srtt_at_least` counts from the moment the step opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RtGoal {
    /// At least `count` messages were sent again because their timer ran out (Kurose & Ross,
    /// section 3.4), not counting a restarted sender's resends from its log.
    Resent { count: u32 },
    /// A receiver dropped a copy of a message it had already delivered or kept: its sequence
    /// number says so (Kurose & Ross, rdt2.1).
    DuplicateDropped,
    /// A selective-repeat receiver kept a message that arrived out of order (section 3.4.4).
    Buffered,
    /// A sender's timeout doubled after a timeout, at least `count` times (RFC 6298 section
    /// 5.5).
    Backoff { count: u32 },
    /// Some sender's smoothed round-trip estimate is at least `ms` (RFC 6298 section 2).
    SrttAtLeast { ms: u64 },
    /// At least `count` messages reached a receiver's application, in order.
    Delivered { count: u32 },
    /// The live checks report a violation (a message delivered twice, or never).
    Violated,
}

impl RtGoal {
    pub const NAMES: [&'static str; 7] = [
        "rt_resent",
        "rt_duplicate_dropped",
        "rt_buffered",
        "rt_backoff",
        "rt_srtt_at_least",
        "rt_delivered",
        "rt_violated",
    ];

    /// Reads a goal from its object: `goal`, and `count` or `ms` where the goal takes one
    /// (`count` is 1 when `rt_resent` or `rt_backoff` gives none).
    pub fn parse(j: &Json) -> Result<RtGoal, String> {
        let line = j.line;
        let name = j
            .get("goal")
            .and_then(Json::as_str)
            .ok_or_else(|| format!("line {line}: `goal` must be a string"))?;
        let positive = |key: &str, default: Option<u64>| {
            match j.get(key) {
                None => default,
                Some(v) => v.as_u64(),
            }
            .filter(|c| *c > 0)
            .ok_or(format!(
                "line {line}: goal `{name}` needs a positive `{key}`"
            ))
        };
        let count = |default: Option<u64>| {
            positive("count", default).and_then(|c| {
                u32::try_from(c).map_err(|_| format!("line {line}: `count` is too large"))
            })
        };
        Ok(match name {
            "rt_resent" => RtGoal::Resent {
                count: count(Some(1))?,
            },
            "rt_duplicate_dropped" => RtGoal::DuplicateDropped,
            "rt_buffered" => RtGoal::Buffered,
            "rt_backoff" => RtGoal::Backoff {
                count: count(Some(1))?,
            },
            "rt_srtt_at_least" => RtGoal::SrttAtLeast {
                ms: positive("ms", None)?,
            },
            "rt_delivered" => RtGoal::Delivered {
                count: count(None)?,
            },
            "rt_violated" => RtGoal::Violated,
            other => {
                return Err(format!(
                    "line {line}: unknown retransmission goal `{other}` (expected one of {})",
                    RtGoal::NAMES.join(", ")
                ))
            }
        })
    }

    /// Whether the run satisfies the goal, counted from `start`.
    pub fn satisfied(&self, start: &RtBaseline, sim: &RtEngine) -> bool {
        let now = sim.coverage();
        let since = |of: fn(&RetransmitCoverage) -> u64| of(now).saturating_sub(of(&start.counts));
        match self {
            RtGoal::Resent { count } => since(|c| c.retransmissions) >= u64::from(*count),
            RtGoal::DuplicateDropped => since(|c| c.duplicates_dropped) > 0,
            RtGoal::Buffered => since(|c| c.buffered) > 0,
            RtGoal::Backoff { count } => since(|c| c.backoffs) >= u64::from(*count),
            RtGoal::SrttAtLeast { ms } => sim.nodes().iter().any(|n| match &n.process {
                Some(RetransmitNode::Sender(s)) => s
                    .rto()
                    .srtt_us()
                    .is_some_and(|srtt| srtt >= ms.saturating_mul(MICROS_PER_MS)),
                _ => false,
            }),
            RtGoal::Delivered { count } => since(|c| c.delivered) >= u64::from(*count),
            RtGoal::Violated => sim.violations().len() > start.violations,
        }
    }
}

/// What the run had counted when a step opened (or when the run was replaced since: a new run
/// counts from nothing). Seeking back below it counts nothing until the run passes it again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RtBaseline {
    pub counts: RetransmitCoverage,
    pub violations: usize,
}

impl RtBaseline {
    pub fn of(sim: &RtEngine) -> RtBaseline {
        RtBaseline {
            counts: *sim.coverage(),
            violations: sim.violations().len(),
        }
    }
}

/// New settings as the page's settings form applies them (the form makes its changes of these
/// fields through this too, so a lesson's `set` and the form cannot drift apart): the fields
/// given, the others as they are. Every change is a new run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RtSet {
    pub scheme: Option<Scheme>,
    pub window: Option<u32>,
    pub loss_percent: Option<u32>,
    pub duplicate_percent: Option<u32>,
    pub latency_ms: Option<u64>,
    pub messages: Option<u64>,
    pub seed: Option<u64>,
}

/// The names of [`RtSet`]'s fields in lesson files.
const SET_FIELDS: [&str; 7] = [
    "scheme",
    "window",
    "loss_percent",
    "duplicate_percent",
    "latency_ms",
    "messages",
    "seed",
];

impl RtSet {
    /// `current` with these fields changed, as the form changes them: choosing a scheme also
    /// chooses its acknowledgements (selective under selective repeat, cumulative otherwise),
    /// a latency moves both ends of the latency range (the jitter stays), percentages become
    /// parts per million.
    pub fn settings(&self, current: &RetransmitSettings) -> RetransmitSettings {
        let mut s = current.clone();
        if let Some(scheme) = self.scheme {
            s.retransmit.scheme = scheme;
            s.retransmit.ack = match scheme {
                Scheme::SelectiveRepeat => AckMode::Selective,
                Scheme::StopAndWait | Scheme::GoBackN => AckMode::Cumulative,
            };
        }
        if let Some(window) = self.window {
            s.retransmit.window = window;
        }
        if let Some(p) = self.loss_percent {
            s.network.loss_ppm = NetConfig::ppm_of_percent(p.into());
        }
        if let Some(p) = self.duplicate_percent {
            s.network.duplicate_ppm = NetConfig::ppm_of_percent(p.into());
        }
        if let Some(ms) = self.latency_ms {
            s.network.set_latency_ms_keeping_jitter(ms);
        }
        if let Some(messages) = self.messages {
            s.retransmit.messages = messages;
        }
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        s
    }
}

/// One step of a retransmission task's solution, or of what a prediction does once answered.
#[derive(Clone, Debug, PartialEq)]
pub enum RtStep {
    /// New settings, as the settings form applies them (a new run).
    Set(RtSet),
    /// A node action, as the page's buttons do it: crash, restart, hand over a message.
    Act(RetransmitAction),
    /// Simulated time runs on this long (the page jumps ahead at once).
    Wait { us: Micros },
}

impl RtStep {
    /// Reads `{"set": {"loss_percent": 20}}`, `{"action": "crash", "node": 2}` (also
    /// `restart` and `hand_over`) or `{"wait_ms": 1000}`.
    pub fn parse(j: &Json) -> Result<RtStep, String> {
        let line = j.line;
        let err = |e: String| format!("line {line}: {e}");
        if let Some(members) = j.members() {
            for (k, _) in members {
                if !["set", "action", "node", "wait_ms"].contains(&k.as_str()) {
                    return Err(err(format!("unknown field `{k}` in a retransmission step")));
                }
            }
        }
        if let Some(set) = j.get("set") {
            let members = set
                .members()
                .ok_or_else(|| err("`set` must be an object".into()))?;
            for (k, _) in members {
                if !SET_FIELDS.contains(&k.as_str()) {
                    return Err(err(format!(
                        "set: unknown field `{k}` (expected one of {})",
                        SET_FIELDS.join(", ")
                    )));
                }
            }
            let number = |key: &str| -> Result<Option<u64>, String> {
                match set.get(key) {
                    None => Ok(None),
                    Some(v) => v
                        .as_u64()
                        .map(Some)
                        .ok_or_else(|| err(format!("set.{key} must be a whole number"))),
                }
            };
            let small = |key: &str| -> Result<Option<u32>, String> {
                number(key)?
                    .map(|v| u32::try_from(v).map_err(|_| err(format!("set.{key} is too large"))))
                    .transpose()
            };
            let scheme = match set.get("scheme") {
                None => None,
                Some(v) => Some(match v.as_str() {
                    Some("stop_and_wait") => Scheme::StopAndWait,
                    Some("go_back_n") => Scheme::GoBackN,
                    Some("selective_repeat") => Scheme::SelectiveRepeat,
                    _ => {
                        return Err(err(
                            "set.scheme is stop_and_wait, go_back_n or selective_repeat".into(),
                        ))
                    }
                }),
            };
            return Ok(RtStep::Set(RtSet {
                scheme,
                window: small("window")?,
                loss_percent: small("loss_percent")?,
                duplicate_percent: small("duplicate_percent")?,
                latency_ms: number("latency_ms")?,
                messages: number("messages")?,
                seed: number("seed")?,
            }));
        }
        if let Some(v) = j.get("wait_ms") {
            let ms = v
                .as_u64()
                .filter(|ms| (1..=WAIT_MS_MAX).contains(ms))
                .ok_or_else(|| err(format!("wait_ms must be 1 to {WAIT_MS_MAX}")))?;
            return Ok(RtStep::Wait {
                us: ms * MICROS_PER_MS,
            });
        }
        let node = || {
            j.get("node")
                .and_then(Json::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n > 0)
                .map(NodeId)
                .ok_or_else(|| err("`node` must be a node number".into()))
        };
        let action = match j.get("action").and_then(Json::as_str) {
            Some("crash") => RetransmitAction::Fault(Fault::Crash {
                node: node()?,
                mode: Default::default(),
            }),
            Some("restart") => RetransmitAction::Fault(Fault::Restart { node: node()? }),
            Some("hand_over") => RetransmitAction::HandOver { node: node()? },
            Some(other) => return Err(err(format!("unknown retransmission action `{other}`"))),
            None => {
                return Err(err(
                    "a retransmission step is a `set`, an `action` or a `wait_ms`".into(),
                ))
            }
        };
        Ok(RtStep::Act(action))
    }

    /// Applies the step to `history` as the page does: new settings replace the run (and
    /// `start` with it: a new run counts from nothing), actions act now, waits run on.
    pub fn apply(&self, history: &mut RtHistory, start: &mut RtBaseline) -> Result<(), String> {
        match self {
            RtStep::Set(set) => {
                let settings = set.settings(history.sim().settings());
                *history = RtHistory::new(settings).map_err(|e| e.english())?;
                *start = RtBaseline::of(history.sim());
            }
            RtStep::Act(action) => history.act(action.clone()).map_err(|e| e.english())?,
            RtStep::Wait { us } => history.advance(history.now_us().saturating_add(*us)),
        }
        Ok(())
    }
}

/// The page's retransmission run as a lesson opens it: the default settings, at its start.
pub fn page_run() -> Result<RtHistory, String> {
    RtHistory::new(page_settings()).map_err(|e| e.english())
}

/// The first round trip the page's default run measures (with `latency_ms` one way instead of
/// the default's, if given), and the timeout it sets, both in whole milliseconds (rounded
/// down): RFC 6298 section 2.2, RTO = R + 4 * R/2.
pub fn first_round_trip_ms(latency_ms: Option<u64>) -> Result<(u64, u64), String> {
    let set = RtSet {
        latency_ms,
        ..RtSet::default()
    };
    let mut history = RtHistory::new(set.settings(&page_settings())).map_err(|e| e.english())?;
    let mut seen = 0;
    loop {
        let found = history
            .sim()
            .trace()
            .iter()
            .skip(seen)
            .find_map(|l| match &l.event {
                crate::sim::protocol::Event::Protocol(
                    crate::sim::retransmit::Note::RttSample { rtt_us, rto_us, .. },
                ) => Some((rtt_us / MICROS_PER_MS, rto_us / MICROS_PER_MS)),
                _ => None,
            });
        if let Some(found) = found {
            return Ok(found);
        }
        seen = history.sim().trace().len();
        if history.now_us() > WAIT_MS_MAX * MICROS_PER_MS || !history.step() {
            return Err("the run measured no round trip".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::json;

    fn step(text: &str) -> RtStep {
        RtStep::parse(&json::parse(text).unwrap()).unwrap()
    }

    fn goal(text: &str) -> RtGoal {
        RtGoal::parse(&json::parse(text).unwrap()).unwrap()
    }

    /// Kurose & Ross, section 3.4: a lost message is resent once its timer runs out, and the
    /// resend counts from the step's start, not from the run's.
    #[test]
    fn a_resend_counts_from_the_step_and_a_new_run_from_nothing() {
        let mut h = page_run().unwrap();
        let mut start = RtBaseline::of(h.sim());
        let resent = goal(r#"{"goal": "rt_resent"}"#);
        assert!(!resent.satisfied(&start, h.sim()));
        step(r#"{"wait_ms": 2000}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert!(resent.satisfied(&start, h.sim()), "10 % loss resends");
        // The step opens now: what was resent before does not count.
        let mut start = RtBaseline::of(h.sim());
        assert!(!resent.satisfied(&start, h.sim()));
        step(r#"{"set": {"loss_percent": 30, "seed": 2}}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert_eq!(h.sim().settings().network.loss_ppm, 300_000);
        assert_eq!(h.sim().settings().seed, 2);
        assert_eq!(start, RtBaseline::of(h.sim()), "a new run's baseline");
        step(r#"{"wait_ms": 3000}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert!(resent.satisfied(&start, h.sim()));
    }

    /// Sequence numbers catch duplicates (rdt2.1), the timeout doubles while nothing is
    /// acknowledged (RFC 6298 section 5.5), and the estimate follows a slower path.
    #[test]
    fn duplicates_backoff_and_the_round_trip_estimate() {
        let mut h = page_run().unwrap();
        let mut start = RtBaseline::of(h.sim());
        step(r#"{"set": {"loss_percent": 0, "duplicate_percent": 50}}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        step(r#"{"wait_ms": 1000}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert!(goal(r#"{"goal": "rt_duplicate_dropped"}"#).satisfied(&start, h.sim()));
        assert!(goal(r#"{"goal": "rt_delivered", "count": 40}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "rt_violated"}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "rt_buffered"}"#).satisfied(&start, h.sim()));

        let mut h = page_run().unwrap();
        let mut start = RtBaseline::of(h.sim());
        step(r#"{"wait_ms": 300}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        let start = RtBaseline::of(h.sim());
        let mut s = start.clone();
        step(r#"{"action": "crash", "node": 2}"#)
            .apply(&mut h, &mut s)
            .unwrap();
        step(r#"{"wait_ms": 3000}"#).apply(&mut h, &mut s).unwrap();
        assert!(goal(r#"{"goal": "rt_backoff", "count": 3}"#).satisfied(&start, h.sim()));
        assert!(!goal(r#"{"goal": "rt_delivered", "count": 1}"#).satisfied(&start, h.sim()));

        let slow = goal(r#"{"goal": "rt_srtt_at_least", "ms": 250}"#);
        let mut h = page_run().unwrap();
        let mut start = RtBaseline::of(h.sim());
        step(r#"{"wait_ms": 1000}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert!(!slow.satisfied(&start, h.sim()));
        step(r#"{"set": {"latency_ms": 150}}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        step(r#"{"wait_ms": 1000}"#)
            .apply(&mut h, &mut start)
            .unwrap();
        assert!(slow.satisfied(&start, h.sim()));
    }

    /// RFC 6298 section 2.2: the first measurement R sets RTO = R + 4 * R/2 = 3R.
    #[test]
    fn the_first_round_trip_sets_three_times_it() {
        let (rtt, rto) = first_round_trip_ms(None).unwrap();
        assert_eq!((rtt, rto), (60, 180));
        let (rtt, rto) = first_round_trip_ms(Some(150)).unwrap();
        assert_eq!((rtt, rto), (300, 900));
    }

    #[test]
    fn the_form_picks_the_acknowledgements_with_the_scheme() {
        let RtStep::Set(set) = step(r#"{"set": {"scheme": "selective_repeat", "window": 8}}"#)
        else {
            panic!("a set");
        };
        let s = set.settings(&page_settings());
        assert_eq!(s.retransmit.ack, AckMode::Selective);
        assert_eq!(s.retransmit.window, 8);
        assert_eq!(s.network, page_settings().network);
    }

    #[test]
    fn bad_steps_and_goals_are_named() {
        let cases = [
            (r#"{"set": {"colour": 1}}"#, "unknown field `colour`"),
            (r#"{"set": {"scheme": "fast"}}"#, "set.scheme"),
            (r#"{"wait_ms": 0}"#, "wait_ms"),
            (r#"{"action": "explode", "node": 1}"#, "explode"),
            (r#"{"action": "crash"}"#, "node"),
            (r#"{"jump": 1}"#, "unknown field `jump`"),
        ];
        for (text, expected) in cases {
            let e = RtStep::parse(&json::parse(text).unwrap()).unwrap_err();
            assert!(e.contains(expected), "{e} should mention {expected}");
        }
        for (text, expected) in [
            (r#"{"goal": "rt_fly"}"#, "rt_fly"),
            (r#"{"goal": "rt_delivered"}"#, "count"),
            (r#"{"goal": "rt_srtt_at_least", "ms": 0}"#, "ms"),
        ] {
            let e = RtGoal::parse(&json::parse(text).unwrap()).unwrap_err();
            assert!(e.contains(expected), "{e} should mention {expected}");
        }
        for name in RtGoal::NAMES {
            let text = format!(r#"{{"goal": "{name}", "count": 2, "ms": 2}}"#);
            assert!(
                RtGoal::parse(&json::parse(&text).unwrap()).is_ok(),
                "{name}"
            );
        }
    }
}
