//! Translation from validated operators to IR, driven by the validator's single pass.
//!
//! The translator mirrors the operand stack with [`Operand`]s that say where each value lives:
//! in a local's slot, in its own temporary slot, or as a constant not yet written anywhere.
//! Instructions read their inputs straight from those places, so `local.get` and constants cost
//! nothing, and a `local.set` right after the instruction that produced its value retargets that
//! instruction instead of copying.
//!
//! Invariants:
//! - every stack position has a fixed *positional* slot (temporaries start after the locals;
//!   a `v128` takes two); a `Temp` value always lives in its own positional slot;
//! - when a control construct starts, no operand refers lazily to a local (they are copied to
//!   their positional slots first), so a `local.set` inside the construct never changes a value
//!   that another path still needs;
//! - a branch copies the values it carries into the label's positional slots; because those are
//!   at or below the values' own positions, copying in ascending order never overwrites a value
//!   still to be read.

use alloc::vec::Vec;

use strata_decoder::{BlockType, Catch, FuncType, MemArg, Operator, RefType, TryTable, ValType};
use strata_validator::{FrameKind, FuncConsumer, OperatorContext};

use crate::func::{slots_of, CatchClause, Handler, IrFunc};
use crate::instr::{Instr, Slot, Target};

/// Where an operand's value is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    /// In a local's slot (a parameter or declared local).
    Local(u16),
    /// In its own positional slot.
    Temp,
    /// A constant not materialised yet (bits, zero-extended for 32-bit types).
    Const(u64),
    /// A `v128` constant not materialised yet.
    ConstV128(u128),
}

/// One entry of the translator's operand stack.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Operand {
    value: Value,
    ty: ValType,
    /// The positional slot of this stack position.
    pos: u16,
}

/// A branch label: bound to an instruction index, or a list of branches waiting for it.
#[derive(Debug, Default)]
struct Label {
    bound: Option<u32>,
    pending: Vec<usize>,
}

/// One open control construct.
#[derive(Debug)]
struct Control {
    kind: FrameKind,
    /// Operand stack length at entry, below the parameters.
    height: usize,
    /// Positional slot of stack position `height`.
    base: u16,
    /// Where branches to this construct go (loop start, or the end).
    label: usize,
    /// For `if`: the branch to the `else` arm, patched when it starts (or at `end`).
    else_branch: Option<usize>,
    /// Parameter and result types.
    params: Vec<ValType>,
    results: Vec<ValType>,
    /// True if the construct was entered in unreachable code: it emits nothing.
    dead: bool,
    /// For `try_table`: its first body instruction and its catch clauses.
    try_table: Option<(u32, Vec<CatchClause>)>,
}

/// Why a function could not be translated although it is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranslateError {
    /// The frame needs more than 65535 slots.
    FrameTooLarge,
    /// The function uses a feature the IR does not support yet.
    Unsupported(&'static str),
}

impl core::fmt::Display for TranslateError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            TranslateError::FrameTooLarge => {
                f.write_str("function too large: its frame needs more than 65535 slots")
            }
            TranslateError::Unsupported(what) => write!(f, "unsupported: {what}"),
        }
    }
}

/// What the translator inserts besides the function's own code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TranslateOptions {
    /// Insert `ConsumeFuel` at the start of every basic block (fuel metering).
    pub fuel: bool,
    /// Insert `CheckInterrupt` at function entry and loop headers (interruption, deadlines).
    pub interruptible: bool,
}

/// Translates one function body to IR as the validator reports its operators.
#[derive(Debug, Default)]
pub struct FuncTranslator {
    options: TranslateOptions,
    /// The `ConsumeFuel` instruction of the current basic block.
    fuel_at: Option<usize>,
    func_index: u32,
    instrs: Vec<Instr>,
    v128_consts: Vec<u128>,
    stack: Vec<Operand>,
    controls: Vec<Control>,
    labels: Vec<Label>,
    local_slot: Vec<u16>,
    local_types: Vec<ValType>,
    param_slots: u16,
    result_slots: u16,
    local_slots: u16,
    max_slots: u32,
    /// Instructions before this index must not be rewritten (a label points here).
    fuse_barrier: usize,
    error: Option<TranslateError>,
    result: Option<IrFunc>,
    /// Handlers of the `try_table`s ended so far (inner ones end, so come, first).
    handlers: Vec<Handler>,
    /// For each memory of the module, whether it is a 64-bit memory: read from the validator
    /// at each function's first operator (the buffer is reused).
    memory64: Vec<bool>,
    /// Whether `memory64` was read for the current function.
    memory64_read: bool,
    /// Constants read inside loops, each in a slot of its own (after the locals, before the
    /// temporaries) written once at function entry: its type, bits (a `v128` constant's pool
    /// index for `V128`) and offset among them.
    hoisted: Vec<(ValType, u64, u16)>,
    /// Slots the hoisted constants take.
    hoisted_slots: u16,
}

/// Hoisted constants are named `Slot(HOISTED_BASE + offset)` until the function ends and their
/// number is known; then they move right after the locals and the temporaries move up.
const HOISTED_BASE: u16 = u16::MAX - MAX_HOISTED_SLOTS;
/// At most this many slots of hoisted constants per function (later ones are written where used).
const MAX_HOISTED_SLOTS: u16 = 256;

impl FuncTranslator {
    /// A translator with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// A translator that inserts fuel metering and/or interruption checks.
    pub fn with_options(options: TranslateOptions) -> Self {
        FuncTranslator {
            options,
            ..Self::default()
        }
    }

    /// Starts a basic block's fuel charge (a join point: a label or the function entry).
    fn start_fuel_block(&mut self) {
        if self.options.fuel {
            self.fuel_at = Some(self.emit(Instr::ConsumeFuel { amount: 0 }));
            self.fuse_barrier = self.instrs.len();
        }
    }

    /// Adds `cost` to the current basic block's fuel charge.
    fn charge(&mut self, cost: u32) {
        if let Some(at) = self.fuel_at {
            if let Instr::ConsumeFuel { amount } = &mut self.instrs[at] {
                *amount = amount.saturating_add(cost);
            }
        }
    }

