//! Decoding errors: a typed kind plus the byte offset where the rule was broken.

use core::fmt;

/// Why a module is malformed, in the binary-format chapter's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended inside a construct.
    UnexpectedEnd,
    /// A section or function body ended inside a construct.
    UnexpectedEndOfSection,
    /// A LEB128 integer used more bytes than its type allows.
    IntegerTooLong,
    /// A LEB128 integer's unused bits in its last byte were not a sign/zero extension.
    IntegerTooLarge,
    /// The first four bytes are not `\0asm`.
    MagicHeader,
    /// The version field is not 1.
    UnknownBinaryVersion,
    /// A section id outside the known range.
    MalformedSectionId,
    /// A section's contents did not match its declared size.
    SectionSizeMismatch,
    /// A known section appeared twice or out of order.
    SectionOutOfOrder,
    /// Bytes follow the last section, or trail inside a section.
    JunkAfterLastSection,
    /// A name is not valid UTF-8.
    MalformedUtf8,
    /// An opcode that does not exist (or whose proposal is not enabled).
    IllegalOpcode,
    /// A reserved byte that must be zero was not.
    ZeroByteExpected,
    /// A value type byte is not a known type.
    MalformedValueType,
    /// A reference type byte is not a known reference type.
    MalformedReferenceType,
    /// A heap type is not known.
    MalformedHeapType,
    /// A mutability flag is not 0 or 1.
    MalformedMutability,
    /// An import kind byte is unknown.
    MalformedImportKind,
    /// An export kind byte is unknown.
    MalformedExportKind,
    /// A limits flag byte is unknown.
    MalformedLimitsFlags,
    /// A memory access flag field is out of range.
    MalformedMemopFlags,
    /// An element segment's kind is unknown.
    MalformedElementsSegmentKind,
    /// A data segment's kind is unknown.
    MalformedDataSegmentKind,
    /// A composite/sub/rec type form byte is unknown.
    MalformedTypeForm,
    /// A tag attribute is not 0.
    MalformedTagAttribute,
    /// A catch clause kind is unknown.
    MalformedCatchKind,
    /// A function body or constant expression did not end with `end`.
    EndOpcodeExpected,
    /// A function declares more locals than fit in 32 bits.
    TooManyLocals,
    /// A length or count exceeds the remaining input.
    LengthOutOfBounds,
    /// The function and code sections disagree on the number of functions.
    FunctionAndCodeInconsistent,
    /// The data count section disagrees with the data section.
    DataCountInconsistent,
    /// `memory.init` or `data.drop` is used without a data count section.
    DataCountRequired,
    /// A name subsection is malformed.
    MalformedNameSection,
}

impl DecodeErrorKind {
    /// The spec's wording for this rule.
    pub fn message(self) -> &'static str {
        use DecodeErrorKind::*;
        match self {
            UnexpectedEnd => "unexpected end",
            UnexpectedEndOfSection => "unexpected end of section or function",
            IntegerTooLong => "integer representation too long",
            IntegerTooLarge => "integer too large",
            MagicHeader => "magic header not detected",
            UnknownBinaryVersion => "unknown binary version",
            MalformedSectionId => "malformed section id",
            SectionSizeMismatch => "section size mismatch",
            SectionOutOfOrder => "unexpected content after last section",
            JunkAfterLastSection => "unexpected content after last section",
            MalformedUtf8 => "malformed UTF-8 encoding",
            IllegalOpcode => "illegal opcode",
            ZeroByteExpected => "zero byte expected",
            MalformedValueType => "malformed value type",
            MalformedReferenceType => "malformed reference type",
            MalformedHeapType => "malformed heap type",
            MalformedMutability => "malformed mutability",
            MalformedImportKind => "malformed import kind",
            MalformedExportKind => "malformed export kind",
            MalformedLimitsFlags => "malformed limits flags",
            MalformedMemopFlags => "malformed memop flags",
            MalformedElementsSegmentKind => "malformed elements segment kind",
            MalformedDataSegmentKind => "malformed data segment kind",
            MalformedTypeForm => "malformed type form",
            MalformedTagAttribute => "malformed tag attribute",
            MalformedCatchKind => "malformed catch clause",
            EndOpcodeExpected => "END opcode expected",
            TooManyLocals => "too many locals",
            LengthOutOfBounds => "length out of bounds",
            FunctionAndCodeInconsistent => "function and code section have inconsistent lengths",
            DataCountInconsistent => "data count and data section have inconsistent lengths",
            DataCountRequired => "data count section required",
            MalformedNameSection => "malformed name section",
        }
    }
}

/// A malformed module: what rule was broken, and at which byte offset of the input.
///
/// Small on purpose (a kind and an offset): returning it is as cheap as returning a pointer pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    offset: usize,
}

impl DecodeError {
    /// An error of `kind` at byte `offset` of the module.
    #[cold]
    #[inline(never)]
    pub fn new(kind: DecodeErrorKind, offset: usize) -> Self {
        DecodeError { kind, offset }
    }

    /// The rule that was broken.
    pub fn kind(&self) -> DecodeErrorKind {
        self.kind
    }

    /// The byte offset in the module where decoding failed.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The spec's wording for the broken rule.
    pub fn message(&self) -> &'static str {
        self.kind.message()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "malformed module at offset {:#x}: {}",
            self.offset,
            self.kind.message()
        )
    }
}

#[cfg(feature = "std")]
impl std::error::Error for DecodeError {}
