//! [`Table`]: a growable vector of [`RawRef`]s with the table instructions' bounds semantics.
//!
//! As for memories, bulk operations check their whole ranges before writing anything, a
//! zero-length operation is fine at any index up to and including the end, and overlapping copies
//! behave as if through a temporary buffer.

use crate::bounds::checked_range;
use crate::limiter::ResourceLimiter;
use crate::reference::RawRef;
use crate::trap::TrapCode;
use alloc::vec::Vec;
use core::fmt;
use strata_decoder::{RefType, TableType};

const OOB: TrapCode = TrapCode::TableOutOfBounds;

/// Why a table could not be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableError {
    /// The minimum exceeds the maximum or the index type's range.
    InvalidLimits,
    /// The [`ResourceLimiter`] refused the initial size.
    LimiterRefused,
    /// The initial size could not be allocated.
    OutOfMemory,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TableError::InvalidLimits => "table size limits are invalid",
            TableError::LimiterRefused => "table's initial size refused by the resource limiter",
            TableError::OutOfMemory => "could not allocate table",
        })
    }
}

impl core::error::Error for TableError {}

/// A table: its type and elements.
#[derive(Debug, Clone)]
pub struct Table {
    ty: TableType,
    /// The effective maximum: the declared one, capped by the index type's range.
    max: u64,
    elements: Vec<RawRef>,
}

impl Table {
    /// A table of type `ty` with its minimum size, every element `init`.
    ///
    /// `limiter`, if given, is asked about the initial size (from 0 elements).
    pub fn new(
        ty: TableType,
        init: RawRef,
        limiter: Option<&mut dyn ResourceLimiter>,
    ) -> Result<Self, TableError> {
        let index_max = if ty.table64 {
            u64::MAX
        } else {
            u64::from(u32::MAX)
        };
        let max = ty.limits.max.unwrap_or(index_max);
        if ty.limits.min > max || max > index_max {
            return Err(TableError::InvalidLimits);
        }
        // Backends check a 64-bit table's indices against 2^32 before reading them as 32 bits
        // (`check_index64` in the IR), so tables stop at `u32::MAX` elements whatever their type.
        let max = max.min(u64::from(u32::MAX));
        if let Some(limiter) = limiter {
            if !limiter.table_growing(0, ty.limits.min, ty.limits.max) {
                return Err(TableError::LimiterRefused);
            }
        }
        let mut table = Table {
            ty,
            max,
            elements: Vec::new(),
        };
        if !table.grow_elements(ty.limits.min, init) {
            return Err(TableError::OutOfMemory);
        }
        Ok(table)
    }

    /// The table's declared type.
    pub fn ty(&self) -> TableType {
        self.ty
    }

    /// Whether this is a 64-bit table (`i64` indices, sizes and lengths).
    pub fn is_64(&self) -> bool {
        self.ty.table64
    }

    /// The element type.
    pub fn element_type(&self) -> RefType {
        self.ty.element
    }

    /// The current number of elements (`table.size`).
    pub fn size(&self) -> u64 {
        self.elements.len() as u64
    }

    /// The most elements this table can grow to: the declared maximum, or the index type's limit.
    pub fn max_size(&self) -> u64 {
        self.max
    }

    /// The elements.
    pub fn elements(&self) -> &[RawRef] {
        &self.elements
    }

    /// The elements, writable.
    pub fn elements_mut(&mut self) -> &mut [RawRef] {
        &mut self.elements
    }

    /// The address of element 0, for backends. Valid for `size()` elements until the table is
    /// grown (it may move then) or dropped.
    pub fn base_ptr(&mut self) -> *mut RawRef {
        self.elements.as_mut_ptr()
    }

    /// Appends `delta` copies of `init`; `false` (and no change) if allocation fails.
    fn grow_elements(&mut self, delta: u64, init: RawRef) -> bool {
        let Ok(delta) = usize::try_from(delta) else {
            return false;
        };
        if self.elements.try_reserve_exact(delta).is_err() {
            return false;
        }
        self.elements.resize(self.elements.len() + delta, init);
        true
    }

