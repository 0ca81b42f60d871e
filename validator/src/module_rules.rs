//! Module-level rules: types, imports, functions, tables, memories, tags, globals, element and
//! data segments, exports and the start function. Builds the [`ModuleTypes`] context that
//! function bodies are then checked against.

use alloc::collections::BTreeSet;
use alloc::vec;

use strata_decoder::{
    CompositeType, DataKind, ElementItems, ElementKind, ExternalKind, Features, FuncType,
    ImportType, MemoryType, Module, RefType, StorageType, TableType, TagType, ValType,
};

use crate::const_expr::check_const_expr;
use crate::error::{bail, Error};
use crate::resources::ModuleTypes;

/// The largest memory, in 64 KiB pages, a 32-bit memory may have.
const MAX_PAGES_32: u64 = 1 << 16;
/// The largest memory, in 64 KiB pages, a 64-bit memory may have.
const MAX_PAGES_64: u64 = 1 << 48;

/// Checks everything outside function bodies and returns the context for checking bodies.
pub(crate) fn check_module(module: &Module<'_>) -> Result<ModuleTypes, Error> {
    let f = module.features;
    let mut m = ModuleTypes {
        features: f,
        types: module.types.clone(),
        ..ModuleTypes::default()
    };
    check_types(&m, &module.type_offsets)?;
    m.canon = crate::canon::canonical_indices(&m.types, &module.rec_groups, &module.type_offsets)?;

    for imp in &module.imports {
        let at = imp.offset;
        match imp.ty {
            ImportType::Func(ti) => {
                if m.func_type(ti).is_none() {
                    bail!(at, "unknown type {ti}");
                }
                m.funcs.push(ti);
                m.num_imported_funcs += 1;
            }
            ImportType::Table(t) => {
                check_table_type(&m, &t, at)?;
                m.tables.push(t);
            }
            ImportType::Memory(t) => {
                check_memory_type(&t, at)?;
                m.memories.push(t);
            }
            ImportType::Global(g) => {
                m.check_val_type(g.content, at)?;
                if g.mutable && !f.contains(Features::MUTABLE_GLOBAL) {
                    bail!(at, "mutable globals cannot be imported");
                }
                m.globals.push(g);
                m.num_imported_globals += 1;
            }
            ImportType::Tag(t) => {
                check_tag_type(&m, &t, at)?;
                m.tags.push(t);
            }
        }
    }

    for (i, &ti) in module.functions.iter().enumerate() {
        if m.func_type(ti).is_none() {
            let at = module.code.get(i).map_or(0, |b| b.offset);
            bail!(at, "unknown type {ti}");
        }
        m.funcs.push(ti);
    }
    m.declared_funcs = vec![false; m.funcs.len()];

    for t in &module.tables {
        check_table_type(&m, &t.ty, t.offset)?;
        m.tables.push(t.ty);
    }
    for mem in &module.memories {
        check_memory_type(&mem.ty, mem.offset)?;
        m.memories.push(mem.ty);
    }
    if m.tables.len() > 1 && !f.contains(Features::REFERENCE_TYPES) {
        let at = module.tables.last().map_or(0, |t| t.offset);
        bail!(at, "multiple tables");
    }
    if m.memories.len() > 1 && !f.contains(Features::MULTI_MEMORY) {
        let at = module.memories.last().map_or(0, |t| t.offset);
        bail!(at, "multiple memories");
    }
    for t in &module.tags {
        check_tag_type(&m, &t.ty, t.offset)?;
        m.tags.push(t.ty);
    }

    // Before GC, constant expressions may only read imported globals.
    let local_globals = f.contains(Features::GC);
    for g in &module.globals {
        m.check_val_type(g.ty.content, g.offset)?;
        let visible = if local_globals {
            m.globals.len() as u32
        } else {
            m.num_imported_globals
        };
        check_const_expr(&mut m, &g.init, g.ty.content, visible)?;
        m.globals.push(g.ty);
    }
    let visible = if local_globals {
        m.globals.len() as u32
    } else {
        m.num_imported_globals
    };

    // The table section comes before the global section: a table's initializer sees only the
    // imported globals.
    let before_globals = m.num_imported_globals;
    for t in &module.tables {
        match &t.init {
            Some(init) => {
                check_const_expr(&mut m, init, ValType::Ref(t.ty.element), before_globals)?
            }
            None if !t.ty.element.nullable => {
                bail!(
                    t.offset,
                    "type mismatch: a table of non-nullable references needs an initializer"
                )
            }
            None => {}
        }
    }

    for e in &module.elements {
        let rt = e.items.ref_type();
        m.check_heap(rt.heap, e.offset)?;
        match &e.items {
            ElementItems::Functions(funcs) => {
                for &func in funcs.iter() {
                    if func as usize >= m.funcs.len() {
                        bail!(e.offset, "unknown function {func}");
                    }
                    m.declared_funcs[func as usize] = true;
                }
            }
            ElementItems::Expressions(_, exprs) => {
                for expr in exprs.iter() {
                    check_const_expr(&mut m, expr, ValType::Ref(rt), visible)?;
                }
            }
        }
        if let ElementKind::Active { table, offset_expr } = &e.kind {
            let Some(tt) = m.table(*table).copied() else {
                bail!(e.offset, "unknown table {table}");
            };
            let index = if tt.table64 {
                ValType::I64
            } else {
                ValType::I32
            };
            check_const_expr(&mut m, offset_expr, index, visible)?;
            if !m.ref_matches(rt, tt.element) {
                bail!(
                    e.offset,
                    "type mismatch: element segment of {rt} for a table of {}",
                    tt.element
                );
            }
        }
        m.elements.push(rt);
    }

    m.data_count = module.data_count;
    for d in &module.data {
        if let DataKind::Active {
            memory,
            offset_expr,
        } = &d.kind
        {
            let Some(mt) = m.memory(*memory).copied() else {
                bail!(d.offset, "unknown memory {memory}");
            };
            let addr = if mt.memory64 {
                ValType::I64
            } else {
                ValType::I32
            };
            check_const_expr(&mut m, offset_expr, addr, visible)?;
        }
    }

    let mut names = BTreeSet::new();
    for ex in &module.exports {
        let (at, i) = (ex.offset, ex.index);
        let exists = match ex.kind {
            ExternalKind::Func => {
                let ok = (i as usize) < m.funcs.len();
                if ok {
                    m.declared_funcs[i as usize] = true;
                }
                ok
            }
            ExternalKind::Table => m.table(i).is_some(),
            ExternalKind::Memory => m.memory(i).is_some(),
            ExternalKind::Global => match m.global(i) {
                Some(g) if g.mutable && !f.contains(Features::MUTABLE_GLOBAL) => {
                    bail!(at, "mutable globals cannot be exported")
                }
                g => g.is_some(),
            },
            ExternalKind::Tag => m.tag(i).is_some(),
        };
        if !exists {
            bail!(at, "unknown {} {i}", kind_name(ex.kind));
        }
        if !names.insert(ex.name) {
            bail!(at, "duplicate export name {:?}", ex.name);
        }
    }

    if let Some((func, at)) = module.start {
        let Some(ty) = m.func_type_of(func) else {
            bail!(at, "unknown function {func}");
        };
        if !ty.params().is_empty() || !ty.results().is_empty() {
            bail!(at, "start function must have type [] -> []");
        }
    }
    Ok(m)
}

