//! Traps: why execution stopped ([`TrapCode`]) and where ([`Trap`] with a wasm backtrace).
//!
//! Messages use the spec test suite's exact wording (`assert_trap` / `assert_exhaustion`), so the
//! spec harness can compare them by prefix and users can search for them. Host errors are not
//! trap codes; the runtime carries them separately.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

macro_rules! trap_codes {
    ($($(#[$doc:meta])* $name:ident => $msg:literal,)*) => {
        /// Why WebAssembly execution trapped. One byte, `Copy`, cheap to return.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum TrapCode {
            $($(#[$doc])* #[doc = concat!("\n\nMessage: `", $msg, "`.")] $name,)*
        }

        impl TrapCode {
            /// Every trap code, in declaration order.
            pub const ALL: &'static [TrapCode] = &[$(TrapCode::$name,)*];

            /// The message, in the spec test suite's wording.
            pub const fn message(self) -> &'static str {
                match self {
                    $(TrapCode::$name => $msg,)*
                }
            }
        }
    };
}

trap_codes! {
    /// `unreachable` was executed.
    Unreachable => "unreachable",
    /// A load, store or bulk memory operation touched a byte outside the memory.
    MemoryOutOfBounds => "out of bounds memory access",
    /// `table.get`/`set`/`fill`/`copy`/`init` touched an element outside the table.
    TableOutOfBounds => "out of bounds table access",
    /// `call_indirect`'s index is outside the table (the suite's wording for this case).
    UndefinedElement => "undefined element",
    /// `call_indirect` found a null entry.
    UninitializedElement => "uninitialized element",
    /// `call_indirect` found a function whose type does not match.
    IndirectCallTypeMismatch => "indirect call type mismatch",
    /// Signed division overflow (`INT_MIN / -1`) or a float→int truncation out of range.
    IntegerOverflow => "integer overflow",
    /// Integer division or remainder by zero.
    IntegerDivideByZero => "integer divide by zero",
    /// Float→int truncation of a NaN.
    BadConversionToInteger => "invalid conversion to integer",
    /// The call stack (or value stack) is exhausted.
    StackOverflow => "call stack exhausted",
    /// `call_ref`/`return_call_ref` on a null reference.
    NullFunctionReference => "null function reference",
    /// `ref.as_non_null`, `br_on_non_null`-style operations, or `throw_ref` on null.
    NullReference => "null reference",
    /// Struct access through a null reference (GC).
    NullStructReference => "null structure reference",
    /// Array access through a null reference (GC).
    NullArrayReference => "null array reference",
    /// `i31.get_s`/`i31.get_u` on null (GC).
    NullI31Reference => "null i31 reference",
    /// Array access out of bounds (GC).
    ArrayOutOfBounds => "out of bounds array access",
    /// `ref.cast` failed (GC).
    CastFailure => "cast failure",
    /// An atomic access at a misaligned address (threads).
    UnalignedAtomic => "unaligned atomic",
    /// An exception reached the host without being caught.
    UncaughtException => "uncaught exception",
    /// `throw_ref` on a null `exnref`.
    NullExceptionReference => "null exception reference",
    /// A `throw` found the store already holding as many exceptions as it can address.
    TooManyExceptions => "too many exceptions",
    /// The fuel budget ran out.
    OutOfFuel => "all fuel consumed by WebAssembly",
    /// The embedder interrupted execution (epoch deadline).
    Interrupted => "interrupted",
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for TrapCode {}

/// One frame of a wasm backtrace, innermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameInfo {
    /// The function's index in its module.
    pub func_index: u32,
    /// The function's name from the name section, if any.
    pub func_name: Option<String>,
    /// Byte offset of the trapping (or calling) instruction in the module binary.
    pub offset: u32,
}

impl fmt::Display for FrameInfo {
    /// `0x2e35 - rwtest::main`: the offset, then the name with Rust symbols demangled (without
    /// their hash), or `<wasm function N>` for a function without a name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x} - ", self.offset)?;
        match &self.func_name {
            Some(name) => match rustc_demangle::try_demangle(name) {
                Ok(demangled) => write!(f, "{demangled:#}"),
                Err(_) => f.write_str(name),
            },
            None => write!(f, "<wasm function {}>", self.func_index),
        }
    }
}

/// A trap: its code and, if collected, where in wasm it happened.
///
/// Two words: the backtrace is boxed so `Result<T, Trap>` stays cheap on the happy path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    code: TrapCode,
    backtrace: Option<Box<[FrameInfo]>>,
}

impl Trap {
    /// A trap without a backtrace.
    #[cold]
    pub fn new(code: TrapCode) -> Self {
        Trap {
            code,
            backtrace: None,
        }
    }

    /// A trap with a backtrace (innermost frame first).
    #[cold]
    pub fn with_backtrace(code: TrapCode, frames: Vec<FrameInfo>) -> Self {
        Trap {
            code,
            backtrace: Some(frames.into_boxed_slice()),
        }
    }

    /// Why it trapped.
    pub fn code(&self) -> TrapCode {
        self.code
    }

