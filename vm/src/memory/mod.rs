//! [`LinearMemory`]: a WebAssembly linear memory's bytes, its size in pages, and growth.
//!
//! Two strategies hold the bytes ([`MemoryStrategy`]):
//!
//! - **Reserved** (`std` on unix x86_64/aarch64): one `mmap` of the reservation (4 GiB by
//!   default: every byte a 32-bit index can reach) plus a guard region (4 GiB by default), all
//!   `PROT_NONE`; growth `mprotect`s more pages readable and writable. The base pointer never
//!   moves, and an access past the end faults instead of touching other data, so JIT code can
//!   leave out bounds checks that [`LinearMemory::guard_covers`] vouches for.
//! - **Heap** (everywhere, `no_std` included, and memory64 by default): a `Vec<u8>`. Growth may
//!   reallocate, so **the base pointer may move on every successful grow**; backends must reload
//!   it after anything that can grow memory.
//!
//! Loads and stores ([`access`]) and the bulk operations ([`bulk`]) check bounds in software on
//! both strategies, with effective addresses computed as `u64` so nothing wraps.

pub mod access;
pub mod bulk;
mod heap;
#[cfg(all(
    feature = "std",
    unix,
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
mod reserved;

pub use access::MemoryValue;

use crate::limiter::ResourceLimiter;
use crate::value::UntypedVal;
use core::fmt;
use heap::HeapBuffer;
use strata_decoder::MemoryType;

/// The default page size: 64 KiB.
pub const WASM_PAGE_SIZE: u64 = 1 << 16;
/// The most 64 KiB pages a 32-bit memory can have (4 GiB).
pub const MAX_PAGES_32: u64 = 1 << 16;
/// The most 64 KiB pages a 64-bit memory can have (2^64 bytes).
pub const MAX_PAGES_64: u64 = 1 << 48;

/// How a [`LinearMemory`] holds its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MemoryStrategy {
    /// Reserved where available and suitable (32-bit index, page size a multiple of the host's),
    /// heap otherwise, and heap when the reservation fails.
    #[default]
    Auto,
    /// Always reserved: creation fails with [`MemoryError::ReservedUnavailable`] where it cannot
    /// be. A memory64 memory gets the same reservation and cannot grow past it.
    Reserved,
    /// Always a heap buffer (base may move on grow).
    Heap,
}

/// How memories are created. Embedders and tests use it to force a strategy or shrink the
/// reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryConfig {
    /// Which strategy to use.
    pub strategy: MemoryStrategy,
    /// Bytes a reserved memory may grow to (rounded down to host pages). Default 4 GiB.
    pub reservation_bytes: u64,
    /// Inaccessible bytes after the reservation (rounded up to host pages). Default 4 GiB, so a
    /// 32-bit address plus a 32-bit offset always lands inside the mapping.
    pub guard_bytes: u64,
}

impl Default for MemoryConfig {
    fn default() -> Self {
        MemoryConfig {
            strategy: MemoryStrategy::Auto,
            reservation_bytes: 1 << 32,
            guard_bytes: 1 << 32,
        }
    }
}

impl MemoryConfig {
    /// The default configuration with heap-backed memories.
    pub fn heap() -> Self {
        MemoryConfig {
            strategy: MemoryStrategy::Heap,
            ..MemoryConfig::default()
        }
    }

    /// The default configuration with reserved memories (where available).
    pub fn reserved() -> Self {
        MemoryConfig {
            strategy: MemoryStrategy::Reserved,
            ..MemoryConfig::default()
        }
    }
}

/// Why a memory could not be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryError {
    /// The minimum exceeds the maximum or the index type's range.
    InvalidLimits,
    /// A page size other than 1 byte or 64 KiB (the log2 is given).
    UnsupportedPageSize(u32),
    /// The [`ResourceLimiter`] refused the initial size.
    LimiterRefused,
    /// The initial size could not be allocated or reserved.
    OutOfMemory,
    /// [`MemoryStrategy::Reserved`] was requested but this host, build or memory cannot use it.
    ReservedUnavailable,
}

impl fmt::Display for MemoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemoryError::InvalidLimits => f.write_str("memory size limits are invalid"),
            MemoryError::UnsupportedPageSize(log2) => {
                write!(f, "unsupported memory page size 2^{log2}")
            }
            MemoryError::LimiterRefused => {
                f.write_str("memory's initial size refused by the resource limiter")
            }
            MemoryError::OutOfMemory => f.write_str("could not allocate linear memory"),
            MemoryError::ReservedUnavailable => {
                f.write_str("reserved linear memories are unavailable here")
            }
        }
    }
}

impl core::error::Error for MemoryError {}

/// Where the bytes live.
#[derive(Debug)]
enum Backing {
    Heap(HeapBuffer),
    #[cfg(all(
        feature = "std",
        unix,
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    Reserved(reserved::Reservation),
}

