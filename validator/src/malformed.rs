//! Finds decoding errors in the parts of a module the decoder leaves to be read lazily
//! (function bodies and constant expressions), so that a malformed binary is reported as such
//! even when a validation rule fails first.

use strata_decoder::{
    DataKind, DecodeError, ElementItems, ElementKind, Module, Operator, OperatorsReader,
};

/// The first decoding error in any constant expression or function body of `module`.
pub(crate) fn first_decode_error(module: &Module<'_>) -> Option<DecodeError> {
    scan_all(module).err()
}

fn scan_all(module: &Module<'_>) -> Result<(), DecodeError> {
    for g in &module.globals {
        scan(g.init.operators())?;
    }
    for t in &module.tables {
        if let Some(init) = &t.init {
            scan(init.operators())?;
        }
    }
    for e in &module.elements {
        if let ElementKind::Active { offset_expr, .. } = &e.kind {
            scan(offset_expr.operators())?;
        }
        if let ElementItems::Expressions(_, items) = &e.items {
            for item in items.iter() {
                scan(item.operators())?;
            }
        }
    }
    for d in &module.data {
        if let DataKind::Active { offset_expr, .. } = &d.kind {
            scan(offset_expr.operators())?;
        }
    }
    for body in &module.code {
        scan(body.operators())?;
    }
    Ok(())
}

/// Reads every operator to the end of the input, which must close every block it opened
/// (a body or expression that ends early is reported as the binary format's
/// "unexpected end of section or function").
fn scan(mut ops: OperatorsReader<'_>) -> Result<(), DecodeError> {
    let mut depth = 1usize;
    while depth > 0 {
        // Past the end this reports `UnexpectedEndOfSection`.
        match ops.read()? {
            Operator::Block { .. }
            | Operator::Loop { .. }
            | Operator::If { .. }
            | Operator::TryTable { .. } => depth += 1,
            Operator::End {} => depth -= 1,
            _ => {}
        }
    }
    Ok(())
}
