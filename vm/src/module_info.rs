//! [`ModuleInfo`]: everything instantiation needs from a compiled module, owned (no borrow of
//! the binary), so a compiled module is `Send + Sync` and instantiates cheaply many times.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use strata_decoder::{
    ExternalKind, FuncType, GlobalType, ImportType, MemoryType, Operator, RefType, SubType,
    TableType,
};
use strata_ir::IrFunc;

use crate::store::CanonicalGroup;
use crate::value::UntypedVal;

/// One operator of a constant expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstOp {
    /// `i32.const`
    I32(i32),
    /// `i64.const`
    I64(i64),
    /// `f32.const` (bits)
    F32(u32),
    /// `f64.const` (bits)
    F64(u64),
    /// `v128.const`
    V128(u128),
    /// `ref.null`
    RefNull,
    /// `ref.func` (module function index)
    RefFunc(u32),
    /// `global.get` (module global index)
    GlobalGet(u32),
    /// `i32.add` (extended constant expressions)
    I32Add,
    /// `i32.sub`
    I32Sub,
    /// `i32.mul`
    I32Mul,
    /// `i64.add`
    I64Add,
    /// `i64.sub`
    I64Sub,
    /// `i64.mul`
    I64Mul,
}

/// A validated constant expression, decoded once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstExpr {
    ops: Box<[ConstOp]>,
}

/// A constant expression uses an operator this crate cannot evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedConstExpr(pub String);

impl fmt::Display for UnsupportedConstExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unsupported constant expression operator `{}`", self.0)
    }
}

/// What a valid module uses that this crate cannot set up yet: [`ModuleInfo::new`]'s error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsupported {
    /// A constant expression with an operator [`ConstExpr`] cannot evaluate.
    ConstExpr(UnsupportedConstExpr),
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsupported::ConstExpr(e) => e.fmt(f),
        }
    }
}

impl From<UnsupportedConstExpr> for Unsupported {
    fn from(e: UnsupportedConstExpr) -> Self {
        Unsupported::ConstExpr(e)
    }
}

impl ConstExpr {
    /// An expression of one operator.
    pub fn single(op: ConstOp) -> Self {
        ConstExpr {
            ops: Box::new([op]),
        }
    }

    /// An expression of these operators, as built by [`ConstExpr::decode`] (for deserializing a
    /// compiled module: the caller checks the operators' stack discipline and indices first, as
    /// [`eval`](Self::eval) assumes a valid expression).
    pub fn from_ops(ops: Box<[ConstOp]>) -> Self {
        ConstExpr { ops }
    }

    /// Decodes a (validated) constant expression.
    pub fn decode(expr: &strata_decoder::ConstExpr<'_>) -> Result<Self, UnsupportedConstExpr> {
        let mut ops = Vec::new();
        let mut reader = expr.operators();
        loop {
            let op = reader
                .read()
                .map_err(|e| UnsupportedConstExpr(alloc::format!("{e}")))?;
            ops.push(match op {
                Operator::End {} => break,
                Operator::I32Const { value } => ConstOp::I32(value),
                Operator::I64Const { value } => ConstOp::I64(value),
                Operator::F32Const { value } => ConstOp::F32(value.0),
                Operator::F64Const { value } => ConstOp::F64(value.0),
                Operator::V128Const { value } => ConstOp::V128(value.to_u128()),
                Operator::RefNull { .. } => ConstOp::RefNull,
                Operator::RefFunc { func } => ConstOp::RefFunc(func),
                Operator::GlobalGet { global } => ConstOp::GlobalGet(global),
                Operator::I32Add {} => ConstOp::I32Add,
                Operator::I32Sub {} => ConstOp::I32Sub,
                Operator::I32Mul {} => ConstOp::I32Mul,
                Operator::I64Add {} => ConstOp::I64Add,
                Operator::I64Sub {} => ConstOp::I64Sub,
                Operator::I64Mul {} => ConstOp::I64Mul,
                other => return Err(UnsupportedConstExpr(other.name().into())),
            });
        }
        Ok(ConstExpr {
            ops: ops.into_boxed_slice(),
        })
    }

