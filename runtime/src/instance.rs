//! [`Instance`] and the [`Extern`] values it exports.

use alloc::boxed::Box;
use alloc::format;
use alloc::vec::Vec;

use strata_vm::{ExternVal, InstanceAddr};

use crate::error::Error;
use crate::externals::{Global, Memory, Table, Tag};
use crate::func::{Func, TypedFunc, WasmParams, WasmResults};
use crate::module::Module;
use crate::store::{AsContext, AsContextMut, StoreId};

/// Something an instance exports or a module imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A table.
    Table(Table),
    /// A linear memory.
    Memory(Memory),
    /// A global.
    Global(Global),
    /// An exception tag.
    Tag(Tag),
}

impl Extern {
    pub(crate) fn from_vm(val: ExternVal, store: StoreId) -> Self {
        match val {
            ExternVal::Func(addr) => Extern::Func(Func::from_addr(addr, store)),
            ExternVal::Table(addr) => Extern::Table(Table { addr, store }),
            ExternVal::Memory(addr) => Extern::Memory(Memory { addr, store }),
            ExternVal::Global(addr) => Extern::Global(Global { addr, store }),
            ExternVal::Tag(addr) => Extern::Tag(Tag { addr, store }),
        }
    }

    pub(crate) fn to_vm(self) -> (ExternVal, StoreId) {
        match self {
            Extern::Func(f) => (ExternVal::Func(f.addr), f.store),
            Extern::Table(t) => (ExternVal::Table(t.addr), t.store),
            Extern::Memory(m) => (ExternVal::Memory(m.addr), m.store),
            Extern::Global(g) => (ExternVal::Global(g.addr), g.store),
            Extern::Tag(t) => (ExternVal::Tag(t.addr), t.store),
        }
    }

    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        match self {
            Extern::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        match self {
            Extern::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        match self {
            Extern::Memory(m) => Some(m),
            _ => None,
        }
    }

    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        match self {
            Extern::Global(g) => Some(g),
            _ => None,
        }
    }

    /// The tag, if this is one.
    pub fn into_tag(self) -> Option<Tag> {
        match self {
            Extern::Tag(t) => Some(t),
            _ => None,
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Self {
        Extern::Func(f)
    }
}

impl From<Table> for Extern {
    fn from(t: Table) -> Self {
        Extern::Table(t)
    }
}

impl From<Memory> for Extern {
    fn from(m: Memory) -> Self {
        Extern::Memory(m)
    }
}

impl From<Global> for Extern {
    fn from(g: Global) -> Self {
        Extern::Global(g)
    }
}

impl From<Tag> for Extern {
    fn from(t: Tag) -> Self {
        Extern::Tag(t)
    }
}

/// An instantiated module: a handle into its [`Store`](crate::Store). Create one with
/// [`Linker::instantiate`](crate::Linker::instantiate).
///
/// ```
/// # fn wat(s: &str) -> Vec<u8> { let b = wast::parser::ParseBuffer::new(s).unwrap(); let mut m: wast::Wat = wast::parser::parse(&b).unwrap(); m.encode().unwrap() }
/// use strata_runtime::{Engine, Linker, Module, Store, Val};
/// let engine = Engine::default();
/// let module = Module::new(&engine, &wat(r#"(module
///     (memory (export "mem") 1)
///     (global (export "answer") i32 (i32.const 42))
///     (func (export "add") (param i32 i32) (result i32)
///       (i32.add (local.get 0) (local.get 1))))"#))?;
/// let mut store = Store::new(&engine, ());
/// let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
/// let names: Vec<String> = instance.exports(&store).iter().map(|(n, _)| n.to_string()).collect();
/// assert_eq!(names, ["mem", "answer", "add"]);
/// assert_eq!(instance.get_global(&store, "answer").unwrap().get(&store), Val::I32(42));
/// assert_eq!(instance.get_memory(&store, "mem").unwrap().size(&store), 1);
/// let add = instance.get_func(&store, "add").unwrap();
/// let mut out = [Val::I32(0)];
/// add.call(&mut store, &[Val::I32(1), Val::I32(2)], &mut out)?;
/// assert_eq!(out[0], Val::I32(3));
/// # Ok::<(), strata_runtime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance {
    pub(crate) addr: InstanceAddr,
    pub(crate) store: StoreId,
}

impl Instance {
    /// Instantiates `module` in `store` with `imports` in the order of the module's imports
    /// (no [`Linker`](crate::Linker) needed), and runs its start function.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance, Error> {
        let cx = store.as_context_mut();
        let wanted = module.info.imports.len();
        if imports.len() != wanted {
            return Err(Error::Link(format!(
                "the module has {wanted} imports but {} were given",
                imports.len()
            )));
        }
        let vals: Vec<ExternVal> = imports
            .iter()
            .map(|e| {
                let (val, id) = e.to_vm();
                id.check(cx.id);
                val
            })
            .collect();
        crate::linker::instantiate_with(cx, module, &vals)
    }

    /// The export called `name`.
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        let cx = store.as_context();
        self.store.check(cx.id);
        let val = cx.inner.instance(self.addr).export(name)?;
        Some(Extern::from_vm(val, self.store))
    }

    /// Every export, in the module's order.
    pub fn exports(&self, store: impl AsContext) -> Vec<(Box<str>, Extern)> {
        let cx = store.as_context();
        self.store.check(cx.id);
        cx.inner
            .instance(self.addr)
            .exports
            .iter()
            .map(|(n, v)| (Box::from(&**n), Extern::from_vm(*v, self.store)))
            .collect()
    }

    /// The exported function `name`.
    pub fn get_func(&self, store: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported function `name` with a static signature (an error if it does not exist or
    /// has another type).
    pub fn get_typed_func<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
        name: &str,
    ) -> Result<TypedFunc<Params, Results>, Error> {
        let cx = store.as_context();
        let f = self
            .get_func(&cx, name)
            .ok_or_else(|| Error::usage(alloc::format!("no exported function `{name}`")))?;
        f.typed(&cx)
    }

    /// The exported memory `name`.
    pub fn get_memory(&self, store: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported table `name`.
    pub fn get_table(&self, store: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// The exported global `name`.
    pub fn get_global(&self, store: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }
}
