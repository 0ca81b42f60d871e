//! Module instances ([`InstanceData`]) and instantiation ([`instantiate`]), following the
//! spec's algorithm: match imports, allocate, evaluate initialisers, run active element then
//! data segments (earlier segments' writes stay when a later one traps), and hand back the start
//! function for the backend to run.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use strata_decoder::{ExternalKind, HeapType, ImportType, Limits, ValType};

use crate::global::Global;
use crate::limiter::ResourceLimiter;
use crate::memory::LinearMemory;
use crate::module_info::{ElemItems, ElemMode, ModuleInfo};
use crate::reference::{FuncAddr, RawRef};
use crate::segment::{DataSegment, ElementSegment};
use crate::store::{
    slot_counts, DataAddr, ElemAddr, ExternVal, FuncEntity, FuncKind, GlobalAddr, InstanceAddr,
    MemoryAddr, SigId, StoreInner, TableAddr, TagAddr,
};
use crate::table::Table;
use crate::trap::Trap;
use crate::value::UntypedVal;

/// A module instance: the store addresses behind each of its module-level index spaces.
#[derive(Debug, Clone)]
pub struct InstanceData {
    /// Function addresses by module function index (imports first).
    pub funcs: Box<[FuncAddr]>,
    /// Table addresses by module table index.
    pub tables: Box<[TableAddr]>,
    /// Memory addresses by module memory index.
    pub memories: Box<[MemoryAddr]>,
    /// Global addresses by module global index.
    pub globals: Box<[GlobalAddr]>,
    /// Tag addresses by module tag index.
    pub tags: Box<[TagAddr]>,
    /// Data segment addresses by module data index.
    pub datas: Box<[DataAddr]>,
    /// Element segment addresses by module element index.
    pub elems: Box<[ElemAddr]>,
    /// Interned signatures by module type index (for `call_indirect`).
    pub sigs: Box<[SigId]>,
    /// Exports, in the module's order (the names shared with the module).
    pub exports: Box<[(Arc<str>, ExternVal)]>,
    /// Export name → position in `exports`.
    pub export_index: BTreeMap<Arc<str>, usize>,
    /// The module it instantiates (names, types).
    pub module: Arc<ModuleInfo>,
}

impl InstanceData {
    /// The export called `name`.
    pub fn export(&self, name: &str) -> Option<ExternVal> {
        self.export_index.get(name).map(|&i| self.exports[i].1)
    }
}

/// Why instantiation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstantiationError {
    /// An import is missing or has the wrong type (`assert_unlinkable`).
    Link(String),
    /// A memory, table or global could not be created.
    Resource(String),
    /// Initialising a segment trapped (the instance's earlier effects remain).
    Trap(Trap),
}

impl fmt::Display for InstantiationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstantiationError::Link(m) | InstantiationError::Resource(m) => f.write_str(m),
            InstantiationError::Trap(t) => write!(f, "{t}"),
        }
    }
}

impl core::error::Error for InstantiationError {}

/// A successfully allocated and initialised instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instantiated {
    /// The new instance.
    pub instance: InstanceAddr,
    /// The start function the backend must run now, if any.
    pub start: Option<FuncAddr>,
}

/// A shorter-lived borrow of an optional limiter (so it can be lent out repeatedly).
pub fn reborrow<'a>(
    limiter: &'a mut Option<&mut dyn ResourceLimiter>,
) -> Option<&'a mut dyn ResourceLimiter> {
    match limiter {
        Some(l) => Some(&mut **l),
        None => None,
    }
}

/// Refuses an instance that would take the store past the limiter's instance, table or memory
/// count.
fn check_counts(
    store: &StoreInner,
    module: &ModuleInfo,
    limiter: &dyn ResourceLimiter,
) -> Result<(), InstantiationError> {
    let over = |what: &str, have: usize, adding: usize, max: usize| {
        if have.saturating_add(adding) > max {
            Err(InstantiationError::Resource(format!(
                "{what} count limit of {max} exceeded (the store holds {have}, the module adds {adding})"
            )))
        } else {
            Ok(())
        }
    };
    over("instance", store.instances.len(), 1, limiter.instances())?;
    over(
        "table",
        store.tables.len(),
        module.tables.len(),
        limiter.tables(),
    )?;
    over(
        "memory",
        store.memories.len(),
        module.memories.len(),
        limiter.memories(),
    )
}

