//! The heap-backed strategy: a `Vec<u8>` that reallocates on growth, so the base may move.
//! Works everywhere, including `no_std` and memory64.

use alloc::vec::Vec;

/// A linear memory's bytes in a growable heap buffer.
#[derive(Debug, Default)]
pub(super) struct HeapBuffer {
    bytes: Vec<u8>,
}

impl HeapBuffer {
    /// A zeroed buffer of `len` bytes, or `None` if the allocation fails.
    pub(super) fn new(len: usize) -> Option<Self> {
        let mut buf = HeapBuffer::default();
        buf.grow_to(len).then_some(buf)
    }

    /// Grows to `new_len` bytes, zeroing the new ones. `false` (and no change) if the allocation
    /// fails. Moves the buffer.
    pub(super) fn grow_to(&mut self, new_len: usize) -> bool {
        debug_assert!(new_len >= self.bytes.len());
        let additional = new_len - self.bytes.len();
        if self.bytes.try_reserve_exact(additional).is_err() {
            return false;
        }
        self.bytes.resize(new_len, 0);
        true
    }

    pub(super) fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    pub(super) fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.bytes
    }
}
