//! `memory.fill` and `memory.copy` on memory 0 inline, for guarded code (memory 0 is then a
//! 32-bit memory, so addresses and lengths are `u32` and their sums cannot wrap in 64 bits).
//!
//! Both check the whole range against the memory's length (read into `rdx`: in guarded code
//! `r15` holds a pinned slot, not the length) before writing anything, as
//! the spec requires, then use `rep stosb` / `rep movsb` (the direction flag is clear in the
//! ABI). A copy whose destination overlaps the source from above (`src < dst < src + len`)
//! must go backwards: that case calls the slow-path helper, which has the interpreter's
//! `copy_within`. These run behind the spill door (nothing pinned), so they may use `rsi`
//! and `rdi`.

use strata_ir::Slot;
use strata_vm::TrapCode;

use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};

use super::{d, FuncCompiler, RDX};

impl FuncCompiler<'_> {
    /// `memory.fill` of memory 0 (instruction `pc`).
    pub(super) fn memory_fill(&mut self, _pc: usize, dst: Slot, value: Slot, len: Slot) {
        let oob = self.trap(TrapCode::MemoryOutOfBounds);
        self.load_memory_len(RDX);
        x!(self.ops
            ; mov edi, [rbx + d(dst)]
            ; mov ecx, [rbx + d(len)]
            ; lea rax, [rdi + rcx]
            ; cmp rax, rdx
            ; ja =>oob
            ; movzx eax, BYTE [rbx + d(value)]
            ; add rdi, r14
            ; rep stosb
        );
    }

    /// `memory.copy` within memory 0 (instruction `pc`).
    pub(super) fn memory_copy(&mut self, pc: usize, dst: Slot, src: Slot, len: Slot) {
        let oob = self.trap(TrapCode::MemoryOutOfBounds);
        let forward = self.ops.new_dynamic_label();
        let done = self.ops.new_dynamic_label();
        self.load_memory_len(RDX);
        x!(self.ops
            ; mov edi, [rbx + d(dst)]
            ; mov esi, [rbx + d(src)]
            ; mov ecx, [rbx + d(len)]
            ; lea rax, [rdi + rcx]
            ; cmp rax, rdx
            ; ja =>oob
            ; lea rax, [rsi + rcx]
            ; cmp rax, rdx
            ; ja =>oob
            // Forwards unless src < dst < src + len.
            ; cmp rdi, rsi
            ; jbe =>forward
            ; cmp rdi, rax
            ; jae =>forward
        );
        self.slow(pc);
        x!(self.ops
            ; jmp =>done
            ; =>forward
            ; add rsi, r14
            ; add rdi, r14
            ; rep movsb
            ; =>done
        );
    }
}
