//! [`Linker`]: names host functions and other instances' exports, and instantiates modules
//! against them.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use strata_decoder::{FuncType, ImportType};
use strata_vm::{ExternVal, InstantiationError};

use crate::engine::Engine;
use crate::error::Error;
use crate::func::{invoke_raw, Caller, Func, HostFunc, IntoFunc};
use crate::instance::{Extern, Instance};
use crate::module::Module;
use crate::store::{AsContext, AsContextMut, StoreContextMut};

/// What a name is bound to.
enum Definition<T> {
    /// Something that lives in a store already.
    Extern(Extern),
    /// A host function not yet allocated in any store (allocated once per store on first use).
    Host(FuncType, HostFunc<T>),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(*e),
            Definition::Host(ty, f) => Definition::Host(ty.clone(), f.clone()),
        }
    }
}

/// Binds `(module, name)` pairs to host functions and to exports of other instances, then
/// instantiates modules whose imports they satisfy.
///
/// A host function called from wasm, and a wasm function called from Rust with a
/// [`TypedFunc`](crate::TypedFunc):
///
/// ```
/// use strata_runtime::{Caller, Engine, Linker, Module, Store};
///
/// // (module
/// //   (import "env" "log" (func $log (param i32)))
/// //   (func (export "run") (param i32) (result i32)
/// //     (call $log (local.get 0))
/// //     (i32.mul (local.get 0) (i32.const 2))))
/// let wasm = [
///     0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
///     0x01, 0x0a, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f, // types
///     0x02, 0x0b, 0x01, 0x03, b'e', b'n', b'v', 0x03, b'l', b'o', b'g', 0x00, 0x00, // import
///     0x03, 0x02, 0x01, 0x01, // functions
///     0x07, 0x07, 0x01, 0x03, b'r', b'u', b'n', 0x00, 0x01, // export
///     0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x10, 0x00, 0x20, 0x00, 0x41, 0x02, 0x6c,
///     0x0b, // code
/// ];
/// let engine = Engine::default();
/// let module = Module::new(&engine, &wasm)?;
/// let mut store = Store::new(&engine, Vec::<i32>::new());
/// let mut linker = Linker::new(&engine);
/// linker.func_wrap("env", "log", |mut caller: Caller<'_, Vec<i32>>, x: i32| {
///     caller.data_mut().push(x);
/// })?;
/// let instance = linker.instantiate(&mut store, &module)?;
/// let run = instance.get_typed_func::<i32, i32>(&store, "run")?;
/// assert_eq!(run.call(&mut store, 21)?, 42);
/// assert_eq!(store.data(), &[21]);
/// # Ok::<(), strata_runtime::Error>(())
/// ```
pub struct Linker<T> {
    defs: BTreeMap<(String, String), Definition<T>>,
    allow_shadowing: bool,
}

impl<T> Clone for Linker<T> {
    fn clone(&self) -> Self {
        Linker {
            defs: self.defs.clone(),
            allow_shadowing: self.allow_shadowing,
        }
    }
}

