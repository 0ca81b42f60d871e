//! The fuel cost of each WebAssembly operator: the one table every engine's metering uses.
//!
//! The translator sums these costs per basic block into one `ConsumeFuel` instruction at the
//! block's start, so every engine running the same IR stops at the same place with the same
//! fuel left.

use strata_decoder::Operator;

/// The fuel an operator costs: 0 for operators that do no work at run time (structure, `nop`,
/// `drop`, local accesses, constants), 1 for everything else.
pub fn fuel_cost(op: &Operator<'_>) -> u32 {
    use Operator as O;
    match op {
        O::Nop {}
        | O::Drop {}
        | O::Block { .. }
        | O::Loop { .. }
        | O::Else {}
        | O::End {}
        | O::LocalGet { .. }
        | O::LocalSet { .. }
        | O::LocalTee { .. }
        | O::I32Const { .. }
        | O::I64Const { .. }
        | O::F32Const { .. }
        | O::F64Const { .. }
        | O::V128Const { .. } => 0,
        _ => 1,
    }
}
