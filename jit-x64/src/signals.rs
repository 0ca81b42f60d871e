//! Out-of-bounds memory accesses as faults: the SIGSEGV/SIGBUS handler that turns a fault in
//! guarded JIT code into the wasm trap "out of bounds memory access" (Linux x86_64 only).
//!
//! Guarded code (see [`compile`](crate::compile), "Memory accesses") leaves out the explicit
//! bounds check of a memory-0 access when memory 0 is a 32-bit `Reserved` memory whose
//! reservation and guard cover every address such an access can form: `r14 + addr + offset` with
//! `addr < 2^32` and `offset + size <= MAX_ELIDED_END`, i.e. a byte in
//! `[r14, r14 + GUARD_SPAN)`. Every byte of that range past the memory's length is `PROT_NONE`,
//! so an out-of-bounds access faults instead of touching anything, and x86 commits nothing of a
//! faulting load or store, so the store state is exactly what the explicit check leaves.
//!
//! The handler ([`on_fault`]) claims a fault only if **both**
//! - the interrupted `rip` lies in the code of a live guarded module (a process-wide list of
//!   code ranges, read without locks: see [`Ranges`]), and
//! - the faulting address lies in `[r14, r14 + GUARD_SPAN)`, where `r14` is memory 0's base in
//!   guarded code (reloaded from the instance after every call and helper).
//!
//! It then rewrites the saved `rip` to the out-of-bounds trap stub (`stubs.rs`), which records
//! the trap with the backtrace read from `rbp` (still the faulting function's frame) and unwinds
//! to the entry trampoline, exactly like the explicit check's stub. Any other fault goes to the
//! handler that was installed before ours (Rust's stack-overflow handler, a sanitizer's, ...),
//! or, if that was the default action, restores it and returns so the fault repeats and kills
//! the process as it would have without us.
//!
//! The handler is installed once per process, before the first guarded module is compiled;
//! threads that run wasm get a signal stack (`sigaltstack`) if they have none.

use core::ffi::c_int;
use core::ffi::c_void;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering::SeqCst};
use std::sync::{Mutex, OnceLock};

use crate::compile::MAX_ELIDED_END;

/// The bytes from memory 0's base an elided access can touch: `u32::MAX + MAX_ELIDED_END`.
/// A memory backs guarded code only if its reservation and guard map at least this much
/// ([`guard_suffices`](crate::compile::guard_suffices)).
const GUARD_SPAN: usize = (u32::MAX as u64 + MAX_ELIDED_END) as usize;

/// The out-of-bounds trap stub's address (0 until the stubs are assembled).
static OOB_STUB: AtomicUsize = AtomicUsize::new(0);

/// Records the address of the stub faults are redirected to (called once by `stubs.rs`).
pub(crate) fn set_oob_stub(addr: usize) {
    OOB_STUB.store(addr, SeqCst);
}

/// The code ranges (`start..end`) of live guarded modules, replaced as a whole on every change
/// (read-copy-update): readers (the signal handler) announce themselves in [`READERS`], load the
/// pointer and read the list; the writer swaps in a new list and frees the old one only once no
/// reader is inside. The handler never blocks, and never allocates.
type Ranges = Vec<(usize, usize)>;

static RANGES: AtomicPtr<Ranges> = AtomicPtr::new(core::ptr::null_mut());
static READERS: AtomicUsize = AtomicUsize::new(0);
/// Serialises writers (never taken by the handler).
static WRITER: Mutex<()> = Mutex::new(());

/// Replaces the range list with `f(old)`, freeing the old list once no handler reads it.
fn update_ranges(f: impl FnOnce(&mut Ranges)) {
    let _w = WRITER.lock().unwrap_or_else(|e| e.into_inner());
    let old = RANGES.load(SeqCst);
    // SAFETY: only writers replace or free the list, and we hold the writer lock, so `old` is
    // either null or the live list, which nothing frees meanwhile.
    let mut new = if old.is_null() {
        Vec::new()
    } else {
        unsafe { (*old).clone() }
    };
    f(&mut new);
    RANGES.store(Box::into_raw(Box::new(new)), SeqCst);
    // A reader that announced itself after this point loads the new list (both are SeqCst), so
    // once the count is 0 no reader can still hold `old`.
    while READERS.load(SeqCst) != 0 {
        std::thread::yield_now();
    }
    if !old.is_null() {
        // SAFETY: `old` came from `Box::into_raw` above (an earlier update), is no longer
        // reachable from `RANGES`, and no reader holds it (see the wait above).
        drop(unsafe { Box::from_raw(old) });
    }
}

