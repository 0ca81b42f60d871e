//! The single-pass code generator: each IR instruction becomes a short x86_64 sequence working
//! on frame slots in memory.
//!
//! ## Registers
//!
//! | register | holds |
//! |---|---|
//! | `rbx` | the frame base: slot `i` is `[rbx + 8*i]` |
//! | `rbp` | the native frame pointer; `[rbp-8]` = the frame's `VmInstance`, `[rbp-16]` = its function index (backtraces walk this chain) |
//! | `r12` | the [`VmContext`](crate::context::VmContext) |
//! | `r13` | the running function's [`VmInstance`](crate::context::VmInstance) |
//! | `r14` | memory 0's base, reloaded after every call; a pinned slot in a module without memory |
//! | `r15` | memory 0's length in bytes in checked code (reloaded with the base); a pinned slot in guarded code and in a module without memory |
//! | `rsi`, `rdi`, `r8`-`r11` | up to six frame slots pinned for the whole function (`regs.rs`); seven with `r15`, eight with `r14` too |
//! | `xmm5`-`xmm15` | up to eleven `f64` frame slots pinned for the whole function (`fregs.rs`) |
//! | `rax`, `rcx`, `rdx`, `xmm0`-`xmm4` | scratch (`xmm2`-`xmm4` only in SIMD sequences; any register but the fixed roles in code that is not register-aware) |
//!
//! Instructions that are not register-aware (`instr_mem`: slow-path helpers, SIMD, tables,
//! bulk memory, calls) run with every pinned slot (`xmm` ones too) stored to the frame before
//! and loaded back after, so they only ever see the frame; see `regs.rs` (native SIMD sequences
//! save and restore only the pinned slots they name). An instruction naming
//! an `xmm`-pinned slot is emitted by `instr_xmm` (`fregs.rs`) or goes through that door.
//!
//! ## Frames and calls
//!
//! A function's prologue checks the call depth (`rsp` against the context's bound: one wasm
//! frame is exactly 32 native bytes) and the value stack (growing it through a helper, which
//! moves `rbx`), then pushes `rbp`, `r13` and its function index, and zeroes its locals. A call
//! moves `rbx` to the argument window (`rbx += 8*base`), calls (directly within the module,
//! through the callee's [`VmFunc`](crate::context::VmFunc) otherwise, with `r13` switched), and
//! moves `rbx` back. Results come back in the window, as in the interpreter.
//!
//! ## Memory accesses
//!
//! The access is at `[r14 + rax + offset]`, the 32-bit address zero-extended into `rax`, so
//! nothing wraps. How it is kept in bounds depends on the module's [`Bounds`]:
//!
//! - **Explicit**: `lea rcx, [rax + offset + size]; cmp rcx, r15; ja trap` before the access.
//! - **Guard** (Linux; chosen by `store.rs` when the module's memory 0 is 32-bit with 64 KiB
//!   pages): no check when `offset + size <= 4 GiB`; `Reserved` memories map 4 GiB + 4 GiB
//!   `PROT_NONE` past their base, so every address such an access can form either is in bounds
//!   or faults, and the fault handler (`signals.rs`) resumes the thread at a trap stub with the
//!   same status, backtrace and store state as the explicit check's (x86 commits nothing of a
//!   faulting access). An access whose `offset + size` is larger always traps (a 32-bit
//!   memory holds at most 4 GiB), so it is a jump to the trap stub. An instance whose memory 0 is
//!   not such a memory ([`guard_suffices`]: heap memories, small guard regions) runs a checked
//!   variant of the module, compiled on first need, so guarded code never runs without its
//!   guard. `STRATA_X64_BOUNDS=explicit` forces checks everywhere.
//!
//! Measured (CPU time, guard vs explicit on one binary, medians of 5 interleaved rounds; the
//! commands and table are in ARCHITECTURE.md): guard code takes 0.89x the time of checked code
//! on sieve, 0.74x matmul, 0.94x sort, 0.90x image, 1.01x sha256 (geomean 0.89x).
//! Memories other than 0 go through the slow helper (explicit checks in Rust).
//!
//! ## Traps
//!
//! A check jumps to a per-function stub that loads the status (trap code + 1) and jumps to the
//! shared trap exit, which records the trap and the backtrace (walking `rbp`) and unwinds to the
//! trampoline (`rsp = entry_rsp`); no Rust frame is ever unwound through.
//!
//! ## Exceptions
//!
//! `throw` and `throw_ref` go through the spill door and jump to the shared throw stub; the
//! unwinder (`exn.rs`) maps each frame's return address to its call with the function's table
//! of call sites and lands in the catching function's landing pad, which reloads memory 0 and
//! the pinned slots and jumps to the clause's code. Calls carry no extra code for it.
//!
//! SIMD instructions have SSE4.1 sequences in `simd.rs` when the CPU has the features.
//! Instructions without an inline sequence (bulk memory, tables, rounding, trapping
//! conversions, SIMD without SSE4.1, other memories than 0) call the `slow` helper, which runs
//! that one instruction in Rust with the interpreter's semantics.

use alloc::sync::Arc;
use alloc::vec::Vec;

use dynasmrt::{
    dynasm, x64::Assembler, AssemblyOffset, DynamicLabel, DynasmApi, DynasmLabelApi,
    ExecutableBuffer,
};
use strata_ir::{Instr, IrFunc, Slot};
use strata_vm::TrapCode;

use crate::context::{helper, off::*};

/// One function's wasm call sites: (return address offset from the entry, instruction index).
pub(crate) type CallSites = Box<[(u32, u32)]>;

/// A module's machine code: every defined function, in one executable buffer.
pub struct CompiledModule {
    /// The code's entry in the fault handler's list (guarded code only); dropped before `buf`.
    #[cfg(target_os = "linux")]
    _guard: Option<crate::signals::Registration>,
    buf: ExecutableBuffer,
    /// Whether bounds checks of memory 0 were left to guard pages ([`Bounds::Guard`]).
    guarded: bool,
    num_imported: u32,
    /// The same module with explicit checks, compiled on first need (for an instance whose
    /// memory 0 has no guard region).
    checked: std::sync::OnceLock<Option<Arc<CompiledModule>>>,
    entries: Box<[AssemblyOffset]>,
    ends: Box<[AssemblyOffset]>,
    /// Per function, where each IR instruction's code starts (from the function's entry).
    instr_starts: Box<[Box<[u32]>]>,
    /// Per function, its wasm call sites: (return address offset from the entry, the call's
    /// instruction index), ascending. The throw helper maps a caller's return address to its
    /// `call` with it (`exn.rs`).
    pub(crate) call_sites: Box<[CallSites]>,
    /// Per function with `try_table` handlers, its landing pad's offset from the entry (see
    /// [`FuncCompiler::landing_pad`]); `u32::MAX` for the others.
    landings: Box<[u32]>,
    funcs: Box<[Arc<IrFunc>]>,
}

impl core::fmt::Debug for CompiledModule {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CompiledModule")
            .field("funcs", &self.funcs.len())
            .field("code_bytes", &self.buf.len())
            .finish()
    }
}

impl CompiledModule {
    /// The entry address of defined function `local` (0-based among the defined functions).
    pub(crate) fn entry(&self, local: usize) -> usize {
        self.buf.ptr(self.entries[local]) as usize
    }

    /// The machine code of defined function `local`: its body and out-of-line stubs.
    pub fn code(&self, local: usize) -> &[u8] {
        &self.buf[self.entries[local].0..self.ends[local].0]
    }

    /// Where the code of each IR instruction of defined function `local` starts, as byte
    /// offsets into [`code`](Self::code)`(local)`, by instruction index (for disassembly
    /// listings), then one more entry: where the out-of-line code (trap and slow-path stubs)
    /// starts. An instruction that emits nothing starts where the next one does.
    pub fn instr_starts(&self, local: usize) -> &[u32] {
        &self.instr_starts[local]
    }

    /// Whether `addr` lies in this module's code.
    pub(crate) fn contains(&self, addr: usize) -> bool {
        let start = self.buf.as_ptr() as usize;
        addr >= start && addr - start < self.buf.len()
    }

    /// How many functions the module imports (defined function `local` has index
    /// `num_imported + local`).
    pub(crate) fn num_imported(&self) -> u32 {
        self.num_imported
    }

    /// The IR of defined function `local`.
    pub(crate) fn func(&self, local: usize) -> &Arc<IrFunc> {
        &self.funcs[local]
    }

    /// The instruction index of the wasm call of defined function `local` whose return address
    /// is `ret` (an absolute address), if `ret` is one.
    pub(crate) fn call_at(&self, local: usize, ret: usize) -> Option<usize> {
        let off = u32::try_from(ret.checked_sub(self.entry(local))?).ok()?;
        let sites = &self.call_sites[local];
        let i = sites.binary_search_by_key(&off, |&(o, _)| o).ok()?;
        Some(sites[i].1 as usize)
    }

    /// The absolute addresses of defined function `local`'s landing pad and of the code of its
    /// instruction `pc` (a catch clause's target), if it has handlers.
    pub(crate) fn landing(&self, local: usize, pc: usize) -> Option<(usize, usize)> {
        let pad = *self.landings.get(local)?;
        let start = *self.instr_starts.get(local)?.get(pc)?;
        (pad != u32::MAX).then(|| {
            let entry = self.entry(local);
            (entry + pad as usize, entry + start as usize)
        })
    }

    /// Total machine code bytes.
    pub fn code_size(&self) -> usize {
        self.buf.len()
    }

    /// Whether memory-0 accesses rely on guard pages instead of explicit checks
    /// ([`Bounds::Guard`]); such code may only run with a memory 0 that
    /// [`guard_suffices`] accepts.
    pub fn is_guarded(&self) -> bool {
        self.guarded
    }

    /// The module with explicit bounds checks: `self` if it has them, else a variant compiled
    /// on first use (`None` if that compilation failed).
    pub(crate) fn checked(self: &Arc<Self>) -> Option<Arc<CompiledModule>> {
        if !self.guarded {
            return Some(self.clone());
        }
        self.checked
            .get_or_init(|| {
                compile_with(&self.funcs, self.num_imported, Bounds::Explicit)
                    .ok()
                    .map(Arc::new)
            })
            .clone()
    }
}

/// How compiled code keeps memory-0 accesses in bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bounds {
    /// `lea; cmp r15; ja trap` before every access: works with any memory.
    Explicit,
    /// No check where the reservation and guard region of memory 0 catch every address the
    /// access can form (`offset + size <= 4 GiB`); a fault becomes the trap (`signals.rs`).
    /// Falls back to [`Bounds::Explicit`] where the fault handler is unavailable.
    Guard,
    /// The module has no memory, so no code reads memory 0's base or length: `r14` and `r15`
    /// hold pinned slots instead. A memory access compiled this way traps.
    NoMemory,
}

