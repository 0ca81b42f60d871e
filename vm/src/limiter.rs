//! [`ResourceLimiter`]: the embedder's veto over memory and table growth, and over how many
//! instances, tables and memories a store may hold.

/// The default most instances a store may hold (wasmtime's `DEFAULT_INSTANCE_LIMIT`).
pub const DEFAULT_INSTANCE_LIMIT: usize = 10_000;
/// The default most tables a store may hold (wasmtime's `DEFAULT_TABLE_LIMIT`).
pub const DEFAULT_TABLE_LIMIT: usize = 10_000;
/// The default most linear memories a store may hold (wasmtime's `DEFAULT_MEMORY_LIMIT`).
pub const DEFAULT_MEMORY_LIMIT: usize = 10_000;

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

    /// The most instances the store may hold; instantiation past it fails.
    fn instances(&self) -> usize {
        DEFAULT_INSTANCE_LIMIT
    }

    /// The most tables (defined by instances or by the host) the store may hold.
    fn tables(&self) -> usize {
        DEFAULT_TABLE_LIMIT
    }

    /// The most linear memories (defined by instances or by the host) the store may hold.
    fn memories(&self) -> usize {
        DEFAULT_MEMORY_LIMIT
    }
}
