//! Type equivalence: defined types are compared iso-recursively, one recursion group at a time
//! (the spec's type canonicalisation). Two type indices name the same type when their groups
//! are the same after references inside the group are made relative to it and references to
//! earlier groups replaced by those types' canonical indices.

use alloc::vec::Vec;
use core::ops::Range;

use strata_decoder::SubType;

use crate::error::{bail, Error};

/// Marks a reference to the `n`th type of the group being canonicalised.
const IN_GROUP: u32 = 1 << 31;

/// For each type index, the smallest index whose type is equivalent to it. `groups` are the
/// module's recursion groups in order (each non-`rec` type is its own group); `offsets` give
/// each type's position for errors. A type may refer only to earlier types and to types of its
/// own group.
pub(crate) fn canonical_indices(
    types: &[SubType],
    groups: &[Range<u32>],
    offsets: &[usize],
) -> Result<Vec<u32>, Error> {
    let singletons: Vec<Range<u32>>;
    let groups = if groups.is_empty() && !types.is_empty() {
        singletons = (0..types.len() as u32).map(|i| i..i + 1).collect();
        &singletons[..]
    } else {
        groups
    };
    let mut canon: Vec<u32> = (0..types.len() as u32).collect();
    let mut seen: Vec<(Vec<SubType>, u32)> = Vec::new();
    for g in groups {
        let mut bad = None;
        let key: Vec<SubType> = types[g.start as usize..g.end as usize]
            .iter()
            .map(|t| {
                t.map_type_indices(&mut |x| {
                    if x >= g.end {
                        bad.get_or_insert(x);
                        x
                    } else if x >= g.start {
                        IN_GROUP | (x - g.start)
                    } else {
                        canon[x as usize]
                    }
                })
            })
            .collect();
        if let Some(x) = bad {
            let at = offsets.get(g.start as usize).copied().unwrap_or(0);
            bail!(
                at,
                "unknown type {x}: a type may refer only to earlier types and its own group"
            );
        }
        let first = match seen.iter().find(|(k, _)| *k == key) {
            Some(&(_, start)) => start,
            None => {
                seen.push((key, g.start));
                g.start
            }
        };
        for i in g.clone() {
            canon[i as usize] = first + (i - g.start);
        }
    }
    Ok(canon)
}
