//! Where the retransmission stage draws: each sender-receiver pair is a row of the shell's
//! 400 x 400 view box, the sender on the left, the receiver on the right, data on the upper
//! lane, acknowledgements on the lower one, the sender's window above and the receiver's below.

use crate::ui::shell::geometry::VIEW;

/// The x of the senders and of the receivers.
pub const SENDER_X: f64 = 62.0;
pub const RECEIVER_X: f64 = VIEW - 62.0;
/// The first and last x of a window strip.
const STRIP_LEFT: f64 = 24.0;
const STRIP_RIGHT: f64 = VIEW - 24.0;

/// The centre line of pair `pair` of `pairs`.
pub fn row_y(pair: u32, pairs: u32) -> f64 {
    VIEW * (2 * pair + 1) as f64 / (2 * pairs.max(1)) as f64
}

/// The height of one pair's row.
pub fn row_height(pairs: u32) -> f64 {
    VIEW / pairs.max(1) as f64
}

pub fn node_radius(pairs: u32) -> f64 {
    (row_height(pairs) * 0.11).clamp(14.0, 28.0)
}

/// How far above (data) or below (acknowledgements) the centre line messages travel.
pub fn lane_offset(pairs: u32) -> f64 {
    (row_height(pairs) * 0.03).clamp(5.0, 9.0)
}

/// How far the window strips sit from the centre line, and how tall their cells are.
pub fn strip_offset(pairs: u32) -> f64 {
    row_height(pairs) * 0.3
}

pub fn cell_height(pairs: u32) -> f64 {
    (row_height(pairs) * 0.1).clamp(14.0, 30.0)
}

/// How many sequence numbers a strip shows for a window of `window`: the window and a few on
/// each side of it.
pub fn strip_cells(window: u64) -> u64 {
    (window + 6).clamp(8, 24)
}

/// The width of one cell of a strip of `cells`.
pub fn cell_width(cells: u64) -> f64 {
    (STRIP_RIGHT - STRIP_LEFT) / cells.max(1) as f64
}

/// The centre x of cell `i` (from 0) of a strip of `cells`.
pub fn cell_x(i: u64, cells: u64) -> f64 {
    STRIP_LEFT + cell_width(cells) * (i as f64 + 0.5)
}
