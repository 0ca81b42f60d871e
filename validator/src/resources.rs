//! [`ModuleTypes`]: the module-level context (the spec's `C`) that function bodies are checked
//! against, kept after validation so the IR can translate functions later, one at a time.

use alloc::vec::Vec;

use strata_decoder::{
    CompositeType, Features, FuncType, GlobalType, HeapType, MemoryType, RefType, SubType,
    TableType, TagType, ValType,
};

/// The types of everything a module defines or imports, by index (the spec's context `C`).
#[derive(Debug, Clone, Default)]
pub struct ModuleTypes {
    pub(crate) features: Features,
    pub(crate) types: Vec<SubType>,
    /// Per type index, the smallest index of an equivalent type (`canon.rs`).
    pub(crate) canon: Vec<u32>,
    pub(crate) funcs: Vec<u32>,
    pub(crate) num_imported_funcs: u32,
    pub(crate) tables: Vec<TableType>,
    pub(crate) memories: Vec<MemoryType>,
    pub(crate) globals: Vec<GlobalType>,
    pub(crate) num_imported_globals: u32,
    pub(crate) tags: Vec<TagType>,
    pub(crate) elements: Vec<RefType>,
    pub(crate) data_count: Option<u32>,
    pub(crate) declared_funcs: Vec<bool>,
}

impl ModuleTypes {
    /// The proposals the module was validated with.
    pub fn features(&self) -> Features {
        self.features
    }

    /// Every defined type (flattened across recursion groups).
    pub fn types(&self) -> &[SubType] {
        &self.types
    }

    /// The function type at `type_index`, if that index names a function type.
    #[inline]
    pub fn func_type(&self, type_index: u32) -> Option<&FuncType> {
        self.types.get(type_index as usize)?.as_func()
    }

    /// Number of functions (imported and defined).
    pub fn num_funcs(&self) -> u32 {
        self.funcs.len() as u32
    }

    /// Number of imported functions (they come first in the index space).
    pub fn num_imported_funcs(&self) -> u32 {
        self.num_imported_funcs
    }

    /// The type index of function `func_index`.
    #[inline]
    pub fn func_type_index(&self, func_index: u32) -> Option<u32> {
        self.funcs.get(func_index as usize).copied()
    }

    /// The signature of function `func_index`.
    #[inline]
    pub fn func_type_of(&self, func_index: u32) -> Option<&FuncType> {
        self.func_type(self.func_type_index(func_index)?)
    }

    /// The type `ref.func` of a function of type `type_index` pushes: `(ref $t)` with typed
    /// function references, plain `funcref` without.
    pub fn ref_func_type_of(&self, type_index: u32) -> ValType {
        if self.features.contains(Features::FUNCTION_REFERENCES) {
            ValType::Ref(RefType {
                nullable: false,
                heap: HeapType::Concrete(type_index),
            })
        } else {
            ValType::FUNCREF
        }
    }

    /// The type `ref.func $func` pushes (`funcref` if `func` is out of range, which validation
    /// rejects).
    pub fn ref_func_type(&self, func: u32) -> ValType {
        self.func_type_index(func)
            .map_or(ValType::FUNCREF, |t| self.ref_func_type_of(t))
    }

    /// The type of table `index`.
    #[inline]
    pub fn table(&self, index: u32) -> Option<&TableType> {
        self.tables.get(index as usize)
    }

    /// All table types, imported first.
    pub fn tables(&self) -> &[TableType] {
        &self.tables
    }

    /// The type of memory `index`.
    #[inline]
    pub fn memory(&self, index: u32) -> Option<&MemoryType> {
        self.memories.get(index as usize)
    }

    /// All memory types, imported first.
    pub fn memories(&self) -> &[MemoryType] {
        &self.memories
    }

    /// The type of global `index`.
    #[inline]
    pub fn global(&self, index: u32) -> Option<&GlobalType> {
        self.globals.get(index as usize)
    }

    /// All global types, imported first.
    pub fn globals(&self) -> &[GlobalType] {
        &self.globals
    }

    /// Number of imported globals.
    pub fn num_imported_globals(&self) -> u32 {
        self.num_imported_globals
    }

    /// The type of tag `index`.
    pub fn tag(&self, index: u32) -> Option<&TagType> {
        self.tags.get(index as usize)
    }

