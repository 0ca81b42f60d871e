//! The data JIT code reads at run time, with the byte offsets the code generator bakes in.
//!
//! - [`VmContext`] (register `r12`): one per activation from the host ([`crate::invoke`]): the
//!   call-depth limit as a native stack bound, the value stack's end, the entry `rsp` the trap
//!   exit unwinds to, the store-wide function table, fuel and interrupt pointers, and the helper
//!   table (so code never embeds an absolute address and machine code is reproducible).
//! - [`VmInstance`] (register `r13`): one per instance, boxed in the store's [`JitStore`]
//!   (address stable for the store's life): memory 0's descriptor, the module's functions,
//!   globals, tables and signature ids.
//! - [`VmFunc`]: a callable: code address, the callee's `VmInstance` (or, for host functions,
//!   the [`FuncAddr`](strata_vm::FuncAddr) the host stub passes on), its signature id.
//! - [`VmMemory`]/[`VmTable`]: base and length, refreshed after anything that can grow them.
//!
//! [`JitStore`]: crate::store::JitStore

use core::mem::offset_of;

use strata_vm::{GlobalCell, StoreInner, Trap, UntypedVal};

/// Indices into [`VmContext::helpers`].
pub(crate) mod helper {
    /// `slow(ctx, inst, frame, func << 32 | pc) -> status`: runs one IR instruction in Rust.
    pub const SLOW: usize = 0;
    /// `grow_stack(ctx, frame, frame_slots) -> new frame or 0`.
    pub const GROW: usize = 1;
    /// `record_trap(ctx, status, rbp)`: records the trap and its backtrace before unwinding.
    pub const TRAP: usize = 2;
    /// `host(ctx, func_addr, frame, caller_rsp) -> status`: calls a host function.
    pub const HOST: usize = 3;
    /// `throw(ctx, rbx, rbp, func << 32 | pc) -> status`: raises the exception of `throw` or
    /// `throw_ref` instruction `pc` and finds its handler (`exn.rs`); 0 when one catches.
    pub const THROW: usize = 4;
    /// How many helpers there are.
    pub const COUNT: usize = 5;
}

/// Statuses helpers return and trap stubs pass to the trap exit: 0 is success, `code + 1` a
/// [`TrapCode`](strata_vm::TrapCode), and these two special exits.
pub(crate) mod status {
    /// A host function returned an error (kept in the host adapter).
    pub const HOST_ERROR: u32 = 0x1000;
    /// An instruction or function this backend cannot run yet (named in the context).
    pub const UNSUPPORTED: u32 = 0x1001;
}

/// Why the trampoline returned early (status 1): filled in by `record_trap` or the helpers.
#[derive(Debug)]
pub(crate) enum Exit {
    /// Still running, or returned normally.
    None,
    /// A trap with its backtrace.
    Trap(Trap),
    /// A host function failed; the error waits in the host adapter.
    Host,
    /// Something not supported by this backend.
    Unsupported(&'static str),
}

/// Calls a host function on behalf of JIT code: `(adapter, store, host index, caller, slots)`,
/// `false` if the host function failed (the adapter keeps the error).
pub(crate) type HostCallFn = unsafe fn(
    *mut (),
    &mut StoreInner,
    u32,
    Option<strata_vm::InstanceAddr>,
    &mut [UntypedVal],
) -> bool;

/// Runs `memory.grow`/`table.grow` with the embedder's limiter:
/// `(adapter, store, instance, frame, instr)`.
pub(crate) type HostGrowFn = unsafe fn(
    *mut (),
    &mut StoreInner,
    strata_vm::InstanceAddr,
    &mut [UntypedVal],
    strata_ir::Instr,
);

/// Per-activation state; `r12` points to it while JIT code runs.
#[repr(C)]
pub(crate) struct VmContext {
    /// Before entry: bytes of native stack the allowed call depth may use. The trampoline turns
    /// it into the lowest `rsp` a function prologue may see (32 bytes per wasm frame).
    pub stack_limit: usize,
    /// One past the value stack's last slot (function prologues check their frame against it).
    pub stack_end: usize,
    /// `rsp` just after the trampoline's pushes: the trap exit unwinds to it.
    pub entry_rsp: usize,
    /// The store-wide [`VmFunc`]s, by `FuncAddr` (for `call_indirect`).
    pub funcs: *const VmFunc,
    /// The store's fuel counter.
    pub fuel: *mut u64,
    /// The store's interrupt flag (one byte, non-zero when requested).
    pub interrupt: *const u8,
    /// The frame base after a host call (the value stack may have moved).
    pub rbx_out: usize,
    /// The shared trap exit (in the stub buffer).
    pub trap_common: usize,
    /// Helper functions, by [`helper`] index.
    pub helpers: [usize; helper::COUNT],
    /// The host stub's address (tail calls compare a callee's code with it).
    pub host_stub: usize,
    /// The shared throw stub (in the stub buffer): `throw` and `throw_ref` jump to it with
    /// `rcx = func << 32 | pc`.
    pub throw_common: usize,
    /// Where a caught exception resumes, set by the throw helper: the catching function's
    /// landing pad, which reloads its registers and jumps to [`Self::exn_target`].
    pub exn_pad: usize,
    /// The catch clause's code (its `target` instruction in the catching function).
    pub exn_target: usize,
    /// The catching frame's `rbp`.
    pub exn_rbp: usize,
    /// The catching frame's `rbx` (frame base).
    pub exn_rbx: usize,
    // ---- Rust only below ----
    /// The store.
    pub store: *mut StoreInner,
    /// The JIT's tables in the store.
    pub jit: *mut crate::store::JitStore,
    /// The host adapter and its call function.
    pub host_data: *mut (),
    /// See [`HostCallFn`].
    pub host_call: HostCallFn,
    /// See [`HostGrowFn`].
    pub host_grow: HostGrowFn,
    /// The value stack of this activation.
    pub stack: alloc::vec::Vec<UntypedVal>,
    /// The most slots the value stack may grow to.
    pub max_slots: usize,
    /// Why execution stopped early.
    pub exit: Exit,
}

/// Per-instance tables; `r13` points to the running function's.
#[repr(C)]
pub(crate) struct VmInstance {
    /// Memory 0's descriptor (an empty one if the instance has no memory).
    pub mem0: *const VmMemory,
    /// The instance's functions by module function index.
    pub funcs: *const VmFunc,
    /// The instance's globals' cells by module global index.
    pub globals: *const *mut GlobalCell,
    /// The instance's tables' descriptors by module table index.
    pub tables: *const *const VmTable,
    /// Interned signature ids by module type index.
    pub sigs: *const u32,
    /// The instance's store address.
    pub addr: u32,
}

/// A callable function, as JIT code sees it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct VmFunc {
    /// Code address: a wasm function's entry, the host stub, or the unsupported stub.
    pub code: usize,
    /// `r13` for the callee: its `VmInstance`, or its `FuncAddr` index for host functions.
    pub data: usize,
    /// Its interned signature id.
    pub sig: u32,
    /// Its store address.
    pub addr: u32,
}

