//! A binary encoding of [`IrFunc`] (for compiled-module caches) and a verifier that checks IR
//! from an untrusted source before any backend runs it.
//!
//! Both are generated from the one instruction table (`for_each_instr!`), so they cannot go out
//! of sync with [`Instr`]: an instruction is its position in the table as a little-endian `u16`,
//! then its fields in table order, each in its own width, little-endian. A field name the
//! verifier has no rule for is a compile error (see [`rule`]).
//!
//! ## What the verifier guarantees
//!
//! [`verify_func`] accepts exactly what a backend can run without indexing out of bounds:
//! every slot (both halves of a `v128`) is below `frame_slots` (a call's `base` may equal it),
//! `copy_many` windows fit the frame, every branch target is an instruction of the function,
//! `br_table` is followed by its `len + 1` `br`s, the function cannot run off its end, every
//! function, global, table, memory, type, data and element index is in range for the module,
//! lanes are in range for their shape, `v128` constant indices are in the pool, shuffle
//! masks pick one of 32 lanes, and `try_table` handlers cover and land on instructions of the
//! function, write their values inside the frame and name tags of the module. It does not type-check: the translator's output is well typed,
//! and a serialized artefact is protected against accidental corruption by its checksum.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use strata_decoder::{HeapType, RefType, ValType};

use crate::func::{slots_of, CatchClause, Handler, IrFunc};
use crate::instr::{Instr, Slot, Target};

/// Why bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset in the input where decoding failed.
    pub offset: usize,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl core::error::Error for DecodeError {}

/// Why IR was refused by [`verify_func`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    /// The function's index in the module.
    pub func_index: u32,
    /// The offending instruction's index, if the problem is one instruction.
    pub pc: Option<usize>,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid IR in function {}", self.func_index)?;
        if let Some(pc) = self.pc {
            write!(f, " at instruction {pc}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl core::error::Error for VerifyError {}

/// Appends little-endian values to a byte buffer.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    /// The bytes written so far.
    pub bytes: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer::default()
    }

    /// Writes a byte.
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }
    /// Writes a `u16`.
    pub fn u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    /// Writes a `u32`.
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    /// Writes a `u64`.
    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    /// Writes a `u128`.
    pub fn u128(&mut self, v: u128) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    /// Writes a length (as `u32`; the encoder's inputs never exceed it).
    pub fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("length fits in u32"));
    }
    /// Writes a length-prefixed byte string.
    pub fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.bytes.extend_from_slice(b);
    }
    /// Writes a length-prefixed UTF-8 string.
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    /// Writes a value type.
    pub fn val_type(&mut self, t: ValType) {
        match t {
            ValType::I32 => self.u8(0),
            ValType::I64 => self.u8(1),
            ValType::F32 => self.u8(2),
            ValType::F64 => self.u8(3),
            ValType::V128 => self.u8(4),
            ValType::Ref(r) => {
                self.u8(5);
                self.ref_type(r);
            }
        }
    }
    /// Writes a reference type.
    pub fn ref_type(&mut self, r: RefType) {
        self.u8(u8::from(r.nullable));
        let (tag, index) = match r.heap {
            HeapType::Func => (0, 0),
            HeapType::Extern => (1, 0),
            HeapType::Any => (2, 0),
            HeapType::Eq => (3, 0),
            HeapType::I31 => (4, 0),
            HeapType::Struct => (5, 0),
            HeapType::Array => (6, 0),
            HeapType::Exn => (7, 0),
            HeapType::None => (8, 0),
            HeapType::NoFunc => (9, 0),
            HeapType::NoExtern => (10, 0),
            HeapType::NoExn => (11, 0),
            HeapType::Concrete(i) => (12, i),
        };
        self.u8(tag);
        self.u32(index);
    }
}

