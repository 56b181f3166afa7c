//! What the shell asks of the run a mode shows: its clock (the transport and the frame loop
//! move it), what the moving layer draws (deliveries in flight, timers draining) and when the
//! static layers must be rebuilt. Each mode's run implements [`ModeRun`] in its own folder;
//! `ui/modes/mod.rs` picks the one on screen.

use crate::sim::types::{Micros, MsgId};

/// One delivery of one message in flight, placed on the stage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trip {
    /// The flight and which of its deliveries (a duplicated message has several).
    pub key: (MsgId, u8),
    pub sent_us: Micros,
    pub deliver_us: Micros,
    /// Both ends in view-box units, already inset from the nodes' discs.
    pub from: (f64, f64),
    pub to: (f64, f64),
}

/// How a message in flight looks: its class (colour and shape in style.css), the letter on it,
/// its words for screen readers and the tooltip, and its type (`data-type`).
pub struct Look {
    pub class: &'static str,
    pub letter: &'static str,
    pub words: String,
    pub type_name: &'static str,
}

/// A timer drawn as a ring around a node that drains as it runs out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimerRing {
    /// The ring's centre and radius in view-box units.
    pub center: (f64, f64),
    pub radius: f64,
    /// What is left of the timer, from 1 (just set) to 0 (due).
    pub left: f64,
}

/// The run behind a mode, as the shell drives and draws it.
pub trait ModeRun {
    fn now_us(&self) -> Micros;
    /// The end of the recorded run (a mode that records none has its horizon now).
    fn horizon_us(&self) -> Micros;
    /// Whether the scrubber can move through the recorded run.
    fn seekable(&self) -> bool;
    /// Whether the moment shown is before the end of the recorded run: acting now would fork
    /// it, which the shell asks the learner to confirm.
    fn in_past(&self) -> bool {
        false
    }
    /// Advances by `wall_ms` of real time at `speed`, bounded per frame.
    fn advance_wall(&mut self, wall_ms: f64, speed: f64);
    /// Wall milliseconds until the next simulation event is due at `speed`.
    fn next_event_wall_ms(&self, speed: f64) -> Option<f64>;
    fn step(&mut self);
    /// Steps until something worth stopping at happens (or nothing is left).
    fn step_interesting(&mut self);
    /// Moves to `t_us` of the recorded run (does nothing when not seekable).
    fn seek(&mut self, t_us: Micros);
    /// A slice of background work (a chart computed across wake-ups), given the wall clock;
    /// whether more is left. Finite: no wake-up is scheduled once it is done.
    fn work(&mut self, _wall_ms: &dyn Fn() -> f64, _wake_ms: f64) -> bool {
        false
    }
    /// Numbers that change exactly when the static layers must be rebuilt, into `out`.
    fn static_key(&self, out: &mut Vec<u64>);
    /// How many trace lines the run has: live panels refresh when it grows.
    fn trace_len(&self) -> usize;
    /// Deliveries in flight at `now_us` into `out`, and the layout they are placed for (which
    /// nodes where): a new layout rebuilds every drawn message.
    fn trips(&self, now_us: Micros, out: &mut Vec<Trip>) -> u32;
    /// How a delivery in flight looks; asked once, when its element is made.
    fn look(&self, key: (MsgId, u8)) -> Option<Look>;
    /// Timers to draw around the nodes at `now_us`, into `out`.
    fn timer_rings(&self, _now_us: Micros, out: &mut Vec<TimerRing>) {
        out.clear();
    }
}

/// The line from `a` to `b` shortened by `inset_a` and `inset_b` at its ends.
pub fn inset(a: (f64, f64), b: (f64, f64), inset_a: f64, inset_b: f64) -> ((f64, f64), (f64, f64)) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    (
        (a.0 + ux * inset_a, a.1 + uy * inset_a),
        (b.0 - ux * inset_b, b.1 - uy * inset_b),
    )
}
