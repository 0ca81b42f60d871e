//! Exceptions: the helper behind `throw` and `throw_ref`.
//!
//! Nothing is spent on the path that does not throw: no handler is registered at run time and
//! calls are followed by nothing new. All the work happens when an exception is raised.
//!
//! `throw` and `throw_ref` go through the spill door (every pinned slot stored to the frame) and
//! jump to the shared throw stub (`stubs.rs`) with `rcx = func << 32 | pc`. The stub calls
//! [`throw_helper`] with the frame's `rbx` and `rbp`, which
//!
//! 1. makes the exception (`throw`: an [`ExnEntity`] of the instance's tag with the payload
//!    read from the frame) or reads it (`throw_ref`; null traps);
//! 2. walks this activation's `rbp` chain, as a backtrace does. For each frame it knows the
//!    raising instruction (the throwing frame: `pc`; a caller: the `call` whose return address
//!    the callee's frame holds at `[rbp + 8]`, looked up in the function's table of call
//!    sites), the function (`[rbp - 8]` is its `VmInstance`, `[rbp - 16]` its index) and its
//!    frame base (`rbx` of the callee minus `8 * base` of that call: a call moves `rbx` up by
//!    exactly its window, a tail call keeps it). [`IrFunc::catches_at`] gives the clauses, the
//!    first one whose tag is the exception's (compared by [`TagAddr`] through the frame's own
//!    instance) or a `catch_all` catches;
//! 3. writes the payload (and for `_ref` clauses the `exnref`) to the catching frame's slots
//!    and leaves its `rbp`, `rbx`, landing pad and clause code in the context. The stub then
//!    restores `rsp = rbp - 16` (the frame as its prologue left it), `r13` from the frame, and
//!    jumps to the pad, which reloads memory 0 and the pinned slots from the frame (the raising
//!    instruction, a call or a throw, had stored them all) and jumps to the clause's code.
//!
//! The chain ends at the trampoline (`rbp = 0`): each entry from the host is its own activation,
//! so an exception does not cross a host function, as in the interpreter (whose frame stack is
//! per activation). If no frame catches, the helper returns the trap "uncaught exception" and
//! the stub raises it from the throwing frame, so the backtrace starts at the thrower.
//!
//! Code is found by address: a frame's function is `funcs[index]` of its instance, whose
//! [`VmFunc`](crate::context::VmFunc) entry is the code the store actually runs (the guarded or
//! the checked variant), which lies in one of the store's compiled modules.

use alloc::sync::Arc;

use strata_ir::{CatchClause, Instr};
use strata_vm::store::{slot_counts, ExnEntity, TagAddr};
use strata_vm::{ExnAddr, InstanceAddr, RawRef, StoreInner, TrapCode, UntypedVal};

use crate::compile::CompiledModule;
use crate::context::{status, Exit, VmContext, VmInstance};
use crate::store::JitStore;

/// A trap status for the throw stub.
fn trap(code: TrapCode) -> u32 {
    code as u32 + 1
}

/// Gives up on IR the helper cannot make sense of (the interpreter's `Exit::Invalid`).
fn invalid(ctx: &mut VmContext) -> u32 {
    ctx.exit = Exit::Unsupported("invalid IR");
    status::UNSUPPORTED
}

/// One wasm frame of the activation, as the unwinder sees it.
#[derive(Clone, Copy)]
struct Frame {
    rbp: usize,
    rbx: usize,
    /// The raising instruction.
    pc: usize,
}

impl Frame {
    /// The frame's instance and function index, as its prologue pushed them.
    ///
    /// # Safety
    /// `self.rbp` must be a live wasm frame of this activation.
    unsafe fn function(&self) -> (InstanceAddr, u32) {
        // SAFETY: every wasm frame's prologue pushed `rbp`, its `VmInstance` (boxed in the
        // store's `JitStore`, alive for the store's life) and its function index, in that order.
        unsafe {
            (
                InstanceAddr((**((self.rbp - 8) as *const *const VmInstance)).addr),
                *((self.rbp - 16) as *const u64) as u32,
            )
        }
    }
}