    /// The operators.
    pub fn ops(&self) -> &[ConstOp] {
        &self.ops
    }

    /// Evaluates the expression: `func(i)` gives the reference to module function `i`,
    /// `global(i)` the value of module global `i`.
    pub fn eval(
        &self,
        func: &dyn Fn(u32) -> UntypedVal,
        global: &dyn Fn(u32) -> [UntypedVal; 2],
    ) -> [UntypedVal; 2] {
        let one = |v: UntypedVal| [v, UntypedVal::ZERO];
        // Nearly every initialiser and offset is one operator: no stack for those.
        match *self.ops {
            [ConstOp::I32(v)] => return one(UntypedVal::from_i32(v)),
            [ConstOp::I64(v)] => return one(UntypedVal::from_i64(v)),
            [ConstOp::GlobalGet(i)] => return global(i),
            [ConstOp::RefFunc(i)] => return one(func(i)),
            _ => {}
        }
        let mut stack: Vec<[UntypedVal; 2]> = Vec::with_capacity(2);
        for op in self.ops.iter() {
            let v = match *op {
                ConstOp::I32(v) => one(UntypedVal::from_i32(v)),
                ConstOp::I64(v) => one(UntypedVal::from_i64(v)),
                ConstOp::F32(v) => one(UntypedVal::from_u32(v)),
                ConstOp::F64(v) => one(UntypedVal::from_u64(v)),
                ConstOp::V128(v) => UntypedVal::from_v128(v),
                ConstOp::RefNull => one(UntypedVal::ZERO),
                ConstOp::RefFunc(i) => one(func(i)),
                ConstOp::GlobalGet(i) => global(i),
                bin => {
                    let b = stack.pop().expect("validated")[0];
                    let a = stack.pop().expect("validated")[0];
                    one(match bin {
                        ConstOp::I32Add => {
                            UntypedVal::from_i32(a.to_i32().wrapping_add(b.to_i32()))
                        }
                        ConstOp::I32Sub => {
                            UntypedVal::from_i32(a.to_i32().wrapping_sub(b.to_i32()))
                        }
                        ConstOp::I32Mul => {
                            UntypedVal::from_i32(a.to_i32().wrapping_mul(b.to_i32()))
                        }
                        ConstOp::I64Add => {
                            UntypedVal::from_i64(a.to_i64().wrapping_add(b.to_i64()))
                        }
                        ConstOp::I64Sub => {
                            UntypedVal::from_i64(a.to_i64().wrapping_sub(b.to_i64()))
                        }
                        _ => UntypedVal::from_i64(a.to_i64().wrapping_mul(b.to_i64())),
                    })
                }
            };
            stack.push(v);
        }
        stack
            .pop()
            .expect("validated constant expression yields a value")
    }
}

/// An import as the module declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportInfo {
    /// The module name.
    pub module: Box<str>,
    /// The field name.
    pub name: Box<str>,
    /// What is imported (function imports name a module type index).
    pub ty: ImportType,
}

/// An export as the module declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportInfo {
    /// The exported name (shared with every instance's export list).
    pub name: Arc<str>,
    /// What kind of entity.
    pub kind: ExternalKind,
    /// Its index in that kind's module index space.
    pub index: u32,
}

/// A table the module defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInfo {
    /// Its type.
    pub ty: TableType,
    /// The initial value of every element (null when absent).
    pub init: Option<ConstExpr>,
}

/// A global the module defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobalInfo {
    /// Its type.
    pub ty: GlobalType,
    /// Its initialiser.
    pub init: ConstExpr,
}

/// How an element segment is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElemMode {
    /// Available to `table.init`.
    Passive,
    /// Copied into `table` at `offset` during instantiation, then dropped.
    Active {
        /// Module table index.
        table: u32,
        /// Where in the table.
        offset: ConstExpr,
    },
    /// Only declares functions for `ref.func`; dropped at instantiation.
    Declared,
}

/// The items of an element segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElemItems {
    /// Module function indices.
    Funcs(Box<[u32]>),
    /// Constant expressions.
    Exprs(Box<[ConstExpr]>),
}

