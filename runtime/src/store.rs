//! [`Store`]: owns instances and the embedder's data; the context traits through which handles
//! reach it.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicUsize, Ordering};

use strata_vm::{FuncAddr, StoreInner};

use crate::engine::Engine;
use crate::func::HostFunc;

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
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) data: T,
    pub(crate) hosts: Hosts<T>,
    pub(crate) id: StoreId,
    engine: Engine,
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
}

impl<T> Store<T> {
    /// An empty store for `engine`, holding `data`.
    pub fn new(engine: &Engine, data: T) -> Self {
        Store {
            inner: StoreInner::new(engine.config().store_config()),
            data,
            hosts: Hosts {
                funcs: Vec::new(),
                allocated: BTreeMap::new(),
                externs: Vec::new(),
            },
            id: StoreId::fresh(),
            engine: engine.clone(),
        }
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
