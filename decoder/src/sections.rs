//! One reader per known section: types, imports, functions, tables, memories, tags, globals,
//! exports, elements, code and data.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::decode::{read_vec, read_vec_len};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::features::Features;
use crate::module::{
    ConstExpr, Data, DataKind, Element, ElementItems, ElementKind, Export, FunctionBody, Global,
    Import, ImportType, Memory, Module, Table, Tag,
};
use crate::operator::{decode_operator, Operator};
use crate::reader::Reader;
use crate::types::{
    CompositeType, ExternalKind, FieldType, FuncType, GlobalType, Limits, MemoryType, RefType,
    StorageType, SubType, TableType, TagType, ValType,
};

/// Reads the type section into `module.types`, `module.rec_groups` and
/// `module.type_offsets`.
pub(crate) fn read_types<'a>(
    r: &mut Reader<'a>,
    module: &mut Module<'a>,
) -> Result<(), DecodeError> {
    let n = read_vec_len(r)?;
    for _ in 0..n {
        let start = module.types.len() as u32;
        if r.peek_u8()? == 0x4e && r.features().contains(Features::GC) {
            r.read_u8()?;
            let m = read_vec_len(r)?;
            for _ in 0..m {
                module.type_offsets.push(r.offset());
                let t = read_sub_type(r)?;
                module.types.push(t);
            }
        } else {
            module.type_offsets.push(r.offset());
            let t = read_sub_type(r)?;
            module.types.push(t);
        }
        module.rec_groups.push(start..module.types.len() as u32);
    }
    Ok(())
}

fn read_sub_type(r: &mut Reader<'_>) -> Result<SubType, DecodeError> {
    let b = r.peek_u8()?;
    if (b == 0x50 || b == 0x4f) && r.features().contains(Features::GC) {
        r.read_u8()?;
        let supertypes = read_vec(r, |r| r.read_var_u32())?.into_boxed_slice();
        let composite = read_composite_type(r)?;
        return Ok(SubType {
            is_final: b == 0x4f,
            supertypes,
            composite,
        });
    }
    Ok(SubType {
        is_final: true,
        supertypes: Box::new([]),
        composite: read_composite_type(r)?,
    })
}

fn read_composite_type(r: &mut Reader<'_>) -> Result<CompositeType, DecodeError> {
    let at = r.offset();
    let form = r.read_u8()?;
    let gc = r.features().contains(Features::GC);
    match form {
        0x60 => {
            let params = read_vec(r, |r| r.read_val_type())?;
            let results = read_vec(r, |r| r.read_val_type())?;
            Ok(CompositeType::Func(FuncType::new(&params, &results)))
        }
        0x5f if gc => Ok(CompositeType::Struct(
            read_vec(r, read_field_type)?.into_boxed_slice(),
        )),
        0x5e if gc => Ok(CompositeType::Array(read_field_type(r)?)),
        _ => Err(DecodeError::new(DecodeErrorKind::MalformedTypeForm, at)),
    }
}

fn read_field_type(r: &mut Reader<'_>) -> Result<FieldType, DecodeError> {
    let storage = match r.peek_u8()? {
        0x78 => {
            r.read_u8()?;
            StorageType::I8
        }
        0x77 => {
            r.read_u8()?;
            StorageType::I16
        }
        _ => StorageType::Val(r.read_val_type()?),
    };
    let mutable = read_mutability(r)?;
    Ok(FieldType { storage, mutable })
}

fn read_mutability(r: &mut Reader<'_>) -> Result<bool, DecodeError> {
    let at = r.offset();
    match r.read_u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(DecodeError::new(DecodeErrorKind::MalformedMutability, at)),
    }
}

