//! # strata-runtime
//!
//! strata's embedding API, in the style of wasmtime's:
//!
//! - [`Engine`] (with a [`Config`] choosing the [`Backend`]) compiles; [`Module::new`] decodes,
//!   validates and translates a binary once; a [`Module`] is `Send + Sync` and cheap to
//!   instantiate many times.
//! - [`Store<T>`](Store) owns instances and the embedder's data `T`.
//! - [`Linker<T>`](Linker) defines host functions from Rust closures
//!   ([`Linker::func_wrap`]), registers instances' exports under a module name
//!   ([`Linker::instance`]) and instantiates modules ([`Linker::instantiate`]).
//! - [`Instance`] gives exports: [`Func`] (dynamic [`Func::call`]), [`TypedFunc`] (static
//!   signature, no conversions), [`Memory`], [`Table`], [`Global`].
//! - Failures are an [`Error`]; traps carry the spec's message and a wasm backtrace with names
//!   from the name section ([`Trap`]).
//!
//! Host functions receive a [`Caller`] (store data, the calling instance's exports) and read
//! their parameters straight from the interpreter's value stack: no boxing per call.
//!
//! **Depends on:** everything below it in the pipeline (decoder, validator, ir, vm, interp).
//! Builds with `no_std` + `alloc`.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod engine;
mod error;
mod externals;
mod func;
mod instance;
mod interrupt;
mod limits;
mod linker;
mod module;
#[cfg(feature = "std")]
mod pool;
mod serialize;
mod store;

pub use engine::{Backend, Config, Engine};
pub use error::{Error, FrameInfo, Trap, TrapCode};
pub use externals::{ExternRef, Global, Memory, Table, Tag};
pub use func::{Caller, Func, HostResult, IntoFunc, TypedFunc, WasmParams, WasmResults, WasmTy};
pub use instance::{Extern, Instance};
pub use interrupt::InterruptHandle;
pub use limits::{StoreLimits, StoreLimitsBuilder, DEFAULT_MEMORY_SIZE, DEFAULT_TABLE_ELEMENTS};
pub use linker::Linker;
pub use module::Module;
#[cfg(feature = "std")]
pub use pool::{InstancePool, PooledInstance};
pub use store::{AsContext, AsContextMut, Store, StoreContext, StoreContextMut};

/// The artefact checksum, for tests that forge artefacts.
#[doc(hidden)]
pub use serialize::checksum as __checksum;

#[doc(no_inline)]
pub use strata_decoder::{
    ExternalKind, Features, FuncType, GlobalType, ImportType, Limits, MemoryType, RefType,
    TableType, ValType,
};
#[doc(no_inline)]
pub use strata_vm::{ExternAddr, FuncAddr, MemoryConfig, MemoryStrategy, ResourceLimiter, Val};
