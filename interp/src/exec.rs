//! The execution engine.
//!
//! ## Design
//!
//! - **One value stack** (`Vec<UntypedVal>`) per activation from the host, taken from the
//!   store's pool. A wasm function's frame is the window `base .. base + frame_slots`; a call's
//!   arguments sit in the caller's slots `b..`, which become the callee's first slots (no
//!   copying), and the results come back there. The stack grows on demand up to
//!   [`StoreConfig::max_stack_slots`](strata_vm::StoreConfig); past that, and past
//!   `max_call_depth` frames, execution traps with `call stack exhausted`.
//! - **Call frames** of the callers live in a separate `Vec<Frame>` (return instruction,
//!   function, instance, frame base), so wasm→wasm calls never recurse on the host stack. A
//!   frame holds a raw pointer to its `IrFunc` (no reference count per call): the store only
//!   ever appends functions and the `IrFunc` behind a `FuncAddr` never moves (see
//!   [`strata_vm::store`]).
//! - **Verified code, unchecked slots**: a function is checked once per store before it first
//!   runs (and lowered: the store keeps its lowered code, `LoweredCode`), by
//!   [`strata_ir::serialize::verify_frame`] (every slot, both halves of a `v128`, below
//!   `frame_slots`; every branch target an instruction; `br_table`
//!   followed by its `br`s; the last instruction cannot fall through). At each function entry
//!   the value stack is grown to hold `base + frame_slots`. Together these make every slot
//!   access `*fp.add(slot)` and every jump `instrs.add(target)` in bounds, so they are raw
//!   pointer operations (see `get!` and `jump!`).
//! - **Dispatch**: one handler per instruction of the lowered code (the IR plus accumulator
//!   forms, see `lower.rs`; made when the function is verified), all with the same signature
//!   (`Handler`: instruction pointer, frame pointer, context, memory 0's base and length, the
//!   integer and the float accumulator), so the hot state stays in argument registers. The
//!   lowered code is *threaded* (`Threaded`): each instruction carries its handler's address,
//!   and in release builds each handler ends by calling the next one's in tail position, which
//!   LLVM turns into `jmp *(ip)` (direct threading). Branch targets are byte offsets from the
//!   next instruction (`relative_target`), calls carry their callee's store address
//!   (`resolve_callee`), frequent pairs of instructions run as one handler (`fused`,
//!   `define_fused!`), and a taken conditional branch stays a jump (`keep_as_branch`). Debug
//!   builds do not make sibling calls (the host stack would grow with every instruction), so
//!   there one `loop` around `match` runs the same `step` instead. The handlers are generated
//!   from `step` (a `match` with one arm per instruction) specialised per opcode. See
//!   ARCHITECTURE.md ("Dispatch") for the measurements that chose this.
//! - **Memory 0** accesses use its base and length held in registers, reloaded after anything
//!   that may move or grow it (calls, host calls, `memory.grow`, bulk operations); other
//!   memories go through the store.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::mem::MaybeUninit;
use core::ptr;

use strata_ir::{IrFunc, Slot, Target};
use strata_vm::store::slot_counts;
use strata_vm::{
    ExnAddr, ExnEntity, FrameInfo, FuncAddr, FuncKind, InstanceAddr, MemoryValue, RawRef,
    ResourceLimiter, StoreInner, Trap, TrapCode, UntypedVal,
};

use crate::lower::{self, Acc, Code};
use crate::{ops, simd};

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

    /// The embedder's resource limiter, asked before `memory.grow` and `table.grow` (a refusal
    /// makes them return -1). None by default.
    fn limiter(&mut self) -> Option<&mut dyn strata_vm::ResourceLimiter> {
        None
    }
}

/// Why a call did not return normally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error<E> {
    /// WebAssembly trapped.
    Trap(Trap),
    /// A host function failed.
    Host(E),
    /// The function uses an instruction this interpreter does not execute yet (named), or its
    /// IR failed verification (`"invalid IR"`).
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
            let r = run(store, host, &mut stack, instance, func, &code, slots);
            store.return_stack(stack);
            r
        }
    }
}

/// The embedder's [`Host`] with its error type erased, so the handlers are not generic.
trait DynHost {
    /// Calls host function `index`; on failure keeps the error and returns `false`.
    fn call(
        &mut self,
        store: &mut StoreInner,
        index: u32,
        caller: InstanceAddr,
        slots: &mut [UntypedVal],
    ) -> bool;
    fn limiter(&mut self) -> Option<&mut dyn ResourceLimiter>;
}

struct HostAdapter<'h, H: Host> {
    host: &'h mut H,
    error: Option<H::Error>,
}

impl<H: Host> DynHost for HostAdapter<'_, H> {
    fn call(
        &mut self,
        store: &mut StoreInner,
        index: u32,
        caller: InstanceAddr,
        slots: &mut [UntypedVal],
    ) -> bool {
        match self.host.call_host(store, index, Some(caller), slots) {
            Ok(()) => true,
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }

    fn limiter(&mut self) -> Option<&mut dyn ResourceLimiter> {
        self.host.limiter()
    }
}

/// A caller's activation, saved while its callee runs.
struct Frame {
    /// Where the caller continues.
    ip: *const Threaded,
    /// The caller's lowered code (owned by `Cx::lowered`).
    instrs: *const Threaded,
    /// The caller's IR. Valid while the store lives: see the module documentation.
    code: *const IrFunc,
    instance: InstanceAddr,
    /// Index of the caller's slot 0 in the value stack.
    base: usize,
}

/// How the dispatch loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    /// The entry function returned.
    Return,
    /// Trapped.
    Trap(TrapCode),
    /// A host function failed (the error is in the [`HostAdapter`]).
    Host,
    /// A callee's IR failed verification.
    Invalid,
}

/// Everything a handler needs besides the registers: the store, the host, the value stack, the
/// callers' frames and the running function.
struct Cx<'a> {
    store: &'a mut StoreInner,
    host: &'a mut dyn DynHost,
    stack: &'a mut Vec<UntypedVal>,
    frames: Vec<Frame>,
    /// The running function and its lowered instructions.
    code: *const IrFunc,
    instrs: *const Threaded,
    inst: InstanceAddr,
    /// Index of the running frame's slot 0 in the value stack.
    base: usize,
    max_slots: usize,
    /// Frames allowed in this activation (the running one included).
    max_depth: usize,
    /// The store's lowered code ([`LoweredCode`]), held by the activation while it runs.
    lowered: Box<LoweredCode>,
    exit: Exit,
    /// The registers between handlers when they return to `drive` instead of tail-calling.
    saved: (
        *mut UntypedVal,
        *mut u8,
        usize,
        MaybeUninit<u64>,
        MaybeUninit<f64>,
    ),
}

/// The interpreter's per-store state, kept in [`StoreInner::interp`] between activations:
/// every function's code, verified and lowered once (the store only appends functions, and a
/// function's IR never changes). An activation takes it out of the store and puts it back when
/// it ends, so a nested activation (a host function calling back into wasm) starts an empty
/// one, merged back after it (see [`put_back_lowered`]).
#[derive(Default)]
struct LoweredCode {
    /// Each function's lowered code by `FuncAddr` (`None`: not lowered yet). Boxes: the code
    /// never moves while a frame runs it.
    by_func: Vec<Option<Box<[Threaded]>>>,
}

impl LoweredCode {
    /// Where `f`'s lowered code starts, if it has been lowered.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn get(&self, f: FuncAddr) -> Option<*const Threaded> {
        let code = self.by_func.get(f.index() as usize)?.as_deref()?;
        Some(code.as_ptr())
    }

    /// Where `f`'s lowered code starts, verifying and lowering `code` (its IR) first if that
    /// is not done yet; `None` if the IR fails verification.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn get_or_lower(
        &mut self,
        f: FuncAddr,
        code: &IrFunc,
        funcs: &[FuncAddr],
    ) -> Option<*const Threaded> {
        match self.get(f) {
            Some(p) => Some(p),
            None => self.lower(f, code, funcs),
        }
    }

    /// Verifies `code`, the IR of `f`, lowers it (see [`lower`]) and records the result as
    /// `f`'s code; returns where it starts, or `None` if the IR fails verification.
    #[cold]
    #[inline(never)]
    fn lower(&mut self, f: FuncAddr, code: &IrFunc, funcs: &[FuncAddr]) -> Option<*const Threaded> {
        strata_ir::serialize::verify_frame(code).ok()?;
        let lowered = lower::lower(code);
        let code: Box<[Threaded]> = lowered
            .iter()
            .enumerate()
            .map(|(i, &code)| {
                let op = opcode(&code);
                let handler = lowered
                    .get(i + 1)
                    .and_then(|next| fused_handler_of(op, opcode(next)))
                    .unwrap_or_else(|| handler_of(op));
                let code = resolve_callee(code, funcs)?.with_target(|t| relative_target(i, t))?;
                Some(Threaded { handler, code })
            })
            .collect::<Option<_>>()?;
        let p = code.as_ptr();
        let i = f.index() as usize;
        if self.by_func.len() <= i {
            self.by_func.resize_with(i + 1, || None);
        }
        self.by_func[i] = Some(code);
        Some(p)
    }
}

/// `code` with a `call`'s or `return_call`'s function index (in the instance whose function
/// index space is `funcs`) replaced by the callee's store address, `FuncAddr::index`: the
/// handler needs no lookup. `None` if the index is out of range.
fn resolve_callee(code: Code, funcs: &[FuncAddr]) -> Option<Code> {
    let callee = |func: u32| funcs.get(func as usize).map(|f| f.index());
    Some(match code {
        Code::Call { base, func } => Code::Call {
            base,
            func: callee(func)?,
        },
        Code::ReturnCall { base, params, func } => Code::ReturnCall {
            base,
            params,
            func: callee(func)?,
        },
        other => other,
    })
}

/// Marks the taken side of a conditional branch so that it stays a branch in machine code.
///
/// Without it LLVM turns `if cond { ip = target }` into a conditional move, which makes the
/// next handler's address wait for the comparison: the dispatch can no longer run ahead on
/// the branch predictor's guess. A compiler fence emits no instruction, but it is an
/// operation LLVM may not speculate, so the `if` survives as a `jcc`. Measured on x86_64 with
/// the CLI (user time, min of 3, before/after): mandelbrot 0.58, collatz 0.67, sieve 0.71,
/// bytecode 0.76, image 0.81; geomean of the suite 0.90.
#[inline(always)]
fn keep_as_branch() {
    core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
}

/// The branch target `t` (an instruction index) of instruction `i`, as the threaded code keeps
/// it: the distance in bytes from instruction `i + 1` to `t`, as an `i32`'s bits (so a taken
/// branch is `ip + offset`, `ip` having moved to the next instruction already; see `jump!` in
/// [`step`]). `None` if that does not fit an `i32`: a function of over 89 million instructions.
fn relative_target(i: usize, t: Target) -> Option<Target> {
    let size = core::mem::size_of::<Threaded>() as i64;
    let bytes = (i64::from(t.0) - i as i64 - 1).checked_mul(size)?;
    Some(Target(i32::try_from(bytes).ok()? as u32))
}

/// Takes the store's [`LoweredCode`] for an activation (an empty one if a running activation
/// holds it).
fn take_lowered(store: &mut StoreInner) -> Box<LoweredCode> {
    take_lowered_if_any(store).unwrap_or_default()
}

/// Hands an activation's [`LoweredCode`] back to the store, with what a nested activation left
/// there meanwhile moved into it.
fn put_back_lowered(store: &mut StoreInner, mut mine: Box<LoweredCode>) {
    if let Some(nested) = take_lowered_if_any(store) {
        if mine.by_func.len() < nested.by_func.len() {
            mine.by_func.resize_with(nested.by_func.len(), || None);
        }
        for (slot, code) in mine.by_func.iter_mut().zip(nested.by_func) {
            if slot.is_none() {
                *slot = code;
            }
        }
    }
    store.interp.0 = Some(mine);
}

/// Whether the store keeps lowered code for `f` (tests).
#[cfg(test)]
pub(crate) fn is_lowered(store: &StoreInner, f: FuncAddr) -> bool {
    store
        .interp
        .0
        .as_ref()
        .and_then(|b| b.downcast_ref::<LoweredCode>())
        .is_some_and(|l| l.get(f).is_some())
}

/// The store's [`LoweredCode`], if it holds one.
fn take_lowered_if_any(store: &mut StoreInner) -> Option<Box<LoweredCode>> {
    store.interp.0.take()?.downcast::<LoweredCode>().ok()
}

impl Cx<'_> {
    /// The frame pointer of the frame at `base`: re-derived from the stack after anything that
    /// may have moved it (growth) or borrowed it.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn fp(&mut self, base: usize) -> *mut UntypedVal {
        // SAFETY: `base` is a frame's base, and the stack holds at least `base + frame_slots`
        // slots (reserved when the frame was entered; the stack never shrinks while running).
        unsafe { self.stack.as_mut_ptr().add(base) }
    }
}

/// The machine state handed from handler to handler in registers.
#[derive(Clone, Copy)]
struct Regs {
    /// The next instruction (the current one while a handler decodes it).
    ip: *const Threaded,
    /// The running frame's slot 0.
    fp: *mut UntypedVal,
    /// Memory 0's bytes (dangling and 0 without a memory 0).
    mem: *mut u8,
    mem_len: usize,
    /// The accumulator: the result of the instruction just run if it is a producer (see
    /// [`lower`]); undefined otherwise (no register move).
    acc: MaybeUninit<u64>,
    /// The float accumulator: the same for a float producer (an `f64` result, in a float
    /// register).
    facc: MaybeUninit<f64>,
}

impl Regs {
    /// Loads a `T` from memory 0 at `addr + offset`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn load<T: MemoryValue>(&self, addr: u32, offset: u32) -> Result<T, TrapCode> {
        let start = u64::from(addr) + u64::from(offset);
        if start + T::SIZE as u64 > self.mem_len as u64 {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        // SAFETY: `mem` is memory 0's base, valid for `mem_len` bytes: it was read by `mem0`
        // after the last thing that could grow, move or borrow the memory, and the access lies
        // inside (checked above; `start` cannot overflow, both terms being below 2^32).
        let bytes = unsafe { core::slice::from_raw_parts(self.mem.add(start as usize), T::SIZE) };
        Ok(T::read_le(bytes))
    }

    /// Stores a `T` to memory 0 at `addr + offset`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn store<T: MemoryValue>(&self, addr: u32, offset: u32, v: T) -> Result<(), TrapCode> {
        let start = u64::from(addr) + u64::from(offset);
        if start + T::SIZE as u64 > self.mem_len as u64 {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        // SAFETY: as in `load`; nothing else refers to the memory's bytes while a handler runs.
        let bytes =
            unsafe { core::slice::from_raw_parts_mut(self.mem.add(start as usize), T::SIZE) };
        v.write_le(bytes);
        Ok(())
    }
}

/// Memory 0 of `inst`: its base and length (dangling and 0 if it has none).
#[inline]
fn mem0(store: &mut StoreInner, inst: InstanceAddr) -> (*mut u8, usize) {
    match store.instance(inst).memories.first() {
        Some(&m) => {
            let mem = &mut store.memories[m.index()];
            (mem.base_ptr(), mem.len())
        }
        None => (ptr::NonNull::dangling().as_ptr(), 0),
    }
}

