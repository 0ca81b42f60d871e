//! [`Module::serialize`] and [`Module::deserialize`]: a compiled module's validated, translated
//! form as bytes, for caches.
//!
//! ## Format
//!
//! ```text
//! header   magic "\0strata\x01" | format u32 | strata version (str) | backend u8
//!          | translation flags u8 (fuel, interruptible) | features u32
//!          | CPU: target architecture (str) + feature bits u64 (0 for the interpreter; the JITs
//!            will record what their code needs)
//!          | payload length u64 | payload checksum u64
//! payload  the module description (types, imports, exports, segments, constant expressions,
//!          names) and every function's IR (`strata_ir::serialize`)
//! ```
//!
//! Integers are little-endian, strings and lists are `u32`-length-prefixed. Deserializing
//! refuses, with [`Error::Deserialize`] naming the reason, anything that is not exactly what
//! this build of strata with this engine configuration would write: another magic or format,
//! another strata version, backend, translation flags, features or CPU, a truncated payload, a
//! checksum mismatch, and a payload that decodes to an inconsistent module: every index is
//! checked against its index space, every constant expression's stack discipline, and every
//! function's IR with [`strata_ir::serialize::verify_func`] before anything can run it. No
//! `unsafe` is involved, and no input makes it panic (`fuzz/fuzz_targets/deserialize.rs`).
//!
//! The checksum detects accidental corruption; it is not a signature. Type-level integrity of
//! the IR (which the verifier does not re-check) rests on it: keep caches where only the user
//! can write.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use strata_decoder::{
    CompositeType, ExternalKind, FieldType, FuncType, GlobalType, ImportType, Limits, MemoryType,
    StorageType, SubType, TableType, TagType,
};
use strata_ir::serialize::{
    decode_func, encode_func, verify_func, DecodeError, ModuleShape, Reader, Writer,
};
use strata_vm::module_info::{
    DataInfo, ElemInfo, ElemItems, ElemMode, ExportInfo, GlobalInfo, ImportInfo, RecGroup,
    TableInfo,
};
use strata_vm::{ConstExpr, ConstOp, ModuleInfo};

use crate::engine::{Backend, Engine};
use crate::error::Error;
use crate::module::Module;

const MAGIC: [u8; 8] = *b"\0strata\x01";
/// Bumped whenever the layout or the IR opcode numbering changes (the strata version is checked
/// as well). 2: compare-with-immediate branches and stores of constants. 3: loads and stores
/// absorbing an `i32.add` of a constant (`i32.load_add` ...), numbered after `i64.store_imm`,
/// and xorshift steps (`i64.xor_shr_u_imm` ...) after the rotations by an immediate.
const FORMAT: u32 = 7;
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The architecture the artefact was made on.
const ARCH: &str = if cfg!(target_arch = "x86_64") {
    "x86_64"
} else if cfg!(target_arch = "aarch64") {
    "aarch64"
} else if cfg!(target_arch = "x86") {
    "x86"
} else if cfg!(target_arch = "arm") {
    "arm"
} else if cfg!(target_arch = "riscv64") {
    "riscv64"
} else if cfg!(target_arch = "wasm32") {
    "wasm32"
} else {
    "other"
};

/// The CPU features the artefact's code needs: none for the interpreter's IR. The JITs will
/// record theirs here and refuse artefacts the host cannot run.
const CPU_FEATURES: u64 = 0;

/// A 64-bit checksum of `bytes`: eight bytes at a time, multiply-rotate-xor (fast, and good at
/// catching flipped bits and truncation; not a cryptographic hash).
pub fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0x243F_6A88_85A3_08D3 ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    h ^ (h >> 32)
}

fn backend_code(b: Backend) -> u8 {
    match b {
        Backend::Interp => 0,
        Backend::X64 => 1,
        Backend::Auto => backend_code(b.resolve()),
    }
}

