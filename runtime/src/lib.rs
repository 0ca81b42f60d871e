//! # strata-runtime
//!
//! The embedding API: `Engine`, `Module`, `Store`, `Linker`, `Instance`, `Func`.
//! Compile a module once, instantiate it many times; the backend is a choice of configuration.
//!
//! **Depends on:** `strata-decoder`, `strata-validator`, `strata-ir`, `strata-vm`, the backends.
//! **Must not depend on:** `wasi` or `cli` (they build on it).
//!
//! Status: not built yet (issue 3).
#![no_std]