impl<T: 'static> Linker<T> {
    /// An empty linker.
    pub fn new(_engine: &Engine) -> Self {
        Linker {
            defs: BTreeMap::new(),
            allow_shadowing: false,
        }
    }

    /// Whether a later definition of the same name replaces an earlier one (default: it is an
    /// error).
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition<T>) -> Result<&mut Self, Error> {
        let key = (String::from(module), String::from(name));
        if !self.allow_shadowing && self.defs.contains_key(&key) {
            return Err(Error::Link(format!(
                "`{module}::{name}` is already defined"
            )));
        }
        self.defs.insert(key, def);
        Ok(self)
    }

    /// Defines `module::name` as a host function from a typed closure (see
    /// [`Func::wrap`]); the closure may take a [`Caller`] first.
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self, Error> {
        let (ty, host) = f.into_func();
        self.insert(module, name, Definition::Host(ty, host))
    }

    /// Defines `module::name` as a host function of type `ty` on dynamic values (see
    /// [`Func::new`]).
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[strata_vm::Val], &mut [strata_vm::Val]) -> Result<(), Error>
            + Send
            + Sync
            + 'static,
    ) -> Result<&mut Self, Error> {
        let host = crate::func::dynamic_host(ty.clone(), f);
        self.insert(module, name, Definition::Host(ty, host))
    }

    /// Defines `module::name` as `item` (which lives in one store).
    pub fn define(
        &mut self,
        _store: impl AsContext<Data = T>,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self, Error> {
        self.insert(module, name, Definition::Extern(item.into()))
    }

    /// Defines every export of `instance` under the module name `module` (the spec suite's
    /// `register`).
    pub fn instance(
        &mut self,
        store: impl AsContext<Data = T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self, Error> {
        for (name, ext) in instance.exports(&store) {
            self.insert(module, &name, Definition::Extern(ext))?;
        }
        Ok(self)
    }

    /// Defines each function import of `module` that is not defined yet as a host function
    /// that fails when called, with an error naming the import: a module that imports more
    /// than the embedder provides (a toolchain's optional hooks, say) can still run as long
    /// as it never calls them. Other kinds of imports are left alone.
    pub fn define_unknown_imports_as_traps(&mut self, module: &Module) -> Result<&mut Self, Error> {
        for import in module.info.imports.iter() {
            let ImportType::Func(type_index) = import.ty else {
                continue;
            };
            let key = (String::from(&*import.module), String::from(&*import.name));
            if self.defs.contains_key(&key) {
                continue;
            }
            let ty = module.info.types[type_index as usize]
                .clone()
                .ok_or_else(|| {
                    Error::Link(format!(
                        "import `{}::{}` has no function type",
                        key.0, key.1
                    ))
                })?;
            let message = format!(
                "unknown import: `{}::{}` was called, but it is not defined",
                key.0, key.1
            );
            let host = crate::func::dynamic_host(ty.clone(), move |_, _, _| {
                Err(Error::host(message.clone()))
            });
            self.defs.insert(key, Definition::Host(ty, host));
        }
        Ok(self)
    }

    /// The definition of `module::name`, allocating a host function in `store` if needed.
    pub fn get(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        name: &str,
    ) -> Option<Extern> {
        let def = self.defs.get(&(String::from(module), String::from(name)))?;
        Some(resolve(store.as_context_mut(), def))
    }

    /// Instantiates `module` in `store`, resolving its imports here, and runs its start
    /// function.
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance, Error> {
        let mut cx = store.as_context_mut();
        let mut imports = Vec::with_capacity(module.info.imports.len());
        for import in module.info.imports.iter() {
            let key = (String::from(&*import.module), String::from(&*import.name));
            let Some(def) = self.defs.get(&key) else {
                return Err(Error::Link(format!(
                    "unknown import: `{}::{}` has not been defined",
                    import.module, import.name
                )));
            };
            let ext = resolve(cx.reborrow(), def);
            let (val, id): (ExternVal, _) = ext.to_vm();
            id.check(cx.id);
            imports.push(val);
        }
        instantiate_with(cx, module, &imports)
    }
}

fn resolve<T>(mut cx: StoreContextMut<'_, T>, def: &Definition<T>) -> Extern {
    match def {
        Definition::Extern(e) => *e,
        Definition::Host(ty, f) => {
            // The store keeps the closure alive, so its address identifies it while the store
            // lives.
            let key = Arc::as_ptr(f) as *const () as usize;
            if let Some(&addr) = cx.hosts.allocated.get(&key) {
                return Extern::Func(Func::from_addr(addr, cx.id));
            }
            let func = Func::alloc_host(cx.reborrow(), ty, f.clone());
            cx.hosts.allocated.insert(key, func.addr);
            Extern::Func(func)
        }
    }
}

/// Instantiates `module` with resolved `imports` and runs its start function.
pub(crate) fn instantiate_with<T>(
    mut cx: StoreContextMut<'_, T>,
    module: &Module,
    imports: &[ExternVal],
) -> Result<Instance, Error> {
    let limiter = cx.hosts.limiter(cx.data);
    let done = strata_vm::instantiate_limited(cx.inner, &module.info, imports, Some(limiter))
        .map_err(|e| match e {
            InstantiationError::Link(m) => Error::Link(m),
            InstantiationError::Resource(m) => Error::Resource(m),
            InstantiationError::Trap(t) => Error::Trap(t),
        })?;
    if let Some(start) = done.start {
        invoke_raw(cx.reborrow(), start, &mut [])?;
    }
    Ok(Instance {
        addr: done.instance,
        store: cx.id,
    })
}
