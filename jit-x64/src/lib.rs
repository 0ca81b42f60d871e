//! # strata-jit-x64
//!
//! A single-pass x86_64 compiler from `strata-ir` to machine code, built with DynASM.
//!
//! **Depends on:** `strata-ir`, `strata-vm`.
//! **Must not depend on:** other backends or `runtime`.
//!
//! Status: not built yet (issue 8).
#![no_std]
