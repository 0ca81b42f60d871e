//! # strata-ir
//!
//! strata's register-based intermediate representation: the form every backend consumes.
//!
//! **Job:** translate validated function bodies (during the validator's single pass, through its
//! [`FuncConsumer`](strata_validator::FuncConsumer) interface) into a register-based instruction
//! set whose operands are frame slots.
//!
//! **Depends on:** `strata-decoder` (types), `strata-validator` (the consumer interface).
//! **Must not depend on:** `vm`, any backend, `runtime`, or anything with an OS. Builds with
//! `no_std`.
//!
//! ## The frame
//! A function's frame is an array of 8-byte slots: parameters first, then declared locals, then
//! temporaries (the operand stack, one position after another). `local.get`, `local.set` and
//! constants mostly disappear into instruction operands. A `v128` takes two adjacent slots.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod fuel;
mod func;
mod instr;
mod instr_table;
mod module;
pub mod serialize;
mod translate;

pub use fuel::fuel_cost;
pub use func::{slots_of, CatchClause, Handler, IrFunc};
pub use instr::{Instr, Slot, Target};
#[cfg(feature = "std")]
pub use module::translate_module_parallel;
pub use module::{translate_module, translate_module_with, TranslatedModule};
pub use translate::{FuncTranslator, TranslateError, TranslateOptions};
