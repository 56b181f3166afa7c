//! Where the ring's nodes sit on the stage, shared by the stage and the message layer.

use crate::ui::shell::geometry::CENTER;
use crate::ui::shell::math;
use std::f64::consts::TAU;

/// Nodes sit on this circle (radius in the 400 x 400 view box), outside the ring's band.
pub const ORBIT_R: f64 = 170.0;

/// A node's disc radius for a ring of `n` nodes.
pub fn node_size(n: u32) -> f64 {
    match n {
        0..=8 => 17.0,
        9..=16 => 13.0,
        _ => 10.0,
    }
}

/// Where node `slot` of `n` sits, the first at the top, clockwise.
pub fn node_point(slot: usize, n: u32) -> (f64, f64) {
    at_angle(TAU * slot as f64 / n.max(1) as f64, ORBIT_R)
}

/// The point at angle `theta` (clockwise from the top) and radius `r`.
pub fn at_angle(theta: f64, r: f64) -> (f64, f64) {
    (CENTER + r * math::sin(theta), CENTER - r * math::cos(theta))
}