fn limits_match(actual_min: u64, actual_max: Option<u64>, expected: &Limits) -> bool {
    actual_min >= expected.min
        && match expected.max {
            None => true,
            Some(emax) => actual_max.is_some_and(|amax| amax <= emax),
        }
}

/// Whether a value of type `actual` may stand where `expected` is wanted: references are
/// covariant in their heap type and nullability (between abstract heap types; a concrete type,
/// always a function type here, is below `func` and above `nofunc`, and otherwise matches only
/// itself).
fn val_subtype(actual: ValType, expected: ValType) -> bool {
    match (actual, expected) {
        (ValType::Ref(a), ValType::Ref(e)) => {
            (!a.nullable || e.nullable) && heap_subtype(a.heap, e.heap)
        }
        _ => actual == expected,
    }
}

fn heap_subtype(a: HeapType, e: HeapType) -> bool {
    use HeapType as H;
    a.is_abstract_subtype_of(e)
        || matches!(
            (a, e),
            (H::NoFunc, H::Concrete(_)) | (H::Concrete(_), H::Func)
        )
}

/// Checks that `extern_val` can satisfy `import` of a module whose types were interned as
/// `sigs` (the spec's import matching: a function's type must be the import's or a declared
/// subtype of it; a tag's type must be equivalent).
pub fn check_import(
    store: &StoreInner,
    sigs: &[SigId],
    import: &ImportType,
    extern_val: ExternVal,
) -> Result<(), String> {
    let sig = |t: u32| sigs.get(t as usize).copied().unwrap_or(SigId(u32::MAX));
    let ok = match (*import, extern_val) {
        (ImportType::Func(t), ExternVal::Func(f)) => {
            store.sigs.is_subtype(store.func(f).sig, sig(t))
        }
        (ImportType::Tag(t), ExternVal::Tag(tag)) => {
            store.tags[tag.index()].sig == sig(t.func_type)
        }
        (ImportType::Table(ty), ExternVal::Table(t)) => {
            let table = &store.tables[t.index()];
            let actual = table.ty();
            actual.element == ty.element
                && actual.table64 == ty.table64
                && limits_match(table.size(), actual.limits.max, &ty.limits)
        }
        (ImportType::Memory(ty), ExternVal::Memory(m)) => {
            let mem = &store.memories[m.index()];
            let actual = mem.ty();
            actual.memory64 == ty.memory64
                && actual.shared == ty.shared
                && actual.page_size_log2.unwrap_or(16) == ty.page_size_log2.unwrap_or(16)
                && limits_match(mem.size_pages(), actual.limits.max, &ty.limits)
        }
        (ImportType::Global(ty), ExternVal::Global(g)) => {
            let actual = store.globals[g.index()].ty();
            if ty.mutable {
                actual == ty
            } else {
                !actual.mutable && val_subtype(actual.content, ty.content)
            }
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(String::from("incompatible import type"))
    }
}

/// Instantiates `module` in `store` with `imports` (one per module import, in order).
///
/// On success the instance is initialised up to, but not including, its start function, which
/// the caller must run. On [`InstantiationError::Trap`] the instance was allocated and partially
/// initialised (tables and memories it shares with others keep the writes), but is not returned.
pub fn instantiate(
    store: &mut StoreInner,
    module: &Arc<ModuleInfo>,
    imports: &[ExternVal],
) -> Result<Instantiated, InstantiationError> {
    instantiate_limited(store, module, imports, None)
}

/// [`instantiate`], asking `limiter` (if any) first whether the store may hold one more
/// instance and the module's tables and memories, then about each table's and memory's initial
/// size. A refusal is an [`InstantiationError::Resource`] and nothing is allocated.
pub fn instantiate_limited(
    store: &mut StoreInner,
    module: &Arc<ModuleInfo>,
    imports: &[ExternVal],
    mut limiter: Option<&mut dyn ResourceLimiter>,
) -> Result<Instantiated, InstantiationError> {
    if let Some(l) = reborrow(&mut limiter) {
        check_counts(store, module, l)?;
    }
    if imports.len() != module.imports.len() {
        return Err(InstantiationError::Link(format!(
            "expected {} imports, got {}",
            module.imports.len(),
            imports.len()
        )));
    }
    let sigs = store
        .sigs
        .intern_module(&module.subtypes, &module.rec_groups);
    for (import, &val) in module.imports.iter().zip(imports) {
        check_import(store, &sigs, &import.ty, val).map_err(|m| {
            InstantiationError::Link(format!("{m} ({}::{})", import.module, import.name))
        })?;
    }

    let instance_addr = InstanceAddr(store.instances.len() as u32);

    // One allocation (at most) per store vector, however many entities the module adds: a
    // new store's vectors would otherwise grow one push at a time.
    store.funcs.reserve(module.code.len());
    store.tags.reserve(module.tags.len());
    store.globals.reserve(module.globals.len());
    store.tables.reserve(module.tables.len());
    store.memories.reserve(module.memories.len());
    store.elems.reserve(module.elems.len());
    store.datas.reserve(module.datas.len());
    store.instances.reserve(1);

    // Functions.
    let mut funcs = Vec::with_capacity(module.funcs.len());
    let mut tables = Vec::with_capacity(module.num_imported_tables as usize + module.tables.len());
    let mut memories =
        Vec::with_capacity(module.num_imported_memories as usize + module.memories.len());
    let mut globals =
        Vec::with_capacity(module.num_imported_globals as usize + module.globals.len());
    let mut tags = Vec::with_capacity(module.num_imported_tags as usize + module.tags.len());
    for &val in imports {
        match val {
            ExternVal::Func(f) => funcs.push(f),
            ExternVal::Table(t) => tables.push(t),
            ExternVal::Memory(m) => memories.push(m),
            ExternVal::Global(g) => globals.push(g),
            ExternVal::Tag(t) => tags.push(t),
        }
    }
    for &t in module.tags.iter() {
        tags.push(store.push_tag(sigs[t as usize]));
    }
    // Neighbouring functions mostly share a type: count its slots once per run of them.
    let mut last_type: Option<(u32, (u16, u16))> = None;
    for (i, code) in module.code.iter().enumerate() {
        let func_index = module.num_imported_funcs + i as u32;
        let type_index = module.funcs[func_index as usize];
        let (param_slots, result_slots) = match last_type {
            Some((t, slots)) if t == type_index => slots,
            _ => {
                let ty = module.types[type_index as usize]
                    .as_ref()
                    .expect("validated: function type");
                let slots = slot_counts(ty);
                last_type = Some((type_index, slots));
                slots
            }
        };
        funcs.push(store.push_func(FuncEntity {
            sig: sigs[type_index as usize],
            param_slots,
            result_slots,
            kind: FuncKind::Wasm {
                instance: instance_addr,
                code: code.clone(),
            },
        }));
    }
    let func_ref = |i: u32| UntypedVal::from_raw_ref(RawRef::from(funcs[i as usize]));

    // Globals, each initialiser seeing the imports and the globals before it.
    for g in module.globals.iter() {
        let value = {
            let store_globals = &store.globals;
            let get = |i: u32| store_globals[globals[i as usize].index()].cell().slots;
            g.init.eval(&func_ref, &get)
        };
        globals.push(store.push_global(Global::from_slots(g.ty, value)));
    }
    let global_value =
        |store: &StoreInner, i: u32| store.globals[globals[i as usize].index()].cell().slots;

    // Tables and memories.
    for t in module.tables.iter() {
        let init = match &t.init {
            Some(e) => e.eval(&func_ref, &|i| global_value(store, i))[0].to_raw_ref(),
            None => RawRef::NULL,
        };
        let table = Table::new(t.ty, init, reborrow(&mut limiter))
            .map_err(|e| InstantiationError::Resource(format!("{e}")))?;
        tables.push(store.push_table(table));
    }
    for ty in module.memories.iter() {
        let mem = LinearMemory::new(*ty, &store.config.memory, reborrow(&mut limiter))
            .map_err(|e| InstantiationError::Resource(format!("{e}")))?;
        memories.push(store.push_memory(mem));
    }

    // Segments.
    let mut elems = Vec::with_capacity(module.elems.len());
    for e in module.elems.iter() {
        let refs: Box<[RawRef]> = match &e.items {
            ElemItems::Funcs(f) => f.iter().map(|&i| RawRef::from(funcs[i as usize])).collect(),
            ElemItems::Exprs(exprs) => exprs
                .iter()
                .map(|x| x.eval(&func_ref, &|i| global_value(store, i))[0].to_raw_ref())
                .collect(),
        };
        store.elems.push(ElementSegment::new(e.ty, refs));
        elems.push(ElemAddr(store.elems.len() as u32 - 1));
    }
    let mut datas = Vec::with_capacity(module.datas.len());
    for d in module.datas.iter() {
        store.datas.push(DataSegment::new(d.bytes.clone()));
        datas.push(DataAddr(store.datas.len() as u32 - 1));
    }

    // Exports.
    let exports: Box<[(Arc<str>, ExternVal)]> = module
        .exports
        .iter()
        .map(|e| {
            let i = e.index as usize;
            let val = match e.kind {
                ExternalKind::Func => ExternVal::Func(funcs[i]),
                ExternalKind::Table => ExternVal::Table(tables[i]),
                ExternalKind::Memory => ExternVal::Memory(memories[i]),
                ExternalKind::Global => ExternVal::Global(globals[i]),
                ExternalKind::Tag => ExternVal::Tag(tags[i]),
            };
            (e.name.clone(), val)
        })
        .collect();
    let export_index = exports
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.clone(), i))
        .collect();

    let start = module.start.map(|f| funcs[f as usize]);
    let data = InstanceData {
        funcs: funcs.into_boxed_slice(),
        tables: tables.into_boxed_slice(),
        memories: memories.into_boxed_slice(),
        globals: globals.into_boxed_slice(),
        tags: tags.into_boxed_slice(),
        datas: datas.into_boxed_slice(),
        elems: elems.into_boxed_slice(),
        sigs,
        exports,
        export_index,
        module: module.clone(),
    };

    // Active element segments, then active data segments.
    for (i, e) in module.elems.iter().enumerate() {
        let seg = data.elems[i];
        match &e.mode {
            ElemMode::Passive => {}
            ElemMode::Declared => store.elems[seg.index()].elem_drop(),
            ElemMode::Active { table, offset } => {
                let off = offset.eval(
                    &|f| UntypedVal::from_raw_ref(RawRef::from(data.funcs[f as usize])),
                    &|g| store.globals[data.globals[g as usize].index()].cell().slots,
                )[0];
                let t = &mut store.tables[data.tables[*table as usize].index()];
                let table64 = t.ty().table64;
                let off = if table64 {
                    off.to_u64()
                } else {
                    u64::from(off.to_u32())
                };
                let elements = store.elems[seg.index()].elements();
                let len = elements.len() as u64;
                if let Err(code) = t.init(off, elements, 0, len) {
                    store.instances.push(data);
                    return Err(InstantiationError::Trap(Trap::new(code)));
                }
                store.elems[seg.index()].elem_drop();
            }
        }
    }
    for (i, d) in module.datas.iter().enumerate() {
        let seg = data.datas[i];
        if let Some((memory, offset)) = &d.active {
            let off = offset.eval(
                &|f| UntypedVal::from_raw_ref(RawRef::from(data.funcs[f as usize])),
                &|g| store.globals[data.globals[g as usize].index()].cell().slots,
            )[0];
            let m = &mut store.memories[data.memories[*memory as usize].index()];
            let off = if m.ty().memory64 {
                off.to_u64()
            } else {
                u64::from(off.to_u32())
            };
            let bytes = store.datas[seg.index()].bytes();
            if let Err(code) = m.write(off, bytes) {
                store.instances.push(data);
                return Err(InstantiationError::Trap(Trap::new(code)));
            }
            store.datas[seg.index()].data_drop();
        }
    }
    store.instances.push(data);
    Ok(Instantiated {
        instance: instance_addr,
        start,
    })
}