/// Whether `pc` lies in the code of a live guarded module. Async-signal-safe: atomics and
/// reads only.
fn in_guarded_code(pc: usize) -> bool {
    READERS.fetch_add(1, SeqCst);
    let list = RANGES.load(SeqCst);
    // SAFETY: a list reachable from `RANGES` after we announced ourselves in `READERS` is not
    // freed before we leave (see `update_ranges`).
    let hit = !list.is_null() && unsafe { (*list).iter().any(|&(s, e)| (s..e).contains(&pc)) };
    READERS.fetch_sub(1, SeqCst);
    hit
}

/// A guarded module's code range in the handler's list, removed on drop (before the code is
/// unmapped: declare it before the code buffer).
#[derive(Debug)]
pub(crate) struct Registration {
    range: (usize, usize),
}

impl Registration {
    /// Adds the code at `start..start + len` to the ranges the handler claims faults in.
    pub(crate) fn new(start: usize, len: usize) -> Registration {
        let range = (start, start + len);
        update_ranges(|r| r.push(range));
        Registration { range }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let range = self.range;
        update_ranges(|r| {
            if let Some(i) = r.iter().position(|&x| x == range) {
                r.swap_remove(i);
            }
        });
    }
}

/// The actions for SIGSEGV and SIGBUS before ours, in that order.
struct Previous([libc::sigaction; 2]);

// SAFETY: `sigaction` is plain data (a handler address, a signal mask, flags); it is written
// once before the handler is installed and only read afterwards.
unsafe impl Sync for Previous {}
// SAFETY: see `Sync`.
unsafe impl Send for Previous {}

static PREVIOUS: OnceLock<Previous> = OnceLock::new();

/// Installs the handler for SIGSEGV and SIGBUS (once per process); `false` if that failed, in
/// which case guarded code must not be used.
pub(crate) fn install() -> bool {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    *INSTALLED.get_or_init(|| {
        // SAFETY: zeroed `sigaction`s are valid (null handler, empty mask); `sigaction` with a
        // null new action only reads the current one into our buffer.
        let previous = unsafe {
            let mut prev: [libc::sigaction; 2] = core::mem::zeroed();
            for (p, sig) in prev.iter_mut().zip([libc::SIGSEGV, libc::SIGBUS]) {
                if libc::sigaction(sig, core::ptr::null(), p) != 0 {
                    return false;
                }
            }
            prev
        };
        if PREVIOUS.set(Previous(previous)).is_err() {
            return false;
        }
        // SAFETY: `on_fault` has the `SA_SIGINFO` signature and is async-signal-safe (it reads
        // the ucontext and atomics, and chains); `sigemptyset` initialises the mask in place.
        unsafe {
            let mut action: libc::sigaction = core::mem::zeroed();
            action.sa_sigaction = on_fault as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            for sig in [libc::SIGSEGV, libc::SIGBUS] {
                if libc::sigaction(sig, &action, core::ptr::null_mut()) != 0 {
                    return false;
                }
            }
        }
        true
    })
}

/// The handler: claims the fault (and resumes at the trap stub) or passes it on.
unsafe extern "C" fn on_fault(sig: c_int, info: *mut libc::siginfo_t, ctx: *mut c_void) {
    // SAFETY: the kernel passes a valid `siginfo_t` and `ucontext_t` to an `SA_SIGINFO` handler,
    // both ours to read and (the context) to modify until we return.
    if unsafe { claim(info, ctx.cast::<libc::ucontext_t>()) } {
        return;
    }
    // SAFETY: as above; the arguments are passed on unchanged.
    unsafe { chain(sig, info, ctx) }
}

/// Redirects the interrupted thread to the trap stub if the fault is an out-of-bounds access of
/// guarded code (see the module doc).
///
/// # Safety
/// `info` and `uc` must be the signal's own arguments.
unsafe fn claim(info: *mut libc::siginfo_t, uc: *mut libc::ucontext_t) -> bool {
    let stub = OOB_STUB.load(SeqCst);
    // SAFETY: `info` is valid per the caller (checked for null first).
    if stub == 0 || info.is_null() || uc.is_null() || unsafe { (*info).si_code } <= 0 {
        // Not a fault the kernel raised for an access (`kill`, `raise`, ...): not ours.
        return false;
    }
    // SAFETY: valid per the caller; SIGSEGV and SIGBUS fill in `si_addr`.
    let addr = unsafe { (*info).si_addr() } as usize;
    // SAFETY: valid per the caller; nothing else accesses the context while we run.
    let gregs = unsafe { &mut (*uc).uc_mcontext.gregs };
    let pc = gregs[libc::REG_RIP as usize] as usize;
    let base = gregs[libc::REG_R14 as usize] as usize;
    let in_guard = addr.checked_sub(base).is_some_and(|d| d < GUARD_SPAN);
    if !in_guard || !in_guarded_code(pc) {
        return false;
    }
    gregs[libc::REG_RIP as usize] = stub as i64;
    true
}

