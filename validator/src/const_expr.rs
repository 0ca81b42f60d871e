//! Constant expressions (global initialisers, segment offsets, element items, table
//! initialisers): only constant operators, and the result must have the expected type.

use alloc::vec::Vec;

use strata_decoder::{ConstExpr, Features, HeapType, Operator, RefType, ValType};

use crate::error::{bail, Error};
use crate::resources::ModuleTypes;

/// Checks `expr` produces exactly one value of type `expected`. Only the first `visible_globals`
/// globals may be read. Every `ref.func` index is recorded in `m.declared_funcs` (`C.refs`).
pub(crate) fn check_const_expr(
    m: &mut ModuleTypes,
    expr: &ConstExpr<'_>,
    expected: ValType,
    visible_globals: u32,
) -> Result<(), Error> {
    use Operator as O;
    let extended = m.features.contains(Features::EXTENDED_CONST);
    let mut stack: Vec<ValType> = Vec::new();
    let mut reader = expr.operators();
    loop {
        let (op, offset) = reader.read_with_offset()?;
        let binop = |stack: &mut Vec<ValType>, t: ValType| -> Result<(), Error> {
            let b = stack.pop();
            let a = stack.pop();
            if a != Some(t) || b != Some(t) {
                bail!(offset, "type mismatch: expected {t} operands");
            }
            stack.push(t);
            Ok(())
        };
        match op {
            O::End {} => break,
            O::I32Const { .. } => stack.push(ValType::I32),
            O::I64Const { .. } => stack.push(ValType::I64),
            O::F32Const { .. } => stack.push(ValType::F32),
            O::F64Const { .. } => stack.push(ValType::F64),
            O::V128Const { .. } => stack.push(ValType::V128),
            O::RefNull { heap } => {
                m.check_heap(heap, offset)?;
                stack.push(ValType::Ref(RefType {
                    nullable: true,
                    heap,
                }));
            }
            O::RefFunc { func } => {
                let Some(type_index) = m.func_type_index(func) else {
                    bail!(offset, "unknown function {func}");
                };
                m.declared_funcs[func as usize] = true;
                stack.push(if m.features.contains(Features::FUNCTION_REFERENCES) {
                    ValType::Ref(RefType {
                        nullable: false,
                        heap: HeapType::Concrete(type_index),
                    })
                } else {
                    ValType::FUNCREF
                });
            }
            O::GlobalGet { global } => {
                let g = match m.global(global) {
                    Some(g) if global < visible_globals => *g,
                    _ => bail!(offset, "unknown global {global}"),
                };
                if g.mutable {
                    bail!(offset, "constant expression required");
                }
                stack.push(g.content);
            }
            O::I32Add {} | O::I32Sub {} | O::I32Mul {} if extended => {
                binop(&mut stack, ValType::I32)?
            }
            O::I64Add {} | O::I64Sub {} | O::I64Mul {} if extended => {
                binop(&mut stack, ValType::I64)?
            }
            _ => bail!(offset, "constant expression required"),
        }
    }
    let end = reader.offset();
    match stack.as_slice() {
        [t] if m.matches(*t, expected) => Ok(()),
        [t] => bail!(end, "type mismatch: expected {expected}, found {t}"),
        [] => bail!(
            end,
            "type mismatch: expected {expected} but nothing on stack"
        ),
        _ => bail!(end, "type mismatch: values remaining on stack"),
    }
}
