//! Decodes arbitrary bytes with WebAssembly 2.0 and 3.0 features, then walks every function
//! body and constant expression to the end. Nothing may panic, and every error must point
//! inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata_decoder::{
    decode, DataKind, ElementItems, ElementKind, Features, Operator, OperatorsReader,
};

/// Reads every operator (and the lazily read parts of `br_table` and `try_table`).
fn walk(mut ops: OperatorsReader<'_>, len: usize) {
    while !ops.eof() {
        match ops.read() {
            Ok(Operator::BrTable { targets }) => {
                assert_eq!(targets.targets().count() as u32, targets.len());
                let _ = targets.default();
            }
            Ok(Operator::TryTable { table }) => {
                assert_eq!(table.catches().count() as u32, table.len());
            }
            Ok(op) => {
                let _ = op.name();
            }
            Err(e) => {
                assert!(e.offset() <= len, "error offset {} past end {len}", e.offset());
                return;
            }
        }
    }
}

fn run(data: &[u8], features: Features) {
    let len = data.len();
    let module = match decode(data, features) {
        Ok(m) => m,
        Err(e) => {
            assert!(e.offset() <= len, "error offset {} past end {len}", e.offset());
            let _ = e.to_string();
            return;
        }
    };
    for body in &module.code {
        walk(body.operators(), len);
    }
    for g in &module.globals {
        walk(g.init.operators(), len);
    }
    for t in &module.tables {
        if let Some(init) = &t.init {
            walk(init.operators(), len);
        }
    }
    for e in &module.elements {
        if let ElementKind::Active { offset_expr, .. } = &e.kind {
            walk(offset_expr.operators(), len);
        }
        if let ElementItems::Expressions(_, exprs) = &e.items {
            for x in exprs.iter() {
                walk(x.operators(), len);
            }
        }
    }
    for d in &module.data {
        if let DataKind::Active { offset_expr, .. } = &d.kind {
            walk(offset_expr.operators(), len);
        }
    }
    let _ = module.names.function(0);
}

fuzz_target!(|data: &[u8]| {
    run(data, Features::WASM2);
    run(data, Features::WASM3);
});
