//! [`Engine`] and its [`Config`]: which backend runs code, with which proposals and limits.

use alloc::sync::Arc;

use strata_decoder::Features;
use strata_ir::TranslateOptions;
use strata_vm::{MemoryConfig, StoreConfig};

/// The backend that executes WebAssembly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Backend {
    /// The portable interpreter (`strata-interp`).
    #[default]
    Interp,
    /// The x86_64 single-pass compiler (`strata-jit-x64`; the `jit-x64` feature, x86_64 unix
    /// hosts). Modules fail to compile with it where it is not built.
    X64,
    /// The fastest backend built for this host: x64 where available, else the interpreter.
    Auto,
}

impl Backend {
    /// Whether this build can run the x64 backend.
    pub const X64_AVAILABLE: bool = cfg!(all(feature = "jit-x64", target_arch = "x86_64", unix));

    /// The concrete backend this choice means in this build (`Auto` resolved).
    pub fn resolve(self) -> Backend {
        match self {
            Backend::Auto if Backend::X64_AVAILABLE => Backend::X64,
            Backend::Auto => Backend::Interp,
            b => b,
        }
    }
}

/// Settings for an [`Engine`].
///
/// ```
/// use strata_runtime::{Backend, Config, Engine};
/// let mut config = Config::new();
/// config.backend(Backend::Interp).max_call_depth(1000);
/// let engine = Engine::new(&config);
/// assert_eq!(engine.config().get_backend(), Backend::Interp);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    backend: Backend,
    features: Features,
    store: StoreConfig,
    translate: TranslateOptions,
    parallel_compilation: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            backend: Backend::default(),
            features: Config::DEFAULT_FEATURES,
            store: StoreConfig::default(),
            translate: TranslateOptions::default(),
            parallel_compilation: true,
        }
    }
}

impl Config {
    /// The proposals enabled by default: WebAssembly 2.0 and the 3.0 proposals the engines run
    /// (tail calls, typed function references, multiple memories, extended constant
    /// expressions, relaxed SIMD, exception handling, and 64-bit memories and tables, which
    /// stop at 4 GiB and `u32::MAX` elements). Not in it: GC (refused).
    pub const DEFAULT_FEATURES: Features = Features::WASM2
        .union(Features::TAIL_CALL)
        .union(Features::FUNCTION_REFERENCES)
        .union(Features::MULTI_MEMORY)
        .union(Features::EXTENDED_CONST)
        .union(Features::RELAXED_SIMD)
        .union(Features::EXCEPTIONS)
        .union(Features::MEMORY64);

    /// The default configuration: the interpreter, [`Config::DEFAULT_FEATURES`].
    pub fn new() -> Self {
        Config::default()
    }

    /// Chooses the backend.
    pub fn backend(&mut self, backend: Backend) -> &mut Self {
        self.backend = backend;
        self
    }

    /// Chooses the WebAssembly proposals modules may use.
    pub fn features(&mut self, features: Features) -> &mut Self {
        self.features = features;
        self
    }

    /// The deepest nesting of wasm calls before `call stack exhausted` (default 20 000).
    pub fn max_call_depth(&mut self, depth: u32) -> &mut Self {
        self.store.max_call_depth = depth;
        self
    }

    /// The most 8-byte value-stack slots a call may use (default 2^20, i.e. 8 MiB).
    pub fn max_stack_slots(&mut self, slots: u32) -> &mut Self {
        self.store.max_stack_slots = slots;
        self
    }

    /// How linear memories are created (reserved with guard pages, or on the heap).
    pub fn memory(&mut self, memory: MemoryConfig) -> &mut Self {
        self.store.memory = memory;
        self
    }

    /// Meters fuel (default off): every basic block costs the fuel of its operators (the one
    /// table, `strata_ir::fuel_cost`), taken from the store's fuel
    /// ([`Store::set_fuel`](crate::Store::set_fuel)); running out traps with `all fuel consumed
    /// by WebAssembly`. Deterministic: the same module with the same fuel stops at the same place
    /// with the same fuel left on every engine. Off, no metering code is emitted at all.
    ///
    /// ```
    /// # fn wat(s: &str) -> Vec<u8> { let b = wast::parser::ParseBuffer::new(s).unwrap(); let mut m: wast::Wat = wast::parser::parse(&b).unwrap(); m.encode().unwrap() }
    /// use strata_runtime::{Config, Engine, Linker, Module, Store, TrapCode};
    /// let engine = Engine::new(Config::new().consume_fuel(true));
    /// let module = Module::new(&engine, &wat(r#"(module (func (export "spin") (loop (br 0))))"#))?;
    /// let mut store = Store::new(&engine, ());
    /// store.set_fuel(10_000)?;
    /// let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
    /// let spin = instance.get_typed_func::<(), ()>(&store, "spin")?;
    /// let err = spin.call(&mut store, ()).unwrap_err();
    /// assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel));
    /// assert_eq!(store.get_fuel()?, 0);
    /// # Ok::<(), strata_runtime::Error>(())
    /// ```
    pub fn consume_fuel(&mut self, enable: bool) -> &mut Self {
        self.translate.fuel = enable;
        self
    }

    /// Makes code interruptible (default off): a check (one relaxed atomic load) at every
    /// function entry and loop header traps with `interrupted` once an
    /// [`InterruptHandle`](crate::InterruptHandle) asked for it or the store's deadline
    /// passed. Off, no check is emitted.
    pub fn interruptible(&mut self, enable: bool) -> &mut Self {
        self.translate.interruptible = enable;
        self
    }

    /// Translates function bodies on several threads (default on): a module with at least
    /// 64 KiB of code is split into pieces of about equal size, taken in turn by up to
    /// [`std::thread::available_parallelism`] threads (8 at most), the calling one included.
    /// The compiled module, and the error for an invalid one, are the same either way. Off, or
    /// in builds without `std`, everything runs on the calling thread.
    pub fn parallel_compilation(&mut self, enable: bool) -> &mut Self {
        self.parallel_compilation = enable;
        self
    }

    /// Whether function bodies are translated on several threads.
    pub fn get_parallel_compilation(&self) -> bool {
        self.parallel_compilation
    }

    /// Whether fuel is metered.
    pub fn get_consume_fuel(&self) -> bool {
        self.translate.fuel
    }

    /// Whether code is interruptible.
    pub fn get_interruptible(&self) -> bool {
        self.translate.interruptible
    }

    /// What translation inserts (fuel metering, interruption checks).
    pub(crate) fn translate_options(&self) -> TranslateOptions {
        self.translate
    }

    /// The chosen backend.
    pub fn get_backend(&self) -> Backend {
        self.backend
    }

    /// The enabled proposals.
    pub fn get_features(&self) -> Features {
        self.features
    }

    pub(crate) fn store_config(&self) -> StoreConfig {
        self.store
    }

    /// A store's inner state for this configuration, set up for its backend.
    pub(crate) fn new_store_inner(&self) -> strata_vm::StoreInner {
        #[allow(unused_mut)]
        let mut inner = strata_vm::StoreInner::new(self.store_config());
        #[cfg(all(feature = "jit-x64", target_arch = "x86_64", unix))]
        if self.backend.resolve() == Backend::X64 {
            strata_jit_x64::enable(&mut inner);
        }
        inner
    }
}

/// A compilation and execution environment, shared by modules and stores. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    config: Arc<Config>,
}

impl Engine {
    /// An engine with this configuration.
    pub fn new(config: &Config) -> Self {
        Engine {
            config: Arc::new(config.clone()),
        }
    }

    /// The engine's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
}
