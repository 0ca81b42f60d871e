//! Unit tests of the validation rules and the consumer interface, on small WAT modules.

use strata_decoder::{decode, DecodeErrorKind, Features, FuncType, Operator, ValType};
use strata_validator::{
    validate, validate_bytes, validate_module, validate_with, Error, FrameKind, FuncConsumer,
    FuncValidator, NopConsumer, OperatorContext,
};

fn wat(src: &str) -> Vec<u8> {
    let buf = wast::parser::ParseBuffer::new(src).expect("lex");
    let mut w: wast::Wat = wast::parser::parse(&buf).expect("parse");
    w.encode().expect("encode")
}

fn check(src: &str, features: Features) -> Result<(), Error> {
    validate_bytes(&wat(src), features)
}

#[track_caller]
fn valid(src: &str) {
    if let Err(e) = check(src, Features::WASM2) {
        panic!("expected valid, got {e}\n{src}");
    }
}

#[track_caller]
fn invalid_with(src: &str, features: Features, rule: &str) {
    match check(src, features) {
        Err(Error::Invalid(e)) => assert!(
            e.message.starts_with(rule),
            "expected {rule:?}, got {:?}",
            e.message
        ),
        other => panic!("expected invalid {rule:?}, got {other:?}\n{src}"),
    }
}

#[track_caller]
fn invalid(src: &str, rule: &str) {
    invalid_with(src, Features::WASM2, rule)
}

#[test]
fn numeric_typing() {
    valid("(module (func (result i32) i32.const 1 i32.const 2 i32.add))");
    invalid(
        "(module (func (result i32) i32.const 1 f64.const 2 i32.add))",
        "type mismatch",
    );
    invalid(
        "(module (func (result i32) i32.const 1 i64.eqz))",
        "type mismatch",
    );
    invalid("(module (func i32.const 1))", "type mismatch");
    invalid("(module (func (result i32)))", "type mismatch");
    valid("(module (func (result f32) i64.const 1 f32.convert_i64_u))");
}

#[test]
fn unreachable_stack_is_polymorphic() {
    valid("(module (func (result i32) unreachable i32.add))");
    valid("(module (func (result i32) unreachable select))");
    valid("(module (func (result i64) (return (i64.const 1)) i64.const 2 i64.add))");
    // Known operands in unreachable code are still checked.
    invalid(
        "(module (func (result i32) unreachable f32.const 0 i32.add))",
        "type mismatch",
    );
    invalid(
        "(module (func unreachable i32.const 0 br_if 0 f32.const 0 i32.add drop))",
        "type mismatch",
    );
}

#[test]
fn blocks_and_branches() {
    valid("(module (func (result i32) (block (result i32) (br 0 (i32.const 1)))))");
    valid("(module (func (loop (br_if 0 (i32.const 0)))))");
    invalid("(module (func (br 1)))", "unknown label");
    invalid(
        "(module (func (result i32) (block (result i32) (br 0 (f32.const 1)))))",
        "type mismatch",
    );
    invalid(
        "(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)))))",
        "type mismatch",
    );
    invalid(
        "(module (func (block (result i32) (block (br_table 0 1 (i32.const 0) (i32.const 0)))) drop))",
        "type mismatch",
    );
    valid("(module (func (block (br_table 0 0 0 (i32.const 0)))))");
}

#[test]
fn multi_value_is_gated() {
    let src = "(module (func (result i32 i32) i32.const 1 i32.const 2)
                       (func (result i32) (i32.const 5) (block (param i32) (result i32) (i32.const 1) i32.add)))";
    check(src, Features::WASM2).unwrap();
    invalid_with(
        "(module (func (result i32 i32) i32.const 1 i32.const 2))",
        Features::WASM1,
        "invalid result arity",
    );
}

#[test]
fn select_rules() {
    valid("(module (func (result f64) f64.const 1 f64.const 2 i32.const 0 select))");
    invalid(
        "(module (func (result i32) i32.const 1 i64.const 2 i32.const 0 select))",
        "type mismatch",
    );
    invalid(
        "(module (func (result funcref) ref.null func ref.null func i32.const 0 select))",
        "type mismatch",
    );
    valid("(module (func (result funcref) ref.null func ref.null func i32.const 0 select (result funcref)))");
}

