//! The module-level decoder: header, section order, and one reader per section.

use alloc::vec::Vec;

use crate::error::{DecodeError, DecodeErrorKind};
use crate::features::Features;
use crate::module::{CustomSection, Module};
use crate::reader::Reader;
use crate::sections;

/// Known sections in the order the binary format requires them, by section id.
/// The value is the section's rank; a section must have a higher rank than the previous one.
fn section_rank(id: u8, features: Features) -> Option<u8> {
    Some(match id {
        1 => 1,                                             // type
        2 => 2,                                             // import
        3 => 3,                                             // function
        4 => 4,                                             // table
        5 => 5,                                             // memory
        13 if features.contains(Features::EXCEPTIONS) => 6, // tag
        6 => 7,                                             // global
        7 => 8,                                             // export
        8 => 9,                                             // start
        9 => 10,                                            // element
        12 => 11,                                           // data count
        10 => 12,                                           // code
        11 => 13,                                           // data
        _ => return None,
    })
}

/// Decodes a binary module with the given proposals enabled.
///
/// Every section except function bodies is decoded eagerly; bodies keep their locals decoded
/// and their operators as a byte range for [`crate::OperatorsReader`].
pub fn decode(bytes: &[u8], features: Features) -> Result<Module<'_>, DecodeError> {
    let mut r = Reader::new(bytes, 0, features);
    read_header(&mut r)?;

    let mut module = Module {
        features,
        ..Module::default()
    };
    let mut last_rank = 0u8;
    let mut function_section_len: Option<u32> = None;
    // (count, offset of the count) of the code and data sections. Their agreement with the
    // function and data count sections is checked once every section is read, so that a
    // duplicate or misplaced section is reported as such first.
    let mut code_count: Option<(u32, usize)> = None;
    let mut data_section_count: Option<(u32, usize)> = None;

    while !r.eof() {
        let id_offset = r.offset();
        let id = r.read_u8()?;
        let size = r.read_var_u32()? as usize;
        if size > r.remaining() {
            return Err(DecodeError::new(
                DecodeErrorKind::LengthOutOfBounds,
                r.offset(),
            ));
        }
        let mut s = r.sub_reader(size)?;
        if id == 0 {
            read_custom(&mut s, &mut module)?;
            continue;
        }
        let rank = section_rank(id, features)
            .ok_or_else(|| DecodeError::new(DecodeErrorKind::MalformedSectionId, id_offset))?;
        if rank <= last_rank {
            return Err(DecodeError::new(
                DecodeErrorKind::SectionOutOfOrder,
                id_offset,
            ));
        }
        last_rank = rank;
        match id {
            1 => sections::read_types(&mut s, &mut module)?,
            2 => module.imports = sections::read_imports(&mut s)?,
            3 => {
                module.functions = sections::read_functions(&mut s)?;
                function_section_len = Some(module.functions.len() as u32);
            }
            4 => module.tables = sections::read_tables(&mut s)?,
            5 => module.memories = sections::read_memories(&mut s)?,
            13 => module.tags = sections::read_tags(&mut s)?,
            6 => module.globals = sections::read_globals(&mut s)?,
            7 => module.exports = sections::read_exports(&mut s)?,
            8 => module.start = Some((s.read_var_u32()?, id_offset)),
            9 => module.elements = sections::read_elements(&mut s)?,
            12 => module.data_count = Some(s.read_var_u32()?),
            10 => {
                let count_offset = s.offset();
                let count = s.read_var_u32()?;
                code_count = Some((count, count_offset));
                module.code = sections::read_code(&mut s, count)?;
            }
            11 => {
                let count_offset = s.offset();
                let count = s.read_var_u32()?;
                data_section_count = Some((count, count_offset));
                module.data = sections::read_data(&mut s, count)?;
            }
            _ => unreachable!("section_rank accepted only known ids"),
        }
        if !s.eof() {
            return Err(DecodeError::new(
                DecodeErrorKind::SectionSizeMismatch,
                s.offset(),
            ));
        }
    }

    let functions = function_section_len.unwrap_or(0);
    match code_count {
        Some((count, at)) if count != functions => {
            return Err(DecodeError::new(
                DecodeErrorKind::FunctionAndCodeInconsistent,
                at,
            ))
        }
        None if functions != 0 => {
            return Err(DecodeError::new(
                DecodeErrorKind::FunctionAndCodeInconsistent,
                bytes.len(),
            ))
        }
        _ => {}
    }
    match (module.data_count, data_section_count) {
        (Some(n), Some((count, at))) if n != count => {
            return Err(DecodeError::new(DecodeErrorKind::DataCountInconsistent, at))
        }
        (Some(n), None) if n != 0 => {
            return Err(DecodeError::new(
                DecodeErrorKind::DataCountInconsistent,
                bytes.len(),
            ))
        }
        _ => {}
    }
    Ok(module)
}

fn read_header(r: &mut Reader<'_>) -> Result<(), DecodeError> {
    let magic = r.read_bytes(4)?;
    if magic != b"\0asm" {
        return Err(DecodeError::new(DecodeErrorKind::MagicHeader, 0));
    }
    let version = r.read_bytes(4)?;
    if version != [1, 0, 0, 0] {
        return Err(DecodeError::new(DecodeErrorKind::UnknownBinaryVersion, 4));
    }
    Ok(())
}

fn read_custom<'a>(s: &mut Reader<'a>, module: &mut Module<'a>) -> Result<(), DecodeError> {
    let name = s.read_name()?;
    let offset = s.offset();
    let data = s.read_bytes(s.remaining())?;
    if name == "name" {
        // A malformed name section is ignored (spec appendix: "custom sections").
        if let Ok(names) = crate::names::read_names(data, offset, s.features()) {
            module.names = names;
        }
    }
    module.customs.push(CustomSection { name, data, offset });
    Ok(())
}

/// Reads a vector's length and checks it against the bytes left (each item takes at least one).
pub(crate) fn read_vec_len(r: &mut Reader<'_>) -> Result<usize, DecodeError> {
    r.read_count().map(|n| n as usize)
}

/// Collects `count` items read by `f`.
pub(crate) fn read_vec<'a, T>(
    r: &mut Reader<'a>,
    mut f: impl FnMut(&mut Reader<'a>) -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    let n = read_vec_len(r)?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(f(r)?);
    }
    Ok(v)
}
