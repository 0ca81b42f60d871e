//! `f64` frame slots pinned in `xmm5`-`xmm15`, and the instructions that know about them.
//!
//! IR slots are untyped 8-byte cells, so a slot is an `f64` candidate only when *every*
//! instruction naming it uses it as an `f64` (arithmetic, `sqrt`, `abs`/`neg`/`copysign`,
//! comparisons, conversions to and from `f64`, `f64.load`/`f64.store` and their `_add` forms
//! on memory 0, `const.f64`), or as either side of a `copy` (untyped: `movq`/`movsd` move all
//! 64 bits), and at least one of them is a real `f64` use. Anything else naming the slot rules
//! it out. The choice is loop-weighted like the integer pins (`regs.rs`): a slot is pinned when
//! its weighted uses outweigh twice the weighted count of instructions that are not
//! register-aware.
//!
//! Correctness does not rest on the classification: [`FuncCompiler::instr`] sends any
//! instruction that names an `xmm`-pinned slot and is not handled by
//! [`FuncCompiler::instr_xmm`] through the spill door (every pinned slot, `xmm` ones included,
//! stored before and loaded after), and calls, helpers and SIMD go through that door anyway
//! (the SysV ABI lets them clobber every `xmm`). `return` stores the pinned result slots.
//!
//! A float comparison followed by `br_if_nez`/`br_if_eqz` on its (temporary) result becomes
//! `ucomisd; jcc` (with a `jp` for the unordered case of `eq`/`ne`), pinned or not.

use strata_ir::{Instr, Slot};

use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};

use super::regs::{for_each_slot, Loc, NO_PIN, RAX, RCX};
use super::{d, FuncCompiler};

/// The registers `f64` slots are pinned to (`xmm0`-`xmm4` are scratch, also in SIMD code).
const XPIN_REGS: [u8; 11] = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

/// How an instruction uses one of its slots, for choosing `xmm` pins.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// As an `f64` handled by [`FuncCompiler::instr_xmm`].
    F64,
    /// Untyped (`copy`): fine in either kind of register.
    Either,
    /// Anything else: the slot cannot live in an `xmm`.
    Other,
}

/// Calls `f` with every slot of `i` and how `i` uses it.
fn roles(i: &Instr, mut f: impl FnMut(Slot, Role)) {
    use Instr as I;
    use Role::{Either, Other, F64};
    match *i {
        I::F64Add { dst, lhs, rhs }
        | I::F64Sub { dst, lhs, rhs }
        | I::F64Mul { dst, lhs, rhs }
        | I::F64Div { dst, lhs, rhs }
        | I::F64Copysign { dst, lhs, rhs } => {
            f(dst, F64);
            f(lhs, F64);
            f(rhs, F64);
        }
        I::F64Sqrt { dst, src } | I::F64Abs { dst, src } | I::F64Neg { dst, src } => {
            f(dst, F64);
            f(src, F64);
        }
        I::F64Eq { dst, lhs, rhs }
        | I::F64Ne { dst, lhs, rhs }
        | I::F64Lt { dst, lhs, rhs }
        | I::F64Gt { dst, lhs, rhs }
        | I::F64Le { dst, lhs, rhs }
        | I::F64Ge { dst, lhs, rhs } => {
            f(dst, Other);
            f(lhs, F64);
            f(rhs, F64);
        }
        I::BrF64Lt { lhs, rhs, .. }
        | I::BrF64Le { lhs, rhs, .. }
        | I::BrF64Gt { lhs, rhs, .. }
        | I::BrF64Ge { lhs, rhs, .. }
        | I::BrF64NotLt { lhs, rhs, .. }
        | I::BrF64NotLe { lhs, rhs, .. }
        | I::BrF64NotGt { lhs, rhs, .. }
        | I::BrF64NotGe { lhs, rhs, .. } => {
            f(lhs, F64);
            f(rhs, F64);
        }
        I::F64ConvertI32S { dst, src }
        | I::F64ConvertI32U { dst, src }
        | I::F64ConvertI64S { dst, src }
        | I::F64PromoteF32 { dst, src } => {
            f(dst, F64);
            f(src, Other);
        }
        I::F32DemoteF64 { dst, src } => {
            f(dst, Other);
            f(src, F64);
        }
        I::F64Load {
            dst,
            ptr,
            memory: 0,
            ..
        }
        | I::F64LoadAdd {
            dst,
            ptr,
            memory: 0,
            ..
        } => {
            f(dst, F64);
            f(ptr, Other);
        }
        I::F64Store {
            ptr,
            value,
            memory: 0,
            ..
        }
        | I::F64StoreAdd {
            ptr,
            value,
            memory: 0,
            ..
        } => {
            f(value, F64);
            f(ptr, Other);
        }
        I::ConstF64 { dst, .. } => f(dst, F64),
        I::Copy { dst, src } => {
            f(dst, Either);
            f(src, Either);
        }
        _ => for_each_slot(i, |s| f(s, Other)),
    }
}

