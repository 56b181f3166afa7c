//! Time on the page: the browser's wall clock and the simulated clock it drives, the same for
//! every mode.

use crate::sim::types::Micros;

/// The page's wall clock in milliseconds (`performance.now()`).
pub fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// At most this many simulation events per animation frame, so a frame stays short however
/// busy the cluster is; the clock then lags behind the wall rather than freezing the page.
pub const EVENTS_PER_FRAME_MAX: u64 = 3_000;

/// The wall-driven simulated clock of every mode, with its fraction of a microsecond so that
/// slow speeds still advance.
#[derive(Copy, Clone, Debug, Default)]
pub struct WallClock {
    us: f64,
}

impl WallClock {
    /// Moves the clock `wall_ms` of real time past the simulation's `now_us` at `speed` and
    /// returns the simulated time to run to. A clock behind the simulation, or far ahead of
    /// it, starts again from `now_us`.
    pub fn advance(&mut self, now_us: Micros, wall_ms: f64, speed: f64) -> Micros {
        let now = now_us as f64;
        if self.us < now || self.us > now + 1_000_000.0 {
            self.us = now;
        }
        self.us += wall_ms * 1000.0 * speed;
        self.us as Micros
    }

    /// Puts the clock at `now_us`: after a jump, or when the simulation could not keep up.
    pub fn set(&mut self, now_us: Micros) {
        self.us = now_us as f64;
    }

    /// Wall milliseconds until simulated time `at_us` at `speed`.
    pub fn wall_ms_until(&self, at_us: Micros, speed: f64) -> f64 {
        ((at_us as f64 - self.us) / 1000.0 / speed).max(0.0)
    }
}
