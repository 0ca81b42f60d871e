//! The execution loop.
//!
//! ## Design
//!
//! - **One value stack** (`Vec<UntypedVal>`) per activation from the host, taken from the
//!   store's pool. A wasm function's frame is the window `base .. base + frame_slots`; a call's
//!   arguments sit in the caller's slots `b..`, which become the callee's first slots (no
//!   copying), and the results come back there. The stack grows on demand up to
//!   [`StoreConfig::max_stack_slots`](strata_vm::StoreConfig); past that, and past
//!   `max_call_depth` frames, execution traps with `call stack exhausted`.
//! - **Call frames** live in a separate `Vec<Frame>` (function, code, instance, return pc,
//!   base), so wasm→wasm calls never recurse on the host stack.
//! - **Dispatch** is a `loop` over `&[Instr]` with one `match`; each arm is a short macro
//!   expansion (`bin!`, `load!`, `branch!`, ...), so switching to threaded handlers later is
//!   mechanical. Hot state (pc, frame base, current instance, memory 0's address) is kept in
//!   locals and reloaded only when the activation changes.
//! - **Hooks**: `hook!` marks where fuel metering and interruption checks go: at function entry
//!   and at every backward branch (loop headers). It expands to nothing today.
//! - Slot accesses are bounds-checked slice indexing for now (correct in every build; the
//!   benchmark issue will decide whether unchecked access pays for its `unsafe`).

use alloc::sync::Arc;
use alloc::vec::Vec;

use strata_ir::{Instr, IrFunc, Slot};
use strata_vm::store::two_mut;
use strata_vm::{
    FrameInfo, FuncAddr, FuncKind, InstanceAddr, RawRef, StoreInner, Trap, TrapCode, UntypedVal,
};

use crate::ops;

/// Calls host functions on behalf of the interpreter. The embedder (the runtime) implements it;
/// `index` is the embedder's own number for the function (see `FuncKind::Host`).
pub trait Host {
    /// The embedder's error type for a failing host function.
    type Error;

    /// Calls host function `index`. `slots` holds the parameters on entry (as many slots as the
    /// function's parameters take) and must hold the results on return; it is as long as the
    /// larger of the two. `caller` is the wasm instance that called, if any.
    fn call_host(
        &mut self,
        store: &mut StoreInner,
        index: u32,
        caller: Option<InstanceAddr>,
        slots: &mut [UntypedVal],
    ) -> Result<(), Self::Error>;
}

/// Why a call did not return normally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error<E> {
    /// WebAssembly trapped.
    Trap(Trap),
    /// A host function failed.
    Host(E),
    /// The function uses an instruction this interpreter does not execute yet (named).
    Unsupported(&'static str),
}

impl<E> From<Trap> for Error<E> {
    fn from(t: Trap) -> Self {
        Error::Trap(t)
    }
}

/// Calls the function at `func` with its parameters in `slots` and leaves its results there.
///
/// `slots` must be at least as long as both the parameters and the results need (see
/// [`strata_vm::FuncEntity`]'s `param_slots`/`result_slots`).
pub fn invoke<H: Host>(
    store: &mut StoreInner,
    host: &mut H,
    func: FuncAddr,
    slots: &mut [UntypedVal],
) -> Result<(), Error<H::Error>> {
    let entity = store.func(func);
    match &entity.kind {
        FuncKind::Host { index } => {
            let index = *index;
            host.call_host(store, index, None, slots)
                .map_err(Error::Host)
        }
        FuncKind::Wasm { instance, code } => {
            let (instance, code) = (*instance, code.clone());
            let mut stack = store.take_stack();
            let r = run(store, host, &mut stack, instance, code, slots);
            store.return_stack(stack);
            r
        }
    }
}

/// One wasm activation on the frame stack.
struct Frame {
    code: Arc<IrFunc>,
    instance: InstanceAddr,
    /// The pc to continue at (saved when this frame calls).
    pc: usize,
    /// Index of the frame's slot 0 in the value stack.
    base: usize,
}

/// Makes sure `stack` holds `needed` slots, growing it (up to the limit).
#[inline]
fn reserve(stack: &mut Vec<UntypedVal>, needed: usize, max: usize) -> Result<(), TrapCode> {
    if needed > stack.len() {
        if needed > max {
            return Err(TrapCode::StackOverflow);
        }
        let new_len = needed.max(stack.len() * 2).clamp(64, max.max(needed));
        stack.resize(new_len, UntypedVal::ZERO);
    }
    Ok(())
}

/// The wasm backtrace of `frames`, innermost first.
#[cold]
fn backtrace(store: &StoreInner, frames: &[Frame]) -> Vec<FrameInfo> {
    frames
        .iter()
        .rev()
        .map(|f| {
            let module = &store.instance(f.instance).module;
            let index = f.code.func_index;
            FrameInfo {
                func_index: index,
                func_name: module.func_name(index).map(Into::into),
                offset: module.code_offset(index).unwrap_or(0),
            }
        })
        .collect()
}

