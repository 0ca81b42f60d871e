//! 64-bit memories and tables on every engine: addresses and indices at or above 2^32 and
//! offsets with high bits trap instead of wrapping to 32 bits, `memory.grow`/`table.grow` fail
//! with a 64-bit -1, and the bulk instructions take 64-bit addresses and lengths.

mod common;

use common::{instantiate, on_all};
use strata_runtime::Val;

const SRC: &str = r#"
(module
  (memory i64 1 2)
  (data (i64.const 0) "\2a")
  (func (export "load") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load_far_offset") (param i64) (result i32)
    (i32.load8_u offset=0x100000000 (local.get 0)))
  (func (export "store") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "size") (result i64) (memory.size))
  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2)))

  (type $ret (func (result i32)))
  (table $t i64 2 3 funcref)
  (elem (table $t) (i64.const 0) func $seven)
  (func $seven (result i32) (i32.const 7))
  (func (export "call") (param i64) (result i32) (call_indirect $t (type $ret) (local.get 0)))
  (func (export "tail_call") (param i64) (result i32)
    (return_call_indirect $t (type $ret) (local.get 0)))
  (func (export "is_null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "table_grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "table_size") (result i64) (table.size $t))
  (func (export "table_fill") (param i64 i64) (table.fill $t (local.get 0) (ref.null func) (local.get 1))))
"#;

/// What each call gave: its result, or the trap's message.
fn outcomes(calls: &[(&str, &[Val])]) -> Vec<Result<Option<Val>, String>> {
    on_all(|backend| {
        // Memory64 is on by default.
        let (mut store, instance) = instantiate(backend, SRC);
        calls
            .iter()
            .map(|(name, args)| {
                let f = instance.get_func(&store, name).unwrap();
                let mut out = vec![Val::I32(0); f.ty(&store).results().len()];
                match f.call(&mut store, args, &mut out) {
                    Ok(()) => Ok(out.first().copied()),
                    Err(strata_runtime::Error::Trap(t)) => Err(t.code().message().to_string()),
                    Err(e) => panic!("{name}: {e}"),
                }
            })
            .collect()
    })
}

const OOB: &str = "out of bounds memory access";

#[test]
fn addresses_above_4_gib_trap_instead_of_wrapping() {
    let got = outcomes(&[
        ("load", &[Val::I64(0)]),
        // 2^32 wraps to 0 if read as 32 bits: it must trap.
        ("load", &[Val::I64(1 << 32)]),
        ("load", &[Val::I64(-1)]),
        ("load_far_offset", &[Val::I64(0)]),
        ("store", &[Val::I64((1 << 32) + 1), Val::I32(7)]),
        ("load", &[Val::I64(1)]),
    ]);
    assert_eq!(
        got,
        [
            Ok(Some(Val::I32(42))),
            Err(OOB.into()),
            Err(OOB.into()),
            Err(OOB.into()),
            Err(OOB.into()),
            // The store above did not land at address 1.
            Ok(Some(Val::I32(0))),
        ]
    );
}

#[test]
fn grow_size_and_bulk_operands_are_64_bit() {
    let got = outcomes(&[
        ("grow", &[Val::I64(1)]),
        // Past the maximum, and a delta whose low 32 bits are 0: both fail with -1 (64 bits).
        ("grow", &[Val::I64(1)]),
        ("grow", &[Val::I64(1 << 32)]),
        ("size", &[]),
        ("fill", &[Val::I64(0x1_0000), Val::I32(9), Val::I64(4)]),
        ("load", &[Val::I64(0x1_0003)]),
        // A length of 2^32 + 1 must not be taken as 1.
        ("fill", &[Val::I64(0), Val::I32(1), Val::I64((1 << 32) + 1)]),
        ("load", &[Val::I64(0)]),
        ("copy", &[Val::I64(0), Val::I64(0x1_0000), Val::I64(1)]),
        ("load", &[Val::I64(0)]),
        ("copy", &[Val::I64(1 << 32), Val::I64(0), Val::I64(1)]),
    ]);
    assert_eq!(
        got,
        [
            Ok(Some(Val::I64(1))),
            Ok(Some(Val::I64(-1))),
            Ok(Some(Val::I64(-1))),
            Ok(Some(Val::I64(2))),
            Ok(None),
            Ok(Some(Val::I32(9))),
            Err(OOB.into()),
            Ok(Some(Val::I32(42))),
            Ok(None),
            Ok(Some(Val::I32(9))),
            Err(OOB.into()),
        ]
    );
}

#[test]
fn table_indices_are_64_bit() {
    let got = outcomes(&[
        ("call", &[Val::I64(0)]),
        // 2^32 wraps to element 0 if read as 32 bits: it must trap.
        ("call", &[Val::I64(1 << 32)]),
        ("tail_call", &[Val::I64(1 << 32)]),
        ("is_null", &[Val::I64(1 << 32)]),
        ("table_grow", &[Val::I64(1 << 32)]),
        ("table_grow", &[Val::I64(1)]),
        ("table_size", &[]),
        ("table_fill", &[Val::I64(0), Val::I64((1 << 32) + 1)]),
        ("call", &[Val::I64(0)]),
    ]);
    assert_eq!(
        got,
        [
            Ok(Some(Val::I32(7))),
            Err("undefined element".into()),
            Err("undefined element".into()),
            Err("out of bounds table access".into()),
            Ok(Some(Val::I64(-1))),
            Ok(Some(Val::I64(2))),
            Ok(Some(Val::I64(3))),
            Err("out of bounds table access".into()),
            // The fill above wrote nothing.
            Ok(Some(Val::I32(7))),
        ]
    );
}
