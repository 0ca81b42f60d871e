//! The memory instructions every backend runs the same way, on operands as frame slots hold
//! them: `memory.grow`, `memory.fill`, `memory.copy` and `memory.init`. Each reads its
//! addresses and lengths with the index type of the memory they belong to (64-bit memories take
//! `i64` operands), so the interpreter and the JITs' slow paths cannot disagree.

use crate::limiter::ResourceLimiter;
use crate::store::{two_mut, InstanceAddr, StoreInner};
use crate::trap::TrapCode;
use crate::value::UntypedVal;

impl StoreInner {
    /// `memory.grow` of memory `memory` of instance `inst` by `delta` pages: the old size, or
    /// -1 (of the memory's index type) if it cannot grow.
    pub fn memory_grow(
        &mut self,
        inst: InstanceAddr,
        memory: u32,
        delta: UntypedVal,
        limiter: Option<&mut dyn ResourceLimiter>,
    ) -> UntypedVal {
        let m = self.instance(inst).memories[memory as usize].index();
        let mem = &mut self.memories[m];
        let delta = mem.index_operand(delta);
        let grown = mem.grow(delta, limiter);
        mem.grow_result(grown)
    }

    /// `memory.fill`: `len` bytes of `value` at `dst`.
    pub fn memory_fill(
        &mut self,
        inst: InstanceAddr,
        memory: u32,
        dst: UntypedVal,
        value: UntypedVal,
        len: UntypedVal,
    ) -> Result<(), TrapCode> {
        let m = self.instance(inst).memories[memory as usize].index();
        let mem = &mut self.memories[m];
        let (d, n) = (mem.index_operand(dst), mem.index_operand(len));
        mem.fill(d, value.to_u32() as u8, n)
    }

    /// `memory.copy` of `len` bytes from `src` in memory `src_memory` to `dst` in memory
    /// `dst_memory`. The length is 64-bit only if both memories are.
    #[allow(clippy::too_many_arguments)]
    pub fn memory_copy(
        &mut self,
        inst: InstanceAddr,
        dst_memory: u32,
        src_memory: u32,
        dst: UntypedVal,
        src: UntypedVal,
        len: UntypedVal,
    ) -> Result<(), TrapCode> {
        let dm = self.instance(inst).memories[dst_memory as usize].index();
        let sm = self.instance(inst).memories[src_memory as usize].index();
        let (d, s) = (
            self.memories[dm].index_operand(dst),
            self.memories[sm].index_operand(src),
        );
        let n = if self.memories[dm].is_64() && self.memories[sm].is_64() {
            len.to_u64()
        } else {
            u64::from(len.to_u32())
        };
        if dm == sm {
            self.memories[dm].copy_within(d, s, n)
        } else {
            let (dmem, smem) = two_mut(&mut self.memories, dm, sm);
            dmem.copy_from(d, smem, s, n)
        }
    }

    /// `memory.init`: `len` bytes of data segment `data` from offset `src` to `dst` (the segment
    /// offset and the length are `i32`).
    #[allow(clippy::too_many_arguments)]
    pub fn memory_init(
        &mut self,
        inst: InstanceAddr,
        memory: u32,
        data: u32,
        dst: UntypedVal,
        src: UntypedVal,
        len: UntypedVal,
    ) -> Result<(), TrapCode> {
        let m = self.instance(inst).memories[memory as usize].index();
        let seg = self.instance(inst).datas[data as usize].index();
        let d = self.memories[m].index_operand(dst);
        let (s, n) = (u64::from(src.to_u32()), u64::from(len.to_u32()));
        let StoreInner {
            memories, datas, ..
        } = self;
        memories[m].init(d, datas[seg].bytes(), s, n)
    }
}
