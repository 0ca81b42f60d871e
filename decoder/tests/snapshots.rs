//! Snapshot tests: the decoded form of a few small modules (written in WAT, encoded with `wast`)
//! and the `Display` of a few malformed-module errors. Review changes with `cargo insta review`
//! (or rerun with `INSTA_UPDATE=always` and inspect the diff of `tests/snapshots/`).

use std::fmt::Write;

use strata_decoder::{
    decode, ConstExpr, DataKind, ElementItems, ElementKind, Features, Module, OperatorsReader,
};
use wast::parser::{self, ParseBuffer};
use wast::Wat;

/// Encodes a WAT module to binary.
fn wat(text: &str) -> Vec<u8> {
    let buf = ParseBuffer::new(text).expect("lexes");
    let mut module: Wat<'_> = parser::parse(&buf).expect("parses");
    module.encode().expect("encodes")
}

/// One operator per line, with its offset.
fn ops(out: &mut String, indent: &str, mut r: OperatorsReader<'_>) {
    while !r.eof() {
        match r.read_with_offset() {
            Ok((op, at)) => writeln!(out, "{indent}{at:#06x} {op:?}").unwrap(),
            Err(e) => {
                writeln!(out, "{indent}error: {e}").unwrap();
                return;
            }
        }
    }
}

fn expr(out: &mut String, what: &str, e: &ConstExpr<'_>) {
    writeln!(out, "  {what} @ {:#x}:", e.offset()).unwrap();
    ops(out, "    ", e.operators());
}

/// A readable dump of everything `decode` produced, including every body's operators.
fn dump(m: &Module<'_>) -> String {
    let mut out = String::new();
    let o = &mut out;
    for (i, t) in m.types.iter().enumerate() {
        let sub = if t.is_final && t.supertypes.is_empty() {
            String::new()
        } else {
            format!("sub final={} supertypes={:?} ", t.is_final, t.supertypes)
        };
        match t.as_func() {
            Some(f) => writeln!(o, "type {i}: {sub}{f}").unwrap(),
            None => writeln!(o, "type {i}: {sub}{:?}", t.composite).unwrap(),
        }
    }
    for g in &m.rec_groups {
        if g.len() != 1 {
            writeln!(o, "rec group: {g:?}").unwrap();
        }
    }
    for i in &m.imports {
        writeln!(
            o,
            "import {:?} {:?} @ {:#x}: {:?}",
            i.module, i.name, i.offset, i.ty
        )
        .unwrap();
    }
    for (i, f) in m.functions.iter().enumerate() {
        writeln!(o, "func {}: type {f}", i as u32 + m.num_imported_funcs()).unwrap();
    }
    for t in &m.tables {
        writeln!(o, "table @ {:#x}: {:?}", t.offset, t.ty).unwrap();
        if let Some(init) = &t.init {
            expr(o, "init", init);
        }
    }
    for mem in &m.memories {
        writeln!(o, "memory @ {:#x}: {:?}", mem.offset, mem.ty).unwrap();
    }
    for t in &m.tags {
        writeln!(o, "tag @ {:#x}: {:?}", t.offset, t.ty).unwrap();
    }
    for g in &m.globals {
        writeln!(o, "global @ {:#x}: {:?}", g.offset, g.ty).unwrap();
        expr(o, "init", &g.init);
    }
    for e in &m.exports {
        writeln!(
            o,
            "export {:?} @ {:#x}: {} {}",
            e.name, e.offset, e.kind, e.index
        )
        .unwrap();
    }
    if let Some((f, at)) = m.start {
        writeln!(o, "start @ {at:#x}: func {f}").unwrap();
    }
    for e in &m.elements {
        match &e.kind {
            ElementKind::Active { table, offset_expr } => {
                writeln!(o, "elem @ {:#x}: active table {table}", e.offset).unwrap();
                expr(o, "offset", offset_expr);
            }
            kind => writeln!(o, "elem @ {:#x}: {kind:?}", e.offset).unwrap(),
        }
        match &e.items {
            ElementItems::Functions(f) => writeln!(o, "  funcs {f:?}").unwrap(),
            ElementItems::Expressions(t, xs) => {
                writeln!(o, "  {} exprs of {t}", xs.len()).unwrap();
                for x in xs.iter() {
                    expr(o, "item", x);
                }
            }
        }
    }
    if let Some(n) = m.data_count {
        writeln!(o, "data count: {n}").unwrap();
    }
    for (i, b) in m.code.iter().enumerate() {
        let index = i as u32 + m.num_imported_funcs();
        let name = m.names.function(index).unwrap_or("");
        writeln!(
            o,
            "code {index} {name:?} @ {:#x}: locals {:?} ({} total)",
            b.offset, b.locals, b.num_locals
        )
        .unwrap();
        ops(o, "  ", b.operators());
    }
    for d in &m.data {
        match &d.kind {
            DataKind::Active {
                memory,
                offset_expr,
            } => {
                writeln!(o, "data @ {:#x}: active memory {memory}", d.offset).unwrap();
                expr(o, "offset", offset_expr);
            }
            DataKind::Passive => writeln!(o, "data @ {:#x}: passive", d.offset).unwrap(),
        }
        writeln!(o, "  bytes {:?}", String::from_utf8_lossy(d.bytes)).unwrap();
    }
    for c in &m.customs {
        writeln!(
            o,
            "custom {:?} @ {:#x}: {} bytes",
            c.name,
            c.offset,
            c.data.len()
        )
        .unwrap();
    }
    writeln!(o, "names: {:?}", m.names).unwrap();
    out
}

