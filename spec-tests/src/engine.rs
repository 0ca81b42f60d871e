//! The execution interface: what the harness needs from an engine to run `assert_return` & co.
//!
//! Validation is judged by the harness itself (through `strata-validator`); an [`Engine`] only
//! instantiates and runs modules that already validated. A fresh engine is created for each
//! `.wast` file, so modules and registrations never leak from one file into the next.

use std::fmt;
use std::str::FromStr;

use strata_decoder::Features;

/// A WebAssembly value crossing the boundary between the harness and an engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its bit pattern (so NaN payloads survive).
    F32(u32),
    /// An `f64`, as its bit pattern (so NaN payloads survive).
    F64(u64),
    /// A `v128`, little-endian lane order.
    V128(u128),
    /// A reference.
    Ref(Ref),
}

/// A reference value, as much of it as the spec tests can observe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ref {
    /// Any null reference (`ref.null <heaptype>`).
    Null,
    /// A non-null function reference.
    Func,
    /// A host reference made by `ref.extern N` (an `externref`).
    Extern(u32),
    /// A host reference made by `ref.host N` (an `anyref` from outside).
    Host(u32),
    /// A non-null `i31ref`.
    I31,
    /// A non-null GC struct reference.
    Struct,
    /// A non-null GC array reference.
    Array,
    /// A non-null exception reference.
    Exn,
}

/// Why an engine could not do what the harness asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecError {
    /// The code trapped (`assert_trap`), with the engine's trap message.
    Trap(String),
    /// The call stack (or another resource) ran out (`assert_exhaustion`).
    Exhaustion(String),
    /// A WebAssembly exception escaped the call (`assert_exception`).
    Exception,
    /// Instantiation failed to resolve or match an import (`assert_unlinkable`).
    Link(String),
    /// The engine does not support something (a feature, an export kind, ...).
    Unsupported(String),
    /// Anything else: a missing export, a wrong argument count, ...
    Other(String),
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExecError::Trap(m) => write!(f, "trap: {m}"),
            ExecError::Exhaustion(m) => write!(f, "exhaustion: {m}"),
            ExecError::Exception => f.write_str("uncaught exception"),
            ExecError::Link(m) => write!(f, "link error: {m}"),
            ExecError::Unsupported(m) => write!(f, "unsupported: {m}"),
            ExecError::Other(m) => f.write_str(m),
        }
    }
}

/// An instantiated module, as numbered by the engine that created it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InstanceId(pub u32);

/// An engine the harness can drive: instantiate, register, invoke, read globals.
///
/// Implementations must provide the spec's `spectest` host module (`print*` functions,
/// `global_i32` & co., `table`, `memory`) for imports. Every module handed to
/// [`Engine::instantiate`] has already passed `strata_validator::validate_bytes`.
pub trait Engine {
    /// Instantiates `bytes` (running its start function), resolving imports against the
    /// `spectest` module and everything [`Engine::register`]ed so far.
    ///
    /// A trap in the start function is [`ExecError::Trap`]; an import that cannot be
    /// resolved or matched is [`ExecError::Link`].
    fn instantiate(&mut self, bytes: &[u8], features: Features) -> Result<InstanceId, ExecError>;

    /// Makes `instance`'s exports importable under the module name `name`.
    fn register(&mut self, name: &str, instance: InstanceId) -> Result<(), ExecError>;

    /// Calls the exported function `export` of `instance` with `args`.
    fn invoke(
        &mut self,
        instance: InstanceId,
        export: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, ExecError>;

    /// Reads the exported global `export` of `instance`.
    fn global(&mut self, instance: InstanceId, export: &str) -> Result<Value, ExecError>;
}

/// Which engine runs the execution directives (`--engine`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineKind {
    /// No engine: execution directives are skipped as `needs-engine`.
    #[default]
    None,
    /// The `strata-interp` interpreter, through `strata-runtime`.
    Interp,
    /// The `strata-jit-x64` compiler, through `strata-runtime` (x86_64 unix hosts).
    X64,
}

impl EngineKind {
    /// Every accepted `--engine` name.
    pub const NAMES: &'static [&'static str] = &["none", "interp", "x64"];

    /// The `--engine` name of this kind.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::None => "none",
            EngineKind::Interp => "interp",
            EngineKind::X64 => "x64",
        }
    }

    /// Whether [`EngineKind::create`] works for this kind in this build.
    pub fn is_available(self) -> bool {
        self.create().is_ok()
    }

    /// A fresh engine (a new store), or `None` for [`EngineKind::None`].
    ///
    /// To add an engine: add its crate as a dependency and return `Ok(Some(Box::new(..)))`
    /// here. Nothing else in the harness needs to change.
    pub fn create(self) -> Result<Option<Box<dyn Engine>>, String> {
        match self {
            EngineKind::None => Ok(None),
            EngineKind::Interp => Ok(Some(Box::new(crate::engines::interp::InterpEngine::new()?))),
            EngineKind::X64 if strata_runtime::Backend::X64_AVAILABLE => Ok(Some(Box::new(
                crate::engines::interp::InterpEngine::with_backend(strata_runtime::Backend::X64)?,
            ))),
            EngineKind::X64 => Err(format!(
                "engine `{}` is not built for this host",
                self.name()
            )),
        }
    }
}

impl FromStr for EngineKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(EngineKind::None),
            "interp" => Ok(EngineKind::Interp),
            "x64" => Ok(EngineKind::X64),
            _ => Err(format!(
                "unknown engine `{s}` (expected one of: {})",
                EngineKind::NAMES.join(", ")
            )),
        }
    }
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
