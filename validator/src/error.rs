//! Validation errors: the spec's wording, the byte offset and (inside a body) the function.

use alloc::string::String;
use core::fmt;

use strata_decoder::DecodeError;

/// Why a module was rejected: malformed (the binary format) or invalid (the validation rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The bytes do not follow the binary format.
    Malformed(DecodeError),
    /// The module is well formed but breaks a validation rule.
    Invalid(ValidationError),
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Malformed(e)
    }
}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Self {
        Error::Invalid(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Malformed(e) => e.fmt(f),
            Error::Invalid(e) => e.fmt(f),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

#[cfg(feature = "std")]
impl std::error::Error for ValidationError {}

/// A broken validation rule: where, in which function, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Byte offset in the module.
    pub offset: usize,
    /// The function index, for errors inside a body.
    pub func: Option<u32>,
    /// The spec's wording, e.g. "type mismatch", possibly followed by `": "` and details.
    pub message: String,
}

impl ValidationError {
    /// An error at `offset` outside any function body.
    #[cold]
    #[inline(never)]
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        ValidationError {
            offset,
            func: None,
            message: message.into(),
        }
    }

    /// The same error, attributed to function `func`.
    pub fn in_func(mut self, func: u32) -> Self {
        self.func = Some(func);
        self
    }

    /// True if the message starts with the spec's wording `rule` (e.g. `"type mismatch"`).
    pub fn is(&self, rule: &str) -> bool {
        self.message.starts_with(rule)
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid module at offset {:#x}", self.offset)?;
        if let Some(func) = self.func {
            write!(f, " in function {func}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// An [`Error`] in a box: what the per-operator checks return, so that their `Result`s fit in
/// two registers and the happy path moves no 40-byte error around. Converted back at
/// [`FuncValidator::validate`](crate::FuncValidator::validate).
#[derive(Debug)]
pub(crate) struct Fail(pub(crate) alloc::boxed::Box<Error>);

impl From<Error> for Fail {
    #[cold]
    #[inline(never)]
    fn from(e: Error) -> Self {
        Fail(alloc::boxed::Box::new(e))
    }
}

impl From<DecodeError> for Fail {
    #[cold]
    #[inline(never)]
    fn from(e: DecodeError) -> Self {
        Fail(alloc::boxed::Box::new(Error::Malformed(e)))
    }
}

impl From<Fail> for Error {
    fn from(f: Fail) -> Self {
        *f.0
    }
}

/// Builds an [`Error::Invalid`] at `offset` from format arguments (cold path).
#[cold]
#[inline(never)]
pub(crate) fn invalid(offset: usize, args: fmt::Arguments<'_>) -> Error {
    Error::Invalid(ValidationError::new(offset, alloc::format!("{args}")))
}

/// `return Err(invalid!(offset, "fmt", args..))` shorthand.
macro_rules! bail {
    ($offset:expr, $($arg:tt)*) => {
        return Err($crate::error::invalid($offset, format_args!($($arg)*)).into())
    };
}
pub(crate) use bail;