/// A linear memory: its type, current size in pages, and bytes.
#[derive(Debug)]
pub struct LinearMemory {
    ty: MemoryType,
    page_size_log2: u32,
    pages: u64,
    /// The effective maximum: the declared one, capped by the index type's range.
    max_pages: u64,
    backing: Backing,
}

/// The most pages the index type can address with this page size.
fn index_max_pages(memory64: bool, page_size_log2: u32) -> u64 {
    match (memory64, page_size_log2) {
        (false, 16) => MAX_PAGES_32,
        // Backends compute addresses of 64-bit memories in 32 bits after checking the high
        // ones (`check_addr64` in the IR), so they, too, stop at 4 GiB for now.
        (true, 16) => MAX_PAGES_32,
        (false, _) => u64::from(u32::MAX),
        (true, _) => u64::from(u32::MAX),
    }
}

impl LinearMemory {
    /// A memory of type `ty` with its minimum size, zeroed.
    ///
    /// `limiter`, if given, is asked about the initial size (from 0 bytes).
    pub fn new(
        ty: MemoryType,
        config: &MemoryConfig,
        limiter: Option<&mut dyn ResourceLimiter>,
    ) -> Result<Self, MemoryError> {
        let page_size_log2 = ty.page_size_log2.unwrap_or(16);
        if page_size_log2 != 0 && page_size_log2 != 16 {
            return Err(MemoryError::UnsupportedPageSize(page_size_log2));
        }
        let index_max = index_max_pages(ty.memory64, page_size_log2);
        let max_pages = ty.limits.max.unwrap_or(index_max);
        if ty.limits.min > max_pages || max_pages > index_max {
            return Err(MemoryError::InvalidLimits);
        }
        let page_size = 1u64 << page_size_log2;
        let min_bytes = ty
            .limits
            .min
            .checked_mul(page_size)
            .ok_or(MemoryError::OutOfMemory)?;
        let initial = usize::try_from(min_bytes).map_err(|_| MemoryError::OutOfMemory)?;
        if let Some(limiter) = limiter {
            let max_bytes = ty.limits.max.map(|m| m.saturating_mul(page_size));
            if !limiter.memory_growing(0, min_bytes, max_bytes) {
                return Err(MemoryError::LimiterRefused);
            }
        }
        let backing = Self::backing(&ty, page_size, initial, config)?;
        Ok(LinearMemory {
            ty,
            page_size_log2,
            pages: ty.limits.min,
            max_pages,
            backing,
        })
    }

    fn heap(initial: usize) -> Result<Backing, MemoryError> {
        HeapBuffer::new(initial)
            .map(Backing::Heap)
            .ok_or(MemoryError::OutOfMemory)
    }

    #[cfg(all(
        feature = "std",
        unix,
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    fn backing(
        ty: &MemoryType,
        page_size: u64,
        initial: usize,
        config: &MemoryConfig,
    ) -> Result<Backing, MemoryError> {
        let host_page = reserved::host_page_size();
        let suitable = page_size.is_multiple_of(host_page as u64);
        let try_reserved = match config.strategy {
            MemoryStrategy::Heap => false,
            MemoryStrategy::Auto => suitable && !ty.memory64,
            MemoryStrategy::Reserved if suitable => true,
            MemoryStrategy::Reserved => return Err(MemoryError::ReservedUnavailable),
        };
        if !try_reserved {
            return Self::heap(initial);
        }
        let limit = usize::try_from(config.reservation_bytes)
            .unwrap_or(usize::MAX)
            .div_euclid(host_page)
            * host_page;
        let guard = usize::try_from(config.guard_bytes)
            .ok()
            .and_then(|g| g.checked_next_multiple_of(host_page));
        let reservation = match guard {
            Some(guard) if initial <= limit => reserved::Reservation::new(limit, guard, initial),
            _ => None,
        };
        match (reservation, config.strategy) {
            (Some(r), _) => Ok(Backing::Reserved(r)),
            (None, MemoryStrategy::Auto) => Self::heap(initial),
            (None, _) if initial > limit => Err(MemoryError::OutOfMemory),
            (None, _) => Err(MemoryError::ReservedUnavailable),
        }
    }

