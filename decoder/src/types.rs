//! The type grammar: value, reference, heap, composite, sub and rec types; limits; table,
//! memory, global and tag types. WebAssembly 3.0's forms are represented from the start so
//! later work only adds semantics.

use alloc::boxed::Box;
use core::fmt;

/// A value type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `v128`
    V128,
    /// A reference type.
    Ref(RefType),
}

impl ValType {
    /// `funcref`
    pub const FUNCREF: ValType = ValType::Ref(RefType::FUNCREF);
    /// `externref`
    pub const EXTERNREF: ValType = ValType::Ref(RefType::EXTERNREF);

    /// True for `i32`, `i64`, `f32`, `f64`.
    pub fn is_num(self) -> bool {
        matches!(
            self,
            ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64
        )
    }

    /// True for reference types.
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::Ref(_))
    }

    /// True if a value of this type has a default (numbers, vectors, nullable references).
    pub fn is_defaultable(self) -> bool {
        match self {
            ValType::Ref(r) => r.nullable,
            _ => true,
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValType::I32 => f.write_str("i32"),
            ValType::I64 => f.write_str("i64"),
            ValType::F32 => f.write_str("f32"),
            ValType::F64 => f.write_str("f64"),
            ValType::V128 => f.write_str("v128"),
            ValType::Ref(r) => r.fmt(f),
        }
    }
}

/// A reference type: a heap type and whether `null` is a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RefType {
    /// Whether the type includes `null`.
    pub nullable: bool,
    /// What the reference points to.
    pub heap: HeapType,
}

impl RefType {
    /// `funcref` (`(ref null func)`)
    pub const FUNCREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Func,
    };
    /// `externref` (`(ref null extern)`)
    pub const EXTERNREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Extern,
    };
    /// `exnref` (`(ref null exn)`)
    pub const EXNREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Exn,
    };
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = match (self.nullable, self.heap) {
            (true, HeapType::Func) => Some("funcref"),
            (true, HeapType::Extern) => Some("externref"),
            (true, HeapType::Any) => Some("anyref"),
            (true, HeapType::Eq) => Some("eqref"),
            (true, HeapType::I31) => Some("i31ref"),
            (true, HeapType::Struct) => Some("structref"),
            (true, HeapType::Array) => Some("arrayref"),
            (true, HeapType::Exn) => Some("exnref"),
            (true, HeapType::None) => Some("nullref"),
            (true, HeapType::NoFunc) => Some("nullfuncref"),
            (true, HeapType::NoExtern) => Some("nullexternref"),
            (true, HeapType::NoExn) => Some("nullexnref"),
            _ => None,
        };
        match short {
            Some(s) => f.write_str(s),
            None if self.nullable => write!(f, "(ref null {})", self.heap),
            None => write!(f, "(ref {})", self.heap),
        }
    }
}

/// A heap type: abstract, or a concrete type index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeapType {
    /// `func`
    Func,
    /// `extern`
    Extern,
    /// `any`
    Any,
    /// `eq`
    Eq,
    /// `i31`
    I31,
    /// `struct`
    Struct,
    /// `array`
    Array,
    /// `exn`
    Exn,
    /// `none` (bottom of `any`)
    None,
    /// `nofunc` (bottom of `func`)
    NoFunc,
    /// `noextern` (bottom of `extern`)
    NoExtern,
    /// `noexn` (bottom of `exn`)
    NoExn,
    /// A type index into the module's type section.
    Concrete(u32),
}

impl HeapType {
    /// Whether `self` is a subtype of `other` by the hierarchy of the abstract heap types alone
    /// (`nofunc <: func`, `none <: i31, struct, array <: eq <: any`, ...; reflexive). Concrete
    /// types need the module's definitions and are never related here, except to themselves.
    pub fn is_abstract_subtype_of(self, other: HeapType) -> bool {
        use HeapType as H;
        self == other
            || matches!(
                (self, other),
                (H::NoFunc, H::Func)
                    | (H::NoExtern, H::Extern)
                    | (H::NoExn, H::Exn)
                    | (H::None, H::Any | H::Eq | H::I31 | H::Struct | H::Array)
                    | (H::I31 | H::Struct | H::Array | H::Eq, H::Any)
                    | (H::I31 | H::Struct | H::Array, H::Eq)
            )
    }
}

impl fmt::Display for HeapType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            HeapType::Func => "func",
            HeapType::Extern => "extern",
            HeapType::Any => "any",
            HeapType::Eq => "eq",
            HeapType::I31 => "i31",
            HeapType::Struct => "struct",
            HeapType::Array => "array",
            HeapType::Exn => "exn",
            HeapType::None => "none",
            HeapType::NoFunc => "nofunc",
            HeapType::NoExtern => "noextern",
            HeapType::NoExn => "noexn",
            HeapType::Concrete(i) => return write!(f, "{i}"),
        };
        f.write_str(s)
    }
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncType {
    params_results: Box<[ValType]>,
    len_params: usize,
}

impl FuncType {
    /// A signature with these parameters and results.
    pub fn new(params: &[ValType], results: &[ValType]) -> Self {
        let mut all = alloc::vec::Vec::with_capacity(params.len() + results.len());
        all.extend_from_slice(params);
        all.extend_from_slice(results);
        FuncType {
            params_results: all.into_boxed_slice(),
            len_params: params.len(),
        }
    }

