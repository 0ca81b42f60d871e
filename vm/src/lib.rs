//! # strata-vm
//!
//! What all backends share: the store, module instances, linear memories, tables, globals,
//! function references, segments, traps, and the calling convention backends agree on.
//!
//! **Depends on:** `strata-decoder`, `strata-ir`.
//! **Must not depend on:** any backend or `runtime`.
//!
//! Status: not built yet (issue 3).
#![no_std]
