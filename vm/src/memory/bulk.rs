//! The bulk memory operations: `memory.fill`, `memory.copy` (within one memory and between two),
//! `memory.init` from a data segment's bytes, and the embedder's `read`/`write`.
//!
//! Spec semantics: the whole source and destination ranges are checked before any byte is
//! written, a zero-length operation is fine at any offset up to and including the end, and
//! overlapping copies behave as if through a temporary buffer.

use super::LinearMemory;
use crate::bounds::checked_range;
use crate::trap::TrapCode;

const OOB: TrapCode = TrapCode::MemoryOutOfBounds;

impl LinearMemory {
    /// `memory.fill`: sets `len` bytes at `dst` to `value`.
    pub fn fill(&mut self, dst: u64, value: u8, len: u64) -> Result<(), TrapCode> {
        let dst = checked_range(dst, len, self.len(), OOB)?;
        self.data_mut()[dst].fill(value);
        Ok(())
    }

    /// `memory.copy` within this memory: copies `len` bytes from `src` to `dst`; the ranges may
    /// overlap.
    pub fn copy_within(&mut self, dst: u64, src: u64, len: u64) -> Result<(), TrapCode> {
        let src = checked_range(src, len, self.len(), OOB)?;
        let dst = checked_range(dst, len, self.len(), OOB)?;
        self.data_mut().copy_within(src, dst.start);
        Ok(())
    }

    /// `memory.copy` between two memories (multi-memory): copies `len` bytes from `src` in
    /// `src_mem` to `dst` in this memory.
    pub fn copy_from(
        &mut self,
        dst: u64,
        src_mem: &LinearMemory,
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let src = checked_range(src, len, src_mem.len(), OOB)?;
        let dst = checked_range(dst, len, self.len(), OOB)?;
        self.data_mut()[dst].copy_from_slice(&src_mem.data()[src]);
        Ok(())
    }

    /// `memory.init`: copies `len` bytes from `data[src..]` (a data segment's bytes; empty once
    /// dropped) to `dst`.
    pub fn init(&mut self, dst: u64, data: &[u8], src: u64, len: u64) -> Result<(), TrapCode> {
        let src = checked_range(src, len, data.len(), OOB)?;
        let dst = checked_range(dst, len, self.len(), OOB)?;
        self.data_mut()[dst].copy_from_slice(&data[src]);
        Ok(())
    }

    /// Reads `buf.len()` bytes at `addr` (for embedders).
    pub fn read(&self, addr: u64, buf: &mut [u8]) -> Result<(), TrapCode> {
        let src = checked_range(addr, buf.len() as u64, self.len(), OOB)?;
        buf.copy_from_slice(&self.data()[src]);
        Ok(())
    }

    /// Writes `bytes` at `addr` (for embedders, and active data segments at instantiation).
    pub fn write(&mut self, addr: u64, bytes: &[u8]) -> Result<(), TrapCode> {
        let dst = checked_range(addr, bytes.len() as u64, self.len(), OOB)?;
        self.data_mut()[dst].copy_from_slice(bytes);
        Ok(())
    }
}
