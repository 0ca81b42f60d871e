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
    let funcs = translate_bodies(module, &types, options, 0..module.code.len())?;
    Ok(TranslatedModule { types, funcs })
}

/// Modules with less code than this are translated on the calling thread: starting a thread
/// costs about as much as translating a few KiB of code.
#[cfg(feature = "std")]
const MIN_PARALLEL_CODE_BYTES: usize = 64 * 1024;

/// Pieces of the code section per thread, so that one thread ending on a large function does not
/// leave the others idle for long.
#[cfg(feature = "std")]
const PIECES_PER_THREAD: usize = 4;

/// [`translate_module_with`], translating the function bodies on up to `threads` threads (the
/// calling one included). The result, and the error for an invalid module (the one of the first
/// invalid function in module order), are the same as [`translate_module_with`]'s.
#[cfg(feature = "std")]
pub fn translate_module_parallel(
    module: &Module<'_>,
    options: TranslateOptions,
    threads: usize,
) -> Result<TranslatedModule, Error> {
    use core::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::OnceLock;

    /// One piece's functions, or the error of its first invalid function.
    type Piece = Result<Vec<IrFunc>, Error>;

    let types = strata_validator::validate_module(module)?;
    let code = &module.code;
    let code_bytes = match (code.first(), code.last()) {
        (Some(first), Some(last)) => last.offset - first.offset,
        _ => 0,
    };
    if threads <= 1 || code.len() < 2 || code_bytes < MIN_PARALLEL_CODE_BYTES {
        let funcs = translate_bodies(module, &types, options, 0..code.len())?;
        return Ok(TranslatedModule { types, funcs });
    }
    let pieces = split_by_size(module, threads * PIECES_PER_THREAD);
    let results: Vec<OnceLock<Piece>> = pieces.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(range) = pieces.get(i) else { break };
        // Each index is taken once (`fetch_add`), so the cell is empty.
        let _ = results[i].set(translate_bodies(module, &types, options, range.clone()));
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.min(pieces.len()) {
            // A thread the system refuses is no error: the others, this one included, take
            // its share.
            if std::thread::Builder::new()
                .spawn_scoped(scope, work)
                .is_err()
            {
                break;
            }
        }
        work();
    });
    let mut funcs = Vec::with_capacity(code.len());
    for result in results {
        let piece = result.into_inner();
        funcs.extend(piece.expect("every piece is translated before the scope ends")?);
    }
    Ok(TranslatedModule { types, funcs })
}

/// Splits the function bodies into at most `n` consecutive ranges of about equal code size.
#[cfg(feature = "std")]
fn split_by_size(module: &Module<'_>, n: usize) -> Vec<core::ops::Range<usize>> {
    let code = &module.code;
    let start = code.first().map_or(0, |b| b.offset);
    let total = code.last().map_or(0, |b| b.offset) - start;
    let target = total.div_ceil(n).max(1);
    let mut pieces = Vec::with_capacity(n);
    let mut begin = 0;
    for (i, body) in code.iter().enumerate().skip(1) {
        if body.offset - code[begin].offset >= target {
            pieces.push(begin..i);
            begin = i;
        }
    }
    pieces.push(begin..code.len());
    pieces
}

/// Validates and translates the function bodies `range` of `module` (whose module-level types
/// are `types`), stopping at the first invalid one.
fn translate_bodies(
    module: &Module<'_>,
    types: &ModuleTypes,
    options: TranslateOptions,
    range: core::ops::Range<usize>,
) -> Result<Vec<IrFunc>, Error> {
    let mut validator = FuncValidator::new();
    let mut translator = FuncTranslator::with_options(options);
    let first = types.num_imported_funcs();
    let mut funcs = Vec::with_capacity(range.len());
    for i in range {
        let body = &module.code[i];
        let index = first + i as u32;
        validator.validate(types, index, body, &mut translator)?;
        let func = translator.finish().map_err(|e| {
            Error::Invalid(ValidationError::new(body.offset, alloc::format!("{e}")).in_func(index))
        })?;
        funcs.push(func);
    }
    Ok(funcs)
}
