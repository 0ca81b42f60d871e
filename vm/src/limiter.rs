//! [`ResourceLimiter`]: the embedder's veto over memory and table growth.

/// Decides whether a memory or table may grow. The runtime implements it (store limits, custom
/// policies); this crate only asks it before growing, including the initial allocation.
///
/// Returning `false` makes the growth fail the way the spec allows: `memory.grow`/`table.grow`
/// return -1, and instantiation fails when the initial size is refused.
pub trait ResourceLimiter {
    /// A memory wants to grow from `current_bytes` to `desired_bytes`. `max_bytes` is the
    /// memory's declared maximum, if any (`desired_bytes` never exceeds it when asked).
    fn memory_growing(
        &mut self,
        current_bytes: u64,
        desired_bytes: u64,
        max_bytes: Option<u64>,
    ) -> bool;

    /// A table wants to grow from `current` to `desired` elements. `max` is the table's
    /// declared maximum, if any (`desired` never exceeds it when asked).
    fn table_growing(&mut self, current: u64, desired: u64, max: Option<u64>) -> bool;
}
