//! The slow path: one IR instruction executed in Rust, with the interpreter's semantics (its
//! `ops` helpers and the vm's bounds-checked accessors), for everything the code generator
//! does not inline: tables, bulk memory, `memory.grow`, memories other than 0, float rounding
//! and `min`/`max`, trapping and saturating conversions, and interruption.

use strata_interp::ops;
use strata_ir::{Instr, IrFunc, Slot};

use strata_vm::{InstanceAddr, StoreInner, TrapCode, UntypedVal};

/// What the slow path did.
pub(crate) enum Outcome {
    /// Done.
    Ok,
    /// Trapped.
    Trap(TrapCode),
    /// Not supported by this backend (named).
    Unsupported(&'static str),
}

/// Runs `memory.grow` or `table.grow` (`instr`) asking `limiter`, as the interpreter does.
pub(crate) fn grow(
    store: &mut StoreInner,
    inst: InstanceAddr,
    frame: &mut [UntypedVal],
    instr: Instr,
    limiter: Option<&mut dyn strata_vm::ResourceLimiter>,
) {
    match instr {
        Instr::MemoryGrow { dst, delta, memory } => {
            frame[dst.index()] = store.memory_grow(inst, memory, frame[delta.index()], limiter);
        }
        Instr::TableGrow {
            dst,
            init,
            delta,
            table,
        } => {
            let (init, delta) = (frame[init.index()], frame[delta.index()]);
            frame[dst.index()] = store.table_grow(inst, table, init, delta, limiter);
        }
        _ => unreachable!("only grow instructions"),
    }
}

/// Runs `instr` (of `code`, running in `inst`) on `frame`.
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
    macro_rules! un {
        ($dst:expr, $src:expr, $to:ident, $from:ident, $f:expr) => {{
            let a = get!($src).$to();
            set!($dst, UntypedVal::$from($f(a)))
        }};
    }
    macro_rules! un_trap {
        ($dst:expr, $src:expr, $to:ident, $from:ident, $f:expr) => {{
            let a = get!($src).$to();
            let r = trap!($f(a));
            set!($dst, UntypedVal::$from(r))
        }};
    }
    macro_rules! bin {
        ($dst:expr, $lhs:expr, $rhs:expr, $to:ident, $from:ident, $f:expr) => {{
            let a = get!($lhs).$to();
            let b = get!($rhs).$to();
            set!($dst, UntypedVal::$from($f(a, b)))
        }};
    }
    macro_rules! memory {
        ($m:expr) => {{
            let addr = store.instance(inst).memories[$m as usize].index();
            &mut store.memories[addr]
        }};
    }
    macro_rules! load {
        ($dst:expr, $ptr:expr, $m:expr, $off:expr, $ty:ty, $from:ident, $conv:ty) => {{
            let addr = u64::from(get!($ptr).to_u32());
            let v: $ty = trap!(memory!($m).load::<$ty>(addr, u64::from($off)));
            set!($dst, UntypedVal::$from(v as $conv))
        }};
    }
    macro_rules! store_op {
        ($ptr:expr, $value:expr, $m:expr, $off:expr, $to:ident, $ty:ty) => {{
            let addr = u64::from(get!($ptr).to_u32());
            let v = get!($value).$to() as $ty;
            trap!(memory!($m).store::<$ty>(addr, u64::from($off), v))
        }};
    }
    // `load_add` / `store_add`: the address is `ptr + imm` wrapped to 32 bits.
    macro_rules! load_add {
        ($dst:expr, $ptr:expr, $imm:expr, $m:expr, $off:expr, $ty:ty, $from:ident, $conv:ty) => {{
            let addr = u64::from(get!($ptr).to_u32().wrapping_add($imm as u32));
            let v: $ty = trap!(memory!($m).load::<$ty>(addr, u64::from($off)));
            set!($dst, UntypedVal::$from(v as $conv))
        }};
    }
    macro_rules! store_op_add {
        ($ptr:expr, $value:expr, $imm:expr, $m:expr, $off:expr, $to:ident, $ty:ty) => {{
            let addr = u64::from(get!($ptr).to_u32().wrapping_add($imm as u32));
            let v = get!($value).$to() as $ty;
            trap!(memory!($m).store::<$ty>(addr, u64::from($off), v))
        }};
    }
    macro_rules! store_imm {
        ($ptr:expr, $v:expr, $m:expr, $off:expr) => {{
            let addr = u64::from(get!($ptr).to_u32());
            trap!(memory!($m).store(addr, u64::from($off), $v))
        }};
    }
    use Instr as I;
    match instr {
        I::ConsumeFuel { amount } => match store.fuel.checked_sub(u64::from(amount)) {
            Some(left) => store.fuel = left,
            None => return Outcome::Trap(TrapCode::OutOfFuel),
        },
        I::CheckInterrupt {} => {
            if store.interrupt.is_requested() && store.interrupt.take() {
                return Outcome::Trap(TrapCode::Interrupted);
            }
        }

        // ---- tables ----
        I::TableGet { dst, index, table } => {
            let r = trap!(store.table_get(inst, table, get!(index)));
            set!(dst, r)
        }
        I::TableSet {
            index,
            value,
            table,
        } => trap!(store.table_set(inst, table, get!(index), get!(value))),
        I::TableSize { dst, table } => set!(dst, store.table_size(inst, table)),
        I::TableFill {
            index,
            value,
            len,
            table,
        } => {
            let (i, v, n) = (get!(index), get!(value), get!(len));
            trap!(store.table_fill(inst, table, i, v, n))
        }
        I::TableCopy {
            dst,
            src,
            len,
            dst_table,
            src_table,
        } => {
            let (d, s, n) = (get!(dst), get!(src), get!(len));
            trap!(store.table_copy(inst, dst_table, src_table, d, s, n))
        }
        I::TableInit {
            dst,
            src,
            len,
            table,
            elem,
        } => {
            let (d, s, n) = (get!(dst), get!(src), get!(len));
            trap!(store.table_init(inst, table, elem, d, s, n))
        }
        I::ElemDrop { elem } => {
            let e = store.instance(inst).elems[elem as usize].index();
            store.elems[e].elem_drop()
        }

        // ---- memory ----
        I::MemorySize { dst, memory } => {
            let pages = memory!(memory).size_pages();
            set!(dst, UntypedVal::from_u32(pages as u32))
        }
        I::MemoryFill {
            dst,
            value,
            len,
            memory,
        } => {
            trap!(store.memory_fill(inst, memory, get!(dst), get!(value), get!(len)))
        }
        I::MemoryCopy {
            dst,
            src,
            len,
            dst_memory,
            src_memory,
        } => {
            let (d, s, n) = (get!(dst), get!(src), get!(len));
            trap!(store.memory_copy(inst, dst_memory.into(), src_memory.into(), d, s, n))
        }
        I::MemoryInit {
            dst,
            src,
            len,
            memory,
            data,
        } => {
            let (d, s, n) = (get!(dst), get!(src), get!(len));
            trap!(store.memory_init(inst, memory.into(), data, d, s, n))
        }
        I::DataDrop { data } => {
            let seg = store.instance(inst).datas[data as usize].index();
            store.datas[seg].data_drop()
        }
        I::I32Load {
            dst,
            ptr,
            memory,
            offset,
        }
        | I::F32Load {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, u32, from_u32, u32),
        I::I64Load {
            dst,
            ptr,
            memory,
            offset,
        }
        | I::F64Load {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, u64, from_u64, u64),
        I::I32Load8S {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, i8, from_i32, i32),
        I::I32Load8U {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, u8, from_u32, u32),
        I::I32Load16S {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, i16, from_i32, i32),
        I::I32Load16U {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, u16, from_u32, u32),
        I::I64Load8S {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, i8, from_i64, i64),
        I::I64Load8U {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, u8, from_u64, u64),
        I::I64Load16S {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, i16, from_i64, i64),
        I::I64Load16U {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, u16, from_u64, u64),
        I::I64Load32S {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, i32, from_i64, i64),
        I::I64Load32U {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, u32, from_u64, u64),
        I::I32Store {
            ptr,
            value,
            memory,
            offset,
        }
        | I::F32Store {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u32, u32),
        I::I64Store {
            ptr,
            value,
            memory,
            offset,
        }
        | I::F64Store {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u64, u64),
        I::I32Store8 {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u32, u8),
        I::I32Store16 {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u32, u16),
        I::I64Store8 {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u64, u8),
        I::I64Store16 {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u64, u16),
        I::I64Store32 {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u64, u32),
        I::I32LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, u32, from_u32, u32),
        I::I64LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, u64, from_u64, u64),
        I::F32LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, u32, from_u32, u32),
        I::F64LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, u64, from_u64, u64),
        I::I32Load8SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, i8, from_i32, i32),
        I::I32Load8UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, u8, from_u32, u32),
        I::I32Load16SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, i16, from_i32, i32),
        I::I32Load16UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, u16, from_u32, u32),
        I::I64Load8SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, i8, from_i64, i64),
        I::I64Load8UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, u8, from_u64, u64),
        I::I64Load16SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, i16, from_i64, i64),
        I::I64Load16UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, u16, from_u64, u64),
        I::I64Load32SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, i32, from_i64, i64),
        I::I64Load32UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, u32, from_u64, u64),
        I::I32StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u32, u32),
        I::I64StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u64, u64),
        I::F32StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u32, u32),
        I::F64StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u64, u64),
        I::I32Store8Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u32, u8),
        I::I32Store16Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u32, u16),
        I::I64Store8Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u64, u8),
        I::I64Store16Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u64, u16),
        I::I64Store32Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u64, u32),
        I::I32Store8ImmAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => {
            let addr = u64::from(get!(ptr).to_u32().wrapping_add(imm as u32));
            trap!(memory!(memory).store(addr, u64::from(offset), value as u8))
        }
        I::I32Store16ImmAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => {
            let addr = u64::from(get!(ptr).to_u32().wrapping_add(imm as u32));
            trap!(memory!(memory).store(addr, u64::from(offset), value))
        }
        I::I32StoreImm {
            ptr,
            value,
            memory,
            offset,
        } => store_imm!(ptr, value as u32, memory, offset),
        I::I32Store8Imm {
            ptr,
            value,
            memory,
            offset,
        } => store_imm!(ptr, value as u8, memory, offset),
        I::I32Store16Imm {
            ptr,
            value,
            memory,
            offset,
        } => store_imm!(ptr, value as u16, memory, offset),
        I::I64StoreImm {
            ptr,
            value,
            memory,
            offset,
        } => store_imm!(ptr, i64::from(value) as u64, memory, offset),

        // ---- numbers ----
        I::I32Popcnt { dst, src } => un!(dst, src, to_u32, from_u32, u32::count_ones),
        I::I64Popcnt { dst, src } => un!(dst, src, to_u64, from_u64, |a: u64| u64::from(
            a.count_ones()
        )),
        I::F32Ceil { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_ceil),
        I::F32Floor { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_floor),
        I::F32Trunc { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_trunc),
        I::F32Nearest { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_nearest),
        I::F32Min { dst, lhs, rhs } => bin!(dst, lhs, rhs, to_f32, from_f32, ops::f32_min),
        I::F32Max { dst, lhs, rhs } => bin!(dst, lhs, rhs, to_f32, from_f32, ops::f32_max),
        I::F64Ceil { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_ceil),
        I::F64Floor { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_floor),
        I::F64Trunc { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_trunc),
        I::F64Nearest { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_nearest),
        I::F64Min { dst, lhs, rhs } => bin!(dst, lhs, rhs, to_f64, from_f64, ops::f64_min),
        I::F64Max { dst, lhs, rhs } => bin!(dst, lhs, rhs, to_f64, from_f64, ops::f64_max),
        I::I32TruncF32S { dst, src } => {
            un_trap!(dst, src, to_f32, from_i32, ops::i32_trunc_f32_s)
        }
        I::I32TruncF32U { dst, src } => {
            un_trap!(dst, src, to_f32, from_u32, ops::i32_trunc_f32_u)
        }
        I::I32TruncF64S { dst, src } => {
            un_trap!(dst, src, to_f64, from_i32, ops::i32_trunc_f64_s)
        }
        I::I32TruncF64U { dst, src } => {
            un_trap!(dst, src, to_f64, from_u32, ops::i32_trunc_f64_u)
        }
        I::I64TruncF32S { dst, src } => {
            un_trap!(dst, src, to_f32, from_i64, ops::i64_trunc_f32_s)
        }
        I::I64TruncF32U { dst, src } => {
            un_trap!(dst, src, to_f32, from_u64, ops::i64_trunc_f32_u)
        }
        I::I64TruncF64S { dst, src } => {
            un_trap!(dst, src, to_f64, from_i64, ops::i64_trunc_f64_s)
        }
        I::I64TruncF64U { dst, src } => {
            un_trap!(dst, src, to_f64, from_u64, ops::i64_trunc_f64_u)
        }
        I::F32ConvertI64U { dst, src } => un!(dst, src, to_u64, from_f32, |a: u64| a as f32),
        I::F64ConvertI64U { dst, src } => un!(dst, src, to_u64, from_f64, |a: u64| a as f64),
        I::I32TruncSatF32S { dst, src } => un!(dst, src, to_f32, from_i32, |a: f32| a as i32),
        I::I32TruncSatF32U { dst, src } => un!(dst, src, to_f32, from_u32, |a: f32| a as u32),
        I::I32TruncSatF64S { dst, src } => un!(dst, src, to_f64, from_i32, |a: f64| a as i32),
        I::I32TruncSatF64U { dst, src } => un!(dst, src, to_f64, from_u32, |a: f64| a as u32),
        I::I64TruncSatF32S { dst, src } => un!(dst, src, to_f32, from_i64, |a: f32| a as i64),
        I::I64TruncSatF32U { dst, src } => un!(dst, src, to_f32, from_u64, |a: f32| a as u64),
        I::I64TruncSatF64S { dst, src } => un!(dst, src, to_f64, from_i64, |a: f64| a as i64),
        I::I64TruncSatF64U { dst, src } => un!(dst, src, to_f64, from_u64, |a: f64| a as u64),
        other => return crate::slow_simd::exec(store, inst, frame, code, other),
    }
    Outcome::Ok
}