/// Reads little-endian values, failing (never panicking) at the end of the input.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// The current offset.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Bytes left.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// An error at the current offset.
    #[cold]
    pub fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError {
            offset: self.pos,
            message: message.into(),
        }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(self.error("unexpected end of data"));
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    /// Reads a byte.
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }
    /// Reads a `u16`.
    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        self.array().map(u16::from_le_bytes)
    }
    /// Reads a `u32`.
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        self.array().map(u32::from_le_bytes)
    }
    /// Reads a `u64`.
    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        self.array().map(u64::from_le_bytes)
    }
    /// Reads a `u128`.
    pub fn u128(&mut self) -> Result<u128, DecodeError> {
        self.array().map(u128::from_le_bytes)
    }
    /// Reads a boolean byte (0 or 1).
    pub fn bool(&mut self) -> Result<bool, DecodeError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.error("invalid boolean")),
        }
    }
    /// Reads a count of items that take at least `min_item_bytes` each, refusing counts the
    /// remaining input cannot hold (so no allocation is larger than the input).
    pub fn count(&mut self, min_item_bytes: usize) -> Result<usize, DecodeError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_item_bytes.max(1)) > self.remaining() {
            return Err(self.error("count larger than the remaining data"));
        }
        Ok(n)
    }
    /// Reads a length-prefixed byte string.
    pub fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.count(1)?;
        self.take(n)
    }
    /// Reads a length-prefixed UTF-8 string.
    pub fn str(&mut self) -> Result<&'a str, DecodeError> {
        let b = self.bytes()?;
        core::str::from_utf8(b).map_err(|_| self.error("invalid UTF-8"))
    }
    /// Reads a value type.
    pub fn val_type(&mut self) -> Result<ValType, DecodeError> {
        Ok(match self.u8()? {
            0 => ValType::I32,
            1 => ValType::I64,
            2 => ValType::F32,
            3 => ValType::F64,
            4 => ValType::V128,
            5 => ValType::Ref(self.ref_type()?),
            _ => return Err(self.error("invalid value type")),
        })
    }
    /// Reads a reference type.
    pub fn ref_type(&mut self) -> Result<RefType, DecodeError> {
        let nullable = self.bool()?;
        let tag = self.u8()?;
        let index = self.u32()?;
        let heap = match tag {
            0 => HeapType::Func,
            1 => HeapType::Extern,
            2 => HeapType::Any,
            3 => HeapType::Eq,
            4 => HeapType::I31,
            5 => HeapType::Struct,
            6 => HeapType::Array,
            7 => HeapType::Exn,
            8 => HeapType::None,
            9 => HeapType::NoFunc,
            10 => HeapType::NoExtern,
            11 => HeapType::NoExn,
            12 => HeapType::Concrete(index),
            _ => return Err(self.error("invalid heap type")),
        };
        if tag != 12 && index != 0 {
            return Err(self.error("invalid heap type"));
        }
        Ok(RefType { nullable, heap })
    }
}

/// A field type of the instruction table.
trait Field: Sized + Copy {
    fn write(self, w: &mut Writer);
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
    /// The value as an unsigned number, for the verifier's range checks.
    fn raw(self) -> u64;
}

macro_rules! int_field {
    ($($t:ty => $w:ident, $unsigned:ty;)*) => {$(
        impl Field for $t {
            #[inline]
            fn write(self, w: &mut Writer) {
                w.$w(self as $unsigned);
            }
            #[inline]
            fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                r.$w().map(|v| v as $t)
            }
            #[inline]
            fn raw(self) -> u64 {
                self as $unsigned as u64
            }
        }
    )*};
}

int_field! {
    u8 => u8, u8;
    u16 => u16, u16;
    u32 => u32, u32;
    i32 => u32, u32;
    u64 => u64, u64;
    i64 => u64, u64;
}

impl Field for Slot {
    #[inline]
    fn write(self, w: &mut Writer) {
        w.u16(self.0);
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u16().map(Slot)
    }
    #[inline]
    fn raw(self) -> u64 {
        u64::from(self.0)
    }
}

impl Field for Target {
    #[inline]
    fn write(self, w: &mut Writer) {
        w.u32(self.0);
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u32().map(Target)
    }
    #[inline]
    fn raw(self) -> u64 {
        u64::from(self.0)
    }
}

/// What the verifier checks about one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Rule {
    /// A frame slot; `wide` if it names a `v128` (two slots).
    Slot { wide: bool },
    /// A call's argument window: may equal `frame_slots`.
    Base,
    /// A branch target.
    Target,
    /// An index into one of the module's index spaces.
    Index(Space),
    /// A lane of a vector with this many lanes.
    Lane,
    /// Checked by the instruction-level rules, or any value is fine.
    Free,
}

