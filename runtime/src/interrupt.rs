//! Interruption: [`InterruptHandle`] (any thread stops a store's running guest) and, with the
//! `std` feature, store deadlines served by one process-wide timer thread.
//!
//! ## Design
//!
//! Interruptible code (see [`Config::interruptible`](crate::Config::interruptible)) checks the
//! store's [`InterruptFlag`] at every function entry and loop header: one relaxed atomic load
//! and a never-taken branch. Both ways of stopping a guest only *set* that flag:
//!
//! - [`InterruptHandle::interrupt`] sets it directly, from any thread;
//! - a deadline ([`Store::set_deadline`](crate::Store::set_deadline)) is registered with a single
//!   lazily started timer thread (`strata-deadline`), which sets the flag when the deadline
//!   passes. Running code never reads a clock, so a deadline costs the guest nothing more than
//!   an interrupt handle does, and the latency is the timer's wake-up (tens of microseconds on
//!   Linux) plus the time to the next loop header or call.
//!
//! A request is consumed by the trap it causes (the store can run again afterwards); a request
//! made while no guest runs stops the next one at its first check. Replacing or clearing a
//! deadline disarms the old one.

use alloc::sync::Arc;

use strata_vm::InterruptFlag;

/// Stops a store's WebAssembly from another thread: the guest traps with `interrupted` at its
/// next function entry or loop header. `Send + Sync + Clone`; get one with
/// [`Store::interrupt_handle`](crate::Store::interrupt_handle).
///
/// ```
/// # fn wat(s: &str) -> Vec<u8> { let b = wast::parser::ParseBuffer::new(s).unwrap(); let mut m: wast::Wat = wast::parser::parse(&b).unwrap(); m.encode().unwrap() }
/// use strata_runtime::{Config, Engine, Linker, Module, Store, TrapCode};
/// let engine = Engine::new(Config::new().interruptible(true));
/// let module = Module::new(&engine, &wat(r#"(module (func (export "spin") (loop (br 0))))"#))?;
/// let mut store = Store::new(&engine, ());
/// let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
/// let spin = instance.get_typed_func::<(), ()>(&store, "spin")?;
/// let handle = store.interrupt_handle()?;
/// std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_millis(10));
///     handle.interrupt();
/// });
/// assert_eq!(spin.call(&mut store, ()).unwrap_err().trap_code(), Some(TrapCode::Interrupted));
/// # Ok::<(), strata_runtime::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct InterruptHandle {
    pub(crate) flag: Arc<InterruptFlag>,
}

impl InterruptHandle {
    /// Interrupts the store's running WebAssembly (or the next to run).
    pub fn interrupt(&self) {
        self.flag.request();
    }
}

#[cfg(feature = "std")]
pub(crate) mod deadline {
    //! The process-wide deadline timer.

    use alloc::collections::BinaryHeap;
    use alloc::sync::{Arc, Weak};
    use core::cmp::{Ordering, Reverse};
    use std::sync::{Condvar, Mutex, OnceLock};
    use std::time::Instant;

    use strata_vm::InterruptFlag;

    /// A store's armed deadline: dropping it disarms the timer's entry.
    pub(crate) type Token = Arc<()>;

    struct Entry {
        at: Instant,
        flag: Weak<InterruptFlag>,
        token: Weak<()>,
    }

    impl PartialEq for Entry {
        fn eq(&self, other: &Self) -> bool {
            self.at == other.at
        }
    }
    impl Eq for Entry {}
    impl PartialOrd for Entry {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Entry {
        fn cmp(&self, other: &Self) -> Ordering {
            self.at.cmp(&other.at)
        }
    }

    struct Timer {
        queue: Mutex<BinaryHeap<Reverse<Entry>>>,
        wake: Condvar,
    }

    fn timer() -> &'static Timer {
        static TIMER: OnceLock<&'static Timer> = OnceLock::new();
        TIMER.get_or_init(|| {
            let timer: &'static Timer = alloc::boxed::Box::leak(alloc::boxed::Box::new(Timer {
                queue: Mutex::new(BinaryHeap::new()),
                wake: Condvar::new(),
            }));
            std::thread::Builder::new()
                .name("strata-deadline".into())
                .spawn(move || run(timer))
                .expect("spawn the strata-deadline timer thread");
            timer
        })
    }

    fn run(timer: &'static Timer) {
        let mut queue = timer.queue.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let now = Instant::now();
            match queue.peek() {
                None => queue = timer.wake.wait(queue).unwrap_or_else(|e| e.into_inner()),
                Some(Reverse(e)) if e.at <= now => {
                    let Reverse(e) = queue.pop().expect("peeked");
                    if e.token.strong_count() > 0 {
                        if let Some(flag) = e.flag.upgrade() {
                            flag.request();
                        }
                    }
                }
                Some(Reverse(e)) => {
                    let wait = e.at - now;
                    queue = timer
                        .wake
                        .wait_timeout(queue, wait)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            }
        }
    }

    /// Arms a deadline: at `at`, `flag` is requested unless the returned token was dropped.
    pub(crate) fn arm(flag: &Arc<InterruptFlag>, at: Instant) -> Token {
        let token = Arc::new(());
        let timer = timer();
        let mut queue = timer.queue.lock().unwrap_or_else(|e| e.into_inner());
        if queue.len() >= 1024 {
            // Disarmed entries wait for their time; drop them before they pile up.
            queue.retain(|Reverse(e)| e.token.strong_count() > 0);
        }
        let earliest = queue.peek().is_none_or(|Reverse(e)| at < e.at);
        queue.push(Reverse(Entry {
            at,
            flag: Arc::downgrade(flag),
            token: Arc::downgrade(&token),
        }));
        drop(queue);
        if earliest {
            timer.wake.notify_one();
        }
        token
    }
}
