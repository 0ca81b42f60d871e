//! [`StoreLimits`]: the stock [`ResourceLimiter`] (memory bytes, table elements, and how many
//! instances, tables and memories a store holds), built with [`StoreLimitsBuilder`] in
//! wasmtime's spelling.

use strata_vm::{
    ResourceLimiter, DEFAULT_INSTANCE_LIMIT, DEFAULT_MEMORY_LIMIT, DEFAULT_TABLE_LIMIT,
};

/// The default cap on one linear memory: 4 GiB, the most a 32-bit memory can address. It keeps
/// a 64-bit memory from asking the host for more unless the embedder raises it.
pub const DEFAULT_MEMORY_SIZE: u64 = 1 << 32;

/// The default cap on one table: 10 million elements (40 MB of references). Without it a
/// `table.grow` to 2^32 - 1 elements would ask the host for 16 GiB.
pub const DEFAULT_TABLE_ELEMENTS: u64 = 10_000_000;

/// Limits on what WebAssembly in one store may take. A store without a limiter of its own uses
/// `StoreLimits::default()`, so the host is never the one to run out of memory:
///
/// | limit | default |
/// | --- | --- |
/// | bytes of one linear memory | [`DEFAULT_MEMORY_SIZE`] (4 GiB) |
/// | elements of one table | [`DEFAULT_TABLE_ELEMENTS`] (10 million) |
/// | instances, tables, memories per store | 10 000 each |
///
/// When a limit is hit, `memory.grow`/`table.grow` return -1 (as the spec allows), the
/// embedding API's `grow` returns [`Error::Resource`](crate::Error::Resource), and
/// instantiation fails with [`Error::Resource`](crate::Error::Resource).
///
/// ```
/// # fn wat(s: &str) -> Vec<u8> { let b = wast::parser::ParseBuffer::new(s).unwrap(); let mut m: wast::Wat = wast::parser::parse(&b).unwrap(); m.encode().unwrap() }
/// use strata_runtime::{Engine, Linker, Module, Store, StoreLimits, StoreLimitsBuilder};
/// struct Data { limits: StoreLimits }
/// let engine = Engine::default();
/// let module = Module::new(&engine, &wat(r#"(module (memory 1)
///     (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#))?;
/// let limits = StoreLimitsBuilder::new().memory_size(4 * 65536).build();
/// let mut store = Store::new(&engine, Data { limits });
/// store.limiter(|data| &mut data.limits);
/// let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
/// let grow = instance.get_typed_func::<i32, i32>(&store, "grow")?;
/// assert_eq!(grow.call(&mut store, 3)?, 1); // 1 -> 4 pages: allowed
/// assert_eq!(grow.call(&mut store, 1)?, -1); // 5 pages: refused
/// # Ok::<(), strata_runtime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreLimits {
    memory_size: u64,
    table_elements: u64,
    instances: usize,
    tables: usize,
    memories: usize,
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits {
            memory_size: DEFAULT_MEMORY_SIZE,
            table_elements: DEFAULT_TABLE_ELEMENTS,
            instances: DEFAULT_INSTANCE_LIMIT,
            tables: DEFAULT_TABLE_LIMIT,
            memories: DEFAULT_MEMORY_LIMIT,
        }
    }
}

impl StoreLimits {
    /// The most bytes one linear memory may have.
    pub fn get_memory_size(&self) -> u64 {
        self.memory_size
    }

    /// The most elements one table may have.
    pub fn get_table_elements(&self) -> u64 {
        self.table_elements
    }
}

impl ResourceLimiter for StoreLimits {
    fn memory_growing(&mut self, _current: u64, desired: u64, _max: Option<u64>) -> bool {
        desired <= self.memory_size
    }

    fn table_growing(&mut self, _current: u64, desired: u64, _max: Option<u64>) -> bool {
        desired <= self.table_elements
    }

    fn instances(&self) -> usize {
        self.instances
    }

    fn tables(&self) -> usize {
        self.tables
    }

    fn memories(&self) -> usize {
        self.memories
    }
}

/// Builds [`StoreLimits`]; every limit not set keeps its default (see [`StoreLimits`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct StoreLimitsBuilder(StoreLimits);

impl StoreLimitsBuilder {
    /// The default limits.
    pub fn new() -> Self {
        StoreLimitsBuilder::default()
    }

    /// The most bytes one linear memory may grow to (checked at creation and on every grow).
    pub fn memory_size(mut self, bytes: usize) -> Self {
        self.0.memory_size = bytes as u64;
        self
    }

    /// The most elements one table may grow to.
    pub fn table_elements(mut self, elements: usize) -> Self {
        self.0.table_elements = elements as u64;
        self
    }

    /// The most instances the store may hold.
    pub fn instances(mut self, n: usize) -> Self {
        self.0.instances = n;
        self
    }

    /// The most tables the store may hold.
    pub fn tables(mut self, n: usize) -> Self {
        self.0.tables = n;
        self
    }

    /// The most linear memories the store may hold.
    pub fn memories(mut self, n: usize) -> Self {
        self.0.memories = n;
        self
    }

    /// The limits.
    pub fn build(self) -> StoreLimits {
        self.0
    }
}