/// A module index space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Space {
    Func,
    Global,
    Table,
    Memory,
    Type,
    Data,
    Elem,
    Tag,
    V128Const,
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn contains(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let mut i = 0;
    while i + n.len() <= h.len() {
        let mut j = 0;
        while j < n.len() && h[i + j] == n[j] {
            j += 1;
        }
        if j == n.len() {
            return true;
        }
        i += 1;
    }
    false
}

/// Whether slot field `field` of an instruction of `shape` named `text` holds a `v128`.
const fn is_wide(shape: &str, text: &str, field: &str) -> bool {
    if str_eq(shape, "v_binary")
        || str_eq(shape, "v_unary")
        || str_eq(shape, "v_ternary")
        || str_eq(shape, "v_shuffle")
    {
        true
    } else if str_eq(shape, "v_shift") {
        !str_eq(field, "rhs")
    } else if str_eq(shape, "v_test") || str_eq(shape, "v_extract") {
        str_eq(field, "src")
    } else if str_eq(shape, "v_splat") {
        str_eq(field, "dst")
    } else if str_eq(shape, "v_replace") || str_eq(shape, "v_load_lane") {
        str_eq(field, "dst") || str_eq(field, "src")
    } else if str_eq(shape, "v_store_lane") {
        str_eq(field, "value")
    } else if str_eq(shape, "other") || str_eq(shape, "load") || str_eq(shape, "store") {
        // copy128, select128, global.get128/set128, const.v128, v128.load*, v128.store.
        contains(text, "128") && !str_eq(field, "ptr") && !str_eq(field, "cond")
    } else if str_eq(shape, "unary")
        || str_eq(shape, "binary")
        || str_eq(shape, "binary_imm")
        || str_eq(shape, "branch_cmp")
        || str_eq(shape, "branch_cmp_imm")
        || str_eq(shape, "store_imm")
        || str_eq(shape, "load_add")
        || str_eq(shape, "store_add")
        || str_eq(shape, "store_imm_add")
    {
        false
    } else {
        panic!("serialize.rs: an instruction shape without a verifier rule")
    }
}

/// The verifier's rule for field `field: ty` of an instruction. Evaluated at compile time; a
/// field the table gains without a rule here stops the build.
#[doc(hidden)]
pub const fn rule(shape: &str, text: &str, field: &str, ty: &str) -> Rule {
    if str_eq(ty, "Slot") {
        if str_eq(field, "base") {
            return Rule::Base;
        }
        return Rule::Slot {
            wide: is_wide(shape, text, field),
        };
    }
    if str_eq(ty, "Target") {
        return Rule::Target;
    }
    if str_eq(field, "func") {
        Rule::Index(Space::Func)
    } else if str_eq(field, "global") {
        Rule::Index(Space::Global)
    } else if str_eq(field, "table") || str_eq(field, "dst_table") || str_eq(field, "src_table") {
        Rule::Index(Space::Table)
    } else if str_eq(field, "memory") || str_eq(field, "dst_memory") || str_eq(field, "src_memory")
    {
        Rule::Index(Space::Memory)
    } else if str_eq(field, "type_index") {
        Rule::Index(Space::Type)
    } else if str_eq(field, "data") {
        Rule::Index(Space::Data)
    } else if str_eq(field, "elem") {
        Rule::Index(Space::Elem)
    } else if str_eq(field, "tag") {
        Rule::Index(Space::Tag)
    } else if str_eq(field, "mask") || (str_eq(field, "index") && str_eq(ty, "u32")) {
        Rule::Index(Space::V128Const)
    } else if str_eq(field, "lane") {
        Rule::Lane
    } else if str_eq(field, "amount")
        || str_eq(field, "offset")
        || str_eq(field, "imm")
        || str_eq(field, "value")
        || str_eq(field, "bits")
        || str_eq(field, "len")
        || str_eq(field, "params")
    {
        // `len`, `params`: `br_table`, `copy_many` and the tail calls are checked as whole
        // instructions.
        Rule::Free
    } else {
        panic!("serialize.rs: an instruction field without a verifier rule")
    }
}

/// How many lanes the vector of a lane instruction named `text` has.
fn lanes_of(text: &str) -> u64 {
    if text.starts_with("i8x16")
        || text.starts_with("v128.load8_")
        || text.starts_with("v128.store8_")
    {
        16
    } else if text.starts_with("i16x8")
        || text.starts_with("v128.load16_")
        || text.starts_with("v128.store16_")
    {
        8
    } else if text.starts_with("i32x4")
        || text.starts_with("f32x4")
        || text.starts_with("v128.load32_")
        || text.starts_with("v128.store32_")
    {
        4
    } else {
        2
    }
}