/// An element segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElemInfo {
    /// How it is used.
    pub mode: ElemMode,
    /// Its element type.
    pub ty: RefType,
    /// Its items.
    pub items: ElemItems,
}

/// A data segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataInfo {
    /// Active: `(memory, offset)`; passive: `None`.
    pub active: Option<(u32, ConstExpr)>,
    /// The bytes, shared by every instance until dropped.
    pub bytes: Arc<[u8]>,
}

/// A recursion group of a module's types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecGroup {
    /// The module type indices it covers.
    pub types: Range<u32>,
    /// Its canonical form, computed once here when it is the same in every store (the group
    /// refers to no type outside itself); otherwise each store computes it at instantiation.
    pub canonical: Option<CanonicalGroup>,
}

impl RecGroup {
    /// The group of `types[range]` (`types` all the module's types, by index).
    pub fn new(types: &[SubType], range: Range<u32>) -> Self {
        RecGroup {
            canonical: CanonicalGroup::closed(types, range.clone()),
            types: range,
        }
    }
}

/// Everything instantiation and execution need from a compiled module.
#[derive(Debug, Clone)]
pub struct ModuleInfo {
    /// Function types by module type index (`None` for non-function types).
    pub types: Box<[Option<FuncType>]>,
    /// Every defined type with its subtyping information, by module type index (interned
    /// store-wide by equivalence at instantiation).
    pub subtypes: Box<[SubType]>,
    /// The recursion groups, in order, covering every type.
    pub rec_groups: Box<[RecGroup]>,
    /// Imports, in order.
    pub imports: Box<[ImportInfo]>,
    /// The type index of every function, imports first.
    pub funcs: Box<[u32]>,
    /// Number of imported functions.
    pub num_imported_funcs: u32,
    /// Number of imported tables.
    pub num_imported_tables: u32,
    /// Number of imported memories.
    pub num_imported_memories: u32,
    /// Number of imported globals.
    pub num_imported_globals: u32,
    /// Number of imported tags.
    pub num_imported_tags: u32,
    /// The type index of each defined tag.
    pub tags: Box<[u32]>,
    /// Defined tables.
    pub tables: Box<[TableInfo]>,
    /// Defined memories.
    pub memories: Box<[MemoryType]>,
    /// Defined globals.
    pub globals: Box<[GlobalInfo]>,
    /// Exports, in order.
    pub exports: Box<[ExportInfo]>,
    /// The start function.
    pub start: Option<u32>,
    /// Element segments.
    pub elems: Box<[ElemInfo]>,
    /// Data segments.
    pub datas: Box<[DataInfo]>,
    /// Translated bodies of the defined functions, in order.
    pub code: Box<[Arc<IrFunc>]>,
    /// Byte offset of each defined function's body in the binary (for backtraces).
    pub code_offsets: Box<[u32]>,
    /// The module's name from the name section.
    pub name: Option<Box<str>>,
    /// Function names from the name section, sorted by function index.
    pub func_names: Box<[(u32, Box<str>)]>,
}

