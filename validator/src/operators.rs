//! Per-operator typing rules (the spec's "Instructions" validation section). Operators with a
//! fixed signature go through the table in `sigs.rs`; the rest are typed here.

use strata_decoder::{
    BlockType, Catch, DecodeError, DecodeErrorKind, FuncType, HeapType, MemArg, Operator, RefType,
    ValType,
};

use crate::consumer::{block_params, FrameKind, FuncConsumer};
use crate::error::{bail, Fail};
use crate::func::Checker;
use crate::sigs::{simple_sig, Sig};

use ValType::{F32, F64, I32, I64, V128};

const EXNREF_NON_NULL: ValType = ValType::Ref(RefType {
    nullable: false,
    heap: HeapType::Exn,
});

impl<C: FuncConsumer> Checker<'_, C> {
    /// Applies `op`'s typing rule to the stacks.
    #[inline]
    pub(crate) fn op(&mut self, op: &Operator<'_>) -> Result<(), Fail> {
        if let Some(sig) = simple_sig(op) {
            return self.apply(sig);
        }
        self.special(op)
    }

    #[inline]
    fn apply(&mut self, sig: &Sig) -> Result<(), Fail> {
        self.pop_types(sig.params)?;
        self.push_types(sig.results);
        Ok(())
    }

    fn special(&mut self, op: &Operator<'_>) -> Result<(), Fail> {
        use Operator as O;
        let m = self.m;
        match *op {
            O::Unreachable {} => self.set_unreachable(),
            O::Nop {} => {}
            O::Block { blockty } => {
                self.check_block_type(blockty)?;
                self.push_ctrl(FrameKind::Block, blockty)?;
            }
            O::Loop { blockty } => {
                self.check_block_type(blockty)?;
                self.push_ctrl(FrameKind::Loop, blockty)?;
            }
            O::If { blockty } => {
                self.check_block_type(blockty)?;
                self.pop_expect(I32)?;
                self.push_ctrl(FrameKind::If, blockty)?;
            }
            O::Else {} => {
                if self.frame().kind != FrameKind::If {
                    bail!(self.offset, "else found outside of an `if` block");
                }
                let frame = self.pop_ctrl()?;
                self.s.controls.push(crate::consumer::Frame {
                    kind: FrameKind::Else,
                    unreachable: false,
                    ..frame
                });
                self.push_types(block_params(m, &frame.ty));
                self.s.ended = Some(frame);
            }
            O::End {} => {
                let frame = self.pop_ctrl()?;
                if frame.kind == FrameKind::If {
                    let (p, r) = (frame.params(m), frame.results(m));
                    if p.len() != r.len() || p.iter().zip(r).any(|(&a, &b)| !m.matches(a, b)) {
                        bail!(
                            self.offset,
                            "type mismatch: `if` without `else` must leave its parameters as its results"
                        );
                    }
                }
                self.push_types(frame.results(m));
                self.s.ended = Some(frame);
            }
            O::Br { depth } => {
                let f = self.label(depth)?;
                self.pop_types(f.label_types(m))?;
                self.set_unreachable();
            }
            O::BrIf { depth } => {
                self.pop_expect(I32)?;
                let f = self.label(depth)?;
                let ts = f.label_types(m);
                self.pop_types(ts)?;
                self.push_types(ts);
            }
            O::BrTable { targets } => {
                self.pop_expect(I32)?;
                let default = self.label(targets.default())?;
                let arity = default.label_types(m).len();
                let (np, nq) = (self.s.popped.len(), self.s.pushed.len());
                for depth in targets.targets() {
                    let f = self.label(depth)?;
                    let ts = f.label_types(m);
                    if ts.len() != arity {
                        bail!(
                            self.offset,
                            "type mismatch: br_table targets have different arities"
                        );
                    }
                    self.check_and_restore(ts)?;
                }
                if C::RECORD_TYPES {
                    self.s.popped.truncate(np);
                    self.s.pushed.truncate(nq);
                }
                self.pop_types(default.label_types(m))?;
                self.set_unreachable();
            }
            O::Return {} => {
                let f = self.s.controls[0];
                self.pop_types(f.results(m))?;
                self.set_unreachable();
            }
            O::Call { func } => {
                let ty = self.func_of(func)?;
                self.call(ty)?;
            }
            O::CallIndirect { type_index, table } => {
                let ty = self.call_indirect(type_index, table)?;
                self.call(ty)?;
            }
            O::ReturnCall { func } => {
                let ty = self.func_of(func)?;
                self.return_call(ty)?;
            }
            O::ReturnCallIndirect { type_index, table } => {
                let ty = self.call_indirect(type_index, table)?;
                self.return_call(ty)?;
            }
            O::CallRef { type_index } => {
                let ty = self.call_ref(type_index)?;
                self.call(ty)?;
            }
            O::ReturnCallRef { type_index } => {
                let ty = self.call_ref(type_index)?;
                self.return_call(ty)?;
            }
            O::Throw { tag } => {
                let ty = self.tag_type(tag)?;
                self.pop_types(ty.params())?;
                self.set_unreachable();
            }
            O::ThrowRef {} => {
                self.pop_expect(ValType::Ref(RefType::EXNREF))?;
                self.set_unreachable();
            }
            O::TryTable { table } => {
                self.check_block_type(table.ty)?;
                for catch in table.catches() {
                    self.check_catch(catch)?;
                }
                self.push_ctrl(FrameKind::TryTable, table.ty)?;
            }
            O::Drop {} => {
                self.pop()?;
            }
            O::Select {} => self.select()?,
            O::TypedSelect { types } => {
                let Some(t) = types.first.filter(|_| types.count == 1) else {
                    bail!(self.offset, "invalid result arity");
                };
                m.check_val_type(t, self.offset)?;
                self.pop_expect(I32)?;
                self.pop_expect(t)?;
                self.pop_expect(t)?;
                self.push(t);
            }
            O::LocalGet { local } => {
                let t = self.local(local)?;
                if self.s.track_init && !self.s.local_init[local as usize] {
                    bail!(self.offset, "uninitialized local {local}");
                }
                self.push(t);
            }
            O::LocalSet { local } => {
                let t = self.local(local)?;
                self.pop_expect(t)?;
                self.init_local(local);
            }
            O::LocalTee { local } => {
                let t = self.local(local)?;
                self.pop_expect(t)?;
                self.init_local(local);
                self.push(t);
            }
            O::GlobalGet { global } => {
                let Some(g) = m.global(global) else {
                    bail!(self.offset, "unknown global {global}");
                };
                self.push(g.content);
            }
            O::GlobalSet { global } => {
                let Some(g) = m.global(global) else {
                    bail!(self.offset, "unknown global {global}");
                };
                if !g.mutable {
                    bail!(self.offset, "global is immutable");
                }
                self.pop_expect(g.content)?;
            }

            O::I32Load { memarg } => self.load(memarg, 2, I32)?,
            O::I64Load { memarg } => self.load(memarg, 3, I64)?,
            O::F32Load { memarg } => self.load(memarg, 2, F32)?,
            O::F64Load { memarg } => self.load(memarg, 3, F64)?,
            O::I32Load8S { memarg } | O::I32Load8U { memarg } => self.load(memarg, 0, I32)?,
            O::I32Load16S { memarg } | O::I32Load16U { memarg } => self.load(memarg, 1, I32)?,
            O::I64Load8S { memarg } | O::I64Load8U { memarg } => self.load(memarg, 0, I64)?,
            O::I64Load16S { memarg } | O::I64Load16U { memarg } => self.load(memarg, 1, I64)?,
            O::I64Load32S { memarg } | O::I64Load32U { memarg } => self.load(memarg, 2, I64)?,
            O::I32Store { memarg } => self.store(memarg, 2, I32)?,
            O::I64Store { memarg } => self.store(memarg, 3, I64)?,
            O::F32Store { memarg } => self.store(memarg, 2, F32)?,
            O::F64Store { memarg } => self.store(memarg, 3, F64)?,
            O::I32Store8 { memarg } => self.store(memarg, 0, I32)?,
            O::I32Store16 { memarg } => self.store(memarg, 1, I32)?,
            O::I64Store8 { memarg } => self.store(memarg, 0, I64)?,
            O::I64Store16 { memarg } => self.store(memarg, 1, I64)?,
            O::I64Store32 { memarg } => self.store(memarg, 2, I64)?,
            O::V128Load { memarg } => self.load(memarg, 4, V128)?,
            O::V128Load8x8S { memarg }
            | O::V128Load8x8U { memarg }
            | O::V128Load16x4S { memarg }
            | O::V128Load16x4U { memarg }
            | O::V128Load32x2S { memarg }
            | O::V128Load32x2U { memarg }
            | O::V128Load64Splat { memarg }
            | O::V128Load64Zero { memarg } => self.load(memarg, 3, V128)?,
            O::V128Load8Splat { memarg } => self.load(memarg, 0, V128)?,
            O::V128Load16Splat { memarg } => self.load(memarg, 1, V128)?,
            O::V128Load32Splat { memarg } | O::V128Load32Zero { memarg } => {
                self.load(memarg, 2, V128)?
            }
            O::V128Store { memarg } => self.store(memarg, 4, V128)?,
            O::V128Load8Lane { memarg, lane } => self.load_lane(memarg, 0, lane)?,
            O::V128Load16Lane { memarg, lane } => self.load_lane(memarg, 1, lane)?,
            O::V128Load32Lane { memarg, lane } => self.load_lane(memarg, 2, lane)?,
            O::V128Load64Lane { memarg, lane } => self.load_lane(memarg, 3, lane)?,
            O::V128Store8Lane { memarg, lane } => self.store_lane(memarg, 0, lane)?,
            O::V128Store16Lane { memarg, lane } => self.store_lane(memarg, 1, lane)?,
            O::V128Store32Lane { memarg, lane } => self.store_lane(memarg, 2, lane)?,
            O::V128Store64Lane { memarg, lane } => self.store_lane(memarg, 3, lane)?,

            O::MemorySize { mem } => {
                let a = self.memory(mem)?;
                self.push(a);
            }
            O::MemoryGrow { mem } => {
                let a = self.memory(mem)?;
                self.pop_expect(a)?;
                self.push(a);
            }
            O::MemoryInit { data, mem } => {
                let a = self.memory(mem)?;
                self.data_segment(data)?;
                self.pop_types(&[a, I32, I32])?;
            }
            O::DataDrop { data } => self.data_segment(data)?,
            O::MemoryCopy { dst_mem, src_mem } => {
                let d = self.memory(dst_mem)?;
                let s = self.memory(src_mem)?;
                let n = if d == I64 && s == I64 { I64 } else { I32 };
                self.pop_types(&[d, s, n])?;
            }
            O::MemoryFill { mem } => {
                let a = self.memory(mem)?;
                self.pop_types(&[a, I32, a])?;
            }

            O::TableGet { table } => {
                let (a, e) = self.table(table)?;
                self.pop_expect(a)?;
                self.push(e);
            }
            O::TableSet { table } => {
                let (a, e) = self.table(table)?;
                self.pop_types(&[a, e])?;
            }
            O::TableSize { table } => {
                let (a, _) = self.table(table)?;
                self.push(a);
            }
            O::TableGrow { table } => {
                let (a, e) = self.table(table)?;
                self.pop_types(&[e, a])?;
                self.push(a);
            }
            O::TableFill { table } => {
                let (a, e) = self.table(table)?;
                self.pop_types(&[a, e, a])?;
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => {
                let (da, de) = self.table(dst_table)?;
                let (sa, se) = self.table(src_table)?;
                if !m.matches(se, de) {
                    bail!(self.offset, "type mismatch: table.copy from {se} to {de}");
                }
                let n = if da == I64 && sa == I64 { I64 } else { I32 };
                self.pop_types(&[da, sa, n])?;
            }
            O::TableInit { elem, table } => {
                let (a, e) = self.table(table)?;
                let Some(et) = m.element_type(elem) else {
                    bail!(self.offset, "unknown elem segment {elem}");
                };
                if !m.matches(ValType::Ref(et), e) {
                    bail!(self.offset, "type mismatch: table.init of {et} into {e}");
                }
                self.pop_types(&[a, I32, I32])?;
            }
            O::ElemDrop { elem } => {
                if m.element_type(elem).is_none() {
                    bail!(self.offset, "unknown elem segment {elem}");
                }
            }

            O::RefNull { heap } => {
                m.check_heap(heap, self.offset)?;
                self.push(ValType::Ref(RefType {
                    nullable: true,
                    heap,
                }));
            }
            O::RefIsNull {} => {
                self.pop_ref()?;
                self.push(I32);
            }
            O::RefFunc { func } => {
                let Some(type_index) = m.func_type_index(func) else {
                    bail!(self.offset, "unknown function {func}");
                };
                if !m.is_declared_func(func) {
                    bail!(self.offset, "undeclared function reference");
                }
                self.push(m.ref_func_type_of(type_index));
            }
            O::RefAsNonNull {} => {
                let r = self.pop_ref()?;
                self.push_maybe(r.map(non_null));
            }
            O::BrOnNull { depth } => {
                let r = self.pop_ref()?;
                let f = self.label(depth)?;
                let ts = f.label_types(m);
                self.pop_types(ts)?;
                self.push_types(ts);
                self.push_maybe(r.map(non_null));
            }
            O::BrOnNonNull { depth } => {
                let r = self.pop_ref()?;
                let f = self.label(depth)?;
                let ts = f.label_types(m);
                let Some((&last, rest)) = ts.split_last() else {
                    bail!(
                        self.offset,
                        "type mismatch: br_on_non_null label has no results"
                    );
                };
                if let Some(r) = r {
                    if !m.matches(non_null(r), last) {
                        bail!(
                            self.offset,
                            "type mismatch: expected {last}, found {}",
                            non_null(r)
                        );
                    }
                } else if !last.is_ref() {
                    bail!(
                        self.offset,
                        "type mismatch: expected a reference label type"
                    );
                }
                self.pop_types(rest)?;
                self.push_types(rest);
            }

            O::I8x16Shuffle { lanes } => {
                if lanes.iter().any(|&l| l >= 32) {
                    bail!(self.offset, "invalid lane index");
                }
                self.pop_types(&[V128, V128])?;
                self.push(V128);
            }
            O::I8x16ExtractLaneS { lane } | O::I8x16ExtractLaneU { lane } => {
                self.extract_lane(lane, 16, I32)?
            }
            O::I16x8ExtractLaneS { lane } | O::I16x8ExtractLaneU { lane } => {
                self.extract_lane(lane, 8, I32)?
            }
            O::I32x4ExtractLane { lane } => self.extract_lane(lane, 4, I32)?,
            O::I64x2ExtractLane { lane } => self.extract_lane(lane, 2, I64)?,
            O::F32x4ExtractLane { lane } => self.extract_lane(lane, 4, F32)?,
            O::F64x2ExtractLane { lane } => self.extract_lane(lane, 2, F64)?,
            O::I8x16ReplaceLane { lane } => self.replace_lane(lane, 16, I32)?,
            O::I16x8ReplaceLane { lane } => self.replace_lane(lane, 8, I32)?,
            O::I32x4ReplaceLane { lane } => self.replace_lane(lane, 4, I32)?,
            O::I64x2ReplaceLane { lane } => self.replace_lane(lane, 2, I64)?,
            O::F32x4ReplaceLane { lane } => self.replace_lane(lane, 4, F32)?,
            O::F64x2ReplaceLane { lane } => self.replace_lane(lane, 2, F64)?,

            // GC instructions (WebAssembly 3.0) are decoded but not yet validated.
            _ => bail!(
                self.offset,
                "unsupported operator: {} is not validated yet",
                op.name()
            ),
        }
        Ok(())
    }

    fn check_block_type(&self, ty: BlockType) -> Result<(), Fail> {
        match ty {
            BlockType::Empty => Ok(()),
            BlockType::Value(t) => Ok(self.m.check_val_type(t, self.offset)?),
            BlockType::FuncType(i) => {
                let Some(f) = self.m.func_type(i) else {
                    bail!(self.offset, "unknown type {i}");
                };
                if !self
                    .m
                    .features
                    .contains(strata_decoder::Features::MULTI_VALUE)
                    && (!f.params().is_empty() || f.results().len() > 1)
                {
                    bail!(self.offset, "invalid result arity");
                }
                Ok(())
            }
        }
    }

    /// Checks that the top of the stack matches `ts` without consuming it (for `br_table`).
    fn check_and_restore(&mut self, ts: &[ValType]) -> Result<(), Fail> {
        let mut tmp = core::mem::take(&mut self.s.scratch);
        tmp.clear();
        for &t in ts.iter().rev() {
            tmp.push(self.pop_expect(t)?);
        }
        for &v in tmp.iter().rev() {
            self.push_maybe(v);
        }
        self.s.scratch = tmp;
        Ok(())
    }

    fn select(&mut self) -> Result<(), Fail> {
        self.pop_expect(I32)?;
        let t1 = self.pop()?;
        let t2 = self.pop()?;
        let ok = |t: Option<ValType>| t.is_none_or(|t| t.is_num() || t == V128);
        if !ok(t1) || !ok(t2) {
            bail!(
                self.offset,
                "type mismatch: select without a type annotation needs numeric or vector operands"
            );
        }
        if let (Some(a), Some(b)) = (t1, t2) {
            if a != b {
                bail!(
                    self.offset,
                    "type mismatch: select operands {b} and {a} differ"
                );
            }
        }
        self.push_maybe(t1.or(t2));
        Ok(())
    }

    /// Records that a non-defaultable local now holds a value (until its frame ends).
    #[inline]
    fn init_local(&mut self, index: u32) {
        if self.s.track_init && !self.s.local_init[index as usize] {
            self.s.local_init[index as usize] = true;
            self.s.init_log.push(index);
        }
    }

    fn local(&self, index: u32) -> Result<ValType, Fail> {
        match self.s.locals.get(index as usize) {
            Some(&t) => Ok(t),
            None => bail!(self.offset, "unknown local {index}"),
        }
    }
}