    #[cfg(not(all(
        feature = "std",
        unix,
        any(target_arch = "x86_64", target_arch = "aarch64")
    )))]
    fn backing(
        _ty: &MemoryType,
        _page_size: u64,
        initial: usize,
        config: &MemoryConfig,
    ) -> Result<Backing, MemoryError> {
        match config.strategy {
            MemoryStrategy::Reserved => Err(MemoryError::ReservedUnavailable),
            MemoryStrategy::Auto | MemoryStrategy::Heap => Self::heap(initial),
        }
    }

    /// The memory's declared type.
    pub fn ty(&self) -> MemoryType {
        self.ty
    }

    /// Whether this is a 64-bit memory (`i64` addresses, sizes and lengths).
    pub fn is_64(&self) -> bool {
        self.ty.memory64
    }

    /// An address, length or `memory.grow` delta operand of this memory's index type, read from
    /// a frame slot (an `i32` one zero-extended).
    pub fn index_operand(&self, v: UntypedVal) -> u64 {
        v.to_index(self.is_64())
    }

    /// `memory.grow`'s result of this memory's index type: the old size in pages, or -1 if
    /// `grown` is `None`.
    pub fn grow_result(&self, grown: Option<u64>) -> UntypedVal {
        UntypedVal::grow_result(grown, self.is_64())
    }

    /// The page size in bytes (64 KiB unless the custom-page-sizes proposal chose 1).
    pub fn page_size(&self) -> u64 {
        1 << self.page_size_log2
    }

    /// The current size in pages (`memory.size`).
    pub fn size_pages(&self) -> u64 {
        self.pages
    }

    /// The most pages this memory can grow to: the declared maximum, or the index type's limit.
    pub fn max_pages(&self) -> u64 {
        self.max_pages
    }

    /// The current size in bytes.
    pub fn len(&self) -> usize {
        self.data().len()
    }

    /// True if the memory has no pages.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True if the bytes live in a reservation with a guard region (base never moves).
    pub fn is_reserved(&self) -> bool {
        match &self.backing {
            Backing::Heap(_) => false,
            #[cfg(all(
                feature = "std",
                unix,
                any(target_arch = "x86_64", target_arch = "aarch64")
            ))]
            Backing::Reserved(_) => true,
        }
    }

    /// True if, for every 32-bit address `addr`, an access of `size` bytes at `addr + offset`
    /// either lies inside the memory or faults in the reservation or guard region, so a backend
    /// may leave out its explicit bounds check (and must turn the fault into
    /// [`TrapCode::MemoryOutOfBounds`](crate::TrapCode::MemoryOutOfBounds)). Always false for
    /// heap-backed and 64-bit memories.
    pub fn guard_covers(&self, offset: u64, size: u64) -> bool {
        let _ = (offset, size);
        match &self.backing {
            Backing::Heap(_) => false,
            #[cfg(all(
                feature = "std",
                unix,
                any(target_arch = "x86_64", target_arch = "aarch64")
            ))]
            Backing::Reserved(r) => {
                let mapped = r.limit() as u64 + r.guard() as u64;
                let worst_end = u64::from(u32::MAX)
                    .checked_add(offset)
                    .and_then(|e| e.checked_add(size));
                !self.ty.memory64 && worst_end.is_some_and(|end| end <= mapped)
            }
        }
    }

    /// The bytes.
    pub fn data(&self) -> &[u8] {
        match &self.backing {
            Backing::Heap(h) => h.as_slice(),
            #[cfg(all(
                feature = "std",
                unix,
                any(target_arch = "x86_64", target_arch = "aarch64")
            ))]
            Backing::Reserved(r) => r.as_slice(),
        }
    }

    /// The bytes, writable.
    pub fn data_mut(&mut self) -> &mut [u8] {
        match &mut self.backing {
            Backing::Heap(h) => h.as_mut_slice(),
            #[cfg(all(
                feature = "std",
                unix,
                any(target_arch = "x86_64", target_arch = "aarch64")
            ))]
            Backing::Reserved(r) => r.as_mut_slice(),
        }
    }

    /// The address of byte 0, for backends that access memory directly. Valid for `len()` bytes
    /// until the memory is grown (heap-backed memories may move then) or dropped.
    pub fn base_ptr(&mut self) -> *mut u8 {
        self.data_mut().as_mut_ptr()
    }

    /// Grows by `delta` pages (`memory.grow`). Returns the old size in pages, or `None` if the
    /// memory cannot grow: past its maximum, refused by `limiter`, or out of host memory. The
    /// runtime turns `None` into -1. Growing by 0 always succeeds without asking the limiter.
    ///
    /// New bytes are zero. A heap-backed memory's base pointer may move.
    pub fn grow(&mut self, delta: u64, limiter: Option<&mut dyn ResourceLimiter>) -> Option<u64> {
        let old = self.pages;
        if delta == 0 {
            return Some(old);
        }
        let new = old.checked_add(delta).filter(|&n| n <= self.max_pages)?;
        let page_size = self.page_size();
        let new_bytes = new.checked_mul(page_size)?;
        let new_len = usize::try_from(new_bytes).ok()?;
        if let Some(limiter) = limiter {
            let max_bytes = self.ty.limits.max.map(|m| m.saturating_mul(page_size));
            if !limiter.memory_growing(self.len() as u64, new_bytes, max_bytes) {
                return None;
            }
        }
        let grown = match &mut self.backing {
            Backing::Heap(h) => h.grow_to(new_len),
            #[cfg(all(
                feature = "std",
                unix,
                any(target_arch = "x86_64", target_arch = "aarch64")
            ))]
            Backing::Reserved(r) => r.grow_to(new_len),
        };
        if !grown {
            return None;
        }
        self.pages = new;
        Some(old)
    }
}

#[cfg(test)]
pub(crate) mod tests;