/// Makes sure `stack` holds `needed` slots, growing it (up to the limit).
#[inline]
fn reserve(stack: &mut Vec<UntypedVal>, needed: usize, max: usize) -> Result<(), TrapCode> {
    if needed > stack.len() {
        return grow_stack(stack, needed, max);
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn grow_stack(stack: &mut Vec<UntypedVal>, needed: usize, max: usize) -> Result<(), TrapCode> {
    if needed > max {
        return Err(TrapCode::StackOverflow);
    }
    let new_len = needed.max(stack.len() * 2).clamp(64, max.max(needed));
    stack.resize(new_len, UntypedVal::ZERO);
    Ok(())
}

/// Runs the wasm function `func` (body `code`, defined by `instance`) to completion.
fn run<H: Host>(
    store: &mut StoreInner,
    host: &mut H,
    stack: &mut Vec<UntypedVal>,
    instance: InstanceAddr,
    func: FuncAddr,
    code: &IrFunc,
    slots: &mut [UntypedVal],
) -> Result<(), Error<H::Error>> {
    let max_slots = store.config.max_stack_slots as usize;
    let max_depth = store.config.max_call_depth as usize;
    let outer_depth = store.outer_call_depth as usize;
    if outer_depth >= max_depth {
        return Err(Trap::new(TrapCode::StackOverflow).into());
    }
    let mut lowered = take_lowered(store);
    let Some(entry) = lowered.get_or_lower(func, code, &store.instance(instance).funcs) else {
        put_back_lowered(store, lowered);
        return Err(Error::Unsupported("invalid IR"));
    };
    if let Err(t) = reserve(stack, usize::from(code.frame_slots), max_slots) {
        put_back_lowered(store, lowered);
        return Err(Trap::new(t).into());
    }
    let params = usize::from(code.param_slots);
    stack[..params].copy_from_slice(&slots[..params]);
    stack[params..usize::from(code.local_slots)].fill(UntypedVal::ZERO);
    let result_slots = usize::from(code.result_slots);
    let (mem, mem_len) = mem0(store, instance);
    let mut adapter = HostAdapter { host, error: None };
    let mut cx = Cx {
        store,
        host: &mut adapter,
        stack,
        frames: Vec::new(),
        code,
        instrs: ptr::null(),
        inst: instance,
        base: 0,
        max_slots,
        max_depth: max_depth - outer_depth,
        lowered,
        exit: Exit::Return,
        saved: (
            ptr::null_mut(),
            mem,
            mem_len,
            MaybeUninit::uninit(),
            MaybeUninit::uninit(),
        ),
    };
    cx.instrs = entry;
    let regs = Regs {
        ip: cx.instrs,
        fp: cx.fp(0),
        mem,
        mem_len,
        acc: MaybeUninit::uninit(),
        facc: MaybeUninit::uninit(),
    };
    drive(regs, &mut cx);
    let outcome = match cx.exit {
        Exit::Return => {
            slots[..result_slots].copy_from_slice(&cx.stack[..result_slots]);
            Ok(())
        }
        Exit::Trap(trap) => {
            let trace = backtrace(&cx);
            Err(Some(Error::Trap(Trap::with_backtrace(trap, trace))))
        }
        Exit::Invalid => Err(Some(Error::Unsupported("invalid IR"))),
        // The error is in `adapter`, borrowed by `cx` until just below.
        Exit::Host => Err(None),
    };
    let Cx { store, lowered, .. } = cx;
    put_back_lowered(store, lowered);
    outcome.map_err(|e| {
        e.unwrap_or_else(|| {
            Error::Host(
                adapter
                    .error
                    .take()
                    .expect("a failed host call keeps its error"),
            )
        })
    })
}

/// The wasm backtrace of the running function and its callers, innermost first.
#[cold]
fn backtrace(cx: &Cx<'_>) -> Vec<FrameInfo> {
    let running = (cx.code, cx.inst);
    core::iter::once(running)
        .chain(cx.frames.iter().rev().map(|f| (f.code, f.instance)))
        .map(|(code, inst)| {
            // SAFETY: a frame's code lives as long as the store (module documentation).
            let index = unsafe { (*code).func_index };
            let module = &cx.store.instance(inst).module;
            FrameInfo {
                func_index: index,
                func_name: module.func_name(index).map(Into::into),
                offset: module.code_offset(index).unwrap_or(0),
            }
        })
        .collect()
}

/// What a handler's instruction asks for next.
enum Flow {
    /// Run the instruction at `Regs::ip`.
    Continue,
    /// Stop: `Cx::exit` says why.
    Exit,
    /// Not run: run the instruction again with the slow paths (`step::<true>`, out of line in
    /// `slow_handler`). Accesses to memories other than 0 take it, so that the common load and
    /// store handlers need no callee-saved register.
    Slow,
}

/// The dispatch techniques measured (see ARCHITECTURE.md, "Dispatch").
#[derive(Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)]
enum Technique {
    /// A `loop` around `match`ing each instruction (`step` inlined once).
    Match,
    /// A `loop` calling `TABLE[opcode]`; each handler returns the next instruction.
    Loop,
    /// Each handler tail-calls the next instruction's handler.
    Tail,
}

/// Debug builds `match` in a loop (no handler table is built, and unoptimised code makes no
/// sibling calls). Release builds thread the handlers through tail calls: every handler's call
/// to the next compiles to a jump (`handlers_tail_call_in_release` checks a loop on a 64 KiB
/// stack). Handlers must not keep a stack slot whose address escapes (LLVM then keeps a real
/// call): the SIMD lane code, which uses `black_box`, runs out of line for that reason (`vec`).
/// `STRATA_INTERP_DISPATCH=match|loop` at build time selects the other techniques, for
/// measurement (ARCHITECTURE.md, "Dispatch").
const TECHNIQUE: Technique = match option_env!("STRATA_INTERP_DISPATCH") {
    _ if cfg!(debug_assertions) => Technique::Match,
    Some(s) if str_eq(s, "match") => Technique::Match,
    Some(s) if str_eq(s, "loop") => Technique::Loop,
    _ => Technique::Tail,
};

/// `a == b`, usable in a constant.
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

/// A handler: runs the instruction at `ip` in the frame at `fp`, with memory 0 at
/// `mem .. mem + mem_len` and the accumulator `acc` (see [`lower`]), then continues (see
/// [`dispatch`]). Returns null when execution stops (`Cx::exit` says why), or, in the `Loop`
/// technique, the next instruction.
type Handler = fn(
    *const Threaded,
    *mut UntypedVal,
    &mut Cx<'_>,
    *mut u8,
    usize,
    MaybeUninit<u64>,
    MaybeUninit<f64>,
) -> *const Threaded;

/// An instruction of the lowered code as the handlers run it: with the address of its handler
/// (direct threading: continuing is one load and an indirect jump, `jmp *(ip)`, rather than
/// loading the opcode, then its table entry).
#[derive(Clone, Copy)]
#[repr(C)]
struct Threaded {
    /// `TABLE[opcode(&code)]` (in debug builds, which dispatch with `match`, a handler that is
    /// never called).
    handler: Handler,
    /// The instruction.
    code: Code,
}

macro_rules! define_dispatch {
    (@ops [ $( $name:ident )* ] [ $( $acc_name:ident )* ] [ $( ($acc:expr) )* ]) => {
        /// How each instruction uses the accumulator, by number (a constant in a handler).
        const ACC_OF: [Acc; OPS] = [
            $( acc_use!(NONE $name), )*
            $( $acc, )*
        ];

        /// Instruction numbers: positions in the IR table, then the accumulator forms.
        #[allow(dead_code, clippy::upper_case_acronyms)]
        #[repr(u16)]
        enum Op { $( $name, )* $( $acc_name, )* }

        /// How many instructions the code has.
        #[cfg_attr(debug_assertions, allow(dead_code))]
        const OPS: usize = [ $( Op::$name, )* $( Op::$acc_name, )* ].len();

        /// The instruction's number (compiles to reading the enum's tag).
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn opcode(i: &Code) -> usize {
            match i {
                $( Code::$name { .. } => Op::$name as usize, )*
                $( Code::$acc_name { .. } => Op::$acc_name as usize, )*
            }
        }

        /// Each instruction's handler, by number. Not in debug builds, which use one `match`
        /// (a handler per instruction, each with `step` inlined, is slow to build unoptimised).
        #[cfg(not(debug_assertions))]
        static TABLE: [Handler; OPS] = [
            $( handler::<{ Op::$name as usize }>, )*
            $( handler::<{ Op::$acc_name as usize }>, )*
        ];
    };
    (
        $( $shape:ident $name:ident { $($field:ident : $ty:ty),* } $text:literal ;)*
        @acc
        binary { $( $b:ident $bp:ident $bc:ident $bcp:ident ; )* }
        binary_imm { $( $i:ident $ip:ident $ic:ident $icp:ident ; )* }
        branch_cmp { $( $r:ident $rc:ident ; )* }
        branch_cmp_imm { $( $ri:ident $ric:ident ; )* }
        br_if { $( $f:ident $fc:ident ; )* }
        load { $( $l:ident $lp:ident $lc:ident $lcp:ident ; )* }
        load_add { $( $la:ident $lap:ident $lac:ident $lacp:ident ; )* }
        fbinary { $( $g:ident $gp:ident $gc:ident $gcp:ident ; )* }
        fbranch_cmp { $( $q:ident $qc:ident ; )* }
    ) => {
        define_dispatch! {
            @ops [ $( $name )* ]
            [ $( $bp $bc $bcp )* $( $ip $ic $icp )* $( $rc )* $( $ric )* $( $fc )*
              $( $lp $lc $lcp )* $( $lap $lac $lacp )* $( $gp $gc $gcp )* $( $qc )* ]
            [ $( (acc_use!(OUT $bp)) (acc_use!(IN $bc)) (acc_use!(BOTH $bcp)) )*
              $( (acc_use!(OUT $ip)) (acc_use!(IN $ic)) (acc_use!(BOTH $icp)) )*
              $( (acc_use!(IN $rc)) )* $( (acc_use!(IN $ric)) )* $( (acc_use!(IN $fc)) )*
              $( (acc_use!(OUT $lp)) (acc_use!(IN $lc)) (acc_use!(BOTH $lcp)) )*
              $( (acc_use!(OUT $lap)) (acc_use!(IN $lac)) (acc_use!(BOTH $lacp)) )*
              $( (acc_use!(FOUT $gp)) (acc_use!(FIN $gc)) (acc_use!(FBOTH $gcp)) )*
              $( (acc_use!(FIN $qc)) )* ]
        }
    };
}

/// `Acc::$acc`, once per `$op` (for repeating over the instruction names).
macro_rules! acc_use {
    ($acc:ident $op:ident) => {
        Acc::$acc
    };
}
/// `define_dispatch!` with the IR table and the accumulator table.
macro_rules! define_dispatch_from_ir {
    ($($ir:tt)*) => { acc_table!(define_dispatch { $($ir)* }); };
}
strata_ir::for_each_instr!(define_dispatch_from_ir);

/// The handler of instructions numbered `OP`: `step` specialised to one arm.
#[cfg_attr(debug_assertions, allow(dead_code))]
fn handler<const OP: usize>(
    ip: *const Threaded,
    fp: *mut UntypedVal,
    cx: &mut Cx<'_>,
    mem: *mut u8,
    mem_len: usize,
    acc: MaybeUninit<u64>,
    facc: MaybeUninit<f64>,
) -> *const Threaded {
    // SAFETY: `ip` points at an instruction of the running function: it starts at the
    // function's first instruction, and `step` only moves it to the next instruction (the last
    // one never falls through), to a verified branch target, or to a `br_table` entry.
    let instr = unsafe { (*ip).code };
    if opcode(&instr) != OP {
        // SAFETY: `dispatch` and `drive` call the instruction's `Threaded::handler`, which
        // `LoweredCode::lower` set to `TABLE[opcode(code)]` (and nothing changes afterwards), so
        // handler `OP` only runs instructions numbered `OP`. This lets LLVM drop every other
        // arm of `step`.
        unsafe { core::hint::unreachable_unchecked() }
    }
    let mut rg = Regs {
        ip,
        fp,
        mem,
        mem_len,
        acc: MaybeUninit::uninit(),
        facc: MaybeUninit::uninit(),
    };
    match step::<false>(instr, &mut rg, cx, acc, facc, const { ACC_OF[OP] }) {
        Flow::Continue => dispatch(rg, cx),
        Flow::Exit => ptr::null(),
        Flow::Slow => slow_handler(ip, fp, cx, mem, mem_len, acc, facc),
    }
}

/// The handler of an instruction numbered `A` followed by one numbered `B` (a pair of
/// [`define_fused!`]): runs both, then continues at the next one, saving a dispatch.
#[cfg_attr(debug_assertions, allow(dead_code))]
fn fused<const A: usize, const B: usize>(
    ip: *const Threaded,
    fp: *mut UntypedVal,
    cx: &mut Cx<'_>,
    mem: *mut u8,
    mem_len: usize,
    acc: MaybeUninit<u64>,
    facc: MaybeUninit<f64>,
) -> *const Threaded {
    // SAFETY: as in `handler`.
    let instr = unsafe { (*ip).code };
    if opcode(&instr) != A {
        // SAFETY: as in `handler`: `LoweredCode::lower` set this handler on an instruction
        // numbered `A` (see `fused_handler_of`).
        unsafe { core::hint::unreachable_unchecked() }
    }
    let mut rg = Regs {
        ip,
        fp,
        mem,
        mem_len,
        acc: MaybeUninit::uninit(),
        facc: MaybeUninit::uninit(),
    };
    match step::<false>(instr, &mut rg, cx, acc, facc, const { ACC_OF[A] }) {
        Flow::Continue => {}
        Flow::Exit => return ptr::null(),
        Flow::Slow => return slow_handler(ip, fp, cx, mem, mem_len, acc, facc),
    }
    // SAFETY: `ip` is not the function's last instruction (it has a successor, `B`).
    if rg.ip != unsafe { ip.add(1) } {
        // `A` branched (a constant condition for the instructions that never do, folded away).
        return dispatch(rg, cx);
    }
    let (ip, fp, mem, mem_len) = (rg.ip, rg.fp, rg.mem, rg.mem_len);
    let acc = core::mem::replace(&mut rg.acc, MaybeUninit::uninit());
    let facc = core::mem::replace(&mut rg.facc, MaybeUninit::uninit());
    // SAFETY: `ip` is the instruction after `A`'s, in the function.
    let instr = unsafe { (*ip).code };
    if opcode(&instr) != B {
        // SAFETY: `LoweredCode::lower` sets `fused::<A, B>` only on an instruction followed by
        // one numbered `B`, and nothing changes the code afterwards.
        unsafe { core::hint::unreachable_unchecked() }
    }
    match step::<false>(instr, &mut rg, cx, acc, facc, const { ACC_OF[B] }) {
        Flow::Continue => dispatch(rg, cx),
        Flow::Exit => ptr::null(),
        Flow::Slow => slow_handler(ip, fp, cx, mem, mem_len, acc, facc),
    }
}

/// Declares the fused pairs: `fused_handler_of` and the list the tests check.
macro_rules! define_fused {
    ($( $a:ident $b:ident ; )*) => {
        /// The pairs of instructions (by number) that have a [`fused`] handler.
        #[cfg(test)]
        const FUSED: &[(usize, usize)] = &[ $( (Op::$a as usize, Op::$b as usize), )* ];

        /// The handler running an instruction numbered `a` and the next one, numbered `b`,
        /// together, if that pair has one (none in debug builds, which dispatch with `match`).
        #[cfg_attr(debug_assertions, allow(unused_variables))]
        fn fused_handler_of(a: usize, b: usize) -> Option<Handler> {
            #[cfg(not(debug_assertions))]
            {
                /// Which instructions start a pair (most do not: one load decides).
                static FIRST: [bool; OPS] = {
                    let mut first = [false; OPS];
                    $( first[Op::$a as usize] = true; )*
                    first
                };
                if !FIRST[a] {
                    return None;
                }
                $(
                    if a == Op::$a as usize && b == Op::$b as usize {
                        return Some(fused::<{ Op::$a as usize }, { Op::$b as usize }>);
                    }
                )*
            }
            None
        }
    };
}

// Pairs that follow each other often in the hot loops of compiled code (counted over the
// benchmark suite: `cargo xtask bench`), in their accumulator forms (`lower`): loop counters
// and their compare-and-branch, address arithmetic feeding a load or store, copies, f64
// multiply-add chains, hash mixing steps, and switch dispatch.
define_fused! {
    I32AddImm BrI32Ne; I32AddImmP BrI32NeC; I32AddImmP BrI32NeImmC; I32AddImmP BrI32LtSC;
    I32AddImmP BrI32LtUC; I32AddImmP BrI32LtSImmC; I32AddImmP BrI32LtUImmC;
    I32AddImmP BrIfNezC; I64AddImmP BrI64NeImmC; I64AddImmP BrI64NeC; I32AddP BrI32LtUImmC;
    I32AddImm BrI64NeImm;
    I32AddImm I32AddImm; I32AddImm Copy; Copy Copy; Copy BrIfNez; ConstI32 I32AddImm;
    Copy BrI64AndImmEqz;
    I32AddC I32Store; I32AddP I32LoadC; I32AddP I32LoadCP; I32ShlImmP I32AddCP;
    I32ShlImmP I32AddC; I32Store I32AddImmP; I32Store Copy; I32AddImm I32Load8UAdd;
    I32AddC I32LoadAddP;
    // f64 multiply-add chains, each in every accumulator combination `lower` can make.
    F64Mul F64Add; F64Mul F64AddP; F64MulC F64Add; F64MulC F64AddP; F64MulP F64AddC;
    F64MulP F64AddCP; F64MulCP F64AddC; F64MulCP F64AddCP; F64Add F64Mul; F64Add F64MulP;
    F64AddC F64Mul; F64AddC F64MulP; F64AddP F64MulC; F64AddP F64MulCP; F64AddCP F64MulC;
    F64AddCP F64MulCP; F64Sub F64Add; F64Sub F64AddP; F64SubC F64Add; F64SubC F64AddP;
    F64SubP F64AddC; F64SubP F64AddCP; F64SubCP F64AddC; F64SubCP F64AddCP; F64Mul F64Sub;
    F64Mul F64SubP; F64MulC F64Sub; F64MulC F64SubP; F64MulP F64SubC; F64MulP F64SubCP;
    F64MulCP F64SubC; F64MulCP F64SubCP; F64Load F64MulP; F64MulP F64MulC;
    // the rest
    I64XorShlImmCP I64XorShrUImmCP; I64XorShrUImmP I64XorShlImmCP; I32RotlImmP I32XorC;
    I32MulCP I32AddC; I64ShrUImmC I32WrapI64;
    ConstI32 BrTable; I32Load8UAdd BrTable;
    // A switch-dispatched interpreter's cases (bytecode): stack-slot address arithmetic, the
    // loads and stores through it, and the jump back to the dispatch.
    I32ShlImm I32AddImm; I32ShlImm I32AddImmP; I32AddCP I32AddImmCP; I32AddImmCP I64LoadC;
    I32ShlImmCP I32AddCP; I32LoadAddP I32ShlImmCP; I64LoadC I32AddImm; I32AddImm I32ShlImmP;
    I64Store Copy; I64Store I32AddImm; I64Store Br; Copy Br; I32AddImm Br; I32LoadAdd Br;
}

/// Every fused pair can occur in lowered code: its second instruction reads the accumulator
/// exactly when the first writes it (of the same kind), as `lower` pairs them; and no pair is
/// listed twice.
#[test]
fn fused_pairs_are_possible_and_distinct() {
    for (k, &(a, b)) in FUSED.iter().enumerate() {
        let (first, second) = (ACC_OF[a], ACC_OF[b]);
        assert_eq!(first.output, second.input, "pair {k}");
        if second.input {
            assert_eq!(first.float, second.float, "pair {k}");
        }
        assert!(!FUSED[..k].contains(&(a, b)), "pair {k} is listed twice");
    }
}

/// Runs the instruction at `ip` with the slow paths, then continues like a handler. Keeps no
/// stack slot of its own across the dispatch (the state comes back through `Cx::saved`), so
/// the dispatch stays a tail call.
#[cold]
#[inline(never)]
fn slow_handler(
    ip: *const Threaded,
    fp: *mut UntypedVal,
    cx: &mut Cx<'_>,
    mem: *mut u8,
    mem_len: usize,
    acc: MaybeUninit<u64>,
    facc: MaybeUninit<f64>,
) -> *const Threaded {
    let ip = step_slow(ip, fp, cx, mem, mem_len, acc, facc);
    if ip.is_null() {
        return ptr::null();
    }
    let (fp, mem, mem_len, acc, facc) = cx.saved;
    dispatch(
        Regs {
            ip,
            fp,
            mem,
            mem_len,
            acc,
            facc,
        },
        cx,
    )
}

/// `step::<true>` on the instruction at `ip`: returns the next instruction (its registers in
/// `Cx::saved`), or null when execution stops.
#[inline(never)]
fn step_slow(
    ip: *const Threaded,
    fp: *mut UntypedVal,
    cx: &mut Cx<'_>,
    mem: *mut u8,
    mem_len: usize,
    acc: MaybeUninit<u64>,
    facc: MaybeUninit<f64>,
) -> *const Threaded {
    // SAFETY: as in `handler`.
    let instr = unsafe { (*ip).code };
    let mut rg = Regs {
        ip,
        fp,
        mem,
        mem_len,
        acc: MaybeUninit::uninit(),
        facc: MaybeUninit::uninit(),
    };
    match step::<true>(instr, &mut rg, cx, acc, facc, ACC_OF[opcode(&instr)]) {
        Flow::Continue => {
            cx.saved = (rg.fp, rg.mem, rg.mem_len, rg.acc, rg.facc);
            rg.ip
        }
        Flow::Exit | Flow::Slow => ptr::null(),
    }
}

/// The handler of instructions numbered `op` (from `opcode`), for [`Threaded::handler`].
fn handler_of(op: usize) -> Handler {
    #[cfg(not(debug_assertions))]
    {
        TABLE[op]
    }
    #[cfg(debug_assertions)]
    {
        let _ = op;
        no_handler
    }
}

/// The handler recorded in debug builds, which dispatch with `match` and never call one.
#[cfg(debug_assertions)]
fn no_handler(
    _: *const Threaded,
    _: *mut UntypedVal,
    _: &mut Cx<'_>,
    _: *mut u8,
    _: usize,
    _: MaybeUninit<u64>,
    _: MaybeUninit<f64>,
) -> *const Threaded {
    unreachable!("debug builds dispatch with `match`")
}

/// Continues at `rg.ip`: a tail call to its handler (`Tail`), or back to `drive`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn dispatch(rg: Regs, cx: &mut Cx<'_>) -> *const Threaded {
    if TECHNIQUE == Technique::Tail {
        // SAFETY: `rg.ip` is an instruction of the running function (see `handler`).
        let run = unsafe { (*rg.ip).handler };
        run(rg.ip, rg.fp, cx, rg.mem, rg.mem_len, rg.acc, rg.facc)
    } else {
        cx.saved = (rg.fp, rg.mem, rg.mem_len, rg.acc, rg.facc);
        rg.ip
    }
}

/// Runs from `rg` until `Cx::exit` is set.
fn drive(rg: Regs, cx: &mut Cx<'_>) {
    match TECHNIQUE {
        Technique::Tail => {
            dispatch(rg, cx);
        }
        Technique::Loop => {
            cx.saved = (rg.fp, rg.mem, rg.mem_len, rg.acc, rg.facc);
            let mut ip = rg.ip;
            while !ip.is_null() {
                let (fp, mem, mem_len, acc, facc) = cx.saved;
                // SAFETY: as in `dispatch`.
                ip = unsafe { (*ip).handler }(ip, fp, cx, mem, mem_len, acc, facc);
            }
        }
        Technique::Match => {
            let mut rg = rg;
            loop {
                // SAFETY: as in `handler`.
                let instr = unsafe { (*rg.ip).code };
                let acc = core::mem::replace(&mut rg.acc, MaybeUninit::uninit());
                let facc = core::mem::replace(&mut rg.facc, MaybeUninit::uninit());
                let uses = ACC_OF[opcode(&instr)];
                if let Flow::Exit = step::<true>(instr, &mut rg, cx, acc, facc, uses) {
                    break;
                }
            }
        }
    }
}

/// Returns from the running function to its caller, or ends the activation.
#[cfg_attr(not(debug_assertions), inline(always))]
fn do_return(rg: &mut Regs, cx: &mut Cx<'_>) -> Flow {
    let Some(f) = cx.frames.pop() else {
        cx.exit = Exit::Return;
        return Flow::Exit;
    };
    cx.code = f.code;
    cx.instrs = f.instrs;
    cx.base = f.base;
    rg.ip = f.ip;
    rg.fp = cx.fp(f.base);
    if f.instance != cx.inst {
        cx.inst = f.instance;
        (rg.mem, rg.mem_len) = mem0(cx.store, f.instance);
    }
    Flow::Continue
}

/// Calls `callee` with its frame at the running frame's slot `b`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn call(rg: &mut Regs, cx: &mut Cx<'_>, callee: FuncAddr, b: usize) -> Flow {
    let new_base = cx.base + b;
    let entity = cx.store.func(callee);
    match &entity.kind {
        FuncKind::Wasm { instance, code } => {
            let (instance, code) = (*instance, &**code as *const IrFunc);
            if cx.frames.len() + 1 >= cx.max_depth {
                cx.exit = Exit::Trap(TrapCode::StackOverflow);
                return Flow::Exit;
            }
            enter(rg, cx, callee, instance, code, new_base, true)
        }
        FuncKind::Host { index } => {
            let index = *index;
            let window = usize::from(entity.param_slots.max(entity.result_slots));
            call_host(rg, cx, index, new_base, window)
        }
    }
}