/// Runs the wasm function with body `code` (defined by `instance`) to completion.
#[allow(clippy::too_many_arguments)]
fn run<H: Host>(
    store: &mut StoreInner,
    host: &mut H,
    stack: &mut Vec<UntypedVal>,
    instance: InstanceAddr,
    code: Arc<IrFunc>,
    slots: &mut [UntypedVal],
) -> Result<(), Error<H::Error>> {
    let max_slots = store.config.max_stack_slots as usize;
    let max_depth = store.config.max_call_depth as usize;
    let outer_depth = store.outer_call_depth as usize;
    if outer_depth >= max_depth {
        return Err(Trap::new(TrapCode::StackOverflow).into());
    }
    reserve(stack, usize::from(code.frame_slots), max_slots).map_err(Trap::new)?;
    let params = usize::from(code.param_slots);
    stack[..params].copy_from_slice(&slots[..params]);
    stack[params..usize::from(code.local_slots)].fill(UntypedVal::ZERO);
    let result_slots = usize::from(code.result_slots);
    let mut frames: Vec<Frame> = Vec::with_capacity(16);
    frames.push(Frame {
        code,
        instance,
        pc: 0,
        base: 0,
    });
    match execute(
        store,
        host,
        stack,
        &mut frames,
        max_slots,
        max_depth - outer_depth,
    ) {
        Ok(()) => {
            slots[..result_slots].copy_from_slice(&stack[..result_slots]);
            Ok(())
        }
        Err(Error::Trap(code)) => Err(Error::Trap(code)),
        Err(e) => Err(e),
    }
}

/// Marks a fuel/interruption check point: function entry and backward branches (loop headers).
/// Issue 7 (embedding controls) fills it in; it must stay cheap on the fast path.
macro_rules! hook {
    () => {};
}

