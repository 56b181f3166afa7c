//! Modulo-N placement: key position mod n picks a slot. The baseline that consistent hashing
//! was invented to beat (Karger et al. 1997, section 1): changing n moves almost every key.

use super::super::hash::Position;

/// The slot of `pos` among `n` slots.
pub fn slot(pos: Position, n: u32) -> u32 {
    (pos % n as u64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_is_the_remainder() {
        assert_eq!(slot(17, 5), 2);
        assert_eq!(slot(u64::MAX, 1), 0);
    }
}