fn dump_wat(text: &str, features: Features) -> String {
    let bytes = wat(text);
    let m = decode(&bytes, features).unwrap_or_else(|e| panic!("{e}"));
    dump(&m)
}

#[test]
fn factorial() {
    insta::assert_snapshot!(dump_wat(
        r#"(module $fac
            (type $t (func (param i64) (result i64)))
            (func $fac (export "fac") (type $t) (local $acc i64) (local $i i32) (local f32 f32)
                (local.set $acc (i64.const 1))
                (block $done
                    (loop $next
                        (br_if $done (i64.eqz (local.get 0)))
                        (local.set $acc (i64.mul (local.get $acc) (local.get 0)))
                        (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
                        (br $next)))
                (local.get $acc)))"#,
        Features::WASM2
    ));
}

#[test]
fn every_section() {
    insta::assert_snapshot!(dump_wat(
        r#"(module
            (import "env" "f" (func $imp (param i32)))
            (import "env" "mem" (memory 1 2))
            (import "env" "g" (global $g (mut i32)))
            (table $t 2 10 funcref)
            (global $h i64 (i64.const -1))
            (global $k f64 (f64.const 0x1p-1))
            (func $main (export "main") (param $x i32) (result i32)
                (call $imp (local.get $x))
                (i32.store offset=8 align=2 (i32.const 0) (global.get $g))
                (memory.fill (i32.const 0) (i32.const 0) (i32.const 4))
                (br_table 0 0 0 (local.get $x))
                (unreachable))
            (func $other (result v128)
                (v128.const i32x4 1 2 3 4)
                (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (v128.const i64x2 0 -1))
                (f32x4.extract_lane 3)
                (drop)
                (select (result v128) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (i32.const 1)))
            (export "t" (table $t))
            (export "g" (global $g))
            (start $other_start)
            (func $other_start (call_indirect $t (param i32) (i32.const 7) (i32.const 1)))
            (elem (table $t) (i32.const 0) func $main $other)
            (elem funcref (ref.null func) (ref.func $main))
            (elem declare func $other)
            (data (i32.const 16) "hello")
            (data "passive\00"))"#,
        Features::WASM2
    ));
}

#[test]
fn wasm3_encodings() {
    insta::assert_snapshot!(dump_wat(
        r#"(module
            (type $s (struct (field i32) (field (mut i64))))
            (rec (type $a (sub (func))) (type $b (sub $a (func))))
            (memory $m0 1)
            (memory $m1 i64 1 65536)
            (table 1 (ref null func) (ref.null func))
            (tag $e (param i32))
            (global $c i32 (i32.add (i32.const 1) (i32.const 2)))
            (func $f (param i64) (result i32)
                (i32.load $m1 offset=0x1_0000_0000 (local.get 0))
                (memory.size $m1)
                (drop)
                (try_table (catch $e 0) (catch_all 0) (throw $e (i32.const 1)))
                (return_call $f (local.get 0)))
            (func $g (struct.new $s (i32.const 1) (i64.const 2)) (drop)))"#,
        Features::WASM3
    ));
}

#[test]
fn names_section() {
    // `wast` emits the name section with module, function and local names.
    insta::assert_snapshot!(dump_wat(
        r#"(module $named
            (func $first (param $a i32) (local $b f64))
            (func)
            (func $third (local $z i32)))"#,
        Features::WASM2
    ));
}

/// The `Display` of the error for each malformed module.
fn errors(cases: &[(&str, &[u8])]) -> String {
    let mut out = String::new();
    for (what, bytes) in cases {
        let e = decode(bytes, Features::WASM2).expect_err(what);
        writeln!(out, "{what}: {e}").unwrap();
    }
    out
}

#[test]
fn malformed_errors() {
    insta::assert_snapshot!(errors(&[
        ("empty", b""),
        ("bad magic", b"\0wasm\x01\0\0\0"),
        ("version 2", b"\0asm\x02\0\0\0"),
        ("section id 14", b"\0asm\x01\0\0\0\x0e\x00"),
        (
            "duplicate type section",
            b"\0asm\x01\0\0\0\x01\x01\x00\x01\x01\x00"
        ),
        ("section too long", b"\0asm\x01\0\0\0\x01\x05\x00"),
        (
            "trailing bytes in section",
            b"\0asm\x01\0\0\0\x01\x02\x00\x00"
        ),
        (
            "u32 too long",
            b"\0asm\x01\0\0\0\x01\x06\x80\x80\x80\x80\x80\x00"
        ),
        ("bad utf-8", b"\0asm\x01\0\0\0\x00\x02\x01\xff"),
        (
            "funcs without code",
            b"\0asm\x01\0\0\0\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00"
        ),
        ("bad limits flag", b"\0asm\x01\0\0\0\x05\x03\x01\x02\x00"),
        (
            "bad value type",
            b"\0asm\x01\0\0\0\x01\x05\x01\x60\x01\x7a\x00"
        ),
    ]));
}