    /// The translated function, once `end_function` ran; or why translation failed.
    pub fn finish(&mut self) -> Result<IrFunc, TranslateError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.result
            .take()
            .ok_or(TranslateError::Unsupported("function not translated"))
    }

    fn fail(&mut self, e: TranslateError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    // ---- slots and operands ----

    fn next_pos(&self) -> u32 {
        match self.stack.last() {
            Some(o) => u32::from(o.pos) + u32::from(slots_of(o.ty)),
            None => u32::from(self.local_slots),
        }
    }

    fn note_slots(&mut self, end: u32) {
        if end > self.max_slots {
            self.max_slots = end;
        }
        if end > u32::from(u16::MAX) {
            self.fail(TranslateError::FrameTooLarge);
        }
    }

    fn push(&mut self, value: Value, ty: ValType) -> Slot {
        let pos = self.next_pos();
        self.note_slots(pos + u32::from(slots_of(ty)));
        let pos = pos.min(u32::from(u16::MAX)) as u16;
        self.stack.push(Operand { value, ty, pos });
        Slot(pos)
    }

    fn push_temp(&mut self, ty: ValType) -> Slot {
        self.push(Value::Temp, ty)
    }

    fn pop(&mut self) -> Operand {
        self.stack.pop().unwrap_or(Operand {
            value: Value::Temp,
            ty: ValType::I32,
            pos: 0,
        })
    }

    fn emit(&mut self, i: Instr) -> usize {
        self.instrs.push(i);
        self.instrs.len() - 1
    }

    /// Writes a constant into `dst`.
    fn emit_const(&mut self, dst: Slot, ty: ValType, bits: u64) {
        self.emit(scalar_const(dst, ty, bits));
    }

    fn emit_const_v128(&mut self, dst: Slot, v: u128) {
        let index = self.v128_consts.len() as u32;
        self.v128_consts.push(v);
        self.emit(Instr::ConstV128 { dst, index });
    }

    fn emit_copy(&mut self, dst: Slot, src: Slot, ty: ValType) {
        if dst == src {
            return;
        }
        if ty == ValType::V128 {
            self.emit(Instr::Copy128 { dst, src });
        } else {
            self.emit(Instr::Copy { dst, src });
        }
    }

    /// Writes operand `o`'s value into `dst`.
    fn write_to(&mut self, dst: Slot, o: Operand) {
        match o.value {
            Value::Local(s) => self.emit_copy(dst, Slot(s), o.ty),
            Value::Temp => self.emit_copy(dst, Slot(o.pos), o.ty),
            Value::Const(bits) => self.emit_const(dst, o.ty, bits),
            Value::ConstV128(v) => self.emit_const_v128(dst, v),
        }
    }

    /// The slot holding operand `o`, materialising a constant into its positional slot, or,
    /// inside a loop, naming the slot it is hoisted to.
    fn slot_of(&mut self, o: Operand) -> Slot {
        match o.value {
            Value::Local(s) => Slot(s),
            Value::Temp => Slot(o.pos),
            Value::Const(_) | Value::ConstV128(_) => {
                if let Some(s) = self.hoist(o) {
                    return s;
                }
                self.write_to(Slot(o.pos), o);
                Slot(o.pos)
            }
        }
    }

    /// Inside a loop, the (placeholder) slot of constant `o` written once at function entry,
    /// so the loop does not rebuild it on every iteration.
    fn hoist(&mut self, o: Operand) -> Option<Slot> {
        let (ty, bits) = match o.value {
            Value::Const(bits) => (o.ty, bits),
            Value::ConstV128(v) => (ValType::V128, v as u64),
            _ => return None,
        };
        // Results are written to the absolute slots `0..result_slots`; when they reach past
        // the locals they overlap the temporaries' range, which `place_hoisted` renumbers.
        if self.result_slots > self.local_slots
            || !self.controls.iter().any(|c| c.kind == FrameKind::Loop)
        {
            return None;
        }
        if ty != ValType::V128 {
            if let Some(&(_, _, off)) = self.hoisted.iter().find(|h| h.0 == ty && h.1 == bits) {
                return Some(Slot(HOISTED_BASE + off));
            }
        }
        let n = slots_of(ty);
        if self.hoisted_slots + n > MAX_HOISTED_SLOTS {
            return None;
        }
        let bits = match o.value {
            Value::ConstV128(v) => {
                if let Some(&(_, _, off)) = self.hoisted.iter().find(|h| {
                    h.0 == ValType::V128 && self.v128_consts.get(h.1 as usize) == Some(&v)
                }) {
                    return Some(Slot(HOISTED_BASE + off));
                }
                self.v128_consts.push(v);
                (self.v128_consts.len() - 1) as u64
            }
            _ => bits,
        };
        let off = self.hoisted_slots;
        self.hoisted.push((ty, bits, off));
        self.hoisted_slots += n;
        Some(Slot(HOISTED_BASE + off))
    }

    /// Puts the hoisted constants' slots right after the locals (temporaries move up by their
    /// number: a call's callee frame starts at its argument window and may overwrite every
    /// slot from there on, so nothing that must survive a call may sit above a temporary) and
    /// prepends the instructions writing them (shifting every instruction index by their
    /// number).
    fn place_hoisted(&mut self) {
        if self.hoisted.is_empty() {
            return;
        }
        let frame = self.max_slots;
        if frame > u32::from(HOISTED_BASE) {
            // Placeholders and real slots would be ambiguous (a frame this large is near the
            // limit anyway).
            self.fail(TranslateError::FrameTooLarge);
            return;
        }
        let h = self.hoisted_slots;
        self.note_slots(frame + u32::from(h));
        if self.error.is_some() {
            return;
        }
        let locals = self.local_slots;
        let place = |s: &mut Slot| {
            if s.0 >= HOISTED_BASE {
                s.0 = s.0 - HOISTED_BASE + locals;
            } else if s.0 >= locals {
                s.0 += h;
            }
        };
        for hd in &mut self.handlers {
            for c in hd.catches.iter_mut() {
                place(&mut c.dst);
            }
        }
        let frame = locals;
        let n = self.hoisted.len() as u32;
        let mut instrs = Vec::with_capacity(self.instrs.len() + self.hoisted.len());
        for &(ty, bits, off) in &self.hoisted {
            let dst = Slot(frame + off);
            instrs.push(match ty {
                ValType::V128 => Instr::ConstV128 {
                    dst,
                    index: bits as u32,
                },
                _ => scalar_const(dst, ty, bits),
            });
        }
        for mut i in self.instrs.drain(..) {
            i.slots_mut(place);
            if let Some(t) = i.target_mut() {
                t.0 += n;
            }
            instrs.push(i);
        }
        self.instrs = instrs;
        for h in &mut self.handlers {
            h.start += n;
            h.end += n;
            for c in h.catches.iter_mut() {
                c.target.0 += n;
            }
        }
    }

    /// Puts stack entry `i` into its positional slot.
    fn materialize(&mut self, i: usize) {
        let o = self.stack[i];
        if o.value != Value::Temp {
            self.write_to(Slot(o.pos), o);
            self.stack[i].value = Value::Temp;
        }
    }

    /// Puts the top `n` entries into their positional slots.
    fn materialize_top(&mut self, n: usize) {
        let len = self.stack.len();
        for i in len.saturating_sub(n)..len {
            self.materialize(i);
        }
    }

    /// Copies every operand that refers lazily to a local (in `range`, or any local if `None`)
    /// into its positional slot.
    fn preserve_locals(&mut self, local: Option<(u16, u16)>) {
        for i in 0..self.stack.len() {
            if let Value::Local(s) = self.stack[i].value {
                let hit = match local {
                    None => true,
                    Some((start, end)) => s < end && start < s + slots_of(self.stack[i].ty),
                };
                if hit {
                    self.materialize(i);
                }
            }
        }
    }

    // ---- labels ----

    fn new_label(&mut self) -> usize {
        self.labels.push(Label::default());
        self.labels.len() - 1
    }

    fn here(&self) -> u32 {
        self.instrs.len() as u32
    }

    fn bind_label(&mut self, label: usize) {
        // With fuel on, a block that has not emitted anything yet starts at its
        // `ConsumeFuel`: the label shares that block instead of starting an empty one.
        let shares_block =
            self.options.fuel && self.fuel_at.is_some_and(|at| at + 1 == self.instrs.len());
        let here = if shares_block {
            self.here() - 1
        } else {
            self.here()
        };
        self.fuse_barrier = self.instrs.len();
        let pending = core::mem::take(&mut self.labels[label].pending);
        for at in pending {
            if let Some(t) = self.instrs[at].target_mut() {
                *t = Target(here);
            }
        }
        self.labels[label].bound = Some(here);
        if !shares_block {
            self.start_fuel_block();
        }
    }

    /// Emits a branching instruction to `label` (its target is patched if not bound yet).
    fn emit_branch(&mut self, mut i: Instr, label: usize) {
        let target = self.labels[label].bound;
        if let (Some(t), Some(slot)) = (target, i.target_mut()) {
            *slot = Target(t);
        }
        let at = self.emit(i);
        if target.is_none() {
            self.labels[label].pending.push(at);
        }
    }

    // ---- branches ----

    /// The construct `depth` levels out.
    fn control_at(&self, depth: u32) -> usize {
        self.controls.len().saturating_sub(depth as usize + 1)
    }

    /// Where the values a branch to control `c` carries go, and how many there are.
    fn branch_dest(&self, c: usize) -> (u16, usize) {
        let ctrl = &self.controls[c];
        let count = if ctrl.kind == FrameKind::Loop {
            ctrl.params.len()
        } else {
            ctrl.results.len()
        };
        let base = if ctrl.kind == FrameKind::Function {
            0
        } else {
            ctrl.base
        };
        (base, count)
    }

    /// True if branching to control `c` needs no copies (the values are already in place).
    fn branch_in_place(&self, c: usize) -> bool {
        let (base, n) = self.branch_dest(c);
        if n > self.stack.len() {
            return true;
        }
        let top = &self.stack[self.stack.len() - n..];
        let mut slot = base;
        for o in top {
            if o.value != Value::Temp || o.pos != slot {
                return false;
            }
            slot += slots_of(o.ty);
        }
        true
    }

    /// Copies the values a branch to control `c` carries into place (without popping them).
    fn copy_branch_values(&mut self, c: usize) {
        let (base, n) = self.branch_dest(c);
        let n = n.min(self.stack.len());
        let first = self.stack.len() - n;
        // Values are written in ascending order; a local read by value `i` must not be a
        // destination of an earlier value, or it is copied to its own slot first.
        let mut dest = base;
        for i in first..self.stack.len() {
            if let Value::Local(s) = self.stack[i].value {
                if s < dest && base < s + slots_of(self.stack[i].ty) {
                    self.materialize(i);
                }
            }
            dest += slots_of(self.stack[i].ty);
        }
        // A single result produced by the last instruction can be written in place directly.
        if n == 1 && self.retarget_top(base) {
            return;
        }
        let mut slot = base;
        for i in first..self.stack.len() {
            let o = self.stack[i];
            self.write_to(Slot(slot), o);
            slot += slots_of(o.ty);
        }
    }

    /// An unconditional branch to the construct `depth` levels out (including `return`).
    fn branch(&mut self, depth: u32) {
        let c = self.control_at(depth);
        self.copy_branch_values(c);
        if self.controls[c].kind == FrameKind::Function {
            self.emit(Instr::Return {});
        } else {
            let label = self.controls[c].label;
            self.emit_branch(Instr::Br { target: Target(0) }, label);
        }
    }

    fn br_if(&mut self, depth: u32) {
        let cond = self.pop();
        let c = self.control_at(depth);
        let is_return = self.controls[c].kind == FrameKind::Function;
        if !is_return && self.branch_in_place(c) {
            let label = self.controls[c].label;
            let branch = self.fused_branch(cond, false);
            self.emit_branch(branch, label);
            self.start_fuel_block();
            return;
        }
        // Skip over the copies and the branch when the condition is false.
        let skip = self.new_label();
        let branch = self.fused_branch(cond, true);
        self.emit_branch(branch, skip);
        self.start_fuel_block();
        self.branch(depth);
        self.bind_label(skip);
    }

    /// `br_on_null`/`br_on_non_null` (`non_null`) to `depth` on the reference `r`, with the
    /// label's values already on the stack (for `br_on_non_null`, `r` is the last of them).
    fn br_on(&mut self, r: Operand, depth: u32, non_null: bool) {
        let cond = self.slot_of(r);
        let when = |target| {
            if non_null {
                Instr::BrIfNez { cond, target }
            } else {
                Instr::BrIfEqz { cond, target }
            }
        };
        let unless = |target| {
            if non_null {
                Instr::BrIfEqz { cond, target }
            } else {
                Instr::BrIfNez { cond, target }
            }
        };
        let c = self.control_at(depth);
        let is_return = self.controls[c].kind == FrameKind::Function;
        if !is_return && self.branch_in_place(c) {
            let label = self.controls[c].label;
            self.emit_branch(when(Target(0)), label);
            self.start_fuel_block();
            return;
        }
        let skip = self.new_label();
        self.emit_branch(unless(Target(0)), skip);
        self.start_fuel_block();
        self.branch(depth);
        self.bind_label(skip);
    }

    /// A conditional branch on `cond` (on its negation if `negate`), fusing the comparison that
    /// produced it when that was the last instruction.
    fn fused_branch(&mut self, cond: Operand, negate: bool) -> Instr {
        let t = Target(0);
        if cond.value == Value::Temp && self.instrs.len() > self.fuse_barrier {
            if let Some(&last) = self.instrs.last() {
                if let Some(fused) = fuse_compare(last, Slot(cond.pos), negate, t) {
                    self.instrs.pop();
                    return self.fuse_and_test(fused);
                }
            }
        }
        let c = self.slot_of(cond);
        let branch = if negate {
            Instr::BrIfEqz { cond: c, target: t }
        } else {
            Instr::BrIfNez { cond: c, target: t }
        };
        self.fuse_and_test(branch)
    }

    /// A branch on whether a temporary is zero, when the last instruction computed that
    /// temporary as `x & imm`: one test-and-branch (`br_i32.and_imm_eqz` ...). The temporary
    /// is dead (its stack entry was consumed by the test), so it need not be written.
    fn fuse_and_test(&mut self, branch: Instr) -> Instr {
        // (tested slot, branch when zero, 64-bit test)
        let (c, zero, wide, target) = match branch {
            Instr::BrIfEqz { cond, target } => (cond, true, None, target),
            Instr::BrIfNez { cond, target } => (cond, false, None, target),
            Instr::BrI64EqImm {
                lhs,
                imm: 0,
                target,
            } => (lhs, true, Some(true), target),
            Instr::BrI64NeImm {
                lhs,
                imm: 0,
                target,
            } => (lhs, false, Some(true), target),
            Instr::BrI32EqImm {
                lhs,
                imm: 0,
                target,
            } => (lhs, true, Some(false), target),
            Instr::BrI32NeImm {
                lhs,
                imm: 0,
                target,
            } => (lhs, false, Some(false), target),
            _ => return branch,
        };
        if c.0 < self.local_slots || self.instrs.len() <= self.fuse_barrier {
            return branch;
        }
        let fused = match self.instrs.last() {
            Some(&Instr::I32AndImm { dst, lhs, imm }) if dst == c && wide != Some(true) => {
                if zero {
                    Instr::BrI32AndImmEqz { lhs, imm, target }
                } else {
                    Instr::BrI32AndImmNez { lhs, imm, target }
                }
            }
            Some(&Instr::I64AndImm { dst, lhs, imm }) if dst == c && wide == Some(true) => {
                if zero {
                    Instr::BrI64AndImmEqz { lhs, imm, target }
                } else {
                    Instr::BrI64AndImmNez { lhs, imm, target }
                }
            }
            _ => return branch,
        };
        self.instrs.pop();
        fused
    }

    fn br_table(&mut self, index: Operand, targets: &[u32], default: u32) {
        let index = self.slot_of(index);
        let len = targets.len() as u32;
        self.emit(Instr::BrTable { index, len });
        // Entries that need copies go through a landing pad emitted after the table.
        let mut pads = Vec::new();
        for &depth in targets.iter().chain(core::iter::once(&default)) {
            let c = self.control_at(depth);
            if self.controls[c].kind != FrameKind::Function && self.branch_in_place(c) {
                let label = self.controls[c].label;
                self.emit_branch(Instr::Br { target: Target(0) }, label);
            } else {
                let pad = self.new_label();
                self.emit_branch(Instr::Br { target: Target(0) }, pad);
                pads.push((pad, depth));
            }
        }
        for (pad, depth) in pads {
            self.bind_label(pad);
            self.branch(depth);
        }
    }

    // ---- control constructs ----

    fn block_types(
        &self,
        ctx: &OperatorContext<'_>,
        bt: BlockType,
    ) -> (Vec<ValType>, Vec<ValType>) {
        match bt {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Value(t) => (Vec::new(), alloc::vec![t]),
            BlockType::FuncType(i) => match ctx.func_type(i) {
                Some(f) => (f.params().to_vec(), f.results().to_vec()),
                None => (Vec::new(), Vec::new()),
            },
        }
    }

    fn enter(&mut self, kind: FrameKind, params: Vec<ValType>, results: Vec<ValType>, dead: bool) {
        let height = self.stack.len().saturating_sub(params.len());
        let base = match height {
            0 => self.local_slots,
            h => self.stack[h - 1].pos + slots_of(self.stack[h - 1].ty),
        };
        let label = self.new_label();
        self.controls.push(Control {
            kind,
            height,
            base,
            label,
            else_branch: None,
            params,
            results,
            dead,
            try_table: None,
        });
    }

    /// Resets the operand stack to `height` plus `types` as temporaries in their positional
    /// slots (the state at a join point).
    fn reset_stack(&mut self, height: usize, types: &[ValType]) {
        self.stack.truncate(height);
        for &t in types {
            self.push_temp(t);
        }
    }

    fn op_block(&mut self, kind: FrameKind, bt: BlockType, ctx: &OperatorContext<'_>) {
        let (params, results) = self.block_types(ctx, bt);
        let dead = !ctx.was_reachable();
        if !dead {
            self.preserve_locals(None);
            self.materialize_top(params.len());
        }
        self.enter(kind, params, results, dead);
        if kind == FrameKind::Loop && !dead {
            let label = self.controls.last().map(|c| c.label).unwrap_or(0);
            self.bind_label(label);
            if self.options.interruptible {
                self.emit(Instr::CheckInterrupt {});
            }
        }
    }

    fn op_if(&mut self, bt: BlockType, ctx: &OperatorContext<'_>) {
        let (params, results) = self.block_types(ctx, bt);
        let dead = !ctx.was_reachable();
        let mut else_branch = None;
        if !dead {
            let cond = self.pop();
            self.preserve_locals(None);
            self.materialize_top(params.len());
            let branch = self.fused_branch(cond, true);
            else_branch = Some(self.emit(branch));
            self.start_fuel_block();
        }
        self.enter(FrameKind::If, params, results, dead);
        if let Some(c) = self.controls.last_mut() {
            c.else_branch = else_branch;
        }
    }

    /// `try_table`: a block whose body is covered by a handler. Each catch clause lands on a
    /// pad, emitted before the body and jumped over on entry, that branches to the clause's
    /// label; the backend writes the caught values straight to that label's slots.
    fn op_try_table(&mut self, table: &TryTable<'_>, ctx: &OperatorContext<'_>) {
        let (params, results) = self.block_types(ctx, table.ty);
        let dead = !ctx.was_reachable();
        if dead {
            return self.enter(FrameKind::TryTable, params, results, dead);
        }
        self.preserve_locals(None);
        self.materialize_top(params.len());
        let body = self.new_label();
        self.emit_branch(Instr::Br { target: Target(0) }, body);
        let mut catches = Vec::new();
        for catch in table.catches() {
            let (tag, label, with_ref) = match catch {
                Catch::One { tag, label } => (Some(tag), label, false),
                Catch::OneRef { tag, label } => (Some(tag), label, true),
                Catch::All { label } => (None, label, false),
                Catch::AllRef { label } => (None, label, true),
            };
            // Catch labels are counted from outside the `try_table`.
            let c = self.control_at(label);
            let (base, _) = self.branch_dest(c);
            let payload = tag
                .and_then(|t| ctx.types().tag(t))
                .and_then(|t| ctx.func_type(t.func_type))
                .map_or(0, param_slots);
            let slots = payload + u32::from(with_ref);
            self.note_slots(u32::from(base) + slots);
            catches.push(CatchClause {
                tag,
                with_ref,
                dst: Slot(base),
                slots: slots.min(u32::from(u16::MAX)) as u16,
                target: Target(self.here()),
            });
            if self.controls[c].kind == FrameKind::Function {
                self.emit(Instr::Return {});
            } else {
                let label = self.controls[c].label;
                self.emit_branch(Instr::Br { target: Target(0) }, label);
            }
        }
        self.bind_label(body);
        self.enter(FrameKind::TryTable, params, results, dead);
        let start = self.here();
        if let Some(c) = self.controls.last_mut() {
            c.try_table = Some((start, catches));
        }
    }

    fn op_else(&mut self, ctx: &OperatorContext<'_>) {
        let Some(c) = self.controls.len().checked_sub(1) else {
            return;
        };
        if self.controls[c].dead {
            return;
        }
        if ctx.was_reachable() {
            // The `then` arm falls through: move its results into place and jump to the end.
            self.copy_branch_values(c);
            let label = self.controls[c].label;
            self.emit_branch(Instr::Br { target: Target(0) }, label);
        }
        if let Some(at) = self.controls[c].else_branch.take() {
            let here = self.here();
            self.fuse_barrier = self.instrs.len();
            if let Some(t) = self.instrs[at].target_mut() {
                *t = Target(here);
            }
            self.start_fuel_block();
        }
        self.controls[c].kind = FrameKind::Else;
        let height = self.controls[c].height;
        let params = self.controls[c].params.clone();
        self.reset_stack(height, &params);
    }

    fn op_end(&mut self, ctx: &OperatorContext<'_>) {
        let Some(mut ctrl) = self.controls.pop() else {
            return;
        };
        if let Some((start, catches)) = ctrl.try_table.take() {
            // The body ends here: the copies of a fall-through below cannot throw.
            self.handlers.push(Handler {
                start,
                end: self.here(),
                catches: catches.into_boxed_slice(),
            });
        }
        if ctrl.kind == FrameKind::Function {
            if ctx.was_reachable() {
                self.controls.push(ctrl);
                self.branch(0);
                self.controls.pop();
            }
            return;
        }
        if ctrl.dead {
            self.stack.truncate(ctrl.height.min(self.stack.len()));
            return;
        }
        if ctx.was_reachable() && ctrl.kind != FrameKind::Loop {
            self.controls.push(ctrl);
            let c = self.controls.len() - 1;
            self.copy_branch_values(c);
            let ctrl = self.controls.pop();
            return self.finish_end(ctrl);
        }
        if ctx.was_reachable() {
            // A loop's end is a plain fall-through: results move to the loop's base.
            let n = ctrl.results.len().min(self.stack.len());
            let first = self.stack.len() - n;
            let mut slot = ctrl.base;
            for i in first..self.stack.len() {
                let o = self.stack[i];
                if let Value::Local(s) = o.value {
                    if s >= ctrl.base {
                        self.materialize(i);
                    }
                }
                let o = self.stack[i];
                self.write_to(Slot(slot), o);
                slot += slots_of(o.ty);
            }
        }
        self.finish_end(Some(ctrl));
    }

    fn finish_end(&mut self, ctrl: Option<Control>) {
        let Some(ctrl) = ctrl else {
            return;
        };
        if let Some(at) = ctrl.else_branch {
            // An `if` without `else`: the false path goes straight to the end.
            let here = self.here();
            if let Some(t) = self.instrs[at].target_mut() {
                *t = Target(here);
            }
            self.fuse_barrier = self.instrs.len();
        }
        if ctrl.kind != FrameKind::Loop {
            self.bind_label(ctrl.label);
        }
        self.reset_stack(ctrl.height, &ctrl.results);
    }

    /// If the top operand is a temporary written by the last instruction (and no label
    /// points between them), makes that instruction write `slot` instead; the top operand
    /// then refers to `slot` as a local would.
    fn retarget_top(&mut self, slot: u16) -> bool {
        let Some(&top) = self.stack.last() else {
            return false;
        };
        if top.value != Value::Temp || self.instrs.len() <= self.fuse_barrier {
            return false;
        }
        match self.instrs.last_mut().and_then(|i| i.result_slot_mut()) {
            Some(d) if d.0 == top.pos => {
                *d = Slot(slot);
                if let Some(t) = self.stack.last_mut() {
                    t.value = Value::Local(slot);
                }
                true
            }
            _ => false,
        }
    }

    // ---- locals ----

    fn local_set(&mut self, index: u32, tee: bool) {
        let v = self.pop();
        let Some(&slot) = self.local_slot.get(index as usize) else {
            return;
        };
        let ty = self
            .local_types
            .get(index as usize)
            .copied()
            .unwrap_or(v.ty);
        self.preserve_locals(Some((slot, slot + slots_of(ty))));
        let retarget = v.value == Value::Temp
            && self.instrs.len() > self.fuse_barrier
            && self
                .instrs
                .last_mut()
                .and_then(|i| i.result_slot_mut())
                .is_some_and(|d| d.0 == v.pos);
        if retarget {
            if let Some(d) = self.instrs.last_mut().and_then(|i| i.result_slot_mut()) {
                *d = Slot(slot);
            }
        } else {
            self.write_to(Slot(slot), v);
        }
        if tee {
            self.push(Value::Local(slot), ty);
        }
    }

    // ---- operators ----

    fn unary(&mut self, make: fn(Slot, Slot) -> Instr, ty: ValType) {
        let src = self.pop();
        let src = self.slot_of(src);
        let dst = self.push_temp(ty);
        self.emit(make(dst, src));
    }

    fn binary(&mut self, make: fn(Slot, Slot, Slot) -> Instr, ty: ValType) {
        let rhs = self.pop();
        let lhs = self.pop();
        let l = self.slot_of(lhs);
        let r = self.slot_of(rhs);
        let dst = self.push_temp(ty);
        self.emit(make(dst, l, r));
    }

    /// A binary operator with an immediate form for a constant right-hand side
    /// (or left-hand side, when `commutative`).
    fn binary_imm(
        &mut self,
        make: fn(Slot, Slot, Slot) -> Instr,
        make_imm: fn(Slot, Slot, i32) -> Instr,
        commutative: bool,
        ty: ValType,
    ) {
        let rhs = self.stack[self.stack.len() - 1];
        let lhs = self.stack[self.stack.len() - 2];
        let imm_of = |o: &Operand| match o.value {
            Value::Const(bits) => match o.ty {
                ValType::I32 => Some(bits as u32 as i32),
                _ => {
                    let v = bits as i64;
                    i32::try_from(v).ok()
                }
            },
            _ => None,
        };
        let (reg, imm) = if let Some(imm) = imm_of(&rhs) {
            (lhs, imm)
        } else if let (true, Some(imm)) = (commutative, imm_of(&lhs)) {
            (rhs, imm)
        } else {
            return self.binary(make, ty);
        };
        // `x + 0`, `x | 0`, `x * 1`, `x << 0` ...: the result is `x` itself, no instruction (a
        // temporary stays in its slot only if it was the left-hand side).
        if is_identity(make_imm(Slot(0), Slot(0), imm))
            && (reg.pos == lhs.pos || reg.value != Value::Temp)
        {
            self.pop();
            self.pop();
            self.push(reg.value, ty);
            return;
        }
        self.pop();
        self.pop();
        let r = self.slot_of(reg);
        let dst = self.push_temp(ty);
        self.emit(make_imm(dst, r, imm));
    }

    fn load(
        &mut self,
        make: fn(Slot, Slot, u16, u32) -> Instr,
        make_add: Option<MakeLoadAdd>,
        m: MemArg,
        ty: ValType,
    ) {
        let ptr = self.pop();
        let add = make_add.and_then(|make| Some((make, self.take_address_add(ptr)?)));
        let ptr = self.slot_of(ptr);
        let Some((memory, offset)) = self.memarg(m, ptr) else {
            return;
        };
        let dst = self.push_temp(ty);
        match add {
            Some((make_add, (base, imm))) => self.emit(make_add(dst, base, imm, memory, offset)),
            None => self.emit(make(dst, ptr, memory, offset)),
        };
    }

    /// If the address operand `ptr` is the result of the last instruction, an `i32.add_imm`
    /// into its own temporary, removes that instruction and returns its operand and constant,
    /// for a `load_add` / `store_add` to absorb (the temporary is read only by the access).
    fn take_address_add(&mut self, ptr: Operand) -> Option<(Slot, i32)> {
        if ptr.value != Value::Temp || self.instrs.len() <= self.fuse_barrier {
            return None;
        }
        match *self.instrs.last()? {
            Instr::I32AddImm { dst, lhs, imm } if dst == Slot(ptr.pos) => {
                self.instrs.pop();
                Some((lhs, imm))
            }
            _ => None,
        }
    }

    /// A store; of a constant `value` through `imm` when it has one: a narrow `imm` form stores
    /// the constant's low bits, a `wide` one (64-bit stores) needs it to fit a sign-extended `i32`.
    fn store(
        &mut self,
        make: fn(Slot, Slot, u16, u32) -> Instr,
        make_add: Option<MakeStoreAdd>,
        imm: Option<MakeStoreImm>,
        imm_add: Option<MakeStoreImmAdd>,
        wide: bool,
        m: MemArg,
    ) {
        let value = self.pop();
        let ptr = self.pop();
        let imm = match (value.value, imm) {
            (Value::Const(bits), Some(make_imm)) if !wide => Some((make_imm, bits as u32 as i32)),
            (Value::Const(bits), Some(make_imm)) => {
                i32::try_from(bits as i64).ok().map(|v| (make_imm, v))
            }
            _ => None,
        };
        if let Some((make_imm, v)) = imm {
            let add = imm_add.and_then(|make| Some((make, self.take_address_add(ptr)?)));
            let p = self.slot_of(ptr);
            if let Some((memory, offset)) = self.memarg(m, p) {
                match add {
                    // A narrow store's constant is its low bits.
                    Some((make, (base, a))) => self.emit(make(base, v as u16, a, memory, offset)),
                    None => self.emit(make_imm(p, v, memory, offset)),
                };
            }
            return;
        }
        let p = self.slot_of(ptr);
        // `value` is a local or a temporary computed before `ptr`'s `i32.add_imm` (materialising
        // it emits nothing), so that instruction can still be the last one.
        let add = make_add.and_then(|make| Some((make, self.take_address_add(ptr)?)));
        let v = self.slot_of(value);
        let Some((memory, offset)) = self.memarg(m, p) else {
            return;
        };
        match add {
            Some((make_add, (base, imm))) => self.emit(make_add(base, v, imm, memory, offset)),
            None => self.emit(make(p, v, memory, offset)),
        };
    }

    /// The memory index and offset of an access through address `ptr`. An access to a 64-bit
    /// memory is preceded by a `check_addr64`, which traps unless the address and the offset
    /// both fit in 32 bits (memories are at most 4 GiB), so backends compute the effective
    /// address as for a 32-bit memory.
    fn memarg(&mut self, m: MemArg, ptr: Slot) -> Option<(u16, u32)> {
        let Ok(memory) = u16::try_from(m.memory) else {
            self.fail(TranslateError::Unsupported("memory index above 65535"));
            return None;
        };
        let is_64 = self.is_memory64(m.memory);
        if is_64 {
            self.emit(Instr::CheckAddr64 {
                addr: ptr,
                offset: (m.offset >> 32) as u32,
            });
        }
        // A 32-bit memory's offset fits in 32 bits (the validator checked it).
        Some((memory, m.offset as u32))
    }

    /// Before an indirect call through a 64-bit table: a `check_index64` of `index`.
    fn check_table_index(&mut self, ctx: &OperatorContext<'_>, table: u32, index: Slot) {
        if table_index_type(ctx, table) == ValType::I64 {
            self.emit(Instr::CheckIndex64 { index });
        }
    }

    /// Records which memories are 64-bit (once per function, at its first operator).
    #[cold]
    #[inline(never)]
    fn read_memory_types(&mut self, ctx: &OperatorContext<'_>) {
        self.memory64.clear();
        let memories = ctx.types().memories().iter();
        self.memory64.extend(memories.map(|m| m.memory64));
        self.memory64_read = true;
    }

    /// Whether memory `index` is a 64-bit memory.
    fn is_memory64(&self, index: u32) -> bool {
        self.memory64.get(index as usize) == Some(&true)
    }

    fn call(&mut self, ty: &FuncType) -> Slot {
        let n = ty.params().len();
        self.materialize_top(n);
        let base = if n == 0 {
            self.next_pos()
        } else {
            u32::from(self.stack[self.stack.len() - n].pos)
        };
        self.stack
            .truncate(self.stack.len() - n.min(self.stack.len()));
        self.note_slots(base + param_slots(ty));
        Slot(base.min(u32::from(u16::MAX)) as u16)
    }

    /// [`Self::call`] for a tail call: the argument window and how many slots it holds.
    fn tail_call(&mut self, ty: &FuncType) -> (Slot, u16) {
        let base = self.call(ty);
        // More than `u16::MAX` slots has already failed translation (`FrameTooLarge`).
        let params = u16::try_from(param_slots(ty)).unwrap_or(u16::MAX);
        (base, params)
    }

    fn push_results(&mut self, ty: &FuncType) {
        for &t in ty.results() {
            self.push_temp(t);
        }
    }

    fn select(&mut self) {
        let cond = self.pop();
        let if_false = self.pop();
        let if_true = self.pop();
        let c = self.slot_of(cond);
        let t = self.slot_of(if_true);
        let f = self.slot_of(if_false);
        let ty = if_true.ty;
        let dst = self.push_temp(ty);
        if ty == ValType::V128 {
            self.emit(Instr::Select128 {
                dst,
                cond: c,
                if_true: t,
                if_false: f,
            });
        } else {
            self.emit(Instr::Select {
                dst,
                cond: c,
                if_true: t,
                if_false: f,
            });
        }
    }

    fn translate(&mut self, op: &Operator<'_>, ctx: &OperatorContext<'_>) {
        use Operator as O;
        use ValType::{F32, F64, I32, I64};
        match *op {
            O::Block { blockty } => return self.op_block(FrameKind::Block, blockty, ctx),
            O::Loop { blockty } => return self.op_block(FrameKind::Loop, blockty, ctx),
            O::If { blockty } => return self.op_if(blockty, ctx),
            O::Else {} => return self.op_else(ctx),
            O::TryTable { table } => return self.op_try_table(&table, ctx),
            O::End {} => return self.op_end(ctx),
            _ => {}
        }
        if !ctx.was_reachable() {
            return;
        }
        match *op {
            O::Unreachable {} => {
                self.emit(Instr::Unreachable {});
            }
            O::Nop {} => {}
            O::Br { depth } => self.branch(depth),
            O::BrIf { depth } => self.br_if(depth),
            O::BrTable { targets } => {
                let index = self.pop();
                let list: Vec<u32> = targets.targets().collect();
                self.br_table(index, &list, targets.default());
            }
            O::Return {} => {
                let depth = self.controls.len() as u32 - 1;
                self.branch(depth);
            }
            O::Throw { tag } => {
                let Some(ty) = ctx
                    .types()
                    .tag(tag)
                    .and_then(|t| ctx.func_type(t.func_type))
                else {
                    return;
                };
                let base = self.call(ty);
                self.emit(Instr::Throw { base, tag });
            }
            O::ThrowRef {} => {
                let exn = self.pop();
                let exn = self.slot_of(exn);
                self.emit(Instr::ThrowRef { exn });
            }
            O::Call { func } => {
                let Some(ty) = ctx.types().func_type_of(func) else {
                    return;
                };
                let base = self.call(ty);
                self.emit(Instr::Call { base, func });
                self.push_results(ty);
            }
            O::CallIndirect { type_index, table } => {
                let Some(ty) = ctx.func_type(type_index) else {
                    return;
                };
                // The index sits above the arguments; the interpreter reads it before the
                // callee's frame (which starts at `base`) overwrites it.
                let index = self.pop();
                let index = self.slot_of(index);
                self.check_table_index(ctx, table, index);
                let base = self.call(ty);
                self.emit(Instr::CallIndirect {
                    base,
                    index,
                    table,
                    type_index,
                });
                self.push_results(ty);
            }
            O::ReturnCall { func } => {
                let Some(ty) = ctx.types().func_type_of(func) else {
                    return;
                };
                let (base, params) = self.tail_call(ty);
                self.emit(Instr::ReturnCall { base, params, func });
            }
            O::ReturnCallIndirect { type_index, table } => {
                let Some(ty) = ctx.func_type(type_index) else {
                    return;
                };
                let index = self.pop();
                let index = self.slot_of(index);
                self.check_table_index(ctx, table, index);
                let (base, params) = self.tail_call(ty);
                self.emit(Instr::ReturnCallIndirect {
                    base,
                    index,
                    params,
                    table,
                    type_index,
                });
            }
            O::CallRef { type_index } => {
                let Some(ty) = ctx.func_type(type_index) else {
                    return;
                };
                let callee = self.pop();
                let callee = self.slot_of(callee);
                let base = self.call(ty);
                self.emit(Instr::CallRef { base, callee });
                self.push_results(ty);
            }
            O::ReturnCallRef { type_index } => {
                let Some(ty) = ctx.func_type(type_index) else {
                    return;
                };
                let callee = self.pop();
                let callee = self.slot_of(callee);
                let (base, params) = self.tail_call(ty);
                self.emit(Instr::ReturnCallRef {
                    base,
                    callee,
                    params,
                });
            }
            O::RefAsNonNull {} => {
                let r = self.pop();
                let src = self.slot_of(r);
                self.emit(Instr::RefAsNonNull { src });
                self.stack.push(r);
            }
            O::BrOnNull { depth } => {
                // Branch (with the values below the reference) if it is null; else keep it.
                let r = self.pop();
                self.br_on(r, depth, false);
                self.stack.push(r);
            }
            O::BrOnNonNull { depth } => {
                // Branch with the values and the reference if it is not null; else drop it.
                let r = *self.stack.last().unwrap_or(&Operand {
                    value: Value::Temp,
                    ty: ValType::FUNCREF,
                    pos: 0,
                });
                self.br_on(r, depth, true);
                self.pop();
            }
            O::Drop {} => {
                self.pop();
            }
            O::Select {} | O::TypedSelect { .. } => self.select(),
            O::LocalGet { local } => {
                let slot = self.local_slot.get(local as usize).copied().unwrap_or(0);
                let ty = self.local_types.get(local as usize).copied().unwrap_or(I32);
                self.push(Value::Local(slot), ty);
            }
            O::LocalSet { local } => self.local_set(local, false),
            O::LocalTee { local } => self.local_set(local, true),
            O::GlobalGet { global } => {
                let ty = ctx.types().global(global).map_or(I32, |g| g.content);
                let dst = self.push_temp(ty);
                if ty == ValType::V128 {
                    self.emit(Instr::GlobalGet128 { dst, global });
                } else {
                    self.emit(Instr::GlobalGet { dst, global });
                }
            }
            O::GlobalSet { global } => {
                let v = self.pop();
                let src = self.slot_of(v);
                if v.ty == ValType::V128 {
                    self.emit(Instr::GlobalSet128 { src, global });
                } else {
                    self.emit(Instr::GlobalSet { src, global });
                }
            }
            O::TableGet { table } => {
                let index = self.pop();
                let index = self.slot_of(index);
                let ty = ctx
                    .types()
                    .table(table)
                    .map_or(ValType::FUNCREF, |t| ValType::Ref(t.element));
                let dst = self.push_temp(ty);
                self.emit(Instr::TableGet { dst, index, table });
            }
            O::TableSet { table } => {
                let value = self.pop();
                let index = self.pop();
                let index = self.slot_of(index);
                let value = self.slot_of(value);
                self.emit(Instr::TableSet {
                    index,
                    value,
                    table,
                });
            }
            O::TableSize { table } => {
                let dst = self.push_temp(table_index_type(ctx, table));
                self.emit(Instr::TableSize { dst, table });
            }
            O::TableGrow { table } => {
                let delta = self.pop();
                let init = self.pop();
                let init = self.slot_of(init);
                let delta = self.slot_of(delta);
                let dst = self.push_temp(table_index_type(ctx, table));
                self.emit(Instr::TableGrow {
                    dst,
                    init,
                    delta,
                    table,
                });
            }
            O::TableFill { table } => {
                let [index, value, len] = self.pop3();
                self.emit(Instr::TableFill {
                    index,
                    value,
                    len,
                    table,
                });
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => {
                let [dst, src, len] = self.pop3();
                self.emit(Instr::TableCopy {
                    dst,
                    src,
                    len,
                    dst_table,
                    src_table,
                });
            }
            O::TableInit { elem, table } => {
                let [dst, src, len] = self.pop3();
                self.emit(Instr::TableInit {
                    dst,
                    src,
                    len,
                    table,
                    elem,
                });
            }
            O::ElemDrop { elem } => {
                self.emit(Instr::ElemDrop { elem });
            }
            O::RefNull { heap } => {
                let ty = ValType::Ref(RefType {
                    nullable: true,
                    heap,
                });
                self.push(Value::Const(0), ty);
            }
            O::RefIsNull {} => self.unary(|dst, src| Instr::RefIsNull { dst, src }, I32),
            O::RefFunc { func } => {
                let ty = ctx.types().ref_func_type(func);
                let dst = self.push_temp(ty);
                self.emit(Instr::RefFunc { dst, func });
            }
            O::MemorySize { mem } => {
                let dst = self.push_temp(if self.is_memory64(mem) { I64 } else { I32 });
                self.emit(Instr::MemorySize { dst, memory: mem });
            }
            O::MemoryGrow { mem } => {
                let delta = self.pop();
                let delta = self.slot_of(delta);
                let dst = self.push_temp(if self.is_memory64(mem) { I64 } else { I32 });
                self.emit(Instr::MemoryGrow {
                    dst,
                    delta,
                    memory: mem,
                });
            }
            O::MemoryFill { mem } => {
                let [dst, value, len] = self.pop3();
                self.emit(Instr::MemoryFill {
                    dst,
                    value,
                    len,
                    memory: mem,
                });
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                let [dst, src, len] = self.pop3();
                self.emit(Instr::MemoryCopy {
                    dst,
                    src,
                    len,
                    dst_memory: dst_mem as u16,
                    src_memory: src_mem as u16,
                });
            }
            O::MemoryInit { data, mem } => {
                let [dst, src, len] = self.pop3();
                self.emit(Instr::MemoryInit {
                    dst,
                    src,
                    len,
                    memory: mem as u16,
                    data,
                });
            }
            O::DataDrop { data } => {
                self.emit(Instr::DataDrop { data });
            }
            O::I32Const { value } => {
                self.push(Value::Const(u64::from(value as u32)), I32);
            }
            O::I64Const { value } => {
                self.push(Value::Const(value as u64), I64);
            }
            O::F32Const { value } => {
                self.push(Value::Const(u64::from(value.0)), F32);
            }
            O::F64Const { value } => {
                self.push(Value::Const(value.0), F64);
            }
            O::V128Const { value } => {
                self.push(Value::ConstV128(value.to_u128()), ValType::V128);
            }
            O::I32ReinterpretF32 {} => self.reinterpret(I32),
            O::I64ReinterpretF64 {} => self.reinterpret(I64),
            O::F32ReinterpretI32 {} => self.reinterpret(F32),
            O::F64ReinterpretI64 {} => self.reinterpret(F64),
            _ => {
                if !self.numeric(op) {
                    self.fail(TranslateError::Unsupported(op.name()));
                }
            }
        }
    }

    fn pop3(&mut self) -> [Slot; 3] {
        let c = self.pop();
        let b = self.pop();
        let a = self.pop();
        [self.slot_of(a), self.slot_of(b), self.slot_of(c)]
    }

    fn reinterpret(&mut self, ty: ValType) {
        if let Some(top) = self.stack.last_mut() {
            top.ty = ty;
        }
    }

    /// Loads, stores and numeric operators. Returns false for operators it does not know.
    fn numeric(&mut self, op: &Operator<'_>) -> bool {
        use Operator as O;
        use ValType::{F32, F64, I32, I64};
        macro_rules! un {
            ($name:ident, $ty:expr) => {
                self.unary(|dst, src| Instr::$name { dst, src }, $ty)
            };
        }
        macro_rules! bin {
            ($name:ident, $ty:expr) => {
                self.binary(|dst, lhs, rhs| Instr::$name { dst, lhs, rhs }, $ty)
            };
        }
        macro_rules! bin_imm {
            ($name:ident, $imm:ident, $comm:expr, $ty:expr) => {
                self.binary_imm(
                    |dst, lhs, rhs| Instr::$name { dst, lhs, rhs },
                    |dst, lhs, imm| Instr::$imm { dst, lhs, imm },
                    $comm,
                    $ty,
                )
            };
        }
        macro_rules! load {
            ($name:ident, $m:expr, $ty:expr) => {
                self.load(
                    |dst, ptr, memory, offset| Instr::$name {
                        dst,
                        ptr,
                        memory,
                        offset,
                    },
                    None,
                    $m,
                    $ty,
                )
            };
            ($name:ident, $add:ident, $m:expr, $ty:expr) => {
                self.load(
                    |dst, ptr, memory, offset| Instr::$name {
                        dst,
                        ptr,
                        memory,
                        offset,
                    },
                    Some(|dst, ptr, imm, memory, offset| Instr::$add {
                        dst,
                        ptr,
                        imm,
                        memory,
                        offset,
                    }),
                    $m,
                    $ty,
                )
            };
        }
        macro_rules! store {
            ($name:ident, $m:expr) => {
                self.store(
                    |ptr, value, memory, offset| Instr::$name {
                        ptr,
                        value,
                        memory,
                        offset,
                    },
                    None,
                    None,
                    None,
                    false,
                    $m,
                )
            };
            ($name:ident, $add:ident, $imm:ident, $wide:expr, $m:expr) => {
                store!(@full $name, $add, $imm, None, $wide, $m)
            };
            ($name:ident, $add:ident, $imm:ident, $imm_add:ident, $wide:expr, $m:expr) => {
                store!(
                    @full $name,
                    $add,
                    $imm,
                    Some(|ptr, value, imm, memory, offset| Instr::$imm_add {
                        ptr,
                        value,
                        imm,
                        memory,
                        offset,
                    }),
                    $wide,
                    $m
                )
            };
            (@full $name:ident, $add:ident, $imm:ident, $imm_add:expr, $wide:expr, $m:expr) => {
                self.store(
                    |ptr, value, memory, offset| Instr::$name {
                        ptr,
                        value,
                        memory,
                        offset,
                    },
                    Some(|ptr, value, imm, memory, offset| Instr::$add {
                        ptr,
                        value,
                        imm,
                        memory,
                        offset,
                    }),
                    Some(|ptr, value, memory, offset| Instr::$imm {
                        ptr,
                        value,
                        memory,
                        offset,
                    }),
                    $imm_add,
                    $wide,
                    $m,
                )
            };
        }
        match *op {
            O::I32Load { memarg } => load!(I32Load, I32LoadAdd, memarg, I32),
            O::I64Load { memarg } => load!(I64Load, I64LoadAdd, memarg, I64),
            O::F32Load { memarg } => load!(F32Load, F32LoadAdd, memarg, F32),
            O::F64Load { memarg } => load!(F64Load, F64LoadAdd, memarg, F64),
            O::I32Load8S { memarg } => load!(I32Load8S, I32Load8SAdd, memarg, I32),
            O::I32Load8U { memarg } => load!(I32Load8U, I32Load8UAdd, memarg, I32),
            O::I32Load16S { memarg } => load!(I32Load16S, I32Load16SAdd, memarg, I32),
            O::I32Load16U { memarg } => load!(I32Load16U, I32Load16UAdd, memarg, I32),
            O::I64Load8S { memarg } => load!(I64Load8S, I64Load8SAdd, memarg, I64),
            O::I64Load8U { memarg } => load!(I64Load8U, I64Load8UAdd, memarg, I64),
            O::I64Load16S { memarg } => load!(I64Load16S, I64Load16SAdd, memarg, I64),
            O::I64Load16U { memarg } => load!(I64Load16U, I64Load16UAdd, memarg, I64),
            O::I64Load32S { memarg } => load!(I64Load32S, I64Load32SAdd, memarg, I64),
            O::I64Load32U { memarg } => load!(I64Load32U, I64Load32UAdd, memarg, I64),
            O::I32Store { memarg } => store!(I32Store, I32StoreAdd, I32StoreImm, false, memarg),
            O::I64Store { memarg } => store!(I64Store, I64StoreAdd, I64StoreImm, true, memarg),
            O::F32Store { memarg } => store!(F32Store, F32StoreAdd, I32StoreImm, false, memarg),
            O::F64Store { memarg } => store!(F64Store, F64StoreAdd, I64StoreImm, true, memarg),
            O::I32Store8 { memarg } => store!(
                I32Store8,
                I32Store8Add,
                I32Store8Imm,
                I32Store8ImmAdd,
                false,
                memarg
            ),
            O::I32Store16 { memarg } => {
                store!(
                    I32Store16,
                    I32Store16Add,
                    I32Store16Imm,
                    I32Store16ImmAdd,
                    false,
                    memarg
                )
            }
            O::I64Store8 { memarg } => store!(
                I64Store8,
                I64Store8Add,
                I32Store8Imm,
                I32Store8ImmAdd,
                false,
                memarg
            ),
            O::I64Store16 { memarg } => {
                store!(
                    I64Store16,
                    I64Store16Add,
                    I32Store16Imm,
                    I32Store16ImmAdd,
                    false,
                    memarg
                )
            }
            O::I64Store32 { memarg } => {
                store!(I64Store32, I64Store32Add, I32StoreImm, false, memarg)
            }

            O::I32Eqz {} => un!(I32Eqz, I32),
            O::I32Eq {} => bin_imm!(I32Eq, I32EqImm, true, I32),
            O::I32Ne {} => bin_imm!(I32Ne, I32NeImm, true, I32),
            O::I32LtS {} => bin_imm!(I32LtS, I32LtSImm, false, I32),
            O::I32LtU {} => bin_imm!(I32LtU, I32LtUImm, false, I32),
            O::I32GtS {} => bin_imm!(I32GtS, I32GtSImm, false, I32),
            O::I32GtU {} => bin_imm!(I32GtU, I32GtUImm, false, I32),
            O::I32LeS {} => bin_imm!(I32LeS, I32LeSImm, false, I32),
            O::I32LeU {} => bin_imm!(I32LeU, I32LeUImm, false, I32),
            O::I32GeS {} => bin_imm!(I32GeS, I32GeSImm, false, I32),
            O::I32GeU {} => bin_imm!(I32GeU, I32GeUImm, false, I32),
            O::I32Clz {} => un!(I32Clz, I32),
            O::I32Ctz {} => un!(I32Ctz, I32),
            O::I32Popcnt {} => un!(I32Popcnt, I32),
            O::I32Add {} => bin_imm!(I32Add, I32AddImm, true, I32),
            O::I32Sub {} => self.sub_imm(I32),
            O::I32Mul {} => bin_imm!(I32Mul, I32MulImm, true, I32),
            O::I32DivS {} => bin!(I32DivS, I32),
            O::I32DivU {} => bin!(I32DivU, I32),
            O::I32RemS {} => bin!(I32RemS, I32),
            O::I32RemU {} => bin!(I32RemU, I32),
            O::I32And {} => bin_imm!(I32And, I32AndImm, true, I32),
            O::I32Or {} => bin_imm!(I32Or, I32OrImm, true, I32),
            O::I32Xor {} => {
                if !self.xor_shift(false) {
                    bin_imm!(I32Xor, I32XorImm, true, I32)
                }
            }
            O::I32Shl {} => bin_imm!(I32Shl, I32ShlImm, false, I32),
            O::I32ShrS {} => bin_imm!(I32ShrS, I32ShrSImm, false, I32),
            O::I32ShrU {} => bin_imm!(I32ShrU, I32ShrUImm, false, I32),
            O::I32Rotl {} => bin_imm!(I32Rotl, I32RotlImm, false, I32),
            O::I32Rotr {} => bin_imm!(I32Rotr, I32RotrImm, false, I32),

            O::I64Eqz {} => un!(I64Eqz, I32),
            O::I64Eq {} => bin_imm!(I64Eq, I64EqImm, true, I32),
            O::I64Ne {} => bin_imm!(I64Ne, I64NeImm, true, I32),
            O::I64LtS {} => bin_imm!(I64LtS, I64LtSImm, false, I32),
            O::I64LtU {} => bin_imm!(I64LtU, I64LtUImm, false, I32),
            O::I64GtS {} => bin_imm!(I64GtS, I64GtSImm, false, I32),
            O::I64GtU {} => bin_imm!(I64GtU, I64GtUImm, false, I32),
            O::I64LeS {} => bin_imm!(I64LeS, I64LeSImm, false, I32),
            O::I64LeU {} => bin_imm!(I64LeU, I64LeUImm, false, I32),
            O::I64GeS {} => bin_imm!(I64GeS, I64GeSImm, false, I32),
            O::I64GeU {} => bin_imm!(I64GeU, I64GeUImm, false, I32),
            O::I64Clz {} => un!(I64Clz, I64),
            O::I64Ctz {} => un!(I64Ctz, I64),
            O::I64Popcnt {} => un!(I64Popcnt, I64),
            O::I64Add {} => bin_imm!(I64Add, I64AddImm, true, I64),
            O::I64Sub {} => self.sub_imm(I64),
            O::I64Mul {} => bin_imm!(I64Mul, I64MulImm, true, I64),
            O::I64DivS {} => bin!(I64DivS, I64),
            O::I64DivU {} => bin!(I64DivU, I64),
            O::I64RemS {} => bin!(I64RemS, I64),
            O::I64RemU {} => bin!(I64RemU, I64),
            O::I64And {} => bin_imm!(I64And, I64AndImm, true, I64),
            O::I64Or {} => bin_imm!(I64Or, I64OrImm, true, I64),
            O::I64Xor {} => {
                if !self.xor_shift(true) {
                    bin_imm!(I64Xor, I64XorImm, true, I64)
                }
            }
            O::I64Shl {} => bin_imm!(I64Shl, I64ShlImm, false, I64),
            O::I64ShrS {} => bin_imm!(I64ShrS, I64ShrSImm, false, I64),
            O::I64ShrU {} => bin_imm!(I64ShrU, I64ShrUImm, false, I64),
            O::I64Rotl {} => bin_imm!(I64Rotl, I64RotlImm, false, I64),
            O::I64Rotr {} => bin_imm!(I64Rotr, I64RotrImm, false, I64),

            O::F32Eq {} => bin!(F32Eq, I32),
            O::F32Ne {} => bin!(F32Ne, I32),
            O::F32Lt {} => bin!(F32Lt, I32),
            O::F32Gt {} => bin!(F32Gt, I32),
            O::F32Le {} => bin!(F32Le, I32),
            O::F32Ge {} => bin!(F32Ge, I32),
            O::F32Abs {} => un!(F32Abs, F32),
            O::F32Neg {} => un!(F32Neg, F32),
            O::F32Ceil {} => un!(F32Ceil, F32),
            O::F32Floor {} => un!(F32Floor, F32),
            O::F32Trunc {} => un!(F32Trunc, F32),
            O::F32Nearest {} => un!(F32Nearest, F32),
            O::F32Sqrt {} => un!(F32Sqrt, F32),
            O::F32Add {} => bin!(F32Add, F32),
            O::F32Sub {} => bin!(F32Sub, F32),
            O::F32Mul {} => bin!(F32Mul, F32),
            O::F32Div {} => bin!(F32Div, F32),
            O::F32Min {} => bin!(F32Min, F32),
            O::F32Max {} => bin!(F32Max, F32),
            O::F32Copysign {} => bin!(F32Copysign, F32),

            O::F64Eq {} => bin!(F64Eq, I32),
            O::F64Ne {} => bin!(F64Ne, I32),
            O::F64Lt {} => bin!(F64Lt, I32),
            O::F64Gt {} => bin!(F64Gt, I32),
            O::F64Le {} => bin!(F64Le, I32),
            O::F64Ge {} => bin!(F64Ge, I32),
            O::F64Abs {} => un!(F64Abs, F64),
            O::F64Neg {} => un!(F64Neg, F64),
            O::F64Ceil {} => un!(F64Ceil, F64),
            O::F64Floor {} => un!(F64Floor, F64),
            O::F64Trunc {} => un!(F64Trunc, F64),
            O::F64Nearest {} => un!(F64Nearest, F64),
            O::F64Sqrt {} => un!(F64Sqrt, F64),
            O::F64Add {} => bin!(F64Add, F64),
            O::F64Sub {} => bin!(F64Sub, F64),
            O::F64Mul {} => bin!(F64Mul, F64),
            O::F64Div {} => bin!(F64Div, F64),
            O::F64Min {} => bin!(F64Min, F64),
            O::F64Max {} => bin!(F64Max, F64),
            O::F64Copysign {} => bin!(F64Copysign, F64),

            O::I32WrapI64 {} => un!(I32WrapI64, I32),
            O::I32TruncF32S {} => un!(I32TruncF32S, I32),
            O::I32TruncF32U {} => un!(I32TruncF32U, I32),
            O::I32TruncF64S {} => un!(I32TruncF64S, I32),
            O::I32TruncF64U {} => un!(I32TruncF64U, I32),
            O::I64ExtendI32S {} => un!(I64ExtendI32S, I64),
            O::I64ExtendI32U {} => {
                // Every `i32` is written zero-extended to its slot (the `Instr` conventions), so
                // the slot already holds the `i64`: retype the operand, no instruction.
                let o = self.pop();
                let value = match o.value {
                    Value::Const(bits) => Value::Const(u64::from(bits as u32)),
                    v => v,
                };
                self.push(value, I64);
            }
            O::I64TruncF32S {} => un!(I64TruncF32S, I64),
            O::I64TruncF32U {} => un!(I64TruncF32U, I64),
            O::I64TruncF64S {} => un!(I64TruncF64S, I64),
            O::I64TruncF64U {} => un!(I64TruncF64U, I64),
            O::F32ConvertI32S {} => un!(F32ConvertI32S, F32),
            O::F32ConvertI32U {} => un!(F32ConvertI32U, F32),
            O::F32ConvertI64S {} => un!(F32ConvertI64S, F32),
            O::F32ConvertI64U {} => un!(F32ConvertI64U, F32),
            O::F32DemoteF64 {} => un!(F32DemoteF64, F32),
            O::F64ConvertI32S {} => un!(F64ConvertI32S, F64),
            O::F64ConvertI32U {} => un!(F64ConvertI32U, F64),
            O::F64ConvertI64S {} => un!(F64ConvertI64S, F64),
            O::F64ConvertI64U {} => un!(F64ConvertI64U, F64),
            O::F64PromoteF32 {} => un!(F64PromoteF32, F64),
            O::I32Extend8S {} => un!(I32Extend8S, I32),
            O::I32Extend16S {} => un!(I32Extend16S, I32),
            O::I64Extend8S {} => un!(I64Extend8S, I64),
            O::I64Extend16S {} => un!(I64Extend16S, I64),
            O::I64Extend32S {} => un!(I64Extend32S, I64),
            O::I32TruncSatF32S {} => un!(I32TruncSatF32S, I32),
            O::I32TruncSatF32U {} => un!(I32TruncSatF32U, I32),
            O::I32TruncSatF64S {} => un!(I32TruncSatF64S, I32),
            O::I32TruncSatF64U {} => un!(I32TruncSatF64U, I32),
            O::I64TruncSatF32S {} => un!(I64TruncSatF32S, I64),
            O::I64TruncSatF32U {} => un!(I64TruncSatF32U, I64),
            O::I64TruncSatF64S {} => un!(I64TruncSatF64S, I64),
            O::I64TruncSatF64U {} => un!(I64TruncSatF64U, I64),
            _ => {
                use ValType::V128;
                include!("translate_simd.rs")
            }
        }
        true
    }

    fn ternary(&mut self, make: fn(Slot, Slot, Slot, Slot) -> Instr) {
        let c = self.pop();
        let b = self.pop();
        let a = self.pop();
        let a = self.slot_of(a);
        let b = self.slot_of(b);
        let c = self.slot_of(c);
        let dst = self.push_temp(ValType::V128);
        self.emit(make(dst, a, b, c));
    }

    fn v_extract(&mut self, make: fn(Slot, Slot, u8) -> Instr, lane: u8, ty: ValType) {
        let src = self.pop();
        let src = self.slot_of(src);
        let dst = self.push_temp(ty);
        self.emit(make(dst, src, lane));
    }

    fn v_replace(&mut self, make: fn(Slot, Slot, Slot, u8) -> Instr, lane: u8) {
        let value = self.pop();
        let src = self.pop();
        let s = self.slot_of(src);
        let v = self.slot_of(value);
        let dst = self.push_temp(ValType::V128);
        self.emit(make(dst, s, v, lane));
    }

    fn v_shuffle(&mut self, lanes: [u8; 16]) {
        let rhs = self.pop();
        let lhs = self.pop();
        let l = self.slot_of(lhs);
        let r = self.slot_of(rhs);
        let mask = self.v128_consts.len() as u32;
        self.v128_consts.push(u128::from_le_bytes(lanes));
        let dst = self.push_temp(ValType::V128);
        self.emit(Instr::I8x16Shuffle {
            dst,
            lhs: l,
            rhs: r,
            mask,
        });
    }

    fn v_load_lane(
        &mut self,
        make: fn(Slot, Slot, Slot, u16, u8, u32) -> Instr,
        m: MemArg,
        lane: u8,
    ) {
        let src = self.pop();
        let ptr = self.pop();
        let p = self.slot_of(ptr);
        let s = self.slot_of(src);
        let Some((memory, offset)) = self.memarg(m, p) else {
            return;
        };
        let dst = self.push_temp(ValType::V128);
        self.emit(make(dst, p, s, memory, lane, offset));
    }

    fn v_store_lane(&mut self, make: fn(Slot, Slot, u16, u8, u32) -> Instr, m: MemArg, lane: u8) {
        let value = self.pop();
        let ptr = self.pop();
        let p = self.slot_of(ptr);
        let v = self.slot_of(value);
        let Some((memory, offset)) = self.memarg(m, p) else {
            return;
        };
        self.emit(make(p, v, memory, lane, offset));
    }

    /// An `xor` of `x` with `x << c` / `x >> c` (unsigned) just computed by the last instruction
    /// into a temporary: replaces that shift with one xorshift step (`i64.xor_shr_u_imm` ...).
    fn xor_shift(&mut self, wide: bool) -> bool {
        let n = self.stack.len();
        if n < 2 || self.instrs.len() <= self.fuse_barrier {
            return false;
        }
        let (t, src, imm, fused) = match (wide, self.instrs.last()) {
            (false, Some(&Instr::I32ShlImm { dst, lhs, imm })) => (dst, lhs, imm, 0),
            (false, Some(&Instr::I32ShrUImm { dst, lhs, imm })) => (dst, lhs, imm, 1),
            (true, Some(&Instr::I64ShlImm { dst, lhs, imm })) => (dst, lhs, imm, 2),
            (true, Some(&Instr::I64ShrUImm { dst, lhs, imm })) => (dst, lhs, imm, 3),
            _ => return false,
        };
        // One operand is the shift's temporary, the other reads the shift's (unchanged) source.
        let is_shift = |o: &Operand| o.value == Value::Temp && Slot(o.pos) == t;
        let is_src = |o: &Operand| match o.value {
            Value::Local(s) => Slot(s) == src,
            Value::Temp => Slot(o.pos) == src,
            _ => false,
        };
        let (a, b) = (self.stack[n - 2], self.stack[n - 1]);
        if src == t || !(is_shift(&a) && is_src(&b) || is_shift(&b) && is_src(&a)) {
            return false;
        }
        self.instrs.pop();
        self.pop();
        self.pop();
        let dst = self.push_temp(if wide { ValType::I64 } else { ValType::I32 });
        let lhs = src;
        self.emit(match fused {
            0 => Instr::I32XorShlImm { dst, lhs, imm },
            1 => Instr::I32XorShrUImm { dst, lhs, imm },
            2 => Instr::I64XorShlImm { dst, lhs, imm },
            _ => Instr::I64XorShrUImm { dst, lhs, imm },
        });
        true
    }

    /// `x - c` becomes `x + (-c)` when `-c` is representable.
    fn sub_imm(&mut self, ty: ValType) {
        let rhs = self.stack[self.stack.len() - 1];
        if let Value::Const(bits) = rhs.value {
            let neg = match ty {
                ValType::I32 => (bits as u32 as i32).checked_neg().map(i64::from),
                _ => (bits as i64).checked_neg(),
            };
            if let Some(neg) = neg.and_then(|n| i32::try_from(n).ok()) {
                if neg == 0 {
                    // `x - 0` is `x`.
                    self.pop();
                    return;
                }
                self.pop();
                let lhs = self.pop();
                let l = self.slot_of(lhs);
                let dst = self.push_temp(ty);
                if ty == ValType::I32 {
                    self.emit(Instr::I32AddImm {
                        dst,
                        lhs: l,
                        imm: neg,
                    });
                } else {
                    self.emit(Instr::I64AddImm {
                        dst,
                        lhs: l,
                        imm: neg,
                    });
                }
                return;
            }
        }
        if ty == ValType::I32 {
            self.binary(|dst, lhs, rhs| Instr::I32Sub { dst, lhs, rhs }, ty)
        } else {
            self.binary(|dst, lhs, rhs| Instr::I64Sub { dst, lhs, rhs }, ty)
        }
    }
}

/// Whether a `binary_imm` instruction returns its operand unchanged (`x + 0`, `x & -1`, a
/// shift or rotation by a multiple of the width, ...).
fn is_identity(i: Instr) -> bool {
    use Instr as I;
    match i {
        I::I32AddImm { imm, .. }
        | I::I64AddImm { imm, .. }
        | I::I32OrImm { imm, .. }
        | I::I64OrImm { imm, .. }
        | I::I32XorImm { imm, .. }
        | I::I64XorImm { imm, .. } => imm == 0,
        I::I32AndImm { imm, .. } | I::I64AndImm { imm, .. } => imm == -1,
        I::I32MulImm { imm, .. } | I::I64MulImm { imm, .. } => imm == 1,
        I::I32ShlImm { imm, .. }
        | I::I32ShrSImm { imm, .. }
        | I::I32ShrUImm { imm, .. }
        | I::I32RotlImm { imm, .. }
        | I::I32RotrImm { imm, .. } => imm & 31 == 0,
        I::I64ShlImm { imm, .. }
        | I::I64ShrSImm { imm, .. }
        | I::I64ShrUImm { imm, .. }
        | I::I64RotlImm { imm, .. }
        | I::I64RotrImm { imm, .. } => imm & 63 == 0,
        _ => false,
    }
}

/// Builds a store of a constant: `(ptr, value, memory, offset)`.
type MakeStoreImm = fn(Slot, i32, u16, u32) -> Instr;
/// Makes a `load_add` instruction: `(dst, ptr, imm, memory, offset)`.
type MakeLoadAdd = fn(Slot, Slot, i32, u16, u32) -> Instr;
/// Makes a `store_add` instruction: `(ptr, value, imm, memory, offset)`.
type MakeStoreAdd = fn(Slot, Slot, i32, u16, u32) -> Instr;
/// Makes a `store_imm_add` instruction: `(ptr, value, imm, memory, offset)`.
type MakeStoreImmAdd = fn(Slot, u16, i32, u16, u32) -> Instr;

/// Turns `cmp dst, lhs, rhs` or `cmp_imm dst, lhs, imm` (whose result `cond` feeds a branch)
/// into a compare-and-branch.
fn fuse_compare(last: Instr, cond: Slot, negate: bool, target: Target) -> Option<Instr> {
    macro_rules! fuse {
        ($dst:expr, $lhs:expr, $rhs:expr, $yes:ident, $no:ident) => {
            if $dst != cond {
                None
            } else if negate {
                Some(Instr::$no {
                    lhs: $lhs,
                    rhs: $rhs,
                    target,
                })
            } else {
                Some(Instr::$yes {
                    lhs: $lhs,
                    rhs: $rhs,
                    target,
                })
            }
        };
    }
    macro_rules! fuse_imm {
        ($dst:expr, $lhs:expr, $imm:expr, $yes:ident, $no:ident) => {
            if $dst != cond {
                None
            } else if negate {
                Some(Instr::$no {
                    lhs: $lhs,
                    imm: $imm,
                    target,
                })
            } else {
                Some(Instr::$yes {
                    lhs: $lhs,
                    imm: $imm,
                    target,
                })
            }
        };
    }
    match last {
        Instr::I32Eqz { dst, src } if dst == cond => Some(if negate {
            Instr::BrIfNez { cond: src, target }
        } else {
            Instr::BrIfEqz { cond: src, target }
        }),
        Instr::I32Eq { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI32Eq, BrI32Ne),
        Instr::I32Ne { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI32Ne, BrI32Eq),
        Instr::I32LtS { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI32LtS, BrI32GeS),
        Instr::I32LtU { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI32LtU, BrI32GeU),
        Instr::I32GtS { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI32GtS, BrI32LeS),
        Instr::I32GtU { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI32GtU, BrI32LeU),
        Instr::I32LeS { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI32LeS, BrI32GtS),
        Instr::I32LeU { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI32LeU, BrI32GtU),
        Instr::I32GeS { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI32GeS, BrI32LtS),
        Instr::I32GeU { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI32GeU, BrI32LtU),
        Instr::F32Lt { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrF32Lt, BrF32NotLt),
        Instr::F32Le { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrF32Le, BrF32NotLe),
        Instr::F32Gt { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrF32Gt, BrF32NotGt),
        Instr::F32Ge { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrF32Ge, BrF32NotGe),
        Instr::F64Lt { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrF64Lt, BrF64NotLt),
        Instr::F64Le { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrF64Le, BrF64NotLe),
        Instr::F64Gt { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrF64Gt, BrF64NotGt),
        Instr::F64Ge { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrF64Ge, BrF64NotGe),
        Instr::I64Eq { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI64Eq, BrI64Ne),
        Instr::I64Ne { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI64Ne, BrI64Eq),
        Instr::I64LtS { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI64LtS, BrI64GeS),
        Instr::I64LtU { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI64LtU, BrI64GeU),
        Instr::I64GtS { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI64GtS, BrI64LeS),
        Instr::I64GtU { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI64GtU, BrI64LeU),
        Instr::I64LeS { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI64LeS, BrI64GtS),
        Instr::I64LeU { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI64LeU, BrI64GtU),
        Instr::I64GeS { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI64GeS, BrI64LtS),
        Instr::I64GeU { dst, lhs, rhs } => fuse!(dst, lhs, rhs, BrI64GeU, BrI64LtU),
        Instr::I64Eqz { dst, src } if dst == cond => Some(if negate {
            Instr::BrI64NeImm {
                lhs: src,
                imm: 0,
                target,
            }
        } else {
            Instr::BrI64EqImm {
                lhs: src,
                imm: 0,
                target,
            }
        }),
        Instr::I32EqImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI32EqImm, BrI32NeImm),
        Instr::I32NeImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI32NeImm, BrI32EqImm),
        Instr::I32LtSImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI32LtSImm, BrI32GeSImm),
        Instr::I32LtUImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI32LtUImm, BrI32GeUImm),
        Instr::I32GtSImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI32GtSImm, BrI32LeSImm),
        Instr::I32GtUImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI32GtUImm, BrI32LeUImm),
        Instr::I32LeSImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI32LeSImm, BrI32GtSImm),
        Instr::I32LeUImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI32LeUImm, BrI32GtUImm),
        Instr::I32GeSImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI32GeSImm, BrI32LtSImm),
        Instr::I32GeUImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI32GeUImm, BrI32LtUImm),
        Instr::I64EqImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI64EqImm, BrI64NeImm),
        Instr::I64NeImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI64NeImm, BrI64EqImm),
        Instr::I64LtSImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI64LtSImm, BrI64GeSImm),
        Instr::I64LtUImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI64LtUImm, BrI64GeUImm),
        Instr::I64GtSImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI64GtSImm, BrI64LeSImm),
        Instr::I64GtUImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI64GtUImm, BrI64LeUImm),
        Instr::I64LeSImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI64LeSImm, BrI64GtSImm),
        Instr::I64LeUImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI64LeUImm, BrI64GtUImm),
        Instr::I64GeSImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI64GeSImm, BrI64LtSImm),
        Instr::I64GeUImm { dst, lhs, imm } => fuse_imm!(dst, lhs, imm, BrI64GeUImm, BrI64LtUImm),
        _ => None,
    }
}

