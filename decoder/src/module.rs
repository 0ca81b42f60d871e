//! The decoded module: every section's contents, with byte offsets kept for error messages.
//! Function bodies and constant expressions stay as byte ranges and are walked lazily with an
//! [`OperatorsReader`].

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::ops::Range;

use crate::error::DecodeError;
use crate::features::Features;
use crate::operator::OperatorsReader;
use crate::reader::Reader;
use crate::types::{
    ExternalKind, GlobalType, MemoryType, RefType, SubType, TableType, TagType, ValType,
};

/// A constant expression (global initialisers, segment offsets, element items), read lazily.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConstExpr<'a> {
    bytes: &'a [u8],
    offset: usize,
    features: Features,
}

impl<'a> ConstExpr<'a> {
    /// A constant expression over `bytes` (including its final `end`), found at `offset`.
    pub fn new(bytes: &'a [u8], offset: usize, features: Features) -> Self {
        ConstExpr {
            bytes,
            offset,
            features,
        }
    }

    /// The expression's operators, ending with `end`.
    pub fn operators(&self) -> OperatorsReader<'a> {
        OperatorsReader::new(Reader::new(self.bytes, self.offset, self.features))
    }

    /// Where the expression starts in the module.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The raw bytes, including the final `end`.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

/// What an import brings in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportType {
    /// A function of the given type index.
    Func(u32),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
    /// An exception tag.
    Tag(TagType),
}

impl ImportType {
    /// The kind of thing imported.
    pub fn kind(&self) -> ExternalKind {
        match self {
            ImportType::Func(_) => ExternalKind::Func,
            ImportType::Table(_) => ExternalKind::Table,
            ImportType::Memory(_) => ExternalKind::Memory,
            ImportType::Global(_) => ExternalKind::Global,
            ImportType::Tag(_) => ExternalKind::Tag,
        }
    }
}

/// One import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Import<'a> {
    /// The module name.
    pub module: &'a str,
    /// The field name.
    pub name: &'a str,
    /// What is imported.
    pub ty: ImportType,
    /// Where the import entry starts.
    pub offset: usize,
}

/// One export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Export<'a> {
    /// The exported name.
    pub name: &'a str,
    /// What kind of item.
    pub kind: ExternalKind,
    /// Its index in that kind's index space.
    pub index: u32,
    /// Where the export entry starts.
    pub offset: usize,
}

/// A table defined by the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table<'a> {
    /// Its type.
    pub ty: TableType,
    /// An explicit initial value for every element (function references proposal).
    pub init: Option<ConstExpr<'a>>,
    /// Where the entry starts.
    pub offset: usize,
}

/// A memory defined by the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    /// Its type.
    pub ty: MemoryType,
    /// Where the entry starts.
    pub offset: usize,
}

/// A global defined by the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Global<'a> {
    /// Its type.
    pub ty: GlobalType,
    /// Its initialiser.
    pub init: ConstExpr<'a>,
    /// Where the entry starts.
    pub offset: usize,
}

/// A tag defined by the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    /// Its type.
    pub ty: TagType,
    /// Where the entry starts.
    pub offset: usize,
}

/// How an element segment is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementKind<'a> {
    /// Copied into a table with `table.init`.
    Passive,
    /// Copied into `table` at `offset_expr` during instantiation.
    Active {
        /// Table index.
        table: u32,
        /// Where in the table.
        offset_expr: ConstExpr<'a>,
    },
    /// Only declares functions referenceable by `ref.func`.
    Declared,
}

/// The items of an element segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElementItems<'a> {
    /// Function indices (type `funcref`).
    Functions(Box<[u32]>),
    /// Constant expressions of the given reference type.
    Expressions(RefType, Box<[ConstExpr<'a>]>),
}

impl ElementItems<'_> {
    /// Number of items.
    pub fn len(&self) -> usize {
        match self {
            ElementItems::Functions(f) => f.len(),
            ElementItems::Expressions(_, e) => e.len(),
        }
    }

    /// True if the segment has no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The segment's element type.
    pub fn ref_type(&self) -> RefType {
        match self {
            ElementItems::Functions(_) => RefType {
                nullable: false,
                heap: crate::types::HeapType::Func,
            },
            ElementItems::Expressions(t, _) => *t,
        }
    }
}

/// An element segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element<'a> {
    /// How it is used.
    pub kind: ElementKind<'a>,
    /// Its items.
    pub items: ElementItems<'a>,
    /// Where the segment starts.
    pub offset: usize,
}

/// How a data segment is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind<'a> {
    /// Copied with `memory.init`.
    Passive,
    /// Copied into `memory` at `offset_expr` during instantiation.
    Active {
        /// Memory index.
        memory: u32,
        /// Where in the memory.
        offset_expr: ConstExpr<'a>,
    },
}

/// A data segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Data<'a> {
    /// How it is used.
    pub kind: DataKind<'a>,
    /// The bytes.
    pub bytes: &'a [u8],
    /// Where the segment starts.
    pub offset: usize,
}

