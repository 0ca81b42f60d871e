//! Handles to memories, tables, globals and tags: [`Memory`], [`Table`], [`Global`], [`Tag`].

use alloc::format;

use core::any::Any;
use strata_decoder::{FuncType, GlobalType, MemoryType, RefType, TableType};

use alloc::boxed::Box;
use strata_vm::{
    ExternAddr, GlobalAddr, LinearMemory, MemoryAddr, RawRef, TableAddr, TagAddr, Val,
};

use crate::error::Error;
use crate::store::{AsContext, AsContextMut, StoreId};

/// A linear memory: a handle into its [`Store`](crate::Store).
///
/// ```
/// use strata_runtime::{Engine, Memory, MemoryType, Store};
/// use strata_runtime::Limits;
/// let mut store = Store::new(&Engine::default(), ());
/// let ty = MemoryType { limits: Limits { min: 1, max: Some(2) }, memory64: false, shared: false, page_size_log2: None };
/// let memory = Memory::new(&mut store, ty)?;
/// memory.write(&mut store, 100, b"hi")?;
/// let mut buf = [0; 2];
/// memory.read(&store, 100, &mut buf)?;
/// assert_eq!(&buf, b"hi");
/// assert_eq!(memory.data(&store)[101], b'i');
/// assert_eq!(memory.grow(&mut store, 1)?, 1);
/// assert_eq!(memory.size(&store), 2);
/// assert!(memory.grow(&mut store, 1).is_err());
/// # Ok::<(), strata_runtime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory {
    pub(crate) addr: MemoryAddr,
    pub(crate) store: StoreId,
}

impl Memory {
    /// A new memory of type `ty` (for imports defined by the host).
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory, Error> {
        let cx = store.as_context_mut();
        let limiter = cx.hosts.limiter(cx.data);
        if cx.inner.memories.len() >= limiter.memories() {
            return Err(Error::Resource(format!(
                "memory count limit of {} exceeded",
                limiter.memories()
            )));
        }
        let mem = LinearMemory::new(ty, &cx.inner.config.memory, Some(limiter))
            .map_err(|e| Error::Resource(format!("{e}")))?;
        Ok(Memory {
            addr: cx.inner.push_memory(mem),
            store: cx.id,
        })
    }

    fn get<'a>(&self, cx: &'a impl AsContext) -> &'a LinearMemory {
        let cx = cx.as_context();
        self.store.check(cx.id);
        &cx.inner.memories[self.addr.index()]
    }

    /// The memory's type (with its declared limits).
    pub fn ty(&self, store: impl AsContext) -> MemoryType {
        self.get(&store).ty()
    }

    /// The current size in pages.
    pub fn size(&self, store: impl AsContext) -> u64 {
        self.get(&store).size_pages()
    }

    /// The bytes.
    pub fn data<'a, S: AsContext + ?Sized>(&self, store: &'a S) -> &'a [u8] {
        let cx = store.as_context();
        self.store.check(cx.id);
        cx.inner.memories[self.addr.index()].data()
    }

    /// The bytes, writable.
    pub fn data_mut<'a, S: AsContextMut + ?Sized>(&self, store: &'a mut S) -> &'a mut [u8] {
        let cx = store.as_context_mut();
        self.store.check(cx.id);
        cx.inner.memories[self.addr.index()].data_mut()
    }

    /// Copies `buf.len()` bytes at `offset` into `buf`.
    pub fn read(&self, store: impl AsContext, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        self.get(&store).read(offset, buf).map_err(Error::from)
    }

    /// Copies `bytes` to `offset`.
    pub fn write(
        &self,
        mut store: impl AsContextMut,
        offset: u64,
        bytes: &[u8],
    ) -> Result<(), Error> {
        let cx = store.as_context_mut();
        self.store.check(cx.id);
        cx.inner.memories[self.addr.index()]
            .write(offset, bytes)
            .map_err(Error::from)
    }

    /// Grows by `delta` pages, returning the old size in pages.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64) -> Result<u64, Error> {
        let cx = store.as_context_mut();
        self.store.check(cx.id);
        let limiter = cx.hosts.limiter(cx.data);
        cx.inner.memories[self.addr.index()]
            .grow(delta, Some(limiter))
            .ok_or_else(|| Error::Resource(format!("failed to grow memory by {delta} pages")))
    }
}

fn ref_of(val: &Val, element: RefType) -> Result<RawRef, Error> {
    if !val.matches(strata_decoder::ValType::Ref(element)) {
        return Err(Error::usage(format!(
            "value of type {} where {element} is expected",
            val.ty()
        )));
    }
    Ok(val.to_slots()[0].to_raw_ref())
}