fn flags(engine: &Engine) -> u8 {
    u8::from(engine.config().get_consume_fuel())
        | (u8::from(engine.config().get_interruptible()) << 1)
}

impl Module {
    /// The module's compiled form (validated and translated), to be turned back into a
    /// [`Module`] by [`Module::deserialize`] with an engine of the same configuration. See the
    /// `serialize` module for the format.
    ///
    /// ```
    /// # fn wat(s: &str) -> Vec<u8> { let b = wast::parser::ParseBuffer::new(s).unwrap(); let mut m: wast::Wat = wast::parser::parse(&b).unwrap(); m.encode().unwrap() }
    /// use strata_runtime::{Engine, Error, Linker, Module, Store};
    /// let engine = Engine::default();
    /// let module = Module::new(&engine, &wat(r#"(module
    ///     (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))"#))?;
    /// let bytes = module.serialize();
    /// let module = Module::deserialize(&engine, &bytes)?;
    /// let mut store = Store::new(&engine, ());
    /// let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
    /// assert_eq!(instance.get_typed_func::<(i32, i32), i32>(&store, "add")?.call(&mut store, (2, 3))?, 5);
    /// // A damaged artefact is refused.
    /// let mut bad = bytes.clone();
    /// *bad.last_mut().unwrap() ^= 1;
    /// assert!(matches!(Module::deserialize(&engine, &bad), Err(Error::Deserialize(_))));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn serialize(&self) -> Vec<u8> {
        let mut payload = Writer::new();
        encode_module(&self.info, &mut payload);
        let mut w = Writer::new();
        w.bytes.extend_from_slice(&MAGIC);
        w.u32(FORMAT);
        w.str(VERSION);
        let engine = self.engine();
        w.u8(backend_code(engine.config().get_backend()));
        w.u8(flags(engine));
        w.u32(engine.config().get_features().bits());
        w.str(ARCH);
        w.u64(CPU_FEATURES);
        w.u64(payload.bytes.len() as u64);
        w.u64(checksum(&payload.bytes));
        w.bytes.extend_from_slice(&payload.bytes);
        w.bytes
    }

    /// Rebuilds a module from [`Module::serialize`]'s bytes for `engine`, refusing (with
    /// [`Error::Deserialize`]) bytes from another strata version or engine configuration, and
    /// truncated, corrupted or inconsistent ones. Safe: nothing in `bytes` is trusted before it
    /// is checked.
    pub fn deserialize(engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        let err = |m: String| Error::Deserialize(m);
        let mut r = Reader::new(bytes);
        let de = |e: DecodeError| err(format!("{e}"));
        if r.take(MAGIC.len()).ok() != Some(&MAGIC[..]) {
            return Err(err(String::from(
                "not a compiled strata module (bad magic)",
            )));
        }
        let format = r.u32().map_err(de)?;
        if format != FORMAT {
            return Err(err(format!(
                "compiled-module format {format}, this strata reads {FORMAT}"
            )));
        }
        let version = r.str().map_err(de)?;
        if version != VERSION {
            return Err(err(format!(
                "compiled by strata {version}, this is strata {VERSION}"
            )));
        }
        let backend = r.u8().map_err(de)?;
        if backend != backend_code(engine.config().get_backend()) {
            return Err(err(format!(
                "compiled for backend {backend}, the engine uses {:?}",
                engine.config().get_backend()
            )));
        }
        let f = r.u8().map_err(de)?;
        if f != flags(engine) {
            let say = |f: u8| {
                format!(
                    "fuel {}, interruptible {}",
                    if f & 1 != 0 { "on" } else { "off" },
                    if f & 2 != 0 { "on" } else { "off" }
                )
            };
            return Err(err(format!(
                "compiled with {}, the engine has {}",
                say(f),
                say(flags(engine))
            )));
        }
        let features = r.u32().map_err(de)?;
        if features != engine.config().get_features().bits() {
            return Err(err(format!(
                "compiled with features {features:#x}, the engine has {:#x}",
                engine.config().get_features().bits()
            )));
        }
        let arch = r.str().map_err(de)?;
        let cpu = r.u64().map_err(de)?;
        let here = ARCH;
        if arch != here || cpu & !CPU_FEATURES != 0 {
            return Err(err(format!(
                "compiled for CPU {arch} with features {cpu:#x}, this host is {here}"
            )));
        }
        let len = r.u64().map_err(de)?;
        let sum = r.u64().map_err(de)?;
        if len != r.remaining() as u64 {
            return Err(err(format!(
                "payload of {} bytes, the header says {len} (truncated or extended)",
                r.remaining()
            )));
        }
        let payload = r.take(r.remaining()).map_err(de)?;
        if checksum(payload) != sum {
            return Err(err(String::from(
                "checksum mismatch (the artefact is corrupted)",
            )));
        }
        let info = decode_module(&mut Reader::new(payload)).map_err(de)?;
        check_module(&info).map_err(err)?;
        let info = Arc::new(info);
        // A compiling backend compiles the verified IR now, as `Module::new` does.
        crate::module::compile_backend(engine, &info)?;
        Ok(Module {
            info,
            engine: engine.clone(),
        })
    }
}