/// A comparison `(dst, a, b, cc)` as `ucomisd a, b` and the condition that makes it true.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fcc {
    /// ZF=1 and PF=0.
    Eq,
    /// ZF=0 or PF=1.
    Ne,
    /// CF=0 and ZF=0 (`ja`; false when unordered).
    A,
    /// CF=0 (`jae`; false when unordered).
    Ae,
}

/// An `f64` comparison: `(dst, a, b, cc)` with the result `ucomisd a, b` then `cc`.
fn f64_cmp(i: &Instr) -> Option<(Slot, Slot, Slot, Fcc)> {
    use Instr as I;
    Some(match *i {
        I::F64Eq { dst, lhs, rhs } => (dst, lhs, rhs, Fcc::Eq),
        I::F64Ne { dst, lhs, rhs } => (dst, lhs, rhs, Fcc::Ne),
        I::F64Lt { dst, lhs, rhs } => (dst, rhs, lhs, Fcc::A),
        I::F64Gt { dst, lhs, rhs } => (dst, lhs, rhs, Fcc::A),
        I::F64Le { dst, lhs, rhs } => (dst, rhs, lhs, Fcc::Ae),
        I::F64Ge { dst, lhs, rhs } => (dst, lhs, rhs, Fcc::Ae),
        _ => return None,
    })
}

/// An `f64` compare-and-branch: `(a, b, cc, when, target)`, jumping to `target` when
/// `ucomisd a, b` then `cc` is `when`.
fn f64_br(i: &Instr) -> Option<(Slot, Slot, Fcc, bool, strata_ir::Target)> {
    use Instr as I;
    Some(match *i {
        I::BrF64Lt { lhs, rhs, target } => (rhs, lhs, Fcc::A, true, target),
        I::BrF64Gt { lhs, rhs, target } => (lhs, rhs, Fcc::A, true, target),
        I::BrF64Le { lhs, rhs, target } => (rhs, lhs, Fcc::Ae, true, target),
        I::BrF64Ge { lhs, rhs, target } => (lhs, rhs, Fcc::Ae, true, target),
        I::BrF64NotLt { lhs, rhs, target } => (rhs, lhs, Fcc::A, false, target),
        I::BrF64NotGt { lhs, rhs, target } => (lhs, rhs, Fcc::A, false, target),
        I::BrF64NotLe { lhs, rhs, target } => (rhs, lhs, Fcc::Ae, false, target),
        I::BrF64NotGe { lhs, rhs, target } => (lhs, rhs, Fcc::Ae, false, target),
        _ => return None,
    })
}

/// Where an `f64` operand is, for an SSE source operand.
#[derive(Clone, Copy)]
enum Src {
    Xmm(u8),
    Mem(i32),
}

