//! Frame slots pinned in registers, and the instructions that know about them.
//!
//! Each function chooses up to six slots (locals or temporaries) to live in `rsi`, `rdi`,
//! `r8`-`r11` for its whole body, seven in guarded code (also `r15`, which checked code keeps
//! for memory 0's length), eight in a module without memory (also `r14`, memory 0's base):
//! the same mapping holds at every instruction, so branches and labels need no
//! reconciliation. A slot is pinned when the loop-weighted count of its uses by
//! register-aware instructions outweighs the cost of saving and restoring it around every
//! instruction that is not register-aware (twice the weighted count of those).
//!
//! The rule that keeps the rest of the compiler correct: an instruction not handled here (a
//! slow-path helper, SIMD, tables, bulk memory, ...) runs after [`FuncCompiler::spill_all`] (every
//! pinned slot stored to the frame) and is followed by [`FuncCompiler::reload_all`] (every
//! pinned slot loaded back), and while it is emitted `regs_on` is false so slot accessors
//! address memory. Calls spill and reload the same way; `return` stores the pinned result slots.
//! Traps need nothing: the frame is not read after one. Native SIMD sequences get a narrower
//! door ([`FuncCompiler::spill_masked`]): they use only `rax`, `rcx` and `xmm0`-`xmm4`, so only
//! the pinned slots they name (and the slot after each, a `v128`'s second half) are stored
//! before and reloaded after.
//!
//! Register-aware instructions compute an integer result in the destination's own register
//! when it is pinned, else in `rax` (then stored).

use strata_ir::{Instr, Slot};
use strata_vm::TrapCode;

use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

use super::{d, FuncCompiler};
use crate::context::off::*;

/// `rax`, the first scratch register.
pub(super) const RAX: u8 = 0;
/// `rcx`, the second scratch register (shift counts).
pub(super) const RCX: u8 = 1;
/// `rdx`, the third scratch register (division).
pub(super) const RDX: u8 = 2;
/// The registers slots are pinned to: caller-saved ones the fixed roles leave free, then `r15`,
/// which only checked code needs (memory 0's length; guarded code never reads it), then `r14`,
/// which only a module with a memory needs (memory 0's base). Every call reloads memory 0
/// and the pinned slots after it, so what the callee does with them does not matter.
const PIN_REGS: [u8; 8] = [6, 7, 8, 9, 10, 11, 15, 14];
/// "Not pinned" in [`FuncCompiler::pin`].
pub(super) const NO_PIN: u8 = 0xff;

/// Where a slot's current value is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Loc {
    /// In this register (the frame copy may be stale).
    Reg(u8),
    /// In the frame, at this displacement from `rbx`.
    Mem(i32),
}

/// An integer condition, as `jcc`/`setcc` spell it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cc {
    E,
    Ne,
    L,
    B,
    G,
    A,
    Le,
    Be,
    Ge,
    Ae,
}

impl Cc {
    fn not(self) -> Cc {
        match self {
            Cc::E => Cc::Ne,
            Cc::Ne => Cc::E,
            Cc::L => Cc::Ge,
            Cc::B => Cc::Ae,
            Cc::G => Cc::Le,
            Cc::A => Cc::Be,
            Cc::Le => Cc::G,
            Cc::Be => Cc::A,
            Cc::Ge => Cc::L,
            Cc::Ae => Cc::B,
        }
    }
}

/// The right-hand side of an integer comparison.
#[derive(Clone, Copy)]
enum Rhs {
    Slot(Slot),
    Imm(i32),
}

/// An integer comparison producing 0/1 in `dst`: `(dst, wide, lhs, rhs, cc)`.
fn int_cmp(i: &Instr) -> Option<(Slot, bool, Slot, Rhs, Cc)> {
    use Instr as I;
    use Rhs::{Imm, Slot as S};
    Some(match *i {
        I::I32Eqz { dst, src } | I::RefIsNull { dst, src } => (dst, false, src, Imm(0), Cc::E),
        I::I64Eqz { dst, src } => (dst, true, src, Imm(0), Cc::E),
        I::I32Eq { dst, lhs, rhs } => (dst, false, lhs, S(rhs), Cc::E),
        I::I32Ne { dst, lhs, rhs } => (dst, false, lhs, S(rhs), Cc::Ne),
        I::I32LtS { dst, lhs, rhs } => (dst, false, lhs, S(rhs), Cc::L),
        I::I32LtU { dst, lhs, rhs } => (dst, false, lhs, S(rhs), Cc::B),
        I::I32GtS { dst, lhs, rhs } => (dst, false, lhs, S(rhs), Cc::G),
        I::I32GtU { dst, lhs, rhs } => (dst, false, lhs, S(rhs), Cc::A),
        I::I32LeS { dst, lhs, rhs } => (dst, false, lhs, S(rhs), Cc::Le),
        I::I32LeU { dst, lhs, rhs } => (dst, false, lhs, S(rhs), Cc::Be),
        I::I32GeS { dst, lhs, rhs } => (dst, false, lhs, S(rhs), Cc::Ge),
        I::I32GeU { dst, lhs, rhs } => (dst, false, lhs, S(rhs), Cc::Ae),
        I::I64Eq { dst, lhs, rhs } => (dst, true, lhs, S(rhs), Cc::E),
        I::I64Ne { dst, lhs, rhs } => (dst, true, lhs, S(rhs), Cc::Ne),
        I::I64LtS { dst, lhs, rhs } => (dst, true, lhs, S(rhs), Cc::L),
        I::I64LtU { dst, lhs, rhs } => (dst, true, lhs, S(rhs), Cc::B),
        I::I64GtS { dst, lhs, rhs } => (dst, true, lhs, S(rhs), Cc::G),
        I::I64GtU { dst, lhs, rhs } => (dst, true, lhs, S(rhs), Cc::A),
        I::I64LeS { dst, lhs, rhs } => (dst, true, lhs, S(rhs), Cc::Le),
        I::I64LeU { dst, lhs, rhs } => (dst, true, lhs, S(rhs), Cc::Be),
        I::I64GeS { dst, lhs, rhs } => (dst, true, lhs, S(rhs), Cc::Ge),
        I::I64GeU { dst, lhs, rhs } => (dst, true, lhs, S(rhs), Cc::Ae),
        I::I32EqImm { dst, lhs, imm } => (dst, false, lhs, Imm(imm), Cc::E),
        I::I32NeImm { dst, lhs, imm } => (dst, false, lhs, Imm(imm), Cc::Ne),
        I::I32LtSImm { dst, lhs, imm } => (dst, false, lhs, Imm(imm), Cc::L),
        I::I32LtUImm { dst, lhs, imm } => (dst, false, lhs, Imm(imm), Cc::B),
        I::I32GtSImm { dst, lhs, imm } => (dst, false, lhs, Imm(imm), Cc::G),
        I::I32GtUImm { dst, lhs, imm } => (dst, false, lhs, Imm(imm), Cc::A),
        I::I32LeSImm { dst, lhs, imm } => (dst, false, lhs, Imm(imm), Cc::Le),
        I::I32LeUImm { dst, lhs, imm } => (dst, false, lhs, Imm(imm), Cc::Be),
        I::I32GeSImm { dst, lhs, imm } => (dst, false, lhs, Imm(imm), Cc::Ge),
        I::I32GeUImm { dst, lhs, imm } => (dst, false, lhs, Imm(imm), Cc::Ae),
        I::I64EqImm { dst, lhs, imm } => (dst, true, lhs, Imm(imm), Cc::E),
        I::I64NeImm { dst, lhs, imm } => (dst, true, lhs, Imm(imm), Cc::Ne),
        I::I64LtSImm { dst, lhs, imm } => (dst, true, lhs, Imm(imm), Cc::L),
        I::I64LtUImm { dst, lhs, imm } => (dst, true, lhs, Imm(imm), Cc::B),
        I::I64GtSImm { dst, lhs, imm } => (dst, true, lhs, Imm(imm), Cc::G),
        I::I64GtUImm { dst, lhs, imm } => (dst, true, lhs, Imm(imm), Cc::A),
        I::I64LeSImm { dst, lhs, imm } => (dst, true, lhs, Imm(imm), Cc::Le),
        I::I64LeUImm { dst, lhs, imm } => (dst, true, lhs, Imm(imm), Cc::Be),
        I::I64GeSImm { dst, lhs, imm } => (dst, true, lhs, Imm(imm), Cc::Ge),
        I::I64GeUImm { dst, lhs, imm } => (dst, true, lhs, Imm(imm), Cc::Ae),
        _ => return None,
    })
}