/// The dispatch loop. `frames` holds the entry frame; returns when it returns.
fn execute<H: Host>(
    store: &mut StoreInner,
    host: &mut H,
    stack: &mut Vec<UntypedVal>,
    frames: &mut Vec<Frame>,
    max_slots: usize,
    max_depth: usize,
) -> Result<(), Error<H::Error>> {
    // Set when a trap unwinds, so the backtrace is taken before frames are dropped.
    let trap: TrapCode;
    hook!();
    'activation: loop {
        let top = frames.last().expect("an activation is running");
        // A clone (not a borrow of `frames`), so calls can push frames while this activation's
        // code stays borrowed. One reference-count update per activation switch.
        let code_arc: Arc<IrFunc> = top.code.clone();
        let code: &IrFunc = &code_arc;
        let instrs: &[Instr] = &code.instrs;
        let inst = top.instance;
        let base = top.base;
        let mut pc = top.pc;
        let mem0 = store
            .instance(inst)
            .memories
            .first()
            .map_or(usize::MAX, |m| m.index());

        macro_rules! get {
            ($s:expr) => {
                stack[base + Slot::index($s)]
            };
        }
        macro_rules! set {
            ($s:expr, $v:expr) => {{
                let v = $v;
                stack[base + Slot::index($s)] = v;
            }};
        }
        macro_rules! trap {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(code) => {
                        frames.last_mut().expect("running").pc = pc;
                        trap = code;
                        break 'activation;
                    }
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
        macro_rules! bin_trap {
            ($dst:expr, $lhs:expr, $rhs:expr, $to:ident, $from:ident, $f:expr) => {{
                let a = get!($lhs).$to();
                let b = get!($rhs).$to();
                let r = trap!($f(a, b));
                set!($dst, UntypedVal::$from(r))
            }};
        }
        macro_rules! cmp {
            ($dst:expr, $lhs:expr, $rhs:expr, $to:ident, $f:expr) => {{
                let a = get!($lhs).$to();
                let b = get!($rhs).$to();
                set!($dst, UntypedVal::from_i32($f(a, b) as i32))
            }};
        }
        macro_rules! bin_imm32 {
            ($dst:expr, $lhs:expr, $imm:expr, $to:ident, $from:ident, $f:expr) => {{
                let a = get!($lhs).$to();
                set!($dst, UntypedVal::$from($f(a, $imm as _)))
            }};
        }
        macro_rules! bin_imm64 {
            ($dst:expr, $lhs:expr, $imm:expr, $to:ident, $from:ident, $f:expr) => {{
                let a = get!($lhs).$to();
                set!($dst, UntypedVal::$from($f(a, i64::from($imm) as _)))
            }};
        }
        macro_rules! jump {
            ($target:expr) => {{
                let t = $target.index();
                if t < pc {
                    hook!();
                }
                pc = t;
            }};
        }
        macro_rules! branch {
            ($lhs:expr, $rhs:expr, $target:expr, $to:ident, $f:expr) => {{
                let a = get!($lhs).$to();
                let b = get!($rhs).$to();
                if $f(a, b) {
                    jump!($target);
                }
            }};
        }
        macro_rules! memory {
            ($m:expr) => {{
                let m = $m as usize;
                let addr = if m == 0 {
                    mem0
                } else {
                    store.instance(inst).memories[m].index()
                };
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
        macro_rules! table_addr {
            ($t:expr) => {
                store.instance(inst).tables[$t as usize].index()
            };
        }

        loop {
            let instr = instrs[pc];
            pc += 1;
            match instr {
                // ---- control ----
                Instr::Unreachable {} => trap!(Err(TrapCode::Unreachable)),
                Instr::Br { target } => jump!(target),
                Instr::BrIfNez { cond, target } => {
                    if get!(cond).to_i32() != 0 {
                        jump!(target)
                    }
                }
                Instr::BrIfEqz { cond, target } => {
                    if get!(cond).to_i32() == 0 {
                        jump!(target)
                    }
                }
                Instr::BrTable { index, len } => {
                    let i = get!(index).to_u32().min(len);
                    pc += i as usize;
                }
                Instr::Return {} => {
                    frames.pop();
                    if frames.is_empty() {
                        return Ok(());
                    }
                    continue 'activation;
                }
                Instr::Call { base: b, func } => {
                    let callee = store.instance(inst).funcs[func as usize];
                    frames.last_mut().expect("running").pc = pc;
                    let new_base = base + b.index();
                    if trap!(call(
                        store, host, stack, frames, callee, new_base, inst, max_slots, max_depth
                    ))? {
                        continue 'activation;
                    }
                }
                Instr::CallIndirect {
                    base: b,
                    index,
                    table,
                    type_index,
                } => {
                    let i = get!(index).to_u32();
                    let t = table_addr!(table);
                    let r = trap!(store.tables[t]
                        .get(u64::from(i))
                        .map_err(|_| TrapCode::UndefinedElement));
                    let callee = trap!(r.to_func().ok_or(TrapCode::UninitializedElement));
                    if store.func(callee).sig != store.instance(inst).sigs[type_index as usize] {
                        trap!(Err(TrapCode::IndirectCallTypeMismatch));
                    }
                    frames.last_mut().expect("running").pc = pc;
                    let new_base = base + b.index();
                    if trap!(call(
                        store, host, stack, frames, callee, new_base, inst, max_slots, max_depth
                    ))? {
                        continue 'activation;
                    }
                }
                Instr::BrI32Eq { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i32, |a, b| a == b)
                }
                Instr::BrI32Ne { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i32, |a, b| a != b)
                }
                Instr::BrI32LtS { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i32, |a, b| a < b)
                }
                Instr::BrI32LtU { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_u32, |a, b| a < b)
                }
                Instr::BrI32GtS { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i32, |a, b| a > b)
                }
                Instr::BrI32GtU { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_u32, |a, b| a > b)
                }
                Instr::BrI32LeS { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i32, |a, b| a <= b)
                }
                Instr::BrI32LeU { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_u32, |a, b| a <= b)
                }
                Instr::BrI32GeS { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i32, |a, b| a >= b)
                }
                Instr::BrI32GeU { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_u32, |a, b| a >= b)
                }
                Instr::BrI64Eq { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i64, |a, b| a == b)
                }
                Instr::BrI64Ne { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i64, |a, b| a != b)
                }
                Instr::BrI64LtS { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i64, |a, b| a < b)
                }
                Instr::BrI64LtU { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_u64, |a, b| a < b)
                }
                Instr::BrI64GtS { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i64, |a, b| a > b)
                }
                Instr::BrI64GtU { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_u64, |a, b| a > b)
                }
                Instr::BrI64LeS { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i64, |a, b| a <= b)
                }
                Instr::BrI64LeU { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_u64, |a, b| a <= b)
                }
                Instr::BrI64GeS { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_i64, |a, b| a >= b)
                }
                Instr::BrI64GeU { lhs, rhs, target } => {
                    branch!(lhs, rhs, target, to_u64, |a, b| a >= b)
                }

                // ---- values ----
                Instr::Copy { dst, src } => set!(dst, get!(src)),
                Instr::Copy128 { dst, src } => {
                    let (lo, hi) = (get!(src), stack[base + src.index() + 1]);
                    set!(dst, lo);
                    stack[base + dst.index() + 1] = hi;
                }
                Instr::CopyMany { dst, src, len } => {
                    let s = base + src.index();
                    stack.copy_within(s..s + usize::from(len), base + dst.index());
                }
                Instr::ConstI32 { dst, value } => set!(dst, UntypedVal::from_i32(value)),
                Instr::ConstI64 { dst, value } => set!(dst, UntypedVal::from_i64(value)),
                Instr::ConstF32 { dst, bits } => set!(dst, UntypedVal::from_u32(bits)),
                Instr::ConstF64 { dst, bits } => set!(dst, UntypedVal::from_u64(bits)),
                Instr::ConstV128 { dst, index } => {
                    let [lo, hi] = UntypedVal::from_v128(code.v128_consts[index as usize]);
                    set!(dst, lo);
                    stack[base + dst.index() + 1] = hi;
                }
                Instr::Select {
                    dst,
                    cond,
                    if_true,
                    if_false,
                } => {
                    let v = if get!(cond).to_i32() != 0 {
                        get!(if_true)
                    } else {
                        get!(if_false)
                    };
                    set!(dst, v)
                }
                Instr::Select128 {
                    dst,
                    cond,
                    if_true,
                    if_false,
                } => {
                    let s = if get!(cond).to_i32() != 0 {
                        if_true
                    } else {
                        if_false
                    };
                    let (lo, hi) = (get!(s), stack[base + s.index() + 1]);
                    set!(dst, lo);
                    stack[base + dst.index() + 1] = hi;
                }
                Instr::GlobalGet { dst, global } => {
                    let g = store.instance(inst).globals[global as usize].index();
                    set!(dst, store.globals[g].get_untyped())
                }
                Instr::GlobalGet128 { dst, global } => {
                    let g = store.instance(inst).globals[global as usize].index();
                    let [lo, hi] = store.globals[g].cell().slots;
                    set!(dst, lo);
                    stack[base + dst.index() + 1] = hi;
                }
                Instr::GlobalSet { src, global } => {
                    let g = store.instance(inst).globals[global as usize].index();
                    store.globals[g].set_untyped(get!(src))
                }
                Instr::GlobalSet128 { src, global } => {
                    let g = store.instance(inst).globals[global as usize].index();
                    let v = [get!(src), stack[base + src.index() + 1]];
                    store.globals[g].cell_mut().slots = v;
                }

                // ---- references and tables ----
                Instr::RefNull { dst } => set!(dst, UntypedVal::ZERO),
                Instr::RefIsNull { dst, src } => {
                    set!(
                        dst,
                        UntypedVal::from_i32(get!(src).to_raw_ref().is_null() as i32)
                    )
                }
                Instr::RefFunc { dst, func } => {
                    let f = store.instance(inst).funcs[func as usize];
                    set!(dst, UntypedVal::from_raw_ref(RawRef::from(f)))
                }
                Instr::TableGet { dst, index, table } => {
                    let t = table_addr!(table);
                    let r = trap!(store.tables[t].get(u64::from(get!(index).to_u32())));
                    set!(dst, UntypedVal::from_raw_ref(r))
                }
                Instr::TableSet {
                    index,
                    value,
                    table,
                } => {
                    let t = table_addr!(table);
                    let (i, v) = (get!(index).to_u32(), get!(value).to_raw_ref());
                    trap!(store.tables[t].set(u64::from(i), v))
                }
                Instr::TableSize { dst, table } => {
                    let t = table_addr!(table);
                    set!(dst, UntypedVal::from_u32(store.tables[t].size() as u32))
                }
                Instr::TableGrow {
                    dst,
                    init,
                    delta,
                    table,
                } => {
                    let t = table_addr!(table);
                    let (init, delta) = (get!(init).to_raw_ref(), get!(delta).to_u32());
                    let r = store.tables[t].grow(u64::from(delta), init, None);
                    set!(
                        dst,
                        UntypedVal::from_u32(r.map_or(u32::MAX, |old| old as u32))
                    )
                }
                Instr::TableFill {
                    index,
                    value,
                    len,
                    table,
                } => {
                    let t = table_addr!(table);
                    let (i, v, n) = (
                        get!(index).to_u32(),
                        get!(value).to_raw_ref(),
                        get!(len).to_u32(),
                    );
                    trap!(store.tables[t].fill(u64::from(i), v, u64::from(n)))
                }
                Instr::TableCopy {
                    dst,
                    src,
                    len,
                    dst_table,
                    src_table,
                } => {
                    let (d, s) = (table_addr!(dst_table), table_addr!(src_table));
                    let (di, si, n) = (
                        u64::from(get!(dst).to_u32()),
                        u64::from(get!(src).to_u32()),
                        u64::from(get!(len).to_u32()),
                    );
                    if d == s {
                        trap!(store.tables[d].copy_within(di, si, n))
                    } else {
                        let (dt, st) = two_mut(&mut store.tables, d, s);
                        trap!(dt.copy_from(di, st, si, n))
                    }
                }
                Instr::TableInit {
                    dst,
                    src,
                    len,
                    table,
                    elem,
                } => {
                    let t = table_addr!(table);
                    let e = store.instance(inst).elems[elem as usize].index();
                    let (di, si, n) = (
                        u64::from(get!(dst).to_u32()),
                        u64::from(get!(src).to_u32()),
                        u64::from(get!(len).to_u32()),
                    );
                    let StoreInner { tables, elems, .. } = &mut *store;
                    trap!(tables[t].init(di, elems[e].elements(), si, n))
                }
                Instr::ElemDrop { elem } => {
                    let e = store.instance(inst).elems[elem as usize].index();
                    store.elems[e].elem_drop()
                }

                // ---- memory ----
                Instr::MemorySize { dst, memory } => {
                    let pages = memory!(memory).size_pages();
                    set!(dst, UntypedVal::from_u32(pages as u32))
                }
                Instr::MemoryGrow { dst, delta, memory } => {
                    let delta = get!(delta).to_u32();
                    let r = memory!(memory).grow(u64::from(delta), None);
                    set!(
                        dst,
                        UntypedVal::from_u32(r.map_or(u32::MAX, |old| old as u32))
                    )
                }
                Instr::MemoryFill {
                    dst,
                    value,
                    len,
                    memory,
                } => {
                    let (d, v, n) = (get!(dst).to_u32(), get!(value).to_u32(), get!(len).to_u32());
                    trap!(memory!(memory).fill(u64::from(d), v as u8, u64::from(n)))
                }
                Instr::MemoryCopy {
                    dst,
                    src,
                    len,
                    dst_memory,
                    src_memory,
                } => {
                    let (d, s, n) = (
                        u64::from(get!(dst).to_u32()),
                        u64::from(get!(src).to_u32()),
                        u64::from(get!(len).to_u32()),
                    );
                    let dm = store.instance(inst).memories[dst_memory as usize].index();
                    let sm = store.instance(inst).memories[src_memory as usize].index();
                    if dm == sm {
                        trap!(store.memories[dm].copy_within(d, s, n))
                    } else {
                        let (dmem, smem) = two_mut(&mut store.memories, dm, sm);
                        trap!(dmem.copy_from(d, smem, s, n))
                    }
                }
                Instr::MemoryInit {
                    dst,
                    src,
                    len,
                    memory,
                    data,
                } => {
                    let (d, s, n) = (
                        u64::from(get!(dst).to_u32()),
                        u64::from(get!(src).to_u32()),
                        u64::from(get!(len).to_u32()),
                    );
                    let m = store.instance(inst).memories[memory as usize].index();
                    let seg = store.instance(inst).datas[data as usize].index();
                    let StoreInner {
                        memories, datas, ..
                    } = &mut *store;
                    trap!(memories[m].init(d, datas[seg].bytes(), s, n))
                }
                Instr::DataDrop { data } => {
                    let seg = store.instance(inst).datas[data as usize].index();
                    store.datas[seg].data_drop()
                }
                Instr::I32Load {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, u32, from_u32, u32),
                Instr::I64Load {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, u64, from_u64, u64),
                Instr::F32Load {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, u32, from_u32, u32),
                Instr::F64Load {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, u64, from_u64, u64),
                Instr::I32Load8S {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, i8, from_i32, i32),
                Instr::I32Load8U {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, u8, from_u32, u32),
                Instr::I32Load16S {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, i16, from_i32, i32),
                Instr::I32Load16U {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, u16, from_u32, u32),
                Instr::I64Load8S {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, i8, from_i64, i64),
                Instr::I64Load8U {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, u8, from_u64, u64),
                Instr::I64Load16S {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, i16, from_i64, i64),
                Instr::I64Load16U {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, u16, from_u64, u64),
                Instr::I64Load32S {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, i32, from_i64, i64),
                Instr::I64Load32U {
                    dst,
                    ptr,
                    memory,
                    offset,
                } => load!(dst, ptr, memory, offset, u32, from_u64, u64),
                Instr::I32Store {
                    ptr,
                    value,
                    memory,
                    offset,
                } => store_op!(ptr, value, memory, offset, to_u32, u32),
                Instr::I64Store {
                    ptr,
                    value,
                    memory,
                    offset,
                } => store_op!(ptr, value, memory, offset, to_u64, u64),
                Instr::F32Store {
                    ptr,
                    value,
                    memory,
                    offset,
                } => store_op!(ptr, value, memory, offset, to_u32, u32),
                Instr::F64Store {
                    ptr,
                    value,
                    memory,
                    offset,
                } => store_op!(ptr, value, memory, offset, to_u64, u64),
                Instr::I32Store8 {
                    ptr,
                    value,
                    memory,
                    offset,
                } => store_op!(ptr, value, memory, offset, to_u32, u8),
                Instr::I32Store16 {
                    ptr,
                    value,
                    memory,
                    offset,
                } => store_op!(ptr, value, memory, offset, to_u32, u16),
                Instr::I64Store8 {
                    ptr,
                    value,
                    memory,
                    offset,
                } => store_op!(ptr, value, memory, offset, to_u64, u8),
                Instr::I64Store16 {
                    ptr,
                    value,
                    memory,
                    offset,
                } => store_op!(ptr, value, memory, offset, to_u64, u16),
                Instr::I64Store32 {
                    ptr,
                    value,
                    memory,
                    offset,
                } => store_op!(ptr, value, memory, offset, to_u64, u32),

                // ---- i32 ----
                Instr::I32Eqz { dst, src } => {
                    un!(dst, src, to_i32, from_i32, |a: i32| (a == 0) as i32)
                }
                Instr::I32Eq { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i32, |a, b| a == b),
                Instr::I32Ne { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i32, |a, b| a != b),
                Instr::I32LtS { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i32, |a, b| a < b),
                Instr::I32LtU { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_u32, |a, b| a < b),
                Instr::I32GtS { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i32, |a, b| a > b),
                Instr::I32GtU { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_u32, |a, b| a > b),
                Instr::I32LeS { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i32, |a, b| a <= b),
                Instr::I32LeU { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_u32, |a, b| a <= b),
                Instr::I32GeS { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i32, |a, b| a >= b),
                Instr::I32GeU { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_u32, |a, b| a >= b),
                Instr::I32Clz { dst, src } => un!(dst, src, to_u32, from_u32, u32::leading_zeros),
                Instr::I32Ctz { dst, src } => un!(dst, src, to_u32, from_u32, u32::trailing_zeros),
                Instr::I32Popcnt { dst, src } => un!(dst, src, to_u32, from_u32, u32::count_ones),
                Instr::I32Add { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_i32, from_i32, i32::wrapping_add)
                }
                Instr::I32Sub { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_i32, from_i32, i32::wrapping_sub)
                }
                Instr::I32Mul { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_i32, from_i32, i32::wrapping_mul)
                }
                Instr::I32DivS { dst, lhs, rhs } => {
                    bin_trap!(dst, lhs, rhs, to_i32, from_i32, ops::i32_div_s)
                }
                Instr::I32DivU { dst, lhs, rhs } => {
                    bin_trap!(dst, lhs, rhs, to_u32, from_u32, ops::i32_div_u)
                }
                Instr::I32RemS { dst, lhs, rhs } => {
                    bin_trap!(dst, lhs, rhs, to_i32, from_i32, ops::i32_rem_s)
                }
                Instr::I32RemU { dst, lhs, rhs } => {
                    bin_trap!(dst, lhs, rhs, to_u32, from_u32, ops::i32_rem_u)
                }
                Instr::I32And { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u32, from_u32, |a, b| a & b)
                }
                Instr::I32Or { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u32, from_u32, |a, b| a | b)
                }
                Instr::I32Xor { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u32, from_u32, |a, b| a ^ b)
                }
                Instr::I32Shl { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u32, from_u32, u32::wrapping_shl)
                }
                Instr::I32ShrS { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_i32, from_i32, |a: i32, b: i32| a
                        .wrapping_shr(b as u32))
                }
                Instr::I32ShrU { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u32, from_u32, u32::wrapping_shr)
                }
                Instr::I32Rotl { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u32, from_u32, u32::rotate_left)
                }
                Instr::I32Rotr { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u32, from_u32, u32::rotate_right)
                }
                Instr::I32EqImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a == b)
                        as i32)
                }
                Instr::I32NeImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a != b)
                        as i32)
                }
                Instr::I32LtSImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a < b)
                        as i32)
                }
                Instr::I32LtUImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_u32, from_i32, |a: u32, b: u32| (a < b)
                        as i32)
                }
                Instr::I32GtSImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a > b)
                        as i32)
                }
                Instr::I32GtUImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_u32, from_i32, |a: u32, b: u32| (a > b)
                        as i32)
                }
                Instr::I32LeSImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a <= b)
                        as i32)
                }
                Instr::I32LeUImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_u32, from_i32, |a: u32, b: u32| (a <= b)
                        as i32)
                }
                Instr::I32GeSImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a >= b)
                        as i32)
                }
                Instr::I32GeUImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_u32, from_i32, |a: u32, b: u32| (a >= b)
                        as i32)
                }
                Instr::I32AddImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, i32::wrapping_add)
                }
                Instr::I32MulImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, i32::wrapping_mul)
                }
                Instr::I32AndImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| a & b)
                }
                Instr::I32OrImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| a | b)
                }
                Instr::I32XorImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| a ^ b)
                }
                Instr::I32ShlImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_u32, from_u32, u32::wrapping_shl)
                }
                Instr::I32ShrSImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: u32| a
                        .wrapping_shr(b))
                }
                Instr::I32ShrUImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_u32, from_u32, u32::wrapping_shr)
                }
                Instr::I32RotlImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_u32, from_u32, u32::rotate_left)
                }
                Instr::I32RotrImm { dst, lhs, imm } => {
                    bin_imm32!(dst, lhs, imm, to_u32, from_u32, u32::rotate_right)
                }

                // ---- i64 ----
                Instr::I64Eqz { dst, src } => {
                    un!(dst, src, to_i64, from_i32, |a: i64| (a == 0) as i32)
                }
                Instr::I64Eq { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i64, |a, b| a == b),
                Instr::I64Ne { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i64, |a, b| a != b),
                Instr::I64LtS { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i64, |a, b| a < b),
                Instr::I64LtU { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_u64, |a, b| a < b),
                Instr::I64GtS { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i64, |a, b| a > b),
                Instr::I64GtU { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_u64, |a, b| a > b),
                Instr::I64LeS { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i64, |a, b| a <= b),
                Instr::I64LeU { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_u64, |a, b| a <= b),
                Instr::I64GeS { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_i64, |a, b| a >= b),
                Instr::I64GeU { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_u64, |a, b| a >= b),
                Instr::I64Clz { dst, src } => un!(dst, src, to_u64, from_u64, |a: u64| u64::from(
                    a.leading_zeros()
                )),
                Instr::I64Ctz { dst, src } => un!(dst, src, to_u64, from_u64, |a: u64| u64::from(
                    a.trailing_zeros()
                )),
                Instr::I64Popcnt { dst, src } => {
                    un!(dst, src, to_u64, from_u64, |a: u64| u64::from(
                        a.count_ones()
                    ))
                }
                Instr::I64Add { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_i64, from_i64, i64::wrapping_add)
                }
                Instr::I64Sub { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_i64, from_i64, i64::wrapping_sub)
                }
                Instr::I64Mul { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_i64, from_i64, i64::wrapping_mul)
                }
                Instr::I64DivS { dst, lhs, rhs } => {
                    bin_trap!(dst, lhs, rhs, to_i64, from_i64, ops::i64_div_s)
                }
                Instr::I64DivU { dst, lhs, rhs } => {
                    bin_trap!(dst, lhs, rhs, to_u64, from_u64, ops::i64_div_u)
                }
                Instr::I64RemS { dst, lhs, rhs } => {
                    bin_trap!(dst, lhs, rhs, to_i64, from_i64, ops::i64_rem_s)
                }
                Instr::I64RemU { dst, lhs, rhs } => {
                    bin_trap!(dst, lhs, rhs, to_u64, from_u64, ops::i64_rem_u)
                }
                Instr::I64And { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u64, from_u64, |a, b| a & b)
                }
                Instr::I64Or { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u64, from_u64, |a, b| a | b)
                }
                Instr::I64Xor { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u64, from_u64, |a, b| a ^ b)
                }
                Instr::I64Shl { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u64, from_u64, |a: u64, b: u64| a
                        .wrapping_shl(b as u32))
                }
                Instr::I64ShrS { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_i64, from_i64, |a: i64, b: i64| a
                        .wrapping_shr(b as u32))
                }
                Instr::I64ShrU { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u64, from_u64, |a: u64, b: u64| a
                        .wrapping_shr(b as u32))
                }
                Instr::I64Rotl { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u64, from_u64, |a: u64, b: u64| a
                        .rotate_left((b & 63) as u32))
                }
                Instr::I64Rotr { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_u64, from_u64, |a: u64, b: u64| a
                        .rotate_right((b & 63) as u32))
                }
                Instr::I64EqImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a == b)
                        as i32)
                }
                Instr::I64NeImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a != b)
                        as i32)
                }
                Instr::I64LtSImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a < b)
                        as i32)
                }
                Instr::I64LtUImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_u64, from_i32, |a: u64, b: u64| (a < b)
                        as i32)
                }
                Instr::I64GtSImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a > b)
                        as i32)
                }
                Instr::I64GtUImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_u64, from_i32, |a: u64, b: u64| (a > b)
                        as i32)
                }
                Instr::I64LeSImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a <= b)
                        as i32)
                }
                Instr::I64LeUImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_u64, from_i32, |a: u64, b: u64| (a <= b)
                        as i32)
                }
                Instr::I64GeSImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a >= b)
                        as i32)
                }
                Instr::I64GeUImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_u64, from_i32, |a: u64, b: u64| (a >= b)
                        as i32)
                }
                Instr::I64AddImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i64, i64::wrapping_add)
                }
                Instr::I64MulImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i64, i64::wrapping_mul)
                }
                Instr::I64AndImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i64, |a: i64, b: i64| a & b)
                }
                Instr::I64OrImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i64, |a: i64, b: i64| a | b)
                }
                Instr::I64XorImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i64, |a: i64, b: i64| a ^ b)
                }
                Instr::I64ShlImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_u64, from_u64, |a: u64, b: u64| a
                        .wrapping_shl(b as u32))
                }
                Instr::I64ShrSImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_i64, from_i64, |a: i64, b: i64| a
                        .wrapping_shr(b as u32))
                }
                Instr::I64ShrUImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_u64, from_u64, |a: u64, b: u64| a
                        .wrapping_shr(b as u32))
                }
                Instr::I64RotlImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_u64, from_u64, |a: u64, b: u64| a
                        .rotate_left((b & 63) as u32))
                }
                Instr::I64RotrImm { dst, lhs, imm } => {
                    bin_imm64!(dst, lhs, imm, to_u64, from_u64, |a: u64, b: u64| a
                        .rotate_right((b & 63) as u32))
                }

                // ---- f32 ----
                Instr::F32Eq { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a == b),
                Instr::F32Ne { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a != b),
                Instr::F32Lt { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a < b),
                Instr::F32Gt { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a > b),
                Instr::F32Le { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a <= b),
                Instr::F32Ge { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a >= b),
                Instr::F32Abs { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_abs),
                Instr::F32Neg { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_neg),
                Instr::F32Ceil { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_ceil),
                Instr::F32Floor { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_floor),
                Instr::F32Trunc { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_trunc),
                Instr::F32Nearest { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_nearest),
                Instr::F32Sqrt { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_sqrt),
                Instr::F32Add { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f32, from_f32, |a: f32, b: f32| a + b)
                }
                Instr::F32Sub { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f32, from_f32, |a: f32, b: f32| a - b)
                }
                Instr::F32Mul { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f32, from_f32, |a: f32, b: f32| a * b)
                }
                Instr::F32Div { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f32, from_f32, |a: f32, b: f32| a / b)
                }
                Instr::F32Min { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f32, from_f32, ops::f32_min)
                }
                Instr::F32Max { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f32, from_f32, ops::f32_max)
                }
                Instr::F32Copysign { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f32, from_f32, ops::f32_copysign)
                }

                // ---- f64 ----
                Instr::F64Eq { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a == b),
                Instr::F64Ne { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a != b),
                Instr::F64Lt { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a < b),
                Instr::F64Gt { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a > b),
                Instr::F64Le { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a <= b),
                Instr::F64Ge { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a >= b),
                Instr::F64Abs { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_abs),
                Instr::F64Neg { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_neg),
                Instr::F64Ceil { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_ceil),
                Instr::F64Floor { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_floor),
                Instr::F64Trunc { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_trunc),
                Instr::F64Nearest { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_nearest),
                Instr::F64Sqrt { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_sqrt),
                Instr::F64Add { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f64, from_f64, |a: f64, b: f64| a + b)
                }
                Instr::F64Sub { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f64, from_f64, |a: f64, b: f64| a - b)
                }
                Instr::F64Mul { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f64, from_f64, |a: f64, b: f64| a * b)
                }
                Instr::F64Div { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f64, from_f64, |a: f64, b: f64| a / b)
                }
                Instr::F64Min { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f64, from_f64, ops::f64_min)
                }
                Instr::F64Max { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f64, from_f64, ops::f64_max)
                }
                Instr::F64Copysign { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, to_f64, from_f64, ops::f64_copysign)
                }

                // ---- conversions ----
                Instr::I32WrapI64 { dst, src } => {
                    un!(dst, src, to_u64, from_u32, |a: u64| a as u32)
                }
                Instr::I32TruncF32S { dst, src } => {
                    un_trap!(dst, src, to_f32, from_i32, ops::i32_trunc_f32_s)
                }
                Instr::I32TruncF32U { dst, src } => {
                    un_trap!(dst, src, to_f32, from_u32, ops::i32_trunc_f32_u)
                }
                Instr::I32TruncF64S { dst, src } => {
                    un_trap!(dst, src, to_f64, from_i32, ops::i32_trunc_f64_s)
                }
                Instr::I32TruncF64U { dst, src } => {
                    un_trap!(dst, src, to_f64, from_u32, ops::i32_trunc_f64_u)
                }
                Instr::I64ExtendI32S { dst, src } => un!(dst, src, to_i32, from_i64, i64::from),
                Instr::I64ExtendI32U { dst, src } => un!(dst, src, to_u32, from_u64, u64::from),
                Instr::I64TruncF32S { dst, src } => {
                    un_trap!(dst, src, to_f32, from_i64, ops::i64_trunc_f32_s)
                }
                Instr::I64TruncF32U { dst, src } => {
                    un_trap!(dst, src, to_f32, from_u64, ops::i64_trunc_f32_u)
                }
                Instr::I64TruncF64S { dst, src } => {
                    un_trap!(dst, src, to_f64, from_i64, ops::i64_trunc_f64_s)
                }
                Instr::I64TruncF64U { dst, src } => {
                    un_trap!(dst, src, to_f64, from_u64, ops::i64_trunc_f64_u)
                }
                Instr::F32ConvertI32S { dst, src } => {
                    un!(dst, src, to_i32, from_f32, |a: i32| a as f32)
                }
                Instr::F32ConvertI32U { dst, src } => {
                    un!(dst, src, to_u32, from_f32, |a: u32| a as f32)
                }
                Instr::F32ConvertI64S { dst, src } => {
                    un!(dst, src, to_i64, from_f32, |a: i64| a as f32)
                }
                Instr::F32ConvertI64U { dst, src } => {
                    un!(dst, src, to_u64, from_f32, |a: u64| a as f32)
                }
                Instr::F32DemoteF64 { dst, src } => {
                    un!(dst, src, to_f64, from_f32, ops::f32_demote_f64)
                }
                Instr::F64ConvertI32S { dst, src } => un!(dst, src, to_i32, from_f64, f64::from),
                Instr::F64ConvertI32U { dst, src } => un!(dst, src, to_u32, from_f64, f64::from),
                Instr::F64ConvertI64S { dst, src } => {
                    un!(dst, src, to_i64, from_f64, |a: i64| a as f64)
                }
                Instr::F64ConvertI64U { dst, src } => {
                    un!(dst, src, to_u64, from_f64, |a: u64| a as f64)
                }
                Instr::F64PromoteF32 { dst, src } => {
                    un!(dst, src, to_f32, from_f64, ops::f64_promote_f32)
                }
                Instr::I32Extend8S { dst, src } => {
                    un!(dst, src, to_i32, from_i32, |a: i32| a as i8 as i32)
                }
                Instr::I32Extend16S { dst, src } => {
                    un!(dst, src, to_i32, from_i32, |a: i32| a as i16 as i32)
                }
                Instr::I64Extend8S { dst, src } => {
                    un!(dst, src, to_i64, from_i64, |a: i64| a as i8 as i64)
                }
                Instr::I64Extend16S { dst, src } => {
                    un!(dst, src, to_i64, from_i64, |a: i64| a as i16 as i64)
                }
                Instr::I64Extend32S { dst, src } => {
                    un!(dst, src, to_i64, from_i64, |a: i64| a as i32 as i64)
                }
                Instr::I32TruncSatF32S { dst, src } => {
                    un!(dst, src, to_f32, from_i32, |a: f32| a as i32)
                }
                Instr::I32TruncSatF32U { dst, src } => {
                    un!(dst, src, to_f32, from_u32, |a: f32| a as u32)
                }
                Instr::I32TruncSatF64S { dst, src } => {
                    un!(dst, src, to_f64, from_i32, |a: f64| a as i32)
                }
                Instr::I32TruncSatF64U { dst, src } => {
                    un!(dst, src, to_f64, from_u32, |a: f64| a as u32)
                }
                Instr::I64TruncSatF32S { dst, src } => {
                    un!(dst, src, to_f32, from_i64, |a: f32| a as i64)
                }
                Instr::I64TruncSatF32U { dst, src } => {
                    un!(dst, src, to_f32, from_u64, |a: f32| a as u64)
                }
                Instr::I64TruncSatF64S { dst, src } => {
                    un!(dst, src, to_f64, from_i64, |a: f64| a as i64)
                }
                Instr::I64TruncSatF64U { dst, src } => {
                    un!(dst, src, to_f64, from_u64, |a: f64| a as u64)
                }
                // Instructions this interpreter does not execute yet (SIMD arrives with its own
                // issue). Validation accepted them, so this is a missing feature, not a trap.
                other => {
                    frames.last_mut().expect("running").pc = pc;
                    return Err(Error::Unsupported(other.name()));
                }
            }
        }
    }
    // A trap unwound: take the backtrace, then drop the frames.
    let frames_taken = core::mem::take(frames);
    Err(Error::Trap(Trap::with_backtrace(
        trap,
        backtrace(store, &frames_taken),
    )))
}

