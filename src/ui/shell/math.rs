//! Trigonometry and powers for drawing, from the browser's `Math`. Only the page's geometry
//! uses them, and it needs no bit-exact results (the simulation does not call them); Rust's own
//! versions (libm) would add about 10 KB to the wasm.

pub fn sin(x: f64) -> f64 {
    js_sys::Math::sin(x)
}

pub fn cos(x: f64) -> f64 {
    js_sys::Math::cos(x)
}

/// The angle of (x, y) from the x axis, as `f64::atan2` (`y` first).
pub fn atan2(y: f64, x: f64) -> f64 {
    js_sys::Math::atan2(y, x)
}

pub fn pow(base: f64, exponent: f64) -> f64 {
    js_sys::Math::pow(base, exponent)
}

pub fn hypot(x: f64, y: f64) -> f64 {
    (x * x + y * y).sqrt()
}

/// `a` modulo `m`, in [0, m) for a positive `m` (floor is a wasm instruction; `%` on floats
/// is a library call).
pub fn rem_euclid(a: f64, m: f64) -> f64 {
    a - m * (a / m).floor()
}
