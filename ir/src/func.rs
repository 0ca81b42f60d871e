//! A translated function: its instructions, constant pool and frame layout.

use alloc::boxed::Box;
use core::fmt;

use strata_decoder::ValType;

use crate::instr::{Instr, Slot, Target};

/// A function translated to IR, ready for any backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IrFunc {
    /// The function's index in the module's function index space.
    pub func_index: u32,
    /// Instructions; branch targets index into this.
    pub instrs: Box<[Instr]>,
    /// `v128` constants, referenced by `ConstV128 { index }`.
    pub v128_consts: Box<[u128]>,
    /// Slots taken by parameters (a `v128` parameter takes two).
    pub param_slots: u16,
    /// Slots taken by results when the function returns (they are written to slots `0..`).
    pub result_slots: u16,
    /// Slots taken by parameters and declared locals; slots `param_slots..local_slots` are
    /// zeroed on entry.
    pub local_slots: u16,
    /// The frame size in slots: parameters, locals and the deepest temporaries.
    pub frame_slots: u16,
    /// The type of every local (parameters first), for backends that need them.
    pub local_types: Box<[ValType]>,
    /// The `try_table`s' handlers, innermost first (a nested region comes before the regions
    /// around it), so the first one covering an instruction is the one that catches there.
    pub handlers: Box<[Handler]>,
}

/// The catch clauses of one `try_table`, which cover the instructions `start..end`: an
/// exception thrown by one of them (a `throw`, `throw_ref` or a call that ends in an uncaught
/// exception) is matched against `catches` in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handler {
    /// The first covered instruction.
    pub start: u32,
    /// One past the last covered instruction.
    pub end: u32,
    /// The clauses, in the order the `try_table` lists them.
    pub catches: Box<[CatchClause]>,
}

/// One catch clause: which exceptions it takes and where their values go.
///
/// A backend that catches writes the exception's payload (for a tag clause) and then, for a
/// `_ref` clause, the `exnref` to the slots `dst..dst + slots`, and continues at `target`
/// (which moves them on to the clause's label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatchClause {
    /// The tag index this clause catches, or `None` for `catch_all`/`catch_all_ref`.
    pub tag: Option<u32>,
    /// Whether the `exnref` follows the payload (`catch_ref`, `catch_all_ref`).
    pub with_ref: bool,
    /// The first slot the values go to.
    pub dst: Slot,
    /// How many slots the values take (the payload's, plus one for the `exnref`).
    pub slots: u16,
    /// The instruction to continue at.
    pub target: Target,
}

impl IrFunc {
    /// The handler clauses that apply to an exception raised at instruction `pc`, innermost
    /// `try_table` first.
    pub fn catches_at(&self, pc: usize) -> impl Iterator<Item = &CatchClause> {
        let pc = pc as u64;
        self.handlers
            .iter()
            .filter(move |h| u64::from(h.start) <= pc && pc < u64::from(h.end))
            .flat_map(|h| h.catches.iter())
    }
}

impl fmt::Display for IrFunc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "func {} (params {} slots, results {} slots, locals {} slots, frame {} slots)",
            self.func_index,
            self.param_slots,
            self.result_slots,
            self.local_slots,
            self.frame_slots
        )?;
        for (i, c) in self.v128_consts.iter().enumerate() {
            writeln!(f, "  const v{i} = {c:#034x}")?;
        }
        for (i, instr) in self.instrs.iter().enumerate() {
            writeln!(f, "  {i:4}: {instr}")?;
        }
        for h in self.handlers.iter() {
            write!(f, "  try @{}..@{}:", h.start, h.end)?;
            for c in h.catches.iter() {
                let kind = if c.with_ref { "catch_ref" } else { "catch" };
                match c.tag {
                    Some(t) => write!(f, " {kind} tag={t}")?,
                    None => write!(f, " {kind} all")?,
                }
                write!(f, " -> {}x{} {}", c.dst, c.slots, c.target)?;
                f.write_str(";")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// How many slots a value of type `ty` occupies.
#[inline]
pub fn slots_of(ty: ValType) -> u16 {
    match ty {
        ValType::V128 => 2,
        _ => 1,
    }
}
