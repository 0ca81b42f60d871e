//! # strata-interp
//!
//! strata's portable interpreter: executes `strata-ir` on any target Rust supports, with no
//! platform-specific code and no nightly features.
//!
//! **Job:** run the IR of functions in a [`StoreInner`](strata_vm::StoreInner): [`invoke`] calls
//! a function with its parameters in a slot buffer and leaves the results there; host functions
//! are called through the embedder's [`Host`] implementation, on a window of the value stack
//! (no boxing of arguments).
//!
//! **Depends on:** `strata-ir`, `strata-vm` (and `libm` for float rounding on `no_std`).
//! **Must not depend on:** the JIT backends or `runtime`.
//!
//! See [`exec`]'s module documentation for the frame layout and the dispatch design, and
//! [`ops`] for the numeric semantics. Builds with `no_std` + `alloc`.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod exec;
pub mod ops;

pub use exec::{invoke, Error, Host};

#[cfg(test)]
mod tests;
