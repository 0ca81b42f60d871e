//! The signature table: every operator whose typing rule is a fixed `[t1*] -> [t2*]` with no
//! immediates to check (numeric, conversion, constant and SIMD arithmetic operators) maps to a
//! shared [`Sig`]. Everything else is typed by hand in `operators.rs`.

use strata_decoder::{Operator, ValType};

use ValType::{F32, F64, I32, I64, V128};

/// A fixed operator signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sig {
    /// Operand types, bottom to top.
    pub(crate) params: &'static [ValType],
    /// Result types.
    pub(crate) results: &'static [ValType],
}

const fn sig(params: &'static [ValType], results: &'static [ValType]) -> Sig {
    Sig { params, results }
}

const CONST_I32: Sig = sig(&[], &[I32]);
const CONST_I64: Sig = sig(&[], &[I64]);
const CONST_F32: Sig = sig(&[], &[F32]);
const CONST_F64: Sig = sig(&[], &[F64]);
const CONST_V128: Sig = sig(&[], &[V128]);

const I32_UN: Sig = sig(&[I32], &[I32]);
const I32_BIN: Sig = sig(&[I32, I32], &[I32]);
const I64_UN: Sig = sig(&[I64], &[I64]);
const I64_BIN: Sig = sig(&[I64, I64], &[I64]);
const I64_TEST: Sig = sig(&[I64], &[I32]);
const I64_REL: Sig = sig(&[I64, I64], &[I32]);
const F32_UN: Sig = sig(&[F32], &[F32]);
const F32_BIN: Sig = sig(&[F32, F32], &[F32]);
const F32_REL: Sig = sig(&[F32, F32], &[I32]);
const F64_UN: Sig = sig(&[F64], &[F64]);
const F64_BIN: Sig = sig(&[F64, F64], &[F64]);
const F64_REL: Sig = sig(&[F64, F64], &[I32]);

const I64_TO_I32: Sig = sig(&[I64], &[I32]);
const F32_TO_I32: Sig = sig(&[F32], &[I32]);
const F64_TO_I32: Sig = sig(&[F64], &[I32]);
const I32_TO_I64: Sig = sig(&[I32], &[I64]);
const F32_TO_I64: Sig = sig(&[F32], &[I64]);
const F64_TO_I64: Sig = sig(&[F64], &[I64]);
const I32_TO_F32: Sig = sig(&[I32], &[F32]);
const I64_TO_F32: Sig = sig(&[I64], &[F32]);
const F64_TO_F32: Sig = sig(&[F64], &[F32]);
const I32_TO_F64: Sig = sig(&[I32], &[F64]);
const I64_TO_F64: Sig = sig(&[I64], &[F64]);
const F32_TO_F64: Sig = sig(&[F32], &[F64]);

const V_UN: Sig = sig(&[V128], &[V128]);
const V_BIN: Sig = sig(&[V128, V128], &[V128]);
const V_TERN: Sig = sig(&[V128, V128, V128], &[V128]);
const V_TEST: Sig = sig(&[V128], &[I32]);
const V_SHIFT: Sig = sig(&[V128, I32], &[V128]);
const SPLAT_I32: Sig = sig(&[I32], &[V128]);
const SPLAT_I64: Sig = sig(&[I64], &[V128]);
const SPLAT_F32: Sig = sig(&[F32], &[V128]);
const SPLAT_F64: Sig = sig(&[F64], &[V128]);