// ---- encoding ----

fn limits(w: &mut Writer, l: &Limits) {
    w.u64(l.min);
    opt_u64(w, l.max);
}

fn opt_u64(w: &mut Writer, v: Option<u64>) {
    match v {
        None => w.u8(0),
        Some(v) => {
            w.u8(1);
            w.u64(v);
        }
    }
}

fn table_type(w: &mut Writer, t: &TableType) {
    w.ref_type(t.element);
    limits(w, &t.limits);
    w.u8(u8::from(t.table64));
}

fn memory_type(w: &mut Writer, m: &MemoryType) {
    limits(w, &m.limits);
    w.u8(u8::from(m.memory64));
    w.u8(u8::from(m.shared));
    opt_u64(w, m.page_size_log2.map(u64::from));
}

fn global_type(w: &mut Writer, g: &GlobalType) {
    w.val_type(g.content);
    w.u8(u8::from(g.mutable));
}

fn const_expr(w: &mut Writer, e: &ConstExpr) {
    w.len(e.ops().len());
    for op in e.ops() {
        match *op {
            ConstOp::I32(v) => {
                w.u8(0);
                w.u32(v as u32);
            }
            ConstOp::I64(v) => {
                w.u8(1);
                w.u64(v as u64);
            }
            ConstOp::F32(v) => {
                w.u8(2);
                w.u32(v);
            }
            ConstOp::F64(v) => {
                w.u8(3);
                w.u64(v);
            }
            ConstOp::V128(v) => {
                w.u8(4);
                w.u128(v);
            }
            ConstOp::RefNull => w.u8(5),
            ConstOp::RefFunc(i) => {
                w.u8(6);
                w.u32(i);
            }
            ConstOp::GlobalGet(i) => {
                w.u8(7);
                w.u32(i);
            }
            ConstOp::I32Add => w.u8(8),
            ConstOp::I32Sub => w.u8(9),
            ConstOp::I32Mul => w.u8(10),
            ConstOp::I64Add => w.u8(11),
            ConstOp::I64Sub => w.u8(12),
            ConstOp::I64Mul => w.u8(13),
        }
    }
}

fn opt_const_expr(w: &mut Writer, e: Option<&ConstExpr>) {
    match e {
        None => w.u8(0),
        Some(e) => {
            w.u8(1);
            const_expr(w, e);
        }
    }
}

fn field_type(w: &mut Writer, f: &FieldType) {
    match f.storage {
        StorageType::I8 => w.u8(0),
        StorageType::I16 => w.u8(1),
        StorageType::Val(v) => {
            w.u8(2);
            w.val_type(v);
        }
    }
    w.u8(u8::from(f.mutable));
}