impl Bounds {
    /// The strategy the runtime compiles a module with, given the type of its memory 0
    /// (imported or defined; `None` if it has no memory): guard pages where memory 0 can be a
    /// reserved 32-bit memory with 64 KiB pages, explicit checks for other memories, and
    /// [`Bounds::NoMemory`] without one. `STRATA_X64_BOUNDS=explicit` in the environment (read
    /// once per process) keeps explicit checks for every memory, for measurements and for
    /// ruling guard pages out.
    pub fn for_memory0(memory0: Option<strata_decoder::MemoryType>) -> Bounds {
        static EXPLICIT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let explicit = *EXPLICIT.get_or_init(|| {
            std::env::var("STRATA_X64_BOUNDS").is_ok_and(|v| v.eq_ignore_ascii_case("explicit"))
        });
        match memory0 {
            None => Bounds::NoMemory,
            Some(_) if explicit => Bounds::Explicit,
            Some(ty) if !ty.memory64 && matches!(ty.page_size_log2, None | Some(16)) => {
                Bounds::Guard
            }
            Some(_) => Bounds::Explicit,
        }
    }
}

/// Whether code compiled with [`Bounds::Guard`] may run with `memory` as its memory 0: a 32-bit
/// memory whose reservation and guard region map every byte an unchecked access can touch.
pub fn guard_suffices(memory: &strata_vm::LinearMemory) -> bool {
    cfg!(target_os = "linux") && memory.guard_covers(0, MAX_ELIDED_END)
}

/// Memory-0 accesses whose `offset + size` is at most this have no explicit check in guarded
/// code: with a 32-bit address they touch at most `u32::MAX + MAX_ELIDED_END` bytes from the
/// base, which [`guard_suffices`] requires to be reserved or guard.
pub(crate) const MAX_ELIDED_END: u64 = 1 << 32;

/// Why a module could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError(pub alloc::string::String);

impl core::fmt::Display for CompileError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "x64 compilation failed: {}", self.0)
    }
}

impl std::error::Error for CompileError {}

/// Compiles the defined functions `funcs` of a module with `num_imported` imported functions,
/// with explicit bounds checks.
pub fn compile(funcs: &[Arc<IrFunc>], num_imported: u32) -> Result<CompiledModule, CompileError> {
    compile_with(funcs, num_imported, Bounds::Explicit)
}

/// [`compile`] with the given bounds-check strategy for memory 0.
pub fn compile_with(
    funcs: &[Arc<IrFunc>],
    num_imported: u32,
    bounds: Bounds,
) -> Result<CompiledModule, CompileError> {
    #[cfg(target_os = "linux")]
    let guarded = bounds == Bounds::Guard && crate::signals::install();
    #[cfg(not(target_os = "linux"))]
    let guarded = {
        let _ = bounds;
        false
    };
    let no_memory = bounds == Bounds::NoMemory;
    let mut ops = Assembler::new().map_err(|e| CompileError(e.to_string()))?;
    let labels: Vec<DynamicLabel> = funcs.iter().map(|_| ops.new_dynamic_label()).collect();
    let mut entries = Vec::with_capacity(funcs.len());
    let mut ends = Vec::with_capacity(funcs.len());
    let mut instr_starts = Vec::with_capacity(funcs.len());
    let mut call_sites = Vec::with_capacity(funcs.len());
    let mut landings = Vec::with_capacity(funcs.len());
    let popcnt = std::is_x86_feature_detected!("popcnt");
    let cross_instance_tail_calls = tail::may_tail_call_across_instances(funcs, num_imported);
    let simd = simd::Features::detect();
    for (i, f) in funcs.iter().enumerate() {
        let entry = ops.offset();
        entries.push(entry);
        let out = FuncCompiler {
            ops: &mut ops,
            func: f,
            local: i as u32,
            num_imported,
            func_labels: &labels,
            targets: Vec::new(),
            traps: [None; 32],
            helper_fail: None,
            popcnt,
            simd_ctx: simd::SimdState::new(simd),
            pin: Vec::new(),
            pinned: Vec::new(),
            xpin: Vec::new(),
            xpinned: Vec::new(),
            regs_on: true,
            cross_instance_tail_calls,
            guarded,
            no_memory,
            pc: 0,
            call_sites: Vec::new(),
            landing: None,
        }
        .compile(labels[i]);
        let rel = |o: AssemblyOffset| (o.0 - entry.0) as u32;
        instr_starts.push(out.starts.iter().map(|&s| rel(s)).collect());
        call_sites.push(out.call_sites.iter().map(|&(o, pc)| (rel(o), pc)).collect());
        landings.push(out.landing.map_or(u32::MAX, rel));
        ends.push(ops.offset());
    }
    let buf = ops
        .finalize()
        .map_err(|_| CompileError("finalizing the code buffer".into()))?;
    #[cfg(target_os = "linux")]
    let _guard = (guarded && !buf.is_empty())
        .then(|| crate::signals::Registration::new(buf.as_ptr() as usize, buf.len()));
    Ok(CompiledModule {
        #[cfg(target_os = "linux")]
        _guard,
        buf,
        guarded,
        num_imported,
        checked: std::sync::OnceLock::new(),
        entries: entries.into_boxed_slice(),
        ends: ends.into_boxed_slice(),
        instr_starts: instr_starts.into_boxed_slice(),
        call_sites: call_sites.into_boxed_slice(),
        landings: landings.into_boxed_slice(),
        funcs: funcs.to_vec().into_boxed_slice(),
    })
}

/// Byte displacement of a slot from `rbx`.
#[inline]
fn d(s: Slot) -> i32 {
    8 * i32::from(s.0)
}

struct FuncCompiler<'a> {
    ops: &'a mut Assembler,
    func: &'a IrFunc,
    local: u32,
    num_imported: u32,
    func_labels: &'a [DynamicLabel],
    /// A label per instruction index that is a branch target (or follows a `br_table`).
    targets: Vec<Option<DynamicLabel>>,
    /// A stub per trap code used, by `TrapCode as u8`.
    traps: [Option<DynamicLabel>; 32],
    /// The stub for a helper that returned a non-zero status in `eax`.
    helper_fail: Option<DynamicLabel>,
    popcnt: bool,
    /// Native SIMD: the CPU features and the function's constant pool (`simd.rs`).
    simd_ctx: simd::SimdState,
    /// Per slot, the register it is pinned to, or [`regs::NO_PIN`].
    pin: Vec<u8>,
    /// The pinned slots and their registers.
    pinned: Vec<(Slot, u8)>,
    /// Per slot, the `xmm` register it is pinned to (`f64` slots, `fregs.rs`), or
    /// [`regs::NO_PIN`].
    xpin: Vec<u8>,
    /// The `xmm`-pinned slots and their registers.
    xpinned: Vec<(Slot, u8)>,
    /// Whether pinned slots are read and written in their registers; false while an
    /// instruction that is not register-aware is emitted (the frame is then up to date).
    regs_on: bool,
    /// Whether the module can tail-call into another instance, so direct calls must reload
    /// `r13` after returning (`tail.rs`).
    cross_instance_tail_calls: bool,
    /// Memory-0 accesses within the guard region are not checked ([`Bounds::Guard`]).
    guarded: bool,
    /// The module has no memory ([`Bounds::NoMemory`]): `r14` and `r15` are pinned registers.
    no_memory: bool,
    /// The instruction being emitted.
    pc: usize,
    /// Each wasm call's return address and instruction index (see `CompiledModule`).
    call_sites: Vec<(AssemblyOffset, u32)>,
    /// The landing pad, if the function has handlers.
    landing: Option<AssemblyOffset>,
}

/// What [`FuncCompiler::compile`] leaves besides the code.
struct FuncOutput {
    /// Where each IR instruction's code starts, then where the out-of-line code starts.
    starts: Vec<AssemblyOffset>,
    /// See [`FuncCompiler::call_sites`].
    call_sites: Vec<(AssemblyOffset, u32)>,
    /// See [`FuncCompiler::landing`].
    landing: Option<AssemblyOffset>,
}

macro_rules! x {
    ($ops:expr; $($t:tt)*) => {
        dynasm!($ops ; .arch x64 ; $($t)*)
    };
}

// The SIMD emitters: a child module, so they see `FuncCompiler` and `x!`.
#[path = "simd.rs"]
pub(crate) mod simd;

mod bulk;
mod fregs;
mod regs;
use regs::{RAX, RCX, RDX};
mod tail;

