//! Property tests: random well-formed modules are built as a model, encoded with `wasm-encoder`,
//! decoded, and compared with the model field by field and operator by operator. A second set of
//! properties feeds the decoder truncated, mutated and arbitrary bytes: it must never panic, and
//! every error must point inside the input.

use std::borrow::Cow;
use std::collections::BTreeMap;

use proptest::prelude::*;
use strata_decoder as sd;
use wasm_encoder as we;

// ---- the model -------------------------------------------------------------------------

/// A value type the generator uses.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Vt {
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
}

impl Vt {
    fn enc(self) -> we::ValType {
        match self {
            Vt::I32 => we::ValType::I32,
            Vt::I64 => we::ValType::I64,
            Vt::F32 => we::ValType::F32,
            Vt::F64 => we::ValType::F64,
            Vt::V128 => we::ValType::V128,
            Vt::FuncRef => we::ValType::FUNCREF,
            Vt::ExternRef => we::ValType::EXTERNREF,
        }
    }

    fn dec(self) -> sd::ValType {
        match self {
            Vt::I32 => sd::ValType::I32,
            Vt::I64 => sd::ValType::I64,
            Vt::F32 => sd::ValType::F32,
            Vt::F64 => sd::ValType::F64,
            Vt::V128 => sd::ValType::V128,
            Vt::FuncRef => sd::ValType::FUNCREF,
            Vt::ExternRef => sd::ValType::EXTERNREF,
        }
    }
}

/// A memory access immediate.
#[derive(Debug, Clone, Copy)]
struct Mem {
    align: u32,
    offset: u64,
    memory: u32,
}

impl Mem {
    fn enc(self) -> we::MemArg {
        we::MemArg {
            offset: self.offset,
            align: self.align,
            target: we::MemArgTarget::Memory(self.memory),
            ordering: None,
        }
    }

    fn dec(self) -> sd::MemArg {
        sd::MemArg {
            align: self.align,
            offset: self.offset,
            memory: self.memory,
        }
    }
}

/// One generated operator.
#[derive(Debug, Clone)]
enum Op {
    /// An operator without immediates: an index into [`plain_ops`].
    Plain(usize),
    /// A memory access: an index into [`mem_ops`].
    MemAccess(usize, Mem),
    /// A SIMD lane operator: an index into [`lane_ops`].
    Lane(usize, u8),
    /// A SIMD lane load or store: an index into [`lane_mem_ops`].
    LaneMem(usize, Mem, u8),
    I32Const(i32),
    I64Const(i64),
    F32Const(u32),
    F64Const(u64),
    V128Const(u128),
    Shuffle([u8; 16]),
    /// `local.get`, `local.set`, `local.tee` (0, 1, 2).
    Local(u8, u32),
    /// `global.get`, `global.set` (0, 1).
    Global(u8, u32),
    Call(u32),
    CallIndirect(u32, u32),
    Br(u32),
    BrIf(u32),
    BrTable(Vec<u32>, u32),
    /// `block`, `loop`, `if` (0, 1, 2) with a block type; the generator closes it with `end`.
    Block(u8, Option<BlockTy>),
    /// `memory.size`, `memory.grow`, `memory.fill` (0, 1, 2).
    MemIdx(u8, u32),
    MemoryInit(u32, u32),
    DataDrop(u32),
    MemoryCopy(u32, u32),
    /// `table.get`, `.set`, `.grow`, `.size`, `.fill` (0..5).
    TableIdx(u8, u32),
    TableCopy(u32, u32),
    TableInit(u32, u32),
    ElemDrop(u32),
    RefNull(bool),
    RefFunc(u32),
    TypedSelect(Vt),
    /// `return_call` (3.0 only).
    ReturnCall(u32),
}

/// A block type: a value type or a type index.
#[derive(Debug, Clone, Copy)]
enum BlockTy {
    Val(Vt),
    Index(u32),
}

impl BlockTy {
    fn enc(bt: Option<BlockTy>) -> we::BlockType {
        match bt {
            None => we::BlockType::Empty,
            Some(BlockTy::Val(v)) => we::BlockType::Result(v.enc()),
            Some(BlockTy::Index(i)) => we::BlockType::FunctionType(i),
        }
    }