/// The fixed signature of `op`, if its typing rule is one.
#[inline]
pub(crate) fn simple_sig(op: &Operator<'_>) -> Option<&'static Sig> {
    use Operator as O;
    Some(match op {
        O::I32Const { .. } => &CONST_I32,
        O::I64Const { .. } => &CONST_I64,
        O::F32Const { .. } => &CONST_F32,
        O::F64Const { .. } => &CONST_F64,
        O::V128Const { .. } => &CONST_V128,

        O::I32Eqz {}
        | O::I32Clz {}
        | O::I32Ctz {}
        | O::I32Popcnt {}
        | O::I32Extend8S {}
        | O::I32Extend16S {} => &I32_UN,
        O::I32Eq {}
        | O::I32Ne {}
        | O::I32LtS {}
        | O::I32LtU {}
        | O::I32GtS {}
        | O::I32GtU {}
        | O::I32LeS {}
        | O::I32LeU {}
        | O::I32GeS {}
        | O::I32GeU {}
        | O::I32Add {}
        | O::I32Sub {}
        | O::I32Mul {}
        | O::I32DivS {}
        | O::I32DivU {}
        | O::I32RemS {}
        | O::I32RemU {}
        | O::I32And {}
        | O::I32Or {}
        | O::I32Xor {}
        | O::I32Shl {}
        | O::I32ShrS {}
        | O::I32ShrU {}
        | O::I32Rotl {}
        | O::I32Rotr {} => &I32_BIN,

        O::I64Eqz {} => &I64_TEST,
        O::I64Clz {}
        | O::I64Ctz {}
        | O::I64Popcnt {}
        | O::I64Extend8S {}
        | O::I64Extend16S {}
        | O::I64Extend32S {} => &I64_UN,
        O::I64Eq {}
        | O::I64Ne {}
        | O::I64LtS {}
        | O::I64LtU {}
        | O::I64GtS {}
        | O::I64GtU {}
        | O::I64LeS {}
        | O::I64LeU {}
        | O::I64GeS {}
        | O::I64GeU {} => &I64_REL,
        O::I64Add {}
        | O::I64Sub {}
        | O::I64Mul {}
        | O::I64DivS {}
        | O::I64DivU {}
        | O::I64RemS {}
        | O::I64RemU {}
        | O::I64And {}
        | O::I64Or {}
        | O::I64Xor {}
        | O::I64Shl {}
        | O::I64ShrS {}
        | O::I64ShrU {}
        | O::I64Rotl {}
        | O::I64Rotr {} => &I64_BIN,

        O::F32Eq {} | O::F32Ne {} | O::F32Lt {} | O::F32Gt {} | O::F32Le {} | O::F32Ge {} => {
            &F32_REL
        }
        O::F32Abs {}
        | O::F32Neg {}
        | O::F32Ceil {}
        | O::F32Floor {}
        | O::F32Trunc {}
        | O::F32Nearest {}
        | O::F32Sqrt {} => &F32_UN,
        O::F32Add {}
        | O::F32Sub {}
        | O::F32Mul {}
        | O::F32Div {}
        | O::F32Min {}
        | O::F32Max {}
        | O::F32Copysign {} => &F32_BIN,

        O::F64Eq {} | O::F64Ne {} | O::F64Lt {} | O::F64Gt {} | O::F64Le {} | O::F64Ge {} => {
            &F64_REL
        }
        O::F64Abs {}
        | O::F64Neg {}
        | O::F64Ceil {}
        | O::F64Floor {}
        | O::F64Trunc {}
        | O::F64Nearest {}
        | O::F64Sqrt {} => &F64_UN,
        O::F64Add {}
        | O::F64Sub {}
        | O::F64Mul {}
        | O::F64Div {}
        | O::F64Min {}
        | O::F64Max {}
        | O::F64Copysign {} => &F64_BIN,

        O::I32WrapI64 {} => &I64_TO_I32,
        O::I32TruncF32S {}
        | O::I32TruncF32U {}
        | O::I32TruncSatF32S {}
        | O::I32TruncSatF32U {}
        | O::I32ReinterpretF32 {} => &F32_TO_I32,
        O::I32TruncF64S {} | O::I32TruncF64U {} | O::I32TruncSatF64S {} | O::I32TruncSatF64U {} => {
            &F64_TO_I32
        }
        O::I64ExtendI32S {} | O::I64ExtendI32U {} => &I32_TO_I64,
        O::I64TruncF32S {} | O::I64TruncF32U {} | O::I64TruncSatF32S {} | O::I64TruncSatF32U {} => {
            &F32_TO_I64
        }
        O::I64TruncF64S {}
        | O::I64TruncF64U {}
        | O::I64TruncSatF64S {}
        | O::I64TruncSatF64U {}
        | O::I64ReinterpretF64 {} => &F64_TO_I64,
        O::F32ConvertI32S {} | O::F32ConvertI32U {} | O::F32ReinterpretI32 {} => &I32_TO_F32,
        O::F32ConvertI64S {} | O::F32ConvertI64U {} => &I64_TO_F32,
        O::F32DemoteF64 {} => &F64_TO_F32,
        O::F64ConvertI32S {} | O::F64ConvertI32U {} => &I32_TO_F64,
        O::F64ConvertI64S {} | O::F64ConvertI64U {} | O::F64ReinterpretI64 {} => &I64_TO_F64,
        O::F64PromoteF32 {} => &F32_TO_F64,

        O::I8x16Splat {} | O::I16x8Splat {} | O::I32x4Splat {} => &SPLAT_I32,
        O::I64x2Splat {} => &SPLAT_I64,
        O::F32x4Splat {} => &SPLAT_F32,
        O::F64x2Splat {} => &SPLAT_F64,

        O::V128AnyTrue {}
        | O::I8x16AllTrue {}
        | O::I8x16Bitmask {}
        | O::I16x8AllTrue {}
        | O::I16x8Bitmask {}
        | O::I32x4AllTrue {}
        | O::I32x4Bitmask {}
        | O::I64x2AllTrue {}
        | O::I64x2Bitmask {} => &V_TEST,

        O::I8x16Shl {}
        | O::I8x16ShrS {}
        | O::I8x16ShrU {}
        | O::I16x8Shl {}
        | O::I16x8ShrS {}
        | O::I16x8ShrU {}
        | O::I32x4Shl {}
        | O::I32x4ShrS {}
        | O::I32x4ShrU {}
        | O::I64x2Shl {}
        | O::I64x2ShrS {}
        | O::I64x2ShrU {} => &V_SHIFT,

        O::V128Bitselect {}
        | O::F32x4RelaxedMadd {}
        | O::F32x4RelaxedNmadd {}
        | O::F64x2RelaxedMadd {}
        | O::F64x2RelaxedNmadd {}
        | O::I8x16RelaxedLaneselect {}
        | O::I16x8RelaxedLaneselect {}
        | O::I32x4RelaxedLaneselect {}
        | O::I64x2RelaxedLaneselect {}
        | O::I32x4RelaxedDotI8x16I7x16AddS {} => &V_TERN,

        O::V128Not {}
        | O::I8x16Abs {}
        | O::I8x16Neg {}
        | O::I8x16Popcnt {}
        | O::I16x8Abs {}
        | O::I16x8Neg {}
        | O::I32x4Abs {}
        | O::I32x4Neg {}
        | O::I64x2Abs {}
        | O::I64x2Neg {}
        | O::F32x4Abs {}
        | O::F32x4Neg {}
        | O::F32x4Sqrt {}
        | O::F32x4Ceil {}
        | O::F32x4Floor {}
        | O::F32x4Trunc {}
        | O::F32x4Nearest {}
        | O::F64x2Abs {}
        | O::F64x2Neg {}
        | O::F64x2Sqrt {}
        | O::F64x2Ceil {}
        | O::F64x2Floor {}
        | O::F64x2Trunc {}
        | O::F64x2Nearest {}
        | O::I16x8ExtAddPairwiseI8x16S {}
        | O::I16x8ExtAddPairwiseI8x16U {}
        | O::I32x4ExtAddPairwiseI16x8S {}
        | O::I32x4ExtAddPairwiseI16x8U {}
        | O::I16x8ExtendLowI8x16S {}
        | O::I16x8ExtendHighI8x16S {}
        | O::I16x8ExtendLowI8x16U {}
        | O::I16x8ExtendHighI8x16U {}
        | O::I32x4ExtendLowI16x8S {}
        | O::I32x4ExtendHighI16x8S {}
        | O::I32x4ExtendLowI16x8U {}
        | O::I32x4ExtendHighI16x8U {}
        | O::I64x2ExtendLowI32x4S {}
        | O::I64x2ExtendHighI32x4S {}
        | O::I64x2ExtendLowI32x4U {}
        | O::I64x2ExtendHighI32x4U {}
        | O::I32x4TruncSatF32x4S {}
        | O::I32x4TruncSatF32x4U {}
        | O::F32x4ConvertI32x4S {}
        | O::F32x4ConvertI32x4U {}
        | O::I32x4TruncSatF64x2SZero {}
        | O::I32x4TruncSatF64x2UZero {}
        | O::F64x2ConvertLowI32x4S {}
        | O::F64x2ConvertLowI32x4U {}
        | O::F32x4DemoteF64x2Zero {}
        | O::F64x2PromoteLowF32x4 {}
        | O::I32x4RelaxedTruncF32x4S {}
        | O::I32x4RelaxedTruncF32x4U {}
        | O::I32x4RelaxedTruncF64x2SZero {}
        | O::I32x4RelaxedTruncF64x2UZero {} => &V_UN,

        O::I8x16Swizzle {}
        | O::I8x16RelaxedSwizzle {}
        | O::V128And {}
        | O::V128AndNot {}
        | O::V128Or {}
        | O::V128Xor {}
        | O::I8x16Eq {}
        | O::I8x16Ne {}
        | O::I8x16LtS {}
        | O::I8x16LtU {}
        | O::I8x16GtS {}
        | O::I8x16GtU {}
        | O::I8x16LeS {}
        | O::I8x16LeU {}
        | O::I8x16GeS {}
        | O::I8x16GeU {}
        | O::I16x8Eq {}
        | O::I16x8Ne {}
        | O::I16x8LtS {}
        | O::I16x8LtU {}
        | O::I16x8GtS {}
        | O::I16x8GtU {}
        | O::I16x8LeS {}
        | O::I16x8LeU {}
        | O::I16x8GeS {}
        | O::I16x8GeU {}
        | O::I32x4Eq {}
        | O::I32x4Ne {}
        | O::I32x4LtS {}
        | O::I32x4LtU {}
        | O::I32x4GtS {}
        | O::I32x4GtU {}
        | O::I32x4LeS {}
        | O::I32x4LeU {}
        | O::I32x4GeS {}
        | O::I32x4GeU {}
        | O::I64x2Eq {}
        | O::I64x2Ne {}
        | O::I64x2LtS {}
        | O::I64x2GtS {}
        | O::I64x2LeS {}
        | O::I64x2GeS {}
        | O::F32x4Eq {}
        | O::F32x4Ne {}
        | O::F32x4Lt {}
        | O::F32x4Gt {}
        | O::F32x4Le {}
        | O::F32x4Ge {}
        | O::F64x2Eq {}
        | O::F64x2Ne {}
        | O::F64x2Lt {}
        | O::F64x2Gt {}
        | O::F64x2Le {}
        | O::F64x2Ge {}
        | O::I8x16NarrowI16x8S {}
        | O::I8x16NarrowI16x8U {}
        | O::I8x16Add {}
        | O::I8x16AddSatS {}
        | O::I8x16AddSatU {}
        | O::I8x16Sub {}
        | O::I8x16SubSatS {}
        | O::I8x16SubSatU {}
        | O::I8x16MinS {}
        | O::I8x16MinU {}
        | O::I8x16MaxS {}
        | O::I8x16MaxU {}
        | O::I8x16AvgrU {}
        | O::I16x8Q15MulrSatS {}
        | O::I16x8NarrowI32x4S {}
        | O::I16x8NarrowI32x4U {}
        | O::I16x8Add {}
        | O::I16x8AddSatS {}
        | O::I16x8AddSatU {}
        | O::I16x8Sub {}
        | O::I16x8SubSatS {}
        | O::I16x8SubSatU {}
        | O::I16x8Mul {}
        | O::I16x8MinS {}
        | O::I16x8MinU {}
        | O::I16x8MaxS {}
        | O::I16x8MaxU {}
        | O::I16x8AvgrU {}
        | O::I16x8ExtMulLowI8x16S {}
        | O::I16x8ExtMulHighI8x16S {}
        | O::I16x8ExtMulLowI8x16U {}
        | O::I16x8ExtMulHighI8x16U {}
        | O::I32x4Add {}
        | O::I32x4Sub {}
        | O::I32x4Mul {}
        | O::I32x4MinS {}
        | O::I32x4MinU {}
        | O::I32x4MaxS {}
        | O::I32x4MaxU {}
        | O::I32x4DotI16x8S {}
        | O::I32x4ExtMulLowI16x8S {}
        | O::I32x4ExtMulHighI16x8S {}
        | O::I32x4ExtMulLowI16x8U {}
        | O::I32x4ExtMulHighI16x8U {}
        | O::I64x2Add {}
        | O::I64x2Sub {}
        | O::I64x2Mul {}
        | O::I64x2ExtMulLowI32x4S {}
        | O::I64x2ExtMulHighI32x4S {}
        | O::I64x2ExtMulLowI32x4U {}
        | O::I64x2ExtMulHighI32x4U {}
        | O::F32x4Add {}
        | O::F32x4Sub {}
        | O::F32x4Mul {}
        | O::F32x4Div {}
        | O::F32x4Min {}
        | O::F32x4Max {}
        | O::F32x4PMin {}
        | O::F32x4PMax {}
        | O::F64x2Add {}
        | O::F64x2Sub {}
        | O::F64x2Mul {}
        | O::F64x2Div {}
        | O::F64x2Min {}
        | O::F64x2Max {}
        | O::F64x2PMin {}
        | O::F64x2PMax {}
        | O::F32x4RelaxedMin {}
        | O::F32x4RelaxedMax {}
        | O::F64x2RelaxedMin {}
        | O::F64x2RelaxedMax {}
        | O::I16x8RelaxedQ15mulrS {}
        | O::I16x8RelaxedDotI8x16I7x16S {} => &V_BIN,

        _ => return None,
    })
}
