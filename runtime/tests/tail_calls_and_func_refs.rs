//! Tail calls (`return_call`, `return_call_indirect`, `return_call_ref`) and typed function
//! references (`call_ref`, `br_on_null`, `br_on_non_null`, `ref.as_non_null`) on every backend
//! built here: constant space, arguments, results, traps, host callees and callees in other
//! instances. Each test runs on the interpreter and, where built, on the x64 JIT, and the
//! results must agree.

use strata_runtime::{Backend, Config, Engine, Error, Linker, Module, Store, TrapCode, Val};

mod common;
use common::{on_all, wat};

fn engine(backend: Backend, fuel: bool) -> Engine {
    let mut config = Config::new();
    config
        .backend(backend)
        .features(strata_runtime::Features::WASM3)
        .consume_fuel(fuel)
        .max_call_depth(1000);
    Engine::new(&config)
}

/// Calls export `name` of a fresh instance of `src` with `args`; the results or the trap.
fn run(backend: Backend, src: &str, name: &str, args: &[Val]) -> Result<Vec<Val>, TrapCode> {
    let engine = engine(backend, false);
    let m = Module::new(&engine, &wat(src)).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
    call(&mut store, &instance, name, args)
}

fn call(
    store: &mut Store<()>,
    instance: &strata_runtime::Instance,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>, TrapCode> {
    let f = instance.get_func(&*store, name).unwrap();
    let ty = f.ty(&*store);
    let mut results: Vec<Val> = ty
        .results()
        .iter()
        .map(|&t| Val::default_for(t).unwrap())
        .collect();
    match f.call(&mut *store, args, &mut results) {
        Ok(()) => Ok(results),
        Err(Error::Trap(t)) => Err(t.code()),
        Err(e) => panic!("not a trap: {e}"),
    }
}

/// Runs `f` on a thread with a small native stack: 256 KiB in release builds (unoptimised
/// builds keep big frames in compilation and instantiation, so they get 16 MiB; the call
/// depth limit of 1000 still proves the space constant).
fn on_small_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(if cfg!(debug_assertions) {
            16 << 20
        } else {
            256 << 10
        })
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

const COUNTDOWN: &str = r#"(module
  (type $t (func (param i64 i64) (result i64)))
  (table funcref (elem $even $odd))
  ;; sum of 1..=n by self tail recursion
  (func $sum (export "sum") (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (local.get 1))
      (else (return_call $sum (i64.sub (local.get 0) (i64.const 1))
                              (i64.add (local.get 1) (local.get 0))))))
  ;; parity by mutual tail recursion through the table: 1 if n is even
  (func $even (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 1))
      (else (return_call_indirect (type $t)
              (i64.sub (local.get 0) (i64.const 1)) (local.get 1) (i32.const 1)))))
  (func $odd (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (return_call_indirect (type $t)
              (i64.sub (local.get 0) (i64.const 1)) (local.get 1) (i32.const 0)))))
  (func (export "even") (param i64) (result i64)
    (call $even (local.get 0) (i64.const 0))))"#;

#[test]
fn tail_recursion_runs_in_constant_space() {
    // A million tail calls, with a call depth limit of 1000 and a small host stack.
    let got = on_all(|b| {
        on_small_stack(move || {
            (
                run(b, COUNTDOWN, "sum", &[Val::I64(1_000_000), Val::I64(0)]),
                run(b, COUNTDOWN, "even", &[Val::I64(1_000_001)]),
                run(b, COUNTDOWN, "even", &[Val::I64(1_000_000)]),
            )
        })
    });
    assert_eq!(
        got,
        (
            Ok(vec![Val::I64(500_000_500_000)]),
            Ok(vec![Val::I64(0)]),
            Ok(vec![Val::I64(1)]),
        )
    );
}

#[test]
fn plain_recursion_still_hits_the_depth_limit() {
    let src = r#"(module (func $f (export "f") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
          (else (i64.add (i64.const 1) (call $f (i64.sub (local.get 0) (i64.const 1))))))))"#;
    let got = on_all(|b| run(b, src, "f", &[Val::I64(5000)]));
    assert_eq!(got, Err(TrapCode::StackOverflow));
}