impl ModuleInfo {
    /// Collects what instantiation needs from a decoded, validated module and its translated
    /// functions (one per defined function, in order).
    pub fn new(
        module: &strata_decoder::Module<'_>,
        code: Vec<IrFunc>,
    ) -> Result<Self, Unsupported> {
        let types = module.types.iter().map(|t| t.as_func().cloned()).collect();
        let imports = module
            .imports
            .iter()
            .map(|i| ImportInfo {
                module: i.module.into(),
                name: i.name.into(),
                ty: i.ty,
            })
            .collect();
        let mut funcs: Vec<u32> = module
            .imports
            .iter()
            .filter_map(|i| match i.ty {
                ImportType::Func(t) => Some(t),
                _ => None,
            })
            .collect();
        funcs.extend_from_slice(&module.functions);
        let tables = module
            .tables
            .iter()
            .map(|t| {
                Ok(TableInfo {
                    ty: t.ty,
                    init: t.init.as_ref().map(ConstExpr::decode).transpose()?,
                })
            })
            .collect::<Result<_, UnsupportedConstExpr>>()?;
        let globals = module
            .globals
            .iter()
            .map(|g| {
                Ok(GlobalInfo {
                    ty: g.ty,
                    init: ConstExpr::decode(&g.init)?,
                })
            })
            .collect::<Result<_, UnsupportedConstExpr>>()?;
        let exports = module
            .exports
            .iter()
            .map(|e| ExportInfo {
                name: e.name.into(),
                kind: e.kind,
                index: e.index,
            })
            .collect();
        let elems = module
            .elements
            .iter()
            .map(|e| {
                let mode = match &e.kind {
                    strata_decoder::ElementKind::Passive => ElemMode::Passive,
                    strata_decoder::ElementKind::Declared => ElemMode::Declared,
                    strata_decoder::ElementKind::Active { table, offset_expr } => {
                        ElemMode::Active {
                            table: *table,
                            offset: ConstExpr::decode(offset_expr)?,
                        }
                    }
                };
                let items = match &e.items {
                    strata_decoder::ElementItems::Functions(f) => ElemItems::Funcs(f.clone()),
                    strata_decoder::ElementItems::Expressions(_, exprs) => {
                        ElemItems::Exprs(exprs.iter().map(ConstExpr::decode).collect::<Result<
                            _,
                            UnsupportedConstExpr,
                        >>(
                        )?)
                    }
                };
                Ok(ElemInfo {
                    mode,
                    ty: e.items.ref_type(),
                    items,
                })
            })
            .collect::<Result<_, UnsupportedConstExpr>>()?;
        let datas = module
            .data
            .iter()
            .map(|d| {
                Ok(DataInfo {
                    active: match &d.kind {
                        strata_decoder::DataKind::Passive => None,
                        strata_decoder::DataKind::Active {
                            memory,
                            offset_expr,
                        } => Some((*memory, ConstExpr::decode(offset_expr)?)),
                    },
                    bytes: Arc::from(d.bytes),
                })
            })
            .collect::<Result<_, UnsupportedConstExpr>>()?;
        Ok(ModuleInfo {
            types,
            subtypes: module.types.clone().into_boxed_slice(),
            rec_groups: module
                .rec_groups
                .iter()
                .map(|g| RecGroup::new(&module.types, g.clone()))
                .collect(),
            imports,
            funcs: funcs.into_boxed_slice(),
            num_imported_funcs: module.num_imported_funcs(),
            num_imported_tables: module.num_imported_tables(),
            num_imported_memories: module.num_imported_memories(),
            num_imported_globals: module.num_imported_globals(),
            num_imported_tags: module.num_imported_tags(),
            tags: module.tags.iter().map(|t| t.ty.func_type).collect(),
            tables,
            memories: module.memories.iter().map(|m| m.ty).collect(),
            globals,
            exports,
            start: module.start.map(|(f, _)| f),
            elems,
            datas,
            code: code.into_iter().map(Arc::new).collect(),
            code_offsets: module.code.iter().map(|b| b.offset as u32).collect(),
            name: module.names.module.map(Into::into),
            func_names: module
                .names
                .functions
                .iter()
                .map(|&(i, n)| (i, n.into()))
                .collect(),
        })
    }

    /// The type of function `func_index` (imports first).
    pub fn func_type(&self, func_index: u32) -> &FuncType {
        self.types[self.funcs[func_index as usize] as usize]
            .as_ref()
            .expect("validated: functions have function types")
    }

    /// The name of function `func_index` from the name section.
    pub fn func_name(&self, func_index: u32) -> Option<&str> {
        self.func_names
            .binary_search_by_key(&func_index, |(i, _)| *i)
            .ok()
            .map(|i| &*self.func_names[i].1)
    }

    /// The byte offset of function `func_index`'s body, if it is defined by the module.
    pub fn code_offset(&self, func_index: u32) -> Option<u32> {
        let defined = func_index.checked_sub(self.num_imported_funcs)?;
        self.code_offsets.get(defined as usize).copied()
    }
}