/// A function body: its declared locals, decoded eagerly, and its code, read lazily.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionBody<'a> {
    /// Local declarations: (count, type) runs, in order.
    pub locals: Box<[(u32, ValType)]>,
    /// Total number of declared locals (not counting parameters).
    pub num_locals: u32,
    code: &'a [u8],
    code_offset: usize,
    /// Where the body (its size field) starts.
    pub offset: usize,
    features: Features,
}

impl<'a> FunctionBody<'a> {
    /// A body whose operators are `code`, which starts at `code_offset`.
    pub fn new(
        locals: Box<[(u32, ValType)]>,
        num_locals: u32,
        code: &'a [u8],
        code_offset: usize,
        offset: usize,
        features: Features,
    ) -> Self {
        FunctionBody {
            locals,
            num_locals,
            code,
            code_offset,
            offset,
            features,
        }
    }

    /// The body's operators, ending with the final `end`.
    pub fn operators(&self) -> OperatorsReader<'a> {
        OperatorsReader::new(Reader::new(self.code, self.code_offset, self.features))
    }

    /// The operator bytes.
    pub fn code(&self) -> &'a [u8] {
        self.code
    }

    /// Where the operator bytes start in the module.
    pub fn code_offset(&self) -> usize {
        self.code_offset
    }
}

/// A custom section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomSection<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its payload.
    pub data: &'a [u8],
    /// Where the section's payload starts.
    pub offset: usize,
}

/// Names from the `name` custom section. A malformed name section is ignored, as the spec's
/// appendix recommends; these are then empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names<'a> {
    /// The module's name.
    pub module: Option<&'a str>,
    /// Function index → name, sorted by index.
    pub functions: Vec<(u32, &'a str)>,
    /// Function index → (local index → name), both sorted by index.
    pub locals: Vec<(u32, Vec<(u32, &'a str)>)>,
}

impl<'a> Names<'a> {
    /// The name of function `index`, if the name section gives one.
    pub fn function(&self, index: u32) -> Option<&'a str> {
        self.functions
            .binary_search_by_key(&index, |&(i, _)| i)
            .ok()
            .map(|i| self.functions[i].1)
    }
}

/// A decoded module.
#[derive(Debug, Clone, Default)]
pub struct Module<'a> {
    /// The proposals the module was decoded with.
    pub features: Features,
    /// Every defined type, flattened across recursion groups.
    pub types: Vec<SubType>,
    /// For each recursion group, the range of type indices it defines.
    pub rec_groups: Vec<Range<u32>>,
    /// For each type in [`Module::types`], the byte offset of its encoding (for errors).
    pub type_offsets: Vec<usize>,
    /// Imports, in order.
    pub imports: Vec<Import<'a>>,
    /// Type index of each function defined (not imported) by the module.
    pub functions: Vec<u32>,
    /// Tables defined by the module.
    pub tables: Vec<Table<'a>>,
    /// Memories defined by the module.
    pub memories: Vec<Memory>,
    /// Tags defined by the module.
    pub tags: Vec<Tag>,
    /// Globals defined by the module.
    pub globals: Vec<Global<'a>>,
    /// Exports, in order.
    pub exports: Vec<Export<'a>>,
    /// The start function and the offset of its section.
    pub start: Option<(u32, usize)>,
    /// Element segments.
    pub elements: Vec<Element<'a>>,
    /// The data count section's value, if present.
    pub data_count: Option<u32>,
    /// Function bodies, one per entry of `functions`.
    pub code: Vec<FunctionBody<'a>>,
    /// Data segments.
    pub data: Vec<Data<'a>>,
    /// Custom sections, in order.
    pub customs: Vec<CustomSection<'a>>,
    /// Names from the `name` section.
    pub names: Names<'a>,
}

impl<'a> Module<'a> {
    /// Decodes a binary module with WebAssembly 2.0 features.
    pub fn decode(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        crate::decode(bytes, Features::default())
    }

    /// Number of imported functions (they come first in the function index space).
    pub fn num_imported_funcs(&self) -> u32 {
        self.count_imports(|t| matches!(t, ImportType::Func(_)))
    }

    /// Number of imported tables.
    pub fn num_imported_tables(&self) -> u32 {
        self.count_imports(|t| matches!(t, ImportType::Table(_)))
    }

    /// Number of imported memories.
    pub fn num_imported_memories(&self) -> u32 {
        self.count_imports(|t| matches!(t, ImportType::Memory(_)))
    }

    /// Number of imported globals.
    pub fn num_imported_globals(&self) -> u32 {
        self.count_imports(|t| matches!(t, ImportType::Global(_)))
    }

    /// Number of imported tags.
    pub fn num_imported_tags(&self) -> u32 {
        self.count_imports(|t| matches!(t, ImportType::Tag(_)))
    }

    fn count_imports(&self, f: impl Fn(&ImportType) -> bool) -> u32 {
        self.imports.iter().filter(|i| f(&i.ty)).count() as u32
    }
}