    /// The parameter types.
    pub fn params(&self) -> &[ValType] {
        &self.params_results[..self.len_params]
    }

    /// The result types.
    pub fn results(&self) -> &[ValType] {
        &self.params_results[self.len_params..]
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(func")?;
        if !self.params().is_empty() {
            f.write_str(" (param")?;
            for p in self.params() {
                write!(f, " {p}")?;
            }
            f.write_str(")")?;
        }
        if !self.results().is_empty() {
            f.write_str(" (result")?;
            for r in self.results() {
                write!(f, " {r}")?;
            }
            f.write_str(")")?;
        }
        f.write_str(")")
    }
}

/// How a struct field or array element is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StorageType {
    /// Packed 8-bit integer.
    I8,
    /// Packed 16-bit integer.
    I16,
    /// A full value type.
    Val(ValType),
}

impl StorageType {
    /// The type a value of this storage has on the operand stack (packed types unpack to `i32`).
    pub fn unpacked(self) -> ValType {
        match self {
            StorageType::I8 | StorageType::I16 => ValType::I32,
            StorageType::Val(v) => v,
        }
    }
}

/// A struct field or array element type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldType {
    /// Its storage.
    pub storage: StorageType,
    /// Whether it can be written after creation.
    pub mutable: bool,
}

/// The shape of a defined type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CompositeType {
    /// A function type.
    Func(FuncType),
    /// A struct type with its fields.
    Struct(Box<[FieldType]>),
    /// An array type with its element type.
    Array(FieldType),
}

/// A defined type with its subtyping information.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubType {
    /// `final` types cannot be subtyped. Types written without `sub` are final.
    pub is_final: bool,
    /// Declared supertypes (at most one is valid).
    pub supertypes: Box<[u32]>,
    /// The composite type.
    pub composite: CompositeType,
}

impl SubType {
    /// A final function type with no supertypes: what `(type (func ...))` declares.
    pub fn final_func(ty: FuncType) -> Self {
        SubType {
            is_final: true,
            supertypes: Box::new([]),
            composite: CompositeType::Func(ty),
        }
    }

    /// The function type, if this is one.
    pub fn as_func(&self) -> Option<&FuncType> {
        match &self.composite {
            CompositeType::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The same type with every type index it mentions (supertypes and concrete heap types)
    /// replaced by `f(index)`: how type canonicalisation makes indices relative to a group.
    pub fn map_type_indices(&self, f: &mut impl FnMut(u32) -> u32) -> SubType {
        let mut val = |v: ValType| match v {
            ValType::Ref(RefType {
                nullable,
                heap: HeapType::Concrete(x),
            }) => ValType::Ref(RefType {
                nullable,
                heap: HeapType::Concrete(f(x)),
            }),
            v => v,
        };
        let mut field = |fl: &FieldType| FieldType {
            storage: match fl.storage {
                StorageType::Val(v) => StorageType::Val(val(v)),
                s => s,
            },
            mutable: fl.mutable,
        };
        let composite = match &self.composite {
            CompositeType::Struct(fields) => {
                CompositeType::Struct(fields.iter().map(&mut field).collect())
            }
            CompositeType::Array(fl) => CompositeType::Array(field(fl)),
            CompositeType::Func(ft) => {
                let params: alloc::vec::Vec<ValType> =
                    ft.params().iter().map(|&v| val(v)).collect();
                let results: alloc::vec::Vec<ValType> =
                    ft.results().iter().map(|&v| val(v)).collect();
                CompositeType::Func(FuncType::new(&params, &results))
            }
        };
        SubType {
            is_final: self.is_final,
            supertypes: self.supertypes.iter().map(|&s| f(s)).collect(),
            composite,
        }
    }
}

/// Size limits of a memory or table, in pages or elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Initial size.
    pub min: u64,
    /// Optional maximum size.
    pub max: Option<u64>,
}

/// A table's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableType {
    /// Element type.
    pub element: RefType,
    /// Size limits in elements.
    pub limits: Limits,
    /// Indexed by `i64` (memory64 proposal's table64).
    pub table64: bool,
}

/// A linear memory's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    /// Size limits in pages.
    pub limits: Limits,
    /// Indexed by `i64` (memory64).
    pub memory64: bool,
    /// Shared between threads.
    pub shared: bool,
    /// log2 of the page size when a custom page size is given (default 16: 64 KiB).
    pub page_size_log2: Option<u32>,
}

/// A global's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalType {
    /// The value type.
    pub content: ValType,
    /// Whether `global.set` may write it.
    pub mutable: bool,
}

/// An exception tag's type: the index of a function type whose parameters are the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TagType {
    /// Type index of the tag's signature.
    pub func_type: u32,
}

/// The kind of an import or export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExternalKind {
    /// A function.
    Func,
    /// A table.
    Table,
    /// A memory.
    Memory,
    /// A global.
    Global,
    /// An exception tag.
    Tag,
}

impl fmt::Display for ExternalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExternalKind::Func => "func",
            ExternalKind::Table => "table",
            ExternalKind::Memory => "memory",
            ExternalKind::Global => "global",
            ExternalKind::Tag => "tag",
        })
    }
}
