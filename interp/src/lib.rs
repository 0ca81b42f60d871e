//! # strata-interp
//!
//! strata's portable threaded interpreter: executes `strata-ir` on any target Rust supports,
//! with no platform-specific code and no nightly features.
//!
//! **Depends on:** `strata-ir`, `strata-vm`.
//! **Must not depend on:** the JIT backends or `runtime`.
//!
//! Status: not built yet (issue 3).
#![no_std]
