//! [`InstancePool`]: instances of one module built ahead of time and handed out one per call,
//! to any thread, each fresh.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use std::sync::{Condvar, Mutex};

use crate::error::Error;
use crate::func::{TypedFunc, WasmParams, WasmResults};
use crate::instance::Instance;
use crate::linker::Linker;
use crate::module::Module;
use crate::store::Store;

/// One ready instance in its own store.
struct Ready<T> {
    store: Store<T>,
    instance: Instance,
}

struct Shared<T> {
    module: Module,
    linker: Linker<T>,
    make_data: Box<dyn Fn() -> T + Send + Sync>,
    idle: Mutex<Vec<Ready<T>>>,
    returned: Condvar,
}

impl<T: Send + 'static> Shared<T> {
    fn build(&self) -> Result<Ready<T>, Error> {
        let mut store = Store::new(self.module.engine(), (self.make_data)());
        let instance = self.linker.instantiate(&mut store, &self.module)?;
        Ok(Ready { store, instance })
    }
}

/// Instances of one module, linked by one [`Linker`], built ahead of time and handed out one
/// per call ([`get`](Self::get)) to any thread. Each [`PooledInstance`] is used by one caller
/// at a time and is fresh: no state (memory, globals, tables, store data) survives from one
/// use to the next, so concurrent requests share nothing.
///
/// Freshness comes from re-instantiation: when a [`PooledInstance`] is dropped, its store is
/// dropped and a new store with a new instance (and new data from the factory) takes its
/// place, on the dropping thread, before the next caller can get it. `Clone` shares the pool.
///
/// ```
/// # fn wat(s: &str) -> Vec<u8> { let b = wast::parser::ParseBuffer::new(s).unwrap(); let mut m: wast::Wat = wast::parser::parse(&b).unwrap(); m.encode().unwrap() }
/// use strata_runtime::{Engine, InstancePool, Linker, Module};
/// let engine = Engine::default();
/// let module = Module::new(&engine, &wat(r#"(module
///     (global $calls (mut i32) (i32.const 0))
///     (func (export "hit") (result i32)
///       (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
///       (global.get $calls)))"#))?;
/// let pool = InstancePool::new(&module, &Linker::new(&engine), || (), 2)?;
/// let threads: Vec<_> = (0..4).map(|_| {
///     let pool = pool.clone();
///     std::thread::spawn(move || {
///         let mut instance = pool.get();
///         let hit = instance.get_typed_func::<(), i32>("hit").unwrap();
///         hit.call(instance.store(), ()).unwrap()
///     })
/// }).collect();
/// for t in threads {
///     assert_eq!(t.join().unwrap(), 1); // every caller sees a fresh instance
/// }
/// # Ok::<(), strata_runtime::Error>(())
/// ```
pub struct InstancePool<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Clone for InstancePool<T> {
    fn clone(&self) -> Self {
        InstancePool {
            shared: self.shared.clone(),
        }
    }
}

impl<T: Send + 'static> InstancePool<T> {
    /// A pool of `size` instances of `module`, each in its own store whose data comes from
    /// `make_data`, linked with `linker`. Fails if one of them cannot be instantiated.
    pub fn new(
        module: &Module,
        linker: &Linker<T>,
        make_data: impl Fn() -> T + Send + Sync + 'static,
        size: usize,
    ) -> Result<Self, Error> {
        let shared = Shared {
            module: module.clone(),
            linker: linker.clone(),
            make_data: Box::new(make_data),
            idle: Mutex::new(Vec::with_capacity(size)),
            returned: Condvar::new(),
        };
        let ready = (0..size)
            .map(|_| shared.build())
            .collect::<Result<Vec<_>, _>>()?;
        *shared.idle.lock().unwrap_or_else(|e| e.into_inner()) = ready;
        Ok(InstancePool {
            shared: Arc::new(shared),
        })
    }

    /// A fresh instance, waiting until one is free.
    pub fn get(&self) -> PooledInstance<T> {
        let mut idle = self.shared.idle.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(ready) = idle.pop() {
                return PooledInstance {
                    ready: Some(ready),
                    shared: self.shared.clone(),
                };
            }
            idle = self
                .shared
                .returned
                .wait(idle)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    /// A fresh instance if one is free now.
    pub fn try_get(&self) -> Option<PooledInstance<T>> {
        let ready = self
            .shared
            .idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()?;
        Some(PooledInstance {
            ready: Some(ready),
            shared: self.shared.clone(),
        })
    }

    /// How many instances are free now.
    pub fn idle(&self) -> usize {
        self.shared
            .idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }
}

/// An instance borrowed from an [`InstancePool`], with its own store. `Send`: it may move to
/// another thread. Dropping it gives a fresh instance back to the pool.
pub struct PooledInstance<T: Send + 'static> {
    ready: Option<Ready<T>>,
    shared: Arc<Shared<T>>,
}

impl<T: Send + 'static> PooledInstance<T> {
    fn ready(&self) -> &Ready<T> {
        self.ready.as_ref().expect("present until dropped")
    }

    /// The instance.
    pub fn instance(&self) -> Instance {
        self.ready().instance
    }

    /// Its store (set fuel or a deadline here, call functions with it).
    pub fn store(&mut self) -> &mut Store<T> {
        &mut self.ready.as_mut().expect("present until dropped").store
    }

    /// The exported function `name` with a static signature.
    pub fn get_typed_func<Params: WasmParams, Results: WasmResults>(
        &self,
        name: &str,
    ) -> Result<TypedFunc<Params, Results>, Error> {
        let ready = self.ready();
        ready.instance.get_typed_func(&ready.store, name)
    }
}

impl<T: Send + 'static> Drop for PooledInstance<T> {
    fn drop(&mut self) {
        drop(self.ready.take());
        // Re-instantiating succeeded when the pool was built; should it fail now (a host
        // resource gone), the pool shrinks instead of handing out a used instance.
        if let Ok(fresh) = self.shared.build() {
            self.shared
                .idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(fresh);
            self.shared.returned.notify_one();
        }
    }
}