#[test]
fn arguments_move_down_even_when_the_windows_overlap() {
    // 20 i64 parameters (the long-argument-list path) rotated by one on every call, plus a
    // v128; the callee's frame overlaps the argument window it is copied from.
    let params: String = (0..20).map(|_| " i64").collect();
    let rotated: String = (1..20)
        .chain(0..1)
        .map(|i| format!("(local.get {i}) "))
        .collect();
    let src = format!(
        r#"(module
          (func $rot (export "rot") (param{params}) (param v128 i32) (result i64 i64 i64)
            (local i64)
            (if (i32.eqz (local.get 21))
              (then (return (local.get 0) (local.get 19)
                             (i64x2.extract_lane 1 (local.get 20)))))
            (local.set 22 (i64.const 99))
            (return_call $rot {rotated}
              (i64x2.add (local.get 20) (v128.const i64x2 1 10))
              (i32.sub (local.get 21) (i32.const 1))))
          (func (export "short") (param i32 i32 i32) (result i32)
            (if (result i32) (i32.eqz (local.get 2)) (then (i32.sub (local.get 0) (local.get 1)))
              (else (return_call 1 (local.get 1) (local.get 0)
                                   (i32.sub (local.get 2) (i32.const 1)))))))"#
    );
    let got = on_all(|b| {
        let mut args: Vec<Val> = (0..20).map(|i| Val::I64(100 + i)).collect();
        args.push(Val::V128(0));
        args.push(Val::I32(7));
        (
            run(b, &src, "rot", &args),
            run(b, &src, "short", &[Val::I32(10), Val::I32(3), Val::I32(5)]),
        )
    });
    assert_eq!(
        got,
        (
            // After 7 rotations by one: parameter 0 holds 100 + 7, parameter 19 holds 100 + 6.
            Ok(vec![Val::I64(107), Val::I64(106), Val::I64(70)]),
            // An odd number of swaps: 3 - 10.
            Ok(vec![Val::I32(-7)]),
        )
    );
}

#[test]
fn return_call_indirect_traps_like_call_indirect() {
    let src = r#"(module
      (type $v (func (result i32)))
      (type $i (func (param i32) (result i32)))
      (table 3 funcref)
      (elem (i32.const 0) $one $id)
      (func $one (result i32) (i32.const 1))
      (func $id (param i32) (result i32) (local.get 0))
      (func (export "v") (param i32) (result i32)
        (return_call_indirect (type $v) (local.get 0)))
      (func (export "i") (param i32) (result i32)
        (return_call_indirect (type $i) (i32.const 42) (local.get 0))))"#;
    let got = on_all(|b| {
        let engine = engine(b, false);
        let m = Module::new(&engine, &wat(src)).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let mut out = Vec::new();
        for (name, i) in [("v", 0), ("i", 1), ("v", 1), ("v", 2), ("v", 3), ("i", 0)] {
            out.push(call(&mut store, &instance, name, &[Val::I32(i)]));
        }
        out
    });
    assert_eq!(
        got,
        vec![
            Ok(vec![Val::I32(1)]),
            Ok(vec![Val::I32(42)]),
            Err(TrapCode::IndirectCallTypeMismatch),
            Err(TrapCode::UninitializedElement),
            Err(TrapCode::UndefinedElement),
            Err(TrapCode::IndirectCallTypeMismatch),
        ]
    );
}

#[test]
fn tail_calls_to_host_functions_return_their_results() {
    let src = r#"(module
      (import "env" "add" (func $add (param i32 i32) (result i32)))
      (table funcref (elem $add))
      (type $t (func (param i32 i32) (result i32)))
      (func $direct (export "direct") (param i32) (result i32)
        (return_call $add (local.get 0) (i32.const 1000)))
      (func $indirect (export "indirect") (param i32) (result i32)
        (return_call_indirect (type $t) (local.get 0) (i32.const 2000) (i32.const 0)))
      (func (export "run") (param i32) (result i32)
        (i32.add (call $direct (local.get 0)) (call $indirect (local.get 0)))))"#;
    let got = on_all(|b| {
        let engine = engine(b, false);
        let m = Module::new(&engine, &wat(src)).unwrap();
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap(
                "env",
                "add",
                |_: strata_runtime::Caller<'_, ()>, a: i32, b: i32| a + b,
            )
            .unwrap();
        let instance = linker.instantiate(&mut store, &m).unwrap();
        // From wasm, and straight from the host (the tail-calling function is the only frame).
        [
            call(&mut store, &instance, "run", &[Val::I32(5)]),
            call(&mut store, &instance, "direct", &[Val::I32(1)]),
            call(&mut store, &instance, "indirect", &[Val::I32(2)]),
        ]
    });
    assert_eq!(
        got,
        [
            Ok(vec![Val::I32(3010)]),
            Ok(vec![Val::I32(1001)]),
            Ok(vec![Val::I32(2002)]),
        ]
    );
}

