//! Operators: the `Operator` enum generated from the table in `operator_table.rs`, their
//! immediates, and `OperatorsReader`, which walks a function body or constant expression one
//! operator at a time without allocating.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::features::Features;
use crate::reader::Reader;
use crate::type_reader::starts_val_type;
use crate::types::{HeapType, ValType};

/// The bit pattern of an `f32` immediate (kept as bits so NaN payloads survive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ieee32(pub u32);

impl Ieee32 {
    /// The value as a float.
    pub fn to_f32(self) -> f32 {
        f32::from_bits(self.0)
    }
}

/// The bit pattern of an `f64` immediate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ieee64(pub u64);

impl Ieee64 {
    /// The value as a float.
    pub fn to_f64(self) -> f64 {
        f64::from_bits(self.0)
    }
}

/// A 128-bit vector immediate, in little-endian byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct V128(pub [u8; 16]);

impl V128 {
    /// The vector as a `u128` (lane 0 in the low bits).
    pub fn to_u128(self) -> u128 {
        u128::from_le_bytes(self.0)
    }
}

/// The type of a `block`, `loop`, `if` or `try_table`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockType {
    /// No parameters, no results.
    Empty,
    /// No parameters, one result.
    Value(ValType),
    /// Parameters and results from a function type in the type section.
    FuncType(u32),
}

/// A memory access immediate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemArg {
    /// log2 of the promised alignment.
    pub align: u32,
    /// Constant offset added to the address.
    pub offset: u64,
    /// Memory index (0 unless multi-memory).
    pub memory: u32,
}

/// The label list of a `br_table`, read lazily.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BrTable<'a> {
    data: &'a [u8],
    base: usize,
    count: u32,
    default: u32,
}

impl<'a> BrTable<'a> {
    /// Number of labels, not counting the default.
    pub fn len(&self) -> u32 {
        self.count
    }

    /// True if there are no labels besides the default.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The default label.
    pub fn default(&self) -> u32 {
        self.default
    }

    /// The labels in order, not including the default (already checked to be well formed).
    pub fn targets(&self) -> impl Iterator<Item = u32> + 'a {
        let mut r = Reader::new(self.data, self.base, Features::all());
        (0..self.count).map(move |_| r.read_var_u32().unwrap_or(0))
    }
}

/// The result types of a typed `select`: WebAssembly allows exactly one, which the validator
/// checks; the decoder keeps the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SelectTypes {
    /// How many types the immediate listed.
    pub count: u32,
    /// The first type, if any.
    pub first: Option<ValType>,
}

/// One catch clause of a `try_table`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Catch {
    /// `catch tag label`: branch with the payload.
    One {
        /// Tag index.
        tag: u32,
        /// Branch depth.
        label: u32,
    },
    /// `catch_ref tag label`: branch with the payload and the `exnref`.
    OneRef {
        /// Tag index.
        tag: u32,
        /// Branch depth.
        label: u32,
    },
    /// `catch_all label`.
    All {
        /// Branch depth.
        label: u32,
    },
    /// `catch_all_ref label`: branch with the `exnref`.
    AllRef {
        /// Branch depth.
        label: u32,
    },
}

/// A `try_table`'s block type and catch clauses (read lazily).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TryTable<'a> {
    /// The block type.
    pub ty: BlockType,
    data: &'a [u8],
    base: usize,
    count: u32,
}

impl<'a> TryTable<'a> {
    /// Number of catch clauses.
    pub fn len(&self) -> u32 {
        self.count
    }

    /// True if there are no catch clauses.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The catch clauses in order (already checked to be well formed).
    pub fn catches(&self) -> impl Iterator<Item = Catch> + 'a {
        let mut r = Reader::new(self.data, self.base, Features::all());
        (0..self.count).map(move |_| read_catch(&mut r).unwrap_or(Catch::All { label: 0 }))
    }
}

fn read_catch(r: &mut Reader<'_>) -> Result<Catch, DecodeError> {
    let at = r.offset();
    Ok(match r.read_u8()? {
        0 => Catch::One {
            tag: r.read_var_u32()?,
            label: r.read_var_u32()?,
        },
        1 => Catch::OneRef {
            tag: r.read_var_u32()?,
            label: r.read_var_u32()?,
        },
        2 => Catch::All {
            label: r.read_var_u32()?,
        },
        3 => Catch::AllRef {
            label: r.read_var_u32()?,
        },
        _ => return Err(DecodeError::new(DecodeErrorKind::MalformedCatchKind, at)),
    })
}

impl<'a> Reader<'a> {
    /// Reads a block type.
    pub fn read_block_type(&mut self) -> Result<BlockType, DecodeError> {
        let b = self.peek_u8()?;
        if b == 0x40 {
            self.read_u8()?;
            return Ok(BlockType::Empty);
        }
        if starts_val_type(b) {
            return self.read_val_type().map(BlockType::Value);
        }
        let at = self.offset();
        let idx = self.read_var_s33()?;
        if idx < 0 || idx > i64::from(u32::MAX) {
            return Err(DecodeError::new(DecodeErrorKind::MalformedValueType, at));
        }
        Ok(BlockType::FuncType(idx as u32))
    }