#[test]
fn references_and_declared_functions() {
    invalid(
        "(module (func $f) (func (result funcref) ref.func $f))",
        "undeclared function reference",
    );
    valid("(module (func $f) (elem declare func $f) (func (result funcref) ref.func $f))");
    valid("(module (func $f) (export \"f\" (func $f)) (func (result funcref) ref.func $f))");
    valid("(module (func $f) (global funcref (ref.func $f)) (func (result funcref) ref.func $f))");
    invalid(
        "(module (func (result i32) i32.const 0 ref.is_null))",
        "type mismatch",
    );
    invalid(
        "(module (table 1 externref) (func (result funcref) i32.const 0 table.get 0))",
        "type mismatch",
    );
    invalid(
        "(module (table 1 externref) (type (func)) (func i32.const 0 call_indirect (type 0)))",
        "type mismatch",
    );
    invalid(
        "(module (func i32.const 0 table.get 0 drop))",
        "unknown table",
    );
    invalid("(module (func (elem.drop 0)))", "unknown elem segment");
}

#[test]
fn constant_expressions() {
    invalid(
        "(module (global i32 (i32.const 1) (i32.const 2)))",
        "type mismatch",
    );
    invalid("(module (global i32 (i64.const 1)))", "type mismatch");
    invalid(
        "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))",
        "constant expression required",
    );
    invalid(
        "(module (global i32 (i32.const 0)) (global i32 (global.get 0)))",
        "unknown global",
    );
    valid("(module (import \"m\" \"g\" (global i32)) (global i32 (global.get 0)))");
    // A table's initializer sees only imported globals (the table section comes first), even
    // where later globals may read earlier ones.
    invalid_with(
        "(module (global funcref (ref.null func)) (table 1 funcref (global.get 0)))",
        Features::WASM3,
        "unknown global",
    );
    check(
        "(module (import \"m\" \"g\" (global funcref)) (table 1 funcref (global.get 0)))",
        Features::WASM3,
    )
    .unwrap();
    invalid(
        "(module (import \"m\" \"g\" (global (mut i32))) (global i32 (global.get 0)))",
        "constant expression required",
    );
    // Extended constant expressions (WebAssembly 3.0).
    check(
        "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))",
        Features::WASM3,
    )
    .unwrap();
}

#[test]
fn module_level_rules() {
    invalid(
        "(module (memory 65537))",
        "memory size must be at most 65536 pages (4GiB)",
    );
    invalid(
        "(module (memory 2 1))",
        "size minimum must not be greater than maximum",
    );
    invalid(
        "(module (table 2 1 funcref))",
        "size minimum must not be greater than maximum",
    );
    invalid("(module (func (param i32)) (start 0))", "start function");
    invalid("(module (start 1) (func))", "unknown function");
    invalid(
        "(module (func) (export \"a\" (func 0)) (export \"a\" (func 0)))",
        "duplicate export name",
    );
    invalid("(module (memory 1) (memory 1))", "multiple memories");
    check("(module (memory 1) (memory 1))", Features::WASM3).unwrap();
    invalid("(module (export \"m\" (memory 0)))", "unknown memory");
    invalid(
        "(module (table 1 funcref) (elem (i32.const 0) externref))",
        "type mismatch",
    );
    invalid("(module (data (i32.const 0) \"x\"))", "unknown memory");
}

#[test]
fn instruction_indices_and_immediates() {
    invalid("(module (func local.get 0 drop))", "unknown local");
    invalid("(module (func global.get 0 drop))", "unknown global");
    invalid(
        "(module (global i32 (i32.const 0)) (func i32.const 1 global.set 0))",
        "global is immutable",
    );
    invalid("(module (func call 5))", "unknown function");
    invalid(
        "(module (func i32.const 0 i32.load drop))",
        "unknown memory",
    );
    invalid(
        "(module (memory 1) (func i32.const 0 i32.load align=8 drop))",
        "alignment must not be larger than natural",
    );
    invalid(
        "(module (func (result i32) v128.const i64x2 0 0 i32x4.extract_lane 4))",
        "invalid lane index",
    );
    invalid(
        "(module (memory 1) (func (data.drop 0)))",
        "unknown data segment",
    );
    valid("(module (memory 1) (func (result i32) v128.const i64x2 0 0 i32x4.extract_lane 3))");
}