/// Reads limits; `allow64` says whether the 64-bit index flags are accepted.
/// Returns the limits, whether they are 64-bit, and whether they are shared.
///
/// WebAssembly 3.0 (with memory64) encodes the bounds as `u64` for both address types and
/// leaves the range check to validation ("memory size must be at most 65536 pages"); 2.0
/// encodes them as `u32`, so a larger value there is malformed ("integer too large").
fn read_limits(r: &mut Reader<'_>, allow64: bool) -> Result<(Limits, bool, bool), DecodeError> {
    let at = r.offset();
    let flags = r.read_u8()?;
    if !allow64 && flags > 1 {
        // WebAssembly 2.0 reads the flag as a one-bit LEB128 integer.
        let kind = if flags & 0x80 != 0 {
            DecodeErrorKind::IntegerTooLong
        } else {
            DecodeErrorKind::IntegerTooLarge
        };
        return Err(DecodeError::new(kind, at));
    }
    let has_max = flags & 0x01 != 0;
    let shared = flags & 0x02 != 0;
    let is64 = flags & 0x04 != 0;
    if flags & !0x07 != 0 || shared || (is64 && !allow64) {
        return Err(DecodeError::new(DecodeErrorKind::MalformedLimitsFlags, at));
    }
    let read = |r: &mut Reader<'_>| -> Result<u64, DecodeError> {
        if allow64 {
            r.read_var_u64()
        } else {
            r.read_var_u32().map(u64::from)
        }
    };
    let min = read(r)?;
    let max = if has_max { Some(read(r)?) } else { None };
    Ok((Limits { min, max }, is64, shared))
}

pub(crate) fn read_table_type(r: &mut Reader<'_>) -> Result<TableType, DecodeError> {
    let element = r.read_ref_type()?;
    let allow64 = r.features().contains(Features::MEMORY64);
    let (limits, table64, _) = read_limits(r, allow64)?;
    Ok(TableType {
        element,
        limits,
        table64,
    })
}

pub(crate) fn read_memory_type(r: &mut Reader<'_>) -> Result<MemoryType, DecodeError> {
    let allow64 = r.features().contains(Features::MEMORY64);
    let (limits, memory64, shared) = read_limits(r, allow64)?;
    Ok(MemoryType {
        limits,
        memory64,
        shared,
        page_size_log2: None,
    })
}

pub(crate) fn read_global_type(r: &mut Reader<'_>) -> Result<GlobalType, DecodeError> {
    let content = r.read_val_type()?;
    let mutable = read_mutability(r)?;
    Ok(GlobalType { content, mutable })
}

fn read_tag_type(r: &mut Reader<'_>) -> Result<TagType, DecodeError> {
    let at = r.offset();
    if r.read_u8()? != 0 {
        return Err(DecodeError::new(DecodeErrorKind::MalformedTagAttribute, at));
    }
    Ok(TagType {
        func_type: r.read_var_u32()?,
    })
}

pub(crate) fn read_imports<'a>(r: &mut Reader<'a>) -> Result<Vec<Import<'a>>, DecodeError> {
    read_vec(r, |r| {
        let offset = r.offset();
        let module = r.read_name()?;
        let name = r.read_name()?;
        let kind_at = r.offset();
        let ty = match r.read_u8()? {
            0x00 => ImportType::Func(r.read_var_u32()?),
            0x01 => ImportType::Table(read_table_type(r)?),
            0x02 => ImportType::Memory(read_memory_type(r)?),
            0x03 => ImportType::Global(read_global_type(r)?),
            0x04 if r.features().contains(Features::EXCEPTIONS) => {
                ImportType::Tag(read_tag_type(r)?)
            }
            _ => {
                return Err(DecodeError::new(
                    DecodeErrorKind::MalformedImportKind,
                    kind_at,
                ))
            }
        };
        Ok(Import {
            module,
            name,
            ty,
            offset,
        })
    })
}

pub(crate) fn read_functions(r: &mut Reader<'_>) -> Result<Vec<u32>, DecodeError> {
    read_vec(r, |r| r.read_var_u32())
}

