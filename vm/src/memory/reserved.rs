//! The reserved strategy: one `mmap` of the whole reservation plus guard region, inaccessible
//! (`PROT_NONE`) until `mprotect` makes a prefix readable and writable. The base never moves, and
//! every byte past the accessible prefix up to the end of the guard region faults, which is what
//! lets the JITs drop bounds checks.

use core::ptr::NonNull;

/// The host's page size, in bytes.
pub(super) fn host_page_size() -> usize {
    // SAFETY: `sysconf` has no preconditions; `_SC_PAGESIZE` is a valid name on every unix.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size).unwrap_or(4096)
}

/// An owned `mmap` region whose first `accessible` bytes are readable and writable.
#[derive(Debug)]
pub(super) struct Reservation {
    /// Start of the mapping (page-aligned, never null).
    base: NonNull<u8>,
    /// Bytes mapped in total: the usable reservation plus the guard region.
    mapped: usize,
    /// Bytes that may ever become accessible (the mapping minus the guard region).
    limit: usize,
    /// Bytes currently readable and writable, from `base`.
    accessible: usize,
}

// SAFETY: a `Reservation` owns its mapping exclusively (like a `Box<[u8]>`): nothing else holds
// `base`, and shared access only reads through `&self`, so moving it to or sharing it between
// threads is as safe as for a boxed slice.
unsafe impl Send for Reservation {}
// SAFETY: see `Send`; `&Reservation` only hands out `&[u8]`.
unsafe impl Sync for Reservation {}

impl Reservation {
    /// Maps `limit + guard` bytes inaccessible and makes the first `initial` accessible.
    /// All three must be multiples of the host page size. `None` if a system call fails.
    pub(super) fn new(limit: usize, guard: usize, initial: usize) -> Option<Self> {
        let page = host_page_size();
        debug_assert!(
            limit.is_multiple_of(page)
                && guard.is_multiple_of(page)
                && initial.is_multiple_of(page)
        );
        debug_assert!(initial <= limit);
        let mapped = limit.checked_add(guard)?;
        if mapped == 0 {
            return None;
        }
        // SAFETY: a fresh anonymous private mapping at an address of the kernel's choosing
        // (null hint, no MAP_FIXED) cannot alias any existing Rust object.
        let ptr = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                mapped,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANON,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return None;
        }
        let mut r = Reservation {
            base: NonNull::new(ptr.cast::<u8>())?,
            mapped,
            limit,
            accessible: 0,
        };
        // On failure `r` is dropped, which unmaps it.
        r.grow_to(initial).then_some(r)
    }

    /// Makes the first `new_len` bytes accessible (a multiple of the host page size, at least the
    /// current length). `false`, with nothing changed, past the limit or if `mprotect` fails.
    /// The new bytes are zero: anonymous pages start zeroed and memories never shrink.
    pub(super) fn grow_to(&mut self, new_len: usize) -> bool {
        debug_assert!(new_len >= self.accessible && new_len.is_multiple_of(host_page_size()));
        if new_len > self.limit {
            return false;
        }
        if new_len == self.accessible {
            return true;
        }
        // SAFETY: `accessible <= new_len <= limit <= mapped`, so the range
        // `base + accessible .. base + new_len` lies inside our own mapping; `base + accessible`
        // is page-aligned because `accessible` is a multiple of the page size; and no Rust
        // reference covers those bytes, as none were accessible before.
        let rc = unsafe {
            libc::mprotect(
                self.base.as_ptr().add(self.accessible).cast(),
                new_len - self.accessible,
                libc::PROT_READ | libc::PROT_WRITE,
            )
        };
        if rc != 0 {
            return false;
        }
        self.accessible = new_len;
        true
    }

    /// The bytes that may ever become accessible (excluding the guard region).
    pub(super) fn limit(&self) -> usize {
        self.limit
    }

    /// The guard region's size in bytes.
    pub(super) fn guard(&self) -> usize {
        self.mapped - self.limit
    }

    pub(super) fn as_slice(&self) -> &[u8] {
        // SAFETY: the first `accessible` bytes are mapped readable and writable, initialised
        // (zero-filled by the kernel or written since), and owned by `self`; the borrow of `self`
        // keeps them alive and prevents mutation through `as_mut_slice` meanwhile.
        unsafe { core::slice::from_raw_parts(self.base.as_ptr(), self.accessible) }
    }

    pub(super) fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: as for `as_slice`; `&mut self` makes this the only live view of the bytes.
        unsafe { core::slice::from_raw_parts_mut(self.base.as_ptr(), self.accessible) }
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        // SAFETY: `base`/`mapped` describe exactly the mapping `new` created, which is still
        // mapped and owned by `self`; no slice into it can outlive `self`.
        let rc = unsafe { libc::munmap(self.base.as_ptr().cast(), self.mapped) };
        debug_assert_eq!(rc, 0, "munmap of a reserved linear memory failed");
    }
}
