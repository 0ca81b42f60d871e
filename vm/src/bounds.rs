//! The one range check every bulk operation (memory and table) shares.

use crate::trap::TrapCode;
use core::ops::Range;

/// `start .. start + len` if it lies within `0 .. bound`, otherwise `err`.
///
/// Computed in `u64` without wrapping, so a huge `start` or `len` is out of bounds rather than
/// wrapping back in; `start == bound` with `len == 0` is in bounds, as the spec requires.
#[inline]
pub(crate) fn checked_range(
    start: u64,
    len: u64,
    bound: usize,
    err: TrapCode,
) -> Result<Range<usize>, TrapCode> {
    match start.checked_add(len) {
        // `start <= end <= bound`, so both fit `usize`.
        Some(end) if end <= bound as u64 => Ok(start as usize..end as usize),
        _ => Err(err),
    }
}