/// A compare-and-branch, against a slot or an immediate: `(wide, lhs, rhs, cc, target)`.
fn br_cmp(i: &Instr) -> Option<(bool, Slot, Rhs, Cc, strata_ir::Target)> {
    use Instr as I;
    use Rhs::{Imm, Slot as S};
    Some(match *i {
        I::BrI32Eq { lhs, rhs, target } => (false, lhs, S(rhs), Cc::E, target),
        I::BrI32Ne { lhs, rhs, target } => (false, lhs, S(rhs), Cc::Ne, target),
        I::BrI32LtS { lhs, rhs, target } => (false, lhs, S(rhs), Cc::L, target),
        I::BrI32LtU { lhs, rhs, target } => (false, lhs, S(rhs), Cc::B, target),
        I::BrI32GtS { lhs, rhs, target } => (false, lhs, S(rhs), Cc::G, target),
        I::BrI32GtU { lhs, rhs, target } => (false, lhs, S(rhs), Cc::A, target),
        I::BrI32LeS { lhs, rhs, target } => (false, lhs, S(rhs), Cc::Le, target),
        I::BrI32LeU { lhs, rhs, target } => (false, lhs, S(rhs), Cc::Be, target),
        I::BrI32GeS { lhs, rhs, target } => (false, lhs, S(rhs), Cc::Ge, target),
        I::BrI32GeU { lhs, rhs, target } => (false, lhs, S(rhs), Cc::Ae, target),
        I::BrI64Eq { lhs, rhs, target } => (true, lhs, S(rhs), Cc::E, target),
        I::BrI64Ne { lhs, rhs, target } => (true, lhs, S(rhs), Cc::Ne, target),
        I::BrI64LtS { lhs, rhs, target } => (true, lhs, S(rhs), Cc::L, target),
        I::BrI64LtU { lhs, rhs, target } => (true, lhs, S(rhs), Cc::B, target),
        I::BrI64GtS { lhs, rhs, target } => (true, lhs, S(rhs), Cc::G, target),
        I::BrI64GtU { lhs, rhs, target } => (true, lhs, S(rhs), Cc::A, target),
        I::BrI64LeS { lhs, rhs, target } => (true, lhs, S(rhs), Cc::Le, target),
        I::BrI64LeU { lhs, rhs, target } => (true, lhs, S(rhs), Cc::Be, target),
        I::BrI64GeS { lhs, rhs, target } => (true, lhs, S(rhs), Cc::Ge, target),
        I::BrI64GeU { lhs, rhs, target } => (true, lhs, S(rhs), Cc::Ae, target),
        I::BrI32EqImm { lhs, imm, target } => (false, lhs, Imm(imm), Cc::E, target),
        I::BrI32NeImm { lhs, imm, target } => (false, lhs, Imm(imm), Cc::Ne, target),
        I::BrI32LtSImm { lhs, imm, target } => (false, lhs, Imm(imm), Cc::L, target),
        I::BrI32LtUImm { lhs, imm, target } => (false, lhs, Imm(imm), Cc::B, target),
        I::BrI32GtSImm { lhs, imm, target } => (false, lhs, Imm(imm), Cc::G, target),
        I::BrI32GtUImm { lhs, imm, target } => (false, lhs, Imm(imm), Cc::A, target),
        I::BrI32LeSImm { lhs, imm, target } => (false, lhs, Imm(imm), Cc::Le, target),
        I::BrI32LeUImm { lhs, imm, target } => (false, lhs, Imm(imm), Cc::Be, target),
        I::BrI32GeSImm { lhs, imm, target } => (false, lhs, Imm(imm), Cc::Ge, target),
        I::BrI32GeUImm { lhs, imm, target } => (false, lhs, Imm(imm), Cc::Ae, target),
        I::BrI64EqImm { lhs, imm, target } => (true, lhs, Imm(imm), Cc::E, target),
        I::BrI64NeImm { lhs, imm, target } => (true, lhs, Imm(imm), Cc::Ne, target),
        I::BrI64LtSImm { lhs, imm, target } => (true, lhs, Imm(imm), Cc::L, target),
        I::BrI64LtUImm { lhs, imm, target } => (true, lhs, Imm(imm), Cc::B, target),
        I::BrI64GtSImm { lhs, imm, target } => (true, lhs, Imm(imm), Cc::G, target),
        I::BrI64GtUImm { lhs, imm, target } => (true, lhs, Imm(imm), Cc::A, target),
        I::BrI64LeSImm { lhs, imm, target } => (true, lhs, Imm(imm), Cc::Le, target),
        I::BrI64LeUImm { lhs, imm, target } => (true, lhs, Imm(imm), Cc::Be, target),
        I::BrI64GeSImm { lhs, imm, target } => (true, lhs, Imm(imm), Cc::Ge, target),
        I::BrI64GeUImm { lhs, imm, target } => (true, lhs, Imm(imm), Cc::Ae, target),
        _ => return None,
    })
}

/// A memory access's kind: the load's extension or the store's width (constant stores carry
/// their value).
#[derive(Clone, Copy)]
enum Mem {
    Ld32,
    Ld64,
    Ld8S32,
    Ld8U,
    Ld16S32,
    Ld16U,
    Ld8S64,
    Ld16S64,
    Ld32S64,
    St32,
    St64,
    St8,
    St16,
    StImm32(i32),
    StImm64(i32),
    StImm8(u16),
    StImm16(u16),
}

/// A scalar load or store, plain or `_add`: `(kind, dst or value, ptr, imm, memory, offset)`,
/// with `imm` 0 for the plain forms (the `_add` forms address `u32(ptr + imm) + offset`).
/// Constant stores name no value slot: `ptr` stands in for it.
fn mem_access(i: &Instr) -> Option<(Mem, Slot, Slot, i32, u16, u32)> {
    use Instr as I;
    use Mem as M;
    Some(match *i {
        I::I32Load {
            dst,
            ptr,
            memory,
            offset,
        }
        | I::F32Load {
            dst,
            ptr,
            memory,
            offset,
        }
        | I::I64Load32U {
            dst,
            ptr,
            memory,
            offset,
        } => (M::Ld32, dst, ptr, 0, memory, offset),
        I::I64Load {
            dst,
            ptr,
            memory,
            offset,
        }
        | I::F64Load {
            dst,
            ptr,
            memory,
            offset,
        } => (M::Ld64, dst, ptr, 0, memory, offset),
        I::I32Load8S {
            dst,
            ptr,
            memory,
            offset,
        } => (M::Ld8S32, dst, ptr, 0, memory, offset),
        I::I32Load8U {
            dst,
            ptr,
            memory,
            offset,
        }
        | I::I64Load8U {
            dst,
            ptr,
            memory,
            offset,
        } => (M::Ld8U, dst, ptr, 0, memory, offset),
        I::I32Load16S {
            dst,
            ptr,
            memory,
            offset,
        } => (M::Ld16S32, dst, ptr, 0, memory, offset),
        I::I32Load16U {
            dst,
            ptr,
            memory,
            offset,
        }
        | I::I64Load16U {
            dst,
            ptr,
            memory,
            offset,
        } => (M::Ld16U, dst, ptr, 0, memory, offset),
        I::I64Load8S {
            dst,
            ptr,
            memory,
            offset,
        } => (M::Ld8S64, dst, ptr, 0, memory, offset),
        I::I64Load16S {
            dst,
            ptr,
            memory,
            offset,
        } => (M::Ld16S64, dst, ptr, 0, memory, offset),
        I::I64Load32S {
            dst,
            ptr,
            memory,
            offset,
        } => (M::Ld32S64, dst, ptr, 0, memory, offset),
        I::I32LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }
        | I::F32LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }
        | I::I64Load32UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => (M::Ld32, dst, ptr, imm, memory, offset),
        I::I64LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }
        | I::F64LoadAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => (M::Ld64, dst, ptr, imm, memory, offset),
        I::I32Load8SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => (M::Ld8S32, dst, ptr, imm, memory, offset),
        I::I32Load8UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }
        | I::I64Load8UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => (M::Ld8U, dst, ptr, imm, memory, offset),
        I::I32Load16SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => (M::Ld16S32, dst, ptr, imm, memory, offset),
        I::I32Load16UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        }
        | I::I64Load16UAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => (M::Ld16U, dst, ptr, imm, memory, offset),
        I::I64Load8SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => (M::Ld8S64, dst, ptr, imm, memory, offset),
        I::I64Load16SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => (M::Ld16S64, dst, ptr, imm, memory, offset),
        I::I64Load32SAdd {
            dst,
            ptr,
            imm,
            memory,
            offset,
        } => (M::Ld32S64, dst, ptr, imm, memory, offset),
        I::I32Store {
            ptr,
            value,
            memory,
            offset,
        }
        | I::F32Store {
            ptr,
            value,
            memory,
            offset,
        }
        | I::I64Store32 {
            ptr,
            value,
            memory,
            offset,
        } => (M::St32, value, ptr, 0, memory, offset),
        I::I64Store {
            ptr,
            value,
            memory,
            offset,
        }
        | I::F64Store {
            ptr,
            value,
            memory,
            offset,
        } => (M::St64, value, ptr, 0, memory, offset),
        I::I32Store8 {
            ptr,
            value,
            memory,
            offset,
        }
        | I::I64Store8 {
            ptr,
            value,
            memory,
            offset,
        } => (M::St8, value, ptr, 0, memory, offset),
        I::I32Store16 {
            ptr,
            value,
            memory,
            offset,
        }
        | I::I64Store16 {
            ptr,
            value,
            memory,
            offset,
        } => (M::St16, value, ptr, 0, memory, offset),
        I::I32StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        }
        | I::F32StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        }
        | I::I64Store32Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => (M::St32, value, ptr, imm, memory, offset),
        I::I64StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        }
        | I::F64StoreAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => (M::St64, value, ptr, imm, memory, offset),
        I::I32Store8Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        }
        | I::I64Store8Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => (M::St8, value, ptr, imm, memory, offset),
        I::I32Store16Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        }
        | I::I64Store16Add {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => (M::St16, value, ptr, imm, memory, offset),
        I::I32StoreImm {
            ptr,
            value,
            memory,
            offset,
        } => (M::StImm32(value), ptr, ptr, 0, memory, offset),
        I::I64StoreImm {
            ptr,
            value,
            memory,
            offset,
        } => (M::StImm64(value), ptr, ptr, 0, memory, offset),
        I::I32Store8Imm {
            ptr,
            value,
            memory,
            offset,
        } => (M::StImm8(value as u16), ptr, ptr, 0, memory, offset),
        I::I32Store16Imm {
            ptr,
            value,
            memory,
            offset,
        } => (M::StImm16(value as u16), ptr, ptr, 0, memory, offset),
        I::I32Store8ImmAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => (M::StImm8(value), ptr, ptr, imm, memory, offset),
        I::I32Store16ImmAdd {
            ptr,
            value,
            imm,
            memory,
            offset,
        } => (M::StImm16(value), ptr, ptr, imm, memory, offset),
        _ => return None,
    })
}

