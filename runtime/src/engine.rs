//! [`Engine`] and its [`Config`]: which backend runs code, with which proposals and limits.

use alloc::sync::Arc;

use strata_decoder::Features;
use strata_vm::{MemoryConfig, StoreConfig};

/// The backend that executes WebAssembly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Backend {
    /// The portable interpreter (`strata-interp`).
    #[default]
    Interp,
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    backend: Backend,
    features: Features,
    store: StoreConfig,
}

impl Config {
    /// The default configuration: the interpreter, WebAssembly 2.0 features.
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