/// The instruction writing the constant `bits` of scalar type `ty` (`i64` and references as
/// 64-bit integers) into `dst`.
fn scalar_const(dst: Slot, ty: ValType, bits: u64) -> Instr {
    match ty {
        ValType::I32 => Instr::ConstI32 {
            dst,
            value: bits as u32 as i32,
        },
        ValType::F32 => Instr::ConstF32 {
            dst,
            bits: bits as u32,
        },
        ValType::F64 => Instr::ConstF64 { dst, bits },
        _ => Instr::ConstI64 {
            dst,
            value: bits as i64,
        },
    }
}

/// The index type of table `table`: `i64` for a 64-bit table.
fn table_index_type(ctx: &OperatorContext<'_>, table: u32) -> ValType {
    match ctx.types().table(table) {
        Some(t) if t.table64 => ValType::I64,
        _ => ValType::I32,
    }
}

impl FuncConsumer for FuncTranslator {
    /// The translator types its operands itself: the validator need not record them.
    const RECORD_TYPES: bool = false;

    fn begin_function(&mut self, func_index: u32, ty: &FuncType, locals: &[ValType]) {
        self.func_index = func_index;
        self.instrs.clear();
        self.v128_consts.clear();
        self.stack.clear();
        self.controls.clear();
        self.labels.clear();
        self.handlers.clear();
        self.memory64_read = false;
        self.hoisted.clear();
        self.hoisted_slots = 0;
        self.local_slot.clear();
        self.local_types.clear();
        self.fuse_barrier = 0;
        self.error = None;
        self.result = None;
        let mut slot: u32 = 0;
        for &t in ty.params().iter().chain(locals) {
            self.local_slot.push(slot.min(u32::from(u16::MAX)) as u16);
            self.local_types.push(t);
            slot += u32::from(slots_of(t));
        }
        let params: u32 = ty.params().iter().map(|t| u32::from(slots_of(*t))).sum();
        let results: u32 = ty.results().iter().map(|t| u32::from(slots_of(*t))).sum();
        self.max_slots = 0;
        self.note_slots(slot.max(results));
        self.param_slots = params.min(u32::from(u16::MAX)) as u16;
        self.result_slots = results.min(u32::from(u16::MAX)) as u16;
        self.local_slots = slot.min(u32::from(u16::MAX)) as u16;
        let label = self.new_label();
        self.controls.push(Control {
            kind: FrameKind::Function,
            height: 0,
            base: self.local_slots,
            label,
            else_branch: None,
            params: Vec::new(),
            results: ty.results().to_vec(),
            dead: false,
            try_table: None,
        });
        self.fuel_at = None;
        if self.options.interruptible {
            self.emit(Instr::CheckInterrupt {});
        }
        self.start_fuel_block();
        self.fuse_barrier = self.instrs.len();
    }