/// Makes wasm function `callee` (of `instance`, with `code`) the running one with its frame at
/// stack slot `base`: verifies it on first use, reserves its frame, zeroes its locals and, if
/// `push_caller`, records the running function as its caller (a tail call replaces it instead).
#[cfg_attr(not(debug_assertions), inline(always))]
fn enter(
    rg: &mut Regs,
    cx: &mut Cx<'_>,
    callee: FuncAddr,
    instance: InstanceAddr,
    code: *const IrFunc,
    base: usize,
    push_caller: bool,
) -> Flow {
    // SAFETY: `code` is owned by the store's function `callee`, which lives (and does not move)
    // as long as the store (module documentation).
    let c = unsafe { &*code };
    let Some(instrs) = cx
        .lowered
        .get_or_lower(callee, c, &cx.store.instance(instance).funcs)
    else {
        cx.exit = Exit::Invalid;
        return Flow::Exit;
    };
    if let Err(t) = reserve(cx.stack, base + usize::from(c.frame_slots), cx.max_slots) {
        cx.exit = Exit::Trap(t);
        return Flow::Exit;
    }
    zero_locals(
        &mut cx.stack[base + usize::from(c.param_slots)..base + usize::from(c.local_slots)],
    );
    if push_caller {
        cx.frames.push(Frame {
            ip: rg.ip,
            instrs: cx.instrs,
            code: cx.code,
            instance: cx.inst,
            base: cx.base,
        });
    }
    cx.code = code;
    cx.instrs = instrs;
    cx.base = base;
    rg.ip = cx.instrs;
    rg.fp = cx.fp(base);
    if instance != cx.inst {
        cx.inst = instance;
        (rg.mem, rg.mem_len) = mem0(cx.store, instance);
    }
    Flow::Continue
}

/// Sets a callee's locals (besides its parameters) to zero. Most functions have a few: those
/// are plain stores, not a call to `memset` (which `fill` becomes).
#[cfg_attr(not(debug_assertions), inline(always))]
fn zero_locals(locals: &mut [UntypedVal]) {
    const Z: UntypedVal = UntypedVal::ZERO;
    match locals {
        [] => {}
        [a] => *a = Z,
        [a, b] => (*a, *b) = (Z, Z),
        [a, b, c] => (*a, *b, *c) = (Z, Z, Z),
        [a, b, c, d] => (*a, *b, *c, *d) = (Z, Z, Z, Z),
        _ => locals.fill(Z),
    }
}

/// Tail-calls `callee` with the `params` argument slots at the running frame's slot `b`: the
/// arguments move to the frame's slot 0 and the callee replaces the running function in its
/// frame (no frame record is pushed, so the depth does not grow). A host callee is called
/// normally and its results returned.
#[cfg_attr(not(debug_assertions), inline(always))]
fn tail_call(rg: &mut Regs, cx: &mut Cx<'_>, callee: FuncAddr, b: usize, params: usize) -> Flow {
    let base = cx.base;
    let entity = cx.store.func(callee);
    match &entity.kind {
        FuncKind::Wasm { instance, code } => {
            let (instance, code) = (*instance, &**code as *const IrFunc);
            // In bounds: the verifier checked `b + params` is within the running frame, which
            // the stack holds.
            cx.stack.copy_within(base + b..base + b + params, base);
            enter(rg, cx, callee, instance, code, base, false)
        }
        FuncKind::Host { index } => {
            let index = *index;
            let window = usize::from(entity.param_slots.max(entity.result_slots));
            let results = usize::from(entity.result_slots);
            if let Flow::Exit = call_host(rg, cx, index, base + b, window) {
                return Flow::Exit;
            }
            // `call_host` reserved `base + b + window` slots.
            cx.stack.copy_within(base + b..base + b + results, base);
            do_return(rg, cx)
        }
    }
}

/// `throw`: makes an exception of the running instance's tag `tag` with the payload in the
/// running frame's slots from `b` on, and unwinds with it.
#[cold]
#[inline(never)]
fn throw(rg: &mut Regs, cx: &mut Cx<'_>, b: usize, tag: u32) -> Flow {
    let store = &mut *cx.store;
    let Some(&tag) = store.instance(cx.inst).tags.get(tag as usize) else {
        cx.exit = Exit::Invalid;
        return Flow::Exit;
    };
    let sig = store.tags[tag.index()].sig;
    let (n, _) = slot_counts(store.sigs.get(sig));
    let start = cx.base + b;
    let Some(payload) = cx.stack.get(start..start + usize::from(n)) else {
        cx.exit = Exit::Invalid;
        return Flow::Exit;
    };
    let exn = ExnEntity {
        tag,
        payload: payload.into(),
    };
    match store.push_exn(exn) {
        Some(exn) => unwind(rg, cx, exn, true),
        None => {
            cx.exit = Exit::Trap(TrapCode::TooManyExceptions);
            Flow::Exit
        }
    }
}

/// Unwinds with exception `exn`, raised by the instruction before `rg.ip`: from the running
/// frame outwards, the first catch clause that takes it (see [`IrFunc::catches_at`]) gets its
/// values and runs; frames without one are left. An exception no frame of this activation
/// catches ends it with "uncaught exception", with the frames left as they were when it was
/// raised (so the backtrace starts at the thrower, as on x64). A `fresh` exception (made by
/// this `throw`) that ends with no `exnref` to it is freed.
#[cold]
#[inline(never)]
fn unwind(rg: &mut Regs, cx: &mut Cx<'_>, exn: ExnAddr, fresh: bool) -> Flow {
    let Some(thrown) = cx.store.exns.get(exn.index() as usize) else {
        cx.exit = Exit::Invalid;
        return Flow::Exit;
    };
    let thrown_tag = thrown.tag;
    // The raising instruction: the running one, then each caller's call instruction (a frame
    // record keeps the instruction after the call). `left` frames records are to be left.
    let (mut code, mut instrs, mut inst, mut base, mut ip) =
        (cx.code, cx.instrs, cx.inst, cx.base, rg.ip);
    let mut left = 0;
    loop {
        let pc = (ip as usize - instrs as usize) / core::mem::size_of::<Threaded>() - 1;
        // SAFETY: a frame's code lives as long as the store (module documentation).
        let func: &IrFunc = unsafe { &*code };
        let tags = &cx.store.instance(inst).tags;
        let caught = func.catches_at(pc).find(|c| match c.tag {
            None => true,
            Some(t) => tags.get(t as usize) == Some(&thrown_tag),
        });
        if let Some(c) = caught {
            let payload: &[UntypedVal] = match c.tag {
                Some(_) => &cx.store.exns[exn.index() as usize].payload,
                None => &[],
            };
            let n = payload.len();
            let dst = base + c.dst.index();
            // The verifier checked `dst + slots` is inside the frame, which the stack holds.
            if usize::from(c.slots) != n + usize::from(c.with_ref)
                || c.target.index() >= func.instrs.len()
            {
                cx.exit = Exit::Invalid;
                return Flow::Exit;
            }
            cx.stack[dst..dst + n].copy_from_slice(payload);
            if c.with_ref {
                cx.stack[dst + n] = UntypedVal::from_raw_ref(RawRef::from_exn(Some(exn)));
            } else if fresh {
                cx.store.release_exn(exn);
            }
            let keep = cx.frames.len() - left;
            cx.frames.truncate(keep);
            cx.code = code;
            cx.instrs = instrs;
            cx.base = base;
            if inst != cx.inst {
                cx.inst = inst;
                (rg.mem, rg.mem_len) = mem0(cx.store, inst);
            }
            // SAFETY: `target` is an instruction of the catching function (checked above).
            rg.ip = unsafe { instrs.add(c.target.index()) };
            rg.fp = cx.fp(base);
            return Flow::Continue;
        }
        let Some(f) = cx.frames.len().checked_sub(left + 1).map(|i| &cx.frames[i]) else {
            if fresh {
                cx.store.release_exn(exn);
            }
            cx.exit = Exit::Trap(TrapCode::UncaughtException);
            return Flow::Exit;
        };
        code = f.code;
        instrs = f.instrs;
        base = f.base;
        inst = f.instance;
        ip = f.ip;
        left += 1;
    }
}

/// The function `call_indirect`/`return_call_indirect` calls: entry `i` of `inst`'s table
/// `table`, whose signature must be the instance's type `type_index`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn indirect_callee(
    store: &StoreInner,
    inst: InstanceAddr,
    table: u32,
    i: u32,
    type_index: u32,
) -> Result<FuncAddr, TrapCode> {
    let instance = store.instance(inst);
    let t = instance.tables[table as usize].index();
    let r = store.tables[t]
        .get(u64::from(i))
        .map_err(|_| TrapCode::UndefinedElement)?;
    let callee = r.to_func().ok_or(TrapCode::UninitializedElement)?;
    if store.func(callee).sig != instance.sigs[type_index as usize] {
        return Err(TrapCode::IndirectCallTypeMismatch);
    }
    Ok(callee)
}

#[inline(never)]
fn call_host(rg: &mut Regs, cx: &mut Cx<'_>, index: u32, new_base: usize, window: usize) -> Flow {
    if let Err(t) = reserve(cx.stack, new_base + window, cx.max_slots) {
        cx.exit = Exit::Trap(t);
        return Flow::Exit;
    }
    let depth = cx.frames.len() as u32 + 1;
    cx.store.outer_call_depth += depth;
    let ok = cx.host.call(
        cx.store,
        index,
        cx.inst,
        &mut cx.stack[new_base..new_base + window],
    );
    cx.store.outer_call_depth -= depth;
    // The stack was borrowed and the host may have grown or replaced memory 0.
    rg.fp = cx.fp(cx.base);
    (rg.mem, rg.mem_len) = mem0(cx.store, cx.inst);
    if !ok {
        cx.exit = Exit::Host;
        return Flow::Exit;
    }
    Flow::Continue
}

