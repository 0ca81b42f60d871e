//! The heap-backed strategy: a `Vec<u8>` that reallocates on growth, so the base may move.
//! Works everywhere, including `no_std` and memory64.

use alloc::vec::Vec;
use core::alloc::Layout;

/// A linear memory's bytes in a growable heap buffer.
#[derive(Debug, Default)]
pub(super) struct HeapBuffer {
    bytes: Vec<u8>,
}

impl HeapBuffer {
    /// A zeroed buffer of `len` bytes, or `None` if the allocation fails.
    ///
    /// Allocated zeroed (`calloc`), not allocated then filled: the allocator knows when its
    /// memory is fresh from the kernel, and so already zero, and then skips the fill.
    pub(super) fn new(len: usize) -> Option<Self> {
        if len == 0 {
            return Some(HeapBuffer::default());
        }
        let layout = Layout::array::<u8>(len).ok()?;
        // SAFETY: `layout` has a non-zero size (`len > 0`).
        let ptr = unsafe { alloc::alloc::alloc_zeroed(layout) };
        if ptr.is_null() {
            return None;
        }
        // SAFETY: `ptr` comes from the global allocator with exactly the layout of a `Vec<u8>`
        // of capacity `len` (size `len`, alignment 1), and all `len` bytes are initialised
        // (zeroed); the `Vec` takes sole ownership of the allocation.
        let bytes = unsafe { Vec::from_raw_parts(ptr, len, len) };
        Some(HeapBuffer { bytes })
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