/// The compiled module and defined-function index of function `index` of instance `inst`.
fn code_of<'j>(
    store: &StoreInner,
    jit: &'j JitStore,
    inst: InstanceAddr,
    index: u32,
) -> Option<(&'j Arc<CompiledModule>, usize)> {
    let addr = *store.instance(inst).funcs.get(index as usize)?;
    let entry = jit.funcs.get(addr.index() as usize)?.code;
    let m = jit.module_at(entry)?;
    let local = index.checked_sub(m.num_imported())? as usize;
    (m.entry(local) == entry).then_some((m, local))
}

/// `throw(ctx, rbx, rbp, func << 32 | pc) -> status`: raises the exception of the `throw` or
/// `throw_ref` at `pc` of defined function `func` (running in the frame at `rbx`/`rbp`) and
/// unwinds to its handler (module documentation). 0 when a frame catches it (the context says
/// where to resume), else the trap or exit status.
pub(crate) unsafe extern "sysv64" fn throw_helper(
    ctx: *mut VmContext,
    rbx: usize,
    rbp: usize,
    packed: u64,
) -> u32 {
    // SAFETY: JIT code passes its live context.
    let ctx = unsafe { &mut *ctx };
    // SAFETY: the store outlives the activation and JIT code holds no reference into it.
    let store = unsafe { &mut *ctx.store };
    let (local, pc) = ((packed >> 32) as usize, packed as u32 as usize);
    let frame = Frame { rbx, rbp, pc };
    // SAFETY: `rbp` is the throwing function's frame (the stub passes its own).
    let (inst, _) = unsafe { frame.function() };
    let Some(code) = store.instance(inst).module.code.get(local).cloned() else {
        return invalid(ctx);
    };
    let fresh = matches!(code.instrs.get(pc), Some(Instr::Throw { .. }));
    let exn = match code.instrs.get(pc) {
        Some(&Instr::Throw { base, tag }) => {
            let Some(&tag) = store.instance(inst).tags.get(tag as usize) else {
                return invalid(ctx);
            };
            let sig = store.tags[tag.index()].sig;
            let (n, _) = slot_counts(store.sigs.get(sig));
            if base.index() + usize::from(n) > usize::from(code.frame_slots) {
                return invalid(ctx);
            }
            // SAFETY: the frame at `rbx` has `frame_slots` slots in the value stack (its
            // prologue checked), the payload lies within them (checked above), and the spill
            // door stored every pinned slot before the stub ran.
            let payload = unsafe {
                core::slice::from_raw_parts(
                    (rbx + 8 * base.index()) as *const UntypedVal,
                    usize::from(n),
                )
            };
            match store.push_exn(ExnEntity {
                tag,
                payload: payload.into(),
            }) {
                Some(exn) => exn,
                None => return trap(TrapCode::TooManyExceptions),
            }
        }
        Some(&Instr::ThrowRef { exn }) => {
            if exn.index() >= usize::from(code.frame_slots) {
                return invalid(ctx);
            }
            // SAFETY: as above, `exn` is a slot of the frame at `rbx`.
            let v = unsafe { *((rbx + 8 * exn.index()) as *const UntypedVal) };
            match v.to_raw_ref().to_exn() {
                Some(exn) => exn,
                None => return trap(TrapCode::NullExceptionReference),
            }
        }
        _ => return invalid(ctx),
    };
    // The search only reads the store, so it may be shared with the `JitStore` it holds.
    let mut referenced = false;
    let status = {
        let store: &StoreInner = store;
        // SAFETY: the store's `JitStore` lives as long as the store; both are only read in
        // the search.
        let jit = unsafe { &*ctx.jit };
        // SAFETY: `frame` is the throwing frame, the innermost of this activation.
        unsafe { unwind(ctx, store, jit, exn, frame, &mut referenced) }
    };
    if fresh && !referenced {
        store.release_exn(exn);
    }
    status
}