fn encode_module(m: &ModuleInfo, w: &mut Writer) {
    w.len(m.subtypes.len());
    for t in m.subtypes.iter() {
        w.u8(u8::from(t.is_final));
        w.len(t.supertypes.len());
        t.supertypes.iter().for_each(|&s| w.u32(s));
        match &t.composite {
            CompositeType::Func(t) => {
                w.u8(0);
                w.len(t.params().len());
                t.params().iter().for_each(|&v| w.val_type(v));
                w.len(t.results().len());
                t.results().iter().for_each(|&v| w.val_type(v));
            }
            CompositeType::Struct(fields) => {
                w.u8(1);
                w.len(fields.len());
                fields.iter().for_each(|f| field_type(w, f));
            }
            CompositeType::Array(f) => {
                w.u8(2);
                field_type(w, f);
            }
        }
    }
    w.len(m.rec_groups.len());
    for g in m.rec_groups.iter() {
        w.u32(g.types.start);
        w.u32(g.types.end);
    }
    w.len(m.tags.len());
    m.tags.iter().for_each(|&t| w.u32(t));
    w.len(m.imports.len());
    for i in m.imports.iter() {
        w.str(&i.module);
        w.str(&i.name);
        match &i.ty {
            ImportType::Func(t) => {
                w.u8(0);
                w.u32(*t);
            }
            ImportType::Table(t) => {
                w.u8(1);
                table_type(w, t);
            }
            ImportType::Memory(t) => {
                w.u8(2);
                memory_type(w, t);
            }
            ImportType::Global(t) => {
                w.u8(3);
                global_type(w, t);
            }
            ImportType::Tag(t) => {
                w.u8(4);
                w.u32(t.func_type);
            }
        }
    }
    w.len(m.funcs.len());
    m.funcs.iter().for_each(|&f| w.u32(f));
    w.len(m.tables.len());
    for t in m.tables.iter() {
        table_type(w, &t.ty);
        opt_const_expr(w, t.init.as_ref());
    }
    w.len(m.memories.len());
    m.memories.iter().for_each(|t| memory_type(w, t));
    w.len(m.globals.len());
    for g in m.globals.iter() {
        global_type(w, &g.ty);
        const_expr(w, &g.init);
    }
    w.len(m.exports.len());
    for e in m.exports.iter() {
        w.str(&e.name);
        w.u8(match e.kind {
            ExternalKind::Func => 0,
            ExternalKind::Table => 1,
            ExternalKind::Memory => 2,
            ExternalKind::Global => 3,
            ExternalKind::Tag => 4,
        });
        w.u32(e.index);
    }
    opt_u64(w, m.start.map(u64::from));
    w.len(m.elems.len());
    for e in m.elems.iter() {
        match &e.mode {
            ElemMode::Passive => w.u8(0),
            ElemMode::Active { table, offset } => {
                w.u8(1);
                w.u32(*table);
                const_expr(w, offset);
            }
            ElemMode::Declared => w.u8(2),
        }
        w.ref_type(e.ty);
        match &e.items {
            ElemItems::Funcs(f) => {
                w.u8(0);
                w.len(f.len());
                f.iter().for_each(|&i| w.u32(i));
            }
            ElemItems::Exprs(x) => {
                w.u8(1);
                w.len(x.len());
                x.iter().for_each(|e| const_expr(w, e));
            }
        }
    }
    w.len(m.datas.len());
    for d in m.datas.iter() {
        match &d.active {
            None => w.u8(0),
            Some((mem, off)) => {
                w.u8(1);
                w.u32(*mem);
                const_expr(w, off);
            }
        }
        w.bytes(&d.bytes);
    }
    w.len(m.code.len());
    m.code.iter().for_each(|f| encode_func(f, w));
    w.len(m.code_offsets.len());
    m.code_offsets.iter().for_each(|&o| w.u32(o));
    match &m.name {
        None => w.u8(0),
        Some(n) => {
            w.u8(1);
            w.str(n);
        }
    }
    w.len(m.func_names.len());
    for (i, n) in m.func_names.iter() {
        w.u32(*i);
        w.str(n);
    }
}