/// A table of references: a handle into its [`Store`](crate::Store).
///
/// ```
/// use strata_runtime::{Engine, Func, Limits, RefType, Store, Table, TableType, Val};
/// let mut store = Store::new(&Engine::default(), ());
/// let ty = TableType { element: RefType::FUNCREF, limits: Limits { min: 2, max: None }, table64: false };
/// let table = Table::new(&mut store, ty, Val::FuncRef(None))?;
/// let f = Func::wrap(&mut store, || 7i32);
/// table.set(&mut store, 1, f.to_val())?;
/// assert_eq!(table.get(&store, 1), Some(f.to_val()));
/// assert_eq!(table.grow(&mut store, 3, Val::FuncRef(None))?, 2);
/// assert_eq!(table.size(&store), 5);
/// # Ok::<(), strata_runtime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table {
    pub(crate) addr: TableAddr,
    pub(crate) store: StoreId,
}

impl Table {
    /// A new table of type `ty` with every element `init`.
    pub fn new(mut store: impl AsContextMut, ty: TableType, init: Val) -> Result<Table, Error> {
        let init = ref_of(&init, ty.element)?;
        let cx = store.as_context_mut();
        let limiter = cx.hosts.limiter(cx.data);
        if cx.inner.tables.len() >= limiter.tables() {
            return Err(Error::Resource(format!(
                "table count limit of {} exceeded",
                limiter.tables()
            )));
        }
        let table = strata_vm::Table::new(ty, init, Some(limiter))
            .map_err(|e| Error::Resource(format!("{e}")))?;
        Ok(Table {
            addr: cx.inner.push_table(table),
            store: cx.id,
        })
    }

    fn get_table<'a>(&self, cx: &'a impl AsContext) -> &'a strata_vm::Table {
        let cx = cx.as_context();
        self.store.check(cx.id);
        &cx.inner.tables[self.addr.index()]
    }

    /// The table's type.
    pub fn ty(&self, store: impl AsContext) -> TableType {
        self.get_table(&store).ty()
    }

    /// The current number of elements.
    pub fn size(&self, store: impl AsContext) -> u64 {
        self.get_table(&store).size()
    }

    /// Element `index`, or `None` out of bounds.
    pub fn get(&self, store: impl AsContext, index: u64) -> Option<Val> {
        let t = self.get_table(&store);
        let r = t.get(index).ok()?;
        Val::from_slots(
            strata_decoder::ValType::Ref(t.element_type()),
            [
                strata_vm::UntypedVal::from_raw_ref(r),
                strata_vm::UntypedVal::ZERO,
            ],
        )
    }

    /// Sets element `index`.
    pub fn set(&self, mut store: impl AsContextMut, index: u64, val: Val) -> Result<(), Error> {
        let cx = store.as_context_mut();
        self.store.check(cx.id);
        let t = &mut cx.inner.tables[self.addr.index()];
        let r = ref_of(&val, t.element_type())?;
        t.set(index, r).map_err(Error::from)
    }

    /// Grows by `delta` elements set to `init`, returning the old size.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64, init: Val) -> Result<u64, Error> {
        let cx = store.as_context_mut();
        self.store.check(cx.id);
        let t = &mut cx.inner.tables[self.addr.index()];
        let r = ref_of(&init, t.element_type())?;
        t.grow(delta, r, Some(cx.hosts.limiter(cx.data)))
            .ok_or_else(|| Error::Resource(format!("failed to grow table by {delta}")))
    }
}

/// A global: a handle into its [`Store`](crate::Store).
///
/// ```
/// use strata_runtime::{Engine, Global, GlobalType, Store, Val, ValType};
/// let mut store = Store::new(&Engine::default(), ());
/// let ty = GlobalType { content: ValType::I32, mutable: true };
/// let g = Global::new(&mut store, ty, Val::I32(1))?;
/// g.set(&mut store, Val::I32(5))?;
/// assert_eq!(g.get(&store), Val::I32(5));
/// assert!(g.set(&mut store, Val::I64(5)).is_err());
/// # Ok::<(), strata_runtime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Global {
    pub(crate) addr: GlobalAddr,
    pub(crate) store: StoreId,
}

impl Global {
    /// A new global of type `ty` holding `init`.
    pub fn new(mut store: impl AsContextMut, ty: GlobalType, init: Val) -> Result<Global, Error> {
        let g = strata_vm::Global::new(ty, init).map_err(|e| Error::usage(format!("{e}")))?;
        let cx = store.as_context_mut();
        Ok(Global {
            addr: cx.inner.push_global(g),
            store: cx.id,
        })
    }