impl FuncCompiler<'_> {
    fn trap(&mut self, code: TrapCode) -> DynamicLabel {
        let i = code as usize;
        match self.traps[i] {
            Some(l) => l,
            None => {
                let l = self.ops.new_dynamic_label();
                self.traps[i] = Some(l);
                l
            }
        }
    }

    fn helper_fail(&mut self) -> DynamicLabel {
        match self.helper_fail {
            Some(l) => l,
            None => {
                let l = self.ops.new_dynamic_label();
                self.helper_fail = Some(l);
                l
            }
        }
    }

    fn target(&self, t: strata_ir::Target) -> DynamicLabel {
        self.targets[t.index()].expect("branch target has a label")
    }

    /// Compiles the function; returns where each IR instruction's code starts, its call sites
    /// and its landing pad.
    fn compile(mut self, entry: DynamicLabel) -> FuncOutput {
        let f = self.func;
        let n = f.instrs.len();
        self.targets = (0..=n).map(|_| None).collect();
        for (pc, i) in f.instrs.iter().enumerate() {
            if let Some(t) = i.target() {
                if self.targets[t.index()].is_none() {
                    self.targets[t.index()] = Some(self.ops.new_dynamic_label());
                }
            }
            if let Instr::BrTable { .. } = i {
                self.targets[pc + 1] = Some(self.ops.new_dynamic_label());
            }
        }
        // Catch clauses' targets are entered from the landing pad: give them a label, so that
        // no instruction is fused across them and their code starts where `instr_starts` says.
        for c in f.handlers.iter().flat_map(|h| h.catches.iter()) {
            if let Some(t @ None) = self.targets.get_mut(c.target.index()) {
                *t = Some(self.ops.new_dynamic_label());
            }
        }
        self.choose_pins();
        self.prologue(entry);
        let mut starts = Vec::with_capacity(n + 1);
        let mut pc = 0;
        while pc < n {
            if let Some(l) = self.targets[pc] {
                x!(self.ops; =>l);
            }
            starts.push(self.ops.offset());
            let next = match self.targets.get(pc + 1) {
                Some(None) => f.instrs.get(pc + 1).copied(),
                _ => None,
            };
            let consumed = self.instr(pc, f.instrs[pc], next);
            // An instruction fused into the one before it has no code of its own.
            for _ in 0..consumed {
                starts.push(self.ops.offset());
            }
            pc += 1 + consumed;
        }
        // Falling off the end cannot happen (the IR ends with `return`), but stay safe.
        let l = self.trap(TrapCode::Unreachable);
        starts.push(self.ops.offset());
        x!(self.ops; jmp =>l);
        self.stubs();
        if !f.handlers.is_empty() {
            self.landing_pad();
        }
        self.simd_consts();
        FuncOutput {
            starts,
            call_sites: self.call_sites,
            landing: self.landing,
        }
    }

    /// Where a caught exception enters this function (the throw stub jumps here with `rbp`,
    /// `rsp`, `rbx` and `r13` of this frame restored and the caught values in the frame):
    /// reloads memory 0 and every pinned slot from the frame, then jumps to the clause's code.
    /// Every raising instruction (`throw`, `throw_ref`, calls) went through the spill door, so
    /// the frame held every pinned slot when it raised.
    fn landing_pad(&mut self) {
        self.landing = Some(self.ops.offset());
        self.reload_memory();
        self.reload_all();
        x!(self.ops; jmp QWORD [r12 + CTX_EXN_TARGET]);
    }

    /// Records that the code just emitted ends with a `call` of a wasm function (or of the
    /// host stub) made by the current instruction.
    fn call_site(&mut self) {
        let at = self.ops.offset();
        self.call_sites.push((at, self.pc as u32));
    }

    fn prologue(&mut self, entry: DynamicLabel) {
        let f = self.func;
        let overflow = self.trap_prologue_overflow();
        let grow = self.ops.new_dynamic_label();
        let grown = self.ops.new_dynamic_label();
        let frame_bytes = 8 * i32::from(f.frame_slots);
        x!(self.ops
            ; =>entry
            ; cmp rsp, [r12 + CTX_STACK_LIMIT]
            ; jbe =>overflow
            ; lea rax, [rbx + frame_bytes]
            ; cmp rax, [r12 + CTX_STACK_END]
            ; ja =>grow
            ; =>grown
            ; push rbp
            ; mov rbp, rsp
            ; push r13
            ; push f.func_index as i32
        );
        let first = i32::from(f.param_slots);
        let count = i32::from(f.local_slots) - first;
        if count > 0 {
            if count <= 8 {
                x!(self.ops; xor eax, eax);
                for s in first..first + count {
                    x!(self.ops; mov [rbx + 8 * s], rax);
                }
            } else {
                x!(self.ops
                    ; lea rdi, [rbx + 8 * first]
                    ; mov ecx, count
                    ; xor eax, eax
                    ; rep stosq
                );
            }
        }
        self.reload_memory();
        self.reload_all();
        // Out of line: grow the value stack (rsp = 8 mod 16 here, so realign for the call).
        let after = self.ops.new_dynamic_label();
        x!(self.ops
            ; jmp =>after
            ; =>grow
            ; sub rsp, 8
            ; mov rdi, r12
            ; mov rsi, rbx
            ; mov edx, i32::from(f.frame_slots)
            ; call QWORD [r12 + CTX_HELPERS + 8 * helper::GROW as i32]
            ; add rsp, 8
            ; test rax, rax
            ; jz =>overflow
            ; mov rbx, rax
            ; jmp =>grown
            ; =>after
        );
    }

    /// The stack-overflow stub for the prologue: the frame is not pushed yet, so `rbp` is the
    /// caller's and the backtrace starts there, as in the interpreter.
    fn trap_prologue_overflow(&mut self) -> DynamicLabel {
        self.trap(TrapCode::StackOverflow)
    }

    /// Loads memory 0's base into `r14` and, in checked code, its length into `r15` (guarded
    /// code never reads the length from a register: `r15` holds a pinned slot there).
    fn reload_memory(&mut self) {
        if self.no_memory {
            return;
        }
        x!(self.ops
            ; mov rax, [r13 + INST_MEM0]
            ; mov r14, [rax + MEM_BASE]
        );
        if !self.guarded {
            x!(self.ops; mov r15, [rax + MEM_LEN]);
        }
    }

    /// `r = memory 0's length in bytes`, read from the memory (for guarded code, where `r15`
    /// is not the length).
    fn load_memory_len(&mut self, r: u8) {
        x!(self.ops
            ; mov Rq(r), [r13 + INST_MEM0]
            ; mov Rq(r), [Rq(r) + MEM_LEN]
        );
    }

    fn stubs(&mut self) {
        for (i, l) in self.traps.iter().enumerate() {
            if let Some(l) = *l {
                let status = i as i32 + 1;
                x!(self.ops
                    ; =>l
                    ; mov esi, status
                    ; mov rdx, rbp
                    ; jmp QWORD [r12 + CTX_TRAP_COMMON]
                );
            }
        }
        if let Some(l) = self.helper_fail {
            x!(self.ops
                ; =>l
                ; mov esi, eax
                ; mov rdx, rbp
                ; jmp QWORD [r12 + CTX_TRAP_COMMON]
            );
        }
    }

    /// `check_addr64`: traps unless the 64-bit address in `addr` is below 2^32 and the access's
    /// offset has no high bits, so the access after it reads the address as 32 bits.
    fn check_addr64(&mut self, addr: Slot, offset_high: u32) {
        if offset_high != 0 {
            let oob = self.trap(TrapCode::MemoryOutOfBounds);
            x!(self.ops ; jmp =>oob);
            return;
        }
        self.trap_unless_32_bit(addr, TrapCode::MemoryOutOfBounds);
    }

    /// Traps with `code` unless the 64-bit value in `slot` is below 2^32.
    fn trap_unless_32_bit(&mut self, slot: Slot, code: TrapCode) {
        let trap = self.trap(code);
        x!(self.ops
            ; mov rax, QWORD [rbx + d(slot)]
            ; shr rax, 32
            ; jnz =>trap
        );
    }

    /// Calls the slow helper for instruction `pc`; traps if it fails.
    fn slow(&mut self, pc: usize) {
        let packed = (i64::from(self.local) << 32) | pc as i64;
        let fail = self.helper_fail();
        x!(self.ops
            ; mov rdi, r12
            ; mov rsi, r13
            ; mov rdx, rbx
            ; mov rcx, QWORD packed
            ; call QWORD [r12 + CTX_HELPERS + 8 * helper::SLOW as i32]
            ; test eax, eax
            ; jnz =>fail
        );
        self.reload_memory();
    }

    /// Leaves `rax` = the effective address of a memory-0 access of `size` bytes at
    /// `[ptr] + offset` after checking it, and returns the displacement to use from `r14 + rax`.
    fn address(&mut self, ptr: Slot, offset: u32, size: u32) -> i32 {
        self.get32(RAX, ptr);
        self.address_check(offset, size)
    }

    /// [`Self::address`] with the 32-bit address already in `rax`. Guarded code leaves the
    /// check to the guard region where it covers the access (`signals.rs`).
    fn address_check(&mut self, offset: u32, size: u32) -> i32 {
        let end = u64::from(offset) + u64::from(size);
        if self.no_memory || (self.guarded && end > MAX_ELIDED_END) {
            // Guarded memories are 32-bit, at most 4 GiB long: an access ending past 4 GiB
            // from any address is out of bounds. (Without a memory, validation lets no access
            // through; should one come, it traps rather than read `r14`.)
            let oob = self.trap(TrapCode::MemoryOutOfBounds);
            x!(self.ops; jmp =>oob);
            return 0;
        }
        if self.guarded {
            if offset <= i32::MAX as u32 {
                return offset as i32;
            }
            // `mov ecx, imm32` zero-extends: rax = addr + offset < 2^33, no wrap.
            x!(self.ops
                ; mov ecx, offset as i32
                ; add rax, rcx
            );
            return 0;
        }
        let oob = self.trap(TrapCode::MemoryOutOfBounds);
        if end <= i32::MAX as u64 {
            x!(self.ops
                ; lea rcx, [rax + end as i32]
                ; cmp rcx, r15
                ; ja =>oob
            );
            offset as i32
        } else {
            x!(self.ops
                ; mov rcx, QWORD end as i64
                ; add rcx, rax
                ; cmp rcx, r15
                ; ja =>oob
                ; mov rcx, QWORD i64::from(offset)
                ; add rax, rcx
            );
            0
        }
    }

    /// Moves `rbx` to the window at `base`, calls, and moves it back.
    fn call(&mut self, base: Slot, func: u32) {
        let b = d(base);
        if func >= self.num_imported {
            let l = self.func_labels[(func - self.num_imported) as usize];
            x!(self.ops
                ; lea rbx, [rbx + b]
                ; call =>l
            );
            self.call_site();
            x!(self.ops; lea rbx, [rbx - b]);
            if self.cross_instance_tail_calls {
                x!(self.ops; mov r13, [rbp - 8]);
            }
        } else {
            let e = FUNC_SIZE * func as i32;
            x!(self.ops
                ; mov rax, [r13 + INST_FUNCS]
                ; lea rbx, [rbx + b]
                ; mov r13, [rax + e + FUNC_DATA]
                ; call QWORD [rax + e + FUNC_CODE]
            );
            self.call_site();
            x!(self.ops
                ; lea rbx, [rbx - b]
                ; mov r13, [rbp - 8]
            );
        }
        self.reload_memory();
    }

    fn call_indirect(&mut self, base: Slot, index: Slot, table: u32, type_index: u32) {
        self.indirect_callee(index, table, type_index);
        self.call_vm_func(base);
    }

    /// Copies the `len` frame slots at `src` to `dst` (the ranges may overlap). Clobbers `rcx`,
    /// and `rsi`/`rdi` for long forward copies: callers run with nothing pinned. Keeps `rax`.
    fn copy_slots(&mut self, dst: Slot, src: Slot, len: u16) {
        let (dst, src, len) = (i32::from(dst.0), i32::from(src.0), i32::from(len));
        if dst == src || len == 0 {
            return;
        }
        if dst < src && len > 16 {
            // `rep movsq` copies upwards (the direction flag is clear in the ABI), which is right
            // for an overlapping destination below the source.
            x!(self.ops
                ; lea rsi, [rbx + 8 * src]
                ; lea rdi, [rbx + 8 * dst]
                ; mov ecx, len
                ; rep movsq
            );
            return;
        }
        // Element by element, in the order that reads each source slot before it is overwritten.
        let order: Vec<i32> = if dst < src {
            (0..len).collect()
        } else {
            (0..len).rev().collect()
        };
        for i in order {
            x!(self.ops
                ; mov rcx, [rbx + 8 * (src + i)]
                ; mov [rbx + 8 * (dst + i)], rcx
            );
        }
    }

    /// Calls the `VmFunc` at `rax` with its frame at `base`.
    fn call_vm_func(&mut self, base: Slot) {
        let b = d(base);
        x!(self.ops
            ; lea rbx, [rbx + b]
            ; mov r13, [rax + FUNC_DATA]
            ; call QWORD [rax + FUNC_CODE]
        );
        self.call_site();
        x!(self.ops
            ; lea rbx, [rbx - b]
            ; mov r13, [rbp - 8]
        );
        self.reload_memory();
    }

    /// Leaves in `rax` the `VmFunc` of entry `[index]` of `table` after the checks of
    /// `call_indirect` (in bounds, not null, signature `type_index`). Clobbers `rcx`.
    fn indirect_callee(&mut self, index: Slot, table: u32, type_index: u32) {
        let undefined = self.trap(TrapCode::UndefinedElement);
        let uninit = self.trap(TrapCode::UninitializedElement);
        let mismatch = self.trap(TrapCode::IndirectCallTypeMismatch);
        x!(self.ops
            ; mov eax, [rbx + d(index)]
            ; mov rcx, [r13 + INST_TABLES]
            ; mov rcx, [rcx + 8 * table as i32]
            ; cmp rax, [rcx + TABLE_LEN]
            ; jae =>undefined
            ; mov rcx, [rcx + TABLE_BASE]
            ; mov eax, [rcx + rax * 4]
            ; test eax, eax
            ; jz =>uninit
            ; dec eax
            ; imul rax, rax, FUNC_SIZE
            ; add rax, [r12 + CTX_FUNCS]
            ; mov rcx, [r13 + INST_SIGS]
            ; mov ecx, [rcx + 4 * type_index as i32]
            ; cmp ecx, [rax + FUNC_SIG]
            ; jne =>mismatch
        );
    }

    /// Emits instruction `pc` (`next` is the one after it if no label separates them) and
    /// returns how many following instructions it consumed. Instructions that are not
    /// register-aware run with every pinned slot spilled to the frame before and reloaded
    /// after, so `instr_mem` (and anything added to it) only ever sees the frame.
    fn instr(&mut self, pc: usize, instr: Instr, next: Option<Instr>) -> usize {
        self.pc = pc;
        if let Some(n) = self.instr_xmm(instr, next) {
            return n;
        }
        // `instr_reg` knows general-register pins only: an instruction naming an `xmm`-pinned
        // slot that `instr_xmm` left alone goes through the door.
        if !self.touches_xmm(&instr) {
            if let Some(n) = self.instr_reg(pc, instr, next) {
                return n;
            }
        }
        // SIMD sequences use only `rax`, `rcx` and `xmm0`-`xmm4`, so only the pinned slots the
        // instruction names need be in the frame before and reloaded after.
        if self.simd_ctx.features.native && regs::is_simd(&instr) {
            let (g, xm) = self.named_pins(&instr);
            self.spill_masked(g, xm);
            self.regs_on = false;
            let native = match instr {
                Instr::Copy128 { dst, src } => {
                    x!(self.ops
                        ; movups xmm0, [rbx + d(src)]
                        ; movups [rbx + d(dst)], xmm0
                    );
                    true
                }
                _ => self.simd(instr),
            };
            self.regs_on = true;
            if native {
                self.reload_masked(g, xm);
                return 0;
            }
        }
        self.spill_all();
        self.regs_on = false;
        self.instr_mem(pc, instr);
        self.regs_on = true;
        self.reload_all();
        0
    }

    /// Emits one instruction working on the frame in memory (no slot is in a register).
    #[allow(clippy::cognitive_complexity)]
    fn instr_mem(&mut self, pc: usize, instr: Instr) {
        use Instr as I;

        // dst = op32(lhs, rhs) for ALU ops that take a memory operand.
        macro_rules! alu32 {
            ($op:ident, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; mov eax, [rbx + d($lhs)]
                    ; $op eax, [rbx + d($rhs)]
                    ; mov [rbx + d($dst)], rax
                )
            };
        }
        macro_rules! alu64 {
            ($op:ident, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; mov rax, [rbx + d($lhs)]
                    ; $op rax, [rbx + d($rhs)]
                    ; mov [rbx + d($dst)], rax
                )
            };
        }
        macro_rules! alu32_imm {
            ($op:ident, $dst:expr, $lhs:expr, $imm:expr) => {
                x!(self.ops
                    ; mov eax, [rbx + d($lhs)]
                    ; $op eax, $imm
                    ; mov [rbx + d($dst)], rax
                )
            };
        }
        macro_rules! alu64_imm {
            ($op:ident, $dst:expr, $lhs:expr, $imm:expr) => {
                x!(self.ops
                    ; mov rax, [rbx + d($lhs)]
                    ; $op rax, $imm
                    ; mov [rbx + d($dst)], rax
                )
            };
        }
        macro_rules! cmp32 {
            ($set:ident, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; xor ecx, ecx
                    ; mov eax, [rbx + d($lhs)]
                    ; cmp eax, [rbx + d($rhs)]
                    ; $set cl
                    ; mov [rbx + d($dst)], rcx
                )
            };
        }
        macro_rules! cmp64 {
            ($set:ident, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; xor ecx, ecx
                    ; mov rax, [rbx + d($lhs)]
                    ; cmp rax, [rbx + d($rhs)]
                    ; $set cl
                    ; mov [rbx + d($dst)], rcx
                )
            };
        }
        macro_rules! cmp32_imm {
            ($set:ident, $dst:expr, $lhs:expr, $imm:expr) => {
                x!(self.ops
                    ; xor ecx, ecx
                    ; cmp DWORD [rbx + d($lhs)], $imm
                    ; $set cl
                    ; mov [rbx + d($dst)], rcx
                )
            };
        }
        macro_rules! cmp64_imm {
            ($set:ident, $dst:expr, $lhs:expr, $imm:expr) => {
                x!(self.ops
                    ; xor ecx, ecx
                    ; cmp QWORD [rbx + d($lhs)], $imm
                    ; $set cl
                    ; mov [rbx + d($dst)], rcx
                )
            };
        }
        macro_rules! br32 {
            ($j:ident, $lhs:expr, $rhs:expr, $t:expr) => {{
                let l = self.target($t);
                x!(self.ops
                    ; mov eax, [rbx + d($lhs)]
                    ; cmp eax, [rbx + d($rhs)]
                    ; $j =>l
                )
            }};
        }
        macro_rules! br64 {
            ($j:ident, $lhs:expr, $rhs:expr, $t:expr) => {{
                let l = self.target($t);
                x!(self.ops
                    ; mov rax, [rbx + d($lhs)]
                    ; cmp rax, [rbx + d($rhs)]
                    ; $j =>l
                )
            }};
        }
        macro_rules! shift32 {
            ($op:ident, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; mov ecx, [rbx + d($rhs)]
                    ; mov eax, [rbx + d($lhs)]
                    ; $op eax, cl
                    ; mov [rbx + d($dst)], rax
                )
            };
        }
        macro_rules! shift64 {
            ($op:ident, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; mov ecx, [rbx + d($rhs)]
                    ; mov rax, [rbx + d($lhs)]
                    ; $op rax, cl
                    ; mov [rbx + d($dst)], rax
                )
            };
        }
        macro_rules! shift32_imm {
            ($op:ident, $dst:expr, $lhs:expr, $imm:expr) => {
                x!(self.ops
                    ; mov eax, [rbx + d($lhs)]
                    ; $op eax, ($imm & 31) as i8
                    ; mov [rbx + d($dst)], rax
                )
            };
        }
        macro_rules! shift64_imm {
            ($op:ident, $dst:expr, $lhs:expr, $imm:expr) => {
                x!(self.ops
                    ; mov rax, [rbx + d($lhs)]
                    ; $op rax, ($imm & 63) as i8
                    ; mov [rbx + d($dst)], rax
                )
            };
        }
        // dst = lhs ^ (lhs shift imm): one xorshift step.
        macro_rules! xor_shift {
            (false, $op:ident, $dst:expr, $lhs:expr, $imm:expr) => {
                x!(self.ops
                    ; mov eax, [rbx + d($lhs)]
                    ; mov ecx, eax
                    ; $op ecx, ($imm & 31) as i8
                    ; xor eax, ecx
                    ; mov [rbx + d($dst)], rax
                )
            };
            (true, $op:ident, $dst:expr, $lhs:expr, $imm:expr) => {
                x!(self.ops
                    ; mov rax, [rbx + d($lhs)]
                    ; mov rcx, rax
                    ; $op rcx, ($imm & 63) as i8
                    ; xor rax, rcx
                    ; mov [rbx + d($dst)], rax
                )
            };
        }
        // f32: xmm0 = op(lhs, rhs), stored zero-extended.
        macro_rules! f32_bin {
            ($op:ident, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; movss xmm0, [rbx + d($lhs)]
                    ; $op xmm0, [rbx + d($rhs)]
                    ; movd eax, xmm0
                    ; mov [rbx + d($dst)], rax
                )
            };
        }
        macro_rules! f64_bin {
            ($op:ident, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; movsd xmm0, [rbx + d($lhs)]
                    ; $op xmm0, [rbx + d($rhs)]
                    ; movsd [rbx + d($dst)], xmm0
                )
            };
        }
        // Float comparisons: `ucomis a, b` then `set` (NaN sets ZF, PF and CF).
        macro_rules! fcmp {
            ($mov:ident, $ucom:ident, $set:ident, $dst:expr, $a:expr, $b:expr) => {
                x!(self.ops
                    ; xor ecx, ecx
                    ; $mov xmm0, [rbx + d($a)]
                    ; $ucom xmm0, [rbx + d($b)]
                    ; $set cl
                    ; mov [rbx + d($dst)], rcx
                )
            };
        }
        macro_rules! load {
            ($size:expr, $dst:expr, $ptr:expr, $mem:expr, $off:expr, $pc:expr, |$a:ident| $($body:tt)*) => {{
                if $mem != 0 {
                    self.slow($pc);
                } else {
                    let $a = self.address($ptr, $off, $size);
                    x!(self.ops ; $($body)* ; mov [rbx + d($dst)], rcx);
                }
            }};
        }
        macro_rules! store {
            ($size:expr, $ptr:expr, $value:expr, $mem:expr, $off:expr, $pc:expr, |$a:ident| $($body:tt)*) => {{
                if $mem != 0 {
                    self.slow($pc);
                } else {
                    let $a = self.address($ptr, $off, $size);
                    x!(self.ops ; mov rcx, [rbx + d($value)] ; $($body)*);
                }
            }};
        }

        // `load_add` / `store_add`: the address is `ptr + imm` wrapped to 32 bits (`add eax`
        // zero-extends into `rax`), then checked and offset as in `load` / `store`.
        macro_rules! load_add {
            ($size:expr, $dst:expr, $ptr:expr, $imm:expr, $mem:expr, $off:expr, $pc:expr, |$a:ident| $($body:tt)*) => {{
                if $mem != 0 {
                    self.slow($pc);
                } else {
                    self.get32(RAX, $ptr);
                    x!(self.ops ; add eax, $imm);
                    let $a = self.address_check($off, $size);
                    x!(self.ops ; $($body)* ; mov [rbx + d($dst)], rcx);
                }
            }};
        }
        macro_rules! store_add {
            ($size:expr, $ptr:expr, $value:expr, $imm:expr, $mem:expr, $off:expr, $pc:expr, |$a:ident| $($body:tt)*) => {{
                if $mem != 0 {
                    self.slow($pc);
                } else {
                    self.get32(RAX, $ptr);
                    x!(self.ops ; add eax, $imm);
                    let $a = self.address_check($off, $size);
                    x!(self.ops ; mov rcx, [rbx + d($value)] ; $($body)*);
                }
            }};
        }

        match instr {
            // ---- control ----
            I::Unreachable {} => {
                let l = self.trap(TrapCode::Unreachable);
                x!(self.ops; jmp =>l);
            }
            I::ConsumeFuel { amount } if amount > i32::MAX as u32 => self.slow(pc),
            I::ConsumeFuel { amount } => {
                let l = self.trap(TrapCode::OutOfFuel);
                x!(self.ops
                    ; mov rax, [r12 + CTX_FUEL]
                    ; mov rcx, [rax]
                    ; sub rcx, amount as i32
                    ; jb =>l
                    ; mov [rax], rcx
                );
            }
            I::CheckInterrupt {} => {
                let skip = self.ops.new_dynamic_label();
                x!(self.ops
                    ; mov rax, [r12 + CTX_INTERRUPT]
                    ; cmp BYTE [rax], 0
                    ; je =>skip
                );
                self.slow(pc);
                x!(self.ops; =>skip);
            }
            I::Br { target } => {
                let l = self.target(target);
                x!(self.ops; jmp =>l);
            }
            I::BrIfNez { cond, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; cmp DWORD [rbx + d(cond)], 0
                    ; jne =>l
                );
            }
            I::BrIfEqz { cond, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; cmp DWORD [rbx + d(cond)], 0
                    ; je =>l
                );
            }
            I::BrTable { index, len } => {
                // Each following `br` is one 5-byte `jmp rel32`: jump into that table.
                let table = self.targets[pc + 1].expect("label after br_table");
                x!(self.ops
                    ; mov eax, [rbx + d(index)]
                    ; mov ecx, len as i32
                    ; cmp eax, ecx
                    ; cmova eax, ecx
                    ; lea rcx, [=>table]
                    ; lea rax, [rax + rax * 4]
                    ; add rax, rcx
                    ; jmp rax
                );
            }
            I::Return {} => {
                x!(self.ops
                    ; mov rsp, rbp
                    ; pop rbp
                    ; ret
                );
            }
            I::Call { base, func } => self.call(base, func),
            I::CallIndirect {
                base,
                index,
                table,
                type_index,
            } => self.call_indirect(base, index, table, type_index),
            I::ReturnCall { base, params, func } => self.return_call(base, params, func),
            I::ReturnCallIndirect {
                base,
                index,
                params,
                table,
                type_index,
            } => self.return_call_indirect(base, index, params, table, type_index),
            I::CallRef { base, callee } => self.call_ref(base, callee),
            I::ReturnCallRef {
                base,
                callee,
                params,
            } => self.return_call_ref(base, callee, params),
            I::RefAsNonNull { src } => self.ref_as_non_null(src),
            // The spill door stored every pinned slot; the stub and helper do the rest.
            I::Throw { .. } | I::ThrowRef { .. } => {
                let packed = (i64::from(self.local) << 32) | pc as i64;
                x!(self.ops
                    ; mov rcx, QWORD packed
                    ; jmp QWORD [r12 + CTX_THROW_COMMON]
                );
            }
            I::BrI32Eq { lhs, rhs, target } => br32!(je, lhs, rhs, target),
            I::BrI32Ne { lhs, rhs, target } => br32!(jne, lhs, rhs, target),
            I::BrI32LtS { lhs, rhs, target } => br32!(jl, lhs, rhs, target),
            I::BrI32LtU { lhs, rhs, target } => br32!(jb, lhs, rhs, target),
            I::BrI32GtS { lhs, rhs, target } => br32!(jg, lhs, rhs, target),
            I::BrI32GtU { lhs, rhs, target } => br32!(ja, lhs, rhs, target),
            I::BrI32LeS { lhs, rhs, target } => br32!(jle, lhs, rhs, target),
            I::BrI32LeU { lhs, rhs, target } => br32!(jbe, lhs, rhs, target),
            I::BrI32GeS { lhs, rhs, target } => br32!(jge, lhs, rhs, target),
            I::BrI32GeU { lhs, rhs, target } => br32!(jae, lhs, rhs, target),
            I::BrI64Eq { lhs, rhs, target } => br64!(je, lhs, rhs, target),
            I::BrI64Ne { lhs, rhs, target } => br64!(jne, lhs, rhs, target),
            I::BrI64LtS { lhs, rhs, target } => br64!(jl, lhs, rhs, target),
            I::BrI64LtU { lhs, rhs, target } => br64!(jb, lhs, rhs, target),
            I::BrI64GtS { lhs, rhs, target } => br64!(jg, lhs, rhs, target),
            I::BrI64GtU { lhs, rhs, target } => br64!(ja, lhs, rhs, target),
            I::BrI64LeS { lhs, rhs, target } => br64!(jle, lhs, rhs, target),
            I::BrI64LeU { lhs, rhs, target } => br64!(jbe, lhs, rhs, target),
            I::BrI64GeS { lhs, rhs, target } => br64!(jge, lhs, rhs, target),
            I::BrI64GeU { lhs, rhs, target } => br64!(jae, lhs, rhs, target),

            // ---- values ----
            I::Copy { dst, src } => {
                if dst != src {
                    x!(self.ops
                        ; mov rax, [rbx + d(src)]
                        ; mov [rbx + d(dst)], rax
                    );
                }
            }
            I::Copy128 { dst, src } => {
                x!(self.ops
                    ; movups xmm0, [rbx + d(src)]
                    ; movups [rbx + d(dst)], xmm0
                );
            }
            I::CopyMany { dst, src, len } => self.copy_slots(dst, src, len),
            I::ConstI32 { dst, value } => self.const64(dst, u64::from(value as u32)),
            I::ConstI64 { dst, value } => self.const64(dst, value as u64),
            I::ConstF32 { dst, bits } => self.const64(dst, u64::from(bits)),
            I::ConstF64 { dst, bits } => self.const64(dst, bits),
            I::ConstV128 { dst, index } => {
                // Natively one 16-byte store, which a following `movdqu` load can forward from.
                if !self.simd(instr) {
                    let v = self.func.v128_consts[index as usize];
                    self.const64(dst, v as u64);
                    self.const64(Slot(dst.0 + 1), (v >> 64) as u64);
                }
            }
            I::Select {
                dst,
                cond,
                if_true,
                if_false,
            } => {
                x!(self.ops
                    ; mov rax, [rbx + d(if_true)]
                    ; mov rcx, [rbx + d(if_false)]
                    ; cmp DWORD [rbx + d(cond)], 0
                    ; cmove rax, rcx
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::Select128 {
                dst,
                cond,
                if_true,
                if_false,
            } => {
                let t = d(if_true);
                let f = d(if_false);
                x!(self.ops
                    ; mov rax, [rbx + t]
                    ; mov rdx, [rbx + t + 8]
                    ; mov rcx, [rbx + f]
                    ; mov rsi, [rbx + f + 8]
                    ; cmp DWORD [rbx + d(cond)], 0
                    ; cmove rax, rcx
                    ; cmove rdx, rsi
                    ; mov [rbx + d(dst)], rax
                    ; mov [rbx + d(dst) + 8], rdx
                );
            }
            I::GlobalGet { dst, global } => {
                x!(self.ops
                    ; mov rax, [r13 + INST_GLOBALS]
                    ; mov rax, [rax + 8 * global as i32]
                    ; mov rax, [rax]
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::GlobalGet128 { dst, global } => {
                x!(self.ops
                    ; mov rax, [r13 + INST_GLOBALS]
                    ; mov rax, [rax + 8 * global as i32]
                    ; movups xmm0, [rax]
                    ; movups [rbx + d(dst)], xmm0
                );
            }
            I::GlobalSet { src, global } => {
                x!(self.ops
                    ; mov rax, [r13 + INST_GLOBALS]
                    ; mov rax, [rax + 8 * global as i32]
                    ; mov rcx, [rbx + d(src)]
                    ; mov [rax], rcx
                );
            }
            I::GlobalSet128 { src, global } => {
                x!(self.ops
                    ; mov rax, [r13 + INST_GLOBALS]
                    ; mov rax, [rax + 8 * global as i32]
                    ; movups xmm0, [rbx + d(src)]
                    ; movups [rax], xmm0
                );
            }

            // ---- references ----
            I::RefNull { dst } => self.const64(dst, 0),
            I::RefIsNull { dst, src } => cmp32_imm!(sete, dst, src, 0),
            I::RefFunc { dst, func } => {
                let e = FUNC_SIZE * func as i32;
                x!(self.ops
                    ; mov rax, [r13 + INST_FUNCS]
                    ; mov eax, [rax + e + FUNC_ADDR]
                    ; inc eax
                    ; mov [rbx + d(dst)], rax
                );
            }

            // ---- memory 0, inline ----
            I::I32Load {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(4, dst, ptr, memory, offset, pc, |a| mov ecx, [r14 + rax + a])
            }
            I::I64Load {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(8, dst, ptr, memory, offset, pc, |a| mov rcx, [r14 + rax + a])
            }
            I::F32Load {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(4, dst, ptr, memory, offset, pc, |a| mov ecx, [r14 + rax + a])
            }
            I::F64Load {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(8, dst, ptr, memory, offset, pc, |a| mov rcx, [r14 + rax + a])
            }
            I::I32Load8S {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(1, dst, ptr, memory, offset, pc, |a| movsx ecx, BYTE [r14 + rax + a])
            }
            I::I32Load8U {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(1, dst, ptr, memory, offset, pc, |a| movzx ecx, BYTE [r14 + rax + a])
            }
            I::I32Load16S {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(2, dst, ptr, memory, offset, pc, |a| movsx ecx, WORD [r14 + rax + a])
            }
            I::I32Load16U {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(2, dst, ptr, memory, offset, pc, |a| movzx ecx, WORD [r14 + rax + a])
            }
            I::I64Load8S {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(1, dst, ptr, memory, offset, pc, |a| movsx rcx, BYTE [r14 + rax + a])
            }
            I::I64Load8U {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(1, dst, ptr, memory, offset, pc, |a| movzx ecx, BYTE [r14 + rax + a])
            }
            I::I64Load16S {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(2, dst, ptr, memory, offset, pc, |a| movsx rcx, WORD [r14 + rax + a])
            }
            I::I64Load16U {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(2, dst, ptr, memory, offset, pc, |a| movzx ecx, WORD [r14 + rax + a])
            }
            I::I64Load32S {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(4, dst, ptr, memory, offset, pc, |a| movsxd rcx, DWORD [r14 + rax + a])
            }
            I::I64Load32U {
                dst,
                ptr,
                memory,
                offset,
            } => {
                load!(4, dst, ptr, memory, offset, pc, |a| mov ecx, [r14 + rax + a])
            }
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
            } => {
                store!(
                    4,
                    ptr,
                    value,
                    memory,
                    offset,
                    pc,
                    |a| mov[r14 + rax + a],
                    ecx
                )
            }
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
            } => {
                store!(
                    8,
                    ptr,
                    value,
                    memory,
                    offset,
                    pc,
                    |a| mov[r14 + rax + a],
                    rcx
                )
            }
            I::I32Store8 {
                ptr,
                value,
                memory,
                offset,
            }
            | I::I64Store8 {
                ptr,
                value,
                memory,
                offset,
            } => {
                store!(
                    1,
                    ptr,
                    value,
                    memory,
                    offset,
                    pc,
                    |a| mov[r14 + rax + a],
                    cl
                )
            }
            I::I32Store16 {
                ptr,
                value,
                memory,
                offset,
            }
            | I::I64Store16 {
                ptr,
                value,
                memory,
                offset,
            } => {
                store!(
                    2,
                    ptr,
                    value,
                    memory,
                    offset,
                    pc,
                    |a| mov[r14 + rax + a],
                    cx
                )
            }
            I::I64Store32 {
                ptr,
                value,
                memory,
                offset,
            } => {
                store!(
                    4,
                    ptr,
                    value,
                    memory,
                    offset,
                    pc,
                    |a| mov[r14 + rax + a],
                    ecx
                )
            }
            I::I32LoadAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(4, dst, ptr, imm, memory, offset, pc, |a| mov ecx, [r14 + rax + a])
            }
            I::I64LoadAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(8, dst, ptr, imm, memory, offset, pc, |a| mov rcx, [r14 + rax + a])
            }
            I::F32LoadAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(4, dst, ptr, imm, memory, offset, pc, |a| mov ecx, [r14 + rax + a])
            }
            I::F64LoadAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(8, dst, ptr, imm, memory, offset, pc, |a| mov rcx, [r14 + rax + a])
            }
            I::I32Load8SAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(1, dst, ptr, imm, memory, offset, pc, |a| movsx ecx, BYTE [r14 + rax + a])
            }
            I::I32Load8UAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(1, dst, ptr, imm, memory, offset, pc, |a| movzx ecx, BYTE [r14 + rax + a])
            }
            I::I32Load16SAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(2, dst, ptr, imm, memory, offset, pc, |a| movsx ecx, WORD [r14 + rax + a])
            }
            I::I32Load16UAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(2, dst, ptr, imm, memory, offset, pc, |a| movzx ecx, WORD [r14 + rax + a])
            }
            I::I64Load8SAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(1, dst, ptr, imm, memory, offset, pc, |a| movsx rcx, BYTE [r14 + rax + a])
            }
            I::I64Load8UAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(1, dst, ptr, imm, memory, offset, pc, |a| movzx ecx, BYTE [r14 + rax + a])
            }
            I::I64Load16SAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(2, dst, ptr, imm, memory, offset, pc, |a| movsx rcx, WORD [r14 + rax + a])
            }
            I::I64Load16UAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(2, dst, ptr, imm, memory, offset, pc, |a| movzx ecx, WORD [r14 + rax + a])
            }
            I::I64Load32SAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(4, dst, ptr, imm, memory, offset, pc, |a| movsxd rcx, DWORD [r14 + rax + a])
            }
            I::I64Load32UAdd {
                dst,
                ptr,
                imm,
                memory,
                offset,
            } => {
                load_add!(4, dst, ptr, imm, memory, offset, pc, |a| mov ecx, [r14 + rax + a])
            }
            I::I32StoreAdd {
                ptr,
                value,
                imm,
                memory,
                offset,
            }
            | I::F32StoreAdd {
                ptr,
                value,
                imm,
                memory,
                offset,
            } => {
                store_add!(
                    4,
                    ptr,
                    value,
                    imm,
                    memory,
                    offset,
                    pc,
                    |a| mov[r14 + rax + a],
                    ecx
                )
            }
            I::I64StoreAdd {
                ptr,
                value,
                imm,
                memory,
                offset,
            }
            | I::F64StoreAdd {
                ptr,
                value,
                imm,
                memory,
                offset,
            } => {
                store_add!(
                    8,
                    ptr,
                    value,
                    imm,
                    memory,
                    offset,
                    pc,
                    |a| mov[r14 + rax + a],
                    rcx
                )
            }
            I::I32Store8Add {
                ptr,
                value,
                imm,
                memory,
                offset,
            }
            | I::I64Store8Add {
                ptr,
                value,
                imm,
                memory,
                offset,
            } => {
                store_add!(
                    1,
                    ptr,
                    value,
                    imm,
                    memory,
                    offset,
                    pc,
                    |a| mov[r14 + rax + a],
                    cl
                )
            }
            I::I32Store16Add {
                ptr,
                value,
                imm,
                memory,
                offset,
            }
            | I::I64Store16Add {
                ptr,
                value,
                imm,
                memory,
                offset,
            } => {
                store_add!(
                    2,
                    ptr,
                    value,
                    imm,
                    memory,
                    offset,
                    pc,
                    |a| mov[r14 + rax + a],
                    cx
                )
            }
            I::I64Store32Add {
                ptr,
                value,
                imm,
                memory,
                offset,
            } => {
                store_add!(
                    4,
                    ptr,
                    value,
                    imm,
                    memory,
                    offset,
                    pc,
                    |a| mov[r14 + rax + a],
                    ecx
                )
            }
            // ---- i32 ----
            I::I32Eqz { dst, src } => cmp32_imm!(sete, dst, src, 0),
            I::I32Eq { dst, lhs, rhs } => cmp32!(sete, dst, lhs, rhs),
            I::I32Ne { dst, lhs, rhs } => cmp32!(setne, dst, lhs, rhs),
            I::I32LtS { dst, lhs, rhs } => cmp32!(setl, dst, lhs, rhs),
            I::I32LtU { dst, lhs, rhs } => cmp32!(setb, dst, lhs, rhs),
            I::I32GtS { dst, lhs, rhs } => cmp32!(setg, dst, lhs, rhs),
            I::I32GtU { dst, lhs, rhs } => cmp32!(seta, dst, lhs, rhs),
            I::I32LeS { dst, lhs, rhs } => cmp32!(setle, dst, lhs, rhs),
            I::I32LeU { dst, lhs, rhs } => cmp32!(setbe, dst, lhs, rhs),
            I::I32GeS { dst, lhs, rhs } => cmp32!(setge, dst, lhs, rhs),
            I::I32GeU { dst, lhs, rhs } => cmp32!(setae, dst, lhs, rhs),
            I::I32Clz { dst, src } => {
                x!(self.ops
                    ; mov ecx, 63
                    ; bsr eax, [rbx + d(src)]
                    ; cmovz eax, ecx
                    ; xor eax, 31
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I32Ctz { dst, src } => {
                x!(self.ops
                    ; mov ecx, 32
                    ; bsf eax, [rbx + d(src)]
                    ; cmovz eax, ecx
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I32Popcnt { dst, src } => {
                if self.popcnt {
                    x!(self.ops
                        ; popcnt eax, [rbx + d(src)]
                        ; mov [rbx + d(dst)], rax
                    );
                } else {
                    self.slow(pc);
                }
            }
            I::I32Add { dst, lhs, rhs } => alu32!(add, dst, lhs, rhs),
            I::I32Sub { dst, lhs, rhs } => alu32!(sub, dst, lhs, rhs),
            I::I32Mul { dst, lhs, rhs } => alu32!(imul, dst, lhs, rhs),
            I::I32DivS { dst, lhs, rhs } => self.div32(dst, lhs, rhs, true, false),
            I::I32DivU { dst, lhs, rhs } => self.div32(dst, lhs, rhs, false, false),
            I::I32RemS { dst, lhs, rhs } => self.div32(dst, lhs, rhs, true, true),
            I::I32RemU { dst, lhs, rhs } => self.div32(dst, lhs, rhs, false, true),
            I::I32And { dst, lhs, rhs } => alu32!(and, dst, lhs, rhs),
            I::I32Or { dst, lhs, rhs } => alu32!(or, dst, lhs, rhs),
            I::I32Xor { dst, lhs, rhs } => alu32!(xor, dst, lhs, rhs),
            I::I32Shl { dst, lhs, rhs } => shift32!(shl, dst, lhs, rhs),
            I::I32ShrS { dst, lhs, rhs } => shift32!(sar, dst, lhs, rhs),
            I::I32ShrU { dst, lhs, rhs } => shift32!(shr, dst, lhs, rhs),
            I::I32Rotl { dst, lhs, rhs } => shift32!(rol, dst, lhs, rhs),
            I::I32Rotr { dst, lhs, rhs } => shift32!(ror, dst, lhs, rhs),
            I::I32EqImm { dst, lhs, imm } => cmp32_imm!(sete, dst, lhs, imm),
            I::I32NeImm { dst, lhs, imm } => cmp32_imm!(setne, dst, lhs, imm),
            I::I32LtSImm { dst, lhs, imm } => cmp32_imm!(setl, dst, lhs, imm),
            I::I32LtUImm { dst, lhs, imm } => cmp32_imm!(setb, dst, lhs, imm),
            I::I32GtSImm { dst, lhs, imm } => cmp32_imm!(setg, dst, lhs, imm),
            I::I32GtUImm { dst, lhs, imm } => cmp32_imm!(seta, dst, lhs, imm),
            I::I32LeSImm { dst, lhs, imm } => cmp32_imm!(setle, dst, lhs, imm),
            I::I32LeUImm { dst, lhs, imm } => cmp32_imm!(setbe, dst, lhs, imm),
            I::I32GeSImm { dst, lhs, imm } => cmp32_imm!(setge, dst, lhs, imm),
            I::I32GeUImm { dst, lhs, imm } => cmp32_imm!(setae, dst, lhs, imm),
            I::I32AddImm { dst, lhs, imm } => alu32_imm!(add, dst, lhs, imm),
            I::I32MulImm { dst, lhs, imm } => {
                x!(self.ops
                    ; imul eax, [rbx + d(lhs)], imm
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I32AndImm { dst, lhs, imm } => alu32_imm!(and, dst, lhs, imm),
            I::I32OrImm { dst, lhs, imm } => alu32_imm!(or, dst, lhs, imm),
            I::I32XorImm { dst, lhs, imm } => alu32_imm!(xor, dst, lhs, imm),
            I::I32ShlImm { dst, lhs, imm } => shift32_imm!(shl, dst, lhs, imm),
            I::I32ShrSImm { dst, lhs, imm } => shift32_imm!(sar, dst, lhs, imm),
            I::I32ShrUImm { dst, lhs, imm } => shift32_imm!(shr, dst, lhs, imm),
            I::I32RotlImm { dst, lhs, imm } => shift32_imm!(rol, dst, lhs, imm),
            I::I32RotrImm { dst, lhs, imm } => shift32_imm!(ror, dst, lhs, imm),

            // ---- i64 ----
            I::I64Eqz { dst, src } => cmp64_imm!(sete, dst, src, 0),
            I::I64Eq { dst, lhs, rhs } => cmp64!(sete, dst, lhs, rhs),
            I::I64Ne { dst, lhs, rhs } => cmp64!(setne, dst, lhs, rhs),
            I::I64LtS { dst, lhs, rhs } => cmp64!(setl, dst, lhs, rhs),
            I::I64LtU { dst, lhs, rhs } => cmp64!(setb, dst, lhs, rhs),
            I::I64GtS { dst, lhs, rhs } => cmp64!(setg, dst, lhs, rhs),
            I::I64GtU { dst, lhs, rhs } => cmp64!(seta, dst, lhs, rhs),
            I::I64LeS { dst, lhs, rhs } => cmp64!(setle, dst, lhs, rhs),
            I::I64LeU { dst, lhs, rhs } => cmp64!(setbe, dst, lhs, rhs),
            I::I64GeS { dst, lhs, rhs } => cmp64!(setge, dst, lhs, rhs),
            I::I64GeU { dst, lhs, rhs } => cmp64!(setae, dst, lhs, rhs),
            I::I64Clz { dst, src } => {
                x!(self.ops
                    ; mov ecx, 127
                    ; bsr rax, [rbx + d(src)]
                    ; cmovz eax, ecx
                    ; xor eax, 63
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I64Ctz { dst, src } => {
                x!(self.ops
                    ; mov ecx, 64
                    ; bsf rax, [rbx + d(src)]
                    ; cmovz eax, ecx
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I64Popcnt { dst, src } => {
                if self.popcnt {
                    x!(self.ops
                        ; popcnt rax, [rbx + d(src)]
                        ; mov [rbx + d(dst)], rax
                    );
                } else {
                    self.slow(pc);
                }
            }
            I::I64Add { dst, lhs, rhs } => alu64!(add, dst, lhs, rhs),
            I::I64Sub { dst, lhs, rhs } => alu64!(sub, dst, lhs, rhs),
            I::I64Mul { dst, lhs, rhs } => alu64!(imul, dst, lhs, rhs),
            I::I64DivS { dst, lhs, rhs } => self.div64(dst, lhs, rhs, true, false),
            I::I64DivU { dst, lhs, rhs } => self.div64(dst, lhs, rhs, false, false),
            I::I64RemS { dst, lhs, rhs } => self.div64(dst, lhs, rhs, true, true),
            I::I64RemU { dst, lhs, rhs } => self.div64(dst, lhs, rhs, false, true),
            I::I64And { dst, lhs, rhs } => alu64!(and, dst, lhs, rhs),
            I::I64Or { dst, lhs, rhs } => alu64!(or, dst, lhs, rhs),
            I::I64Xor { dst, lhs, rhs } => alu64!(xor, dst, lhs, rhs),
            I::I64Shl { dst, lhs, rhs } => shift64!(shl, dst, lhs, rhs),
            I::I64ShrS { dst, lhs, rhs } => shift64!(sar, dst, lhs, rhs),
            I::I64ShrU { dst, lhs, rhs } => shift64!(shr, dst, lhs, rhs),
            I::I64Rotl { dst, lhs, rhs } => shift64!(rol, dst, lhs, rhs),
            I::I64Rotr { dst, lhs, rhs } => shift64!(ror, dst, lhs, rhs),
            I::I64EqImm { dst, lhs, imm } => cmp64_imm!(sete, dst, lhs, imm),
            I::I64NeImm { dst, lhs, imm } => cmp64_imm!(setne, dst, lhs, imm),
            I::I64LtSImm { dst, lhs, imm } => cmp64_imm!(setl, dst, lhs, imm),
            I::I64LtUImm { dst, lhs, imm } => cmp64_imm!(setb, dst, lhs, imm),
            I::I64GtSImm { dst, lhs, imm } => cmp64_imm!(setg, dst, lhs, imm),
            I::I64GtUImm { dst, lhs, imm } => cmp64_imm!(seta, dst, lhs, imm),
            I::I64LeSImm { dst, lhs, imm } => cmp64_imm!(setle, dst, lhs, imm),
            I::I64LeUImm { dst, lhs, imm } => cmp64_imm!(setbe, dst, lhs, imm),
            I::I64GeSImm { dst, lhs, imm } => cmp64_imm!(setge, dst, lhs, imm),
            I::I64GeUImm { dst, lhs, imm } => cmp64_imm!(setae, dst, lhs, imm),
            I::I64AddImm { dst, lhs, imm } => alu64_imm!(add, dst, lhs, imm),
            I::I64MulImm { dst, lhs, imm } => {
                x!(self.ops
                    ; imul rax, [rbx + d(lhs)], imm
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I64AndImm { dst, lhs, imm } => alu64_imm!(and, dst, lhs, imm),
            I::I64OrImm { dst, lhs, imm } => alu64_imm!(or, dst, lhs, imm),
            I::I64XorImm { dst, lhs, imm } => alu64_imm!(xor, dst, lhs, imm),
            I::I64ShlImm { dst, lhs, imm } => shift64_imm!(shl, dst, lhs, imm),
            I::I64ShrSImm { dst, lhs, imm } => shift64_imm!(sar, dst, lhs, imm),
            I::I64ShrUImm { dst, lhs, imm } => shift64_imm!(shr, dst, lhs, imm),
            I::I64RotlImm { dst, lhs, imm } => shift64_imm!(rol, dst, lhs, imm),
            I::I64RotrImm { dst, lhs, imm } => shift64_imm!(ror, dst, lhs, imm),
            I::I32XorShlImm { dst, lhs, imm } => xor_shift!(false, shl, dst, lhs, imm),
            I::I32XorShrUImm { dst, lhs, imm } => xor_shift!(false, shr, dst, lhs, imm),
            I::I64XorShlImm { dst, lhs, imm } => xor_shift!(true, shl, dst, lhs, imm),
            I::I64XorShrUImm { dst, lhs, imm } => xor_shift!(true, shr, dst, lhs, imm),

            // ---- f32 ----
            I::F32Eq { dst, lhs, rhs } => {
                x!(self.ops
                    ; movss xmm0, [rbx + d(lhs)]
                    ; ucomiss xmm0, [rbx + d(rhs)]
                    ; sete al
                    ; setnp cl
                    ; and al, cl
                    ; movzx eax, al
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F32Ne { dst, lhs, rhs } => {
                x!(self.ops
                    ; movss xmm0, [rbx + d(lhs)]
                    ; ucomiss xmm0, [rbx + d(rhs)]
                    ; setne al
                    ; setp cl
                    ; or al, cl
                    ; movzx eax, al
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F32Lt { dst, lhs, rhs } => fcmp!(movss, ucomiss, seta, dst, rhs, lhs),
            I::F32Gt { dst, lhs, rhs } => fcmp!(movss, ucomiss, seta, dst, lhs, rhs),
            I::F32Le { dst, lhs, rhs } => fcmp!(movss, ucomiss, setae, dst, rhs, lhs),
            I::F32Ge { dst, lhs, rhs } => fcmp!(movss, ucomiss, setae, dst, lhs, rhs),
            I::F32Abs { dst, src } => {
                x!(self.ops
                    ; mov eax, [rbx + d(src)]
                    ; and eax, 0x7fff_ffff
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F32Neg { dst, src } => {
                x!(self.ops
                    ; mov eax, [rbx + d(src)]
                    ; xor eax, 0x8000_0000_u32 as i32
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F32Copysign { dst, lhs, rhs } => {
                x!(self.ops
                    ; mov eax, [rbx + d(lhs)]
                    ; mov ecx, [rbx + d(rhs)]
                    ; and eax, 0x7fff_ffff
                    ; and ecx, 0x8000_0000_u32 as i32
                    ; or eax, ecx
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F32Sqrt { dst, src } => {
                x!(self.ops
                    ; movss xmm0, [rbx + d(src)]
                    ; sqrtss xmm0, xmm0
                    ; movd eax, xmm0
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F32Add { dst, lhs, rhs } => f32_bin!(addss, dst, lhs, rhs),
            I::F32Sub { dst, lhs, rhs } => f32_bin!(subss, dst, lhs, rhs),
            I::F32Mul { dst, lhs, rhs } => f32_bin!(mulss, dst, lhs, rhs),
            I::F32Div { dst, lhs, rhs } => f32_bin!(divss, dst, lhs, rhs),

            // ---- f64 ----
            I::F64Eq { dst, lhs, rhs } => {
                x!(self.ops
                    ; movsd xmm0, [rbx + d(lhs)]
                    ; ucomisd xmm0, [rbx + d(rhs)]
                    ; sete al
                    ; setnp cl
                    ; and al, cl
                    ; movzx eax, al
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F64Ne { dst, lhs, rhs } => {
                x!(self.ops
                    ; movsd xmm0, [rbx + d(lhs)]
                    ; ucomisd xmm0, [rbx + d(rhs)]
                    ; setne al
                    ; setp cl
                    ; or al, cl
                    ; movzx eax, al
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F64Lt { dst, lhs, rhs } => fcmp!(movsd, ucomisd, seta, dst, rhs, lhs),
            I::F64Gt { dst, lhs, rhs } => fcmp!(movsd, ucomisd, seta, dst, lhs, rhs),
            I::F64Le { dst, lhs, rhs } => fcmp!(movsd, ucomisd, setae, dst, rhs, lhs),
            I::F64Ge { dst, lhs, rhs } => fcmp!(movsd, ucomisd, setae, dst, lhs, rhs),
            I::F64Abs { dst, src } => {
                x!(self.ops
                    ; mov rax, [rbx + d(src)]
                    ; btr rax, 63
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F64Neg { dst, src } => {
                x!(self.ops
                    ; mov rax, [rbx + d(src)]
                    ; btc rax, 63
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F64Copysign { dst, lhs, rhs } => {
                x!(self.ops
                    ; mov rax, [rbx + d(lhs)]
                    ; mov rcx, [rbx + d(rhs)]
                    ; btr rax, 63
                    ; shr rcx, 63
                    ; shl rcx, 63
                    ; or rax, rcx
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F64Sqrt { dst, src } => {
                x!(self.ops
                    ; movsd xmm0, [rbx + d(src)]
                    ; sqrtsd xmm0, xmm0
                    ; movsd [rbx + d(dst)], xmm0
                );
            }
            I::F64Add { dst, lhs, rhs } => f64_bin!(addsd, dst, lhs, rhs),
            I::F64Sub { dst, lhs, rhs } => f64_bin!(subsd, dst, lhs, rhs),
            I::F64Mul { dst, lhs, rhs } => f64_bin!(mulsd, dst, lhs, rhs),
            I::F64Div { dst, lhs, rhs } => f64_bin!(divsd, dst, lhs, rhs),

            // ---- conversions ----
            I::I32WrapI64 { dst, src } | I::I64ExtendI32U { dst, src } => {
                x!(self.ops
                    ; mov eax, [rbx + d(src)]
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I64ExtendI32S { dst, src } | I::I64Extend32S { dst, src } => {
                x!(self.ops
                    ; movsxd rax, DWORD [rbx + d(src)]
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I32Extend8S { dst, src } => {
                x!(self.ops
                    ; movsx eax, BYTE [rbx + d(src)]
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I32Extend16S { dst, src } => {
                x!(self.ops
                    ; movsx eax, WORD [rbx + d(src)]
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I64Extend8S { dst, src } => {
                x!(self.ops
                    ; movsx rax, BYTE [rbx + d(src)]
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I64Extend16S { dst, src } => {
                x!(self.ops
                    ; movsx rax, WORD [rbx + d(src)]
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F32ConvertI32S { dst, src } => {
                x!(self.ops
                    ; cvtsi2ss xmm0, DWORD [rbx + d(src)]
                    ; movd eax, xmm0
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F32ConvertI32U { dst, src } => {
                x!(self.ops
                    ; mov eax, [rbx + d(src)]
                    ; cvtsi2ss xmm0, rax
                    ; movd eax, xmm0
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F32ConvertI64S { dst, src } => {
                x!(self.ops
                    ; cvtsi2ss xmm0, QWORD [rbx + d(src)]
                    ; movd eax, xmm0
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F64ConvertI32S { dst, src } => {
                x!(self.ops
                    ; cvtsi2sd xmm0, DWORD [rbx + d(src)]
                    ; movsd [rbx + d(dst)], xmm0
                );
            }
            I::F64ConvertI32U { dst, src } => {
                x!(self.ops
                    ; mov eax, [rbx + d(src)]
                    ; cvtsi2sd xmm0, rax
                    ; movsd [rbx + d(dst)], xmm0
                );
            }
            I::F64ConvertI64S { dst, src } => {
                x!(self.ops
                    ; cvtsi2sd xmm0, QWORD [rbx + d(src)]
                    ; movsd [rbx + d(dst)], xmm0
                );
            }
            I::F32DemoteF64 { dst, src } => {
                x!(self.ops
                    ; cvtsd2ss xmm0, [rbx + d(src)]
                    ; movd eax, xmm0
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::F64PromoteF32 { dst, src } => {
                x!(self.ops
                    ; cvtss2sd xmm0, [rbx + d(src)]
                    ; movsd [rbx + d(dst)], xmm0
                );
            }

            // ---- compare-with-immediate branches and stores of constants ----
            I::BrI32AndImmEqz { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; test DWORD [rbx + d(lhs)], imm ; jz =>l)
            }
            I::BrI32AndImmNez { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; test DWORD [rbx + d(lhs)], imm ; jnz =>l)
            }
            I::BrI64AndImmEqz { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; test QWORD [rbx + d(lhs)], imm ; jz =>l)
            }
            I::BrI64AndImmNez { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; test QWORD [rbx + d(lhs)], imm ; jnz =>l)
            }
            I::BrF32Lt { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movss xmm0, [rbx + d(rhs)]
                    ; ucomiss xmm0, [rbx + d(lhs)]
                    ; ja =>l
                )
            }
            I::BrF32NotLt { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movss xmm0, [rbx + d(rhs)]
                    ; ucomiss xmm0, [rbx + d(lhs)]
                    ; jbe =>l
                )
            }
            I::BrF32Le { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movss xmm0, [rbx + d(rhs)]
                    ; ucomiss xmm0, [rbx + d(lhs)]
                    ; jae =>l
                )
            }
            I::BrF32NotLe { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movss xmm0, [rbx + d(rhs)]
                    ; ucomiss xmm0, [rbx + d(lhs)]
                    ; jb =>l
                )
            }
            I::BrF32Gt { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movss xmm0, [rbx + d(lhs)]
                    ; ucomiss xmm0, [rbx + d(rhs)]
                    ; ja =>l
                )
            }
            I::BrF32NotGt { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movss xmm0, [rbx + d(lhs)]
                    ; ucomiss xmm0, [rbx + d(rhs)]
                    ; jbe =>l
                )
            }
            I::BrF32Ge { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movss xmm0, [rbx + d(lhs)]
                    ; ucomiss xmm0, [rbx + d(rhs)]
                    ; jae =>l
                )
            }
            I::BrF32NotGe { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movss xmm0, [rbx + d(lhs)]
                    ; ucomiss xmm0, [rbx + d(rhs)]
                    ; jb =>l
                )
            }
            I::BrF64Lt { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movsd xmm0, [rbx + d(rhs)]
                    ; ucomisd xmm0, [rbx + d(lhs)]
                    ; ja =>l
                )
            }
            I::BrF64NotLt { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movsd xmm0, [rbx + d(rhs)]
                    ; ucomisd xmm0, [rbx + d(lhs)]
                    ; jbe =>l
                )
            }
            I::BrF64Le { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movsd xmm0, [rbx + d(rhs)]
                    ; ucomisd xmm0, [rbx + d(lhs)]
                    ; jae =>l
                )
            }
            I::BrF64NotLe { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movsd xmm0, [rbx + d(rhs)]
                    ; ucomisd xmm0, [rbx + d(lhs)]
                    ; jb =>l
                )
            }
            I::BrF64Gt { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movsd xmm0, [rbx + d(lhs)]
                    ; ucomisd xmm0, [rbx + d(rhs)]
                    ; ja =>l
                )
            }
            I::BrF64NotGt { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movsd xmm0, [rbx + d(lhs)]
                    ; ucomisd xmm0, [rbx + d(rhs)]
                    ; jbe =>l
                )
            }
            I::BrF64Ge { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movsd xmm0, [rbx + d(lhs)]
                    ; ucomisd xmm0, [rbx + d(rhs)]
                    ; jae =>l
                )
            }
            I::BrF64NotGe { lhs, rhs, target } => {
                let l = self.target(target);
                x!(self.ops
                    ; movsd xmm0, [rbx + d(lhs)]
                    ; ucomisd xmm0, [rbx + d(rhs)]
                    ; jb =>l
                )
            }
            I::BrI32EqImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp DWORD [rbx + d(lhs)], imm ; je =>l)
            }
            I::BrI32NeImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp DWORD [rbx + d(lhs)], imm ; jne =>l)
            }
            I::BrI32LtSImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp DWORD [rbx + d(lhs)], imm ; jl =>l)
            }
            I::BrI32LtUImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp DWORD [rbx + d(lhs)], imm ; jb =>l)
            }
            I::BrI32GtSImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp DWORD [rbx + d(lhs)], imm ; jg =>l)
            }
            I::BrI32GtUImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp DWORD [rbx + d(lhs)], imm ; ja =>l)
            }
            I::BrI32LeSImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp DWORD [rbx + d(lhs)], imm ; jle =>l)
            }
            I::BrI32LeUImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp DWORD [rbx + d(lhs)], imm ; jbe =>l)
            }
            I::BrI32GeSImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp DWORD [rbx + d(lhs)], imm ; jge =>l)
            }
            I::BrI32GeUImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp DWORD [rbx + d(lhs)], imm ; jae =>l)
            }
            I::BrI64EqImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp QWORD [rbx + d(lhs)], imm ; je =>l)
            }
            I::BrI64NeImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp QWORD [rbx + d(lhs)], imm ; jne =>l)
            }
            I::BrI64LtSImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp QWORD [rbx + d(lhs)], imm ; jl =>l)
            }
            I::BrI64LtUImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp QWORD [rbx + d(lhs)], imm ; jb =>l)
            }
            I::BrI64GtSImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp QWORD [rbx + d(lhs)], imm ; jg =>l)
            }
            I::BrI64GtUImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp QWORD [rbx + d(lhs)], imm ; ja =>l)
            }
            I::BrI64LeSImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp QWORD [rbx + d(lhs)], imm ; jle =>l)
            }
            I::BrI64LeUImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp QWORD [rbx + d(lhs)], imm ; jbe =>l)
            }
            I::BrI64GeSImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp QWORD [rbx + d(lhs)], imm ; jge =>l)
            }
            I::BrI64GeUImm { lhs, imm, target } => {
                let l = self.target(target);
                x!(self.ops ; cmp QWORD [rbx + d(lhs)], imm ; jae =>l)
            }
            I::I32Store8ImmAdd {
                ptr,
                value,
                imm,
                memory,
                offset,
            } => {
                if memory != 0 {
                    self.slow(pc);
                } else {
                    self.get32(RAX, ptr);
                    x!(self.ops ; add eax, imm);
                    let a = self.address_check(offset, 1);
                    x!(self.ops ; mov BYTE [r14 + rax + a], value as u8 as i8);
                }
            }
            I::I32Store16ImmAdd {
                ptr,
                value,
                imm,
                memory,
                offset,
            } => {
                if memory != 0 {
                    self.slow(pc);
                } else {
                    self.get32(RAX, ptr);
                    x!(self.ops ; add eax, imm);
                    let a = self.address_check(offset, 2);
                    x!(self.ops ; mov WORD [r14 + rax + a], value as i16);
                }
            }
            I::I32StoreImm {
                ptr,
                value,
                memory,
                offset,
            } => {
                if memory != 0 {
                    self.slow(pc);
                } else {
                    let a = self.address(ptr, offset, 4);
                    x!(self.ops ; mov DWORD [r14 + rax + a], value);
                }
            }
            I::I32Store8Imm {
                ptr,
                value,
                memory,
                offset,
            } => {
                if memory != 0 {
                    self.slow(pc);
                } else {
                    let a = self.address(ptr, offset, 1);
                    x!(self.ops ; mov BYTE [r14 + rax + a], value as i8);
                }
            }
            I::I32Store16Imm {
                ptr,
                value,
                memory,
                offset,
            } => {
                if memory != 0 {
                    self.slow(pc);
                } else {
                    let a = self.address(ptr, offset, 2);
                    x!(self.ops ; mov WORD [r14 + rax + a], value as i16);
                }
            }
            I::I64StoreImm {
                ptr,
                value,
                memory,
                offset,
            } => {
                if memory != 0 {
                    self.slow(pc);
                } else {
                    let a = self.address(ptr, offset, 8);
                    x!(self.ops ; mov QWORD [r14 + rax + a], value);
                }
            }

            I::CheckAddr64 { addr, offset } => self.check_addr64(addr, offset),
            I::CheckIndex64 { index } => self.trap_unless_32_bit(index, TrapCode::UndefinedElement),

            // Bulk memory on memory 0 of guarded code (a 32-bit memory) inline (`bulk.rs`).
            I::MemoryFill {
                dst,
                value,
                len,
                memory: 0,
            } if self.guarded => self.memory_fill(pc, dst, value, len),
            I::MemoryCopy {
                dst,
                src,
                len,
                dst_memory: 0,
                src_memory: 0,
            } if self.guarded => self.memory_copy(pc, dst, src, len),

            // SIMD natively where `simd.rs` has a sequence (and the CPU the features); everything
            // else runs in Rust, one instruction at a time.
            _ => {
                if !self.simd(instr) {
                    self.slow(pc);
                }
            }
        }
    }

    fn const64(&mut self, dst: Slot, v: u64) {
        if v <= i32::MAX as u64 || (v as i64) >= i64::from(i32::MIN) && (v as i64) < 0 {
            x!(self.ops; mov QWORD [rbx + d(dst)], v as i64 as i32);
        } else if v <= u64::from(u32::MAX) {
            x!(self.ops
                ; mov eax, v as u32 as i32
                ; mov [rbx + d(dst)], rax
            );
        } else {
            x!(self.ops
                ; mov rax, QWORD v as i64
                ; mov [rbx + d(dst)], rax
            );
        }
    }

    fn div32(&mut self, dst: Slot, lhs: Slot, rhs: Slot, signed: bool, rem: bool) {
        let zero = self.trap(TrapCode::IntegerDivideByZero);
        self.get32(RAX, lhs);
        self.get32(RCX, rhs);
        x!(self.ops
            ; test ecx, ecx
            ; jz =>zero
        );
        if signed {
            let done = self.ops.new_dynamic_label();
            let normal = self.ops.new_dynamic_label();
            x!(self.ops
                ; cmp ecx, -1
                ; jne =>normal
            );
            if rem {
                // x rem -1 = 0 (idiv would fault on MIN rem -1).
                x!(self.ops
                    ; xor edx, edx
                    ; jmp =>done
                );
            } else {
                let overflow = self.trap(TrapCode::IntegerOverflow);
                x!(self.ops
                    ; cmp eax, i32::MIN
                    ; je =>overflow
                );
            }
            x!(self.ops
                ; =>normal
                ; cdq
                ; idiv ecx
                ; =>done
            );
        } else {
            x!(self.ops
                ; xor edx, edx
                ; div ecx
            );
        }
        if rem {
            self.put(dst, RDX);
        } else {
            self.put(dst, RAX);
        }
    }

    fn div64(&mut self, dst: Slot, lhs: Slot, rhs: Slot, signed: bool, rem: bool) {
        let zero = self.trap(TrapCode::IntegerDivideByZero);
        self.get64(RAX, lhs);
        self.get64(RCX, rhs);
        x!(self.ops
            ; test rcx, rcx
            ; jz =>zero
        );
        if signed {
            let done = self.ops.new_dynamic_label();
            let normal = self.ops.new_dynamic_label();
            x!(self.ops
                ; cmp rcx, -1
                ; jne =>normal
            );
            if rem {
                x!(self.ops
                    ; xor edx, edx
                    ; jmp =>done
                );
            } else {
                let overflow = self.trap(TrapCode::IntegerOverflow);
                x!(self.ops
                    ; mov rdx, QWORD i64::MIN
                    ; cmp rax, rdx
                    ; je =>overflow
                );
            }
            x!(self.ops
                ; =>normal
                ; cqo
                ; idiv rcx
                ; =>done
            );
        } else {
            x!(self.ops
                ; xor edx, edx
                ; div rcx
            );
        }
        if rem {
            self.put(dst, RDX);
        } else {
            self.put(dst, RAX);
        }
    }
}