// ---- decoding ----

fn read_limits(r: &mut Reader<'_>) -> Result<Limits, DecodeError> {
    Ok(Limits {
        min: r.u64()?,
        max: read_opt_u64(r)?,
    })
}

fn read_opt_u64(r: &mut Reader<'_>) -> Result<Option<u64>, DecodeError> {
    Ok(if r.bool()? { Some(r.u64()?) } else { None })
}

fn read_table_type(r: &mut Reader<'_>) -> Result<TableType, DecodeError> {
    Ok(TableType {
        element: r.ref_type()?,
        limits: read_limits(r)?,
        table64: r.bool()?,
    })
}

fn read_memory_type(r: &mut Reader<'_>) -> Result<MemoryType, DecodeError> {
    let limits = read_limits(r)?;
    let memory64 = r.bool()?;
    let shared = r.bool()?;
    let page_size_log2 = match read_opt_u64(r)? {
        None => None,
        Some(p @ 0..=16) => Some(p as u32),
        Some(_) => return Err(r.error("invalid page size")),
    };
    Ok(MemoryType {
        limits,
        memory64,
        shared,
        page_size_log2,
    })
}

fn read_global_type(r: &mut Reader<'_>) -> Result<GlobalType, DecodeError> {
    Ok(GlobalType {
        content: r.val_type()?,
        mutable: r.bool()?,
    })
}

fn read_const_expr(r: &mut Reader<'_>) -> Result<ConstExpr, DecodeError> {
    let n = r.count(1)?;
    let mut ops = Vec::with_capacity(n);
    for _ in 0..n {
        ops.push(match r.u8()? {
            0 => ConstOp::I32(r.u32()? as i32),
            1 => ConstOp::I64(r.u64()? as i64),
            2 => ConstOp::F32(r.u32()?),
            3 => ConstOp::F64(r.u64()?),
            4 => ConstOp::V128(r.u128()?),
            5 => ConstOp::RefNull,
            6 => ConstOp::RefFunc(r.u32()?),
            7 => ConstOp::GlobalGet(r.u32()?),
            8 => ConstOp::I32Add,
            9 => ConstOp::I32Sub,
            10 => ConstOp::I32Mul,
            11 => ConstOp::I64Add,
            12 => ConstOp::I64Sub,
            13 => ConstOp::I64Mul,
            _ => return Err(r.error("invalid constant operator")),
        });
    }
    Ok(ConstExpr::from_ops(ops.into_boxed_slice()))
}

fn read_opt_const_expr(r: &mut Reader<'_>) -> Result<Option<ConstExpr>, DecodeError> {
    Ok(if r.bool()? {
        Some(read_const_expr(r)?)
    } else {
        None
    })
}

fn read_list<'a, T>(
    r: &mut Reader<'a>,
    min_item_bytes: usize,
    mut item: impl FnMut(&mut Reader<'a>) -> Result<T, DecodeError>,
) -> Result<Box<[T]>, DecodeError> {
    let n = r.count(min_item_bytes)?;
    (0..n).map(|_| item(r)).collect()
}

fn read_field_type(r: &mut Reader<'_>) -> Result<FieldType, DecodeError> {
    let storage = match r.u8()? {
        0 => StorageType::I8,
        1 => StorageType::I16,
        2 => StorageType::Val(r.val_type()?),
        _ => return Err(r.error("invalid storage type")),
    };
    Ok(FieldType {
        storage,
        mutable: r.bool()?,
    })
}

