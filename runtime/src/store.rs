//! [`Store`]: owns instances and the embedder's data; the context traits through which handles
//! reach it.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicUsize, Ordering};

use strata_vm::{FuncAddr, ResourceLimiter, StoreInner};

use crate::engine::Engine;
use crate::error::Error;
use crate::func::HostFunc;
use crate::interrupt::InterruptHandle;
use crate::limits::StoreLimits;

/// The embedder's limiter as installed with [`Store::limiter`]: picks it out of the store data.
pub(crate) type LimiterFn<T> =
    Box<dyn (FnMut(&mut T) -> &mut dyn ResourceLimiter) + Send + Sync + 'static>;

/// A unique number per store, so handles from one store are never used with another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct StoreId(usize);

impl StoreId {
    fn fresh() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        StoreId(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// Panics if a handle of store `self` is used with store `other`.
    #[inline]
    pub(crate) fn check(self, other: StoreId) {
        assert!(
            self == other,
            "a handle of one store was used with another store"
        );
    }
}

/// Owns everything instances create (functions, memories, tables, globals) and the
/// embedder's data `T`, which host functions reach through their [`Caller`](crate::Caller).
///
/// ```
/// use strata_runtime::{Engine, Store};
/// let mut store = Store::new(&Engine::default(), 41);
/// *store.data_mut() += 1;
/// assert_eq!(*store.data(), 42);
/// ```
///
/// A `Store<T>` is `Send` when `T` is, so it can move to another thread between calls (an
/// [`InstancePool`](crate::InstancePool) relies on it).
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) data: T,
    pub(crate) hosts: Hosts<T>,
    pub(crate) id: StoreId,
    engine: Engine,
    /// The armed deadline (dropping it disarms the timer).
    #[cfg(feature = "std")]
    deadline: Option<crate::interrupt::deadline::Token>,
}

/// The host functions a store knows, by the index the interpreter passes back.
pub(crate) struct Hosts<T> {
    pub(crate) funcs: Vec<HostFunc<T>>,
    /// Linker definitions already allocated in this store, by the address of their closure
    /// (kept alive by `funcs`, so the address cannot be reused while the store lives).
    pub(crate) allocated: BTreeMap<usize, FuncAddr>,
    /// Host objects behind `externref`s made with [`ExternRef::new`](crate::ExternRef::new),
    /// by [`ExternAddr`](strata_vm::ExternAddr) index.
    pub(crate) externs: Vec<Box<dyn Any + Send + Sync>>,
    /// The embedder's limiter ([`Store::limiter`]), if installed.
    pub(crate) limiter: Option<LimiterFn<T>>,
    /// The limits applied when the embedder installed none.
    pub(crate) default_limits: StoreLimits,
    /// Whether the engine meters fuel (what [`Caller`](crate::Caller)'s fuel calls check).
    pub(crate) consume_fuel: bool,
    /// Where the native stack was when the outermost call into wasm began (`None` outside
    /// wasm): host functions that call back into wasm are stopped before they exhaust the
    /// thread's stack (see `func::MAX_REENTRY_STACK`).
    pub(crate) native_stack_base: Option<usize>,
}

impl<T> Hosts<T> {
    /// The limiter in force: the embedder's, or the default limits.
    pub(crate) fn limiter<'a>(&'a mut self, data: &'a mut T) -> &'a mut dyn ResourceLimiter {
        match &mut self.limiter {
            Some(f) => f(data),
            None => &mut self.default_limits,
        }
    }
}

impl<T> Store<T> {
    /// An empty store for `engine`, holding `data`.
    pub fn new(engine: &Engine, data: T) -> Self {
        Store {
            inner: engine.config().new_store_inner(),
            data,
            hosts: Hosts {
                funcs: Vec::new(),
                allocated: BTreeMap::new(),
                externs: Vec::new(),
                limiter: None,
                default_limits: StoreLimits::default(),
                consume_fuel: engine.config().get_consume_fuel(),
                native_stack_base: None,
            },
            id: StoreId::fresh(),
            engine: engine.clone(),
            #[cfg(feature = "std")]
            deadline: None,
        }
    }

    /// Installs a resource limiter: `limiter` picks it out of the store's data, and it is asked
    /// before every memory or table is created or grown and before every instantiation (see
    /// [`StoreLimits`]). Without one, the store applies `StoreLimits::default()`.
    pub fn limiter(
        &mut self,
        limiter: impl (FnMut(&mut T) -> &mut dyn ResourceLimiter) + Send + Sync + 'static,
    ) {
        self.hosts.limiter = Some(Box::new(limiter));
    }