/// Whether `i` is a SIMD instruction (`simd.rs` emits most of them natively, saving and
/// restoring only the pinned slots they name).
pub(super) fn is_simd(i: &Instr) -> bool {
    macro_rules! simd {
        ($( $shape:ident $name:ident { $($field:ident : $ty:ty),* } $text:literal ;)*) => {
            match i {
                $( Instr::$name { .. } => {
                    stringify!($shape).as_bytes()[0] == b'v' || $text.starts_with("v128.")
                } )*
            }
        };
    }
    matches!(i, Instr::Copy128 { .. } | Instr::ConstV128 { .. }) || strata_ir::for_each_instr!(simd)
}

/// Calls `f` with every slot field of `i` (for `v128` operands, the first of the two slots).
pub(super) fn for_each_slot(i: &Instr, mut f: impl FnMut(Slot)) {
    macro_rules! visit {
        ($( $shape:ident $name:ident { $($field:ident : $ty:ty),* } $text:literal ;)*) => {
            match i {
                $( Instr::$name { $($field),* } => {
                    $(
                        if let Some(s) = ($field as &dyn core::any::Any).downcast_ref::<Slot>() {
                            f(*s);
                        }
                    )*
                } )*
            }
        };
    }
    strata_ir::for_each_instr!(visit);
}

/// Whether [`FuncCompiler::instr_reg`] handles `i` without spilling (a guess used only to
/// choose what to pin; a wrong answer costs speed, never correctness).
fn is_aware(i: &Instr, popcnt: bool) -> bool {
    use Instr as I;
    if int_cmp(i).is_some() || br_cmp(i).is_some() {
        return true;
    }
    if let Some((.., memory, _)) = mem_access(i) {
        return memory == 0;
    }
    match *i {
        I::I32Popcnt { .. } | I::I64Popcnt { .. } => popcnt,
        I::ConsumeFuel { amount } => amount <= i32::MAX as u32,
        I::Unreachable {}
        | I::CheckInterrupt {}
        | I::Br { .. }
        | I::BrIfNez { .. }
        | I::BrIfEqz { .. }
        | I::BrTable { .. }
        | I::Return {}
        | I::Copy { .. }
        | I::ConstI32 { .. }
        | I::ConstI64 { .. }
        | I::ConstF32 { .. }
        | I::ConstF64 { .. }
        | I::Select { .. }
        | I::GlobalGet { .. }
        | I::GlobalSet { .. }
        | I::RefNull { .. }
        | I::RefFunc { .. }
        | I::I32Clz { .. }
        | I::I32Ctz { .. }
        | I::I64Clz { .. }
        | I::I64Ctz { .. }
        | I::I32Add { .. }
        | I::I32Sub { .. }
        | I::I32Mul { .. }
        | I::I32DivS { .. }
        | I::I32DivU { .. }
        | I::I32RemS { .. }
        | I::I32RemU { .. }
        | I::I32And { .. }
        | I::I32Or { .. }
        | I::I32Xor { .. }
        | I::I32Shl { .. }
        | I::I32ShrS { .. }
        | I::I32ShrU { .. }
        | I::I32Rotl { .. }
        | I::I32Rotr { .. }
        | I::I32AddImm { .. }
        | I::I32MulImm { .. }
        | I::I32AndImm { .. }
        | I::I32OrImm { .. }
        | I::I32XorImm { .. }
        | I::I32ShlImm { .. }
        | I::I32ShrSImm { .. }
        | I::I32ShrUImm { .. }
        | I::I32RotlImm { .. }
        | I::I32RotrImm { .. }
        | I::I64Add { .. }
        | I::I64Sub { .. }
        | I::I64Mul { .. }
        | I::I64DivS { .. }
        | I::I64DivU { .. }
        | I::I64RemS { .. }
        | I::I64RemU { .. }
        | I::I64And { .. }
        | I::I64Or { .. }
        | I::I64Xor { .. }
        | I::I64Shl { .. }
        | I::I64ShrS { .. }
        | I::I64ShrU { .. }
        | I::I64Rotl { .. }
        | I::I64Rotr { .. }
        | I::I64AddImm { .. }
        | I::I64MulImm { .. }
        | I::I64AndImm { .. }
        | I::I64OrImm { .. }
        | I::I64XorImm { .. }
        | I::I64ShlImm { .. }
        | I::I64ShrSImm { .. }
        | I::I64ShrUImm { .. }
        | I::I64RotlImm { .. }
        | I::I64RotrImm { .. }
        | I::I32XorShlImm { .. }
        | I::I32XorShrUImm { .. }
        | I::I64XorShlImm { .. }
        | I::I64XorShrUImm { .. }
        | I::I32WrapI64 { .. }
        | I::I64ExtendI32U { .. }
        | I::I64ExtendI32S { .. }
        | I::I64Extend32S { .. }
        | I::I32Extend8S { .. }
        | I::I32Extend16S { .. }
        | I::I64Extend8S { .. }
        | I::I64Extend16S { .. }
        | I::F32Abs { .. }
        | I::F32Neg { .. }
        | I::F64Abs { .. }
        | I::F64Neg { .. }
        | I::F32Copysign { .. }
        | I::F64Copysign { .. }
        | I::F32Add { .. }
        | I::F32Sub { .. }
        | I::F32Mul { .. }
        | I::F32Div { .. }
        | I::F64Add { .. }
        | I::F64Sub { .. }
        | I::F64Mul { .. }
        | I::F64Div { .. }
        | I::F32Sqrt { .. }
        | I::F64Sqrt { .. }
        | I::F32Eq { .. }
        | I::F32Ne { .. }
        | I::F32Lt { .. }
        | I::F32Gt { .. }
        | I::F32Le { .. }
        | I::F32Ge { .. }
        | I::F64Eq { .. }
        | I::F64Ne { .. }
        | I::F64Lt { .. }
        | I::BrI32AndImmEqz { .. }
        | I::BrI32AndImmNez { .. }
        | I::BrI64AndImmEqz { .. }
        | I::BrI64AndImmNez { .. }
        | I::BrF32Lt { .. }
        | I::BrF32Le { .. }
        | I::BrF32Gt { .. }
        | I::BrF32Ge { .. }
        | I::BrF32NotLt { .. }
        | I::BrF32NotLe { .. }
        | I::BrF32NotGt { .. }
        | I::BrF32NotGe { .. }
        | I::BrF64Lt { .. }
        | I::BrF64Le { .. }
        | I::BrF64Gt { .. }
        | I::BrF64Ge { .. }
        | I::BrF64NotLt { .. }
        | I::BrF64NotLe { .. }
        | I::BrF64NotGt { .. }
        | I::BrF64NotGe { .. }
        | I::F64Gt { .. }
        | I::F64Le { .. }
        | I::F64Ge { .. }
        | I::F32ConvertI32S { .. }
        | I::F32ConvertI32U { .. }
        | I::F32ConvertI64S { .. }
        | I::F64ConvertI32S { .. }
        | I::F64ConvertI32U { .. }
        | I::F64ConvertI64S { .. }
        | I::F32DemoteF64 { .. }
        | I::F64PromoteF32 { .. } => true,
        _ => false,
    }
}