fn decode_module(r: &mut Reader<'_>) -> Result<ModuleInfo, DecodeError> {
    let subtypes = read_list(r, 3, |r| {
        let is_final = r.bool()?;
        let supertypes = read_list(r, 4, Reader::u32)?;
        let composite = match r.u8()? {
            0 => {
                let params: Vec<_> = read_list(r, 1, Reader::val_type)?.into();
                let results: Vec<_> = read_list(r, 1, Reader::val_type)?.into();
                CompositeType::Func(FuncType::new(&params, &results))
            }
            1 => CompositeType::Struct(read_list(r, 2, read_field_type)?),
            2 => CompositeType::Array(read_field_type(r)?),
            _ => return Err(r.error("invalid composite type")),
        };
        Ok(SubType {
            is_final,
            supertypes,
            composite,
        })
    })?;
    let types = subtypes.iter().map(|t| t.as_func().cloned()).collect();
    let rec_groups = read_list(r, 8, |r| Ok(RecGroup::new(&subtypes, r.u32()?..r.u32()?)))?;
    let tags = read_list(r, 4, Reader::u32)?;
    let imports = read_list(r, 9, |r| {
        let module = r.str()?.into();
        let name = r.str()?.into();
        let ty = match r.u8()? {
            0 => ImportType::Func(r.u32()?),
            1 => ImportType::Table(read_table_type(r)?),
            2 => ImportType::Memory(read_memory_type(r)?),
            3 => ImportType::Global(read_global_type(r)?),
            4 => ImportType::Tag(TagType {
                func_type: r.u32()?,
            }),
            _ => return Err(r.error("invalid import kind")),
        };
        Ok(ImportInfo { module, name, ty })
    })?;
    let funcs = read_list(r, 4, Reader::u32)?;
    let tables = read_list(r, 16, |r| {
        Ok(TableInfo {
            ty: read_table_type(r)?,
            init: read_opt_const_expr(r)?,
        })
    })?;
    let memories = read_list(r, 12, read_memory_type)?;
    let globals = read_list(r, 6, |r| {
        Ok(GlobalInfo {
            ty: read_global_type(r)?,
            init: read_const_expr(r)?,
        })
    })?;
    let exports = read_list(r, 9, |r| {
        let name = r.str()?.into();
        let kind = match r.u8()? {
            0 => ExternalKind::Func,
            1 => ExternalKind::Table,
            2 => ExternalKind::Memory,
            3 => ExternalKind::Global,
            4 => ExternalKind::Tag,
            _ => return Err(r.error("invalid export kind")),
        };
        Ok(ExportInfo {
            name,
            kind,
            index: r.u32()?,
        })
    })?;
    let start = match read_opt_u64(r)? {
        None => None,
        Some(s) => Some(u32::try_from(s).map_err(|_| r.error("invalid start function"))?),
    };
    let elems = read_list(r, 8, |r| {
        let mode = match r.u8()? {
            0 => ElemMode::Passive,
            1 => ElemMode::Active {
                table: r.u32()?,
                offset: read_const_expr(r)?,
            },
            2 => ElemMode::Declared,
            _ => return Err(r.error("invalid element mode")),
        };
        let ty = r.ref_type()?;
        let items = match r.u8()? {
            0 => ElemItems::Funcs(read_list(r, 4, Reader::u32)?),
            1 => ElemItems::Exprs(read_list(r, 4, read_const_expr)?),
            _ => return Err(r.error("invalid element items")),
        };
        Ok(ElemInfo { mode, ty, items })
    })?;
    let datas = read_list(r, 5, |r| {
        let active = if r.bool()? {
            Some((r.u32()?, read_const_expr(r)?))
        } else {
            None
        };
        Ok(DataInfo {
            active,
            bytes: Arc::from(r.bytes()?),
        })
    })?;
    let code = read_list(r, 24, |r| decode_func(r).map(Arc::new))?;
    let code_offsets = read_list(r, 4, Reader::u32)?;
    let name = if r.bool()? {
        Some(r.str()?.into())
    } else {
        None
    };
    let func_names = read_list(r, 8, |r| Ok((r.u32()?, r.str()?.into())))?;
    if r.remaining() != 0 {
        return Err(r.error("trailing bytes after the module"));
    }
    let count = |f: fn(&ImportType) -> bool| imports.iter().filter(|i| f(&i.ty)).count() as u32;
    Ok(ModuleInfo {
        num_imported_funcs: count(|t| matches!(t, ImportType::Func(_))),
        num_imported_tables: count(|t| matches!(t, ImportType::Table(_))),
        num_imported_memories: count(|t| matches!(t, ImportType::Memory(_))),
        num_imported_globals: count(|t| matches!(t, ImportType::Global(_))),
        num_imported_tags: count(|t| matches!(t, ImportType::Tag(_))),
        types,
        subtypes,
        rec_groups,
        tags,
        imports,
        funcs,
        tables,
        memories,
        globals,
        exports,
        start,
        elems,
        datas,
        code,
        code_offsets,
        name,
        func_names,
    })
}