macro_rules! define_codec {
    ($( $shape:ident $name:ident { $($field:ident : $ty:ty),* } $text:literal ;)*) => {
        /// Instruction numbers: positions in the table.
        #[allow(dead_code, clippy::upper_case_acronyms)]
        #[repr(u16)]
        enum Op { $( $name, )* }

        /// One decoder per instruction number.
        #[allow(clippy::type_complexity)]
        const DECODERS: &[fn(&mut Reader<'_>) -> Result<Instr, DecodeError>] = &[
            $( |_r| Ok(Instr::$name { $( $field: <$ty as Field>::read(_r)? ),* }), )*
        ];

        /// Appends `instr`'s encoding.
        pub fn encode_instr(instr: &Instr, w: &mut Writer) {
            match *instr {
                $( Instr::$name { $($field),* } => {
                    w.u16(Op::$name as u16);
                    $( Field::write($field, w); )*
                } )*
            }
        }

        /// Checks each field of `instr` (at `pc` of `func`) against its rule.
        #[allow(unused_variables)]
        fn verify_fields(cx: &FuncCx<'_>, pc: usize, instr: &Instr) -> Result<(), VerifyError> {
            match *instr {
                $( Instr::$name { $($field),* } => {
                    $( {
                        const RULE: Rule =
                            rule(stringify!($shape), $text, stringify!($field), stringify!($ty));
                        cx.check(pc, $text, stringify!($field), RULE, Field::raw($field))?;
                    } )*
                } )*
            }
            Ok(())
        }
    };
}

crate::for_each_instr!(define_codec);

/// Decodes one instruction.
pub fn decode_instr(r: &mut Reader<'_>) -> Result<Instr, DecodeError> {
    let op = r.u16()?;
    match DECODERS.get(usize::from(op)) {
        Some(decode) => decode(r),
        None => Err(r.error(format!("unknown instruction number {op}"))),
    }
}

/// Appends `func`'s encoding.
pub fn encode_func(func: &IrFunc, w: &mut Writer) {
    w.u32(func.func_index);
    w.u16(func.param_slots);
    w.u16(func.result_slots);
    w.u16(func.local_slots);
    w.u16(func.frame_slots);
    w.len(func.local_types.len());
    for &t in func.local_types.iter() {
        w.val_type(t);
    }
    w.len(func.v128_consts.len());
    for &c in func.v128_consts.iter() {
        w.u128(c);
    }
    w.len(func.instrs.len());
    for instr in func.instrs.iter() {
        encode_instr(instr, w);
    }
    w.len(func.handlers.len());
    for h in func.handlers.iter() {
        w.u32(h.start);
        w.u32(h.end);
        w.len(h.catches.len());
        for c in h.catches.iter() {
            w.u32(c.tag.unwrap_or(u32::MAX));
            w.u8(u8::from(c.with_ref));
            w.u16(c.dst.0);
            w.u16(c.slots);
            w.u32(c.target.0);
        }
    }
}

/// Decodes a function written by [`encode_func`]. The result is *not* verified: run
/// [`verify_func`] before executing it.
pub fn decode_func(r: &mut Reader<'_>) -> Result<IrFunc, DecodeError> {
    let func_index = r.u32()?;
    let param_slots = r.u16()?;
    let result_slots = r.u16()?;
    let local_slots = r.u16()?;
    let frame_slots = r.u16()?;
    let n = r.count(1)?;
    let local_types = (0..n).map(|_| r.val_type()).collect::<Result<_, _>>()?;
    let n = r.count(16)?;
    let v128_consts = (0..n).map(|_| r.u128()).collect::<Result<_, _>>()?;
    let n = r.count(2)?;
    let instrs = (0..n).map(|_| decode_instr(r)).collect::<Result<_, _>>()?;
    let n = r.count(12)?;
    let handlers = (0..n)
        .map(|_| decode_handler(r))
        .collect::<Result<_, _>>()?;
    Ok(IrFunc {
        func_index,
        instrs,
        v128_consts,
        param_slots,
        result_slots,
        local_slots,
        frame_slots,
        local_types,
        handlers,
    })
}

fn decode_handler(r: &mut Reader<'_>) -> Result<Handler, DecodeError> {
    let start = r.u32()?;
    let end = r.u32()?;
    let n = r.count(13)?;
    let catches = (0..n)
        .map(|_| {
            let tag = r.u32()?;
            Ok(CatchClause {
                tag: (tag != u32::MAX).then_some(tag),
                with_ref: r.bool()?,
                dst: Slot(r.u16()?),
                slots: r.u16()?,
                target: Target(r.u32()?),
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Handler {
        start,
        end,
        catches,
    })
}

/// The sizes of a module's index spaces, for [`verify_func`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ModuleShape<'a> {
    /// Functions (imported and defined).
    pub funcs: u32,
    /// Globals (imported and defined).
    pub globals: u32,
    /// Tables (imported and defined).
    pub tables: u32,
    /// Memories (imported and defined).
    pub memories: u32,
    /// Data segments.
    pub datas: u32,
    /// Element segments.
    pub elems: u32,
    /// Tags (imported and defined).
    pub tags: u32,
    /// For each type index, whether it is a function type (`call_indirect` needs one).
    pub func_types: &'a [bool],
}

struct FuncCx<'a> {
    func: &'a IrFunc,
    /// `None` for [`verify_frame`]: index spaces are not checked.
    module: Option<&'a ModuleShape<'a>>,
}

impl FuncCx<'_> {
    #[cold]
    fn fail(&self, pc: Option<usize>, message: String) -> VerifyError {
        VerifyError {
            func_index: self.func.func_index,
            pc,
            message,
        }
    }

    #[inline]
    fn check(
        &self,
        pc: usize,
        text: &str,
        field: &str,
        rule: Rule,
        v: u64,
    ) -> Result<(), VerifyError> {
        let frame = u64::from(self.func.frame_slots);
        let bad = |what: &str| Err(self.fail(Some(pc), format!("`{text}`: {field}={v} {what}")));
        match rule {
            Rule::Slot { wide } => {
                let end = v + 1 + u64::from(wide);
                if end > frame {
                    return bad(&format!("outside the frame of {frame} slots"));
                }
            }
            Rule::Base => {
                if v > frame {
                    return bad(&format!("outside the frame of {frame} slots"));
                }
            }
            Rule::Target => {
                if v >= self.func.instrs.len() as u64 {
                    return bad("is not an instruction of the function");
                }
            }
            Rule::Lane => {
                if v >= lanes_of(text) {
                    return bad("is not a lane of the vector");
                }
            }
            Rule::Index(space) => {
                let Some(m) = self.module else {
                    // `verify_frame`: only the function's own pool is known.
                    if space == Space::V128Const && v >= self.func.v128_consts.len() as u64 {
                        return bad("is not a v128 constant of the function");
                    }
                    return Ok(());
                };
                let (len, what) = match space {
                    Space::Func => (m.funcs.into(), "function"),
                    Space::Global => (m.globals.into(), "global"),
                    Space::Table => (m.tables.into(), "table"),
                    Space::Memory => (m.memories.into(), "memory"),
                    Space::Type => (m.func_types.len() as u64, "type"),
                    Space::Data => (m.datas.into(), "data segment"),
                    Space::Elem => (m.elems.into(), "element segment"),
                    Space::Tag => (m.tags.into(), "tag"),
                    Space::V128Const => (self.func.v128_consts.len() as u64, "v128 constant"),
                };
                if v >= len {
                    return bad(&format!("is not a {what} of the module ({len} exist)"));
                }
                if space == Space::Type && !m.func_types[v as usize] {
                    return bad("is not a function type");
                }
            }
            Rule::Free => {}
        }
        Ok(())
    }
}

/// Checks that `func` (the IR of defined function `func.func_index`, whose type takes
/// `param_slots` and returns `result_slots`) is safe for a backend to run in a module of this
/// shape. See the module documentation for what is checked.
pub fn verify_func(
    func: &IrFunc,
    module: &ModuleShape<'_>,
    param_slots: u16,
    result_slots: u16,
) -> Result<(), VerifyError> {
    let cx = FuncCx {
        func,
        module: Some(module),
    };
    if func.param_slots != param_slots || func.result_slots != result_slots {
        return Err(cx.fail(
            None,
            format!(
                "frame takes {}/{} parameter/result slots, its type {param_slots}/{result_slots}",
                func.param_slots, func.result_slots
            ),
        ));
    }
    verify_body(&cx)
}

/// Checks what an interpreter needs to run `func` without indexing out of its frame or its
/// code: everything [`verify_func`] checks except the module's index spaces and the function's
/// type (which the interpreter looks up with checked indexing). Linear in the function's size.
pub fn verify_frame(func: &IrFunc) -> Result<(), VerifyError> {
    verify_body(&FuncCx { func, module: None })
}

fn verify_body(cx: &FuncCx<'_>) -> Result<(), VerifyError> {
    let func = cx.func;
    let fail = |m: String| Err(cx.fail(None, m));
    if func.param_slots > func.local_slots
        || func.local_slots > func.frame_slots
        || func.result_slots > func.frame_slots
    {
        return fail(String::from("inconsistent frame layout"));
    }
    let local_slot_sum: u64 = func
        .local_types
        .iter()
        .map(|&t| u64::from(slots_of(t)))
        .sum();
    if local_slot_sum != u64::from(func.local_slots) {
        return fail(String::from("local types do not fill the local slots"));
    }
    let n = func.instrs.len();
    match func.instrs.last() {
        Some(
            Instr::Return {}
            | Instr::Br { .. }
            | Instr::Unreachable {}
            | Instr::Throw { .. }
            | Instr::ThrowRef { .. }
            | Instr::ReturnCall { .. }
            | Instr::ReturnCallIndirect { .. }
            | Instr::ReturnCallRef { .. },
        ) => {}
        _ => return fail(String::from("code can run past the last instruction")),
    }
    for (pc, instr) in func.instrs.iter().enumerate() {
        verify_fields(cx, pc, instr)?;
        match *instr {
            Instr::BrTable { len, .. } => {
                let entries = u64::from(len) + 1;
                if pc as u64 + 1 + entries > n as u64
                    || !func.instrs[pc + 1..pc + 1 + entries as usize]
                        .iter()
                        .all(|i| matches!(i, Instr::Br { .. }))
                {
                    return Err(cx.fail(
                        Some(pc),
                        format!("`br_table` is not followed by its {entries} `br`s"),
                    ));
                }
            }
            Instr::ReturnCall { base, params, .. }
            | Instr::ReturnCallIndirect { base, params, .. }
            | Instr::ReturnCallRef { base, params, .. }
                if u32::from(base.0) + u32::from(params) > u32::from(func.frame_slots) =>
            {
                return Err(cx.fail(
                    Some(pc),
                    String::from("a tail call's arguments leave the frame"),
                ));
            }
            Instr::CopyMany { dst, src, len } => {
                let end = u32::from(dst.0.max(src.0)) + u32::from(len);
                if end > u32::from(func.frame_slots) {
                    return Err(cx.fail(Some(pc), String::from("`copy_many` leaves the frame")));
                }
            }
            Instr::I8x16Shuffle { mask, .. } => {
                let lanes = func.v128_consts[mask as usize].to_le_bytes();
                if lanes.iter().any(|&l| l >= 32) {
                    return Err(cx.fail(Some(pc), String::from("shuffle lane out of range")));
                }
            }
            _ => {}
        }
    }
    verify_handlers(cx)
}

/// Every handler covers instructions of the function, and every clause lands on one with its
/// values inside the frame and (when the module is known) names one of its tags.
fn verify_handlers(cx: &FuncCx<'_>) -> Result<(), VerifyError> {
    let func = cx.func;
    let n = func.instrs.len() as u64;
    for (i, h) in func.handlers.iter().enumerate() {
        let fail = |m: &str| Err(cx.fail(None, format!("handler {i}: {m}")));
        if h.start > h.end || u64::from(h.end) > n {
            return fail("covers instructions outside the function");
        }
        for c in h.catches.iter() {
            if u64::from(c.target.0) >= n {
                return fail("lands outside the function");
            }
            if u32::from(c.dst.0) + u32::from(c.slots) > u32::from(func.frame_slots) {
                return fail("writes outside the frame");
            }
            if let (Some(tag), Some(m)) = (c.tag, cx.module) {
                if tag >= m.tags {
                    return fail("names a tag the module does not have");
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::boxed::Box;
    use alloc::vec;

    fn func(instrs: Vec<Instr>, frame: u16) -> IrFunc {
        IrFunc {
            func_index: 0,
            instrs: instrs.into_boxed_slice(),
            v128_consts: Box::new([0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100]),
            param_slots: 1,
            result_slots: 1,
            local_slots: 1,
            frame_slots: frame,
            local_types: Box::new([ValType::I32]),
            handlers: Box::new([]),
        }
    }

    fn shape() -> ModuleShape<'static> {
        ModuleShape {
            funcs: 1,
            globals: 1,
            tables: 1,
            memories: 1,
            datas: 0,
            elems: 0,
            tags: 0,
            func_types: &[true],
        }
    }

    #[test]
    fn every_instruction_number_round_trips() {
        // One instance of every table entry with distinct field values.
        macro_rules! all {
            ($( $shape:ident $name:ident { $($field:ident : $ty:ty),* } $text:literal ;)*) => {
                vec![$( Instr::$name { $($field: <$ty as Field>::read(&mut Reader::new(&[1, 2, 3, 4, 5, 6, 7, 8])).unwrap()),* }, )*]
            };
        }
        let instrs: Vec<Instr> = crate::for_each_instr!(all);
        let mut w = Writer::new();
        for i in &instrs {
            encode_instr(i, &mut w);
        }
        let mut r = Reader::new(&w.bytes);
        for i in &instrs {
            assert_eq!(&decode_instr(&mut r).unwrap(), i);
        }
        assert_eq!(r.remaining(), 0);
    }

    #[test]
    fn func_round_trips_and_verifies() {
        let f = func(
            vec![
                Instr::ConsumeFuel { amount: 3 },
                Instr::I32AddImm {
                    dst: Slot(0),
                    lhs: Slot(0),
                    imm: -1,
                },
                Instr::BrIfNez {
                    cond: Slot(0),
                    target: Target(0),
                },
                Instr::Return {},
            ],
            2,
        );
        let mut w = Writer::new();
        encode_func(&f, &mut w);
        let g = decode_func(&mut Reader::new(&w.bytes)).unwrap();
        assert_eq!(f, g);
        verify_func(&g, &shape(), 1, 1).unwrap();
        // Every truncation fails cleanly.
        for n in 0..w.bytes.len() {
            assert!(decode_func(&mut Reader::new(&w.bytes[..n])).is_err());
        }
    }

    #[test]
    fn verifier_refuses_out_of_range_operands() {
        let bad = [
            Instr::Copy {
                dst: Slot(2),
                src: Slot(0),
            },
            Instr::Copy128 {
                dst: Slot(1),
                src: Slot(0),
            },
            Instr::Br { target: Target(9) },
            Instr::Call {
                base: Slot(0),
                func: 1,
            },
            Instr::GlobalGet {
                dst: Slot(0),
                global: 1,
            },
            Instr::MemorySize {
                dst: Slot(0),
                memory: 1,
            },
            Instr::I32x4ExtractLane {
                dst: Slot(0),
                src: Slot(0),
                lane: 4,
            },
            Instr::ConstV128 {
                dst: Slot(0),
                index: 1,
            },
            Instr::DataDrop { data: 0 },
            Instr::BrTable {
                index: Slot(0),
                len: 3,
            },
            Instr::ReturnCall {
                base: Slot(1),
                params: 2,
                func: 0,
            },
            Instr::ReturnCallIndirect {
                base: Slot(0),
                index: Slot(0),
                params: 3,
                table: 0,
                type_index: 0,
            },
        ];
        for b in bad {
            let f = func(vec![b, Instr::Return {}], 2);
            let e = verify_func(&f, &shape(), 1, 1).unwrap_err();
            assert_eq!(e.pc, Some(0), "{b}: {e}");
        }
        // A tail call ends a function; its arguments may fill the frame.
        assert!(verify_func(
            &func(
                vec![Instr::ReturnCall {
                    base: Slot(1),
                    params: 1,
                    func: 0,
                }],
                2
            ),
            &shape(),
            1,
            1
        )
        .is_ok());
        // Falling off the end, and a signature mismatch.
        assert!(verify_func(
            &func(vec![Instr::Br { target: Target(0) }], 2),
            &shape(),
            1,
            1
        )
        .is_ok());
        assert!(verify_func(
            &func(vec![Instr::RefNull { dst: Slot(0) }], 2),
            &shape(),
            1,
            1
        )
        .is_err());
        assert!(verify_func(&func(vec![Instr::Return {}], 2), &shape(), 2, 1).is_err());
    }
}
