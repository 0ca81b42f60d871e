//! Entering JIT code from Rust ([`invoke`]) and the helpers JIT code calls back into.

use alloc::vec::Vec;

use strata_interp::{Error, Host};
use strata_vm::{
    FrameInfo, FuncAddr, FuncKind, InstanceAddr, StoreInner, Trap, TrapCode, UntypedVal,
};

use crate::context::{helper, off::FRAME_BYTES, status, Exit, VmContext, VmInstance};
use crate::slow::{self, Outcome};
use crate::store::{interrupt_byte, JitStore};
use crate::stubs::Stubs;

/// The value stack's initial size in slots (it grows on demand up to the store's limit).
const INITIAL_STACK: usize = 1024;

/// The host adapter JIT code calls through: the embedder's [`Host`] and the error of a failed
/// host function, handed back to [`invoke`]'s caller.
struct HostAdapter<'a, H: Host> {
    host: &'a mut H,
    error: Option<H::Error>,
}

/// Calls the adapter at `data` (a `HostAdapter<H>`).
///
/// # Safety
/// `data` must point to a live `HostAdapter<H>` not otherwise borrowed.
unsafe fn call_host<H: Host>(
    data: *mut (),
    store: &mut StoreInner,
    index: u32,
    caller: Option<InstanceAddr>,
    slots: &mut [UntypedVal],
) -> bool {
    // SAFETY: the caller guarantees `data` is our live, unborrowed adapter.
    let adapter = unsafe { &mut *data.cast::<HostAdapter<'_, H>>() };
    match adapter.host.call_host(store, index, caller, slots) {
        Ok(()) => true,
        Err(e) => {
            adapter.error = Some(e);
            false
        }
    }
}

/// Runs `memory.grow` or `table.grow` asking the embedder's limiter (of the adapter at `data`,
/// a `HostAdapter<H>`), as the interpreter does.
///
/// # Safety
/// `data` must point to a live `HostAdapter<H>` not otherwise borrowed.
unsafe fn grow_limited<H: Host>(
    data: *mut (),
    store: &mut StoreInner,
    inst: InstanceAddr,
    frame: &mut [UntypedVal],
    instr: strata_ir::Instr,
) {
    // SAFETY: the caller guarantees `data` is our live, unborrowed adapter.
    let adapter = unsafe { &mut *data.cast::<HostAdapter<'_, H>>() };
    slow::grow(store, inst, frame, instr, adapter.host.limiter());
}

/// Calls the function at `func` with its parameters in `slots` and leaves its results there,
/// running wasm functions as x64 code. The same contract as [`strata_interp::invoke`]: same
/// host interface, same errors, same traps and backtraces.
///
/// A wasm function whose module was not compiled for x64 fails with
/// [`Error::Unsupported`].
pub fn invoke<H: Host>(
    store: &mut StoreInner,
    host: &mut H,
    func: FuncAddr,
    slots: &mut [UntypedVal],
) -> Result<(), Error<H::Error>> {
    let entity = store.func(func);
    let (param_slots, result_slots) = (
        usize::from(entity.param_slots),
        usize::from(entity.result_slots),
    );
    let frame_slots = match &entity.kind {
        FuncKind::Host { index } => {
            let index = *index;
            return host
                .call_host(store, index, None, slots)
                .map_err(Error::Host);
        }
        FuncKind::Wasm { code, .. } => usize::from(code.frame_slots),
    };
    let max_depth = store.config.max_call_depth;
    let outer = store.outer_call_depth;
    if outer >= max_depth {
        return Err(Trap::new(TrapCode::StackOverflow).into());
    }
    let max_slots = store.config.max_stack_slots as usize;
    let needed = frame_slots.max(param_slots).max(result_slots);
    if needed > max_slots {
        return Err(Trap::new(TrapCode::StackOverflow).into());
    }
    let jit = JitStore::sync(store);
    // SAFETY: `sync` returned the store's live, boxed `JitStore`; nothing else borrows it now.
    let vf = unsafe { (&(*jit).funcs)[func.index() as usize] };
    let stubs = Stubs::get();
    #[cfg(target_os = "linux")]
    crate::signals::ensure_alt_stack();
    if vf.code == stubs.unsupported() {
        return Err(Error::Unsupported("a function not compiled for x64"));
    }

    let mut stack = store.take_stack();
    let len = needed.max(INITIAL_STACK.min(max_slots));
    if stack.len() < len {
        stack.resize(len, UntypedVal::ZERO);
    }
    stack[..param_slots].copy_from_slice(&slots[..param_slots]);

    let mut adapter = HostAdapter { host, error: None };
    let allowed = (max_depth - outer) as usize;
    let mut ctx = VmContext {
        stack_limit: allowed.saturating_mul(FRAME_BYTES).saturating_add(8),
        stack_end: 0,
        entry_rsp: 0,
        // SAFETY: as above; the pointer is refreshed after every host call.
        funcs: unsafe { (*jit).funcs.as_ptr() },
        fuel: &mut store.fuel,
        interrupt: interrupt_byte(&store.interrupt),
        rbx_out: 0,
        trap_common: stubs.trap_common(),
        helpers: [0; helper::COUNT],
        host_stub: stubs.host(),
        throw_common: stubs.throw_common(),
        exn_pad: 0,
        exn_target: 0,
        exn_rbp: 0,
        exn_rbx: 0,
        store,
        jit,
        host_data: (&mut adapter as *mut HostAdapter<'_, H>).cast(),
        host_call: call_host::<H>,
        host_grow: grow_limited::<H>,
        stack,
        max_slots,
        exit: Exit::None,
    };
    ctx.helpers[helper::SLOW] = slow_helper as *const () as usize;
    ctx.helpers[helper::GROW] = grow_helper as *const () as usize;
    ctx.helpers[helper::TRAP] = record_trap as *const () as usize;
    ctx.helpers[helper::HOST] = host_helper as *const () as usize;
    ctx.helpers[helper::THROW] = crate::exn::throw_helper as *const () as usize;
    ctx.stack_end = ctx.stack.as_ptr_range().end as usize;
    let frame = ctx.stack.as_mut_ptr().cast::<u64>();

    // SAFETY: the trampoline and the code follow the conventions of `compile` and `stubs`:
    // `ctx` outlives the call and is only accessed through `r12` and the helpers meanwhile,
    // `vf.data` is the callee's `VmInstance`, `frame` holds at least the callee's parameters,
    // and every exit path (return or trap) restores the callee-saved registers and `rsp`.
    let st = unsafe { (stubs.trampoline())(&mut ctx, vf.data, frame, vf.code) };

    let stack = core::mem::take(&mut ctx.stack);
    let exit = core::mem::replace(&mut ctx.exit, Exit::None);
    // SAFETY: `ctx.store` is the `store` we were given; the activation is over.
    let store = unsafe { &mut *ctx.store };
    let r = if st == 0 {
        slots[..result_slots].copy_from_slice(&stack[..result_slots]);
        Ok(())
    } else {
        match exit {
            Exit::Trap(t) => Err(Error::Trap(t)),
            Exit::Host => Err(Error::Host(
                adapter
                    .error
                    .take()
                    .expect("a failed host call left its error"),
            )),
            Exit::Unsupported(name) => Err(Error::Unsupported(name)),
            Exit::None => Err(Error::Unsupported("x64 exit without a reason")),
        }
    };
    store.return_stack(stack);
    r
}

/// `slow(ctx, inst, frame, func << 32 | pc) -> status`.
unsafe extern "sysv64" fn slow_helper(
    ctx: *mut VmContext,
    inst: *const VmInstance,
    frame: *mut UntypedVal,
    packed: u64,
) -> u32 {
    // SAFETY: JIT code passes its live context, its running instance and its frame base.
    let (ctx, inst) = unsafe { (&mut *ctx, &*inst) };
    // SAFETY: the store outlives the activation and JIT code holds no reference into it.
    let store = unsafe { &mut *ctx.store };
    let addr = InstanceAddr(inst.addr);
    let (local, pc) = ((packed >> 32) as usize, packed as u32 as usize);
    let code = store.instance(addr).module.code[local].clone();
    let instr = code.instrs[pc];
    // SAFETY: `frame` is the running function's frame: `frame_slots` slots inside the value
    // stack (checked by its prologue), not otherwise borrowed while the helper runs.
    let frame = unsafe { core::slice::from_raw_parts_mut(frame, usize::from(code.frame_slots)) };
    if let strata_ir::Instr::MemoryGrow { .. } | strata_ir::Instr::TableGrow { .. } = instr {
        // SAFETY: `host_data`/`host_grow` are the adapter `invoke` set up, alive until it
        // returns, and not borrowed while JIT code runs.
        unsafe { (ctx.host_grow)(ctx.host_data, store, addr, frame, instr) };
        // SAFETY: the store's `JitStore` lives as long as the store.
        unsafe { (*ctx.jit).refresh_descriptors(store) };
        return 0;
    }
    match slow::exec(store, addr, frame, &code, instr) {
        Outcome::Ok => 0,
        Outcome::Trap(code) => code as u32 + 1,
        Outcome::Unsupported(name) => {
            ctx.exit = Exit::Unsupported(name);
            status::UNSUPPORTED
        }
    }
}

/// `grow_stack(ctx, frame, frame_slots) -> new frame`, or 0 past the limit.
unsafe extern "sysv64" fn grow_helper(
    ctx: *mut VmContext,
    frame: usize,
    frame_slots: u32,
) -> usize {
    // SAFETY: JIT code passes its live context.
    let ctx = unsafe { &mut *ctx };
    let base = ctx.stack.as_ptr() as usize;
    let at = (frame - base) / 8;
    match grow(&mut ctx.stack, at + frame_slots as usize, ctx.max_slots) {
        Some(()) => {
            ctx.stack_end = ctx.stack.as_ptr_range().end as usize;
            ctx.stack.as_ptr() as usize + 8 * at
        }
        None => 0,
    }
}

/// Grows `stack` to hold `needed` slots (as the interpreter's `reserve`); `None` past `max`.
fn grow(stack: &mut Vec<UntypedVal>, needed: usize, max: usize) -> Option<()> {
    if needed > stack.len() {
        if needed > max {
            return None;
        }
        let new_len = needed.max(stack.len() * 2).clamp(64, max.max(needed));
        stack.resize(new_len, UntypedVal::ZERO);
    }
    Some(())
}

/// `host(ctx, func_addr, frame, caller_rsp) -> status`: calls a host function with the window
/// at `frame`, leaving the (possibly moved) frame base in `ctx.rbx_out`.
unsafe extern "sysv64" fn host_helper(
    ctx: *mut VmContext,
    func: usize,
    frame: usize,
    caller_rsp: usize,
) -> u32 {
    // SAFETY: JIT code passes its live context.
    let ctx = unsafe { &mut *ctx };
    // SAFETY: the store outlives the activation and JIT code holds no reference into it.
    let store = unsafe { &mut *ctx.store };
    let entity = store.func(FuncAddr::new(func as u32).expect("a function address"));
    let FuncKind::Host { index } = entity.kind else {
        unreachable!("the host stub only runs host functions")
    };
    let window = usize::from(entity.param_slots.max(entity.result_slots));
    let base = ctx.stack.as_ptr() as usize;
    let at = (frame - base) / 8;
    if grow(&mut ctx.stack, at + window, ctx.max_slots).is_none() {
        return TrapCode::StackOverflow as u32 + 1;
    }
    ctx.stack_end = ctx.stack.as_ptr_range().end as usize;
    // The caller's frame: [caller_rsp + 8] holds its VmInstance (see the prologue).
    // SAFETY: `caller_rsp` is the calling wasm function's stack pointer after its prologue.
    let caller = unsafe { &*(*((caller_rsp + 8) as *const *const VmInstance)) };
    let depth = ((ctx.entry_rsp - caller_rsp) / FRAME_BYTES) as u32;
    store.outer_call_depth += depth;
    let mut slots = core::mem::take(&mut ctx.stack);
    // SAFETY: `host_data`/`host_call` are the adapter `invoke` set up, alive until it returns.
    let ok = unsafe {
        (ctx.host_call)(
            ctx.host_data,
            store,
            index,
            Some(InstanceAddr(caller.addr)),
            &mut slots[at..at + window],
        )
    };
    ctx.stack = slots;
    store.outer_call_depth -= depth;
    // The host may have grown memories or tables, or instantiated modules.
    let jit = JitStore::sync(store);
    ctx.jit = jit;
    // SAFETY: `jit` is the store's live `JitStore`.
    ctx.funcs = unsafe { (*jit).funcs.as_ptr() };
    ctx.rbx_out = ctx.stack.as_ptr() as usize + 8 * at;
    if ok {
        0
    } else {
        ctx.exit = Exit::Host;
        status::HOST_ERROR
    }
}

/// `record_trap(ctx, status, rbp)`: turns a trap status into the context's exit reason, with
/// the wasm backtrace read from the `rbp` chain.
unsafe extern "sysv64" fn record_trap(ctx: *mut VmContext, st: u32, rbp: usize) {
    // SAFETY: JIT code passes its live context.
    let ctx = unsafe { &mut *ctx };
    match st {
        status::HOST_ERROR => {}
        status::UNSUPPORTED => {
            if let Exit::None = ctx.exit {
                ctx.exit = Exit::Unsupported("a function not compiled for x64");
            }
        }
        _ => {
            let code = TrapCode::ALL[(st - 1) as usize];
            // SAFETY: the store outlives the activation.
            let store = unsafe { &*ctx.store };
            let mut frames = Vec::new();
            let mut r = rbp;
            while r != 0 {
                // SAFETY: every wasm frame's prologue pushed `rbp`, its `VmInstance` and its
                // function index, in that order; the chain ends at the trampoline's 0.
                let (inst, index, next) = unsafe {
                    (
                        &**((r - 8) as *const *const VmInstance),
                        *((r - 16) as *const u64) as u32,
                        *(r as *const usize),
                    )
                };
                let module = &store.instance(InstanceAddr(inst.addr)).module;
                frames.push(FrameInfo {
                    func_index: index,
                    func_name: module.func_name(index).map(Into::into),
                    offset: module.code_offset(index).unwrap_or(0),
                });
                r = next;
            }
            ctx.exit = Exit::Trap(Trap::with_backtrace(code, frames));
        }
    }
}
