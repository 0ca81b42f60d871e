//! # strata-jit-x64
//!
//! A single-pass compiler from `strata-ir` to x86_64 machine code, built with DynASM
//! (`dynasmrt`), and the run-time glue to call it from Rust.
//!
//! **Depends on:** `strata-ir`, `strata-vm`, and `strata-interp` for its host interface and its
//! numeric and SIMD semantics (the slow path reuses them, so both engines agree bit for bit).
//! **Must not depend on:** other JIT backends or `runtime`.
//!
//! ## Use
//!
//! [`compile_module`] compiles a module's functions once (the runtime does it in
//! `Module::new` when the engine's backend is x64); [`invoke`] runs a function of a store, with
//! the same contract as [`strata_interp::invoke`].
//!
//! ## Design
//!
//! - [`compile`](mod@compile): one pass over each function's IR; the frame stays in memory
//!   (`[rbx + 8*slot]`), register use and the calling convention are documented there.
//! - `context`: the structures JIT code reads through `r12` (per activation) and `r13` (per
//!   instance), with their byte offsets.
//! - `stubs`: the trampoline from Rust, the trap exit, the host-call stub.
//! - `exec`: [`invoke`] and the helpers JIT code calls (`slow` path, value-stack growth, host
//!   calls, trap recording).
//! - `exn`: `throw` and `throw_ref`: the helper that makes the exception and unwinds this
//!   activation's frames to the catching one (nothing is spent on the path that does not throw).
//! - `store`: the JIT's tables in the store, synchronised at every entry and after host calls;
//!   it picks the guarded or the explicitly checked variant of a module per instance.
//! - `signals` (Linux): the SIGSEGV/SIGBUS handler that turns an out-of-bounds access of
//!   guarded code (no bounds check, see [`Bounds`]) into the trap.
//!
//! Code pages are never writable and executable at once (`dynasmrt::Assembler::finalize`).
//! Traps never unwind through Rust frames: the trap exit resets `rsp` to the trampoline's.
//!
//! Builds to an empty crate on targets other than x86_64 unix.
#![cfg_attr(not(all(target_arch = "x86_64", unix)), no_std)]
#![warn(missing_docs)]

#[cfg(all(target_arch = "x86_64", unix))]
extern crate alloc;

#[cfg(all(target_arch = "x86_64", unix))]
pub mod compile;
#[cfg(all(target_arch = "x86_64", unix))]
mod context;
#[cfg(all(target_arch = "x86_64", unix))]
mod exec;
#[cfg(all(target_arch = "x86_64", unix))]
mod exn;
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod signals;
#[cfg(all(target_arch = "x86_64", unix))]
mod slow;
#[cfg(all(target_arch = "x86_64", unix))]
mod slow_simd;
#[cfg(all(target_arch = "x86_64", unix))]
mod store;
#[cfg(all(target_arch = "x86_64", unix))]
mod stubs;

#[cfg(all(target_arch = "x86_64", unix))]
pub use compile::{Bounds, CompileError, CompiledModule};
#[cfg(all(target_arch = "x86_64", unix))]
pub use exec::invoke;

/// Compiles every defined function of `info` once (later calls return the same code) and
/// registers the code, so stores find it when the module is instantiated. The registration
/// lasts as long as `info` does.
#[cfg(all(target_arch = "x86_64", unix))]
pub fn compile_module(
    info: &alloc::sync::Arc<strata_vm::ModuleInfo>,
) -> Result<alloc::sync::Arc<CompiledModule>, CompileError> {
    store::compile_and_register(info)
}

/// Whether `store` runs wasm functions as x64 code: true once [`enable`] was called on it.
#[cfg(all(target_arch = "x86_64", unix))]
pub fn is_enabled(store: &strata_vm::StoreInner) -> bool {
    store
        .backend
        .0
        .as_ref()
        .is_some_and(|b| b.is::<store::JitStore>())
}

/// Makes `store` run wasm functions as x64 code (see [`is_enabled`]).
#[cfg(all(target_arch = "x86_64", unix))]
pub fn enable(store: &mut strata_vm::StoreInner) {
    store::JitStore::sync(store);
}

#[cfg(all(test, target_arch = "x86_64", unix))]
mod exn_tests;
#[cfg(all(test, target_arch = "x86_64", target_os = "linux"))]
mod guard_tests;
#[cfg(all(test, target_arch = "x86_64", unix))]
mod simd_tests;
#[cfg(all(test, target_arch = "x86_64", unix))]
mod tests;