fn kind_name(k: ExternalKind) -> &'static str {
    match k {
        ExternalKind::Func => "function",
        ExternalKind::Table => "table",
        ExternalKind::Memory => "memory",
        ExternalKind::Global => "global",
        ExternalKind::Tag => "tag",
    }
}

/// Checks each type; errors name the offset of the type's encoding (`offsets[i]`, or 0 for a
/// module built without them).
fn check_types(m: &ModuleTypes, offsets: &[usize]) -> Result<(), Error> {
    let f = m.features;
    for (i, t) in m.types.iter().enumerate() {
        let at = offsets.get(i).copied().unwrap_or(0);
        match &t.composite {
            CompositeType::Func(ft) => check_func_type(m, ft, at)?,
            CompositeType::Struct(fields) => {
                if !f.contains(Features::GC) {
                    bail!(at, "unsupported: struct types need the GC proposal");
                }
                for field in fields.iter() {
                    if let StorageType::Val(v) = field.storage {
                        m.check_val_type(v, at)?;
                    }
                }
            }
            CompositeType::Array(field) => {
                if !f.contains(Features::GC) {
                    bail!(at, "unsupported: array types need the GC proposal");
                }
                if let StorageType::Val(v) = field.storage {
                    m.check_val_type(v, at)?;
                }
            }
        }
        if t.supertypes.len() > 1 {
            bail!(at, "type {i} has multiple supertypes");
        }
        for &s in t.supertypes.iter() {
            if s as usize >= i {
                bail!(at, "unknown type {s}: supertypes must be defined earlier");
            }
            if m.types[s as usize].is_final {
                bail!(at, "sub type {i} does not match its final supertype {s}");
            }
        }
    }
    Ok(())
}

fn check_func_type(m: &ModuleTypes, ft: &FuncType, at: usize) -> Result<(), Error> {
    for &t in ft.params().iter().chain(ft.results()) {
        m.check_val_type(t, at)?;
    }
    if ft.results().len() > 1 && !m.features.contains(Features::MULTI_VALUE) {
        bail!(at, "invalid result arity");
    }
    Ok(())
}

fn check_limits(min: u64, max: Option<u64>, at: usize) -> Result<(), Error> {
    if let Some(max) = max {
        if min > max {
            bail!(at, "size minimum must not be greater than maximum");
        }
    }
    Ok(())
}

fn check_table_type(m: &ModuleTypes, t: &TableType, at: usize) -> Result<(), Error> {
    check_ref_type(m, t.element, at)?;
    let l = t.limits;
    if !t.table64 && (l.min > u64::from(u32::MAX) || l.max.is_some_and(|x| x > u64::from(u32::MAX)))
    {
        bail!(at, "table size must be at most 2^32-1");
    }
    check_limits(l.min, l.max, at)
}

fn check_ref_type(m: &ModuleTypes, r: RefType, at: usize) -> Result<(), Error> {
    m.check_heap(r.heap, at)
}

fn check_memory_type(t: &MemoryType, at: usize) -> Result<(), Error> {
    let l = t.limits;
    let (cap, msg) = if t.memory64 {
        (MAX_PAGES_64, "memory size must be at most 2^48 pages")
    } else {
        (
            MAX_PAGES_32,
            "memory size must be at most 65536 pages (4GiB)",
        )
    };
    if l.min > cap || l.max.is_some_and(|x| x > cap) {
        bail!(at, "{msg}");
    }
    if t.shared && l.max.is_none() {
        bail!(at, "shared memory must have maximum");
    }
    check_limits(l.min, l.max, at)
}

fn check_tag_type(m: &ModuleTypes, t: &TagType, at: usize) -> Result<(), Error> {
    let Some(ft) = m.func_type(t.func_type) else {
        bail!(at, "unknown type {}", t.func_type);
    };
    if !ft.results().is_empty() {
        bail!(at, "non-empty tag result type");
    }
    Ok(())
}
