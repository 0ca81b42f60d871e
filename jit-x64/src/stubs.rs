//! Code shared by every module, assembled once per process: the entry trampoline from Rust,
//! the trap exit, the host-call stub, the throw stub and the stub for functions without x64
//! code.

use std::sync::OnceLock;

use dynasmrt::{
    dynasm, x64::Assembler, AssemblyOffset, DynasmApi, DynasmLabelApi, ExecutableBuffer,
};

use crate::context::{helper, off::*, status};

/// The entry trampoline: `(ctx, instance, frame, code) -> 0` on return, `1` after a trap exit.
pub(crate) type Trampoline =
    unsafe extern "sysv64" fn(*mut crate::context::VmContext, usize, *mut u64, usize) -> u32;

/// The assembled stubs, with their addresses worked out once (every call from the host reads
/// five of them).
pub(crate) struct Stubs {
    /// Holds the code: the addresses below point into it.
    _buf: ExecutableBuffer,
    trampoline: usize,
    trap_common: usize,
    host: usize,
    unsupported: usize,
    throw_common: usize,
}

impl Stubs {
    /// The process-wide stubs.
    pub(crate) fn get() -> &'static Stubs {
        static STUBS: OnceLock<Stubs> = OnceLock::new();
        STUBS.get_or_init(Stubs::assemble)
    }

    fn assemble() -> Stubs {
        let mut ops = Assembler::new().expect("mmap for the JIT stubs");
        let helpers = CTX_HELPERS;

        // The trampoline. At entry rsp = 8 (mod 16); after six pushes and `sub rsp, 8` it is
        // 16-byte aligned, so every wasm function starts at rsp = 8 (mod 16) like a C function.
        let trampoline = ops.offset();
        dynasm!(ops
            ; .arch x64
            ; push rbp
            ; push rbx
            ; push r12
            ; push r13
            ; push r14
            ; push r15
            ; sub rsp, 8
            ; mov [rdi + CTX_ENTRY_RSP], rsp
            // stack_limit held the depth budget in bytes: make it an rsp bound.
            ; mov rax, rsp
            ; sub rax, [rdi + CTX_STACK_LIMIT]
            ; jae >ok
            ; xor eax, eax
            ; ok:
            ; mov [rdi + CTX_STACK_LIMIT], rax
            ; mov r12, rdi
            ; mov r13, rsi
            ; mov rbx, rdx
            ; xor ebp, ebp
            ; call rcx
            ; xor eax, eax
            ; ->exit:
            ; add rsp, 8
            ; pop r15
            ; pop r14
            ; pop r13
            ; pop r12
            ; pop rbx
            ; pop rbp
            ; ret
        );

        // The trap exit: esi = status, rdx = rbp of the innermost wasm frame (0 for none).
        let trap_common = ops.offset();
        dynasm!(ops
            ; .arch x64
            ; ->trap_common:
            ; mov rdi, r12
            ; and rsp, -16
            ; call QWORD [r12 + helpers + 8 * helper::TRAP as i32]
            ; mov rsp, [r12 + CTX_ENTRY_RSP]
            ; mov eax, 1
            ; jmp ->exit
        );

        // The host stub: r13 = the callee's FuncAddr, rbx = its frame (the argument window).
        let host = ops.offset();
        dynasm!(ops
            ; .arch x64
            ; sub rsp, 8
            ; mov rdi, r12
            ; mov rsi, r13
            ; mov rdx, rbx
            ; lea rcx, [rsp + 16]
            ; call QWORD [r12 + helpers + 8 * helper::HOST as i32]
            ; add rsp, 8
            ; test eax, eax
            ; jnz >fail
            ; mov rbx, [r12 + CTX_RBX_OUT]
            ; ret
            ; fail:
            ; mov esi, eax
            ; mov rdx, rbp
            ; jmp ->trap_common
        );

        // Where the fault handler resumes an out-of-bounds access of guarded code
        // (`signals.rs`): rbp is still the faulting function's frame, as in its own stub.
        #[cfg(target_os = "linux")]
        let oob = ops.offset();
        #[cfg(target_os = "linux")]
        dynasm!(ops
            ; .arch x64
            ; mov esi, strata_vm::TrapCode::MemoryOutOfBounds as i32 + 1
            ; mov rdx, rbp
            ; jmp ->trap_common
        );

        // Called in place of a function that has no x64 code.
        let unsupported = ops.offset();
        dynasm!(ops
            ; .arch x64
            ; mov esi, status::UNSUPPORTED as i32
            ; mov rdx, rbp
            ; jmp ->trap_common
        );
        // The throw stub, jumped to by `throw` and `throw_ref` (after storing every pinned slot
        // to the frame) with rcx = func << 32 | pc and rsp = rbp - 16 (16-byte aligned, the
        // frame as the prologue left it). The helper makes or reads the exception and searches
        // this activation's frames (`exn.rs`); if one catches, it has written the caught values
        // to that frame and left where to resume in the context: the catching frame's rbp (its
        // rsp is rbp - 16, its instance at [rbp - 8]) and rbx, and its landing pad, which
        // reloads memory 0 and the pinned slots and jumps to the clause's code. Otherwise the
        // status is a trap ("uncaught exception", ...) raised from the throwing frame, so the
        // backtrace starts at the thrower.
        let throw_common = ops.offset();
        dynasm!(ops
            ; .arch x64
            ; mov rdi, r12
            ; mov rsi, rbx
            ; mov rdx, rbp
            ; call QWORD [r12 + helpers + 8 * helper::THROW as i32]
            ; test eax, eax
            ; jnz >fail
            ; mov rbp, [r12 + CTX_EXN_RBP]
            ; mov rbx, [r12 + CTX_EXN_RBX]
            ; lea rsp, [rbp - 16]
            ; mov r13, [rbp - 8]
            ; jmp QWORD [r12 + CTX_EXN_PAD]
            ; fail:
            ; mov esi, eax
            ; mov rdx, rbp
            ; jmp ->trap_common
        );
        let buf = ops.finalize().expect("finalize the JIT stubs");
        #[cfg(target_os = "linux")]
        crate::signals::set_oob_stub(buf.ptr(oob) as usize);
        let addr = |at: AssemblyOffset| buf.ptr(at) as usize;
        Stubs {
            trampoline: addr(trampoline),
            trap_common: addr(trap_common),
            host: addr(host),
            unsupported: addr(unsupported),
            throw_common: addr(throw_common),
            _buf: buf,
        }
    }

    /// The entry trampoline.
    pub(crate) fn trampoline(&self) -> Trampoline {
        let p = self.trampoline as *const u8;
        // SAFETY: `p` is the start of the trampoline assembled above, which follows the SysV
        // ABI with exactly this signature; the buffer lives for the whole process.
        unsafe { core::mem::transmute::<*const u8, Trampoline>(p) }
    }

    /// The trap exit's address.
    pub(crate) fn trap_common(&self) -> usize {
        self.trap_common
    }

    /// The host stub's address.
    pub(crate) fn host(&self) -> usize {
        self.host
    }

    /// The throw stub's address.
    pub(crate) fn throw_common(&self) -> usize {
        self.throw_common
    }

    /// The unsupported-function stub's address.
    pub(crate) fn unsupported(&self) -> usize {
        self.unsupported
    }
}
