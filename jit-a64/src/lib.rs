//! # strata-jit-a64
//!
//! A single-pass aarch64 compiler from `strata-ir` to machine code, built with DynASM.
//!
//! **Depends on:** `strata-ir`, `strata-vm`.
//! **Must not depend on:** other backends or `runtime`.
//!
//! Status: not built yet.
#![no_std]