    /// Reads a memory access immediate.
    pub fn read_memarg(&mut self) -> Result<MemArg, DecodeError> {
        let at = self.offset();
        let flags = self.read_var_u32()?;
        let (align, memory) = if self.features().contains(Features::MULTI_MEMORY) {
            if flags < 64 {
                (flags, 0)
            } else if flags < 128 {
                (flags - 64, self.read_var_u32()?)
            } else {
                return Err(DecodeError::new(DecodeErrorKind::MalformedMemopFlags, at));
            }
        } else if flags < 32 {
            (flags, 0)
        } else {
            // Before multi-memory an alignment exponent of 32 or more cannot be represented.
            return Err(DecodeError::new(DecodeErrorKind::MalformedMemopFlags, at));
        };
        let offset = if self.features().contains(Features::MEMORY64) {
            self.read_var_u64()?
        } else {
            u64::from(self.read_var_u32()?)
        };
        Ok(MemArg {
            align,
            offset,
            memory,
        })
    }

    /// Reads a memory index that WebAssembly 2.0 encodes as a reserved zero byte.
    fn read_mem_index(&mut self) -> Result<u32, DecodeError> {
        if self.features().contains(Features::MULTI_MEMORY) {
            self.read_var_u32()
        } else {
            self.read_zero_byte()
        }
    }

    /// Reads `call_indirect`'s table index (a zero byte before reference types).
    fn read_table_index(&mut self) -> Result<u32, DecodeError> {
        if self.features().contains(Features::REFERENCE_TYPES) {
            self.read_var_u32()
        } else {
            self.read_zero_byte()
        }
    }

    fn read_zero_byte(&mut self) -> Result<u32, DecodeError> {
        let at = self.offset();
        match self.read_u8()? {
            0 => Ok(0),
            _ => Err(DecodeError::new(DecodeErrorKind::ZeroByteExpected, at)),
        }
    }

    fn read_br_table(&mut self) -> Result<BrTable<'a>, DecodeError> {
        let count = self.read_count()?;
        let base = self.offset();
        let start = self.rest();
        for _ in 0..count {
            self.read_var_u32()?;
        }
        let len = self.offset() - base;
        let default = self.read_var_u32()?;
        Ok(BrTable {
            data: &start[..len],
            base,
            count,
            default,
        })
    }

    fn read_try_table(&mut self) -> Result<TryTable<'a>, DecodeError> {
        let ty = self.read_block_type()?;
        let count = self.read_count()?;
        let base = self.offset();
        let start = self.rest();
        for _ in 0..count {
            read_catch(self)?;
        }
        let len = self.offset() - base;
        Ok(TryTable {
            ty,
            data: &start[..len],
            base,
            count,
        })
    }

    fn read_select_types(&mut self) -> Result<SelectTypes, DecodeError> {
        let count = self.read_count()?;
        let mut first = None;
        for i in 0..count {
            let t = self.read_val_type()?;
            if i == 0 {
                first = Some(t);
            }
        }
        Ok(SelectTypes { count, first })
    }

    fn read_lane_bytes(&mut self) -> Result<[u8; 16], DecodeError> {
        let b = self.read_bytes(16)?;
        let mut a = [0u8; 16];
        a.copy_from_slice(b);
        Ok(a)
    }
}