impl FuncCompiler<'_> {
    /// Chooses the slots to pin (see the module documentation) and fills `self.pin`.
    pub(super) fn choose_pins(&mut self) {
        let f = self.func;
        let n = f.instrs.len();
        let slots = usize::from(f.frame_slots);
        self.pin = alloc::vec![NO_PIN; slots];
        self.pinned.clear();
        // Loop depth from back edges: each backward branch covers [target, branch].
        let mut delta = alloc::vec![0i32; n + 1];
        for (pc, i) in f.instrs.iter().enumerate() {
            if let Some(t) = i.target() {
                if t.index() <= pc {
                    delta[t.index()] += 1;
                    delta[pc + 1] -= 1;
                }
            }
        }
        let mut benefit = alloc::vec![0u64; slots];
        let mut penalty = alloc::vec![0u64; slots];
        let native_simd = self.simd_ctx.features.native;
        let mut cost = 0u64;
        let mut depth = 0i32;
        let mut weights = alloc::vec::Vec::with_capacity(n);
        for (pc, i) in f.instrs.iter().enumerate() {
            depth += delta[pc];
            let w = 1u64 << (3 * depth.clamp(0, 6) as u32);
            weights.push(w);
            let sync = matches!(i, Instr::Call { .. } | Instr::CallIndirect { .. })
                || !is_aware(i, self.popcnt);
            if sync && native_simd && is_simd(i) {
                // Only the pinned slots it names are saved and restored around it.
                for_each_slot(i, |s| {
                    for t in [usize::from(s.0), usize::from(s.0) + 1] {
                        if let Some(p) = penalty.get_mut(t) {
                            *p += 2 * w;
                        }
                    }
                });
            } else if sync {
                cost += 2 * w;
            } else {
                for_each_slot(i, |s| {
                    if let Some(b) = benefit.get_mut(usize::from(s.0)) {
                        *b += w;
                    }
                });
            }
        }
        self.choose_xmm_pins(&weights, cost);
        let mut candidates: alloc::vec::Vec<(u64, u16)> = benefit
            .iter()
            .enumerate()
            .filter(|&(s, &b)| b > cost + penalty[s] && self.xpin[s] == NO_PIN)
            .map(|(s, &b)| (b, s as u16))
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let regs = if self.no_memory {
            &PIN_REGS[..]
        } else if self.guarded {
            &PIN_REGS[..7]
        } else {
            &PIN_REGS[..6]
        };
        for (&(_, s), &r) in candidates.iter().zip(regs.iter()) {
            self.pin[usize::from(s)] = r;
            self.pinned.push((Slot(s), r));
        }
    }

    /// Where slot `s` lives now.
    pub(super) fn loc(&self, s: Slot) -> Loc {
        if self.regs_on {
            if let Some(&r) = self.pin.get(usize::from(s.0)) {
                if r != NO_PIN {
                    return Loc::Reg(r);
                }
            }
        }
        Loc::Mem(d(s))
    }

    /// Stores every pinned slot (`xmm` ones too) to the frame.
    pub(super) fn spill_all(&mut self) {
        for i in 0..self.pinned.len() {
            let (s, r) = self.pinned[i];
            x!(self.ops; mov [rbx + d(s)], Rq(r));
        }
        self.spill_xmm();
    }

    /// The pinned slots `i` may address, as masks over `pinned` and `xpinned`: each slot it
    /// names and the one after (a `v128` operand is two slots).
    pub(super) fn named_pins(&self, i: &Instr) -> (u32, u32) {
        let (mut g, mut xm) = (0u32, 0u32);
        for_each_slot(i, |s| {
            for t in [s.0, s.0.wrapping_add(1)] {
                if let Some(k) = self.pinned.iter().position(|&(p, _)| p.0 == t) {
                    g |= 1 << k;
                }
                if let Some(k) = self.xpinned.iter().position(|&(p, _)| p.0 == t) {
                    xm |= 1 << k;
                }
            }
        });
        (g, xm)
    }

    /// Stores the pinned slots in masks `g` (over `pinned`) and `xm` (over `xpinned`).
    pub(super) fn spill_masked(&mut self, g: u32, xm: u32) {
        for i in 0..self.pinned.len() {
            let (s, r) = self.pinned[i];
            if g & (1 << i) != 0 {
                x!(self.ops; mov [rbx + d(s)], Rq(r));
            }
        }
        for i in 0..self.xpinned.len() {
            let (s, r) = self.xpinned[i];
            if xm & (1 << i) != 0 {
                x!(self.ops; movsd [rbx + d(s)], Rx(r));
            }
        }
    }

    /// Loads the pinned slots in masks `g` and `xm` (as [`Self::spill_masked`]).
    pub(super) fn reload_masked(&mut self, g: u32, xm: u32) {
        for i in 0..self.pinned.len() {
            let (s, r) = self.pinned[i];
            if g & (1 << i) != 0 {
                x!(self.ops; mov Rq(r), [rbx + d(s)]);
            }
        }
        for i in 0..self.xpinned.len() {
            let (s, r) = self.xpinned[i];
            if xm & (1 << i) != 0 {
                x!(self.ops; movsd Rx(r), [rbx + d(s)]);
            }
        }
    }

    /// Loads every pinned slot (`xmm` ones too) from the frame.
    pub(super) fn reload_all(&mut self) {
        for i in 0..self.pinned.len() {
            let (s, r) = self.pinned[i];
            x!(self.ops; mov Rq(r), [rbx + d(s)]);
        }
        self.reload_xmm();
    }

    /// `r32 = low 32 bits of s` (upper half zeroed).
    pub(super) fn get32(&mut self, r: u8, s: Slot) {
        match self.loc(s) {
            Loc::Reg(p) => x!(self.ops; mov Rd(r), Rd(p)),
            Loc::Mem(o) => x!(self.ops; mov Rd(r), [rbx + o]),
        }
    }

    /// `r64 = s`.
    pub(super) fn get64(&mut self, r: u8, s: Slot) {
        match self.loc(s) {
            Loc::Reg(p) => {
                if p != r {
                    x!(self.ops; mov Rq(r), Rq(p));
                }
            }
            Loc::Mem(o) => x!(self.ops; mov Rq(r), [rbx + o]),
        }
    }

    /// The register to compute `dst` in: its own if pinned, else `scratch`.
    fn work(&self, dst: Slot, scratch: u8) -> u8 {
        match self.loc(dst) {
            Loc::Reg(p) => p,
            Loc::Mem(_) => scratch,
        }
    }

    /// Whether slot `s` is in a register now.
    fn is_reg(&self, s: Slot) -> bool {
        matches!(self.loc(s), Loc::Reg(_))
    }

    /// `r = s` as an operand of a 32-bit (`!wide`) or 64-bit operation: nothing when `s` is
    /// already in `r` (a 32-bit operation ignores and then zeroes the upper half).
    fn get_op(&mut self, r: u8, s: Slot, wide: bool) {
        if self.loc(s) == Loc::Reg(r) {
            return;
        }
        if wide {
            self.get64(r, s);
        } else {
            self.get32(r, s);
        }
    }

    /// `s = r64`.
    pub(super) fn put(&mut self, s: Slot, r: u8) {
        match self.loc(s) {
            Loc::Reg(p) => {
                if p != r {
                    x!(self.ops; mov Rq(p), Rq(r));
                }
            }
            Loc::Mem(o) => x!(self.ops; mov [rbx + o], Rq(r)),
        }
    }

    /// `xmm = s` as an `f64` (`wide`) or `f32`.
    fn getf(&mut self, x: u8, s: Slot, wide: bool) {
        match (self.loc(s), wide) {
            (Loc::Reg(p), true) => x!(self.ops; movq Rx(x), Rq(p)),
            (Loc::Reg(p), false) => x!(self.ops; movd Rx(x), Rd(p)),
            (Loc::Mem(o), true) => x!(self.ops; movsd Rx(x), [rbx + o]),
            (Loc::Mem(o), false) => x!(self.ops; movss Rx(x), [rbx + o]),
        }
    }

    /// `s = xmm0` as an `f64` (`wide`) or an `f32` zero-extended.
    fn putf(&mut self, s: Slot, wide: bool) {
        if wide {
            match self.loc(s) {
                Loc::Reg(p) => x!(self.ops; movq Rq(p), xmm0),
                Loc::Mem(o) => x!(self.ops; movsd [rbx + o], xmm0),
            }
        } else {
            x!(self.ops; movd eax, xmm0);
            self.put(s, RAX);
        }
    }

    fn jcc(&mut self, cc: Cc, l: DynamicLabel) {
        match cc {
            Cc::E => x!(self.ops; je =>l),
            Cc::Ne => x!(self.ops; jne =>l),
            Cc::L => x!(self.ops; jl =>l),
            Cc::B => x!(self.ops; jb =>l),
            Cc::G => x!(self.ops; jg =>l),
            Cc::A => x!(self.ops; ja =>l),
            Cc::Le => x!(self.ops; jle =>l),
            Cc::Be => x!(self.ops; jbe =>l),
            Cc::Ge => x!(self.ops; jge =>l),
            Cc::Ae => x!(self.ops; jae =>l),
        }
    }

    fn setcc(&mut self, cc: Cc, r: u8) {
        match cc {
            Cc::E => x!(self.ops; sete Rb(r)),
            Cc::Ne => x!(self.ops; setne Rb(r)),
            Cc::L => x!(self.ops; setl Rb(r)),
            Cc::B => x!(self.ops; setb Rb(r)),
            Cc::G => x!(self.ops; setg Rb(r)),
            Cc::A => x!(self.ops; seta Rb(r)),
            Cc::Le => x!(self.ops; setle Rb(r)),
            Cc::Be => x!(self.ops; setbe Rb(r)),
            Cc::Ge => x!(self.ops; setge Rb(r)),
            Cc::Ae => x!(self.ops; setae Rb(r)),
        }
    }

    /// Sets the flags for `lhs <cmp> rhs` (32 or 64 bits). Clobbers `rax` only.
    fn cmp_flags(&mut self, wide: bool, lhs: Slot, rhs: Rhs) {
        match (self.loc(lhs), rhs, wide) {
            (Loc::Reg(a), Rhs::Imm(v), false) => x!(self.ops; cmp Rd(a), v),
            (Loc::Reg(a), Rhs::Imm(v), true) => x!(self.ops; cmp Rq(a), v),
            (Loc::Mem(o), Rhs::Imm(v), false) => x!(self.ops; cmp DWORD [rbx + o], v),
            (Loc::Mem(o), Rhs::Imm(v), true) => x!(self.ops; cmp QWORD [rbx + o], v),
            (Loc::Mem(o), Rhs::Slot(r), true) if self.is_reg(r) => {
                let b = self.work(r, RAX);
                x!(self.ops; cmp QWORD [rbx + o], Rq(b));
            }
            (Loc::Mem(o), Rhs::Slot(r), false) if self.is_reg(r) => {
                let b = self.work(r, RAX);
                x!(self.ops; cmp DWORD [rbx + o], Rd(b));
            }
            (l, Rhs::Slot(r), _) => {
                let a = match l {
                    Loc::Reg(a) => a,
                    Loc::Mem(_) => {
                        self.get64(RAX, lhs);
                        RAX
                    }
                };
                match (self.loc(r), wide) {
                    (Loc::Reg(b), false) => x!(self.ops; cmp Rd(a), Rd(b)),
                    (Loc::Reg(b), true) => x!(self.ops; cmp Rq(a), Rq(b)),
                    (Loc::Mem(o), false) => x!(self.ops; cmp Rd(a), [rbx + o]),
                    (Loc::Mem(o), true) => x!(self.ops; cmp Rq(a), [rbx + o]),
                }
            }
        }
    }

    /// Emits `instr` (at `pc`; `next` is the instruction after it when no label separates
    /// them) with pinned slots in registers. Returns how many following instructions it
    /// consumed (0 or 1), or `None` if it does not handle `instr` (then nothing was emitted).
    pub(super) fn instr_reg(
        &mut self,
        pc: usize,
        instr: Instr,
        next: Option<Instr>,
    ) -> Option<usize> {
        use Instr as I;

        // Integer results are computed in the destination's own register when it is pinned
        // (`work`), else in `rax`, and then stored (`put` is a no-op for the register).
        macro_rules! alu {
            ($wide:expr, $op:ident, $commutes:expr, $dst:expr, $lhs:expr, $rhs:expr) => {{
                let (mut lhs, mut rhs) = ($lhs, $rhs);
                let mut t = self.work($dst, RAX);
                if t != RAX && self.loc(rhs) == Loc::Reg(t) && self.loc(lhs) != Loc::Reg(t) {
                    // The destination's register holds `rhs`: swap if the operation commutes.
                    if $commutes {
                        core::mem::swap(&mut lhs, &mut rhs);
                    } else {
                        t = RAX;
                    }
                }
                self.get_op(t, lhs, $wide);
                match (self.loc(rhs), $wide) {
                    (Loc::Reg(p), true) => x!(self.ops; $op Rq(t), Rq(p)),
                    (Loc::Mem(o), true) => x!(self.ops; $op Rq(t), [rbx + o]),
                    (Loc::Reg(p), false) => x!(self.ops; $op Rd(t), Rd(p)),
                    (Loc::Mem(o), false) => x!(self.ops; $op Rd(t), [rbx + o]),
                }
                self.put($dst, t);
            }};
        }
        macro_rules! alu_imm {
            ($wide:expr, $op:ident, $dst:expr, $lhs:expr, $imm:expr) => {{
                let t = self.work($dst, RAX);
                self.get_op(t, $lhs, $wide);
                if $wide {
                    x!(self.ops; $op Rq(t), $imm);
                } else {
                    x!(self.ops; $op Rd(t), $imm);
                }
                self.put($dst, t);
            }};
        }
        macro_rules! shift {
            ($wide:expr, $op:ident, $dst:expr, $lhs:expr, $rhs:expr) => {{
                self.get32(RCX, $rhs);
                let t = self.work($dst, RAX);
                self.get_op(t, $lhs, $wide);
                if $wide {
                    x!(self.ops; $op Rq(t), cl);
                } else {
                    x!(self.ops; $op Rd(t), cl);
                }
                self.put($dst, t);
            }};
        }
        macro_rules! shift_imm {
            ($wide:expr, $op:ident, $dst:expr, $lhs:expr, $imm:expr) => {{
                let t = self.work($dst, RAX);
                self.get_op(t, $lhs, $wide);
                if $wide {
                    x!(self.ops; $op Rq(t), ($imm & 63) as i8);
                } else {
                    x!(self.ops; $op Rd(t), ($imm & 31) as i8);
                }
                self.put($dst, t);
            }};
        }
        macro_rules! fbin {
            ($wide:expr, $op:ident, $dst:expr, $lhs:expr, $rhs:expr) => {{
                self.getf(0, $lhs, $wide);
                self.getf(1, $rhs, $wide);
                x!(self.ops; $op xmm0, xmm1);
                self.putf($dst, $wide);
            }};
        }
        // Float comparisons: `ucomis a, b` then `set` (NaN sets ZF, PF and CF).
        macro_rules! fcmp {
            ($wide:expr, $set:ident, $dst:expr, $a:expr, $b:expr) => {{
                self.getf(0, $a, $wide);
                self.getf(1, $b, $wide);
                x!(self.ops; xor ecx, ecx);
                if $wide {
                    x!(self.ops; ucomisd xmm0, xmm1);
                } else {
                    x!(self.ops; ucomiss xmm0, xmm1);
                }
                x!(self.ops; $set cl);
                self.put($dst, RCX);
            }};
        }
        // A float compare-and-branch: `ucomis* a, b` then `j<cc>` (the unordered result sets
        // ZF, PF and CF: `a`/`ae` are false on NaN, `be`/`b` true).
        macro_rules! fbr {
            ($wide:expr, $a:expr, $b:expr, $cc:ident, $t:expr) => {{
                self.getf(0, $a, $wide);
                self.getf(1, $b, $wide);
                if $wide {
                    x!(self.ops; ucomisd xmm0, xmm1);
                } else {
                    x!(self.ops; ucomiss xmm0, xmm1);
                }
                let l = self.target($t);
                self.jcc(Cc::$cc, l);
            }};
        }
        macro_rules! feq {
            ($wide:expr, $dst:expr, $a:expr, $b:expr, $ne:expr) => {{
                self.getf(0, $a, $wide);
                self.getf(1, $b, $wide);
                if $wide {
                    x!(self.ops; ucomisd xmm0, xmm1);
                } else {
                    x!(self.ops; ucomiss xmm0, xmm1);
                }
                if $ne {
                    x!(self.ops; setne al ; setp cl ; or al, cl);
                } else {
                    x!(self.ops; sete al ; setnp cl ; and al, cl);
                }
                x!(self.ops; movzx eax, al);
                self.put($dst, RAX);
            }};
        }
        macro_rules! load {
            ($size:expr, $dst:expr, $ptr:expr, $imm:expr, $mem:expr, $off:expr, |$a:ident, $t:ident| $($body:tt)*) => {{
                if $mem != 0 {
                    return None;
                }
                let $t = self.work($dst, RCX);
                let $a = self.address_reg($ptr, $imm, $off, $size);
                x!(self.ops ; $($body)*);
                self.put($dst, $t);
            }};
        }
        macro_rules! store {
            ($size:expr, $ptr:expr, $value:expr, $imm:expr, $mem:expr, $off:expr, |$a:ident, $v:ident| $($body:tt)*) => {{
                if $mem != 0 {
                    return None;
                }
                let $a = self.address_reg($ptr, $imm, $off, $size);
                let $v = match self.loc($value) {
                    Loc::Reg(p) => p,
                    Loc::Mem(_) => {
                        self.get64(RCX, $value);
                        RCX
                    }
                };
                x!(self.ops ; $($body)*);
            }};
        }
        macro_rules! store_imm {
            ($size:expr, $ptr:expr, $imm:expr, $mem:expr, $off:expr, |$a:ident| $($body:tt)*) => {{
                if $mem != 0 {
                    return None;
                }
                let $a = self.address_reg($ptr, $imm, $off, $size);
                x!(self.ops ; $($body)*);
            }};
        }
        // One xorshift step: `dst = lhs ^ (lhs <op> imm)`.
        macro_rules! xor_shift {
            ($wide:expr, $op:ident, $dst:expr, $lhs:expr, $imm:expr) => {{
                let t = self.work($dst, RAX);
                self.get_op(t, $lhs, $wide);
                if $wide {
                    x!(self.ops; mov rcx, Rq(t); $op rcx, ($imm & 63) as i8; xor Rq(t), rcx);
                } else {
                    x!(self.ops; mov ecx, Rd(t); $op ecx, ($imm & 31) as i8; xor Rd(t), ecx);
                }
                self.put($dst, t);
            }};
        }

        if let Some((dst, wide, lhs, rhs, cc)) = int_cmp(&instr) {
            // `<cmp> t; br_if_nez/eqz t` with `t` a temporary: the branch pops `t`, so nothing
            // reads it afterwards and the 0/1 value need not exist.
            let fused = match next {
                Some(I::BrIfNez { cond, target }) if cond == dst => Some((cc, target)),
                Some(I::BrIfEqz { cond, target }) if cond == dst => Some((cc.not(), target)),
                _ => None,
            };
            if let Some((cc, target)) = fused {
                if dst.0 >= self.func.local_slots {
                    self.cmp_flags(wide, lhs, rhs);
                    let l = self.target(target);
                    self.jcc(cc, l);
                    return Some(1);
                }
            }
            // Into the destination's register when it is pinned and not an operand (the
            // `xor` must come before the `cmp`).
            let mut t = self.work(dst, RCX);
            let operand = |s: Slot| self.loc(s) == Loc::Reg(t);
            if operand(lhs) || matches!(rhs, Rhs::Slot(r) if operand(r)) {
                t = RCX;
            }
            x!(self.ops; xor Rd(t), Rd(t));
            self.cmp_flags(wide, lhs, rhs);
            self.setcc(cc, t);
            self.put(dst, t);
            return Some(0);
        }
        if let Some((wide, lhs, rhs, cc, target)) = br_cmp(&instr) {
            self.cmp_flags(wide, lhs, rhs);
            let l = self.target(target);
            self.jcc(cc, l);
            return Some(0);
        }
        if let Some((kind, val, ptr, imm, memory, offset)) = mem_access(&instr) {
            use Mem as M;
            match kind {
                M::Ld32 => {
                    load!(4, val, ptr, imm, memory, offset, |a, t| mov Rd(t), [r14 + rax + a])
                }
                M::Ld64 => {
                    load!(8, val, ptr, imm, memory, offset, |a, t| mov Rq(t), [r14 + rax + a])
                }
                M::Ld8S32 => {
                    load!(1, val, ptr, imm, memory, offset, |a, t| movsx Rd(t), BYTE [r14 + rax + a])
                }
                M::Ld8U => {
                    load!(1, val, ptr, imm, memory, offset, |a, t| movzx Rd(t), BYTE [r14 + rax + a])
                }
                M::Ld16S32 => {
                    load!(2, val, ptr, imm, memory, offset, |a, t| movsx Rd(t), WORD [r14 + rax + a])
                }
                M::Ld16U => {
                    load!(2, val, ptr, imm, memory, offset, |a, t| movzx Rd(t), WORD [r14 + rax + a])
                }
                M::Ld8S64 => {
                    load!(1, val, ptr, imm, memory, offset, |a, t| movsx Rq(t), BYTE [r14 + rax + a])
                }
                M::Ld16S64 => {
                    load!(2, val, ptr, imm, memory, offset, |a, t| movsx Rq(t), WORD [r14 + rax + a])
                }
                M::Ld32S64 => {
                    load!(4, val, ptr, imm, memory, offset, |a, t| movsxd Rq(t), DWORD [r14 + rax + a])
                }
                M::St32 => store!(
                    4,
                    ptr,
                    val,
                    imm,
                    memory,
                    offset,
                    |a, v| mov[r14 + rax + a],
                    Rd(v)
                ),
                M::St64 => store!(
                    8,
                    ptr,
                    val,
                    imm,
                    memory,
                    offset,
                    |a, v| mov[r14 + rax + a],
                    Rq(v)
                ),
                M::St8 => store!(
                    1,
                    ptr,
                    val,
                    imm,
                    memory,
                    offset,
                    |a, v| mov[r14 + rax + a],
                    Rb(v)
                ),
                M::St16 => store!(
                    2,
                    ptr,
                    val,
                    imm,
                    memory,
                    offset,
                    |a, v| mov[r14 + rax + a],
                    Rw(v)
                ),
                M::StImm32(v) => {
                    store_imm!(4, ptr, imm, memory, offset, |a| mov DWORD [r14 + rax + a], v)
                }
                M::StImm64(v) => {
                    store_imm!(8, ptr, imm, memory, offset, |a| mov QWORD [r14 + rax + a], v)
                }
                M::StImm8(v) => {
                    store_imm!(1, ptr, imm, memory, offset, |a| mov BYTE [r14 + rax + a], v as i8)
                }
                M::StImm16(v) => {
                    store_imm!(2, ptr, imm, memory, offset, |a| mov WORD [r14 + rax + a], v as i16)
                }
            }
            return Some(0);
        }

        match instr {
            // ---- control ----
            I::Unreachable {} => {
                let l = self.trap(TrapCode::Unreachable);
                x!(self.ops; jmp =>l);
            }
            I::ConsumeFuel { amount } if amount <= i32::MAX as u32 => {
                let l = self.trap(TrapCode::OutOfFuel);
                x!(self.ops
                    ; mov rax, [r12 + CTX_FUEL]
                    ; mov rcx, [rax]
                    ; sub rcx, amount as i32
                    ; jb =>l
                    ; mov [rax], rcx
                );
            }
            I::CheckInterrupt {} => {
                let skip = self.ops.new_dynamic_label();
                x!(self.ops
                    ; mov rax, [r12 + CTX_INTERRUPT]
                    ; cmp BYTE [rax], 0
                    ; je =>skip
                );
                self.spill_all();
                self.slow(pc);
                self.reload_all();
                x!(self.ops; =>skip);
            }
            I::Br { target } => {
                let l = self.target(target);
                x!(self.ops; jmp =>l);
            }
            I::BrIfNez { cond, target } | I::BrIfEqz { cond, target } => {
                let l = self.target(target);
                match self.loc(cond) {
                    Loc::Reg(p) => x!(self.ops; test Rd(p), Rd(p)),
                    Loc::Mem(o) => x!(self.ops; cmp DWORD [rbx + o], 0),
                }
                let cc = if matches!(instr, I::BrIfNez { .. }) {
                    Cc::Ne
                } else {
                    Cc::E
                };
                self.jcc(cc, l);
            }
            I::BrI32AndImmEqz { lhs, imm, target } => {
                let l = self.target(target);
                match self.loc(lhs) {
                    Loc::Reg(p) => x!(self.ops; test Rd(p), imm),
                    Loc::Mem(o) => x!(self.ops; test DWORD [rbx + o], imm),
                }
                self.jcc(Cc::E, l);
            }
            I::BrI32AndImmNez { lhs, imm, target } => {
                let l = self.target(target);
                match self.loc(lhs) {
                    Loc::Reg(p) => x!(self.ops; test Rd(p), imm),
                    Loc::Mem(o) => x!(self.ops; test DWORD [rbx + o], imm),
                }
                self.jcc(Cc::Ne, l);
            }
            I::BrI64AndImmEqz { lhs, imm, target } => {
                let l = self.target(target);
                match self.loc(lhs) {
                    Loc::Reg(p) => x!(self.ops; test Rq(p), imm),
                    Loc::Mem(o) => x!(self.ops; test QWORD [rbx + o], imm),
                }
                self.jcc(Cc::E, l);
            }
            I::BrI64AndImmNez { lhs, imm, target } => {
                let l = self.target(target);
                match self.loc(lhs) {
                    Loc::Reg(p) => x!(self.ops; test Rq(p), imm),
                    Loc::Mem(o) => x!(self.ops; test QWORD [rbx + o], imm),
                }
                self.jcc(Cc::Ne, l);
            }
            I::BrF32Lt { lhs, rhs, target } => fbr!(false, rhs, lhs, A, target),
            I::BrF32NotLt { lhs, rhs, target } => fbr!(false, rhs, lhs, Be, target),
            I::BrF32Le { lhs, rhs, target } => fbr!(false, rhs, lhs, Ae, target),
            I::BrF32NotLe { lhs, rhs, target } => fbr!(false, rhs, lhs, B, target),
            I::BrF32Gt { lhs, rhs, target } => fbr!(false, lhs, rhs, A, target),
            I::BrF32NotGt { lhs, rhs, target } => fbr!(false, lhs, rhs, Be, target),
            I::BrF32Ge { lhs, rhs, target } => fbr!(false, lhs, rhs, Ae, target),
            I::BrF32NotGe { lhs, rhs, target } => fbr!(false, lhs, rhs, B, target),
            I::BrF64Lt { lhs, rhs, target } => fbr!(true, rhs, lhs, A, target),
            I::BrF64NotLt { lhs, rhs, target } => fbr!(true, rhs, lhs, Be, target),
            I::BrF64Le { lhs, rhs, target } => fbr!(true, rhs, lhs, Ae, target),
            I::BrF64NotLe { lhs, rhs, target } => fbr!(true, rhs, lhs, B, target),
            I::BrF64Gt { lhs, rhs, target } => fbr!(true, lhs, rhs, A, target),
            I::BrF64NotGt { lhs, rhs, target } => fbr!(true, lhs, rhs, Be, target),
            I::BrF64Ge { lhs, rhs, target } => fbr!(true, lhs, rhs, Ae, target),
            I::BrF64NotGe { lhs, rhs, target } => fbr!(true, lhs, rhs, B, target),
            I::BrTable { index, len } => {
                // Each following `br` is one 5-byte `jmp rel32`: jump into that table.
                let table = self.targets[pc + 1].expect("label after br_table");
                self.get32(RAX, index);
                x!(self.ops
                    ; mov ecx, len as i32
                    ; cmp eax, ecx
                    ; cmova eax, ecx
                    ; lea rcx, [=>table]
                    ; lea rax, [rax + rax * 4]
                    ; add rax, rcx
                    ; jmp rax
                );
            }
            I::Return {} => {
                for i in 0..self.pinned.len() {
                    let (s, r) = self.pinned[i];
                    if s.0 < self.func.result_slots {
                        x!(self.ops; mov [rbx + d(s)], Rq(r));
                    }
                }
                self.store_xmm_results();
                x!(self.ops
                    ; mov rsp, rbp
                    ; pop rbp
                    ; ret
                );
            }

            // ---- values ----
            I::Copy { dst, src } => {
                if dst != src {
                    let t = match self.loc(src) {
                        Loc::Reg(p) => p,
                        Loc::Mem(_) => self.work(dst, RAX),
                    };
                    self.get64(t, src);
                    self.put(dst, t);
                }
            }
            I::ConstI32 { dst, value } => self.const_reg(dst, u64::from(value as u32)),
            I::ConstI64 { dst, value } => self.const_reg(dst, value as u64),
            I::ConstF32 { dst, bits } => self.const_reg(dst, u64::from(bits)),
            I::ConstF64 { dst, bits } => self.const_reg(dst, bits),
            I::RefNull { dst } => self.const_reg(dst, 0),
            I::Select {
                dst,
                cond,
                if_true,
                if_false,
            } => {
                self.get64(RAX, if_true);
                self.get64(RCX, if_false);
                match self.loc(cond) {
                    Loc::Reg(p) => x!(self.ops; test Rd(p), Rd(p)),
                    Loc::Mem(o) => x!(self.ops; cmp DWORD [rbx + o], 0),
                }
                x!(self.ops; cmove rax, rcx);
                self.put(dst, RAX);
            }
            I::GlobalGet { dst, global } => {
                x!(self.ops
                    ; mov rax, [r13 + INST_GLOBALS]
                    ; mov rax, [rax + 8 * global as i32]
                    ; mov rax, [rax]
                );
                self.put(dst, RAX);
            }
            I::GlobalSet { src, global } => {
                self.get64(RCX, src);
                x!(self.ops
                    ; mov rax, [r13 + INST_GLOBALS]
                    ; mov rax, [rax + 8 * global as i32]
                    ; mov [rax], rcx
                );
            }
            I::RefFunc { dst, func } => {
                let e = FUNC_SIZE * func as i32;
                x!(self.ops
                    ; mov rax, [r13 + INST_FUNCS]
                    ; mov eax, [rax + e + FUNC_ADDR]
                    ; inc eax
                );
                self.put(dst, RAX);
            }

            // ---- integer ----
            I::I32Clz { dst, src } => {
                self.get32(RDX, src);
                x!(self.ops
                    ; mov ecx, 63
                    ; bsr eax, edx
                    ; cmovz eax, ecx
                    ; xor eax, 31
                );
                self.put(dst, RAX);
            }
            I::I32Ctz { dst, src } => {
                self.get32(RDX, src);
                x!(self.ops
                    ; mov ecx, 32
                    ; bsf eax, edx
                    ; cmovz eax, ecx
                );
                self.put(dst, RAX);
            }
            I::I64Clz { dst, src } => {
                self.get64(RDX, src);
                x!(self.ops
                    ; mov ecx, 127
                    ; bsr rax, rdx
                    ; cmovz eax, ecx
                    ; xor eax, 63
                );
                self.put(dst, RAX);
            }
            I::I64Ctz { dst, src } => {
                self.get64(RDX, src);
                x!(self.ops
                    ; mov ecx, 64
                    ; bsf rax, rdx
                    ; cmovz eax, ecx
                );
                self.put(dst, RAX);
            }
            I::I32Popcnt { dst, src } if self.popcnt => {
                self.get32(RCX, src);
                x!(self.ops; popcnt eax, ecx);
                self.put(dst, RAX);
            }
            I::I64Popcnt { dst, src } if self.popcnt => {
                self.get64(RCX, src);
                x!(self.ops; popcnt rax, rcx);
                self.put(dst, RAX);
            }
            I::I32Add { dst, lhs, rhs } => alu!(false, add, true, dst, lhs, rhs),
            I::I32Sub { dst, lhs, rhs } => alu!(false, sub, false, dst, lhs, rhs),
            I::I32Mul { dst, lhs, rhs } => alu!(false, imul, true, dst, lhs, rhs),
            I::I32And { dst, lhs, rhs } => alu!(false, and, true, dst, lhs, rhs),
            I::I32Or { dst, lhs, rhs } => alu!(false, or, true, dst, lhs, rhs),
            I::I32Xor { dst, lhs, rhs } => alu!(false, xor, true, dst, lhs, rhs),
            I::I64Add { dst, lhs, rhs } => alu!(true, add, true, dst, lhs, rhs),
            I::I64Sub { dst, lhs, rhs } => alu!(true, sub, false, dst, lhs, rhs),
            I::I64Mul { dst, lhs, rhs } => alu!(true, imul, true, dst, lhs, rhs),
            I::I64And { dst, lhs, rhs } => alu!(true, and, true, dst, lhs, rhs),
            I::I64Or { dst, lhs, rhs } => alu!(true, or, true, dst, lhs, rhs),
            I::I64Xor { dst, lhs, rhs } => alu!(true, xor, true, dst, lhs, rhs),
            I::I32DivS { dst, lhs, rhs } => self.div32(dst, lhs, rhs, true, false),
            I::I32DivU { dst, lhs, rhs } => self.div32(dst, lhs, rhs, false, false),
            I::I32RemS { dst, lhs, rhs } => self.div32(dst, lhs, rhs, true, true),
            I::I32RemU { dst, lhs, rhs } => self.div32(dst, lhs, rhs, false, true),
            I::I64DivS { dst, lhs, rhs } => self.div64(dst, lhs, rhs, true, false),
            I::I64DivU { dst, lhs, rhs } => self.div64(dst, lhs, rhs, false, false),
            I::I64RemS { dst, lhs, rhs } => self.div64(dst, lhs, rhs, true, true),
            I::I64RemU { dst, lhs, rhs } => self.div64(dst, lhs, rhs, false, true),
            I::I32Shl { dst, lhs, rhs } => shift!(false, shl, dst, lhs, rhs),
            I::I32ShrS { dst, lhs, rhs } => shift!(false, sar, dst, lhs, rhs),
            I::I32ShrU { dst, lhs, rhs } => shift!(false, shr, dst, lhs, rhs),
            I::I32Rotl { dst, lhs, rhs } => shift!(false, rol, dst, lhs, rhs),
            I::I32Rotr { dst, lhs, rhs } => shift!(false, ror, dst, lhs, rhs),
            I::I64Shl { dst, lhs, rhs } => shift!(true, shl, dst, lhs, rhs),
            I::I64ShrS { dst, lhs, rhs } => shift!(true, sar, dst, lhs, rhs),
            I::I64ShrU { dst, lhs, rhs } => shift!(true, shr, dst, lhs, rhs),
            I::I64Rotl { dst, lhs, rhs } => shift!(true, rol, dst, lhs, rhs),
            I::I64Rotr { dst, lhs, rhs } => shift!(true, ror, dst, lhs, rhs),
            I::I32AddImm { dst, lhs, imm } => alu_imm!(false, add, dst, lhs, imm),
            I::I32AndImm { dst, lhs, imm } => alu_imm!(false, and, dst, lhs, imm),
            I::I32OrImm { dst, lhs, imm } => alu_imm!(false, or, dst, lhs, imm),
            I::I32XorImm { dst, lhs, imm } => alu_imm!(false, xor, dst, lhs, imm),
            I::I64AddImm { dst, lhs, imm } => alu_imm!(true, add, dst, lhs, imm),
            I::I64AndImm { dst, lhs, imm } => alu_imm!(true, and, dst, lhs, imm),
            I::I64OrImm { dst, lhs, imm } => alu_imm!(true, or, dst, lhs, imm),
            I::I64XorImm { dst, lhs, imm } => alu_imm!(true, xor, dst, lhs, imm),
            I::I32MulImm { dst, lhs, imm } => {
                let t = self.work(dst, RAX);
                match self.loc(lhs) {
                    Loc::Reg(p) => x!(self.ops; imul Rd(t), Rd(p), imm),
                    Loc::Mem(o) => x!(self.ops; imul Rd(t), [rbx + o], imm),
                }
                self.put(dst, t);
            }
            I::I64MulImm { dst, lhs, imm } => {
                let t = self.work(dst, RAX);
                match self.loc(lhs) {
                    Loc::Reg(p) => x!(self.ops; imul Rq(t), Rq(p), imm),
                    Loc::Mem(o) => x!(self.ops; imul Rq(t), [rbx + o], imm),
                }
                self.put(dst, t);
            }
            I::I32XorShlImm { dst, lhs, imm } => xor_shift!(false, shl, dst, lhs, imm),
            I::I32XorShrUImm { dst, lhs, imm } => xor_shift!(false, shr, dst, lhs, imm),
            I::I64XorShlImm { dst, lhs, imm } => xor_shift!(true, shl, dst, lhs, imm),
            I::I64XorShrUImm { dst, lhs, imm } => xor_shift!(true, shr, dst, lhs, imm),
            I::I32ShlImm { dst, lhs, imm } => shift_imm!(false, shl, dst, lhs, imm),
            I::I32ShrSImm { dst, lhs, imm } => shift_imm!(false, sar, dst, lhs, imm),
            I::I32ShrUImm { dst, lhs, imm } => shift_imm!(false, shr, dst, lhs, imm),
            I::I32RotlImm { dst, lhs, imm } => shift_imm!(false, rol, dst, lhs, imm),
            I::I32RotrImm { dst, lhs, imm } => shift_imm!(false, ror, dst, lhs, imm),
            I::I64ShlImm { dst, lhs, imm } => shift_imm!(true, shl, dst, lhs, imm),
            I::I64ShrSImm { dst, lhs, imm } => shift_imm!(true, sar, dst, lhs, imm),
            I::I64ShrUImm { dst, lhs, imm } => shift_imm!(true, shr, dst, lhs, imm),
            I::I64RotlImm { dst, lhs, imm } => shift_imm!(true, rol, dst, lhs, imm),
            I::I64RotrImm { dst, lhs, imm } => shift_imm!(true, ror, dst, lhs, imm),

            // ---- conversions and bit tricks ----
            I::I32WrapI64 { dst, src } | I::I64ExtendI32U { dst, src } => {
                let t = self.work(dst, RAX);
                self.get32(t, src);
                self.put(dst, t);
            }
            I::I64ExtendI32S { dst, src } | I::I64Extend32S { dst, src } => {
                let t = self.work(dst, RAX);
                match self.loc(src) {
                    Loc::Reg(p) => x!(self.ops; movsxd Rq(t), Rd(p)),
                    Loc::Mem(o) => x!(self.ops; movsxd Rq(t), DWORD [rbx + o]),
                }
                self.put(dst, t);
            }
            I::I32Extend8S { dst, src } => {
                self.get32(RAX, src);
                x!(self.ops; movsx eax, al);
                self.put(dst, RAX);
            }
            I::I32Extend16S { dst, src } => {
                self.get32(RAX, src);
                x!(self.ops; movsx eax, ax);
                self.put(dst, RAX);
            }
            I::I64Extend8S { dst, src } => {
                self.get32(RAX, src);
                x!(self.ops; movsx rax, al);
                self.put(dst, RAX);
            }
            I::I64Extend16S { dst, src } => {
                self.get32(RAX, src);
                x!(self.ops; movsx rax, ax);
                self.put(dst, RAX);
            }
            I::F32Abs { dst, src } => {
                self.get32(RAX, src);
                x!(self.ops; and eax, 0x7fff_ffff);
                self.put(dst, RAX);
            }
            I::F32Neg { dst, src } => {
                self.get32(RAX, src);
                x!(self.ops; xor eax, 0x8000_0000_u32 as i32);
                self.put(dst, RAX);
            }
            I::F32Copysign { dst, lhs, rhs } => {
                self.get32(RAX, lhs);
                self.get32(RCX, rhs);
                x!(self.ops
                    ; and eax, 0x7fff_ffff
                    ; and ecx, 0x8000_0000_u32 as i32
                    ; or eax, ecx
                );
                self.put(dst, RAX);
            }
            I::F64Abs { dst, src } => {
                self.get64(RAX, src);
                x!(self.ops; btr rax, 63);
                self.put(dst, RAX);
            }
            I::F64Neg { dst, src } => {
                self.get64(RAX, src);
                x!(self.ops; btc rax, 63);
                self.put(dst, RAX);
            }
            I::F64Copysign { dst, lhs, rhs } => {
                self.get64(RAX, lhs);
                self.get64(RCX, rhs);
                x!(self.ops
                    ; btr rax, 63
                    ; shr rcx, 63
                    ; shl rcx, 63
                    ; or rax, rcx
                );
                self.put(dst, RAX);
            }

            // ---- floats ----
            I::F32Add { dst, lhs, rhs } => fbin!(false, addss, dst, lhs, rhs),
            I::F32Sub { dst, lhs, rhs } => fbin!(false, subss, dst, lhs, rhs),
            I::F32Mul { dst, lhs, rhs } => fbin!(false, mulss, dst, lhs, rhs),
            I::F32Div { dst, lhs, rhs } => fbin!(false, divss, dst, lhs, rhs),
            I::F64Add { dst, lhs, rhs } => fbin!(true, addsd, dst, lhs, rhs),
            I::F64Sub { dst, lhs, rhs } => fbin!(true, subsd, dst, lhs, rhs),
            I::F64Mul { dst, lhs, rhs } => fbin!(true, mulsd, dst, lhs, rhs),
            I::F64Div { dst, lhs, rhs } => fbin!(true, divsd, dst, lhs, rhs),
            I::F32Sqrt { dst, src } => {
                self.getf(0, src, false);
                x!(self.ops; sqrtss xmm0, xmm0);
                self.putf(dst, false);
            }
            I::F64Sqrt { dst, src } => {
                self.getf(0, src, true);
                x!(self.ops; sqrtsd xmm0, xmm0);
                self.putf(dst, true);
            }
            I::F32Eq { dst, lhs, rhs } => feq!(false, dst, lhs, rhs, false),
            I::F32Ne { dst, lhs, rhs } => feq!(false, dst, lhs, rhs, true),
            I::F64Eq { dst, lhs, rhs } => feq!(true, dst, lhs, rhs, false),
            I::F64Ne { dst, lhs, rhs } => feq!(true, dst, lhs, rhs, true),
            I::F32Lt { dst, lhs, rhs } => fcmp!(false, seta, dst, rhs, lhs),
            I::F32Gt { dst, lhs, rhs } => fcmp!(false, seta, dst, lhs, rhs),
            I::F32Le { dst, lhs, rhs } => fcmp!(false, setae, dst, rhs, lhs),
            I::F32Ge { dst, lhs, rhs } => fcmp!(false, setae, dst, lhs, rhs),
            I::F64Lt { dst, lhs, rhs } => fcmp!(true, seta, dst, rhs, lhs),
            I::F64Gt { dst, lhs, rhs } => fcmp!(true, seta, dst, lhs, rhs),
            I::F64Le { dst, lhs, rhs } => fcmp!(true, setae, dst, rhs, lhs),
            I::F64Ge { dst, lhs, rhs } => fcmp!(true, setae, dst, lhs, rhs),
            I::F32ConvertI32S { dst, src } => {
                self.get32(RAX, src);
                x!(self.ops; cvtsi2ss xmm0, eax);
                self.putf(dst, false);
            }
            I::F32ConvertI32U { dst, src } => {
                self.get32(RAX, src);
                x!(self.ops; cvtsi2ss xmm0, rax);
                self.putf(dst, false);
            }
            I::F32ConvertI64S { dst, src } => {
                self.get64(RAX, src);
                x!(self.ops; cvtsi2ss xmm0, rax);
                self.putf(dst, false);
            }
            I::F64ConvertI32S { dst, src } => {
                self.get32(RAX, src);
                x!(self.ops; cvtsi2sd xmm0, eax);
                self.putf(dst, true);
            }
            I::F64ConvertI32U { dst, src } => {
                self.get32(RAX, src);
                x!(self.ops; cvtsi2sd xmm0, rax);
                self.putf(dst, true);
            }
            I::F64ConvertI64S { dst, src } => {
                self.get64(RAX, src);
                x!(self.ops; cvtsi2sd xmm0, rax);
                self.putf(dst, true);
            }
            I::F32DemoteF64 { dst, src } => {
                self.getf(0, src, true);
                x!(self.ops; cvtsd2ss xmm0, xmm0);
                self.putf(dst, false);
            }
            I::F64PromoteF32 { dst, src } => {
                self.getf(0, src, false);
                x!(self.ops; cvtss2sd xmm0, xmm0);
                self.putf(dst, true);
            }
            _ => return None,
        }
        Some(0)
    }

    /// Leaves `rax` = `u32(ptr + imm)` checked for a memory-0 access of `size` bytes at
    /// `offset` (see `address_check`) and returns the displacement to use from `r14 + rax`.
    pub(super) fn address_reg(&mut self, ptr: Slot, imm: i32, offset: u32, size: u32) -> i32 {
        match (self.loc(ptr), imm) {
            (Loc::Reg(p), 0) => x!(self.ops; mov eax, Rd(p)),
            // A 32-bit `lea` wraps and zero-extends, like `i32.add`.
            (Loc::Reg(p), _) => x!(self.ops; lea eax, [Rq(p) + imm]),
            (Loc::Mem(o), 0) => x!(self.ops; mov eax, [rbx + o]),
            (Loc::Mem(o), _) => x!(self.ops; mov eax, [rbx + o]; add eax, imm),
        }
        self.address_check(offset, size)
    }

    /// `dst = v` for a pinned or in-frame slot.
    fn const_reg(&mut self, dst: Slot, v: u64) {
        match self.loc(dst) {
            Loc::Mem(_) => self.const64(dst, v),
            Loc::Reg(p) => {
                if v == 0 {
                    x!(self.ops; xor Rd(p), Rd(p));
                } else if v <= u64::from(u32::MAX) {
                    x!(self.ops; mov Rd(p), v as u32 as i32);
                } else if (v as i64) >= i64::from(i32::MIN) && (v as i64) < 0 {
                    x!(self.ops; mov Rq(p), v as i64 as i32);
                } else {
                    x!(self.ops; mov Rq(p), QWORD v as i64);
                }
            }
        }
    }
}