/// Calls `callee` with its frame at `new_base`. Returns `Ok(Ok(true))` when a wasm frame was
/// pushed (the dispatch loop must switch activations), `Ok(Ok(false))` when a host function ran
/// to completion, `Ok(Err(e))` when the host function failed, `Err(code)` on a trap.
#[allow(clippy::too_many_arguments)]
#[inline]
fn call<H: Host>(
    store: &mut StoreInner,
    host: &mut H,
    stack: &mut Vec<UntypedVal>,
    frames: &mut Vec<Frame>,
    callee: FuncAddr,
    new_base: usize,
    caller: InstanceAddr,
    max_slots: usize,
    max_depth: usize,
) -> Result<Result<bool, Error<H::Error>>, TrapCode> {
    let entity = store.func(callee);
    match &entity.kind {
        FuncKind::Wasm { instance, code } => {
            if frames.len() >= max_depth {
                return Err(TrapCode::StackOverflow);
            }
            reserve(stack, new_base + usize::from(code.frame_slots), max_slots)?;
            stack[new_base + usize::from(code.param_slots)
                ..new_base + usize::from(code.local_slots)]
                .fill(UntypedVal::ZERO);
            frames.push(Frame {
                code: code.clone(),
                instance: *instance,
                pc: 0,
                base: new_base,
            });
            hook!();
            Ok(Ok(true))
        }
        FuncKind::Host { index } => {
            let index = *index;
            let window = usize::from(entity.param_slots.max(entity.result_slots));
            reserve(stack, new_base + window, max_slots)?;
            let depth = frames.len() as u32;
            store.outer_call_depth += depth;
            let r = host.call_host(
                store,
                index,
                Some(caller),
                &mut stack[new_base..new_base + window],
            );
            store.outer_call_depth -= depth;
            Ok(r.map(|()| false).map_err(Error::Host))
        }
    }
}
