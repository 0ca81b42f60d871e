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
//!
//! ## SIMD
//!
//! Every `v128` instruction (SIMD-128 and relaxed SIMD) runs here. A `v128` lives in two
//! adjacent frame slots (low half first); the dispatch arm reads them as a `u128` and calls a
//! pure function of [`simd`], which converts to lane arrays (`[i8; 16]`, `[u16; 8]`,
//! `[f32; 4]`, ...), loops over the lanes and converts back. No platform intrinsics, no
//! `unsafe`, no nightly `core::simd`: the lane loops are written so LLVM vectorizes them on
//! targets with vector units (see [`simd`]'s documentation for how, and what was measured), and
//! they give identical results everywhere. Float lanes reuse [`ops`]' scalar semantics (NaN
//! rules, `min`/`max` with signed zeros, rounding), so scalar and vector code agree bit for bit.
//! Relaxed-SIMD instructions make one fixed, documented choice each ([`simd::relaxed`]).
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[macro_use]
mod lower;
pub mod exec;
pub mod ops;
pub mod simd;

pub use exec::{invoke, Error, Host};

#[cfg(test)]
mod tests;
