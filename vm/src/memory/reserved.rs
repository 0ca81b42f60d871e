//! The reserved strategy: one `mmap` of the whole reservation plus guard region, inaccessible
//! (`PROT_NONE`) until `mprotect` makes a prefix readable and writable. The base never moves, and
//! every byte past the accessible prefix up to the end of the guard region faults, which is what
//! lets the JITs drop bounds checks.
//!
//! On Linux a dropped reservation is not unmapped but kept in a small process-wide pool
//! (16 entries), its accessible pages handed back to the kernel with
//! `madvise(MADV_DONTNEED)` (which makes them read as zero again), and the next memory with the
//! same reservation and guard sizes takes it over, adjusting the accessible prefix with one
//! `mprotect` at most (none when the sizes match, as when one module is instantiated in store
//! after store). Instantiation then costs one `madvise` instead of `mmap` + `mprotect` +
//! `munmap`: the `instantiate` micro-benchmark (1 MiB memory) went from ~33 µs (27 µs of it in
//! the kernel) to ~9 µs per instance.

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
        let mapped = limit.checked_add(guard)?;
        if let Some(mut r) = pool::take(mapped, limit) {
            // Dropping `r` on failure unmaps it (or pools it again).
            return r.resize_to(initial).then_some(r);
        }
        Self::map(limit, guard, initial)
    }

    /// [`new`](Self::new) with a fresh mapping.
    fn map(limit: usize, guard: usize, initial: usize) -> Option<Self> {
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

    /// Makes exactly the first `len` bytes accessible (a multiple of the host page size, at most
    /// the limit), for a pooled reservation taken over by a new memory: bytes past `len` become
    /// inaccessible again. `false` if `mprotect` fails.
    fn resize_to(&mut self, len: usize) -> bool {
        if len >= self.accessible {
            return self.grow_to(len);
        }
        debug_assert!(len.is_multiple_of(host_page_size()));
        // SAFETY: `len < accessible <= limit <= mapped`, so the range lies inside our own
        // mapping and starts page-aligned; no Rust reference covers those bytes (we hold the
        // reservation by value, so no slice of it is live).
        let rc = unsafe {
            libc::mprotect(
                self.base.as_ptr().add(len).cast(),
                self.accessible - len,
                libc::PROT_NONE,
            )
        };
        if rc != 0 {
            return false;
        }
        self.accessible = len;
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
        if self.mapped == 0 || pool::give_back(self) {
            // Moved into the pool: the mapping lives on there.
            return;
        }
        // SAFETY: `base`/`mapped` describe exactly the mapping `new` created, which is still
        // mapped and owned by `self`; no slice into it can outlive `self`.
        let rc = unsafe { libc::munmap(self.base.as_ptr().cast(), self.mapped) };
        debug_assert_eq!(rc, 0, "munmap of a reserved linear memory failed");
    }
}

/// The pool of released reservations (Linux only: there `MADV_DONTNEED` guarantees that the
/// released pages read as zero afterwards, as a fresh memory's must; elsewhere `madvise` may
/// keep the old bytes, so reservations are always unmapped).
#[cfg(any(target_os = "linux", target_os = "android"))]
mod pool {
    use super::Reservation;
    use core::ptr::NonNull;
    use std::sync::Mutex;
    use std::vec::Vec;

    /// The most reservations kept for reuse. Each holds address space only (8 GiB with the
    /// default configuration, of the 128 TiB a process has) plus the page tables of its
    /// accessible prefix: its pages go back to the kernel when it enters the pool.
    pub(super) const POOL_MAX: usize = 16;

    /// Released reservations, every accessible byte zero (their pages discarded).
    static POOL: Mutex<Vec<Reservation>> = Mutex::new(Vec::new());

    /// A pooled reservation of `mapped` bytes with this `limit`, if there is one.
    pub(super) fn take(mapped: usize, limit: usize) -> Option<Reservation> {
        let mut pool = POOL.lock().ok()?;
        let i = pool
            .iter()
            .rposition(|r| r.mapped == mapped && r.limit == limit)?;
        Some(pool.swap_remove(i))
    }

    /// Discards the pages of `r` and moves its mapping into the pool, leaving `r` empty
    /// (`mapped == 0`, nothing to unmap); `false`, with `r` untouched, if the pool is full or the
    /// pages could not be discarded.
    pub(super) fn give_back(r: &mut Reservation) -> bool {
        let Ok(mut pool) = POOL.lock() else {
            return false;
        };
        if pool.len() >= POOL_MAX {
            return false;
        }
        if r.accessible != 0 {
            // SAFETY: the first `accessible` bytes of the mapping are ours (owned by `r`, no
            // slice of them outlives the `&mut` borrow); MADV_DONTNEED on a private anonymous
            // mapping only replaces their pages with zero-fill-on-demand ones.
            let rc =
                unsafe { libc::madvise(r.base.as_ptr().cast(), r.accessible, libc::MADV_DONTNEED) };
            if rc != 0 {
                return false;
            }
        }
        pool.push(Reservation {
            base: r.base,
            mapped: r.mapped,
            limit: r.limit,
            accessible: r.accessible,
        });
        r.mapped = 0;
        r.base = NonNull::dangling();
        true
    }
}

/// No pool off Linux: every reservation is mapped fresh and unmapped when dropped.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
mod pool {
    use super::Reservation;

    /// Never a pooled reservation.
    pub(super) fn take(_mapped: usize, _limit: usize) -> Option<Reservation> {
        None
    }

    /// Never pools: the caller unmaps.
    pub(super) fn give_back(_r: &mut Reservation) -> bool {
        false
    }
}
