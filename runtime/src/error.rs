//! [`Error`]: everything the embedding API can fail with.

use alloc::string::String;
use core::fmt;

pub use strata_vm::{FrameInfo, Trap, TrapCode};

/// Why an operation of the embedding API failed.
///
/// A trap carries the spec's message and a backtrace named from the name section:
///
/// ```
/// # fn wat(s: &str) -> Vec<u8> { let b = wast::parser::ParseBuffer::new(s).unwrap(); let mut m: wast::Wat = wast::parser::parse(&b).unwrap(); m.encode().unwrap() }
/// use strata_runtime::{Engine, Error, Linker, Module, Store, TrapCode};
/// let engine = Engine::default();
/// let module = Module::new(&engine, &wat(r#"(module
///     (func $boom unreachable)
///     (func $run (export "run") (call $boom)))"#))?;
/// let mut store = Store::new(&engine, ());
/// let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
/// let run = instance.get_typed_func::<(), ()>(&store, "run")?;
/// let Err(Error::Trap(trap)) = run.call(&mut store, ()) else { panic!() };
/// assert_eq!(trap.code(), TrapCode::Unreachable);
/// let names: Vec<_> = trap.backtrace().unwrap().iter().map(|f| f.func_name.as_deref()).collect();
/// assert_eq!(names, [Some("boom"), Some("run")]);
/// # Ok::<(), strata_runtime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The module is malformed (binary format) or invalid (validation rules).
    Compile(strata_validator::Error),
    /// An import is missing or does not match (`unknown import`, `incompatible import type`).
    Link(String),
    /// WebAssembly trapped (with the spec's message and a wasm backtrace).
    Trap(Trap),
    /// A memory, table or other resource could not be created or grown.
    Resource(String),
    /// The API was used wrongly: a value of the wrong type, a wrong number of arguments, an
    /// immutable global written, a typed function of the wrong signature...
    Usage(String),
    /// A host function failed with this message.
    Host(String),
    /// The backend cannot execute something the module uses yet (an instruction, named).
    Unsupported(String),
    /// A host function ended the guest on purpose with this exit status (WASI's `proc_exit`).
    Exit(u32),
    /// A compiled module ([`Module::deserialize`](crate::Module::deserialize)) was refused:
    /// another strata version or engine configuration, truncated, corrupted or inconsistent.
    Deserialize(String),
}

impl Error {
    /// A host function error with this message (for host functions to return).
    pub fn host(message: impl Into<String>) -> Self {
        Error::Host(message.into())
    }

    /// The trap, if this is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match self {
            Error::Trap(t) => Some(t),
            _ => None,
        }
    }

    /// The trap code, if this is a trap.
    pub fn trap_code(&self) -> Option<TrapCode> {
        self.as_trap().map(Trap::code)
    }

    #[cold]
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Error::Usage(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Compile(e) => write!(f, "compile error: {e}"),
            Error::Link(m) => write!(f, "link error: {m}"),
            Error::Trap(t) => write!(f, "{t}"),
            Error::Resource(m) => write!(f, "resource error: {m}"),
            Error::Usage(m) => write!(f, "{m}"),
            Error::Host(m) => write!(f, "host error: {m}"),
            Error::Exit(code) => write!(f, "exited with status {code}"),
            Error::Unsupported(m) => write!(f, "unsupported: {m}"),
            Error::Deserialize(m) => write!(f, "cannot load compiled module: {m}"),
        }
    }
}

impl core::error::Error for Error {}

impl From<Trap> for Error {
    fn from(t: Trap) -> Self {
        Error::Trap(t)
    }
}

impl From<TrapCode> for Error {
    fn from(t: TrapCode) -> Self {
        Error::Trap(Trap::new(t))
    }
}

impl From<strata_validator::Error> for Error {
    fn from(e: strata_validator::Error) -> Self {
        Error::Compile(e)
    }
}

impl From<strata_decoder::DecodeError> for Error {
    fn from(e: strata_decoder::DecodeError) -> Self {
        Error::Compile(e.into())
    }
}

impl From<strata_interp::Error<Error>> for Error {
    fn from(e: strata_interp::Error<Error>) -> Self {
        match e {
            strata_interp::Error::Trap(t) => Error::Trap(t),
            strata_interp::Error::Host(e) => e,
            strata_interp::Error::Unsupported(instr) => {
                Error::Unsupported(alloc::format!("instruction `{instr}`"))
            }
        }
    }
}
