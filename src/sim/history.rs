//! Time travel over a run of any protocol: periodic checkpoints of the whole [`Engine`] plus
//! the list of actions, so that the page can scrub to any moment and back, and fork a new
//! future by acting in the past.
//!
//! A run is its settings plus its actions, so any moment can be rebuilt by replaying from
//! the start. Checkpoints only make that fast: seeking to `t` restores the last checkpoint
//! at or before `t` and replays the recorded actions from there. Every action is applied
//! only after every event due at its moment has run (`run_until(at)` then `act`), both live
//! and in replay, which is what makes a replay land on exactly the state the learner saw.

use crate::i18n::Text;
use crate::sim::engine::{Driver, Engine, RunAction, RunSettings, TimedAction};
use crate::sim::types::{Micros, MICROS_PER_MS};

/// How often (in simulated time) a checkpoint is taken by default.
pub const CHECKPOINT_INTERVAL_US: Micros = 250 * MICROS_PER_MS;

/// The most checkpoints kept; past this the interval doubles and every other one is dropped,
/// so memory stays bounded on long runs while seeks stay a bounded replay away.
pub const CHECKPOINTS_MAX: usize = 48;

/// The whole run as it is at one moment, with how many of the recorded actions it has seen.
#[derive(Clone, Debug)]
struct Checkpoint<P: Driver> {
    sim: Engine<P>,
    /// How many entries of `History::actions` had been applied when it was taken.
    applied: usize,
}

/// A run with its past: the current simulation, the recorded actions and the checkpoints.
#[derive(Clone, Debug)]
pub struct History<P: Driver> {
    current: Engine<P>,
    /// Every action of the recorded timeline, in the order applied; times never decrease.
    actions: Vec<TimedAction<P::Action>>,
    /// How many of `actions` the current simulation has applied.
    applied: usize,
    /// Checkpoints in increasing time; the first is the start of the run.
    checkpoints: Vec<Checkpoint<P>>,
    interval_us: Micros,
    /// The furthest moment the recorded timeline has been run to.
    horizon_us: Micros,
}

impl<P: Driver> History<P> {
    /// Starts a run from `settings`; the error says what is wrong with them.
    pub fn new(settings: P::Settings) -> Result<History<P>, Text> {
        Ok(Self::from_simulation(Engine::new(settings)?))
    }

    /// Starts the history of a simulation that has not run yet (or treats its current state
    /// as the beginning of time).
    pub fn from_simulation(sim: Engine<P>) -> History<P> {
        let start = sim.now_us();
        History {
            checkpoints: vec![Checkpoint {
                sim: sim.clone(),
                applied: 0,
            }],
            current: sim,
            actions: Vec::new(),
            applied: 0,
            interval_us: CHECKPOINT_INTERVAL_US,
            horizon_us: start,
        }
    }

    /// Rebuilds a recorded run (a share link, an imported scenario) at its beginning: the
    /// actions are replayed at their moments as time advances, exactly as when scrubbing.
    /// The error names the first action that could not have been recorded: out of time
    /// order, or invalid for the cluster.
    pub fn from_recording(
        settings: P::Settings,
        actions: Vec<TimedAction<P::Action>>,
    ) -> Result<History<P>, Text> {
        let nodes = settings.nodes();
        let mut previous_us = 0;
        for (i, timed) in actions.iter().enumerate() {
            if timed.at_us < previous_us {
                return Err(Text::new("error.history.out_of_order")
                    .with("action", i + 1)
                    .with("at", timed.at_us)
                    .with("previous", previous_us));
            }
            previous_us = timed.at_us;
            timed.action.validate(nodes).map_err(|e| {
                Text::new("error.history.action")
                    .with("action", i + 1)
                    .with_text("error", e)
            })?;
        }
        let mut history = Self::new(settings)?;
        history.horizon_us = previous_us;
        history.actions = actions;
        Ok(history)
    }

    /// Sets the checkpoint spacing (tests use small ones). Must be positive.
    pub fn with_interval(mut self, interval_us: Micros) -> History<P> {
        self.interval_us = interval_us.max(1);
        self
    }

