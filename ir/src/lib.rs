//! # strata-ir
//!
//! strata's register-based intermediate representation: the form every backend consumes.
//!
//! **Job:** translate validated function bodies (during the validator's single pass, through its
//! consumer interface) into a register-based instruction set whose operands are frame slots.
//!
//! **Depends on:** `strata-decoder` (types), `strata-validator` (the consumer interface).
//! **Must not depend on:** `vm`, any backend, `runtime`, or anything with an OS.
//!
//! Status: not built yet (issue 3).
#![no_std]
