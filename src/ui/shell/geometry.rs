//! Where things are drawn: nodes on a circle in a 400 x 400 view box, shared by the SVG
//! cluster and the canvas message layer so that both line up at any size.

/// The side of the square view box both layers draw in.
pub const VIEW: f64 = 400.0;
pub const CENTER: f64 = VIEW / 2.0;
/// The radius of the circle the nodes sit on.
pub const RING: f64 = 142.0;

/// The radius of one node's disc for a cluster of `n`.
pub fn node_radius(n: u32) -> f64 {
    match n {
        0..=5 => 30.0,
        6..=7 => 26.0,
        _ => 22.0,
    }
}

/// The centre of node slot `slot` (0-based) of `n`, the first at the top, clockwise.
pub fn node_center(slot: usize, n: u32) -> (f64, f64) {
    let angle =
        -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * slot as f64 / n.max(1) as f64;
    (
        CENTER + RING * crate::ui::shell::math::cos(angle),
        CENTER + RING * crate::ui::shell::math::sin(angle),
    )
}

/// `v` rounded to `decimals` places, all of them written ("0.50"), without float formatting.
pub fn fixed(v: f64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let scaled = (v.abs() * scale as f64).round() as u64;
    let sign = if v < 0.0 && scaled > 0 { "-" } else { "" };
    if decimals == 0 {
        return format!("{sign}{scaled}");
    }
    format!(
        "{sign}{}.{:0width$}",
        scaled / scale,
        scaled % scale,
        width = decimals as usize
    )
}

/// A coordinate with at most one decimal, without pulling float formatting into the bundle.
pub fn num(v: f64) -> String {
    let tenths = (v * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let a = tenths.unsigned_abs();
    if a.is_multiple_of(10) {
        format!("{sign}{}", a / 10)
    } else {
        format!("{sign}{}.{}", a / 10, a % 10)
    }
}