    /// The simulation at the current moment.
    pub fn sim(&self) -> &Engine<P> {
        &self.current
    }
    pub fn now_us(&self) -> Micros {
        self.current.now_us()
    }
    /// The settings the run started with (an action may change the engine's since, as
    /// Paxos's retry switch does): what a link of the run must carry.
    pub fn settings(&self) -> &P::Settings {
        self.checkpoints
            .first()
            .map_or(self.current.settings(), |c| c.sim.settings())
    }
    /// The end of the recorded timeline: scrubbing goes from 0 to here.
    pub fn horizon_us(&self) -> Micros {
        self.horizon_us.max(self.current.now_us())
    }
    /// Every recorded action, including those still ahead of the current moment.
    pub fn actions(&self) -> &[TimedAction<P::Action>] {
        &self.actions
    }
    /// Whether the current moment is behind the end of the recorded timeline, so that
    /// acting now would discard the recorded future.
    pub fn in_past(&self) -> bool {
        self.applied < self.actions.len() || self.current.now_us() < self.horizon_us
    }
    /// How many checkpoints are kept (for tests and the benchmark).
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    /// Runs forward to `t_us`, applying recorded actions at their moments and taking
    /// checkpoints, with at most about `max_events` events; returns whether it reached `t_us`.
    /// The page calls this once per frame.
    pub fn advance_bounded(&mut self, t_us: Micros, max_events: u64) -> bool {
        let start_events = self.current.events_processed();
        let max_events = max_events.max(1);
        loop {
            let budget = max_events.saturating_sub(self.current.events_processed() - start_events);
            if budget == 0 {
                return false;
            }
            let next_action = self.actions.get(self.applied).map(|a| a.at_us);
            let next_checkpoint = self.next_checkpoint_us();
            let mut target = t_us.min(next_checkpoint);
            if let Some(at) = next_action {
                target = target.min(at);
            }
            if !self.current.run_until_bounded(target, budget) {
                return false;
            }
            if target == next_checkpoint {
                self.take_checkpoint();
            }
            if next_action == Some(target) {
                self.apply_recorded();
                continue;
            }
            if target == t_us {
                self.horizon_us = self.horizon_us.max(t_us);
                return true;
            }
        }
    }

    /// Runs forward to `t_us` however many events that takes.
    pub fn advance(&mut self, t_us: Micros) {
        while !self.advance_bounded(t_us, u64::MAX) {}
    }

    /// Processes the next event (applying any recorded action due before it); false when
    /// nothing is left to happen.
    pub fn step(&mut self) -> bool {
        let before = self.current.events_processed();
        while self.current.events_processed() == before {
            let Some(at) = self.current.next_event_us() else {
                return false;
            };
            self.advance_bounded(at, 1);
        }
        self.horizon_us = self.horizon_us.max(self.current.now_us());
        true
    }

    /// Applies `action` now. If the current moment is in the past of the recorded timeline,
    /// the recorded future is discarded first: this is a fork.
    pub fn act(&mut self, action: P::Action) -> Result<(), Text> {
        action.validate(self.current.settings().nodes())?;
        if self.in_past() {
            self.fork();
        }
        // Everything due at this moment runs before the action, as in replay.
        let now = self.current.now_us();
        self.current.run_until(now);
        self.current.act(action.clone())?;
        // The action is queued for "now"; run it so the state shows its effect at once.
        self.current.run_until(now);
        self.actions.push(TimedAction { at_us: now, action });
        self.applied = self.actions.len();
        self.horizon_us = now;
        Ok(())
    }

    /// Discards everything recorded after the current moment.
    pub fn fork(&mut self) {
        let now = self.current.now_us();
        self.actions.truncate(self.applied);
        let applied = self.applied;
        self.checkpoints
            .retain(|c| c.sim.now_us() <= now && c.applied <= applied);
        self.horizon_us = now;
    }

    /// Moves to moment `t_us` of the recorded timeline (or runs on to it past its end).
    pub fn seek(&mut self, t_us: Micros) {
        if t_us >= self.current.now_us() && t_us <= self.horizon_us() {
            self.advance(t_us);
            return;
        }
        if t_us < self.current.now_us() {
            let i = self
                .checkpoints
                .iter()
                .rposition(|c| c.sim.now_us() <= t_us)
                .unwrap_or(0);
            let c = &self.checkpoints[i];
            let horizon = self.horizon_us();
            self.current = c.sim.clone();
            self.applied = c.applied;
            self.horizon_us = horizon;
        }
        self.advance(t_us);
    }

