//! A translated function: its instructions, constant pool and frame layout.

use alloc::boxed::Box;
use core::fmt;

use strata_decoder::ValType;

use crate::instr::Instr;

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
