//! # strata-vm
//!
//! What all backends share: the store, module instances, linear memories, tables, globals,
//! function references, segments, traps, and the calling convention backends agree on.
//!
//! **Depends on:** `strata-decoder` (the type grammar: [`ValType`], [`MemoryType`], ...) and
//! `strata-ir` (the [`IrFunc`](strata_ir::IrFunc) behind each wasm function). On unix with the
//! `std` feature it also uses `libc`, for `mmap`/`mprotect`/`munmap`:
//! reserved linear memories whose base never moves and whose guard pages let the JITs drop
//! bounds checks (see [`MemoryStrategy`]).
//! **Must not depend on:** any backend or `runtime`.
//!
//! Status: leaf data structures, the store, instances and instantiation built (issue 3).
//!
//! ## What is here
//!
//! | Module | Job |
//! |---|---|
//! | [`value`] | [`UntypedVal`] (one 8-byte frame slot) and the typed [`Val`] of the embedding API |
//! | [`reference`](mod@reference) | store-wide [`FuncAddr`]/[`ExternAddr`] and the [`RawRef`] kept in tables and slots |
//! | [`trap`] | [`TrapCode`] with the spec's wording, and [`Trap`] with an optional wasm backtrace |
//! | [`limiter`] | [`ResourceLimiter`], the embedder's veto over memory and table growth |
//! | [`memory`] | [`LinearMemory`]: pages, growth, bounds-checked loads/stores, bulk operations |
//! | [`table`] | [`Table`] of [`RawRef`]s with the bulk table operations |
//! | [`global`] | [`Global`]: a type and a 16-byte value cell |
//! | [`segment`] | passive [`DataSegment`]s and [`ElementSegment`]s with `data.drop`/`elem.drop` |
//! | [`backend`] | [`BackendData`]: opaque per-store state of a compiling backend |
//! | [`store`] | [`StoreInner`]: every entity by address, interned signatures ([`SigId`]), limits |
//! | [`module_info`] | [`ModuleInfo`]: a compiled module's owned description, constant expressions |
//! | [`instance`] | [`InstanceData`] (module index → store address) and [`instantiate`] |
//!
//! ## Invariants backends rely on
//!
//! - A frame slot is 8 bytes ([`UntypedVal`]); a `v128` takes two adjacent slots, low half first.
//!   `f32`/`f64` are kept as raw bits, so NaN payloads survive every copy.
//! - A reference is a [`RawRef`]: 0 is null, anything else is a store address plus one.
//! - Every bounds check computes the effective address as `u64` (`addr + offset`, both
//!   zero-extended), so nothing wraps; bulk operations check the whole range before writing.
//! - A reserved memory's base pointer never moves; a heap-backed memory's base may move on every
//!   successful grow, so backends reload it after any call that can grow memory.
//!
//! Builds with `no_std` (plus `alloc`); the `std` feature (on by default) only adds reserved
//! memories.
#![no_std]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod backend;
mod bounds;
pub mod global;
pub mod limiter;
pub mod memory;
pub mod reference;
pub mod segment;
pub mod table;
pub mod trap;
pub mod value;

pub use backend::BackendData;
pub use global::{Global, GlobalCell, GlobalError};
pub use limiter::{
    ResourceLimiter, DEFAULT_INSTANCE_LIMIT, DEFAULT_MEMORY_LIMIT, DEFAULT_TABLE_LIMIT,
};
pub use memory::{LinearMemory, MemoryConfig, MemoryError, MemoryStrategy, MemoryValue};
pub use reference::{ExnAddr, ExternAddr, FuncAddr, RawRef};
pub use segment::{DataSegment, ElementSegment};
pub use table::{Table, TableError};
pub use trap::{FrameInfo, Trap, TrapCode};
pub use value::{UntypedVal, Val};

#[doc(no_inline)]
pub use strata_decoder::{GlobalType, MemoryType, RefType, TableType, ValType};

pub mod instance;
mod memory_ops;
pub mod module_info;
pub mod store;
mod table_ops;

pub use instance::{
    instantiate, instantiate_limited, InstanceData, Instantiated, InstantiationError,
};
pub use module_info::{
    ConstExpr, ConstOp, ModuleInfo, RecGroup, Unsupported, UnsupportedConstExpr,
};
pub use store::{
    CanonicalGroup, DataAddr, ElemAddr, ExnEntity, ExternVal, FuncEntity, FuncKind, GlobalAddr,
    InstanceAddr, InterruptFlag, MemoryAddr, SigId, StoreConfig, StoreInner, TableAddr, TagAddr,
    TagEntity,
};