    fn next_checkpoint_us(&self) -> Micros {
        let last = self.checkpoints.last().map_or(0, |c| c.sim.now_us());
        (last / self.interval_us + 1) * self.interval_us
    }

    fn take_checkpoint(&mut self) {
        let now = self.current.now_us();
        if self
            .checkpoints
            .last()
            .is_some_and(|c| c.sim.now_us() >= now)
        {
            return;
        }
        self.checkpoints.push(Checkpoint {
            sim: self.current.clone(),
            applied: self.applied,
        });
        if self.checkpoints.len() > CHECKPOINTS_MAX {
            // Keep the start and every checkpoint on the doubled grid.
            self.interval_us *= 2;
            let interval = self.interval_us;
            let mut first = true;
            self.checkpoints.retain(|c| {
                let keep = first || c.sim.now_us() % interval == 0;
                first = false;
                keep
            });
        }
    }

    fn apply_recorded(&mut self) {
        let Some(timed) = self.actions.get(self.applied) else {
            return;
        };
        let (at, action) = (timed.at_us, timed.action.clone());
        self.current.run_until(at);
        // Validated when it was first recorded.
        let _ = self.current.act(action);
        self.current.run_until(at);
        self.applied += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::raft::action::{Action, TimedAction};
    use crate::sim::raft::settings::Settings;
    use crate::sim::raft::{Command, RaftHistory as History};
    use crate::sim::types::NodeId;
    use crate::sim::Simulation;

    const MS: Micros = MICROS_PER_MS;

    /// Everything the page shows, as text: equal fingerprints mean equal pictures.
    fn fingerprint(sim: &Simulation) -> String {
        let mut out = format!("t={} events={}\n", sim.now_us(), sim.events_processed());
        for n in sim.nodes() {
            match &n.process {
                Some(r) => out.push_str(&format!(
                    "{} {:?} term={} vote={:?} last={} commit={} applied={} kv={:?} timer={:?}\n",
                    n.id,
                    r.role(),
                    r.term(),
                    r.voted_for(),
                    r.log().last_index(),
                    r.commit_index(),
                    r.last_applied(),
                    r.kv().data,
                    n.timer(crate::sim::raft::Timer::Election),
                )),
                None => out.push_str(&format!("{} crashed\n", n.id)),
            }
        }
        for f in sim.flights() {
            out.push_str(&format!(
                "{:?} {:?}->{:?} {:?}\n",
                f.id, f.from, f.to, f.deliver_us
            ));
        }
        out.push_str(&format!("trace={}", sim.trace().len()));
        out
    }

    fn put(node: u32, value: &str) -> Action {
        Action::Request {
            node: NodeId(node),
            cmd: Command::Put {
                key: "x".into(),
                value: value.into(),
            },
        }
    }

    /// A share link carries settings and timed actions only: rebuilding the run from them
    /// and seeking to a moment gives the very state the learner had there.
    #[test]
    fn a_recording_rebuilds_the_same_run() {
        let mut live = scripted();
        live.seek(1_900 * MS);
        let copy = History::from_recording(live.sim().settings().clone(), live.actions().to_vec());
        let mut copy = copy.unwrap();
        assert_eq!(copy.horizon_us(), live.actions().last().unwrap().at_us);
        copy.seek(1_900 * MS);
        assert_eq!(fingerprint(copy.sim()), fingerprint(live.sim()));
    }

    #[test]
    fn a_recording_out_of_order_or_for_a_missing_node_is_refused() {
        let at = |at_us, action| TimedAction { at_us, action };
        let err = History::from_recording(
            Settings::default(),
            vec![at(2 * MS, put(1, "a")), at(MS, put(1, "b"))],
        )
        .unwrap_err()
        .english();
        assert!(err.contains("action 2"), "{err}");
        let err = History::from_recording(Settings::default(), vec![at(MS, put(9, "a"))])
            .unwrap_err()
            .english();
        assert!(err.starts_with("action 1:"), "{err}");
    }

    /// A history with a few actions along 2 s, advanced in uneven frames as the page does.
    fn scripted() -> History {
        let mut h = History::new(Settings::default())
            .unwrap()
            .with_interval(100 * MS);
        let mut t = 0;
        for frame in 0..400u64 {
            t += 3 * MS + frame % 7 * 700;
            while !h.advance_bounded(t, 5) {}
            match frame {
                60 => h
                    .act(Action::Crash {
                        node: NodeId(1),
                        mode: Default::default(),
                    })
                    .unwrap(),
                90 => h.act(put(2, "a")).unwrap(),
                150 => h.act(Action::Restart { node: NodeId(1) }).unwrap(),
                200 => h.act(put(3, "b")).unwrap(),
                _ => {}
            }
        }
        h
    }

    #[test]
    fn seeking_back_and_forth_reproduces_identical_state() {
        let mut h = scripted();
        let end = h.now_us();
        let at_end = fingerprint(h.sim());
        let mut seen = Vec::new();
        for t in [150 * MS, 420 * MS, 999 * MS, 1_234 * MS] {
            h.seek(t);
            assert_eq!(h.now_us(), t);
            seen.push(fingerprint(h.sim()));
        }
        // Straight from the start, without checkpoints, the same moments look the same.
        let mut fresh = h.clone();
        fresh.checkpoints.truncate(1);
        for (t, expected) in [150 * MS, 420 * MS, 999 * MS, 1_234 * MS].iter().zip(&seen) {
            fresh.seek(*t);
            assert_eq!(&fingerprint(fresh.sim()), expected, "at {t}");
        }
        // Backwards, then forwards again.
        for (t, expected) in [1_234 * MS, 999 * MS, 420 * MS, 150 * MS]
            .iter()
            .zip(seen.iter().rev())
        {
            h.seek(*t);
            assert_eq!(&fingerprint(h.sim()), expected, "at {t}");
        }
        h.seek(end);
        assert_eq!(fingerprint(h.sim()), at_end);
        assert!(!h.in_past());
    }

    #[test]
    fn playing_from_the_past_replays_the_recorded_future() {
        let mut h = scripted();
        let end = h.now_us();
        let at_end = fingerprint(h.sim());
        h.seek(50 * MS);
        assert!(h.in_past());
        let mut t = 50 * MS;
        while t < end {
            t = (t + 7 * MS).min(end);
            while !h.advance_bounded(t, 3) {}
        }
        assert_eq!(fingerprint(h.sim()), at_end);
        assert_eq!(h.actions().len(), 4);
    }

    #[test]
    fn acting_in_the_past_forks_and_discards_the_old_future() {
        let mut h = scripted();
        let end = h.now_us();
        h.seek(300 * MS);
        assert_eq!(h.actions().len(), 4);
        h.act(put(4, "fork")).unwrap();
        // The crash at frame 60 happened before 300 ms? Only actions up to now survive.
        assert!(h.actions().iter().all(|a| a.at_us <= 300 * MS));
        assert_eq!(h.actions().last().map(|a| &a.action), Some(&put(4, "fork")));
        assert!(!h.in_past());
        assert_eq!(h.horizon_us(), 300 * MS);
        // The new future is its own: running on does not bring the old actions back.
        h.advance(end);
        assert!(h.actions().iter().all(|a| a.at_us <= 300 * MS));
        // And it is reproducible by seeking.
        let there = fingerprint(h.sim());
        h.seek(10 * MS);
        h.seek(end);
        assert_eq!(fingerprint(h.sim()), there);
    }

    #[test]
    fn checkpoints_stay_bounded() {
        let mut h = History::new(Settings::default()).unwrap().with_interval(MS);
        h.advance(400 * MS);
        assert!(h.checkpoint_count() <= CHECKPOINTS_MAX);
        let here = fingerprint(h.sim());
        h.seek(3 * MS);
        h.seek(400 * MS);
        assert_eq!(fingerprint(h.sim()), here);
    }

    #[test]
    fn step_processes_one_event() {
        let mut h = History::new(Settings::default()).unwrap();
        let before = h.sim().events_processed();
        assert!(h.step());
        assert_eq!(h.sim().events_processed(), before + 1);
    }
}
