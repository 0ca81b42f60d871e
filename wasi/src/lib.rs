//! # strata-wasi
//!
//! `wasi_snapshot_preview1` as a host module on the runtime's `Linker`, with a capability sandbox:
//! a guest reaches only what was preopened.
//!
//! **Depends on:** `strata-runtime`.
//! **Must not depend on:** `cli`.
//!
//! Status: not built yet (issue 5).