    /// Grows by `delta` elements set to `init` (`table.grow`). Returns the old size, or `None`
    /// if the table cannot grow: past its maximum, refused by `limiter`, or out of host memory.
    /// The runtime turns `None` into -1. Growing by 0 always succeeds without asking the limiter.
    pub fn grow(
        &mut self,
        delta: u64,
        init: RawRef,
        limiter: Option<&mut dyn ResourceLimiter>,
    ) -> Option<u64> {
        let old = self.size();
        if delta == 0 {
            return Some(old);
        }
        let new = old.checked_add(delta).filter(|&n| n <= self.max)?;
        if let Some(limiter) = limiter {
            if !limiter.table_growing(old, new, self.ty.limits.max) {
                return None;
            }
        }
        self.grow_elements(delta, init).then_some(old)
    }

    /// `table.get`.
    #[inline]
    pub fn get(&self, index: u64) -> Result<RawRef, TrapCode> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.elements.get(i).copied())
            .ok_or(OOB)
    }

    /// `table.set`.
    #[inline]
    pub fn set(&mut self, index: u64, value: RawRef) -> Result<(), TrapCode> {
        let slot = usize::try_from(index)
            .ok()
            .and_then(|i| self.elements.get_mut(i))
            .ok_or(OOB)?;
        *slot = value;
        Ok(())
    }

    /// `table.fill`: sets `len` elements from `dst` to `value`.
    pub fn fill(&mut self, dst: u64, value: RawRef, len: u64) -> Result<(), TrapCode> {
        let dst = checked_range(dst, len, self.elements.len(), OOB)?;
        self.elements[dst].fill(value);
        Ok(())
    }

    /// `table.copy` within this table; the ranges may overlap.
    pub fn copy_within(&mut self, dst: u64, src: u64, len: u64) -> Result<(), TrapCode> {
        let src = checked_range(src, len, self.elements.len(), OOB)?;
        let dst = checked_range(dst, len, self.elements.len(), OOB)?;
        self.elements.copy_within(src, dst.start);
        Ok(())
    }

    /// `table.copy` between two tables: copies `len` elements from `src` in `src_table` to `dst`
    /// in this table.
    pub fn copy_from(
        &mut self,
        dst: u64,
        src_table: &Table,
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let src = checked_range(src, len, src_table.elements.len(), OOB)?;
        let dst = checked_range(dst, len, self.elements.len(), OOB)?;
        self.elements[dst].copy_from_slice(&src_table.elements[src]);
        Ok(())
    }

    /// `table.init`: copies `len` elements from `elements[src..]` (an element segment's
    /// references; empty once dropped) to `dst`.
    pub fn init(
        &mut self,
        dst: u64,
        elements: &[RawRef],
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let src = checked_range(src, len, elements.len(), OOB)?;
        let dst = checked_range(dst, len, self.elements.len(), OOB)?;
        self.elements[dst].copy_from_slice(&elements[src]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::FuncAddr;
    use alloc::vec;
    use strata_decoder::Limits;

    fn ty(min: u64, max: Option<u64>) -> TableType {
        TableType {
            element: RefType::FUNCREF,
            limits: Limits { min, max },
            table64: false,
        }
    }

    fn r(i: u32) -> RawRef {
        RawRef::from(FuncAddr::new(i).unwrap())
    }

    fn table(elems: &[RawRef]) -> Table {
        let mut t = Table::new(ty(0, None), RawRef::NULL, None).unwrap();
        t.grow(elems.len() as u64, RawRef::NULL, None).unwrap();
        t.elements_mut().copy_from_slice(elems);
        t
    }

    struct Deny;
    impl ResourceLimiter for Deny {
        fn memory_growing(&mut self, _: u64, _: u64, _: Option<u64>) -> bool {
            true
        }
        fn table_growing(&mut self, current: u64, desired: u64, max: Option<u64>) -> bool {
            assert!(desired > current);
            assert!(max.is_none_or(|m| desired <= m));
            desired <= 4
        }
    }

    #[test]
    fn new_fills_with_init() {
        let t = Table::new(ty(3, Some(5)), r(7), None).unwrap();
        assert_eq!(t.size(), 3);
        assert_eq!(t.elements(), &[r(7); 3]);
        assert_eq!(t.max_size(), 5);
        assert_eq!(t.element_type(), RefType::FUNCREF);
        assert_eq!(
            Table::new(ty(3, Some(2)), RawRef::NULL, None).unwrap_err(),
            TableError::InvalidLimits
        );
        assert_eq!(
            Table::new(ty(5, None), RawRef::NULL, Some(&mut Deny)).unwrap_err(),
            TableError::LimiterRefused
        );
    }

    #[test]
    fn grow_to_max_and_beyond() {
        let mut t = Table::new(ty(0, Some(10)), RawRef::NULL, None).unwrap();
        assert_eq!(t.grow(0, RawRef::NULL, None), Some(0));
        assert_eq!(t.grow(1, r(1), None), Some(0));
        assert_eq!(t.grow(9, r(2), None), Some(1));
        assert_eq!(t.grow(0, RawRef::NULL, None), Some(10));
        assert_eq!(t.grow(1, RawRef::NULL, None), None);
        assert_eq!(t.grow(u64::MAX, RawRef::NULL, None), None);
        assert_eq!(t.size(), 10);
        assert_eq!(t.get(0), Ok(r(1)));
        assert_eq!(t.get(9), Ok(r(2)));
    }

    #[test]
    fn grow_past_the_index_range_fails() {
        let mut t = Table::new(ty(0x10, None), RawRef::NULL, None).unwrap();
        assert_eq!(t.grow(0xffff_fff0, RawRef::NULL, None), None);
        assert_eq!(t.size(), 0x10);
    }

    #[test]
    fn grow_refused_by_limiter() {
        let mut t = Table::new(ty(1, None), RawRef::NULL, Some(&mut Deny)).unwrap();
        assert_eq!(t.grow(3, RawRef::NULL, Some(&mut Deny)), Some(1));
        assert_eq!(t.grow(1, RawRef::NULL, Some(&mut Deny)), None);
        assert_eq!(t.grow(0, RawRef::NULL, Some(&mut Deny)), Some(4));
        assert_eq!(t.size(), 4);
    }

    #[test]
    fn get_set_bounds() {
        let mut t = table(&[RawRef::NULL; 3]);
        assert_eq!(t.set(2, r(5)), Ok(()));
        assert_eq!(t.get(2), Ok(r(5)));
        assert_eq!(t.get(3), Err(TrapCode::TableOutOfBounds));
        assert_eq!(t.set(3, r(5)), Err(TrapCode::TableOutOfBounds));
        assert_eq!(t.get(u64::MAX), Err(TrapCode::TableOutOfBounds));
        assert_eq!(t.get(1 << 32), Err(TrapCode::TableOutOfBounds));
    }

    #[test]
    fn fill_bounds() {
        let mut t = table(&[RawRef::NULL; 4]);
        assert_eq!(t.fill(1, r(0), 3), Ok(()));
        assert_eq!(t.elements(), &[RawRef::NULL, r(0), r(0), r(0)]);
        // Out of bounds by one: nothing written.
        assert_eq!(t.fill(0, r(9), 5), Err(TrapCode::TableOutOfBounds));
        assert_eq!(t.get(0), Ok(RawRef::NULL));
        assert_eq!(t.fill(4, r(9), 0), Ok(()));
        assert_eq!(t.fill(5, r(9), 0), Err(TrapCode::TableOutOfBounds));
        assert_eq!(t.fill(1, r(9), u64::MAX), Err(TrapCode::TableOutOfBounds));
    }

    #[test]
    fn copy_within_overlap_both_directions() {
        let elems: Vec<_> = (0..6).map(r).collect();
        let mut t = table(&elems);
        t.copy_within(2, 0, 4).unwrap();
        assert_eq!(t.elements(), &[r(0), r(1), r(0), r(1), r(2), r(3)]);
        let mut t = table(&elems);
        t.copy_within(0, 2, 4).unwrap();
        assert_eq!(t.elements(), &[r(2), r(3), r(4), r(5), r(4), r(5)]);
        let mut t = table(&elems);
        assert_eq!(t.copy_within(3, 0, 4), Err(TrapCode::TableOutOfBounds));
        assert_eq!(t.copy_within(0, 3, 4), Err(TrapCode::TableOutOfBounds));
        assert_eq!(t.elements(), &elems[..]);
        assert_eq!(t.copy_within(6, 6, 0), Ok(()));
        assert_eq!(t.copy_within(7, 0, 0), Err(TrapCode::TableOutOfBounds));
        assert_eq!(t.copy_within(0, 7, 0), Err(TrapCode::TableOutOfBounds));
    }

    #[test]
    fn copy_between_tables() {
        let mut dst = table(&[RawRef::NULL; 3]);
        let src = table(&[r(1), r(2)]);
        dst.copy_from(1, &src, 0, 2).unwrap();
        assert_eq!(dst.elements(), &[RawRef::NULL, r(1), r(2)]);
        assert_eq!(
            dst.copy_from(2, &src, 0, 2),
            Err(TrapCode::TableOutOfBounds)
        );
        assert_eq!(
            dst.copy_from(0, &src, 1, 2),
            Err(TrapCode::TableOutOfBounds)
        );
        assert_eq!(dst.elements(), &[RawRef::NULL, r(1), r(2)]);
        assert_eq!(dst.copy_from(3, &src, 2, 0), Ok(()));
    }

    #[test]
    fn init_from_segment() {
        let mut t = table(&[RawRef::NULL; 4]);
        let seg = vec![r(1), r(2), r(3)];
        t.init(1, &seg, 1, 2).unwrap();
        assert_eq!(t.elements(), &[RawRef::NULL, r(2), r(3), RawRef::NULL]);
        assert_eq!(t.init(0, &seg, 2, 2), Err(TrapCode::TableOutOfBounds));
        assert_eq!(t.init(3, &seg, 0, 2), Err(TrapCode::TableOutOfBounds));
        assert_eq!(t.elements(), &[RawRef::NULL, r(2), r(3), RawRef::NULL]);
        assert_eq!(t.init(4, &seg, 3, 0), Ok(()));
        // A dropped segment only allows the empty range at 0.
        assert_eq!(t.init(0, &[], 0, 0), Ok(()));
        assert_eq!(t.init(0, &[], 1, 0), Err(TrapCode::TableOutOfBounds));
        assert_eq!(t.init(0, &[], 0, 1), Err(TrapCode::TableOutOfBounds));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Fill { dst: u64, len: u64 },
        Copy { dst: u64, src: u64, len: u64 },
        Init { dst: u64, src: u64, len: u64 },
        Set { index: u64 },
    }

    fn index() -> impl proptest::strategy::Strategy<Value = u64> {
        use proptest::prelude::*;
        prop_oneof![0..40u64, Just(u64::from(u32::MAX)), any::<u64>()]
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        prop_oneof![
            (index(), index()).prop_map(|(dst, len)| Op::Fill { dst, len }),
            (index(), index(), index()).prop_map(|(dst, src, len)| Op::Copy { dst, src, len }),
            (index(), index(), index()).prop_map(|(dst, src, len)| Op::Init { dst, src, len }),
            index().prop_map(|index| Op::Set { index }),
        ]
    }

    /// The spec's semantics, written plainly: check every range, then write element by element
    /// from a snapshot of the source.
    fn model(t: &mut [RawRef], seg: &[RawRef], op: &Op, val: RawRef) -> Result<(), TrapCode> {
        let ok = |s: u64, l: u64, n: usize| u128::from(s) + u128::from(l) <= n as u128;
        let n = t.len();
        let (dst, len, source): (u64, u64, Vec<RawRef>) = match *op {
            Op::Fill { dst, len } if ok(dst, len, n) => (dst, len, vec![val; len as usize]),
            Op::Set { index } if ok(index, 1, n) => (index, 1, vec![val]),
            Op::Copy { dst, src, len } if ok(dst, len, n) && ok(src, len, n) => {
                (dst, len, t[src as usize..(src + len) as usize].to_vec())
            }
            Op::Init { dst, src, len } if ok(dst, len, n) && ok(src, len, seg.len()) => {
                (dst, len, seg[src as usize..(src + len) as usize].to_vec())
            }
            _ => return Err(TrapCode::TableOutOfBounds),
        };
        for i in 0..len as usize {
            t[dst as usize + i] = source[i];
        }
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn bulk_ops_match_the_model(ops in proptest::collection::vec(op(), 1..16)) {
            let seg: Vec<RawRef> = (0..12).map(r).collect();
            let mut t = table(&(100..130).map(r).collect::<Vec<_>>());
            let mut expected = t.elements().to_vec();
            for (n, op) in ops.iter().enumerate() {
                let val = r(1000 + n as u32);
                let got = match *op {
                    Op::Fill { dst, len } => t.fill(dst, val, len),
                    Op::Copy { dst, src, len } => t.copy_within(dst, src, len),
                    Op::Init { dst, src, len } => t.init(dst, &seg, src, len),
                    Op::Set { index } => t.set(index, val),
                };
                proptest::prop_assert_eq!(got, model(&mut expected, &seg, op, val), "{:?}", op);
                proptest::prop_assert_eq!(t.elements(), &expected[..]);
            }
        }
    }
}
