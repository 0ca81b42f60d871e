//! # strata-validator
//!
//! Implements the validation chapter of the WebAssembly specification: module-level rules and a
//! one-pass type checker for function bodies that reports each validated operator to a consumer
//! (the IR translator) so translation happens in the same pass.
//!
//! * [`validate`] / [`validate_bytes`]: validation alone (a [`NopConsumer`] walk).
//! * [`validate_with`]: validation plus one [`FuncConsumer`] per function body.
//! * [`validate_module`] + [`FuncValidator`]: module-level rules first, then bodies one at a
//!   time (lazy compilation) against the returned [`ModuleTypes`].
//!
//! Covers WebAssembly 2.0 (with SIMD) plus tail calls, multi-memory, memory64, extended constant
//! expressions, relaxed SIMD, exception handling (`try_table`) and the typed function reference
//! instructions (with local initialization tracking). GC instructions are rejected as
//! unsupported; defined types are compared by iso-recursive equivalence (`canon.rs`).
//!
//! **Depends on:** `strata-decoder`. Builds with `no_std`.
//! **Must not depend on:** `ir`, `vm`, any backend, `runtime`.
#![no_std]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod canon;
mod const_expr;
mod consumer;
mod error;
mod func;
mod malformed;
mod module_rules;
mod operators;
mod resources;
mod sigs;

use alloc::vec::Vec;

use strata_decoder::{Features, Module};

pub use consumer::{FrameInfo, FrameKind, FuncConsumer, NopConsumer, OperatorContext};
pub use error::{Error, ValidationError};
pub use func::{FuncValidator, MAX_LOCALS};
pub use resources::ModuleTypes;

/// Decodes and validates `bytes` with the given proposals enabled.
pub fn validate_bytes(bytes: &[u8], features: Features) -> Result<(), Error> {
    let module = strata_decoder::decode(bytes, features)?;
    validate(&module).map(|_| ())
}

/// Validates a decoded module (module-level rules and every function body) and returns its
/// [`ModuleTypes`].
pub fn validate(module: &Module<'_>) -> Result<ModuleTypes, Error> {
    validate_with_consumer(module, &mut NopConsumer)
}

/// Function bodies and constant expressions are decoded lazily, while validating; the spec
/// reports a malformed binary before any validation error. So when validation fails, the
/// remaining lazily decoded parts are scanned and a decoding error, if any, wins.
fn prefer_malformed<T>(module: &Module<'_>, r: Result<T, Error>) -> Result<T, Error> {
    match r {
        Err(Error::Invalid(e)) => match malformed::first_decode_error(module) {
            Some(d) => Err(Error::Malformed(d)),
            None => Err(Error::Invalid(e)),
        },
        r => r,
    }
}

/// Checks only the module-level rules (everything outside function bodies). Bodies can then be
/// validated one at a time with a [`FuncValidator`]; the module is valid once all of them are.
pub fn validate_module(module: &Module<'_>) -> Result<ModuleTypes, Error> {
    prefer_malformed(module, module_rules::check_module(module))
}

/// Validates `module`, reporting every body's operators to one consumer; `begin_function` /
/// `end_function` bracket each body.
pub fn validate_with_consumer<C: FuncConsumer>(
    module: &Module<'_>,
    consumer: &mut C,
) -> Result<ModuleTypes, Error> {
    let types = validate_module(module)?;
    let mut v = FuncValidator::new();
    let first = types.num_imported_funcs();
    for (i, body) in module.code.iter().enumerate() {
        let r = v.validate(&types, first + i as u32, body, consumer);
        prefer_malformed(module, r)?;
    }
    Ok(types)
}

/// Validates `module`, creating a consumer per defined function with `make(func_index)` and
/// returning the consumers (in function order) once every body validated.
pub fn validate_with<C, F>(module: &Module<'_>, mut make: F) -> Result<(ModuleTypes, Vec<C>), Error>
where
    C: FuncConsumer,
    F: FnMut(u32) -> C,
{
    let types = validate_module(module)?;
    let mut v = FuncValidator::new();
    let first = types.num_imported_funcs();
    let mut out = Vec::with_capacity(module.code.len());
    for (i, body) in module.code.iter().enumerate() {
        let index = first + i as u32;
        let mut c = make(index);
        let r = v.validate(&types, index, body, &mut c);
        prefer_malformed(module, r)?;
        out.push(c);
    }
    Ok((types, out))
}
