//! [`Module`]: a compiled module (decoded, validated and translated once).

use alloc::sync::Arc;

use strata_decoder::{ExternalKind, ImportType};
use strata_vm::ModuleInfo;

use crate::engine::Engine;
use crate::error::Error;

/// A compiled WebAssembly module: decoded, validated and translated to IR once, then
/// instantiated any number of times. Cheap to clone, `Send + Sync`.
///
/// ```
/// use strata_runtime::{Engine, Module};
/// // (module (func (export "nop")))
/// let bytes = [
///     0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 7, 1, 3, 110, 111, 112, 0,
///     0, 10, 4, 1, 2, 0, 11,
/// ];
/// let module = Module::new(&Engine::default(), &bytes)?;
/// assert_eq!(module.exports().map(|(name, _)| name).collect::<Vec<_>>(), ["nop"]);
/// assert!(Module::new(&Engine::default(), b"\0asm").is_err());
/// # Ok::<(), strata_runtime::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Module {
    pub(crate) info: Arc<ModuleInfo>,
    pub(crate) engine: Engine,
}

/// Compiles `info` to machine code when the engine's backend is a compiler.
pub(crate) fn compile_backend(engine: &Engine, info: &Arc<ModuleInfo>) -> Result<(), Error> {
    match engine.config().get_backend().resolve() {
        #[cfg(all(feature = "jit-x64", target_arch = "x86_64", unix))]
        crate::Backend::X64 => strata_jit_x64::compile_module(info)
            .map(drop)
            .map_err(|e| Error::Unsupported(alloc::format!("{e}"))),
        #[cfg(not(all(feature = "jit-x64", target_arch = "x86_64", unix)))]
        crate::Backend::X64 => {
            let _ = info;
            Err(Error::Unsupported(
                "the x64 backend is not built for this host".into(),
            ))
        }
        _ => Ok(()),
    }
}

/// The most threads [`translate`] uses.
#[cfg(feature = "std")]
const MAX_COMPILE_THREADS: usize = 8;

/// Validates and translates `module` for `engine`, on several threads if its configuration
/// asks for it ([`Config::parallel_compilation`](crate::Config::parallel_compilation)).
fn translate(
    engine: &Engine,
    module: &strata_decoder::Module<'_>,
) -> Result<strata_ir::TranslatedModule, Error> {
    let options = engine.config().translate_options();
    #[cfg(feature = "std")]
    if engine.config().get_parallel_compilation() {
        static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        let threads = *THREADS.get_or_init(|| {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_COMPILE_THREADS))
        });
        return Ok(strata_ir::translate_module_parallel(
            module, options, threads,
        )?);
    }
    Ok(strata_ir::translate_module_with(module, options)?)
}

impl Module {
    /// Compiles `bytes` (a binary module) for `engine`.
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        let module = strata_decoder::decode(bytes, engine.config().get_features())?;
        let translated = translate(engine, &module)?;
        let info = ModuleInfo::new(&module, translated.funcs)
            .map_err(|e| Error::Unsupported(alloc::format!("{e}")))?;
        let info = Arc::new(info);
        compile_backend(engine, &info)?;
        Ok(Module {
            info,
            engine: engine.clone(),
        })
    }

    /// Checks that `bytes` is a valid binary module for `engine`'s features, without
    /// compiling it: the error is the one [`Module::new`] would return.
    pub fn validate(engine: &Engine, bytes: &[u8]) -> Result<(), Error> {
        strata_validator::validate_bytes(bytes, engine.config().get_features())?;
        Ok(())
    }

    /// Reads the binary module at `path` and compiles it for `engine` ([`Module::new`]); an
    /// unreadable file is an [`Error::Usage`] naming the path.
    #[cfg(feature = "std")]
    pub fn from_file(engine: &Engine, path: impl AsRef<std::path::Path>) -> Result<Module, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(|e| Error::usage(alloc::format!("cannot read {}: {e}", path.display())))?;
        Module::new(engine, &bytes)
    }

    /// The engine it was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The module's name from the name section.
    pub fn name(&self) -> Option<&str> {
        self.info.name.as_deref()
    }

    /// The imports: module name, field name and type.
    pub fn imports(&self) -> impl ExactSizeIterator<Item = (&str, &str, ImportType)> + '_ {
        self.info
            .imports
            .iter()
            .map(|i| (&*i.module, &*i.name, i.ty))
    }

    /// The exports: name and kind.
    pub fn exports(&self) -> impl ExactSizeIterator<Item = (&str, ExternalKind)> + '_ {
        self.info.exports.iter().map(|e| (&*e.name, e.kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn module_is_send_sync() {
        assert_send_sync::<Module>();
    }
}