/// Passes a fault that is not ours to the action that was installed before ours.
///
/// # Safety
/// The arguments must be the signal's own.
unsafe fn chain(sig: c_int, info: *mut libc::siginfo_t, ctx: *mut c_void) {
    let Some(Previous(prev)) = PREVIOUS.get() else {
        return;
    };
    let prev = if sig == libc::SIGBUS {
        &prev[1]
    } else {
        &prev[0]
    };
    let handler = prev.sa_sigaction;
    if handler == libc::SIG_DFL || handler == libc::SIG_IGN {
        // Put the old action back and return: the faulting instruction runs again and the
        // fault takes the default action (the process dies as it would have without us).
        // A signal sent by `kill` would not repeat: send it again, to be delivered (with the
        // old action) once the handler returns.
        // SAFETY: `prev` is a valid action read by `sigaction` itself; `info` is the signal's.
        unsafe {
            libc::sigaction(sig, prev, core::ptr::null_mut());
            if info.is_null() || (*info).si_code <= 0 {
                libc::raise(sig);
            }
        }
    } else if prev.sa_flags & libc::SA_SIGINFO != 0 {
        // SAFETY: an `SA_SIGINFO` action's handler has this signature.
        let f = unsafe {
            core::mem::transmute::<usize, extern "C" fn(c_int, *mut libc::siginfo_t, *mut c_void)>(
                handler,
            )
        };
        f(sig, info, ctx);
    } else {
        // SAFETY: an action without `SA_SIGINFO` has a one-argument handler.
        let f = unsafe { core::mem::transmute::<usize, extern "C" fn(c_int)>(handler) };
        f(sig);
    }
}

/// This thread's signal stack, if we had to provide one.
struct AltStack {
    /// The mapping (a guard page, then the stack), or null if the thread had a stack already.
    map: *mut c_void,
    len: usize,
}

impl AltStack {
    fn new() -> AltStack {
        let none = AltStack {
            map: core::ptr::null_mut(),
            len: 0,
        };
        // SAFETY: `sigaltstack` with a null new stack only reads the current one.
        let mut old: libc::stack_t = unsafe { core::mem::zeroed() };
        // SAFETY: as above; `old` is a valid out-parameter.
        if unsafe { libc::sigaltstack(core::ptr::null(), &mut old) } != 0
            || old.ss_flags & libc::SS_DISABLE == 0
        {
            return none;
        }
        let page = 4096;
        let size = (libc::SIGSTKSZ).max(64 << 10);
        let len = size + page;
        // SAFETY: a fresh private anonymous mapping cannot alias anything.
        let map = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANON,
                -1,
                0,
            )
        };
        if map == libc::MAP_FAILED {
            return none;
        }
        // SAFETY: the first page of our own mapping becomes the stack's guard page.
        unsafe { libc::mprotect(map, page, libc::PROT_NONE) };
        let stack = libc::stack_t {
            // SAFETY: `page < len`, inside the mapping.
            ss_sp: unsafe { map.cast::<u8>().add(page) }.cast(),
            ss_flags: 0,
            ss_size: size,
        };
        // SAFETY: `stack` describes memory we own for as long as this `AltStack` (a thread
        // local, disabled in `drop` before the unmap).
        if unsafe { libc::sigaltstack(&stack, core::ptr::null_mut()) } != 0 {
            // SAFETY: our own mapping, not installed.
            unsafe { libc::munmap(map, len) };
            return none;
        }
        AltStack { map, len }
    }
}

impl Drop for AltStack {
    fn drop(&mut self) {
        if self.map.is_null() {
            return;
        }
        let disable = libc::stack_t {
            ss_sp: core::ptr::null_mut(),
            ss_flags: libc::SS_DISABLE,
            ss_size: 0,
        };
        // SAFETY: disabling the thread's signal stack (ours) before unmapping it; the thread is
        // exiting and not running a handler.
        unsafe {
            libc::sigaltstack(&disable, core::ptr::null_mut());
            libc::munmap(self.map, self.len);
        }
    }
}

thread_local! {
    static ALT_STACK: AltStack = AltStack::new();
}

/// Gives the calling thread a signal stack if it has none (cheap after the first call on a
/// thread), so the handler can run even when the fault is a stack overflow.
pub(crate) fn ensure_alt_stack() {
    ALT_STACK.with(|_| ());
}