    /// The wasm backtrace, innermost frame first, if one was collected.
    pub fn backtrace(&self) -> Option<&[FrameInfo]> {
        self.backtrace.as_deref()
    }
}

impl From<TrapCode> for Trap {
    #[cold]
    fn from(code: TrapCode) -> Self {
        Trap::new(code)
    }
}

impl fmt::Display for Trap {
    /// The message, then `wasm backtrace:` and one line per frame, e.g.
    /// `integer divide by zero\nwasm backtrace:\n  0: 0x1f - fac`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.message())?;
        if let Some(frames) = &self.backtrace {
            f.write_str("\nwasm backtrace:")?;
            for (i, frame) in frames.iter().enumerate() {
                write!(f, "\n  {i}: {frame}")?;
            }
        }
        Ok(())
    }
}

impl core::error::Error for Trap {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    #[test]
    fn rust_names_are_demangled_others_kept() {
        let frame = |name: &str| FrameInfo {
            func_index: 3,
            func_name: Some(name.to_string()),
            offset: 0x2e35,
        };
        // legacy and v0 Rust manglings lose their hash
        assert_eq!(
            frame("_ZN6rwtest4main17h00cdad3505cab6aaE").to_string(),
            "0x2e35 - rwtest::main"
        );
        assert_eq!(
            frame("_RNvNtCset5xJoy1xWQ_3std7process5abort").to_string(),
            "0x2e35 - std::process::abort"
        );
        // C names and anything else stay as written
        assert_eq!(frame("abort").to_string(), "0x2e35 - abort");
        assert_eq!(frame("_Z3fooi").to_string(), "0x2e35 - _Z3fooi");
        let unnamed = FrameInfo {
            func_index: 7,
            func_name: None,
            offset: 1,
        };
        assert_eq!(unnamed.to_string(), "0x1 - <wasm function 7>");
    }

    #[test]
    fn sizes_are_pinned() {
        assert_eq!(core::mem::size_of::<TrapCode>(), 1);
        assert_eq!(core::mem::size_of::<Option<TrapCode>>(), 1);
        assert!(core::mem::size_of::<Trap>() <= 3 * core::mem::size_of::<usize>());
    }

    #[test]
    fn messages_match_the_spec_suite() {
        let expected = [
            (TrapCode::Unreachable, "unreachable"),
            (TrapCode::MemoryOutOfBounds, "out of bounds memory access"),
            (TrapCode::TableOutOfBounds, "out of bounds table access"),
            (TrapCode::UndefinedElement, "undefined element"),
            (TrapCode::UninitializedElement, "uninitialized element"),
            (
                TrapCode::IndirectCallTypeMismatch,
                "indirect call type mismatch",
            ),
            (TrapCode::IntegerOverflow, "integer overflow"),
            (TrapCode::IntegerDivideByZero, "integer divide by zero"),
            (
                TrapCode::BadConversionToInteger,
                "invalid conversion to integer",
            ),
            (TrapCode::StackOverflow, "call stack exhausted"),
            (TrapCode::NullFunctionReference, "null function reference"),
            (TrapCode::NullReference, "null reference"),
            (TrapCode::NullStructReference, "null structure reference"),
            (TrapCode::NullArrayReference, "null array reference"),
            (TrapCode::NullI31Reference, "null i31 reference"),
            (TrapCode::ArrayOutOfBounds, "out of bounds array access"),
            (TrapCode::CastFailure, "cast failure"),
            (TrapCode::UnalignedAtomic, "unaligned atomic"),
            (TrapCode::UncaughtException, "uncaught exception"),
            (TrapCode::NullExceptionReference, "null exception reference"),
            (TrapCode::TooManyExceptions, "too many exceptions"),
            (TrapCode::OutOfFuel, "all fuel consumed by WebAssembly"),
            (TrapCode::Interrupted, "interrupted"),
        ];
        assert_eq!(expected.len(), TrapCode::ALL.len());
        for (code, msg) in expected {
            assert_eq!(code.to_string(), msg);
        }
    }

    #[test]
    fn display_without_backtrace_is_the_message() {
        let t = Trap::from(TrapCode::IntegerDivideByZero);
        assert_eq!(t.to_string(), "integer divide by zero");
        assert_eq!(t.code(), TrapCode::IntegerDivideByZero);
        assert!(t.backtrace().is_none());
    }

    #[test]
    fn display_with_backtrace() {
        let t = Trap::with_backtrace(
            TrapCode::IntegerDivideByZero,
            vec![
                FrameInfo {
                    func_index: 3,
                    func_name: Some("fac".into()),
                    offset: 0x1f,
                },
                FrameInfo {
                    func_index: 0,
                    func_name: None,
                    offset: 0x40,
                },
            ],
        );
        assert_eq!(
            t.to_string(),
            "integer divide by zero\nwasm backtrace:\n  0: 0x1f - fac\n  1: 0x40 - <wasm function 0>"
        );
        assert_eq!(t.backtrace().unwrap().len(), 2);
    }
}