    /// Sets the fuel left for WebAssembly to `fuel` (an error if the engine does not meter
    /// fuel: see [`Config::consume_fuel`](crate::Config::consume_fuel)). A new store has none.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), Error> {
        self.fuel_enabled()?;
        self.inner.fuel = fuel;
        Ok(())
    }

    /// The fuel left (an error if the engine does not meter fuel).
    pub fn get_fuel(&self) -> Result<u64, Error> {
        self.fuel_enabled()?;
        Ok(self.inner.fuel)
    }

    fn fuel_enabled(&self) -> Result<(), Error> {
        fuel_enabled(self.hosts.consume_fuel)
    }

    fn interruptible(&self) -> Result<(), Error> {
        if self.engine.config().get_interruptible() {
            Ok(())
        } else {
            Err(Error::usage(
                "interruption is not enabled: turn it on with `Config::interruptible(true)`",
            ))
        }
    }

    /// A handle that interrupts this store's WebAssembly from any thread (an error if the
    /// engine's code is not interruptible: see
    /// [`Config::interruptible`](crate::Config::interruptible)).
    pub fn interrupt_handle(&self) -> Result<InterruptHandle, Error> {
        self.interruptible()?;
        Ok(InterruptHandle {
            flag: self.inner.interrupt.clone(),
        })
    }

    /// Interrupts WebAssembly running in this store `timeout` from now (replacing any earlier
    /// deadline): it traps with `interrupted` at its next function entry or loop header. An
    /// error if the engine's code is not interruptible. The deadline is one-shot: it fires
    /// once, even if no guest runs at that time (the next one then stops at once).
    ///
    /// A process-wide timer thread sets the store's interrupt flag when the deadline passes;
    /// running code never reads the clock (see the `interrupt` module's design notes).
    #[cfg(feature = "std")]
    pub fn set_deadline(&mut self, timeout: std::time::Duration) -> Result<(), Error> {
        self.interruptible()?;
        let at = std::time::Instant::now()
            .checked_add(timeout)
            .ok_or_else(|| Error::usage("deadline too far in the future"))?;
        self.set_deadline_at(at)
    }

    /// [`set_deadline`](Self::set_deadline) at an instant.
    #[cfg(feature = "std")]
    pub fn set_deadline_at(&mut self, at: std::time::Instant) -> Result<(), Error> {
        self.interruptible()?;
        self.deadline = Some(crate::interrupt::deadline::arm(&self.inner.interrupt, at));
        Ok(())
    }

    /// Disarms the deadline, if any (an interruption it already requested stays pending).
    #[cfg(feature = "std")]
    pub fn clear_deadline(&mut self) {
        self.deadline = None;
    }

    /// The embedder's data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The embedder's data, writable.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// Consumes the store, returning the embedder's data.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The engine the store was created for.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}

impl<T: core::fmt::Debug> core::fmt::Debug for Store<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Store")
            .field("data", &self.data)
            .field("instances", &self.inner.instances.len())
            .finish_non_exhaustive()
    }
}

/// Shared access to a store: what read-only operations on handles take.
pub struct StoreContext<'a, T> {
    pub(crate) inner: &'a StoreInner,
    pub(crate) data: &'a T,
    pub(crate) hosts: &'a Hosts<T>,
    pub(crate) id: StoreId,
}

/// Exclusive access to a store: what calls and writes through handles take.
pub struct StoreContextMut<'a, T> {
    pub(crate) inner: &'a mut StoreInner,
    pub(crate) data: &'a mut T,
    pub(crate) hosts: &'a mut Hosts<T>,
    pub(crate) id: StoreId,
}

impl<T> StoreContext<'_, T> {
    /// The embedder's data.
    pub fn data(&self) -> &T {
        self.data
    }
}

impl<T> StoreContextMut<'_, T> {
    /// The embedder's data.
    pub fn data(&self) -> &T {
        self.data
    }

    /// The embedder's data, writable.
    pub fn data_mut(&mut self) -> &mut T {
        self.data
    }

    /// A shorter-lived exclusive context.
    pub(crate) fn reborrow(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut {
            inner: self.inner,
            data: self.data,
            hosts: self.hosts,
            id: self.id,
        }
    }
}

/// Anything that gives shared access to a store: [`Store`], [`Caller`](crate::Caller), the
/// contexts, and references to them.
pub trait AsContext {
    /// The store's data type.
    type Data;
    /// Shared access to the store.
    fn as_context(&self) -> StoreContext<'_, Self::Data>;
}

/// Anything that gives exclusive access to a store.
pub trait AsContextMut: AsContext {
    /// Exclusive access to the store.
    fn as_context_mut(&mut self) -> StoreContextMut<'_, Self::Data>;
}

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext {
            inner: &self.inner,
            data: &self.data,
            hosts: &self.hosts,
            id: self.id,
        }
    }
}

impl<T> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut {
            inner: &mut self.inner,
            data: &mut self.data,
            hosts: &mut self.hosts,
            id: self.id,
        }
    }
}

impl<T> AsContext for StoreContext<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext {
            inner: self.inner,
            data: self.data,
            hosts: self.hosts,
            id: self.id,
        }
    }
}

impl<T> AsContext for StoreContextMut<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext {
            inner: self.inner,
            data: self.data,
            hosts: self.hosts,
            id: self.id,
        }
    }
}

impl<T> AsContextMut for StoreContextMut<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        self.reborrow()
    }
}

impl<S: AsContext + ?Sized> AsContext for &S {
    type Data = S::Data;
    fn as_context(&self) -> StoreContext<'_, S::Data> {
        (**self).as_context()
    }
}

impl<S: AsContext + ?Sized> AsContext for &mut S {
    type Data = S::Data;
    fn as_context(&self) -> StoreContext<'_, S::Data> {
        (**self).as_context()
    }
}

impl<S: AsContextMut + ?Sized> AsContextMut for &mut S {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, S::Data> {
        (**self).as_context_mut()
    }
}

/// `Ok` when the engine meters fuel, else the usage error [`Store::get_fuel`] and
/// [`Caller::get_fuel`](crate::Caller::get_fuel) return.
pub(crate) fn fuel_enabled(consume_fuel: bool) -> Result<(), Error> {
    if consume_fuel {
        Ok(())
    } else {
        Err(Error::usage(
            "fuel is not enabled: turn it on with `Config::consume_fuel(true)`",
        ))
    }
}