// ---- consistency ----

/// Checks a constant expression: it leaves exactly one value, binary operators find two, and
/// `ref.func`/`global.get` name functions and globals below the given bounds.
fn check_const_expr(e: &ConstExpr, funcs: u32, globals: u32) -> Result<(), String> {
    let mut depth = 0u32;
    for op in e.ops() {
        match *op {
            ConstOp::RefFunc(i) if i >= funcs => {
                return Err(format!("constant expression names function {i}"))
            }
            ConstOp::GlobalGet(i) if i >= globals => {
                return Err(format!("constant expression reads global {i}"))
            }
            ConstOp::I32Add
            | ConstOp::I32Sub
            | ConstOp::I32Mul
            | ConstOp::I64Add
            | ConstOp::I64Sub
            | ConstOp::I64Mul => {
                if depth < 2 {
                    return Err(String::from("constant expression pops an empty stack"));
                }
                depth -= 1;
            }
            _ => depth += 1,
        }
    }
    if depth == 1 {
        Ok(())
    } else {
        Err(String::from("constant expression does not leave one value"))
    }
}

/// Checks every cross-reference of a decoded module, so instantiation and execution never
/// index out of bounds.
fn check_module(m: &ModuleInfo) -> Result<(), String> {
    let func_type = |t: u32| -> Result<&FuncType, String> {
        m.types
            .get(t as usize)
            .and_then(Option::as_ref)
            .ok_or_else(|| format!("type {t} is not a function type"))
    };
    // Function index space: imports first, as `ModuleInfo::new` builds it.
    let imported_funcs: Vec<u32> = m
        .imports
        .iter()
        .filter_map(|i| match i.ty {
            ImportType::Func(t) => Some(t),
            _ => None,
        })
        .collect();
    if m.funcs.len() != imported_funcs.len() + m.code.len()
        || m.funcs[..imported_funcs.len()] != imported_funcs[..]
    {
        return Err(String::from(
            "function index space does not match imports and code",
        ));
    }
    for &t in m.funcs.iter() {
        func_type(t)?;
    }
    // Frames count slots in `u16`: no function type may need more.
    for t in m.types.iter().flatten() {
        let slots = |tys: &[strata_decoder::ValType]| {
            tys.iter()
                .map(|&t| u64::from(strata_ir::slots_of(t)))
                .sum::<u64>()
        };
        if slots(t.params()) > u64::from(u16::MAX) || slots(t.results()) > u64::from(u16::MAX) {
            return Err(String::from("a function type needs more than 65535 slots"));
        }
    }
    // The recursion groups cover every type, in order; a type refers only to types of earlier
    // groups and its own (what interning the types into a store relies on).
    let mut next = 0u32;
    for g in m.rec_groups.iter().map(|g| &g.types) {
        if g.start != next || g.end < g.start || g.end as usize > m.subtypes.len() {
            return Err(String::from(
                "recursion groups do not cover the types in order",
            ));
        }
        for t in &m.subtypes[g.start as usize..g.end as usize] {
            let mut bad = false;
            t.map_type_indices(&mut |x| {
                bad |= x >= g.end;
                x
            });
            if bad {
                return Err(String::from("a type refers to a later recursion group"));
            }
        }
        next = g.end;
    }
    if next as usize != m.subtypes.len() {
        return Err(String::from(
            "recursion groups do not cover the types in order",
        ));
    }
    for i in m.imports.iter() {
        if let ImportType::Tag(t) = i.ty {
            func_type(t.func_type)?;
        }
    }
    for &t in m.tags.iter() {
        func_type(t)?;
    }
    let tags = m.num_imported_tags + m.tags.len() as u32;
    let funcs = m.funcs.len() as u32;
    let tables = m.num_imported_tables + m.tables.len() as u32;
    let memories = m.num_imported_memories + m.memories.len() as u32;
    let globals = m.num_imported_globals + m.globals.len() as u32;
    for t in m.tables.iter() {
        if let Some(e) = &t.init {
            check_const_expr(e, funcs, globals)?;
        }
    }
    for (i, g) in m.globals.iter().enumerate() {
        // An initialiser sees the imported globals and the ones defined before it.
        check_const_expr(&g.init, funcs, m.num_imported_globals + i as u32)?;
    }
    for e in m.exports.iter() {
        let len = match e.kind {
            ExternalKind::Func => funcs,
            ExternalKind::Table => tables,
            ExternalKind::Memory => memories,
            ExternalKind::Global => globals,
            ExternalKind::Tag => tags,
        };
        if e.index >= len {
            return Err(format!("export `{}` names a missing {}", e.name, e.kind));
        }
    }
    if let Some(s) = m.start {
        if s >= funcs {
            return Err(format!("start function {s} does not exist"));
        }
        let ty = func_type(m.funcs[s as usize])?;
        if !ty.params().is_empty() || !ty.results().is_empty() {
            return Err(String::from("start function has parameters or results"));
        }
    }
    for e in m.elems.iter() {
        if let ElemMode::Active { table, offset } = &e.mode {
            if *table >= tables {
                return Err(format!("element segment names table {table}"));
            }
            check_const_expr(offset, funcs, globals)?;
        }
        match &e.items {
            ElemItems::Funcs(f) => {
                if let Some(i) = f.iter().find(|&&i| i >= funcs) {
                    return Err(format!("element segment names function {i}"));
                }
            }
            ElemItems::Exprs(x) => {
                for e in x.iter() {
                    check_const_expr(e, funcs, globals)?;
                }
            }
        }
    }
    for d in m.datas.iter() {
        if let Some((mem, offset)) = &d.active {
            if *mem >= memories {
                return Err(format!("data segment names memory {mem}"));
            }
            check_const_expr(offset, funcs, globals)?;
        }
    }
    if m.code_offsets.len() != m.code.len() {
        return Err(String::from("code offsets do not match the code"));
    }
    if !m.func_names.windows(2).all(|w| w[0].0 < w[1].0) {
        return Err(String::from("function names are not sorted"));
    }
    let func_types: Vec<bool> = m.types.iter().map(Option::is_some).collect();
    let shape = ModuleShape {
        funcs,
        globals,
        tables,
        memories,
        datas: m.datas.len() as u32,
        elems: m.elems.len() as u32,
        tags,
        func_types: &func_types,
    };
    for (i, code) in m.code.iter().enumerate() {
        let index = m.num_imported_funcs + i as u32;
        if code.func_index != index {
            return Err(format!(
                "function {index}'s code says it is {}",
                code.func_index
            ));
        }
        let ty = func_type(m.funcs[index as usize])?;
        let (params, results) = strata_vm::store::slot_counts(ty);
        if code.local_types.get(..ty.params().len()) != Some(ty.params()) {
            return Err(format!(
                "function {index}'s locals do not start with its parameters"
            ));
        }
        verify_func(code, &shape, params, results).map_err(|e| format!("{e}"))?;
    }
    Ok(())
}