pub(crate) fn read_tables<'a>(r: &mut Reader<'a>) -> Result<Vec<Table<'a>>, DecodeError> {
    read_vec(r, |r| {
        let offset = r.offset();
        if r.peek_u8()? == 0x40 && r.features().contains(Features::FUNCTION_REFERENCES) {
            r.read_u8()?;
            let at = r.offset();
            if r.read_u8()? != 0 {
                return Err(DecodeError::new(DecodeErrorKind::ZeroByteExpected, at));
            }
            let ty = read_table_type(r)?;
            let init = read_const_expr(r)?;
            return Ok(Table {
                ty,
                init: Some(init),
                offset,
            });
        }
        Ok(Table {
            ty: read_table_type(r)?,
            init: None,
            offset,
        })
    })
}

pub(crate) fn read_memories(r: &mut Reader<'_>) -> Result<Vec<Memory>, DecodeError> {
    read_vec(r, |r| {
        let offset = r.offset();
        Ok(Memory {
            ty: read_memory_type(r)?,
            offset,
        })
    })
}

pub(crate) fn read_tags(r: &mut Reader<'_>) -> Result<Vec<Tag>, DecodeError> {
    read_vec(r, |r| {
        let offset = r.offset();
        Ok(Tag {
            ty: read_tag_type(r)?,
            offset,
        })
    })
}

pub(crate) fn read_globals<'a>(r: &mut Reader<'a>) -> Result<Vec<Global<'a>>, DecodeError> {
    read_vec(r, |r| {
        let offset = r.offset();
        let ty = read_global_type(r)?;
        let init = read_const_expr(r)?;
        Ok(Global { ty, init, offset })
    })
}

pub(crate) fn read_exports<'a>(r: &mut Reader<'a>) -> Result<Vec<Export<'a>>, DecodeError> {
    read_vec(r, |r| {
        let offset = r.offset();
        let name = r.read_name()?;
        let kind_at = r.offset();
        let kind = match r.read_u8()? {
            0x00 => ExternalKind::Func,
            0x01 => ExternalKind::Table,
            0x02 => ExternalKind::Memory,
            0x03 => ExternalKind::Global,
            0x04 if r.features().contains(Features::EXCEPTIONS) => ExternalKind::Tag,
            _ => {
                return Err(DecodeError::new(
                    DecodeErrorKind::MalformedExportKind,
                    kind_at,
                ))
            }
        };
        let index = r.read_var_u32()?;
        Ok(Export {
            name,
            kind,
            index,
            offset,
        })
    })
}

/// Reads a constant expression up to and including its `end`, without interpreting it.
pub(crate) fn read_const_expr<'a>(r: &mut Reader<'a>) -> Result<ConstExpr<'a>, DecodeError> {
    let offset = r.offset();
    let start = r.rest();
    loop {
        if r.eof() {
            return Err(r.error(DecodeErrorKind::UnexpectedEndOfSection));
        }
        if let Operator::End {} = decode_operator(r)? {
            break;
        }
    }
    let len = r.offset() - offset;
    Ok(ConstExpr::new(&start[..len], offset, r.features()))
}

fn read_elem_kind(r: &mut Reader<'_>) -> Result<(), DecodeError> {
    let at = r.offset();
    match r.read_u8()? {
        0x00 => Ok(()),
        _ => Err(DecodeError::new(
            DecodeErrorKind::MalformedElementsSegmentKind,
            at,
        )),
    }
}