impl<'a, C: FuncConsumer> Checker<'a, C> {
    fn func_of(&self, func: u32) -> Result<&'a FuncType, Fail> {
        match self.m.func_type_of(func) {
            Some(t) => Ok(t),
            None => bail!(self.offset, "unknown function {func}"),
        }
    }

    fn type_at(&self, type_index: u32) -> Result<&'a FuncType, Fail> {
        match self.m.func_type(type_index) {
            Some(t) => Ok(t),
            None => bail!(self.offset, "unknown type {type_index}"),
        }
    }

    fn call(&mut self, ty: &FuncType) -> Result<(), Fail> {
        self.pop_types(ty.params())?;
        self.push_types(ty.results());
        Ok(())
    }

    /// Checks `call_indirect`'s immediates, pops the table index and returns the signature.
    fn call_indirect(&mut self, type_index: u32, table: u32) -> Result<&'a FuncType, Fail> {
        let (a, e) = self.table(table)?;
        if !self.m.matches(e, ValType::FUNCREF) {
            bail!(
                self.offset,
                "type mismatch: call_indirect on a table of {e}"
            );
        }
        let ty = self.type_at(type_index)?;
        self.pop_expect(a)?;
        Ok(ty)
    }

    /// Checks `call_ref`'s immediate and pops the function reference.
    fn call_ref(&mut self, type_index: u32) -> Result<&'a FuncType, Fail> {
        let ty = self.type_at(type_index)?;
        self.pop_expect(ValType::Ref(RefType {
            nullable: true,
            heap: HeapType::Concrete(type_index),
        }))?;
        Ok(ty)
    }

    /// A tail call: the callee's results must match the caller's.
    fn return_call(&mut self, ty: &FuncType) -> Result<(), Fail> {
        let m = self.m;
        let f = self.s.controls[0];
        let mine = f.results(m);
        let theirs = ty.results();
        if mine.len() != theirs.len() || theirs.iter().zip(mine).any(|(&a, &b)| !m.matches(a, b)) {
            bail!(
                self.offset,
                "type mismatch: tail call's results do not match the function's"
            );
        }
        self.pop_types(ty.params())?;
        self.set_unreachable();
        Ok(())
    }

    fn tag_type(&self, tag: u32) -> Result<&'a FuncType, Fail> {
        match self.m.tag(tag) {
            Some(t) => self.type_at(t.func_type),
            None => bail!(self.offset, "unknown tag {tag}"),
        }
    }

    fn check_catch(&mut self, catch: Catch) -> Result<(), Fail> {
        let m = self.m;
        let (tag, label, with_ref) = match catch {
            Catch::One { tag, label } => (Some(tag), label, false),
            Catch::OneRef { tag, label } => (Some(tag), label, true),
            Catch::All { label } => (None, label, false),
            Catch::AllRef { label } => (None, label, true),
        };
        let payload: &[ValType] = match tag {
            Some(t) => self.tag_type(t)?.params(),
            None => &[],
        };
        let f = self.label(label)?;
        let ts = f.label_types(m);
        let n = payload.len() + usize::from(with_ref);
        let ok = ts.len() == n
            && payload.iter().zip(ts).all(|(&a, &b)| m.matches(a, b))
            && (!with_ref || m.matches(EXNREF_NON_NULL, ts[n - 1]));
        if !ok {
            bail!(
                self.offset,
                "type mismatch: catch clause does not match its label"
            );
        }
        Ok(())
    }

    /// Checks a memory index; returns the memory's address type.
    fn memory(&self, mem: u32) -> Result<ValType, Fail> {
        match self.m.memory(mem) {
            Some(t) if t.memory64 => Ok(I64),
            Some(_) => Ok(I32),
            None => bail!(self.offset, "unknown memory {mem}"),
        }
    }

    fn memarg(&self, memarg: MemArg, natural_log2: u32) -> Result<ValType, Fail> {
        let a = self.memory(memarg.memory)?;
        if memarg.align > natural_log2 {
            bail!(self.offset, "alignment must not be larger than natural");
        }
        if a == I32 && memarg.offset > u64::from(u32::MAX) {
            bail!(self.offset, "offset out of range");
        }
        Ok(a)
    }

    fn load(&mut self, memarg: MemArg, natural_log2: u32, t: ValType) -> Result<(), Fail> {
        let a = self.memarg(memarg, natural_log2)?;
        self.pop_expect(a)?;
        self.push(t);
        Ok(())
    }

    fn store(&mut self, memarg: MemArg, natural_log2: u32, t: ValType) -> Result<(), Fail> {
        let a = self.memarg(memarg, natural_log2)?;
        self.pop_types(&[a, t])
    }

    fn lane(&self, lane: u8, lanes: u8) -> Result<(), Fail> {
        if lane >= lanes {
            bail!(self.offset, "invalid lane index");
        }
        Ok(())
    }

    fn load_lane(&mut self, memarg: MemArg, natural_log2: u32, lane: u8) -> Result<(), Fail> {
        let a = self.memarg(memarg, natural_log2)?;
        self.lane(lane, 16 >> natural_log2)?;
        self.pop_types(&[a, V128])?;
        self.push(V128);
        Ok(())
    }

    fn store_lane(&mut self, memarg: MemArg, natural_log2: u32, lane: u8) -> Result<(), Fail> {
        let a = self.memarg(memarg, natural_log2)?;
        self.lane(lane, 16 >> natural_log2)?;
        self.pop_types(&[a, V128])
    }

    fn extract_lane(&mut self, lane: u8, lanes: u8, t: ValType) -> Result<(), Fail> {
        self.lane(lane, lanes)?;
        self.pop_expect(V128)?;
        self.push(t);
        Ok(())
    }

    fn replace_lane(&mut self, lane: u8, lanes: u8, t: ValType) -> Result<(), Fail> {
        self.lane(lane, lanes)?;
        self.pop_types(&[V128, t])?;
        self.push(V128);
        Ok(())
    }

    /// Checks a data segment index (`memory.init`, `data.drop`): needs the data count section.
    fn data_segment(&self, data: u32) -> Result<(), Fail> {
        match self.m.data_count {
            None => Err(Fail::from(DecodeError::new(
                DecodeErrorKind::DataCountRequired,
                self.offset,
            ))),
            Some(n) if data >= n => bail!(self.offset, "unknown data segment {data}"),
            Some(_) => Ok(()),
        }
    }

    /// Checks a table index; returns the table's index type and element type.
    fn table(&self, table: u32) -> Result<(ValType, ValType), Fail> {
        match self.m.table(table) {
            Some(t) => Ok((if t.table64 { I64 } else { I32 }, ValType::Ref(t.element))),
            None => bail!(self.offset, "unknown table {table}"),
        }
    }
}

/// `ref.func`'s result: a non-null reference to the function's type with typed function
/// references, `funcref` before them.
fn non_null(r: RefType) -> ValType {
    ValType::Ref(RefType {
        nullable: false,
        ..r
    })
}