/// A linear memory's base and length in bytes.
#[repr(C)]
#[derive(Debug)]
pub(crate) struct VmMemory {
    /// Byte 0.
    pub base: *mut u8,
    /// Accessible bytes.
    pub len: u64,
}

/// A table's elements (`RawRef`s, 4 bytes each) and length.
#[repr(C)]
#[derive(Debug)]
pub(crate) struct VmTable {
    /// Element 0.
    pub base: *mut u32,
    /// Number of elements.
    pub len: u64,
}

/// Byte offsets baked into machine code.
pub(crate) mod off {
    use super::*;

    pub const CTX_STACK_LIMIT: i32 = offset_of!(VmContext, stack_limit) as i32;
    pub const CTX_STACK_END: i32 = offset_of!(VmContext, stack_end) as i32;
    pub const CTX_ENTRY_RSP: i32 = offset_of!(VmContext, entry_rsp) as i32;
    pub const CTX_FUNCS: i32 = offset_of!(VmContext, funcs) as i32;
    pub const CTX_FUEL: i32 = offset_of!(VmContext, fuel) as i32;
    pub const CTX_INTERRUPT: i32 = offset_of!(VmContext, interrupt) as i32;
    pub const CTX_RBX_OUT: i32 = offset_of!(VmContext, rbx_out) as i32;
    pub const CTX_TRAP_COMMON: i32 = offset_of!(VmContext, trap_common) as i32;
    pub const CTX_HELPERS: i32 = offset_of!(VmContext, helpers) as i32;
    pub const CTX_HOST_STUB: i32 = offset_of!(VmContext, host_stub) as i32;
    pub const CTX_THROW_COMMON: i32 = offset_of!(VmContext, throw_common) as i32;
    pub const CTX_EXN_PAD: i32 = offset_of!(VmContext, exn_pad) as i32;
    pub const CTX_EXN_TARGET: i32 = offset_of!(VmContext, exn_target) as i32;
    pub const CTX_EXN_RBP: i32 = offset_of!(VmContext, exn_rbp) as i32;
    pub const CTX_EXN_RBX: i32 = offset_of!(VmContext, exn_rbx) as i32;

    pub const INST_MEM0: i32 = offset_of!(VmInstance, mem0) as i32;
    pub const INST_FUNCS: i32 = offset_of!(VmInstance, funcs) as i32;
    pub const INST_GLOBALS: i32 = offset_of!(VmInstance, globals) as i32;
    pub const INST_TABLES: i32 = offset_of!(VmInstance, tables) as i32;
    pub const INST_SIGS: i32 = offset_of!(VmInstance, sigs) as i32;

    pub const FUNC_SIZE: i32 = core::mem::size_of::<VmFunc>() as i32;
    pub const FUNC_CODE: i32 = offset_of!(VmFunc, code) as i32;
    pub const FUNC_DATA: i32 = offset_of!(VmFunc, data) as i32;
    pub const FUNC_SIG: i32 = offset_of!(VmFunc, sig) as i32;
    pub const FUNC_ADDR: i32 = offset_of!(VmFunc, addr) as i32;

    pub const MEM_BASE: i32 = offset_of!(VmMemory, base) as i32;
    pub const MEM_LEN: i32 = offset_of!(VmMemory, len) as i32;
    pub const TABLE_BASE: i32 = offset_of!(VmTable, base) as i32;
    pub const TABLE_LEN: i32 = offset_of!(VmTable, len) as i32;

    /// Native stack bytes one wasm frame takes: return address, saved `rbp`, `r13`, func index.
    pub const FRAME_BYTES: usize = 32;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_pinned() {
        assert_eq!(off::FUNC_SIZE, 24);
        assert_eq!(off::CTX_HELPERS, 64);
        assert_eq!(off::INST_MEM0, 0);
        assert_eq!(off::MEM_LEN, 8);
        assert_eq!(core::mem::size_of::<strata_vm::RawRef>(), 4);
    }
}