    #[inline]
    fn operator(&mut self, op: &Operator<'_>, _offset: usize, ctx: &OperatorContext<'_>) {
        if !self.memory64_read {
            self.read_memory_types(ctx);
        }
        if self.error.is_none() {
            if self.options.fuel && ctx.was_reachable() {
                self.charge(crate::fuel::fuel_cost(op));
            }
            self.translate(op, ctx);
        }
    }

    fn end_function(&mut self) {
        // A label bound past the last instruction (only reachable paths jump there, and they
        // cannot exist after a function's final `end`) still needs an instruction to land on.
        // With fuel on, a label bound in dead code at the end shares its block's
        // `ConsumeFuel`, which would then be the last instruction: code must never be able to
        // run past the end, so anything but a jump or `return` there gets an `unreachable`.
        let len = self.here();
        let ends_in_jump = matches!(
            self.instrs.last(),
            Some(
                Instr::Return {}
                    | Instr::Br { .. }
                    | Instr::Unreachable {}
                    | Instr::Throw { .. }
                    | Instr::ThrowRef { .. }
            )
        );
        if !ends_in_jump || self.labels.iter().any(|l| l.bound == Some(len)) {
            self.emit(Instr::Unreachable {});
        }
        self.place_hoisted();
        let frame = self.max_slots.min(u32::from(u16::MAX)) as u16;
        self.result = Some(IrFunc {
            func_index: self.func_index,
            instrs: core::mem::take(&mut self.instrs).into_boxed_slice(),
            v128_consts: core::mem::take(&mut self.v128_consts).into_boxed_slice(),
            param_slots: self.param_slots,
            result_slots: self.result_slots,
            local_slots: self.local_slots,
            frame_slots: frame,
            local_types: core::mem::take(&mut self.local_types).into_boxed_slice(),
            handlers: core::mem::take(&mut self.handlers).into_boxed_slice(),
        });
    }
}

/// The slots `ty`'s parameters take (a `v128` takes two).
fn param_slots(ty: &FuncType) -> u32 {
    ty.params().iter().map(|&t| u32::from(slots_of(t))).sum()
}
