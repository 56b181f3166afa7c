//! A recorded run driven by the page's wall clock: the `History` of a protocol's run (for time
//! travel) and the clock that moves it. The Raft and retransmission modes both show one; their
//! `ModeRun` impls hand the clock's part to this.

use crate::i18n::Text;
use crate::sim::engine::{Driver, Engine};
use crate::sim::history::History;
use crate::sim::protocol::Line;
use crate::sim::types::Micros;
use crate::ui::shell::clock::{WallClock, EVENTS_PER_FRAME_MAX};

pub struct Recorded<P: Driver> {
    pub history: History<P>,
    clock: WallClock,
}

impl<P: Driver> Recorded<P> {
    /// A new run with `settings`, at its start.
    pub fn new(settings: P::Settings) -> Result<Recorded<P>, Text> {
        Ok(Recorded::of(History::new(settings)?))
    }

    /// The run `history` holds, at the moment it is at.
    pub fn of(history: History<P>) -> Recorded<P> {
        let mut clock = WallClock::default();
        clock.set(history.now_us());
        Recorded { history, clock }
    }

    pub fn sim(&self) -> &Engine<P> {
        self.history.sim()
    }

    /// Applies an action at the current moment (forking the run when in its past).
    pub fn act(&mut self, action: P::Action) -> Result<(), Text> {
        let done = self.history.act(action);
        self.sync();
        done
    }

    /// Advances by `wall_ms` of real time at `speed`, at most `EVENTS_PER_FRAME_MAX` events.
    pub fn advance_wall(&mut self, wall_ms: f64, speed: f64) {
        let target = self.clock.advance(self.history.now_us(), wall_ms, speed);
        if target > self.history.now_us()
            && !self.history.advance_bounded(target, EVENTS_PER_FRAME_MAX)
        {
            // Too much happened for one frame: the clock waits for the simulation.
            self.sync();
        }
    }

    /// Wall milliseconds until the next event is due at `speed`.
    pub fn next_event_wall_ms(&self, speed: f64) -> Option<f64> {
        let next = self.history.sim().next_event_us()?;
        Some(self.clock.wall_ms_until(next, speed))
    }

    pub fn step(&mut self) -> bool {
        let stepped = self.history.step();
        self.sync();
        stepped
    }

    /// The playback bar's "Next »": steps until a step adds a trace line `interesting` picks,
    /// or `steps_max` steps have run, or nothing is left to happen. Each step's new lines only
    /// are read, so a long search stays linear in its length.
    pub fn step_until(&mut self, steps_max: u32, interesting: impl Fn(&Line<P>) -> bool) {
        let mut seen = self.history.sim().trace().len();
        for _ in 0..steps_max {
            if !self.history.step() {
                break;
            }
            let trace = self.history.sim().trace();
            let from = std::mem::replace(&mut seen, trace.len()).min(trace.len());
            if (from..trace.len()).any(|i| trace.get(i).is_some_and(&interesting)) {
                break;
            }
        }
        self.sync();
    }

    pub fn seek(&mut self, t_us: Micros) {
        self.history.seek(t_us);
        self.sync();
    }

    /// Runs simulated time on by `us` at once (a lesson's "wait"), the clock following.
    pub fn wait_us(&mut self, us: Micros) {
        let until = self.history.now_us().saturating_add(us);
        self.history.advance(until);
        self.sync();
    }

    /// Puts the clock where the run is, after the run was moved other than by the clock.
    pub fn sync(&mut self) {
        self.clock.set(self.history.now_us());
    }
}