/// Executes `instr` (the instruction at `rg.ip`, which uses the accumulator as `acc` says:
/// `ACC_OF[opcode(&instr)]`, a constant in a handler) and moves `rg.ip` to the next one to run.
/// A consumer reads `acc_in` (`facc_in` for a float form); a producer leaves its result in
/// `rg.acc` (`rg.facc`).
/// Without `SLOW`, an access to a memory other than 0 returns `Flow::Slow` instead (before
/// changing anything).
/// Inlined into each handler, where all arms but one are dead, and into the `Match` loop.
#[cfg_attr(not(debug_assertions), inline(always))]
fn step<const SLOW: bool>(
    instr: Code,
    rg: &mut Regs,
    cx: &mut Cx<'_>,
    acc_in: MaybeUninit<u64>,
    facc_in: MaybeUninit<f64>,
    acc: Acc,
) -> Flow {
    // SAFETY: `ip` is not the last instruction, or that one does not fall through (verified),
    // so this is at most one past the end and is never run.
    rg.ip = unsafe { rg.ip.add(1) };
    let inst = cx.inst;
    // SAFETY: the running function's code lives as long as the store (module documentation).
    let code: &IrFunc = unsafe { &*cx.code };
    let store: &mut StoreInner = &mut *cx.store;
    let host: &mut dyn DynHost = &mut *cx.host;
    // Set by arms that reach memories through the store (which may grow or borrow them).
    let mut reload = false;

    macro_rules! get {
        ($s:expr) => {{
            let s: Slot = $s;
            // SAFETY: the running function was verified (every slot operand below
            // `frame_slots`), and the stack holds `base + frame_slots` slots from its entry on.
            unsafe { *rg.fp.add(s.index()) }
        }};
    }
    macro_rules! set {
        ($s:expr, $v:expr) => {{
            let s: Slot = $s;
            let v: UntypedVal = $v;
            // SAFETY: as in `get!`.
            unsafe { *rg.fp.add(s.index()) = v }
        }};
    }
    // The high half of a `v128` (the verifier checks both halves are in the frame).
    macro_rules! get1 {
        ($s:expr) => {{
            let s: Slot = $s;
            // SAFETY: as in `get!`, for a `v128` operand's second slot.
            unsafe { *rg.fp.add(s.index() + 1) }
        }};
    }
    macro_rules! set1 {
        ($s:expr, $v:expr) => {{
            let s: Slot = $s;
            let v: UntypedVal = $v;
            // SAFETY: as in `get1!`.
            unsafe { *rg.fp.add(s.index() + 1) = v }
        }};
    }
    // The first operand (`lhs`, or `cond` of `br_if_*`): the accumulator in a consumer form.
    macro_rules! first {
        ($s:expr) => {{
            if acc.input && acc.float {
                // SAFETY: as below, for the float accumulator: the lowering pairs a float
                // consumer only with a float producer, which set `rg.facc`.
                UntypedVal::from_f64(unsafe { facc_in.assume_init() })
            } else if acc.input {
                // SAFETY: a consumer form is only run right after its producer fell through to
                // it (the lowering's invariant, see `lower`: it directly follows a producer of
                // its kind and is no branch, catch or call-return target), and the producer set
                // `rg.acc`, which its handler passed on as this handler's `acc_in`.
                UntypedVal::from_bits(unsafe { acc_in.assume_init() })
            } else {
                get!($s)
            }
        }};
    }
    // Writes a result; a producer form also leaves it in the accumulator.
    macro_rules! out {
        ($s:expr, $v:expr) => {{
            let v: UntypedVal = $v;
            set!($s, v);
            if acc.output {
                if acc.float {
                    rg.facc = MaybeUninit::new(v.to_f64());
                } else {
                    rg.acc = MaybeUninit::new(v.to_bits());
                }
            }
        }};
    }
    macro_rules! trap {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(code) => {
                    cx.exit = Exit::Trap(code);
                    return Flow::Exit;
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
            let a = first!($lhs).$to();
            let b = get!($rhs).$to();
            out!($dst, UntypedVal::$from($f(a, b)))
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
            let a = first!($lhs).$to();
            let b = get!($rhs).$to();
            out!($dst, UntypedVal::from_i32($f(a, b) as i32))
        }};
    }
    macro_rules! bin_imm32 {
        ($dst:expr, $lhs:expr, $imm:expr, $to:ident, $from:ident, $f:expr) => {{
            let a = first!($lhs).$to();
            out!($dst, UntypedVal::$from($f(a, $imm as _)))
        }};
    }
    macro_rules! bin_imm64 {
        ($dst:expr, $lhs:expr, $imm:expr, $to:ident, $from:ident, $f:expr) => {{
            let a = first!($lhs).$to();
            out!($dst, UntypedVal::$from($f(a, i64::from($imm) as _)))
        }};
    }
    macro_rules! jump {
        ($target:expr) => {{
            let t: Target = $target;
            // SAFETY: `t` is the byte distance from the instruction after the branch, where
            // `rg.ip` points, to its target (`relative_target`), which the verifier checked is
            // an instruction of the running function.
            rg.ip = unsafe { rg.ip.byte_offset(t.0 as i32 as isize) };
            keep_as_branch();
        }};
    }
    macro_rules! branch {
        ($lhs:expr, $rhs:expr, $target:expr, $to:ident, $f:expr) => {{
            let a = first!($lhs).$to();
            let b = get!($rhs).$to();
            if $f(a, b) {
                jump!($target);
            }
        }};
    }
    macro_rules! branch_imm32 {
        ($lhs:expr, $imm:expr, $target:expr, $to:ident, $f:expr) => {{
            let a = first!($lhs).$to();
            if $f(a, $imm as _) {
                jump!($target);
            }
        }};
    }
    macro_rules! branch_imm64 {
        ($lhs:expr, $imm:expr, $target:expr, $to:ident, $f:expr) => {{
            let a = first!($lhs).$to();
            if $f(a, i64::from($imm) as _) {
                jump!($target);
            }
        }};
    }
    // A memory through the store (not the registers): reloads memory 0's registers after.
    macro_rules! memory {
        ($m:expr) => {{
            reload = true;
            let addr = store.instance(inst).memories[$m as usize].index();
            &mut store.memories[addr]
        }};
    }
    // Memories other than 0 are reached through the store, in `slow_handler` (`Flow::Slow`).
    macro_rules! mload {
        ($m:expr, $addr:expr, $off:expr, $ty:ty) => {{
            let (m, addr, off): (u16, u32, u32) = ($m as u16, $addr, $off);
            let v: $ty = if m == 0 {
                trap!(rg.load::<$ty>(addr, off))
            } else if SLOW {
                trap!(memory!(m).load::<$ty>(u64::from(addr), u64::from(off)))
            } else {
                return Flow::Slow;
            };
            v
        }};
    }
    macro_rules! mstore {
        ($m:expr, $addr:expr, $off:expr, $ty:ty, $v:expr) => {{
            let (m, addr, off): (u16, u32, u32) = ($m as u16, $addr, $off);
            let v: $ty = $v;
            if m == 0 {
                trap!(rg.store::<$ty>(addr, off, v))
            } else if SLOW {
                trap!(memory!(m).store::<$ty>(u64::from(addr), u64::from(off), v))
            } else {
                return Flow::Slow;
            }
        }};
    }
    macro_rules! load {
        ($dst:expr, $ptr:expr, $m:expr, $off:expr, $ty:ty, $from:ident, $conv:ty) => {{
            let v = mload!($m, first!($ptr).to_u32(), $off, $ty);
            out!($dst, UntypedVal::$from(v as $conv))
        }};
    }
    macro_rules! store_op {
        ($ptr:expr, $value:expr, $m:expr, $off:expr, $to:ident, $ty:ty) => {{
            let addr = get!($ptr).to_u32();
            mstore!($m, addr, $off, $ty, get!($value).$to() as $ty)
        }};
    }
    // `load_add` / `store_add`: the address is `ptr + imm` wrapped to 32 bits (the absorbed
    // `i32.add`), then `offset` is added as in any access.
    macro_rules! load_add {
        ($dst:expr, $ptr:expr, $imm:expr, $m:expr, $off:expr, $ty:ty, $from:ident, $conv:ty) => {{
            let addr = first!($ptr).to_u32().wrapping_add($imm as u32);
            let v = mload!($m, addr, $off, $ty);
            out!($dst, UntypedVal::$from(v as $conv))
        }};
    }
    macro_rules! store_op_add {
        ($ptr:expr, $value:expr, $imm:expr, $m:expr, $off:expr, $to:ident, $ty:ty) => {{
            let addr = get!($ptr).to_u32().wrapping_add($imm as u32);
            mstore!($m, addr, $off, $ty, get!($value).$to() as $ty)
        }};
    }
    // ---- simd: a `v128` is two slots, low half first; the lane semantics are in `simd` ----
    macro_rules! get128 {
        ($s:expr) => {{
            let s: Slot = $s;
            UntypedVal::to_v128([get!(s), get1!(s)])
        }};
    }
    // The lane code runs out of line (see `vec`): it uses `black_box`, whose stack slot would
    // keep a handler from tail-calling. Only slot indices and scalars cross the call.
    macro_rules! v_un {
        ($dst:expr, $src:expr, $f:expr) => {
            // SAFETY: the slots are operands of a verified `v128` instruction (see `get!`).
            unsafe { vec::un(rg.fp, $dst, $src, $f) }
        };
    }
    macro_rules! v_bin {
        ($dst:expr, $lhs:expr, $rhs:expr, $f:expr) => {
            // SAFETY: as in `v_un!`.
            unsafe { vec::bin(rg.fp, $dst, $lhs, $rhs, $f) }
        };
    }
    macro_rules! v_ternary {
        ($dst:expr, $a:expr, $b:expr, $c:expr, $f:expr) => {
            // SAFETY: as in `v_un!`.
            unsafe { vec::ternary(rg.fp, $dst, $a, $b, $c, $f) }
        };
    }
    macro_rules! v_shift {
        ($dst:expr, $lhs:expr, $rhs:expr, $f:expr) => {{
            let n = get!($rhs).to_u32();
            // SAFETY: as in `v_un!`.
            unsafe { vec::replace(rg.fp, $dst, $lhs, (), n, |a, (), n| $f(a, n)) }
        }};
    }
    macro_rules! v_shuffle {
        ($dst:expr, $lhs:expr, $rhs:expr, $mask:expr) => {{
            let mask = code.v128_consts[$mask as usize];
            // SAFETY: as in `v_un!`.
            unsafe { vec::shuffle(rg.fp, $dst, $lhs, $rhs, mask) }
        }};
    }
    macro_rules! v_test {
        ($dst:expr, $src:expr, $f:expr) => {{
            // SAFETY: as in `v_un!`.
            let r: i32 = unsafe { vec::get(rg.fp, $src, (), |a, ()| $f(a)) };
            set!($dst, UntypedVal::from_i32(r))
        }};
    }
    macro_rules! v_splat {
        ($dst:expr, $src:expr, $to:ident, $f:expr) => {{
            let x = get!($src).$to();
            // SAFETY: as in `v_un!`.
            unsafe { vec::from(rg.fp, $dst, x, $f) }
        }};
    }
    macro_rules! v_extract {
        ($dst:expr, $src:expr, $lane:expr, $from:ident, $f:expr) => {{
            // SAFETY: as in `v_un!`.
            let r = unsafe { vec::get(rg.fp, $src, $lane, $f) };
            set!($dst, UntypedVal::$from(r))
        }};
    }
    macro_rules! v_replace {
        ($dst:expr, $src:expr, $value:expr, $lane:expr, $to:ident, $f:expr) => {{
            let x = get!($value).$to();
            // SAFETY: as in `v_un!`.
            unsafe { vec::replace(rg.fp, $dst, $src, $lane, x, $f) }
        }};
    }
    macro_rules! v_load {
        ($dst:expr, $ptr:expr, $m:expr, $off:expr, $ty:ty, $f:expr) => {{
            let x = mload!($m, get!($ptr).to_u32(), $off, $ty);
            // SAFETY: as in `v_un!`.
            unsafe { vec::from(rg.fp, $dst, x, $f) }
        }};
    }
    macro_rules! v_load_lane {
        ($dst:expr, $ptr:expr, $src:expr, $m:expr, $lane:expr, $off:expr, $ty:ty, $f:expr) => {{
            let x = mload!($m, get!($ptr).to_u32(), $off, $ty);
            // SAFETY: as in `v_un!`.
            unsafe { vec::replace(rg.fp, $dst, $src, $lane, x, $f) }
        }};
    }
    macro_rules! v_store {
        ($ptr:expr, $value:expr, $m:expr, $off:expr) => {{
            let addr = get!($ptr).to_u32();
            mstore!($m, addr, $off, u128, get128!($value))
        }};
    }
    // Lane-wise operations straight on the frame, on little-endian targets (where a `v128`'s
    // two slots hold its 16 bytes in lane order): the lanes are read from the slots as an
    // array, nothing passes through a stack slot, so LLVM emits the vector instruction inline
    // (`paddd` for `i32x4.add`) and the handler keeps its tail call, with no call to the
    // out-of-line lane code (`vec`) and no register saves around it. Other targets use `vec`.
    macro_rules! lanes_at {
        ($s:expr, $t:ty, $n:literal) => {{
            let s: Slot = $s;
            // SAFETY: as in `v_un!`: both slots of the `v128` operand are in the frame;
            // `[$t; $n]` is 16 bytes, valid for any bits, read unaligned.
            unsafe { ptr::read_unaligned(rg.fp.add(s.index()).cast::<[$t; $n]>()) }
        }};
    }
    macro_rules! set_lanes {
        ($s:expr, $t:ty, $n:literal, $v:expr) => {{
            let s: Slot = $s;
            let v: [$t; $n] = $v;
            // SAFETY: as in `lanes_at!`.
            unsafe { ptr::write_unaligned(rg.fp.add(s.index()).cast::<[$t; $n]>(), v) }
        }};
    }
    macro_rules! v_zip {
        ($dst:expr, $lhs:expr, $rhs:expr, $slow:expr, $t:ty, $n:literal, $f:expr) => {{
            if cfg!(target_endian = "little") {
                let a = lanes_at!($lhs, $t, $n);
                let b = lanes_at!($rhs, $t, $n);
                let mut r = a;
                for i in 0..$n {
                    r[i] = $f(a[i], b[i]);
                }
                set_lanes!($dst, $t, $n, r)
            } else {
                v_bin!($dst, $lhs, $rhs, $slow)
            }
        }};
    }
    macro_rules! v_shift_fast {
        ($dst:expr, $lhs:expr, $rhs:expr, $slow:expr, $t:ty, $n:literal, $sh:ident) => {{
            if cfg!(target_endian = "little") {
                let k = get!($rhs).to_u32();
                let a = lanes_at!($lhs, $t, $n);
                let mut r = a;
                for i in 0..$n {
                    r[i] = a[i].$sh(k);
                }
                set_lanes!($dst, $t, $n, r)
            } else {
                v_shift!($dst, $lhs, $rhs, $slow)
            }
        }};
    }
    macro_rules! v_splat_fast {
        ($dst:expr, $src:expr, $to:ident, $slow:expr, $t:ty, $n:literal) => {{
            if cfg!(target_endian = "little") {
                let x = get!($src).$to() as $t;
                set_lanes!($dst, $t, $n, [x; $n])
            } else {
                v_splat!($dst, $src, $to, $slow)
            }
        }};
    }
    // Lane `lane` of `src` (`lane < $n`, checked by the verifier; the mask keeps the index
    // in bounds without a check).
    macro_rules! v_extract_fast {
        ($dst:expr, $src:expr, $lane:expr, $from:ident, $slow:expr, $t:ty, $n:literal) => {{
            if cfg!(target_endian = "little") {
                let a = lanes_at!($src, $t, $n);
                set!($dst, UntypedVal::$from(a[usize::from($lane) & ($n - 1)]))
            } else {
                v_extract!($dst, $src, $lane, $from, $slow)
            }
        }};
    }
    macro_rules! v_replace_fast {
        ($dst:expr, $src:expr, $value:expr, $lane:expr, $to:ident, $slow:expr, $t:ty, $n:literal) => {{
            if cfg!(target_endian = "little") {
                let x = get!($value).$to() as $t;
                let mut a = lanes_at!($src, $t, $n);
                a[usize::from($lane) & ($n - 1)] = x;
                set_lanes!($dst, $t, $n, a)
            } else {
                v_replace!($dst, $src, $value, $lane, $to, $slow)
            }
        }};
    }
    // `v128.load8x8_s` ...: the `$n` narrow lanes of a 64-bit load, each widened.
    macro_rules! v_load_ext {
        ($dst:expr, $ptr:expr, $m:expr, $off:expr, $slow:expr, $from:ty, $to:ty, $n:literal) => {{
            let x = mload!($m, get!($ptr).to_u32(), $off, u64);
            if cfg!(target_endian = "little") {
                let mut r: [$to; $n] = [0; $n];
                for (i, lane) in r.iter_mut().enumerate() {
                    *lane = (x >> (i * (64 / $n))) as $from as $to;
                }
                set_lanes!($dst, $to, $n, r)
            } else {
                // SAFETY: as in `v_un!`.
                unsafe { vec::from(rg.fp, $dst, x, $slow) }
            }
        }};
    }
    macro_rules! v_store_lane {
        ($ptr:expr, $value:expr, $m:expr, $lane:expr, $off:expr, $ty:ty, $f:expr) => {{
            let addr = get!($ptr).to_u32();
            // SAFETY: as in `v_un!`.
            let x: $ty = unsafe { vec::get(rg.fp, $value, $lane, $f) };
            mstore!($m, addr, $off, $ty, x)
        }};
    }

    match instr {
        // ---- control ----
        Code::Unreachable {} => trap!(Err(TrapCode::Unreachable)),
        // Emitted only when the engine meters fuel / is interruptible (see the `Instr` docs).
        // Fuel lives in the store so host functions and the embedder see it; an interrupt is
        // one relaxed load of a flag shared with other threads.
        Code::ConsumeFuel { amount } => match store.fuel.checked_sub(u64::from(amount)) {
            Some(left) => store.fuel = left,
            None => trap!(Err(TrapCode::OutOfFuel)),
        },
        Code::CheckInterrupt {} => {
            if store.interrupt.is_requested() && store.interrupt.take() {
                trap!(Err(TrapCode::Interrupted))
            }
        }
        Code::Br { target } => jump!(target),
        acc_pat!(BrIfNez { cond, target }) => {
            if first!(cond).to_i32() != 0 {
                jump!(target)
            }
        }
        acc_pat!(BrIfEqz { cond, target }) => {
            if first!(cond).to_i32() == 0 {
                jump!(target)
            }
        }
        Code::BrTable { index, len } => {
            let i = get!(index).to_u32().min(len);
            // SAFETY: the verifier checked `br_table` is followed by its `len + 1` `br`s, and
            // `rg.ip` already points at the first.
            let entry = unsafe { rg.ip.add(i as usize) };
            // Take the entry's branch here rather than dispatching to it (one handler less
            // per `br_table`).
            // SAFETY: `entry` is one of those `br`s, inside the function.
            match unsafe { (*entry).code } {
                Code::Br { target } => {
                    // SAFETY: `entry` is an instruction of the function, so this is at most one
                    // past its end. `jump!` measures the entry's target from there.
                    rg.ip = unsafe { entry.add(1) };
                    jump!(target)
                }
                _ => rg.ip = entry,
            }
        }
        Code::Return {} => return do_return(rg, cx),
        Code::Call { base: b, func } => {
            // `func` is the callee's store address (`resolve_callee`), so never `u32::MAX`.
            let Some(callee) = FuncAddr::new(func) else {
                cx.exit = Exit::Invalid;
                return Flow::Exit;
            };
            return call(rg, cx, callee, b.index());
        }
        Code::CallIndirect {
            base: b,
            index,
            table,
            type_index,
        } => {
            let i = get!(index).to_u32();
            let callee = trap!(indirect_callee(store, inst, table, i, type_index));
            return call(rg, cx, callee, b.index());
        }
        Code::ReturnCall {
            base: b,
            params,
            func,
        } => {
            // As for `call`.
            let Some(callee) = FuncAddr::new(func) else {
                cx.exit = Exit::Invalid;
                return Flow::Exit;
            };
            return tail_call(rg, cx, callee, b.index(), usize::from(params));
        }
        Code::ReturnCallIndirect {
            base: b,
            index,
            params,
            table,
            type_index,
        } => {
            let i = get!(index).to_u32();
            let callee = trap!(indirect_callee(store, inst, table, i, type_index));
            return tail_call(rg, cx, callee, b.index(), usize::from(params));
        }
        Code::CallRef { base: b, callee } => {
            let callee = get!(callee).to_raw_ref().to_func();
            let callee = trap!(callee.ok_or(TrapCode::NullFunctionReference));
            return call(rg, cx, callee, b.index());
        }
        Code::ReturnCallRef {
            base: b,
            callee,
            params,
        } => {
            let callee = get!(callee).to_raw_ref().to_func();
            let callee = trap!(callee.ok_or(TrapCode::NullFunctionReference));
            return tail_call(rg, cx, callee, b.index(), usize::from(params));
        }
        Code::RefAsNonNull { src } => {
            if get!(src).to_raw_ref().is_null() {
                trap!(Err(TrapCode::NullReference));
            }
        }
        Code::Throw { base: b, tag } => return throw(rg, cx, b.index(), tag),
        Code::ThrowRef { exn } => {
            let exn = get!(exn).to_raw_ref().to_exn();
            let exn = trap!(exn.ok_or(TrapCode::NullExceptionReference));
            return unwind(rg, cx, exn, false);
        }
        acc_pat!(BrI32Eq { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i32, |a, b| a == b)
        }
        acc_pat!(BrI32Ne { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i32, |a, b| a != b)
        }
        acc_pat!(BrI32LtS { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i32, |a, b| a < b)
        }
        acc_pat!(BrI32LtU { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_u32, |a, b| a < b)
        }
        acc_pat!(BrI32GtS { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i32, |a, b| a > b)
        }
        acc_pat!(BrI32GtU { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_u32, |a, b| a > b)
        }
        acc_pat!(BrI32LeS { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i32, |a, b| a <= b)
        }
        acc_pat!(BrI32LeU { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_u32, |a, b| a <= b)
        }
        acc_pat!(BrI32GeS { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i32, |a, b| a >= b)
        }
        acc_pat!(BrI32GeU { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_u32, |a, b| a >= b)
        }
        acc_pat!(BrI64Eq { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i64, |a, b| a == b)
        }
        acc_pat!(BrI64Ne { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i64, |a, b| a != b)
        }
        acc_pat!(BrI64LtS { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i64, |a, b| a < b)
        }
        acc_pat!(BrI64LtU { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_u64, |a, b| a < b)
        }
        acc_pat!(BrI64GtS { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i64, |a, b| a > b)
        }
        acc_pat!(BrI64GtU { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_u64, |a, b| a > b)
        }
        acc_pat!(BrI64LeS { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i64, |a, b| a <= b)
        }
        acc_pat!(BrI64LeU { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_u64, |a, b| a <= b)
        }
        acc_pat!(BrI64GeS { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_i64, |a, b| a >= b)
        }
        acc_pat!(BrI64GeU { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_u64, |a, b| a >= b)
        }
        acc_pat!(BrI32EqImm { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_i32, |a, b| a == b)
        }
        acc_pat!(BrI32NeImm { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_i32, |a, b| a != b)
        }
        acc_pat!(BrI32LtSImm { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_i32, |a, b| a < b)
        }
        acc_pat!(BrI32LtUImm { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_u32, |a, b| a < b)
        }
        acc_pat!(BrI32GtSImm { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_i32, |a, b| a > b)
        }
        acc_pat!(BrI32GtUImm { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_u32, |a, b| a > b)
        }
        acc_pat!(BrI32LeSImm { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_i32, |a, b| a <= b)
        }
        acc_pat!(BrI32LeUImm { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_u32, |a, b| a <= b)
        }
        acc_pat!(BrI32GeSImm { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_i32, |a, b| a >= b)
        }
        acc_pat!(BrI32GeUImm { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_u32, |a, b| a >= b)
        }
        acc_pat!(BrI64EqImm { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_i64, |a, b| a == b)
        }
        acc_pat!(BrI64NeImm { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_i64, |a, b| a != b)
        }
        acc_pat!(BrI64LtSImm { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_i64, |a, b| a < b)
        }
        acc_pat!(BrI64LtUImm { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_u64, |a, b| a < b)
        }
        acc_pat!(BrI64GtSImm { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_i64, |a, b| a > b)
        }
        acc_pat!(BrI64GtUImm { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_u64, |a, b| a > b)
        }
        acc_pat!(BrI64LeSImm { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_i64, |a, b| a <= b)
        }
        acc_pat!(BrI64LeUImm { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_u64, |a, b| a <= b)
        }
        acc_pat!(BrI64GeSImm { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_i64, |a, b| a >= b)
        }
        acc_pat!(BrI64GeUImm { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_u64, |a, b| a >= b)
        }

        // ---- values ----
        Code::Copy { dst, src } => set!(dst, get!(src)),
        Code::Copy128 { dst, src } => {
            let (lo, hi) = (get!(src), get1!(src));
            set!(dst, lo);
            set1!(dst, hi);
        }
        Code::CopyMany { dst, src, len } => {
            // SAFETY: the verifier checked both windows lie in the frame (see `slot!`).
            unsafe {
                core::ptr::copy(
                    rg.fp.add(src.index()),
                    rg.fp.add(dst.index()),
                    usize::from(len),
                )
            };
        }
        Code::ConstI32 { dst, value } => set!(dst, UntypedVal::from_i32(value)),
        Code::ConstI64 { dst, value } => set!(dst, UntypedVal::from_i64(value)),
        Code::ConstF32 { dst, bits } => set!(dst, UntypedVal::from_u32(bits)),
        Code::ConstF64 { dst, bits } => set!(dst, UntypedVal::from_u64(bits)),
        Code::ConstV128 { dst, index } => {
            let [lo, hi] = UntypedVal::from_v128(code.v128_consts[index as usize]);
            set!(dst, lo);
            set1!(dst, hi);
        }
        Code::Select {
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
        Code::Select128 {
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
            let (lo, hi) = (get!(s), get1!(s));
            set!(dst, lo);
            set1!(dst, hi);
        }
        Code::GlobalGet { dst, global } => {
            let g = store.instance(inst).globals[global as usize].index();
            set!(dst, store.globals[g].get_untyped())
        }
        Code::GlobalGet128 { dst, global } => {
            let g = store.instance(inst).globals[global as usize].index();
            let [lo, hi] = store.globals[g].cell().slots;
            set!(dst, lo);
            set1!(dst, hi);
        }
        Code::GlobalSet { src, global } => {
            let g = store.instance(inst).globals[global as usize].index();
            store.globals[g].set_untyped(get!(src))
        }
        Code::GlobalSet128 { src, global } => {
            let g = store.instance(inst).globals[global as usize].index();
            let v = [get!(src), get1!(src)];
            store.globals[g].cell_mut().slots = v;
        }

        // ---- references and tables ----
        Code::RefNull { dst } => set!(dst, UntypedVal::ZERO),
        Code::RefIsNull { dst, src } => {
            set!(
                dst,
                UntypedVal::from_i32(get!(src).to_raw_ref().is_null() as i32)
            )
        }
        Code::RefFunc { dst, func } => {
            let f = store.instance(inst).funcs[func as usize];
            set!(dst, UntypedVal::from_raw_ref(RawRef::from(f)))
        }
        Code::TableGet { dst, index, table } => {
            let r = trap!(store.table_get(inst, table, get!(index)));
            set!(dst, r)
        }
        Code::TableSet {
            index,
            value,
            table,
        } => trap!(store.table_set(inst, table, get!(index), get!(value))),
        Code::TableSize { dst, table } => set!(dst, store.table_size(inst, table)),
        Code::TableGrow {
            dst,
            init,
            delta,
            table,
        } => {
            let r = store.table_grow(inst, table, get!(init), get!(delta), host.limiter());
            set!(dst, r)
        }
        Code::TableFill {
            index,
            value,
            len,
            table,
        } => {
            let (i, v, n) = (get!(index), get!(value), get!(len));
            trap!(store.table_fill(inst, table, i, v, n))
        }
        Code::TableCopy {
            dst,
            src,
            len,
            dst_table,
            src_table,
        } => {
            let (d, s, n) = (get!(dst), get!(src), get!(len));
            trap!(store.table_copy(inst, dst_table, src_table, d, s, n))
        }
        Code::TableInit {
            dst,
            src,
            len,
            table,
            elem,
        } => {
            let (d, s, n) = (get!(dst), get!(src), get!(len));
            trap!(store.table_init(inst, table, elem, d, s, n))
        }
        Code::ElemDrop { elem } => {
            let e = store.instance(inst).elems[elem as usize].index();
            store.elems[e].elem_drop()
        }

        // ---- memory ----
        Code::MemorySize { dst, memory } => {
            let pages = memory!(memory).size_pages();
            set!(dst, UntypedVal::from_u32(pages as u32))
        }
        Code::MemoryGrow { dst, delta, memory } => {
            reload = true;
            let r = store.memory_grow(inst, memory, get!(delta), host.limiter());
            set!(dst, r)
        }
        Code::CheckIndex64 { index } => {
            if get!(index).to_u64() > u64::from(u32::MAX) {
                trap!(Err(TrapCode::UndefinedElement));
            }
        }
        Code::CheckAddr64 { addr, offset } => {
            if get!(addr).to_u64() > u64::from(u32::MAX) || offset != 0 {
                trap!(Err(TrapCode::MemoryOutOfBounds));
            }
        }
        Code::MemoryFill {
            dst,
            value,
            len,
            memory,
        } => {
            reload = true;
            trap!(store.memory_fill(inst, memory, get!(dst), get!(value), get!(len)))
        }
        Code::MemoryCopy {
            dst,
            src,
            len,
            dst_memory,
            src_memory,
        } => {
            reload = true;
            let (d, s, n) = (get!(dst), get!(src), get!(len));
            trap!(store.memory_copy(inst, dst_memory.into(), src_memory.into(), d, s, n))
        }
        Code::MemoryInit {
            dst,
            src,
            len,
            memory,
            data,
        } => {
            reload = true;
            let (d, s, n) = (get!(dst), get!(src), get!(len));
            trap!(store.memory_init(inst, memory.into(), data, d, s, n))
        }
        Code::DataDrop { data } => {
            let seg = store.instance(inst).datas[data as usize].index();
            store.datas[seg].data_drop()
        }
        acc_pat!(I32Load {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, u32, from_u32, u32),
        acc_pat!(I64Load {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, u64, from_u64, u64),
        Code::F32Load {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, u32, from_u32, u32),
        Code::F64Load {
            dst,
            ptr,
            memory,
            offset,
        } => load!(dst, ptr, memory, offset, u64, from_u64, u64),
        acc_pat!(I32Load8S {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, i8, from_i32, i32),
        acc_pat!(I32Load8U {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, u8, from_u32, u32),
        acc_pat!(I32Load16S {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, i16, from_i32, i32),
        acc_pat!(I32Load16U {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, u16, from_u32, u32),
        acc_pat!(I64Load8S {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, i8, from_i64, i64),
        acc_pat!(I64Load8U {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, u8, from_u64, u64),
        acc_pat!(I64Load16S {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, i16, from_i64, i64),
        acc_pat!(I64Load16U {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, u16, from_u64, u64),
        acc_pat!(I64Load32S {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, i32, from_i64, i64),
        acc_pat!(I64Load32U {
            dst,
            ptr,
            memory,
            offset,
        }) => load!(dst, ptr, memory, offset, u32, from_u64, u64),
        Code::I32Store {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u32, u32),
        Code::I64Store {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u64, u64),
        Code::F32Store {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u32, u32),
        Code::F64Store {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u64, u64),
        Code::I32Store8 {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u32, u8),
        Code::I32Store16 {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u32, u16),
        Code::I64Store8 {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u64, u8),
        Code::I64Store16 {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u64, u16),
        Code::I64Store32 {
            ptr,
            value,
            memory,
            offset,
        } => store_op!(ptr, value, memory, offset, to_u64, u32),
        acc_pat!(I32LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, u32, from_u32, u32),
        acc_pat!(I64LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, u64, from_u64, u64),
        Code::F32LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, u32, from_u32, u32),
        Code::F64LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => load_add!(dst, ptr, imm, memory, offset, u64, from_u64, u64),
        acc_pat!(I32Load8SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, i8, from_i32, i32),
        acc_pat!(I32Load8UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, u8, from_u32, u32),
        acc_pat!(I32Load16SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, i16, from_i32, i32),
        acc_pat!(I32Load16UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, u16, from_u32, u32),
        acc_pat!(I64Load8SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, i8, from_i64, i64),
        acc_pat!(I64Load8UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, u8, from_u64, u64),
        acc_pat!(I64Load16SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, i16, from_i64, i64),
        acc_pat!(I64Load16UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, u16, from_u64, u64),
        acc_pat!(I64Load32SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, i32, from_i64, i64),
        acc_pat!(I64Load32UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }) => load_add!(dst, ptr, imm, memory, offset, u32, from_u64, u64),
        Code::I32StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u32, u32),
        Code::I64StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u64, u64),
        Code::F32StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u32, u32),
        Code::F64StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u64, u64),
        Code::I32Store8Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u32, u8),
        Code::I32Store16Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u32, u16),
        Code::I64Store8Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u64, u8),
        Code::I64Store16Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u64, u16),
        Code::I64Store32Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => store_op_add!(ptr, value, imm, memory, offset, to_u64, u32),
        Code::I32Store8ImmAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => {
            let addr = get!(ptr).to_u32().wrapping_add(imm as u32);
            mstore!(memory, addr, offset, u8, value as u8)
        }
        Code::I32Store16ImmAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => {
            let addr = get!(ptr).to_u32().wrapping_add(imm as u32);
            mstore!(memory, addr, offset, u16, value)
        }
        Code::I32StoreImm {
            ptr,
            value,
            memory,
            offset,
        } => mstore!(memory, get!(ptr).to_u32(), offset, u32, value as u32),
        Code::I32Store8Imm {
            ptr,
            value,
            memory,
            offset,
        } => mstore!(memory, get!(ptr).to_u32(), offset, u8, value as u8),
        Code::I32Store16Imm {
            ptr,
            value,
            memory,
            offset,
        } => mstore!(memory, get!(ptr).to_u32(), offset, u16, value as u16),
        Code::I64StoreImm {
            ptr,
            value,
            memory,
            offset,
        } => mstore!(
            memory,
            get!(ptr).to_u32(),
            offset,
            u64,
            i64::from(value) as u64
        ),

        // ---- i32 ----
        Code::I32Eqz { dst, src } => {
            un!(dst, src, to_i32, from_i32, |a: i32| (a == 0) as i32)
        }
        acc_pat!(I32Eq { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i32, |a, b| a == b),
        acc_pat!(I32Ne { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i32, |a, b| a != b),
        acc_pat!(I32LtS { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i32, |a, b| a < b),
        acc_pat!(I32LtU { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_u32, |a, b| a < b),
        acc_pat!(I32GtS { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i32, |a, b| a > b),
        acc_pat!(I32GtU { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_u32, |a, b| a > b),
        acc_pat!(I32LeS { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i32, |a, b| a <= b),
        acc_pat!(I32LeU { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_u32, |a, b| a <= b),
        acc_pat!(I32GeS { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i32, |a, b| a >= b),
        acc_pat!(I32GeU { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_u32, |a, b| a >= b),
        Code::I32Clz { dst, src } => un!(dst, src, to_u32, from_u32, u32::leading_zeros),
        Code::I32Ctz { dst, src } => un!(dst, src, to_u32, from_u32, u32::trailing_zeros),
        Code::I32Popcnt { dst, src } => un!(dst, src, to_u32, from_u32, u32::count_ones),
        acc_pat!(I32Add { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_i32, from_i32, i32::wrapping_add)
        }
        acc_pat!(I32Sub { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_i32, from_i32, i32::wrapping_sub)
        }
        acc_pat!(I32Mul { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_i32, from_i32, i32::wrapping_mul)
        }
        Code::I32DivS { dst, lhs, rhs } => {
            bin_trap!(dst, lhs, rhs, to_i32, from_i32, ops::i32_div_s)
        }
        Code::I32DivU { dst, lhs, rhs } => {
            bin_trap!(dst, lhs, rhs, to_u32, from_u32, ops::i32_div_u)
        }
        Code::I32RemS { dst, lhs, rhs } => {
            bin_trap!(dst, lhs, rhs, to_i32, from_i32, ops::i32_rem_s)
        }
        Code::I32RemU { dst, lhs, rhs } => {
            bin_trap!(dst, lhs, rhs, to_u32, from_u32, ops::i32_rem_u)
        }
        acc_pat!(I32And { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u32, from_u32, |a, b| a & b)
        }
        acc_pat!(I32Or { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u32, from_u32, |a, b| a | b)
        }
        acc_pat!(I32Xor { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u32, from_u32, |a, b| a ^ b)
        }
        acc_pat!(I32Shl { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u32, from_u32, u32::wrapping_shl)
        }
        acc_pat!(I32ShrS { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_i32, from_i32, |a: i32, b: i32| a
                .wrapping_shr(b as u32))
        }
        acc_pat!(I32ShrU { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u32, from_u32, u32::wrapping_shr)
        }
        acc_pat!(I32Rotl { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u32, from_u32, u32::rotate_left)
        }
        acc_pat!(I32Rotr { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u32, from_u32, u32::rotate_right)
        }
        acc_pat!(I32EqImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a == b)
                as i32)
        }
        acc_pat!(I32NeImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a != b)
                as i32)
        }
        acc_pat!(I32LtSImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a < b)
                as i32)
        }
        acc_pat!(I32LtUImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_u32, from_i32, |a: u32, b: u32| (a < b)
                as i32)
        }
        acc_pat!(I32GtSImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a > b)
                as i32)
        }
        acc_pat!(I32GtUImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_u32, from_i32, |a: u32, b: u32| (a > b)
                as i32)
        }
        acc_pat!(I32LeSImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a <= b)
                as i32)
        }
        acc_pat!(I32LeUImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_u32, from_i32, |a: u32, b: u32| (a <= b)
                as i32)
        }
        acc_pat!(I32GeSImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| (a >= b)
                as i32)
        }
        acc_pat!(I32GeUImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_u32, from_i32, |a: u32, b: u32| (a >= b)
                as i32)
        }
        acc_pat!(I32AddImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, i32::wrapping_add)
        }
        acc_pat!(I32MulImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, i32::wrapping_mul)
        }
        acc_pat!(I32AndImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| a & b)
        }
        acc_pat!(I32OrImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| a | b)
        }
        acc_pat!(I32XorImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: i32| a ^ b)
        }
        acc_pat!(I32ShlImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_u32, from_u32, u32::wrapping_shl)
        }
        acc_pat!(I32ShrSImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_i32, from_i32, |a: i32, b: u32| a
                .wrapping_shr(b))
        }
        acc_pat!(I32ShrUImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_u32, from_u32, u32::wrapping_shr)
        }
        acc_pat!(I32RotlImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_u32, from_u32, u32::rotate_left)
        }
        acc_pat!(I32RotrImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_u32, from_u32, u32::rotate_right)
        }
        acc_pat!(I32XorShlImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_u32, from_u32, |a: u32, b: u32| a ^ a
                .wrapping_shl(b))
        }
        acc_pat!(I32XorShrUImm { dst, lhs, imm }) => {
            bin_imm32!(dst, lhs, imm, to_u32, from_u32, |a: u32, b: u32| a ^ a
                .wrapping_shr(b))
        }

        // ---- i64 ----
        Code::I64Eqz { dst, src } => {
            un!(dst, src, to_i64, from_i32, |a: i64| (a == 0) as i32)
        }
        acc_pat!(I64Eq { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i64, |a, b| a == b),
        acc_pat!(I64Ne { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i64, |a, b| a != b),
        acc_pat!(I64LtS { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i64, |a, b| a < b),
        acc_pat!(I64LtU { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_u64, |a, b| a < b),
        acc_pat!(I64GtS { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i64, |a, b| a > b),
        acc_pat!(I64GtU { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_u64, |a, b| a > b),
        acc_pat!(I64LeS { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i64, |a, b| a <= b),
        acc_pat!(I64LeU { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_u64, |a, b| a <= b),
        acc_pat!(I64GeS { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_i64, |a, b| a >= b),
        acc_pat!(I64GeU { dst, lhs, rhs }) => cmp!(dst, lhs, rhs, to_u64, |a, b| a >= b),
        Code::I64Clz { dst, src } => un!(dst, src, to_u64, from_u64, |a: u64| u64::from(
            a.leading_zeros()
        )),
        Code::I64Ctz { dst, src } => un!(dst, src, to_u64, from_u64, |a: u64| u64::from(
            a.trailing_zeros()
        )),
        Code::I64Popcnt { dst, src } => {
            un!(dst, src, to_u64, from_u64, |a: u64| u64::from(
                a.count_ones()
            ))
        }
        acc_pat!(I64Add { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_i64, from_i64, i64::wrapping_add)
        }
        acc_pat!(I64Sub { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_i64, from_i64, i64::wrapping_sub)
        }
        acc_pat!(I64Mul { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_i64, from_i64, i64::wrapping_mul)
        }
        Code::I64DivS { dst, lhs, rhs } => {
            bin_trap!(dst, lhs, rhs, to_i64, from_i64, ops::i64_div_s)
        }
        Code::I64DivU { dst, lhs, rhs } => {
            bin_trap!(dst, lhs, rhs, to_u64, from_u64, ops::i64_div_u)
        }
        Code::I64RemS { dst, lhs, rhs } => {
            bin_trap!(dst, lhs, rhs, to_i64, from_i64, ops::i64_rem_s)
        }
        Code::I64RemU { dst, lhs, rhs } => {
            bin_trap!(dst, lhs, rhs, to_u64, from_u64, ops::i64_rem_u)
        }
        acc_pat!(I64And { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u64, from_u64, |a, b| a & b)
        }
        acc_pat!(I64Or { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u64, from_u64, |a, b| a | b)
        }
        acc_pat!(I64Xor { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u64, from_u64, |a, b| a ^ b)
        }
        acc_pat!(I64Shl { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u64, from_u64, |a: u64, b: u64| a
                .wrapping_shl(b as u32))
        }
        acc_pat!(I64ShrS { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_i64, from_i64, |a: i64, b: i64| a
                .wrapping_shr(b as u32))
        }
        acc_pat!(I64ShrU { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u64, from_u64, |a: u64, b: u64| a
                .wrapping_shr(b as u32))
        }
        acc_pat!(I64Rotl { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u64, from_u64, |a: u64, b: u64| a
                .rotate_left((b & 63) as u32))
        }
        acc_pat!(I64Rotr { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_u64, from_u64, |a: u64, b: u64| a
                .rotate_right((b & 63) as u32))
        }
        acc_pat!(I64EqImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a == b)
                as i32)
        }
        acc_pat!(I64NeImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a != b)
                as i32)
        }
        acc_pat!(I64LtSImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a < b)
                as i32)
        }
        acc_pat!(I64LtUImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_u64, from_i32, |a: u64, b: u64| (a < b)
                as i32)
        }
        acc_pat!(I64GtSImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a > b)
                as i32)
        }
        acc_pat!(I64GtUImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_u64, from_i32, |a: u64, b: u64| (a > b)
                as i32)
        }
        acc_pat!(I64LeSImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a <= b)
                as i32)
        }
        acc_pat!(I64LeUImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_u64, from_i32, |a: u64, b: u64| (a <= b)
                as i32)
        }
        acc_pat!(I64GeSImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i32, |a: i64, b: i64| (a >= b)
                as i32)
        }
        acc_pat!(I64GeUImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_u64, from_i32, |a: u64, b: u64| (a >= b)
                as i32)
        }
        acc_pat!(I64AddImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i64, i64::wrapping_add)
        }
        acc_pat!(I64MulImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i64, i64::wrapping_mul)
        }
        acc_pat!(I64AndImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i64, |a: i64, b: i64| a & b)
        }
        acc_pat!(I64OrImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i64, |a: i64, b: i64| a | b)
        }
        acc_pat!(I64XorImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i64, |a: i64, b: i64| a ^ b)
        }
        acc_pat!(I64ShlImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_u64, from_u64, |a: u64, b: u64| a
                .wrapping_shl(b as u32))
        }
        acc_pat!(I64ShrSImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_i64, from_i64, |a: i64, b: i64| a
                .wrapping_shr(b as u32))
        }
        acc_pat!(I64ShrUImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_u64, from_u64, |a: u64, b: u64| a
                .wrapping_shr(b as u32))
        }
        acc_pat!(I64RotlImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_u64, from_u64, |a: u64, b: u64| a
                .rotate_left((b & 63) as u32))
        }
        acc_pat!(I64RotrImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_u64, from_u64, |a: u64, b: u64| a
                .rotate_right((b & 63) as u32))
        }
        acc_pat!(I64XorShlImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_u64, from_u64, |a: u64, b: u64| a ^ a
                .wrapping_shl(b as u32))
        }
        acc_pat!(I64XorShrUImm { dst, lhs, imm }) => {
            bin_imm64!(dst, lhs, imm, to_u64, from_u64, |a: u64, b: u64| a ^ a
                .wrapping_shr(b as u32))
        }

        // ---- f32 ----
        Code::F32Eq { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a == b),
        Code::F32Ne { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a != b),
        acc_pat!(BrI32AndImmEqz { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_u32, |a: u32, b: u32| a & b == 0)
        }
        acc_pat!(BrI32AndImmNez { lhs, imm, target }) => {
            branch_imm32!(lhs, imm, target, to_u32, |a: u32, b: u32| a & b != 0)
        }
        acc_pat!(BrI64AndImmEqz { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_u64, |a: u64, b: u64| a & b == 0)
        }
        acc_pat!(BrI64AndImmNez { lhs, imm, target }) => {
            branch_imm64!(lhs, imm, target, to_u64, |a: u64, b: u64| a & b != 0)
        }
        Code::BrF32Lt { lhs, rhs, target } => {
            branch!(lhs, rhs, target, to_f32, |a: f32, b: f32| a < b)
        }
        Code::BrF32NotLt { lhs, rhs, target } => {
            branch!(lhs, rhs, target, to_f32, |a: f32, b: f32| !a.lt(&b))
        }
        Code::BrF32Le { lhs, rhs, target } => {
            branch!(lhs, rhs, target, to_f32, |a: f32, b: f32| a <= b)
        }
        Code::BrF32NotLe { lhs, rhs, target } => {
            branch!(lhs, rhs, target, to_f32, |a: f32, b: f32| !a.le(&b))
        }
        Code::BrF32Gt { lhs, rhs, target } => {
            branch!(lhs, rhs, target, to_f32, |a: f32, b: f32| a > b)
        }
        Code::BrF32NotGt { lhs, rhs, target } => {
            branch!(lhs, rhs, target, to_f32, |a: f32, b: f32| !a.gt(&b))
        }
        Code::BrF32Ge { lhs, rhs, target } => {
            branch!(lhs, rhs, target, to_f32, |a: f32, b: f32| a >= b)
        }
        Code::BrF32NotGe { lhs, rhs, target } => {
            branch!(lhs, rhs, target, to_f32, |a: f32, b: f32| !a.ge(&b))
        }
        acc_pat!(BrF64Lt { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_f64, |a: f64, b: f64| a < b)
        }
        acc_pat!(BrF64NotLt { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_f64, |a: f64, b: f64| !a.lt(&b))
        }
        acc_pat!(BrF64Le { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_f64, |a: f64, b: f64| a <= b)
        }
        acc_pat!(BrF64NotLe { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_f64, |a: f64, b: f64| !a.le(&b))
        }
        acc_pat!(BrF64Gt { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_f64, |a: f64, b: f64| a > b)
        }
        acc_pat!(BrF64NotGt { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_f64, |a: f64, b: f64| !a.gt(&b))
        }
        acc_pat!(BrF64Ge { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_f64, |a: f64, b: f64| a >= b)
        }
        acc_pat!(BrF64NotGe { lhs, rhs, target }) => {
            branch!(lhs, rhs, target, to_f64, |a: f64, b: f64| !a.ge(&b))
        }
        Code::F32Lt { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a < b),
        Code::F32Gt { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a > b),
        Code::F32Le { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a <= b),
        Code::F32Ge { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f32, |a, b| a >= b),
        Code::F32Abs { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_abs),
        Code::F32Neg { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_neg),
        Code::F32Ceil { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_ceil),
        Code::F32Floor { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_floor),
        Code::F32Trunc { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_trunc),
        Code::F32Nearest { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_nearest),
        Code::F32Sqrt { dst, src } => un!(dst, src, to_f32, from_f32, ops::f32_sqrt),
        Code::F32Add { dst, lhs, rhs } => {
            bin!(dst, lhs, rhs, to_f32, from_f32, |a: f32, b: f32| a + b)
        }
        Code::F32Sub { dst, lhs, rhs } => {
            bin!(dst, lhs, rhs, to_f32, from_f32, |a: f32, b: f32| a - b)
        }
        Code::F32Mul { dst, lhs, rhs } => {
            bin!(dst, lhs, rhs, to_f32, from_f32, |a: f32, b: f32| a * b)
        }
        Code::F32Div { dst, lhs, rhs } => {
            bin!(dst, lhs, rhs, to_f32, from_f32, |a: f32, b: f32| a / b)
        }
        Code::F32Min { dst, lhs, rhs } => {
            bin!(dst, lhs, rhs, to_f32, from_f32, ops::f32_min)
        }
        Code::F32Max { dst, lhs, rhs } => {
            bin!(dst, lhs, rhs, to_f32, from_f32, ops::f32_max)
        }
        Code::F32Copysign { dst, lhs, rhs } => {
            bin!(dst, lhs, rhs, to_f32, from_f32, ops::f32_copysign)
        }

        // ---- f64 ----
        Code::F64Eq { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a == b),
        Code::F64Ne { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a != b),
        Code::F64Lt { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a < b),
        Code::F64Gt { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a > b),
        Code::F64Le { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a <= b),
        Code::F64Ge { dst, lhs, rhs } => cmp!(dst, lhs, rhs, to_f64, |a, b| a >= b),
        Code::F64Abs { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_abs),
        Code::F64Neg { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_neg),
        Code::F64Ceil { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_ceil),
        Code::F64Floor { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_floor),
        Code::F64Trunc { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_trunc),
        Code::F64Nearest { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_nearest),
        Code::F64Sqrt { dst, src } => un!(dst, src, to_f64, from_f64, ops::f64_sqrt),
        acc_pat!(F64Add { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_f64, from_f64, |a: f64, b: f64| a + b)
        }
        acc_pat!(F64Sub { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_f64, from_f64, |a: f64, b: f64| a - b)
        }
        acc_pat!(F64Mul { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_f64, from_f64, |a: f64, b: f64| a * b)
        }
        acc_pat!(F64Div { dst, lhs, rhs }) => {
            bin!(dst, lhs, rhs, to_f64, from_f64, |a: f64, b: f64| a / b)
        }
        Code::F64Min { dst, lhs, rhs } => {
            bin!(dst, lhs, rhs, to_f64, from_f64, ops::f64_min)
        }
        Code::F64Max { dst, lhs, rhs } => {
            bin!(dst, lhs, rhs, to_f64, from_f64, ops::f64_max)
        }
        Code::F64Copysign { dst, lhs, rhs } => {
            bin!(dst, lhs, rhs, to_f64, from_f64, ops::f64_copysign)
        }

        // ---- conversions ----
        Code::I32WrapI64 { dst, src } => {
            un!(dst, src, to_u64, from_u32, |a: u64| a as u32)
        }
        Code::I32TruncF32S { dst, src } => {
            un_trap!(dst, src, to_f32, from_i32, ops::i32_trunc_f32_s)
        }
        Code::I32TruncF32U { dst, src } => {
            un_trap!(dst, src, to_f32, from_u32, ops::i32_trunc_f32_u)
        }
        Code::I32TruncF64S { dst, src } => {
            un_trap!(dst, src, to_f64, from_i32, ops::i32_trunc_f64_s)
        }
        Code::I32TruncF64U { dst, src } => {
            un_trap!(dst, src, to_f64, from_u32, ops::i32_trunc_f64_u)
        }
        Code::I64ExtendI32S { dst, src } => un!(dst, src, to_i32, from_i64, i64::from),
        Code::I64ExtendI32U { dst, src } => un!(dst, src, to_u32, from_u64, u64::from),
        Code::I64TruncF32S { dst, src } => {
            un_trap!(dst, src, to_f32, from_i64, ops::i64_trunc_f32_s)
        }
        Code::I64TruncF32U { dst, src } => {
            un_trap!(dst, src, to_f32, from_u64, ops::i64_trunc_f32_u)
        }
        Code::I64TruncF64S { dst, src } => {
            un_trap!(dst, src, to_f64, from_i64, ops::i64_trunc_f64_s)
        }
        Code::I64TruncF64U { dst, src } => {
            un_trap!(dst, src, to_f64, from_u64, ops::i64_trunc_f64_u)
        }
        Code::F32ConvertI32S { dst, src } => {
            un!(dst, src, to_i32, from_f32, |a: i32| a as f32)
        }
        Code::F32ConvertI32U { dst, src } => {
            un!(dst, src, to_u32, from_f32, |a: u32| a as f32)
        }
        Code::F32ConvertI64S { dst, src } => {
            un!(dst, src, to_i64, from_f32, |a: i64| a as f32)
        }
        Code::F32ConvertI64U { dst, src } => {
            un!(dst, src, to_u64, from_f32, |a: u64| a as f32)
        }
        Code::F32DemoteF64 { dst, src } => {
            un!(dst, src, to_f64, from_f32, ops::f32_demote_f64)
        }
        Code::F64ConvertI32S { dst, src } => un!(dst, src, to_i32, from_f64, f64::from),
        Code::F64ConvertI32U { dst, src } => un!(dst, src, to_u32, from_f64, f64::from),
        Code::F64ConvertI64S { dst, src } => {
            un!(dst, src, to_i64, from_f64, |a: i64| a as f64)
        }
        Code::F64ConvertI64U { dst, src } => {
            un!(dst, src, to_u64, from_f64, |a: u64| a as f64)
        }
        Code::F64PromoteF32 { dst, src } => {
            un!(dst, src, to_f32, from_f64, ops::f64_promote_f32)
        }
        Code::I32Extend8S { dst, src } => {
            un!(dst, src, to_i32, from_i32, |a: i32| a as i8 as i32)
        }
        Code::I32Extend16S { dst, src } => {
            un!(dst, src, to_i32, from_i32, |a: i32| a as i16 as i32)
        }
        Code::I64Extend8S { dst, src } => {
            un!(dst, src, to_i64, from_i64, |a: i64| a as i8 as i64)
        }
        Code::I64Extend16S { dst, src } => {
            un!(dst, src, to_i64, from_i64, |a: i64| a as i16 as i64)
        }
        Code::I64Extend32S { dst, src } => {
            un!(dst, src, to_i64, from_i64, |a: i64| a as i32 as i64)
        }
        Code::I32TruncSatF32S { dst, src } => {
            un!(dst, src, to_f32, from_i32, |a: f32| a as i32)
        }
        Code::I32TruncSatF32U { dst, src } => {
            un!(dst, src, to_f32, from_u32, |a: f32| a as u32)
        }
        Code::I32TruncSatF64S { dst, src } => {
            un!(dst, src, to_f64, from_i32, |a: f64| a as i32)
        }
        Code::I32TruncSatF64U { dst, src } => {
            un!(dst, src, to_f64, from_u32, |a: f64| a as u32)
        }
        Code::I64TruncSatF32S { dst, src } => {
            un!(dst, src, to_f32, from_i64, |a: f32| a as i64)
        }
        Code::I64TruncSatF32U { dst, src } => {
            un!(dst, src, to_f32, from_u64, |a: f32| a as u64)
        }
        Code::I64TruncSatF64S { dst, src } => {
            un!(dst, src, to_f64, from_i64, |a: f64| a as i64)
        }
        Code::I64TruncSatF64U { dst, src } => {
            un!(dst, src, to_f64, from_u64, |a: f64| a as u64)
        }

        // ---- simd ----
        Code::V128Load {
            dst,
            ptr,
            memory,
            offset,
        } => {
            let v = mload!(memory, get!(ptr).to_u32(), offset, u128);
            let [lo, hi] = UntypedVal::from_v128(v);
            set!(dst, lo);
            set1!(dst, hi)
        }
        Code::V128Load8x8S {
            dst,
            ptr,
            memory,
            offset,
        } => v_load_ext!(dst, ptr, memory, offset, simd::load8x8_s, i8, i16, 8),
        Code::V128Load8x8U {
            dst,
            ptr,
            memory,
            offset,
        } => v_load_ext!(dst, ptr, memory, offset, simd::load8x8_u, u8, u16, 8),
        Code::V128Load16x4S {
            dst,
            ptr,
            memory,
            offset,
        } => v_load_ext!(dst, ptr, memory, offset, simd::load16x4_s, i16, i32, 4),
        Code::V128Load16x4U {
            dst,
            ptr,
            memory,
            offset,
        } => v_load_ext!(dst, ptr, memory, offset, simd::load16x4_u, u16, u32, 4),
        Code::V128Load32x2S {
            dst,
            ptr,
            memory,
            offset,
        } => v_load_ext!(dst, ptr, memory, offset, simd::load32x2_s, i32, i64, 2),
        Code::V128Load32x2U {
            dst,
            ptr,
            memory,
            offset,
        } => v_load_ext!(dst, ptr, memory, offset, simd::load32x2_u, u32, u64, 2),
        Code::V128Load8Splat {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u8, simd::load8_splat),
        Code::V128Load16Splat {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u16, simd::load16_splat),
        Code::V128Load32Splat {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u32, simd::load32_splat),
        Code::V128Load64Splat {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u64, simd::load64_splat),
        Code::V128Store {
            ptr,
            value,
            memory,
            offset,
        } => v_store!(ptr, value, memory, offset),
        Code::I8x16Shuffle {
            dst,
            lhs,
            rhs,
            mask,
        } => v_shuffle!(dst, lhs, rhs, mask),
        Code::I8x16Swizzle { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_swizzle),
        Code::I8x16Splat { dst, src } => v_splat!(dst, src, to_u32, simd::i8x16_splat),
        Code::I16x8Splat { dst, src } => {
            v_splat_fast!(dst, src, to_u32, simd::i16x8_splat, u16, 8)
        }
        Code::I32x4Splat { dst, src } => {
            v_splat_fast!(dst, src, to_u32, simd::i32x4_splat, u32, 4)
        }
        Code::I64x2Splat { dst, src } => {
            v_splat_fast!(dst, src, to_u64, simd::i64x2_splat, u64, 2)
        }
        Code::F32x4Splat { dst, src } => {
            v_splat_fast!(dst, src, to_u32, simd::i32x4_splat, u32, 4)
        }
        Code::F64x2Splat { dst, src } => {
            v_splat_fast!(dst, src, to_u64, simd::i64x2_splat, u64, 2)
        }
        Code::I8x16ExtractLaneS { dst, src, lane } => {
            v_extract!(dst, src, lane, from_i32, simd::i8x16_extract_lane_s)
        }
        Code::I8x16ExtractLaneU { dst, src, lane } => {
            v_extract!(dst, src, lane, from_i32, simd::i8x16_extract_lane_u)
        }
        Code::I8x16ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace!(dst, src, value, lane, to_u32, simd::i8x16_replace_lane),
        Code::I16x8ExtractLaneS { dst, src, lane } => {
            v_extract!(dst, src, lane, from_i32, simd::i16x8_extract_lane_s)
        }
        Code::I16x8ExtractLaneU { dst, src, lane } => {
            v_extract!(dst, src, lane, from_i32, simd::i16x8_extract_lane_u)
        }
        Code::I16x8ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace!(dst, src, value, lane, to_u32, simd::i16x8_replace_lane),
        Code::I32x4ExtractLane { dst, src, lane } => {
            v_extract_fast!(dst, src, lane, from_u32, simd::i32x4_extract_lane, u32, 4)
        }
        Code::I32x4ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace_fast!(
            dst,
            src,
            value,
            lane,
            to_u32,
            simd::i32x4_replace_lane,
            u32,
            4
        ),
        Code::I64x2ExtractLane { dst, src, lane } => {
            v_extract_fast!(dst, src, lane, from_u64, simd::i64x2_extract_lane, u64, 2)
        }
        Code::I64x2ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace_fast!(
            dst,
            src,
            value,
            lane,
            to_u64,
            simd::i64x2_replace_lane,
            u64,
            2
        ),
        Code::F32x4ExtractLane { dst, src, lane } => {
            v_extract_fast!(dst, src, lane, from_u32, simd::i32x4_extract_lane, u32, 4)
        }
        Code::F32x4ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace_fast!(
            dst,
            src,
            value,
            lane,
            to_u32,
            simd::i32x4_replace_lane,
            u32,
            4
        ),
        Code::F64x2ExtractLane { dst, src, lane } => {
            v_extract_fast!(dst, src, lane, from_u64, simd::i64x2_extract_lane, u64, 2)
        }
        Code::F64x2ReplaceLane {
            dst,
            src,
            value,
            lane,
        } => v_replace_fast!(
            dst,
            src,
            value,
            lane,
            to_u64,
            simd::i64x2_replace_lane,
            u64,
            2
        ),
        Code::I8x16Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_eq),
        Code::I8x16Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_ne),
        Code::I8x16LtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_lt_s),
        Code::I8x16LtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_lt_u),
        Code::I8x16GtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_gt_s),
        Code::I8x16GtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_gt_u),
        Code::I8x16LeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_le_s),
        Code::I8x16LeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_le_u),
        Code::I8x16GeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_ge_s),
        Code::I8x16GeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_ge_u),
        Code::I16x8Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_eq),
        Code::I16x8Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_ne),
        Code::I16x8LtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_lt_s),
        Code::I16x8LtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_lt_u),
        Code::I16x8GtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_gt_s),
        Code::I16x8GtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_gt_u),
        Code::I16x8LeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_le_s),
        Code::I16x8LeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_le_u),
        Code::I16x8GeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_ge_s),
        Code::I16x8GeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_ge_u),
        Code::I32x4Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_eq),
        Code::I32x4Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_ne),
        Code::I32x4LtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_lt_s),
        Code::I32x4LtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_lt_u),
        Code::I32x4GtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_gt_s),
        Code::I32x4GtU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_gt_u),
        Code::I32x4LeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_le_s),
        Code::I32x4LeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_le_u),
        Code::I32x4GeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_ge_s),
        Code::I32x4GeU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i32x4_ge_u),
        Code::F32x4Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_eq),
        Code::F32x4Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_ne),
        Code::F32x4Lt { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_lt),
        Code::F32x4Gt { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_gt),
        Code::F32x4Le { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_le),
        Code::F32x4Ge { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_ge),
        Code::F64x2Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_eq),
        Code::F64x2Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_ne),
        Code::F64x2Lt { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_lt),
        Code::F64x2Gt { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_gt),
        Code::F64x2Le { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_le),
        Code::F64x2Ge { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_ge),
        Code::V128Not { dst, src } => v_un!(dst, src, simd::v128_not),
        Code::V128And { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::v128_and, u64, 2, |a: u64, b: u64| a
                & b)
        }
        Code::V128AndNot { dst, lhs, rhs } => v_zip!(
            dst,
            lhs,
            rhs,
            simd::v128_andnot,
            u64,
            2,
            |a: u64, b: u64| a & !b
        ),
        Code::V128Or { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::v128_or, u64, 2, |a: u64, b: u64| a | b)
        }
        Code::V128Xor { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::v128_xor, u64, 2, |a: u64, b: u64| a
                ^ b)
        }
        Code::V128Bitselect { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::v128_bitselect)
        }
        Code::V128AnyTrue { dst, src } => v_test!(dst, src, simd::v128_any_true),
        Code::V128Load8Lane {
            dst,
            ptr,
            src,
            memory,
            lane,
            offset,
        } => v_load_lane!(dst, ptr, src, memory, lane, offset, u8, simd::load8_lane),
        Code::V128Load16Lane {
            dst,
            ptr,
            src,
            memory,
            lane,
            offset,
        } => v_load_lane!(dst, ptr, src, memory, lane, offset, u16, simd::load16_lane),
        Code::V128Load32Lane {
            dst,
            ptr,
            src,
            memory,
            lane,
            offset,
        } => v_load_lane!(dst, ptr, src, memory, lane, offset, u32, simd::load32_lane),
        Code::V128Load64Lane {
            dst,
            ptr,
            src,
            memory,
            lane,
            offset,
        } => v_load_lane!(dst, ptr, src, memory, lane, offset, u64, simd::load64_lane),
        Code::V128Store8Lane {
            ptr,
            value,
            memory,
            lane,
            offset,
        } => v_store_lane!(ptr, value, memory, lane, offset, u8, simd::lane8),
        Code::V128Store16Lane {
            ptr,
            value,
            memory,
            lane,
            offset,
        } => v_store_lane!(ptr, value, memory, lane, offset, u16, simd::lane16),
        Code::V128Store32Lane {
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
        Code::V128Store64Lane {
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
        Code::V128Load32Zero {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u32, simd::load32_zero),
        Code::V128Load64Zero {
            dst,
            ptr,
            memory,
            offset,
        } => v_load!(dst, ptr, memory, offset, u64, simd::load64_zero),
        Code::F32x4DemoteF64x2Zero { dst, src } => {
            v_un!(dst, src, simd::f32x4_demote_f64x2_zero)
        }
        Code::F64x2PromoteLowF32x4 { dst, src } => {
            v_un!(dst, src, simd::f64x2_promote_low_f32x4)
        }
        Code::I8x16Abs { dst, src } => v_un!(dst, src, simd::i8x16_abs),
        Code::I8x16Neg { dst, src } => v_un!(dst, src, simd::i8x16_neg),
        Code::I8x16Popcnt { dst, src } => v_un!(dst, src, simd::i8x16_popcnt),
        Code::I8x16AllTrue { dst, src } => v_test!(dst, src, simd::i8x16_all_true),
        Code::I8x16Bitmask { dst, src } => v_test!(dst, src, simd::i8x16_bitmask),
        Code::I8x16NarrowI16x8S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_narrow_i16x8_s)
        }
        Code::I8x16NarrowI16x8U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_narrow_i16x8_u)
        }
        Code::F32x4Ceil { dst, src } => v_un!(dst, src, simd::f32x4_ceil),
        Code::F32x4Floor { dst, src } => v_un!(dst, src, simd::f32x4_floor),
        Code::F32x4Trunc { dst, src } => v_un!(dst, src, simd::f32x4_trunc),
        Code::F32x4Nearest { dst, src } => v_un!(dst, src, simd::f32x4_nearest),
        Code::I8x16Shl { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i8x16_shl),
        Code::I8x16ShrS { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i8x16_shr_s),
        Code::I8x16ShrU { dst, lhs, rhs } => v_shift!(dst, lhs, rhs, simd::i8x16_shr_u),
        Code::I8x16Add { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i8x16_add, u8, 16, u8::wrapping_add)
        }
        Code::I8x16AddSatS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_add_sat_s)
        }
        Code::I8x16AddSatU { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_add_sat_u)
        }
        Code::I8x16Sub { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i8x16_sub, u8, 16, u8::wrapping_sub)
        }
        Code::I8x16SubSatS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_sub_sat_s)
        }
        Code::I8x16SubSatU { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_sub_sat_u)
        }
        Code::F64x2Ceil { dst, src } => v_un!(dst, src, simd::f64x2_ceil),
        Code::F64x2Floor { dst, src } => v_un!(dst, src, simd::f64x2_floor),
        Code::I8x16MinS { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i8x16_min_s, i8, 16, Ord::min)
        }
        Code::I8x16MinU { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i8x16_min_u, u8, 16, Ord::min)
        }
        Code::I8x16MaxS { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i8x16_max_s, i8, 16, Ord::max)
        }
        Code::I8x16MaxU { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i8x16_max_u, u8, 16, Ord::max)
        }
        Code::F64x2Trunc { dst, src } => v_un!(dst, src, simd::f64x2_trunc),
        Code::I8x16AvgrU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i8x16_avgr_u),
        Code::I16x8ExtAddPairwiseI8x16S { dst, src } => {
            v_un!(dst, src, simd::i16x8_extadd_pairwise_i8x16_s)
        }
        Code::I16x8ExtAddPairwiseI8x16U { dst, src } => {
            v_un!(dst, src, simd::i16x8_extadd_pairwise_i8x16_u)
        }
        Code::I32x4ExtAddPairwiseI16x8S { dst, src } => {
            v_un!(dst, src, simd::i32x4_extadd_pairwise_i16x8_s)
        }
        Code::I32x4ExtAddPairwiseI16x8U { dst, src } => {
            v_un!(dst, src, simd::i32x4_extadd_pairwise_i16x8_u)
        }
        Code::I16x8Abs { dst, src } => v_un!(dst, src, simd::i16x8_abs),
        Code::I16x8Neg { dst, src } => v_un!(dst, src, simd::i16x8_neg),
        Code::I16x8Q15MulrSatS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_q15mulr_sat_s)
        }
        Code::I16x8AllTrue { dst, src } => v_test!(dst, src, simd::i16x8_all_true),
        Code::I16x8Bitmask { dst, src } => v_test!(dst, src, simd::i16x8_bitmask),
        Code::I16x8NarrowI32x4S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_narrow_i32x4_s)
        }
        Code::I16x8NarrowI32x4U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_narrow_i32x4_u)
        }
        Code::I16x8ExtendLowI8x16S { dst, src } => {
            v_un!(dst, src, simd::i16x8_extend_low_i8x16_s)
        }
        Code::I16x8ExtendHighI8x16S { dst, src } => {
            v_un!(dst, src, simd::i16x8_extend_high_i8x16_s)
        }
        Code::I16x8ExtendLowI8x16U { dst, src } => {
            v_un!(dst, src, simd::i16x8_extend_low_i8x16_u)
        }
        Code::I16x8ExtendHighI8x16U { dst, src } => {
            v_un!(dst, src, simd::i16x8_extend_high_i8x16_u)
        }
        Code::I16x8Shl { dst, lhs, rhs } => {
            v_shift_fast!(dst, lhs, rhs, simd::i16x8_shl, u16, 8, wrapping_shl)
        }
        Code::I16x8ShrS { dst, lhs, rhs } => {
            v_shift_fast!(dst, lhs, rhs, simd::i16x8_shr_s, i16, 8, wrapping_shr)
        }
        Code::I16x8ShrU { dst, lhs, rhs } => {
            v_shift_fast!(dst, lhs, rhs, simd::i16x8_shr_u, u16, 8, wrapping_shr)
        }
        Code::I16x8Add { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i16x8_add, u16, 8, u16::wrapping_add)
        }
        Code::I16x8AddSatS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_add_sat_s)
        }
        Code::I16x8AddSatU { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_add_sat_u)
        }
        Code::I16x8Sub { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i16x8_sub, u16, 8, u16::wrapping_sub)
        }
        Code::I16x8SubSatS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_sub_sat_s)
        }
        Code::I16x8SubSatU { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_sub_sat_u)
        }
        Code::F64x2Nearest { dst, src } => v_un!(dst, src, simd::f64x2_nearest),
        Code::I16x8Mul { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i16x8_mul, u16, 8, u16::wrapping_mul)
        }
        Code::I16x8MinS { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i16x8_min_s, i16, 8, Ord::min)
        }
        Code::I16x8MinU { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i16x8_min_u, u16, 8, Ord::min)
        }
        Code::I16x8MaxS { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i16x8_max_s, i16, 8, Ord::max)
        }
        Code::I16x8MaxU { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i16x8_max_u, u16, 8, Ord::max)
        }
        Code::I16x8AvgrU { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i16x8_avgr_u),
        Code::I16x8ExtMulLowI8x16S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_extmul_low_i8x16_s)
        }
        Code::I16x8ExtMulHighI8x16S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_extmul_high_i8x16_s)
        }
        Code::I16x8ExtMulLowI8x16U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_extmul_low_i8x16_u)
        }
        Code::I16x8ExtMulHighI8x16U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_extmul_high_i8x16_u)
        }
        Code::I32x4Abs { dst, src } => v_un!(dst, src, simd::i32x4_abs),
        Code::I32x4Neg { dst, src } => v_un!(dst, src, simd::i32x4_neg),
        Code::I32x4AllTrue { dst, src } => v_test!(dst, src, simd::i32x4_all_true),
        Code::I32x4Bitmask { dst, src } => v_test!(dst, src, simd::i32x4_bitmask),
        Code::I32x4ExtendLowI16x8S { dst, src } => {
            v_un!(dst, src, simd::i32x4_extend_low_i16x8_s)
        }
        Code::I32x4ExtendHighI16x8S { dst, src } => {
            v_un!(dst, src, simd::i32x4_extend_high_i16x8_s)
        }
        Code::I32x4ExtendLowI16x8U { dst, src } => {
            v_un!(dst, src, simd::i32x4_extend_low_i16x8_u)
        }
        Code::I32x4ExtendHighI16x8U { dst, src } => {
            v_un!(dst, src, simd::i32x4_extend_high_i16x8_u)
        }
        Code::I32x4Shl { dst, lhs, rhs } => {
            v_shift_fast!(dst, lhs, rhs, simd::i32x4_shl, u32, 4, wrapping_shl)
        }
        Code::I32x4ShrS { dst, lhs, rhs } => {
            v_shift_fast!(dst, lhs, rhs, simd::i32x4_shr_s, i32, 4, wrapping_shr)
        }
        Code::I32x4ShrU { dst, lhs, rhs } => {
            v_shift_fast!(dst, lhs, rhs, simd::i32x4_shr_u, u32, 4, wrapping_shr)
        }
        Code::I32x4Add { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i32x4_add, u32, 4, u32::wrapping_add)
        }
        Code::I32x4Sub { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i32x4_sub, u32, 4, u32::wrapping_sub)
        }
        Code::I32x4Mul { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i32x4_mul, u32, 4, u32::wrapping_mul)
        }
        Code::I32x4MinS { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i32x4_min_s, i32, 4, Ord::min)
        }
        Code::I32x4MinU { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i32x4_min_u, u32, 4, Ord::min)
        }
        Code::I32x4MaxS { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i32x4_max_s, i32, 4, Ord::max)
        }
        Code::I32x4MaxU { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i32x4_max_u, u32, 4, Ord::max)
        }
        Code::I32x4DotI16x8S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i32x4_dot_i16x8_s)
        }
        Code::I32x4ExtMulLowI16x8S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i32x4_extmul_low_i16x8_s)
        }
        Code::I32x4ExtMulHighI16x8S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i32x4_extmul_high_i16x8_s)
        }
        Code::I32x4ExtMulLowI16x8U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i32x4_extmul_low_i16x8_u)
        }
        Code::I32x4ExtMulHighI16x8U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i32x4_extmul_high_i16x8_u)
        }
        Code::I64x2Abs { dst, src } => v_un!(dst, src, simd::i64x2_abs),
        Code::I64x2Neg { dst, src } => v_un!(dst, src, simd::i64x2_neg),
        Code::I64x2AllTrue { dst, src } => v_test!(dst, src, simd::i64x2_all_true),
        Code::I64x2Bitmask { dst, src } => v_test!(dst, src, simd::i64x2_bitmask),
        Code::I64x2ExtendLowI32x4S { dst, src } => {
            v_un!(dst, src, simd::i64x2_extend_low_i32x4_s)
        }
        Code::I64x2ExtendHighI32x4S { dst, src } => {
            v_un!(dst, src, simd::i64x2_extend_high_i32x4_s)
        }
        Code::I64x2ExtendLowI32x4U { dst, src } => {
            v_un!(dst, src, simd::i64x2_extend_low_i32x4_u)
        }
        Code::I64x2ExtendHighI32x4U { dst, src } => {
            v_un!(dst, src, simd::i64x2_extend_high_i32x4_u)
        }
        Code::I64x2Shl { dst, lhs, rhs } => {
            v_shift_fast!(dst, lhs, rhs, simd::i64x2_shl, u64, 2, wrapping_shl)
        }
        Code::I64x2ShrS { dst, lhs, rhs } => {
            v_shift_fast!(dst, lhs, rhs, simd::i64x2_shr_s, i64, 2, wrapping_shr)
        }
        Code::I64x2ShrU { dst, lhs, rhs } => {
            v_shift_fast!(dst, lhs, rhs, simd::i64x2_shr_u, u64, 2, wrapping_shr)
        }
        Code::I64x2Add { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i64x2_add, u64, 2, u64::wrapping_add)
        }
        Code::I64x2Sub { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i64x2_sub, u64, 2, u64::wrapping_sub)
        }
        Code::I64x2Mul { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::i64x2_mul, u64, 2, u64::wrapping_mul)
        }
        Code::I64x2Eq { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_eq),
        Code::I64x2Ne { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_ne),
        Code::I64x2LtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_lt_s),
        Code::I64x2GtS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_gt_s),
        Code::I64x2LeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_le_s),
        Code::I64x2GeS { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::i64x2_ge_s),
        Code::I64x2ExtMulLowI32x4S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i64x2_extmul_low_i32x4_s)
        }
        Code::I64x2ExtMulHighI32x4S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i64x2_extmul_high_i32x4_s)
        }
        Code::I64x2ExtMulLowI32x4U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i64x2_extmul_low_i32x4_u)
        }
        Code::I64x2ExtMulHighI32x4U { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i64x2_extmul_high_i32x4_u)
        }
        Code::F32x4Abs { dst, src } => v_un!(dst, src, simd::f32x4_abs),
        Code::F32x4Neg { dst, src } => v_un!(dst, src, simd::f32x4_neg),
        Code::F32x4Sqrt { dst, src } => v_un!(dst, src, simd::f32x4_sqrt),
        Code::F32x4Add { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::f32x4_add, f32, 4, |a: f32, b: f32| a
                + b)
        }
        Code::F32x4Sub { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::f32x4_sub, f32, 4, |a: f32, b: f32| a
                - b)
        }
        Code::F32x4Mul { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::f32x4_mul, f32, 4, |a: f32, b: f32| a
                * b)
        }
        Code::F32x4Div { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::f32x4_div, f32, 4, |a: f32, b: f32| a
                / b)
        }
        Code::F32x4Min { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_min),
        Code::F32x4Max { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_max),
        Code::F32x4PMin { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_pmin),
        Code::F32x4PMax { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f32x4_pmax),
        Code::F64x2Abs { dst, src } => v_un!(dst, src, simd::f64x2_abs),
        Code::F64x2Neg { dst, src } => v_un!(dst, src, simd::f64x2_neg),
        Code::F64x2Sqrt { dst, src } => v_un!(dst, src, simd::f64x2_sqrt),
        Code::F64x2Add { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::f64x2_add, f64, 2, |a: f64, b: f64| a
                + b)
        }
        Code::F64x2Sub { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::f64x2_sub, f64, 2, |a: f64, b: f64| a
                - b)
        }
        Code::F64x2Mul { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::f64x2_mul, f64, 2, |a: f64, b: f64| a
                * b)
        }
        Code::F64x2Div { dst, lhs, rhs } => {
            v_zip!(dst, lhs, rhs, simd::f64x2_div, f64, 2, |a: f64, b: f64| a
                / b)
        }
        Code::F64x2Min { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_min),
        Code::F64x2Max { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_max),
        Code::F64x2PMin { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_pmin),
        Code::F64x2PMax { dst, lhs, rhs } => v_bin!(dst, lhs, rhs, simd::f64x2_pmax),
        Code::I32x4TruncSatF32x4S { dst, src } => {
            v_un!(dst, src, simd::i32x4_trunc_sat_f32x4_s)
        }
        Code::I32x4TruncSatF32x4U { dst, src } => {
            v_un!(dst, src, simd::i32x4_trunc_sat_f32x4_u)
        }
        Code::F32x4ConvertI32x4S { dst, src } => {
            v_un!(dst, src, simd::f32x4_convert_i32x4_s)
        }
        Code::F32x4ConvertI32x4U { dst, src } => {
            v_un!(dst, src, simd::f32x4_convert_i32x4_u)
        }
        Code::I32x4TruncSatF64x2SZero { dst, src } => {
            v_un!(dst, src, simd::i32x4_trunc_sat_f64x2_s_zero)
        }
        Code::I32x4TruncSatF64x2UZero { dst, src } => {
            v_un!(dst, src, simd::i32x4_trunc_sat_f64x2_u_zero)
        }
        Code::F64x2ConvertLowI32x4S { dst, src } => {
            v_un!(dst, src, simd::f64x2_convert_low_i32x4_s)
        }
        Code::F64x2ConvertLowI32x4U { dst, src } => {
            v_un!(dst, src, simd::f64x2_convert_low_i32x4_u)
        }
        Code::I8x16RelaxedSwizzle { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i8x16_relaxed_swizzle)
        }
        Code::I32x4RelaxedTruncF32x4S { dst, src } => {
            v_un!(dst, src, simd::i32x4_relaxed_trunc_f32x4_s)
        }
        Code::I32x4RelaxedTruncF32x4U { dst, src } => {
            v_un!(dst, src, simd::i32x4_relaxed_trunc_f32x4_u)
        }
        Code::I32x4RelaxedTruncF64x2SZero { dst, src } => {
            v_un!(dst, src, simd::i32x4_relaxed_trunc_f64x2_s_zero)
        }
        Code::I32x4RelaxedTruncF64x2UZero { dst, src } => {
            v_un!(dst, src, simd::i32x4_relaxed_trunc_f64x2_u_zero)
        }
        Code::F32x4RelaxedMadd { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::f32x4_relaxed_madd)
        }
        Code::F32x4RelaxedNmadd { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::f32x4_relaxed_nmadd)
        }
        Code::F64x2RelaxedMadd { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::f64x2_relaxed_madd)
        }
        Code::F64x2RelaxedNmadd { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::f64x2_relaxed_nmadd)
        }
        Code::I8x16RelaxedLaneselect { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::relaxed_laneselect)
        }
        Code::I16x8RelaxedLaneselect { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::relaxed_laneselect)
        }
        Code::I32x4RelaxedLaneselect { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::relaxed_laneselect)
        }
        Code::I64x2RelaxedLaneselect { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::relaxed_laneselect)
        }
        Code::F32x4RelaxedMin { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::f32x4_relaxed_min)
        }
        Code::F32x4RelaxedMax { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::f32x4_relaxed_max)
        }
        Code::F64x2RelaxedMin { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::f64x2_relaxed_min)
        }
        Code::F64x2RelaxedMax { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::f64x2_relaxed_max)
        }
        Code::I16x8RelaxedQ15mulrS { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_relaxed_q15mulr_s)
        }
        Code::I16x8RelaxedDotI8x16I7x16S { dst, lhs, rhs } => {
            v_bin!(dst, lhs, rhs, simd::i16x8_relaxed_dot_i8x16_i7x16_s)
        }
        Code::I32x4RelaxedDotI8x16I7x16AddS { dst, a, b, c } => {
            v_ternary!(dst, a, b, c, simd::i32x4_relaxed_dot_i8x16_i7x16_add_s)
        }
    }
    if reload {
        (rg.mem, rg.mem_len) = mem0(store, inst);
    }
    Flow::Continue
}