/// The Rust type an immediate kind decodes to.
macro_rules! imm_ty {
    (u32) => { u32 };
    (i32) => { i32 };
    (i64) => { i64 };
    (f32) => { Ieee32 };
    (f64) => { Ieee64 };
    (v128) => { V128 };
    (memarg) => { MemArg };
    (blockty) => { BlockType };
    (brtable) => { BrTable<'a> };
    (memidx) => { u32 };
    (tableidx) => { u32 };
    (lane) => { u8 };
    (byte) => { u8 };
    (shuffle) => { [u8; 16] };
    (heaptype) => { HeapType };
    (selecttypes) => { SelectTypes };
    (trytable) => { TryTable<'a> };
}

/// How an immediate kind is read.
macro_rules! imm_read {
    ($r:ident, u32) => {
        $r.read_var_u32()?
    };
    ($r:ident, i32) => {
        $r.read_var_i32()?
    };
    ($r:ident, i64) => {
        $r.read_var_i64()?
    };
    ($r:ident, f32) => {
        Ieee32($r.read_u32_le()?)
    };
    ($r:ident, f64) => {
        Ieee64($r.read_u64_le()?)
    };
    ($r:ident, v128) => {
        V128($r.read_lane_bytes()?)
    };
    ($r:ident, memarg) => {
        $r.read_memarg()?
    };
    ($r:ident, blockty) => {
        $r.read_block_type()?
    };
    ($r:ident, brtable) => {
        $r.read_br_table()?
    };
    ($r:ident, memidx) => {
        $r.read_mem_index()?
    };
    ($r:ident, tableidx) => {
        $r.read_table_index()?
    };
    ($r:ident, lane) => {
        $r.read_u8()?
    };
    ($r:ident, byte) => {
        $r.read_u8()?
    };
    ($r:ident, shuffle) => {
        $r.read_lane_bytes()?
    };
    ($r:ident, heaptype) => {
        $r.read_heap_type()?
    };
    ($r:ident, selecttypes) => {
        $r.read_select_types()?
    };
    ($r:ident, trytable) => {
        $r.read_try_table()?
    };
}

/// The proposal an operator belongs to.
macro_rules! proposal_features {
    (mvp) => {
        Features::empty()
    };
    (sign_ext) => {
        Features::SIGN_EXTENSION
    };
    (sat) => {
        Features::SATURATING_FLOAT_TO_INT
    };
    (bulk) => {
        Features::BULK_MEMORY
    };
    (reftypes) => {
        Features::REFERENCE_TYPES
    };
    (simd) => {
        Features::SIMD
    };
    (relaxed) => {
        Features::RELAXED_SIMD
    };
    (tail) => {
        Features::TAIL_CALL
    };
    (exn) => {
        Features::EXCEPTIONS
    };
    (funcref) => {
        Features::FUNCTION_REFERENCES
    };
    (gc) => {
        Features::GC
    };
}

macro_rules! define_operators {
    ($( $prefix:literal $code:literal $prop:ident $name:ident { $($field:ident : $kind:ident),* } $text:literal ;)*) => {
        /// One decoded operator with its immediates.
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[allow(missing_docs)]
        pub enum Operator<'a> {
            $( $name { $($field: imm_ty!($kind)),* }, )*
        }

        impl Operator<'_> {
            /// The operator's name in the text format.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Operator::$name { .. } => $text, )*
                }
            }

            /// The proposal(s) that must be enabled for this operator.
            pub fn required_features(&self) -> Features {
                match self {
                    $( Operator::$name { .. } => proposal_features!($prop), )*
                }
            }
        }

        /// Decodes one operator at the reader's position.
        #[inline]
        pub(crate) fn decode_operator<'a>(r: &mut Reader<'a>) -> Result<Operator<'a>, DecodeError> {
            let at = r.offset();
            let first = r.read_u8()?;
            let key: (u8, u32) = match first {
                0xfb..=0xfd => (first, r.read_var_u32()?),
                _ => (0, u32::from(first)),
            };
            // The proposal check sits in each arm, so for WebAssembly 1.0 operators (which need
            // no feature) it folds away.
            let op = match key {
                $( ($prefix, $code) => {
                    if !r.features().contains(proposal_features!($prop)) {
                        return Err(DecodeError::new(DecodeErrorKind::IllegalOpcode, at));
                    }
                    Operator::$name { $($field: imm_read!(r, $kind)),* }
                } )*
                _ => return Err(DecodeError::new(DecodeErrorKind::IllegalOpcode, at)),
            };
            Ok(op)
        }
    };
}

crate::for_each_operator!(define_operators);

/// Walks the operators of a function body or constant expression.
#[derive(Debug, Clone)]
pub struct OperatorsReader<'a> {
    reader: Reader<'a>,
}

impl<'a> OperatorsReader<'a> {
    /// A reader over the operator bytes in `reader`.
    pub fn new(reader: Reader<'a>) -> Self {
        OperatorsReader { reader }
    }

    /// The offset (in the module) of the next operator.
    #[inline]
    pub fn offset(&self) -> usize {
        self.reader.offset()
    }

    /// True when all bytes are consumed.
    #[inline]
    pub fn eof(&self) -> bool {
        self.reader.eof()
    }

    /// Reads the next operator. Past the end this reports "unexpected end of section or
    /// function"; it is the validator's job to require the final `end`.
    #[inline]
    pub fn read(&mut self) -> Result<Operator<'a>, DecodeError> {
        if self.reader.eof() {
            return Err(self.reader.error(DecodeErrorKind::UnexpectedEndOfSection));
        }
        decode_operator(&mut self.reader).map_err(|e| {
            if e.kind() == DecodeErrorKind::UnexpectedEnd {
                DecodeError::new(DecodeErrorKind::UnexpectedEndOfSection, e.offset())
            } else {
                e
            }
        })
    }

    /// Reads the next operator together with its offset.
    #[inline]
    pub fn read_with_offset(&mut self) -> Result<(Operator<'a>, usize), DecodeError> {
        let at = self.offset();
        self.read().map(|op| (op, at))
    }

    /// The underlying byte reader (positioned after the last operator read).
    pub fn into_reader(self) -> Reader<'a> {
        self.reader
    }
}