/// Removes the data count section (id 12) from a binary module.
fn strip_data_count(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes[..8].to_vec();
    let mut i = 8;
    while i < bytes.len() {
        let id = bytes[i];
        let (mut size, mut shift, mut j) = (0usize, 0, i + 1);
        loop {
            let b = bytes[j];
            size |= usize::from(b & 0x7f) << shift;
            shift += 7;
            j += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        let end = j + size;
        if id != 12 {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
    }
    out
}

#[test]
fn memory_init_needs_data_count() {
    let bytes = wat(
        "(module (memory 1) (data \"x\") (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0))))",
    );
    validate_bytes(&bytes, Features::WASM2).unwrap();
    match validate_bytes(&strip_data_count(&bytes), Features::WASM2) {
        Err(Error::Malformed(e)) => assert_eq!(e.kind(), DecodeErrorKind::DataCountRequired),
        other => panic!("expected data count required, got {other:?}"),
    }
}

#[test]
fn errors_name_function_and_offset() {
    let bytes = wat("(module (func) (func (result i32) f32.const 0))");
    match validate_bytes(&bytes, Features::WASM2) {
        Err(Error::Invalid(e)) => {
            assert_eq!(e.func, Some(1));
            assert!(e.offset > 0 && e.offset < bytes.len());
            assert!(e.message.starts_with("type mismatch"), "{}", e.message);
        }
        other => panic!("{other:?}"),
    }
}

/// (name, popped, pushed, was reachable, operand height) of one reported operator.
type Entry = (
    String,
    Vec<Option<ValType>>,
    Vec<Option<ValType>>,
    bool,
    usize,
);

/// Records each operator's name, popped and pushed types and reachability.
#[derive(Default)]
struct Recorder {
    func: Option<u32>,
    log: Vec<Entry>,
    ended: Vec<FrameKind>,
    finished: bool,
}

impl FuncConsumer for Recorder {
    fn begin_function(&mut self, func_index: u32, _ty: &FuncType, _locals: &[ValType]) {
        self.func = Some(func_index);
    }

    fn operator(&mut self, op: &Operator<'_>, _offset: usize, ctx: &OperatorContext<'_>) {
        self.log.push((
            op.name().to_string(),
            ctx.popped().to_vec(),
            ctx.pushed().to_vec(),
            ctx.was_reachable(),
            ctx.operand_height(),
        ));
        if let Some(f) = ctx.ended_frame() {
            self.ended.push(f.kind);
        }
    }

    fn end_function(&mut self) {
        self.finished = true;
    }
}

#[test]
fn consumer_sees_popped_and_pushed() {
    use ValType::*;
    let bytes = wat("(module (import \"m\" \"f\" (func))
           (func (param i32) (result i64)
             (block (result i64)
               local.get 0
               i32.const 1
               i32.add
               drop
               i64.const 7)
             unreachable
             f64.const 1
             local.get 0
             select
             drop
             i64.const 0))");
    let module = decode(&bytes, Features::WASM2).unwrap();
    let (_types, recs) = validate_with(&module, |_| Recorder::default()).unwrap();
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r.func, Some(1));
    assert!(r.finished);
    let find = |name: &str| r.log.iter().find(|e| e.0 == name).unwrap();
    let add = find("i32.add");
    assert_eq!(add.1, vec![Some(I32), Some(I32)]);
    assert_eq!(add.2, vec![Some(I32)]);
    assert!(add.3);
    assert_eq!(find("local.get").2, vec![Some(I32)]);
    assert_eq!(find("drop").1, vec![Some(I32)]);
    // `select` after `unreachable`: one operand is bottom, the other f64.
    let sel = find("select");
    assert_eq!(sel.1, vec![None, Some(F64), Some(I32)]);
    assert_eq!(sel.2, vec![Some(F64)]);
    assert!(!sel.3);
    // The block's `end` pushes its result; the final `end` closes the function frame.
    let ends: Vec<_> = r.log.iter().filter(|e| e.0 == "end").collect();
    assert_eq!(ends[0].2, vec![Some(I64)]);
    assert_eq!(r.ended, vec![FrameKind::Block, FrameKind::Function]);
}

#[test]
fn per_function_validation() {
    let bytes = wat("(module (func (result i32) i32.const 1) (func (result i32) i64.const 1))");
    let module = decode(&bytes, Features::WASM2).unwrap();
    let types = validate_module(&module).unwrap();
    let mut v = FuncValidator::new();
    v.validate(&types, 0, &module.code[0], &mut NopConsumer)
        .unwrap();
    assert!(v
        .validate(&types, 1, &module.code[1], &mut NopConsumer)
        .is_err());
    assert!(validate(&module).is_err());
    assert_eq!(types.func_type_of(0).unwrap().results(), &[ValType::I32]);
}

#[test]
fn wasm3_locals_and_tail_calls() {
    let w3 = Features::WASM3;
    invalid_with(
        "(module (func (local (ref extern)) local.get 0 drop))",
        w3,
        "uninitialized local",
    );
    check(
        "(module (func (param externref) (local (ref extern))
           (local.set 1 (ref.as_non_null (local.get 0))) (local.get 1) drop))",
        w3,
    )
    .unwrap();
    invalid_with(
        "(module (func (param externref) (local (ref extern))
           (block (local.set 1 (ref.as_non_null (local.get 0)))) (local.get 1) drop))",
        w3,
        "uninitialized local",
    );
    check(
        "(module (func (result i32) (return_call 1)) (func (result i32) i32.const 1))",
        w3,
    )
    .unwrap();
    invalid_with(
        "(module (func (result i32) (return_call 1)) (func (result i64) i64.const 1))",
        w3,
        "type mismatch",
    );
}

