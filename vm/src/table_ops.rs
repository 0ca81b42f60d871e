//! The table instructions every backend runs the same way, on operands as frame slots hold
//! them: `table.get/set/size/grow/fill/copy/init`. Each reads its indices and lengths with the
//! index type of the table they belong to (64-bit tables take `i64` operands), so the
//! interpreter and the JITs' slow paths cannot disagree.

use crate::limiter::ResourceLimiter;
use crate::store::{two_mut, InstanceAddr, StoreInner};
use crate::table::Table;
use crate::trap::TrapCode;
use crate::value::UntypedVal;

impl StoreInner {
    /// The table at index `table` of instance `inst`.
    fn table_of(&mut self, inst: InstanceAddr, table: u32) -> &mut Table {
        let t = self.instance(inst).tables[table as usize].index();
        &mut self.tables[t]
    }

    /// `table.get`: the element at `index`.
    pub fn table_get(
        &mut self,
        inst: InstanceAddr,
        table: u32,
        index: UntypedVal,
    ) -> Result<UntypedVal, TrapCode> {
        let t = self.table_of(inst, table);
        let r = t.get(index.to_index(t.is_64()))?;
        Ok(UntypedVal::from_raw_ref(r))
    }

    /// `table.set`: the element at `index` becomes `value`.
    pub fn table_set(
        &mut self,
        inst: InstanceAddr,
        table: u32,
        index: UntypedVal,
        value: UntypedVal,
    ) -> Result<(), TrapCode> {
        let t = self.table_of(inst, table);
        t.set(index.to_index(t.is_64()), value.to_raw_ref())
    }

    /// `table.size`, of the table's index type.
    pub fn table_size(&mut self, inst: InstanceAddr, table: u32) -> UntypedVal {
        UntypedVal::from_u64(self.table_of(inst, table).size())
    }

    /// `table.grow` by `delta` elements of `init`: the old size, or -1 (of the table's index
    /// type) if it cannot grow.
    pub fn table_grow(
        &mut self,
        inst: InstanceAddr,
        table: u32,
        init: UntypedVal,
        delta: UntypedVal,
        limiter: Option<&mut dyn ResourceLimiter>,
    ) -> UntypedVal {
        let t = self.table_of(inst, table);
        let wide = t.is_64();
        let grown = t.grow(delta.to_index(wide), init.to_raw_ref(), limiter);
        UntypedVal::grow_result(grown, wide)
    }

    /// `table.fill`: `len` elements of `value` from `index`.
    pub fn table_fill(
        &mut self,
        inst: InstanceAddr,
        table: u32,
        index: UntypedVal,
        value: UntypedVal,
        len: UntypedVal,
    ) -> Result<(), TrapCode> {
        let t = self.table_of(inst, table);
        let wide = t.is_64();
        t.fill(index.to_index(wide), value.to_raw_ref(), len.to_index(wide))
    }

    /// `table.copy` of `len` elements from `src` in table `src_table` to `dst` in `dst_table`.
    /// The length is 64-bit only if both tables are.
    #[allow(clippy::too_many_arguments)]
    pub fn table_copy(
        &mut self,
        inst: InstanceAddr,
        dst_table: u32,
        src_table: u32,
        dst: UntypedVal,
        src: UntypedVal,
        len: UntypedVal,
    ) -> Result<(), TrapCode> {
        let d = self.instance(inst).tables[dst_table as usize].index();
        let s = self.instance(inst).tables[src_table as usize].index();
        let (dw, sw) = (self.tables[d].is_64(), self.tables[s].is_64());
        let (di, si, n) = (dst.to_index(dw), src.to_index(sw), len.to_index(dw && sw));
        if d == s {
            self.tables[d].copy_within(di, si, n)
        } else {
            let (dt, st) = two_mut(&mut self.tables, d, s);
            dt.copy_from(di, st, si, n)
        }
    }

    /// `table.init`: `len` elements of element segment `elem` from offset `src` to `dst` (the
    /// segment offset and the length are `i32`).
    #[allow(clippy::too_many_arguments)]
    pub fn table_init(
        &mut self,
        inst: InstanceAddr,
        table: u32,
        elem: u32,
        dst: UntypedVal,
        src: UntypedVal,
        len: UntypedVal,
    ) -> Result<(), TrapCode> {
        let t = self.instance(inst).tables[table as usize].index();
        let e = self.instance(inst).elems[elem as usize].index();
        let di = dst.to_index(self.tables[t].is_64());
        let (si, n) = (src.to_index(false), len.to_index(false));
        let StoreInner { tables, elems, .. } = self;
        tables[t].init(di, elems[e].elements(), si, n)
    }
}