    /// The element type of element segment `index`.
    pub fn element_type(&self, index: u32) -> Option<RefType> {
        self.elements.get(index as usize).copied()
    }

    /// Number of element segments.
    pub fn num_elements(&self) -> u32 {
        self.elements.len() as u32
    }

    /// The data count section's value, if the module has one.
    pub fn data_count(&self) -> Option<u32> {
        self.data_count
    }

    /// True if `ref.func func_index` may appear in a body (the spec's `C.refs`).
    pub fn is_declared_func(&self, func_index: u32) -> bool {
        self.declared_funcs
            .get(func_index as usize)
            .copied()
            .unwrap_or(false)
    }

    /// True if a value of type `a` may be used where `b` is expected (`a <: b`).
    #[inline]
    pub fn matches(&self, a: ValType, b: ValType) -> bool {
        match (a, b) {
            (ValType::Ref(a), ValType::Ref(b)) => self.ref_matches(a, b),
            _ => a == b,
        }
    }

    /// Reference subtyping.
    pub fn ref_matches(&self, a: RefType, b: RefType) -> bool {
        (!a.nullable || b.nullable) && self.heap_matches(a.heap, b.heap)
    }

    /// Whether type indices `a` and `b` name equivalent types.
    fn same_type(&self, a: u32, b: u32) -> bool {
        a == b
            || matches!(
                (self.canon.get(a as usize), self.canon.get(b as usize)),
                (Some(x), Some(y)) if x == y
            )
    }

    /// Heap subtyping (declared supertype chains for concrete types; concrete types are
    /// compared by equivalence, not index).
    pub fn heap_matches(&self, a: HeapType, b: HeapType) -> bool {
        use HeapType as H;
        if a.is_abstract_subtype_of(b) {
            return true;
        }
        match (a, b) {
            (H::NoFunc, H::Concrete(i)) => self.is_func_type(i),
            (H::None, H::Concrete(i)) => !self.is_func_type(i),
            (H::Concrete(i), H::Func) => self.is_func_type(i),
            (H::Concrete(i), H::Any | H::Eq) => matches!(
                self.composite(i),
                Some(CompositeType::Struct(_) | CompositeType::Array(_))
            ),
            (H::Concrete(i), H::Struct) => {
                matches!(self.composite(i), Some(CompositeType::Struct(_)))
            }
            (H::Concrete(i), H::Array) => {
                matches!(self.composite(i), Some(CompositeType::Array(_)))
            }
            (H::Concrete(i), H::Concrete(j)) => {
                if self.same_type(i, j) {
                    return true;
                }
                let mut cur = i;
                // Supertypes always have smaller indices, so this terminates.
                for _ in 0..self.types.len() {
                    match self
                        .types
                        .get(cur as usize)
                        .and_then(|t| t.supertypes.first())
                    {
                        Some(&s) if self.same_type(s, j) => return true,
                        Some(&s) if s < cur => cur = s,
                        _ => return false,
                    }
                }
                false
            }
            _ => false,
        }
    }

    fn composite(&self, i: u32) -> Option<&CompositeType> {
        self.types.get(i as usize).map(|t| &t.composite)
    }

    fn is_func_type(&self, i: u32) -> bool {
        matches!(self.composite(i), Some(CompositeType::Func(_)))
    }

    /// The top heap type of `h`'s hierarchy (`func`, `extern`, `any` or `exn`).
    pub fn top_heap(&self, h: HeapType) -> HeapType {
        use HeapType as H;
        match h {
            H::Func | H::NoFunc => H::Func,
            H::Extern | H::NoExtern => H::Extern,
            H::Exn | H::NoExn => H::Exn,
            H::Concrete(i) if self.is_func_type(i) => H::Func,
            _ => H::Any,
        }
    }
}

impl ModuleTypes {
    /// Checks that a heap type's type index (if any) exists.
    pub(crate) fn check_heap(&self, h: HeapType, offset: usize) -> Result<(), crate::Error> {
        if let HeapType::Concrete(i) = h {
            if i as usize >= self.types.len() {
                crate::error::bail!(offset, "unknown type {i}");
            }
        }
        Ok(())
    }

    /// Checks that a value type's type index (if any) exists.
    pub(crate) fn check_val_type(&self, t: ValType, offset: usize) -> Result<(), crate::Error> {
        match t {
            ValType::Ref(r) => self.check_heap(r.heap, offset),
            _ => Ok(()),
        }
    }
}