/// Searches the frames from `frame` outwards for a clause that catches `exn`; sets
/// `referenced` if the clause writes an `exnref` to it.
///
/// # Safety
/// `frame` must be a live wasm frame of the running activation (its `rbp` chain ends at the
/// trampoline's 0) whose every pinned slot is in the frame.
unsafe fn unwind(
    ctx: &mut VmContext,
    store: &StoreInner,
    jit: &JitStore,
    exn: ExnAddr,
    mut frame: Frame,
    referenced: &mut bool,
) -> u32 {
    let Some(thrown) = store.exns.get(exn.index() as usize) else {
        return invalid(ctx);
    };
    let thrown_tag: TagAddr = thrown.tag;
    loop {
        // SAFETY: `frame` is a live wasm frame (the caller's guarantee, then the chain's).
        let (inst, index) = unsafe { frame.function() };
        let Some((m, local)) = code_of(store, jit, inst, index) else {
            return invalid(ctx);
        };
        let code = m.func(local);
        let tags = &store.instance(inst).tags;
        let caught: Option<CatchClause> = code
            .catches_at(frame.pc)
            .find(|c| match c.tag {
                None => true,
                Some(t) => tags.get(t as usize) == Some(&thrown_tag),
            })
            .copied();
        if let Some(c) = caught {
            let payload: &[UntypedVal] = match c.tag {
                Some(_) => &store.exns[exn.index() as usize].payload,
                None => &[],
            };
            let n = payload.len();
            let Some((pad, target)) = m.landing(local, c.target.index()) else {
                return invalid(ctx);
            };
            if usize::from(c.slots) != n + usize::from(c.with_ref)
                || c.dst.index() + usize::from(c.slots) > usize::from(code.frame_slots)
            {
                return invalid(ctx);
            }
            // SAFETY: the catching frame has `frame_slots` slots at `rbx` in the value stack,
            // and `dst..dst + slots` lies within them (checked above); nothing else accesses
            // the value stack while the helper runs.
            let dst = unsafe {
                core::slice::from_raw_parts_mut(
                    (frame.rbx + 8 * c.dst.index()) as *mut UntypedVal,
                    usize::from(c.slots),
                )
            };
            dst[..n].copy_from_slice(payload);
            if c.with_ref {
                dst[n] = UntypedVal::from_raw_ref(RawRef::from_exn(Some(exn)));
                *referenced = true;
            }
            ctx.exn_pad = pad;
            ctx.exn_target = target;
            ctx.exn_rbp = frame.rbp;
            ctx.exn_rbx = frame.rbx;
            return 0;
        }
        // SAFETY: `frame.rbp` is a live wasm frame: `[rbp]` is its caller's `rbp` (0 for the
        // trampoline) and `[rbp + 8]` its return address.
        let (next, ret) = unsafe {
            (
                *(frame.rbp as *const usize),
                *((frame.rbp + 8) as *const usize),
            )
        };
        if next == 0 {
            return trap(TrapCode::UncaughtException);
        }
        let caller = Frame {
            rbp: next,
            rbx: 0,
            pc: 0,
        };
        // SAFETY: a non-zero saved `rbp` is the calling wasm frame.
        let (cinst, cindex) = unsafe { caller.function() };
        let Some((cm, clocal)) = code_of(store, jit, cinst, cindex) else {
            return invalid(ctx);
        };
        let Some(pc) = cm.call_at(clocal, ret) else {
            return invalid(ctx);
        };
        let base = match cm.func(clocal).instrs[pc] {
            Instr::Call { base, .. }
            | Instr::CallIndirect { base, .. }
            | Instr::CallRef { base, .. } => base,
            _ => return invalid(ctx),
        };
        frame = Frame {
            rbp: next,
            rbx: frame.rbx - 8 * base.index(),
            pc,
        };
    }
}
