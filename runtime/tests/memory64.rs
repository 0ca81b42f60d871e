//! 64-bit memories on every engine: addresses at or above 4 GiB and offsets with high bits trap
//! instead of wrapping to 32 bits, `memory.grow` fails with a 64-bit -1, and the bulk
//! instructions take 64-bit addresses and lengths.

mod common;

use common::{on_all, wat};
use strata_runtime::{Config, Engine, Features, Linker, Module, Store, Val};

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
  (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2))))
"#;

/// What each call gave: its result, or the trap's message.
fn outcomes(calls: &[(&str, &[Val])]) -> Vec<Result<Option<Val>, String>> {
    on_all(|backend| {
        let mut config = Config::new();
        config
            .backend(backend)
            .features(Config::DEFAULT_FEATURES | Features::MEMORY64);
        let engine = Engine::new(&config);
        let module = Module::new(&engine, &wat(SRC)).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine)
            .instantiate(&mut store, &module)
            .unwrap();
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