    fn global<'a>(&self, cx: &'a impl AsContext) -> &'a strata_vm::Global {
        let cx = cx.as_context();
        self.store.check(cx.id);
        &cx.inner.globals[self.addr.index()]
    }

    /// The global's type.
    pub fn ty(&self, store: impl AsContext) -> GlobalType {
        self.global(&store).ty()
    }

    /// The current value.
    pub fn get(&self, store: impl AsContext) -> Val {
        self.global(&store).get().unwrap_or(Val::FuncRef(None))
    }

    /// Writes the value (the global must be mutable and `val` of its type).
    pub fn set(&self, mut store: impl AsContextMut, val: Val) -> Result<(), Error> {
        let cx = store.as_context_mut();
        self.store.check(cx.id);
        cx.inner.globals[self.addr.index()]
            .set(val)
            .map_err(|e| Error::usage(format!("{e}")))
    }
}

/// A host object wasm can hold as an `externref`: the store keeps the object, wasm passes the
/// reference around opaquely.
///
/// ```
/// use strata_runtime::{Engine, ExternRef, Store};
/// let mut store = Store::new(&Engine::default(), ());
/// let r = ExternRef::new(&mut store, String::from("file handle"));
/// let val = r.to_val();
/// let back = ExternRef::from_val(&store, &val).unwrap();
/// let s = back.data(&store).downcast_ref::<String>().unwrap();
/// assert_eq!(s, "file handle");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExternRef {
    addr: ExternAddr,
    store: StoreId,
}

impl ExternRef {
    /// Moves `value` into the store and returns a reference to it.
    pub fn new<V: Any + Send + Sync>(mut store: impl AsContextMut, value: V) -> ExternRef {
        let cx = store.as_context_mut();
        let index = cx.hosts.externs.len() as u32;
        cx.hosts.externs.push(Box::new(value));
        ExternRef {
            addr: ExternAddr::new(index).expect("too many extern objects"),
            store: cx.id,
        }
    }

    /// The reference held by `val`, if it is a non-null `externref` made by
    /// [`ExternRef::new`] in this store.
    pub fn from_val(store: impl AsContext, val: &Val) -> Option<ExternRef> {
        let cx = store.as_context();
        match val {
            Val::ExternRef(Some(addr)) if (addr.index() as usize) < cx.hosts.externs.len() => {
                Some(ExternRef {
                    addr: *addr,
                    store: cx.id,
                })
            }
            _ => None,
        }
    }

    /// This reference as an `externref` value.
    pub fn to_val(&self) -> Val {
        Val::ExternRef(Some(self.addr))
    }

    /// The host object.
    pub fn data<'a, S: AsContext + ?Sized>(&self, store: &'a S) -> &'a (dyn Any + Send + Sync) {
        let cx = store.as_context();
        self.store.check(cx.id);
        &*cx.hosts.externs[self.addr.index() as usize]
    }
}

/// An exception tag: a handle into its [`Store`](crate::Store). Each tag is a fresh identity
/// with a function type (the exception's payload is the type's parameters); a module that
/// imports a tag matches one of an equivalent type. `throw` and `try_table` match exceptions
/// by tag identity, on both engines (exceptions are on by default).
///
/// ```
/// use strata_runtime::{Engine, FuncType, Store, Tag, ValType};
/// let mut store = Store::new(&Engine::default(), ());
/// let tag = Tag::new(&mut store, &FuncType::new(&[ValType::I32], &[]));
/// assert_eq!(tag.ty(&store).params(), &[ValType::I32]);
/// assert_ne!(tag, Tag::new(&mut store, &FuncType::new(&[ValType::I32], &[])));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag {
    pub(crate) addr: TagAddr,
    pub(crate) store: StoreId,
}

impl Tag {
    /// A new tag of type `ty` (its results must be empty for a module to import it).
    pub fn new(mut store: impl AsContextMut, ty: &FuncType) -> Tag {
        let cx = store.as_context_mut();
        let sig = cx.inner.sigs.intern(ty);
        Tag {
            addr: cx.inner.push_tag(sig),
            store: cx.id,
        }
    }

    /// The tag's type.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let cx = store.as_context();
        self.store.check(cx.id);
        let sig = cx.inner.tags[self.addr.index()].sig;
        cx.inner.sigs.get(sig).clone()
    }
}