/// `v128` instructions' lane work, out of line (see `step`'s `v_un!`). Each function reads and
/// writes `v128` operands at frame pointer `fp`.
///
/// # Safety
///
/// Every function here requires that `fp` is the running frame's slot 0 and that each slot
/// names a `v128` operand of a verified instruction, so both of its slots lie in the frame.
mod vec {
    use super::{Slot, UntypedVal};

    #[inline(always)]
    unsafe fn read(fp: *mut UntypedVal, s: Slot) -> u128 {
        // SAFETY: the caller's contract (module documentation).
        unsafe { UntypedVal::to_v128([*fp.add(s.index()), *fp.add(s.index() + 1)]) }
    }

    #[inline(always)]
    unsafe fn write(fp: *mut UntypedVal, s: Slot, v: u128) {
        let [lo, hi] = UntypedVal::from_v128(v);
        // SAFETY: the caller's contract (module documentation).
        unsafe {
            *fp.add(s.index()) = lo;
            *fp.add(s.index() + 1) = hi;
        }
    }

    #[inline(never)]
    pub(super) unsafe fn un(fp: *mut UntypedVal, dst: Slot, src: Slot, f: impl Fn(u128) -> u128) {
        // SAFETY: the caller's contract.
        unsafe { write(fp, dst, f(read(fp, src))) }
    }

