//! The `name` custom section: module, function and local names, used for backtraces.

use alloc::vec::Vec;

use crate::decode::read_vec;
use crate::error::DecodeError;
use crate::features::Features;
use crate::module::Names;
use crate::reader::Reader;

/// Decodes the payload of a `name` custom section found at `offset`.
pub(crate) fn read_names(
    data: &[u8],
    offset: usize,
    features: Features,
) -> Result<Names<'_>, DecodeError> {
    let mut r = Reader::new(data, offset, features);
    let mut names = Names::default();
    while !r.eof() {
        let id = r.read_u8()?;
        let size = r.read_var_u32()? as usize;
        let mut s = r.sub_reader(size)?;
        match id {
            0 => names.module = Some(s.read_name()?),
            1 => names.functions = read_name_map(&mut s)?,
            2 => {
                names.locals = read_vec(&mut s, |s| {
                    let func = s.read_var_u32()?;
                    Ok((func, read_name_map(s)?))
                })?;
                names.locals.sort_by_key(|&(i, _)| i);
            }
            _ => {}
        }
    }
    Ok(names)
}

fn read_name_map<'a>(r: &mut Reader<'a>) -> Result<Vec<(u32, &'a str)>, DecodeError> {
    let mut map = read_vec(r, |r| {
        let idx = r.read_var_u32()?;
        Ok((idx, r.read_name()?))
    })?;
    map.sort_by_key(|&(i, _)| i);
    Ok(map)
}
