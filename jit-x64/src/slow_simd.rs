//! The slow path for SIMD instructions: the interpreter's dispatch arms and lane semantics
//! (`strata_interp::simd`), applied to a JIT frame. The arms below are the interpreter's,
//! copied verbatim so both engines agree bit for bit; only the slot macros differ.

use strata_interp::simd;
use strata_ir::{Instr, IrFunc, Slot};
use strata_vm::{InstanceAddr, StoreInner, UntypedVal};

use crate::slow::Outcome;

/// Runs SIMD instruction `instr` (of `code`, running in `inst`) on `frame`.
#[allow(clippy::too_many_lines)]
pub(crate) fn exec(
    store: &mut StoreInner,
    inst: InstanceAddr,
    frame: &mut [UntypedVal],
    code: &IrFunc,
    instr: Instr,
) -> Outcome {
    macro_rules! get {
        ($s:expr) => {
            frame[Slot::index($s)]
        };
    }
    macro_rules! set {
        ($s:expr, $v:expr) => {{
            let v = $v;
            frame[Slot::index($s)] = v;
        }};
    }
    macro_rules! trap {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(code) => return Outcome::Trap(code),
            }
        };
    }
    macro_rules! memory {
        ($m:expr) => {{
            let addr = store.instance(inst).memories[$m as usize].index();
            &mut store.memories[addr]
        }};
    }
    macro_rules! get128 {
        ($s:expr) => {{
            let i = Slot::index($s);
            UntypedVal::to_v128([frame[i], frame[i + 1]])
        }};
    }
    macro_rules! set128 {
        ($s:expr, $v:expr) => {{
            let [lo, hi] = UntypedVal::from_v128($v);
            let i = Slot::index($s);
            frame[i] = lo;
            frame[i + 1] = hi;
        }};
    }
    macro_rules! v_un {
        ($dst:expr, $src:expr, $f:expr) => {{
            let a = get128!($src);
            set128!($dst, $f(a))
        }};
    }
    macro_rules! v_bin {
        ($dst:expr, $lhs:expr, $rhs:expr, $f:expr) => {{
            let a = get128!($lhs);
            let b = get128!($rhs);
            set128!($dst, $f(a, b))
        }};
    }
    macro_rules! v_ternary {
        ($dst:expr, $a:expr, $b:expr, $c:expr, $f:expr) => {{
            let a = get128!($a);
            let b = get128!($b);
            let c = get128!($c);
            set128!($dst, $f(a, b, c))
        }};
    }
    macro_rules! v_shift {
        ($dst:expr, $lhs:expr, $rhs:expr, $f:expr) => {{
            let a = get128!($lhs);
            let n = get!($rhs).to_u32();
            set128!($dst, $f(a, n))
        }};
    }
    macro_rules! v_shuffle {
        ($dst:expr, $lhs:expr, $rhs:expr, $mask:expr) => {{
            let a = get128!($lhs);
            let b = get128!($rhs);
            set128!(
                $dst,
                simd::i8x16_shuffle(a, b, code.v128_consts[$mask as usize])
            )
        }};
    }
    macro_rules! v_test {
        ($dst:expr, $src:expr, $f:expr) => {{
            let a = get128!($src);
            set!($dst, UntypedVal::from_i32($f(a)))
        }};
    }
    macro_rules! v_splat {
        ($dst:expr, $src:expr, $to:ident, $f:expr) => {{
            let x = get!($src).$to();
            set128!($dst, $f(x))
        }};
    }
    macro_rules! v_extract {
        ($dst:expr, $src:expr, $lane:expr, $from:ident, $f:expr) => {{
            let a = get128!($src);
            set!($dst, UntypedVal::$from($f(a, $lane)))
        }};
    }
    macro_rules! v_replace {
        ($dst:expr, $src:expr, $value:expr, $lane:expr, $to:ident, $f:expr) => {{
            let a = get128!($src);
            let x = get!($value).$to();
            set128!($dst, $f(a, $lane, x))
        }};
    }
    macro_rules! v_load {
        ($dst:expr, $ptr:expr, $m:expr, $off:expr, $ty:ty, $f:expr) => {{
            let addr = u64::from(get!($ptr).to_u32());
            let x: $ty = trap!(memory!($m).load::<$ty>(addr, u64::from($off)));
            set128!($dst, $f(x))
        }};
    }
    macro_rules! v_load_lane {
        ($dst:expr, $ptr:expr, $src:expr, $m:expr, $lane:expr, $off:expr, $ty:ty, $f:expr) => {{
            let addr = u64::from(get!($ptr).to_u32());
            let a = get128!($src);
            let x: $ty = trap!(memory!($m).load::<$ty>(addr, u64::from($off)));
            set128!($dst, $f(a, $lane, x))
        }};
    }
    macro_rules! v_store {
        ($ptr:expr, $value:expr, $m:expr, $off:expr) => {{
            let addr = u64::from(get!($ptr).to_u32());
            let v = get128!($value);
            trap!(memory!($m).store::<u128>(addr, u64::from($off), v))
        }};
    }
    macro_rules! v_store_lane {
        ($ptr:expr, $value:expr, $m:expr, $lane:expr, $off:expr, $ty:ty, $f:expr) => {{
            let addr = u64::from(get!($ptr).to_u32());
            let x: $ty = $f(get128!($value), $lane);
            trap!(memory!($m).store::<$ty>(addr, u64::from($off), x))
        }};
    }

    match instr {
        // ---- simd ----
        Instr::V128Load {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u128, core::convert::identity),
        Instr::V128Load8x8S {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u64, simd::load8x8_s),
        Instr::V128Load8x8U {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u64, simd::load8x8_u),
        Instr::V128Load16x4S {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u64, simd::load16x4_s),
        Instr::V128Load16x4U {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u64, simd::load16x4_u),
        Instr::V128Load32x2S {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u64, simd::load32x2_s),
        Instr::V128Load32x2U {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u64, simd::load32x2_u),
        Instr::V128Load8Splat {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u8, simd::load8_splat),
        Instr::V128Load16Splat {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u16, simd::load16_splat),
        Instr::V128Load32Splat {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u32, simd::load32_splat),
        Instr::V128Load64Splat {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u64, simd::load64_splat),
        Instr::V128Store {
            ptr,
            value,
            memory,
            offset,
        } => v_store!(ptr, value, memory, offset),
        Instr::I8x16Shuffle {
            dst,
            lhs,
            rhs,
            mask,
        } => v_shuffle!(dst, lhs, rhs, mask),
        Instr::I8x16Swizzle { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_swizzle),
        Instr::I8x16Splat { dst, src } => v_splat!(dst, src, to_u32, simd::i8x16_splat),
        Instr::I16x8Splat { dst, src } => v_splat!(dst, src, to_u32, simd::i16x8_splat),
        Instr::I32x4Splat { dst, src } => v_splat!(dst, src, to_u32, simd::i32x4_splat),
        Instr::I64x2Splat { dst, src } => v_splat!(dst, src, to_u64, simd::i64x2_splat),
        Instr::F32x4Splat { dst, src } => v_splat!(dst, src, to_u32, simd::i32x4_splat),
        Instr::F64x2Splat { dst, src } => v_splat!(dst, src, to_u64, simd::i64x2_splat),
        Instr::I8x16ExtractLaneS { dst, src, lane } => {
            v_extract!(dst, src, lane, from_i32, simd::i8x16_extract_lane_s)
        }
        Instr::I8x16ExtractLaneU { dst, src, lane } => {
            v_extract!(dst, src, lane, from_i32, simd::i8x16_extract_lane_u)
        }
        Instr::I8x16ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace!(dst, src, value, lane, to_u32, simd::i8x16_replace_lane),
        Instr::I16x8ExtractLaneS { dst, src, lane } => {
            v_extract!(dst, src, lane, from_i32, simd::i16x8_extract_lane_s)
        }
        Instr::I16x8ExtractLaneU { dst, src, lane } => {
            v_extract!(dst, src, lane, from_i32, simd::i16x8_extract_lane_u)
        }
        Instr::I16x8ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace!(dst, src, value, lane, to_u32, simd::i16x8_replace_lane),
        Instr::I32x4ExtractLane { dst, src, lane } => {
            v_extract!(dst, src, lane, from_u32, simd::i32x4_extract_lane)
        }
        Instr::I32x4ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace!(dst, src, value, lane, to_u32, simd::i32x4_replace_lane),
        Instr::I64x2ExtractLane { dst, src, lane } => {
            v_extract!(dst, src, lane, from_u64, simd::i64x2_extract_lane)
        }
        Instr::I64x2ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace!(dst, src, value, lane, to_u64, simd::i64x2_replace_lane),
        Instr::F32x4ExtractLane { dst, src, lane } => {
            v_extract!(dst, src, lane, from_u32, simd::i32x4_extract_lane)
        }
        Instr::F32x4ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace!(dst, src, value, lane, to_u32, simd::i32x4_replace_lane),
        Instr::F64x2ExtractLane { dst, src, lane } => {
            v_extract!(dst, src, lane, from_u64, simd::i64x2_extract_lane)
        }
        Instr::F64x2ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace!(dst, src, value, lane, to_u64, simd::i64x2_replace_lane),
        Instr::I8x16Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_eq),
        Instr::I8x16Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_ne),
        Instr::I8x16LtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_lt_s),
        Instr::I8x16LtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_lt_u),
        Instr::I8x16GtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_gt_s),
        Instr::I8x16GtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_gt_u),
        Instr::I8x16LeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_le_s),
        Instr::I8x16LeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_le_u),
        Instr::I8x16GeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_ge_s),
        Instr::I8x16GeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_ge_u),
        Instr::I16x8Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_eq),
        Instr::I16x8Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_ne),
        Instr::I16x8LtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_lt_s),
        Instr::I16x8LtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_lt_u),
        Instr::I16x8GtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_gt_s),
        Instr::I16x8GtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_gt_u),
        Instr::I16x8LeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_le_s),
        Instr::I16x8LeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_le_u),
        Instr::I16x8GeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_ge_s),
        Instr::I16x8GeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_ge_u),
        Instr::I32x4Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_eq),
        Instr::I32x4Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_ne),
        Instr::I32x4LtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_lt_s),
        Instr::I32x4LtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_lt_u),
        Instr::I32x4GtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_gt_s),
        Instr::I32x4GtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_gt_u),
        Instr::I32x4LeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_le_s),
        Instr::I32x4LeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_le_u),
        Instr::I32x4GeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_ge_s),
        Instr::I32x4GeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_ge_u),
        Instr::F32x4Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_eq),
        Instr::F32x4Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_ne),
        Instr::F32x4Lt { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_lt),
        Instr::F32x4Gt { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_gt),
        Instr::F32x4Le { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_le),
        Instr::F32x4Ge { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_ge),
        Instr::F64x2Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_eq),
        Instr::F64x2Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_ne),
        Instr::F64x2Lt { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_lt),
        Instr::F64x2Gt { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_gt),
        Instr::F64x2Le { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_le),
        Instr::F64x2Ge { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_ge),
        Instr::V128Not { dst, src } => v_un!(dst, src, simd::v128_not),
        Instr::V128And { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::v128_and),
        Instr::V128AndNot { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::v128_andnot),
        Instr::V128Or { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::v128_or),
        Instr::V128Xor { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::v128_xor),
        Instr::V128Bitselect { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::v128_bitselect)
        }
        Instr::V128AnyTrue { dst, src } => v_test!(dst, src, simd::v128_any_true),
        Instr::V128Load8Lane {
            dst,
            ptr,
            src,
            memory,
            lane,
            offset,
        } => v_load_lane!(dst, ptr, src, memory, lane, offset, u8, simd::load8_lane),
        Instr::V128Load16Lane {
            dst,
            ptr,
            src,
            memory,
            lane,
            offset,
        } => v_load_lane!(dst, ptr, src, memory, lane, offset, u16, simd::load16_lane),
        Instr::V128Load32Lane {
            dst,
            ptr,
            src,
            memory,
            lane,
            offset,
        } => v_load_lane!(dst, ptr, src, memory, lane, offset, u32, simd::load32_lane),
        Instr::V128Load64Lane {
            dst,
            ptr,
            src,
            memory,
            lane,
            offset,
        } => v_load_lane!(dst, ptr, src, memory, lane, offset, u64, simd::load64_lane),
        Instr::V128Store8Lane {
            ptr,
            value,
            memory,
            lane,
            offset,
        } => v_store_lane!(ptr, value, memory, lane, offset, u8, simd::lane8),
        Instr::V128Store16Lane {
            ptr,
            value,
            memory,
            lane,
            offset,
        } => v_store_lane!(ptr, value, memory, lane, offset, u16, simd::lane16),
        Instr::V128Store32Lane {
            ptr,
            value,
            memory,
            lane,
            offset,
        } => v_store_lane!(
            ptr,
            value,
            memory,
            lane,
            offset,
            u32,
            simd::i32x4_extract_lane
        ),
        Instr::V128Store64Lane {
            ptr,
            value,
            memory,
            lane,
            offset,
        } => v_store_lane!(
            ptr,
            value,
            memory,
            lane,
            offset,
            u64,
            simd::i64x2_extract_lane
        ),
        Instr::V128Load32Zero {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u32, simd::load32_zero),
        Instr::V128Load64Zero {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u64, simd::load64_zero),
        Instr::F32x4DemoteF64x2Zero { dst, src } => {
            v_un!(dst, src, simd::f32x4_demote_f64x2_zero)
        }
        Instr::F64x2PromoteLowF32x4 { dst, src } => {
            v_un!(dst, src, simd::f64x2_promote_low_f32x4)
        }
        Instr::I8x16Abs { dst, src } => v_un!(dst, src, simd::i8x16_abs),
        Instr::I8x16Neg { dst, src } => v_un!(dst, src, simd::i8x16_neg),
        Instr::I8x16Popcnt { dst, src } => v_un!(dst, src, simd::i8x16_popcnt),
        Instr::I8x16AllTrue { dst, src } => v_test!(dst, src, simd::i8x16_all_true),
        Instr::I8x16Bitmask { dst, src } => v_test!(dst, src, simd::i8x16_bitmask),
        Instr::I8x16NarrowI16x8S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_narrow_i16x8_s)
        }
        Instr::I8x16NarrowI16x8U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_narrow_i16x8_u)
        }
        Instr::F32x4Ceil { dst, src } => v_un!(dst, src, simd::f32x4_ceil),
        Instr::F32x4Floor { dst, src } => v_un!(dst, src, simd::f32x4_floor),
        Instr::F32x4Trunc { dst, src } => v_un!(dst, src, simd::f32x4_trunc),
        Instr::F32x4Nearest { dst, src } => v_un!(dst, src, simd::f32x4_nearest),
        Instr::I8x16Shl { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i8x16_shl),
        Instr::I8x16ShrS { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i8x16_shr_s),
        Instr::I8x16ShrU { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i8x16_shr_u),
        Instr::I8x16Add { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_add),
        Instr::I8x16AddSatS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_add_sat_s)
        }
        Instr::I8x16AddSatU { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_add_sat_u)
        }
        Instr::I8x16Sub { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_sub),
        Instr::I8x16SubSatS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_sub_sat_s)
        }
        Instr::I8x16SubSatU { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_sub_sat_u)
        }
        Instr::F64x2Ceil { dst, src } => v_un!(dst, src, simd::f64x2_ceil),
        Instr::F64x2Floor { dst, src } => v_un!(dst, src, simd::f64x2_floor),
        Instr::I8x16MinS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_min_s),
        Instr::I8x16MinU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_min_u),
        Instr::I8x16MaxS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_max_s),
        Instr::I8x16MaxU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_max_u),
        Instr::F64x2Trunc { dst, src } => v_un!(dst, src, simd::f64x2_trunc),
        Instr::I8x16AvgrU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_avgr_u),
        Instr::I16x8ExtAddPairwiseI8x16S { dst, src } => {
            v_un!(dst, src, simd::i16x8_extadd_pairwise_i8x16_s)
        }
        Instr::I16x8ExtAddPairwiseI8x16U { dst, src } => {
            v_un!(dst, src, simd::i16x8_extadd_pairwise_i8x16_u)
        }
        Instr::I32x4ExtAddPairwiseI16x8S { dst, src } => {
            v_un!(dst, src, simd::i32x4_extadd_pairwise_i16x8_s)
        }
        Instr::I32x4ExtAddPairwiseI16x8U { dst, src } => {
            v_un!(dst, src, simd::i32x4_extadd_pairwise_i16x8_u)
        }
        Instr::I16x8Abs { dst, src } => v_un!(dst, src, simd::i16x8_abs),
        Instr::I16x8Neg { dst, src } => v_un!(dst, src, simd::i16x8_neg),
        Instr::I16x8Q15MulrSatS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_q15mulr_sat_s)
        }
        Instr::I16x8AllTrue { dst, src } => v_test!(dst, src, simd::i16x8_all_true),
        Instr::I16x8Bitmask { dst, src } => v_test!(dst, src, simd::i16x8_bitmask),
        Instr::I16x8NarrowI32x4S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_narrow_i32x4_s)
        }
        Instr::I16x8NarrowI32x4U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_narrow_i32x4_u)
        }
        Instr::I16x8ExtendLowI8x16S { dst, src } => {
            v_un!(dst, src, simd::i16x8_extend_low_i8x16_s)
        }
        Instr::I16x8ExtendHighI8x16S { dst, src } => {
            v_un!(dst, src, simd::i16x8_extend_high_i8x16_s)
        }
        Instr::I16x8ExtendLowI8x16U { dst, src } => {
            v_un!(dst, src, simd::i16x8_extend_low_i8x16_u)
        }
        Instr::I16x8ExtendHighI8x16U { dst, src } => {
            v_un!(dst, src, simd::i16x8_extend_high_i8x16_u)
        }
        Instr::I16x8Shl { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i16x8_shl),
        Instr::I16x8ShrS { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i16x8_shr_s),
        Instr::I16x8ShrU { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i16x8_shr_u),
        Instr::I16x8Add { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_add),
        Instr::I16x8AddSatS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_add_sat_s)
        }
        Instr::I16x8AddSatU { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_add_sat_u)
        }
        Instr::I16x8Sub { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_sub),
        Instr::I16x8SubSatS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_sub_sat_s)
        }
        Instr::I16x8SubSatU { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_sub_sat_u)
        }
        Instr::F64x2Nearest { dst, src } => v_un!(dst, src, simd::f64x2_nearest),
        Instr::I16x8Mul { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_mul),
        Instr::I16x8MinS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_min_s),
        Instr::I16x8MinU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_min_u),
        Instr::I16x8MaxS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_max_s),
        Instr::I16x8MaxU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_max_u),
        Instr::I16x8AvgrU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_avgr_u),
        Instr::I16x8ExtMulLowI8x16S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_extmul_low_i8x16_s)
        }
        Instr::I16x8ExtMulHighI8x16S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_extmul_high_i8x16_s)
        }
        Instr::I16x8ExtMulLowI8x16U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_extmul_low_i8x16_u)
        }
        Instr::I16x8ExtMulHighI8x16U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_extmul_high_i8x16_u)
        }
        Instr::I32x4Abs { dst, src } => v_un!(dst, src, simd::i32x4_abs),
        Instr::I32x4Neg { dst, src } => v_un!(dst, src, simd::i32x4_neg),
        Instr::I32x4AllTrue { dst, src } => v_test!(dst, src, simd::i32x4_all_true),
        Instr::I32x4Bitmask { dst, src } => v_test!(dst, src, simd::i32x4_bitmask),
        Instr::I32x4ExtendLowI16x8S { dst, src } => {
            v_un!(dst, src, simd::i32x4_extend_low_i16x8_s)
        }
        Instr::I32x4ExtendHighI16x8S { dst, src } => {
            v_un!(dst, src, simd::i32x4_extend_high_i16x8_s)
        }
        Instr::I32x4ExtendLowI16x8U { dst, src } => {
            v_un!(dst, src, simd::i32x4_extend_low_i16x8_u)
        }
        Instr::I32x4ExtendHighI16x8U { dst, src } => {
            v_un!(dst, src, simd::i32x4_extend_high_i16x8_u)
        }
        Instr::I32x4Shl { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i32x4_shl),
        Instr::I32x4ShrS { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i32x4_shr_s),
        Instr::I32x4ShrU { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i32x4_shr_u),
        Instr::I32x4Add { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_add),
        Instr::I32x4Sub { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_sub),
        Instr::I32x4Mul { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_mul),
        Instr::I32x4MinS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_min_s),
        Instr::I32x4MinU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_min_u),
        Instr::I32x4MaxS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_max_s),
        Instr::I32x4MaxU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_max_u),
        Instr::I32x4DotI16x8S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i32x4_dot_i16x8_s)
        }
        Instr::I32x4ExtMulLowI16x8S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i32x4_extmul_low_i16x8_s)
        }
        Instr::I32x4ExtMulHighI16x8S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i32x4_extmul_high_i16x8_s)
        }
        Instr::I32x4ExtMulLowI16x8U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i32x4_extmul_low_i16x8_u)
        }
        Instr::I32x4ExtMulHighI16x8U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i32x4_extmul_high_i16x8_u)
        }
        Instr::I64x2Abs { dst, src } => v_un!(dst, src, simd::i64x2_abs),
        Instr::I64x2Neg { dst, src } => v_un!(dst, src, simd::i64x2_neg),
        Instr::I64x2AllTrue { dst, src } => v_test!(dst, src, simd::i64x2_all_true),
        Instr::I64x2Bitmask { dst, src } => v_test!(dst, src, simd::i64x2_bitmask),
        Instr::I64x2ExtendLowI32x4S { dst, src } => {
            v_un!(dst, src, simd::i64x2_extend_low_i32x4_s)
        }
        Instr::I64x2ExtendHighI32x4S { dst, src } => {
            v_un!(dst, src, simd::i64x2_extend_high_i32x4_s)
        }
        Instr::I64x2ExtendLowI32x4U { dst, src } => {
            v_un!(dst, src, simd::i64x2_extend_low_i32x4_u)
        }
        Instr::I64x2ExtendHighI32x4U { dst, src } => {
            v_un!(dst, src, simd::i64x2_extend_high_i32x4_u)
        }
        Instr::I64x2Shl { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i64x2_shl),
        Instr::I64x2ShrS { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i64x2_shr_s),
        Instr::I64x2ShrU { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i64x2_shr_u),
        Instr::I64x2Add { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_add),
        Instr::I64x2Sub { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_sub),
        Instr::I64x2Mul { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_mul),
        Instr::I64x2Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_eq),
        Instr::I64x2Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_ne),
        Instr::I64x2LtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_lt_s),
        Instr::I64x2GtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_gt_s),
        Instr::I64x2LeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_le_s),
        Instr::I64x2GeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_ge_s),
        Instr::I64x2ExtMulLowI32x4S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i64x2_extmul_low_i32x4_s)
        }
        Instr::I64x2ExtMulHighI32x4S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i64x2_extmul_high_i32x4_s)
        }
        Instr::I64x2ExtMulLowI32x4U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i64x2_extmul_low_i32x4_u)
        }
        Instr::I64x2ExtMulHighI32x4U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i64x2_extmul_high_i32x4_u)
        }
        Instr::F32x4Abs { dst, src } => v_un!(dst, src, simd::f32x4_abs),
        Instr::F32x4Neg { dst, src } => v_un!(dst, src, simd::f32x4_neg),
        Instr::F32x4Sqrt { dst, src } => v_un!(dst, src, simd::f32x4_sqrt),
        Instr::F32x4Add { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_add),
        Instr::F32x4Sub { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_sub),
        Instr::F32x4Mul { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_mul),
        Instr::F32x4Div { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_div),
        Instr::F32x4Min { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_min),
        Instr::F32x4Max { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_max),
        Instr::F32x4PMin { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_pmin),
        Instr::F32x4PMax { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_pmax),
        Instr::F64x2Abs { dst, src } => v_un!(dst, src, simd::f64x2_abs),
        Instr::F64x2Neg { dst, src } => v_un!(dst, src, simd::f64x2_neg),
        Instr::F64x2Sqrt { dst, src } => v_un!(dst, src, simd::f64x2_sqrt),
        Instr::F64x2Add { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_add),
        Instr::F64x2Sub { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_sub),
        Instr::F64x2Mul { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_mul),
        Instr::F64x2Div { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_div),
        Instr::F64x2Min { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_min),
        Instr::F64x2Max { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_max),
        Instr::F64x2PMin { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_pmin),
        Instr::F64x2PMax { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_pmax),
        Instr::I32x4TruncSatF32x4S { dst, src } => {
            v_un!(dst, src, simd::i32x4_trunc_sat_f32x4_s)
        }
        Instr::I32x4TruncSatF32x4U { dst, src } => {
            v_un!(dst, src, simd::i32x4_trunc_sat_f32x4_u)
        }
        Instr::F32x4ConvertI32x4S { dst, src } => {
            v_un!(dst, src, simd::f32x4_convert_i32x4_s)
        }
        Instr::F32x4ConvertI32x4U { dst, src } => {
            v_un!(dst, src, simd::f32x4_convert_i32x4_u)
        }
        Instr::I32x4TruncSatF64x2SZero { dst, src } => {
            v_un!(dst, src, simd::i32x4_trunc_sat_f64x2_s_zero)
        }
        Instr::I32x4TruncSatF64x2UZero { dst, src } => {
            v_un!(dst, src, simd::i32x4_trunc_sat_f64x2_u_zero)
        }
        Instr::F64x2ConvertLowI32x4S { dst, src } => {
            v_un!(dst, src, simd::f64x2_convert_low_i32x4_s)
        }
        Instr::F64x2ConvertLowI32x4U { dst, src } => {
            v_un!(dst, src, simd::f64x2_convert_low_i32x4_u)
        }
        Instr::I8x16RelaxedSwizzle { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_relaxed_swizzle)
        }
        Instr::I32x4RelaxedTruncF32x4S { dst, src } => {
            v_un!(dst, src, simd::i32x4_relaxed_trunc_f32x4_s)
        }
        Instr::I32x4RelaxedTruncF32x4U { dst, src } => {
            v_un!(dst, src, simd::i32x4_relaxed_trunc_f32x4_u)
        }
        Instr::I32x4RelaxedTruncF64x2SZero { dst, src } => {
            v_un!(dst, src, simd::i32x4_relaxed_trunc_f64x2_s_zero)
        }
        Instr::I32x4RelaxedTruncF64x2UZero { dst, src } => {
            v_un!(dst, src, simd::i32x4_relaxed_trunc_f64x2_u_zero)
        }
        Instr::F32x4RelaxedMadd { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::f32x4_relaxed_madd)
        }
        Instr::F32x4RelaxedNmadd { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::f32x4_relaxed_nmadd)
        }
        Instr::F64x2RelaxedMadd { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::f64x2_relaxed_madd)
        }
        Instr::F64x2RelaxedNmadd { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::f64x2_relaxed_nmadd)
        }
        Instr::I8x16RelaxedLaneselect { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::relaxed_laneselect)
        }
        Instr::I16x8RelaxedLaneselect { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::relaxed_laneselect)
        }
        Instr::I32x4RelaxedLaneselect { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::relaxed_laneselect)
        }
        Instr::I64x2RelaxedLaneselect { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::relaxed_laneselect)
        }
        Instr::F32x4RelaxedMin { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::f32x4_relaxed_min)
        }
        Instr::F32x4RelaxedMax { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::f32x4_relaxed_max)
        }
        Instr::F64x2RelaxedMin { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::f64x2_relaxed_min)
        }
        Instr::F64x2RelaxedMax { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::f64x2_relaxed_max)
        }
        Instr::I16x8RelaxedQ15mulrS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_relaxed_q15mulr_s)
        }
        Instr::I16x8RelaxedDotI8x16I7x16S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_relaxed_dot_i8x16_i7x16_s)
        }
        Instr::I32x4RelaxedDotI8x16I7x16AddS { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::i32x4_relaxed_dot_i8x16_i7x16_add_s)
        }
        other => return Outcome::Unsupported(other.name()),
    }
    Outcome::Ok
}