    #[inline(never)]
    pub(super) unsafe fn bin(
        fp: *mut UntypedVal,
        dst: Slot,
        lhs: Slot,
        rhs: Slot,
        f: impl Fn(u128, u128) -> u128,
    ) {
        // SAFETY: the caller's contract.
        unsafe { write(fp, dst, f(read(fp, lhs), read(fp, rhs))) }
    }

    #[inline(never)]
    pub(super) unsafe fn ternary(
        fp: *mut UntypedVal,
        dst: Slot,
        a: Slot,
        b: Slot,
        c: Slot,
        f: impl Fn(u128, u128, u128) -> u128,
    ) {
        // SAFETY: the caller's contract.
        unsafe { write(fp, dst, f(read(fp, a), read(fp, b), read(fp, c))) }
    }

    #[inline(never)]
    pub(super) unsafe fn shuffle(fp: *mut UntypedVal, dst: Slot, lhs: Slot, rhs: Slot, mask: u128) {
        // SAFETY: the caller's contract.
        unsafe {
            let r = crate::simd::i8x16_shuffle(read(fp, lhs), read(fp, rhs), mask);
            write(fp, dst, r)
        }
    }

    /// `dst = f(x)` for a scalar `x` (splats, loads).
    #[inline(never)]
    pub(super) unsafe fn from<T>(fp: *mut UntypedVal, dst: Slot, x: T, f: impl Fn(T) -> u128) {
        // SAFETY: the caller's contract.
        unsafe { write(fp, dst, f(x)) }
    }

    /// `f(src, lane)`: a scalar from a vector (lane extraction, tests).
    #[inline(never)]
    pub(super) unsafe fn get<L, R>(
        fp: *mut UntypedVal,
        src: Slot,
        lane: L,
        f: impl Fn(u128, L) -> R,
    ) -> R {
        // SAFETY: the caller's contract.
        unsafe { f(read(fp, src), lane) }
    }

    /// `dst = f(src, lane, x)` (lane replacement, lane loads, shifts).
    #[inline(never)]
    pub(super) unsafe fn replace<L, T>(
        fp: *mut UntypedVal,
        dst: Slot,
        src: Slot,
        lane: L,
        x: T,
        f: impl Fn(u128, L, T) -> u128,
    ) {
        // SAFETY: the caller's contract.
        unsafe { write(fp, dst, f(read(fp, src), lane, x)) }
    }
}