    fn dec(bt: Option<BlockTy>) -> sd::BlockType {
        match bt {
            None => sd::BlockType::Empty,
            Some(BlockTy::Val(v)) => sd::BlockType::Value(v.dec()),
            Some(BlockTy::Index(i)) => sd::BlockType::FuncType(i),
        }
    }
}

macro_rules! op_table {
    ($(#[$m:meta])* $fn:ident, ($($arg:ident: $ty:ty),*), $enc:expr, $dec:expr; $($name:ident)*) => {
        $(#[$m])*
        #[allow(clippy::type_complexity)]
        fn $fn() -> Vec<(
            &'static str,
            fn($($ty),*) -> we::Instruction<'static>,
            fn($($ty),*) -> sd::Operator<'static>,
        )> {
            vec![$((
                stringify!($name),
                |$($arg: $ty),*| { use we::Instruction::*; let f = $enc; f($name) },
                |$($arg: $ty),*| { use sd::Operator::*; let f = $dec; f($name) },
            )),*]
        }
    };
}

/// Builds the `we::Instruction` and `sd::Operator` of an operator without immediates.
macro_rules! plain_table {
    ($($name:ident)*) => {
        /// Operators without immediates, as (name, encoder instruction, expected operator).
        fn plain_ops() -> Vec<(&'static str, we::Instruction<'static>, sd::Operator<'static>)> {
            vec![$((stringify!($name), we::Instruction::$name, sd::Operator::$name {})),*]
        }
    };
}

plain_table! {
    Unreachable Nop Return Drop Select I32Eqz I32Eq I32Ne I32LtS I32LtU I32GtS I32GtU I32LeS
    I32LeU I32GeS I32GeU I64Eqz I64Eq I64Ne I64LtS F32Eq F32Ne F32Lt F64Ge I32Clz I32Ctz
    I32Popcnt I32Add I32Sub I32Mul I32DivS I32DivU I32RemS I32RemU I32And I32Or I32Xor I32Shl
    I32ShrS I32ShrU I32Rotl I32Rotr I64Clz I64Add I64Sub I64Mul I64DivS I64DivU I64RemU I64And
    I64Or I64Xor I64Shl I64ShrS I64ShrU I64Rotl I64Rotr F32Abs F32Neg F32Ceil F32Floor F32Trunc
    F32Nearest F32Sqrt F32Add F32Sub F32Mul F32Div F32Min F32Max F32Copysign F64Abs F64Neg
    F64Sqrt F64Add F64Sub F64Mul F64Div F64Min F64Max F64Copysign I32WrapI64 I32TruncF32S
    I32TruncF64U I64ExtendI32S I64ExtendI32U I64TruncF64S F32ConvertI32S F32DemoteF64
    F64ConvertI64U F64PromoteF32 I32ReinterpretF32 I64ReinterpretF64 F32ReinterpretI32
    F64ReinterpretI64 I32Extend8S I32Extend16S I64Extend8S I64Extend16S I64Extend32S RefIsNull
    I32TruncSatF32S I32TruncSatF32U I32TruncSatF64S I32TruncSatF64U I64TruncSatF32S
    I64TruncSatF32U I64TruncSatF64S I64TruncSatF64U I8x16Swizzle I8x16Splat I16x8Splat
    I32x4Splat I64x2Splat F32x4Splat F64x2Splat I8x16Eq I8x16Ne I8x16LtS I16x8GeU I32x4Eq
    F32x4Eq F64x2Ge V128Not V128And V128AndNot V128Or V128Xor V128Bitselect V128AnyTrue
    F32x4DemoteF64x2Zero F64x2PromoteLowF32x4 I8x16Abs I8x16Neg I8x16Popcnt I8x16AllTrue
    I8x16Bitmask I8x16NarrowI16x8S I8x16NarrowI16x8U F32x4Ceil I8x16Shl I8x16ShrS I8x16Add
    I8x16AddSatS I8x16SubSatU F64x2Ceil I8x16MinS I8x16MaxU F64x2Trunc I8x16AvgrU
    I16x8ExtAddPairwiseI8x16S I32x4ExtAddPairwiseI16x8U I16x8Abs I16x8Q15MulrSatS
    I16x8AllTrue I16x8Bitmask I16x8NarrowI32x4S I16x8ExtendLowI8x16S I16x8ExtendHighI8x16U
    I16x8Shl I16x8Add I16x8SubSatS F64x2Nearest I16x8Mul I16x8MaxU I16x8AvgrU
    I16x8ExtMulLowI8x16S I16x8ExtMulHighI8x16U I32x4Abs I32x4Neg I32x4AllTrue I32x4Bitmask
    I32x4ExtendLowI16x8S I32x4ExtendHighI16x8U I32x4Shl I32x4ShrU I32x4Add I32x4Sub I32x4Mul
    I32x4MinS I32x4MaxU I32x4DotI16x8S I32x4ExtMulLowI16x8S I32x4ExtMulHighI16x8U I64x2Abs
    I64x2Neg I64x2AllTrue I64x2Bitmask I64x2ExtendLowI32x4S I64x2ExtendHighI32x4U I64x2Shl
    I64x2ShrS I64x2Add I64x2Sub I64x2Mul I64x2Eq I64x2Ne I64x2LtS I64x2GeS
    I64x2ExtMulLowI32x4S I64x2ExtMulHighI32x4U F32x4Abs F32x4Neg F32x4Sqrt F32x4Add F32x4Div
    F32x4Min F32x4Max F32x4PMin F32x4PMax F64x2Abs F64x2Sqrt F64x2Add F64x2Mul F64x2PMax
    I32x4TruncSatF32x4S I32x4TruncSatF32x4U F32x4ConvertI32x4S F32x4ConvertI32x4U
    I32x4TruncSatF64x2SZero I32x4TruncSatF64x2UZero F64x2ConvertLowI32x4S
    F64x2ConvertLowI32x4U
}

/// Relaxed SIMD operators without immediates (3.0 only), as (encoder, expected).
fn relaxed_ops() -> Vec<(we::Instruction<'static>, sd::Operator<'static>)> {
    use sd::Operator as O;
    use we::Instruction as I;
    vec![
        (I::I8x16RelaxedSwizzle, O::I8x16RelaxedSwizzle {}),
        (I::I32x4RelaxedTruncF32x4S, O::I32x4RelaxedTruncF32x4S {}),
        (I::F32x4RelaxedMadd, O::F32x4RelaxedMadd {}),
        (I::F64x2RelaxedNmadd, O::F64x2RelaxedNmadd {}),
        (I::I64x2RelaxedLaneselect, O::I64x2RelaxedLaneselect {}),
        (I::F64x2RelaxedMax, O::F64x2RelaxedMax {}),
        (I::I16x8RelaxedQ15mulrS, O::I16x8RelaxedQ15mulrS {}),
        (
            I::I32x4RelaxedDotI8x16I7x16AddS,
            O::I32x4RelaxedDotI8x16I7x16AddS {},
        ),
    ]
}

op_table! {
    /// Memory accesses, as (name, encoder, expected), with the natural alignment's log2 unused.
    mem_ops, (m: Mem), |f: fn(we::MemArg) -> we::Instruction<'static>| f(m.enc()),
    |f: fn(sd::MemArg) -> sd::Operator<'static>| f(m.dec());
    I32Load I64Load F32Load F64Load I32Load8S I32Load8U I32Load16S I32Load16U I64Load8S
    I64Load8U I64Load16S I64Load16U I64Load32S I64Load32U I32Store I64Store F32Store F64Store
    I32Store8 I32Store16 I64Store8 I64Store16 I64Store32 V128Load V128Load8x8S V128Load8x8U
    V128Load16x4S V128Load32x2U V128Load8Splat V128Load16Splat V128Load32Splat
    V128Load64Splat V128Store V128Load32Zero V128Load64Zero
}

/// The encoder's constructors for memory accesses (tuple variants) and strata's (struct
/// variants) differ in shape; these adapters give both the `fn(MemArg) -> _` shape.
mod shapes {}

op_table! {
    /// SIMD lane operators, as (name, encoder, expected).
    lane_ops, (l: u8), |f: fn(u8) -> we::Instruction<'static>| f(l),
    |f: fn(u8) -> sd::Operator<'static>| f(l);
    I8x16ExtractLaneS I8x16ExtractLaneU I8x16ReplaceLane I16x8ExtractLaneS I16x8ExtractLaneU
    I16x8ReplaceLane I32x4ExtractLane I32x4ReplaceLane I64x2ExtractLane I64x2ReplaceLane
    F32x4ExtractLane F32x4ReplaceLane F64x2ExtractLane F64x2ReplaceLane
}
