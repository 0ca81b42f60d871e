//! Validating and translating a whole module in one pass.

use alloc::vec::Vec;

use strata_decoder::Module;
use strata_validator::{Error, FuncValidator, ModuleTypes, ValidationError};

use crate::func::IrFunc;
use crate::translate::{FuncTranslator, TranslateOptions};

/// A validated module with every defined function translated to IR.
#[derive(Debug, Clone)]
pub struct TranslatedModule {
    /// The module-level types (the validator's context).
    pub types: ModuleTypes,
    /// The defined functions' IR, in order (function index = imported functions + position).
    pub funcs: Vec<IrFunc>,
}

/// Validates `module` and translates every function body in the same pass.
///
/// A valid function that the IR cannot represent (for example a frame over 65535 slots) is
/// reported as an invalid-module error naming the function and the reason.
pub fn translate_module(module: &Module<'_>) -> Result<TranslatedModule, Error> {
    translate_module_with(module, TranslateOptions::default())
}

/// [`translate_module`], inserting fuel metering and/or interruption checks.
pub fn translate_module_with(
    module: &Module<'_>,
    options: TranslateOptions,
) -> Result<TranslatedModule, Error> {
    let types = strata_validator::validate_module(module)?;
    let mut validator = FuncValidator::new();
    let mut translator = FuncTranslator::with_options(options);
    let first = types.num_imported_funcs();
    let mut funcs = Vec::with_capacity(module.code.len());
    for (i, body) in module.code.iter().enumerate() {
        let index = first + i as u32;
        validator.validate(&types, index, body, &mut translator)?;
        let func = translator.finish().map_err(|e| {
            Error::Invalid(ValidationError::new(body.offset, alloc::format!("{e}")).in_func(index))
        })?;
        funcs.push(func);
    }
    Ok(TranslatedModule { types, funcs })
}