impl FuncCompiler<'_> {
    /// Chooses the `f64` slots to pin in `xmm` registers (see the module documentation);
    /// `weights[pc]` is instruction `pc`'s loop weight and `cost` the weighted cost of
    /// saving and restoring one slot around the instructions that are not register-aware.
    pub(super) fn choose_xmm_pins(&mut self, weights: &[u64], cost: u64) {
        let f = self.func;
        let slots = usize::from(f.frame_slots);
        self.xpin = alloc::vec![NO_PIN; slots];
        self.xpinned.clear();
        let mut ok = alloc::vec![true; slots];
        let mut real = alloc::vec![false; slots];
        let mut benefit = alloc::vec![0u64; slots];
        for (i, &w) in f.instrs.iter().zip(weights) {
            roles(i, |s, r| {
                let s = usize::from(s.0);
                if s >= slots {
                    return;
                }
                match r {
                    Role::F64 => {
                        real[s] = true;
                        benefit[s] += w;
                    }
                    Role::Either => benefit[s] += w,
                    Role::Other => ok[s] = false,
                }
            });
        }
        let mut candidates: alloc::vec::Vec<(u64, u16)> = (0..slots)
            .filter(|&s| ok[s] && real[s] && benefit[s] > cost)
            .map(|s| (benefit[s], s as u16))
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (&(_, s), &r) in candidates.iter().zip(XPIN_REGS.iter()) {
            self.xpin[usize::from(s)] = r;
            self.xpinned.push((Slot(s), r));
        }
    }

    /// The `xmm` register slot `s` is pinned to, while pinned slots are in registers.
    pub(super) fn xloc(&self, s: Slot) -> Option<u8> {
        if !self.regs_on {
            return None;
        }
        match self.xpin.get(usize::from(s.0)) {
            Some(&r) if r != NO_PIN => Some(r),
            _ => None,
        }
    }

    /// Whether `i` names a slot pinned in an `xmm` register.
    pub(super) fn touches_xmm(&self, i: &Instr) -> bool {
        if self.xpinned.is_empty() {
            return false;
        }
        let mut any = false;
        for_each_slot(i, |s| any |= self.xloc(s).is_some());
        any
    }

    /// Stores every `xmm`-pinned slot to the frame.
    pub(super) fn spill_xmm(&mut self) {
        for i in 0..self.xpinned.len() {
            let (s, r) = self.xpinned[i];
            x!(self.ops; movsd [rbx + d(s)], Rx(r));
        }
    }

    /// Loads every `xmm`-pinned slot from the frame.
    pub(super) fn reload_xmm(&mut self) {
        for i in 0..self.xpinned.len() {
            let (s, r) = self.xpinned[i];
            x!(self.ops; movsd Rx(r), [rbx + d(s)]);
        }
    }

    /// Stores the `xmm`-pinned result slots (before `return`).
    pub(super) fn store_xmm_results(&mut self) {
        for i in 0..self.xpinned.len() {
            let (s, r) = self.xpinned[i];
            if s.0 < self.func.result_slots {
                x!(self.ops; movsd [rbx + d(s)], Rx(r));
            }
        }
    }

    /// An SSE source operand for `f64` slot `s`: its `xmm`, its frame cell, or (pinned in a
    /// general register) `scratch` after a `movq`.
    fn fsrc(&mut self, s: Slot, scratch: u8) -> Src {
        if let Some(x) = self.xloc(s) {
            return Src::Xmm(x);
        }
        match self.loc(s) {
            Loc::Reg(p) => {
                x!(self.ops; movq Rx(scratch), Rq(p));
                Src::Xmm(scratch)
            }
            Loc::Mem(o) => Src::Mem(o),
        }
    }

    /// `xmm x = s` (all 64 bits).
    fn fload(&mut self, x: u8, s: Slot) {
        match self.fsrc(s, x) {
            Src::Xmm(r) => {
                if r != x {
                    x!(self.ops; movaps Rx(x), Rx(r));
                }
            }
            Src::Mem(o) => x!(self.ops; movsd Rx(x), [rbx + o]),
        }
    }

    /// `s = xmm x` (all 64 bits).
    fn fstore(&mut self, s: Slot, x: u8) {
        if let Some(r) = self.xloc(s) {
            if r != x {
                x!(self.ops; movaps Rx(r), Rx(x));
            }
            return;
        }
        match self.loc(s) {
            Loc::Reg(p) => x!(self.ops; movq Rq(p), Rx(x)),
            Loc::Mem(o) => x!(self.ops; movsd [rbx + o], Rx(x)),
        }
    }

    /// Emits `instr` when it is an `f64` instruction naming an `xmm`-pinned slot (or a float
    /// comparison fused with the branch after it). Returns how many following instructions it
    /// consumed, or `None` (nothing emitted) to leave `instr` to the other paths.
    pub(super) fn instr_xmm(&mut self, instr: Instr, next: Option<Instr>) -> Option<usize> {
        use Instr as I;

        // Every slot used as something other than an `f64` must not be in an `xmm` (the
        // choice guarantees it; staying correct does not depend on that).
        let mut clash = false;
        roles(&instr, |s, r| {
            clash |= r == Role::Other && self.xloc(s).is_some()
        });
        if clash {
            return None;
        }
        if let Some((dst, a, b, cc)) = f64_cmp(&instr) {
            return Some(self.f64_compare(dst, a, b, cc, next));
        }
        if let Some((a, b, cc, when, target)) = f64_br(&instr) {
            // `f64_compare` fused with a branch on a temporary it never writes: one past
            // every real slot stands for it.
            let t = Slot(self.func.frame_slots);
            let br = if when {
                Instr::BrIfNez { cond: t, target }
            } else {
                Instr::BrIfEqz { cond: t, target }
            };
            self.f64_compare(t, a, b, cc, Some(br));
            return Some(0);
        }
        if !self.touches_xmm(&instr) {
            return None;
        }

        macro_rules! fbin {
            ($op:ident, $dst:expr, $lhs:expr, $rhs:expr) => {{
                // Into the destination's own register unless it is the right operand.
                let t = match self.xloc($dst) {
                    Some(r) if self.xloc($rhs) != Some(r) => r,
                    _ => 0,
                };
                self.fload(t, $lhs);
                match self.fsrc($rhs, 1) {
                    Src::Xmm(r) => x!(self.ops; $op Rx(t), Rx(r)),
                    Src::Mem(o) => x!(self.ops; $op Rx(t), [rbx + o]),
                }
                self.fstore($dst, t);
            }};
        }
        // `abs`, `neg` and `copysign` work on the bits in `rax` (no constant pool needed).
        macro_rules! fbits {
            ($dst:expr, $src:expr, $($op:tt)*) => {{
                match self.fsrc($src, 0) {
                    Src::Xmm(r) => x!(self.ops; movq rax, Rx(r)),
                    Src::Mem(o) => x!(self.ops; mov rax, [rbx + o]),
                }
                x!(self.ops; $($op)*);
                x!(self.ops; movq xmm0, rax);
                self.fstore($dst, 0);
            }};
        }

        match instr {
            I::F64Add { dst, lhs, rhs } => fbin!(addsd, dst, lhs, rhs),
            I::F64Sub { dst, lhs, rhs } => fbin!(subsd, dst, lhs, rhs),
            I::F64Mul { dst, lhs, rhs } => fbin!(mulsd, dst, lhs, rhs),
            I::F64Div { dst, lhs, rhs } => fbin!(divsd, dst, lhs, rhs),
            I::F64Sqrt { dst, src } => {
                let t = self.xloc(dst).unwrap_or(0);
                match self.fsrc(src, 1) {
                    Src::Xmm(r) => x!(self.ops; sqrtsd Rx(t), Rx(r)),
                    Src::Mem(o) => x!(self.ops; sqrtsd Rx(t), [rbx + o]),
                }
                self.fstore(dst, t);
            }
            I::F64Abs { dst, src } => fbits!(dst, src, btr rax, 63),
            I::F64Neg { dst, src } => fbits!(dst, src, btc rax, 63),
            I::F64Copysign { dst, lhs, rhs } => {
                match self.fsrc(rhs, 1) {
                    Src::Xmm(r) => x!(self.ops; movq rcx, Rx(r)),
                    Src::Mem(o) => x!(self.ops; mov rcx, [rbx + o]),
                }
                fbits!(dst, lhs, btr rax, 63; shr rcx, 63; shl rcx, 63; or rax, rcx)
            }
            I::F64ConvertI32S { dst, src } => {
                let t = self.xloc(dst).unwrap_or(0);
                self.get32(RAX, src);
                x!(self.ops; xorps Rx(t), Rx(t); cvtsi2sd Rx(t), eax);
                self.fstore(dst, t);
            }
            I::F64ConvertI32U { dst, src } | I::F64ConvertI64S { dst, src } => {
                let t = self.xloc(dst).unwrap_or(0);
                if matches!(instr, I::F64ConvertI32U { .. }) {
                    self.get32(RAX, src);
                } else {
                    self.get64(RAX, src);
                }
                x!(self.ops; xorps Rx(t), Rx(t); cvtsi2sd Rx(t), rax);
                self.fstore(dst, t);
            }
            I::F64PromoteF32 { dst, src } => {
                let t = self.xloc(dst).unwrap_or(0);
                self.get32(RAX, src);
                x!(self.ops; movd xmm1, eax; cvtss2sd Rx(t), xmm1);
                self.fstore(dst, t);
            }
            I::F32DemoteF64 { dst, src } => {
                match self.fsrc(src, 1) {
                    Src::Xmm(r) => x!(self.ops; cvtsd2ss xmm0, Rx(r)),
                    Src::Mem(o) => x!(self.ops; cvtsd2ss xmm0, [rbx + o]),
                }
                x!(self.ops; movd eax, xmm0);
                self.put(dst, RAX);
            }
            I::F64Load {
                dst,
                ptr,
                memory: 0,
                offset,
            }
            | I::F64LoadAdd {
                dst,
                ptr,
                memory: 0,
                offset,
                ..
            } => {
                let imm = match instr {
                    I::F64LoadAdd { imm, .. } => imm,
                    _ => 0,
                };
                let t = self.xloc(dst).unwrap_or(0);
                let a = self.address_reg(ptr, imm, offset, 8);
                x!(self.ops; movsd Rx(t), [r14 + rax + a]);
                self.fstore(dst, t);
            }
            I::F64Store {
                ptr,
                value,
                memory: 0,
                offset,
            }
            | I::F64StoreAdd {
                ptr,
                value,
                memory: 0,
                offset,
                ..
            } => {
                let imm = match instr {
                    I::F64StoreAdd { imm, .. } => imm,
                    _ => 0,
                };
                let v = match self.fsrc(value, 1) {
                    Src::Xmm(r) => r,
                    Src::Mem(o) => {
                        x!(self.ops; movsd xmm1, [rbx + o]);
                        1
                    }
                };
                let a = self.address_reg(ptr, imm, offset, 8);
                x!(self.ops; movsd [r14 + rax + a], Rx(v));
            }
            I::ConstF64 { dst, bits } => {
                let t = self.xloc(dst).unwrap_or(0);
                if bits == 0 {
                    x!(self.ops; xorps Rx(t), Rx(t));
                } else {
                    x!(self.ops; mov rax, QWORD bits as i64; movq Rx(t), rax);
                }
                self.fstore(dst, t);
            }
            I::Copy { dst, src } => {
                if dst != src {
                    match self.xloc(dst) {
                        Some(t) => {
                            self.fload(t, src);
                        }
                        None => {
                            let r = self.xloc(src).expect("copy names an xmm slot");
                            self.fstore(dst, r);
                        }
                    }
                }
            }
            _ => return None,
        }
        Some(0)
    }

    /// `dst = a <cc> b` as 0/1, or, when `next` is a `br_if_nez`/`br_if_eqz` on the temporary
    /// `dst`, the branch itself (returns 1: `next` consumed).
    fn f64_compare(&mut self, dst: Slot, a: Slot, b: Slot, cc: Fcc, next: Option<Instr>) -> usize {
        let fused = match next {
            Some(Instr::BrIfNez { cond, target }) if cond == dst => Some((true, target)),
            Some(Instr::BrIfEqz { cond, target }) if cond == dst => Some((false, target)),
            _ => None,
        }
        .filter(|_| dst.0 >= self.func.local_slots);
        let ra = match self.fsrc(a, 0) {
            Src::Xmm(r) => r,
            Src::Mem(o) => {
                x!(self.ops; movsd xmm0, [rbx + o]);
                0
            }
        };
        if fused.is_none() {
            x!(self.ops; xor ecx, ecx);
        }
        match self.fsrc(b, 1) {
            Src::Xmm(r) => x!(self.ops; ucomisd Rx(ra), Rx(r)),
            Src::Mem(o) => x!(self.ops; ucomisd Rx(ra), [rbx + o]),
        }
        match fused {
            Some((when, target)) => {
                let l = self.target(target);
                // Jump when the comparison's value is `when`.
                match (cc, when) {
                    (Fcc::Eq, true) | (Fcc::Ne, false) => {
                        let skip = self.ops.new_dynamic_label();
                        x!(self.ops; jp =>skip; je =>l; =>skip);
                    }
                    (Fcc::Eq, false) | (Fcc::Ne, true) => x!(self.ops; jp =>l; jne =>l),
                    (Fcc::A, true) => x!(self.ops; ja =>l),
                    (Fcc::A, false) => x!(self.ops; jbe =>l),
                    (Fcc::Ae, true) => x!(self.ops; jae =>l),
                    (Fcc::Ae, false) => x!(self.ops; jb =>l),
                }
                1
            }
            None => {
                match cc {
                    Fcc::Eq => x!(self.ops; sete cl; setnp al; and cl, al),
                    Fcc::Ne => x!(self.ops; setne cl; setp al; or cl, al),
                    Fcc::A => x!(self.ops; seta cl),
                    Fcc::Ae => x!(self.ops; setae cl),
                }
                self.put(dst, RCX);
                0
            }
        }
    }
}