#[test]
fn type_errors_name_the_types_offset() {
    // header (8 bytes), section id and size, count, then `60 00 00` for the first type: the
    // second type starts at byte 14.
    let bytes = wat("(module (type (func)) (type (func (result i32 i32))))");
    assert_eq!(bytes[14], 0x60);
    match validate_bytes(&bytes, Features::WASM1) {
        Err(Error::Invalid(e)) => {
            assert_eq!(e.offset, 14);
            assert!(
                e.message.starts_with("invalid result arity"),
                "{}",
                e.message
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn equivalent_types_match_by_structure_not_index() {
    // Two identical function types, and two isomorphic recursive groups, are the same type.
    check(
        r#"(module
            (type $t1 (func (param f32) (result f32)))
            (type $t2 (func (param f32) (result f32)))
            (rec (type $r1 (func (param (ref $r2)))) (type $r2 (func (param (ref $r1)))))
            (rec (type $s1 (func (param (ref $s2)))) (type $s2 (func (param (ref $s1)))))
            (func $f1 (param (ref $t1)) (call $f2 (local.get 0)))
            (func $f2 (param (ref $t2)) (call $f1 (local.get 0)))
            (func $g1 (param (ref $r1)) (call $g2 (local.get 0)))
            (func $g2 (param (ref $s1)) (call $g1 (local.get 0))))"#,
        Features::WASM3,
    )
    .unwrap();
    // Different structure is a different type.
    invalid_with(
        r#"(module
            (type $t1 (func (param f32)))
            (type $t2 (func (param f64)))
            (func $f1 (param (ref $t1)) (call $f2 (local.get 0)))
            (func $f2 (param (ref $t2))))"#,
        Features::WASM3,
        "type mismatch",
    );
    // A type may refer forward only within its own recursion group.
    invalid_with(
        "(module (type (func (param (ref 1)))) (type (func)))",
        Features::WASM3,
        "unknown type",
    );
    check(
        "(module (rec (type (func (param (ref 1)))) (type (func))))",
        Features::WASM3,
    )
    .unwrap();
}