pub(crate) fn read_elements<'a>(r: &mut Reader<'a>) -> Result<Vec<Element<'a>>, DecodeError> {
    let bulk = r
        .features()
        .intersects(Features::BULK_MEMORY | Features::REFERENCE_TYPES);
    read_vec(r, |r| {
        let offset = r.offset();
        let flags = r.read_var_u32()?;
        if flags > 7 || (flags != 0 && !bulk) {
            return Err(DecodeError::new(
                DecodeErrorKind::MalformedElementsSegmentKind,
                offset,
            ));
        }
        let passive_or_declared = flags & 0b001 != 0;
        let explicit_table = flags & 0b010 != 0;
        let uses_exprs = flags & 0b100 != 0;
        let kind = if passive_or_declared {
            if explicit_table {
                ElementKind::Declared
            } else {
                ElementKind::Passive
            }
        } else {
            let table = if explicit_table { r.read_var_u32()? } else { 0 };
            let offset_expr = read_const_expr(r)?;
            ElementKind::Active { table, offset_expr }
        };
        // Flags 0 and 4 have an implicit type; the others spell it out.
        let explicit_type = passive_or_declared || explicit_table;
        let items = if uses_exprs {
            let ty = if explicit_type {
                r.read_ref_type()?
            } else {
                RefType::FUNCREF
            };
            let exprs = read_vec(r, read_const_expr)?;
            ElementItems::Expressions(ty, exprs.into_boxed_slice())
        } else {
            if explicit_type {
                read_elem_kind(r)?;
            }
            let funcs = read_vec(r, |r| r.read_var_u32())?;
            ElementItems::Functions(funcs.into_boxed_slice())
        };
        Ok(Element {
            kind,
            items,
            offset,
        })
    })
}

pub(crate) fn read_code<'a>(
    r: &mut Reader<'a>,
    count: u32,
) -> Result<Vec<FunctionBody<'a>>, DecodeError> {
    let mut bodies = Vec::with_capacity((count as usize).min(r.remaining()));
    for _ in 0..count {
        let offset = r.offset();
        let size = r.read_var_u32()? as usize;
        if size > r.remaining() {
            return Err(DecodeError::new(
                DecodeErrorKind::LengthOutOfBounds,
                r.offset(),
            ));
        }
        let mut body = r.sub_reader(size)?;
        let runs = read_vec_len(&mut body)?;
        let mut locals = Vec::with_capacity(runs);
        let mut total: u64 = 0;
        for _ in 0..runs {
            let at = body.offset();
            let n = body.read_var_u32()?;
            total += u64::from(n);
            if total > u64::from(u32::MAX) {
                return Err(DecodeError::new(DecodeErrorKind::TooManyLocals, at));
            }
            let ty: ValType = body.read_val_type()?;
            locals.push((n, ty));
        }
        let code_offset = body.offset();
        let code = body.rest();
        bodies.push(FunctionBody::new(
            locals.into_boxed_slice(),
            total as u32,
            code,
            code_offset,
            offset,
            r.features(),
        ));
    }
    Ok(bodies)
}

pub(crate) fn read_data<'a>(r: &mut Reader<'a>, count: u32) -> Result<Vec<Data<'a>>, DecodeError> {
    let mut segments = Vec::with_capacity((count as usize).min(r.remaining()));
    let bulk = r.features().contains(Features::BULK_MEMORY);
    for _ in 0..count {
        let offset = r.offset();
        let flags = r.read_var_u32()?;
        let kind = match flags {
            0 => DataKind::Active {
                memory: 0,
                offset_expr: read_const_expr(r)?,
            },
            1 if bulk => DataKind::Passive,
            2 if bulk => {
                let memory = r.read_var_u32()?;
                DataKind::Active {
                    memory,
                    offset_expr: read_const_expr(r)?,
                }
            }
            _ => {
                return Err(DecodeError::new(
                    DecodeErrorKind::MalformedDataSegmentKind,
                    offset,
                ))
            }
        };
        let len = r.read_var_u32()? as usize;
        if len > r.remaining() {
            return Err(DecodeError::new(
                DecodeErrorKind::UnexpectedEndOfSection,
                r.offset(),
            ));
        }
        let bytes = r.read_bytes(len)?;
        segments.push(Data {
            kind,
            bytes,
            offset,
        });
    }
    Ok(segments)
}