#[test]
fn tail_calls_into_another_instance_keep_the_callers_memory() {
    // `lib`'s `get` reads lib's memory. `app` tail-calls it (directly as an import and through
    // its table) from functions it calls directly, then reads its own memory: the caller must
    // see its own instance's memory again after the callee (another instance) returns.
    let lib = r#"(module
      (memory (export "mem") 1)
      (data (i32.const 0) "\07")
      (func (export "get") (param i32) (result i32) (i32.load8_u (local.get 0))))"#;
    let app = r#"(module
      (import "lib" "get" (func $get (param i32) (result i32)))
      (memory 1)
      (data (i32.const 0) "\64")
      (type $t (func (param i32) (result i32)))
      (table funcref (elem $get))
      (func $direct (export "direct") (param i32) (result i32) (return_call $get (local.get 0)))
      (func $indirect (param i32) (result i32)
        (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
      (func (export "run") (result i32)
        (i32.add
          (i32.add (call $direct (i32.const 0)) (i32.load8_u (i32.const 0)))
          (i32.add (call $indirect (i32.const 0)) (i32.load8_u (i32.const 0))))))"#;
    let got = on_all(|b| {
        let engine = engine(b, false);
        let lib_m = Module::new(&engine, &wat(lib)).unwrap();
        let app_m = Module::new(&engine, &wat(app)).unwrap();
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        let lib_i = linker.instantiate(&mut store, &lib_m).unwrap();
        linker.instance(&mut store, "lib", lib_i).unwrap();
        let app_i = linker.instantiate(&mut store, &app_m).unwrap();
        call(&mut store, &app_i, "run", &[])
    });
    assert_eq!(got, Ok(vec![Val::I32(7 + 100 + 7 + 100)]));
}

#[test]
fn fuel_is_the_same_on_every_backend() {
    let got = on_all(|b| {
        let engine = engine(b, true);
        let m = Module::new(&engine, &wat(COUNTDOWN)).unwrap();
        let mut store = Store::new(&engine, ());
        store.set_fuel(10_000).unwrap();
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let r = call(&mut store, &instance, "sum", &[Val::I64(100), Val::I64(0)]);
        let left = store.get_fuel().unwrap();
        let r2 = call(
            &mut store,
            &instance,
            "sum",
            &[Val::I64(100_000), Val::I64(0)],
        );
        (r, left, r2, store.get_fuel().unwrap())
    });
    assert_eq!(got.0, Ok(vec![Val::I64(5050)]));
    assert!(got.1 < 10_000);
    assert_eq!(got.2, Err(TrapCode::OutOfFuel));
}

const FUNC_REFS: &str = r#"(module
  (type $ii (func (param i32) (result i32)))
  ;; $inc, null, $dbl
  (table $t 3 (ref null $ii))
  (elem (table $t) (i32.const 0) (ref null $ii) (ref.func $inc) (ref.null $ii) (ref.func $dbl))
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "call") (param i32 i32) (result i32)
    (call_ref $ii (local.get 1) (table.get $t (local.get 0))))
  ;; 100 + x if the reference is null (the 100 rides along below it), else f(x)
  (func (export "on_null") (param i32 i32) (result i32) (local $f (ref null $ii))
    (i32.add (local.get 1)
      (block $null (result i32)
        (i32.const 100)
        (br_on_null $null (table.get $t (local.get 0)))
        (local.set $f)
        (drop)
        (return (call_ref $ii (local.get 1) (local.get $f))))))
  ;; f(x) if the reference is not null, else -1
  (func (export "on_non_null") (param i32 i32) (result i32)
    (call_ref $ii (local.get 1)
      (block $some (result (ref $ii))
        (br_on_non_null $some (table.get $t (local.get 0)))
        (return (i32.const -1)))))
  (func (export "as_non_null") (param i32) (result i32)
    (ref.is_null (ref.as_non_null (table.get $t (local.get 0)))))
  ;; sum of 2 * n by tail calls through a reference to itself
  (type $loop (func (param i64 i64) (result i64)))
  (elem declare func $count)
  (func $count (type $loop)
    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
      (else (return_call_ref $loop (i64.sub (local.get 0) (i64.const 1))
                                   (i64.add (local.get 1) (i64.const 2))
                                   (ref.func $count)))))
  (func (export "count") (param i64) (result i64)
    (return_call_ref $loop (local.get 0) (i64.const 0) (ref.func $count))))"#;

#[test]
fn function_references_call_branch_and_trap() {
    let got = on_all(|b| {
        let engine = engine(b, false);
        let m = Module::new(&engine, &wat(FUNC_REFS)).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let mut out = Vec::new();
        for name in ["call", "on_null", "on_non_null"] {
            for i in 0..3 {
                out.push(call(
                    &mut store,
                    &instance,
                    name,
                    &[Val::I32(i), Val::I32(7)],
                ));
            }
        }
        for i in 0..3 {
            out.push(call(&mut store, &instance, "as_non_null", &[Val::I32(i)]));
        }
        out
    });
    let ok = |v| Ok(vec![Val::I32(v)]);
    assert_eq!(
        got,
        vec![
            ok(8),
            Err(TrapCode::NullFunctionReference),
            ok(14),
            ok(8),
            ok(107),
            ok(14),
            ok(8),
            ok(-1),
            ok(14),
            ok(0),
            Err(TrapCode::NullReference),
            ok(0),
        ]
    );
}

#[test]
fn return_call_ref_runs_in_constant_space() {
    let got =
        on_all(|b| on_small_stack(move || run(b, FUNC_REFS, "count", &[Val::I64(1_000_000)])));
    assert_eq!(got, Ok(vec![Val::I64(2_000_000)]));
}
