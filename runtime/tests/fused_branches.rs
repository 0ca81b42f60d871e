//! The translator's fused compare-and-branch forms (`br_f64.lt`, `br_f64.not_lt` for an `if`,
//! `br_i32.and_imm_eqz` ...) and constants hoisted out of loops, on every backend built here:
//! each result is a bit mask of which branches were taken, for ordered, equal and NaN operands.

use strata_runtime::{Backend, Config, Engine, Linker, Module, Store, Val};

mod common;
use common::{on_all, wat};

const SRC: &str = r#"(module
  (func (export "f64") (param f64 f64) (result i32) (local i32)
    (block (br_if 0 (f64.lt (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 1))))
    (block (br_if 0 (f64.le (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 2))))
    (block (br_if 0 (f64.gt (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 4))))
    (block (br_if 0 (f64.ge (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 8))))
    (if (f64.lt (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 16)))))
    (if (f64.le (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 32)))))
    (if (f64.gt (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 64)))))
    (if (f64.ge (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 128)))))
    (local.get 2))
  (func (export "f32") (param f32 f32) (result i32) (local i32)
    (block (br_if 0 (f32.lt (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 1))))
    (block (br_if 0 (f32.le (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 2))))
    (block (br_if 0 (f32.gt (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 4))))
    (block (br_if 0 (f32.ge (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 8))))
    (if (f32.lt (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 16)))))
    (if (f32.le (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 32)))))
    (if (f32.gt (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 64)))))
    (if (f32.ge (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 128)))))
    (local.get 2))
  (func (export "bits") (param i32 i64) (result i32) (local i32)
    (block (br_if 0 (i32.and (local.get 0) (i32.const 6))) (local.set 2 (i32.or (local.get 2) (i32.const 1))))
    (block (br_if 0 (i32.eqz (i32.and (local.get 0) (i32.const 6)))) (local.set 2 (i32.or (local.get 2) (i32.const 2))))
    (block (br_if 0 (i64.eqz (i64.and (local.get 1) (i64.const -8)))) (local.set 2 (i32.or (local.get 2) (i32.const 4))))
    (block (br_if 0 (i64.ne (i64.and (local.get 1) (i64.const 1)) (i64.const 0))) (local.set 2 (i32.or (local.get 2) (i32.const 8))))
    (if (i32.and (local.get 0) (i32.const 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 16)))))
    (if (i64.eqz (i64.and (local.get 1) (i64.const 0x100000000))) (then (local.set 2 (i32.or (local.get 2) (i32.const 32)))))
    (local.get 2))
  ;; constants hoisted out of a loop: a polynomial step with f64 and wide i64 constants
  (func (export "loop") (param i32) (result f64) (local f64 i64)
    (loop $l
      (local.set 1 (f64.add (f64.mul (local.get 1) (f64.const 0.5)) (f64.const 1.25)))
      (local.set 2 (i64.mul (i64.add (local.get 2) (i64.const 0x123456789)) (i64.const 0x100000001b3)))
      (br_if $l (i32.gt_s (local.tee 0 (i32.sub (local.get 0) (i32.const 1))) (i32.const 0))))
    (f64.add (local.get 1) (f64.convert_i64_s (i64.shr_u (local.get 2) (i64.const 40)))))
  ;; a callee whose frame (locals zeroed on entry, then written) covers the caller's slots
  ;; from the argument window on: hoisted constants must live below it
  (func $clobber (param i64) (result i64) (local i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 1 (i64.const -1)) (local.set 2 (i64.const -1)) (local.set 3 (i64.const -1))
    (local.set 4 (i64.const -1)) (local.set 5 (i64.const -1)) (local.set 6 (i64.const -1))
    (local.set 7 (i64.const -1)) (local.set 8 (i64.const -1))
    (i64.add (local.get 0) (i64.const 1)))
  (func (export "calls") (param i32) (result i64) (local i64)
    (loop $l
      (local.set 1 (i64.add (i64.mul (call $clobber (local.get 1)) (i64.const 0x100000001b3))
                            (i64.const 0x123456789)))
      (br_if $l (i32.gt_s (local.tee 0 (i32.sub (local.get 0) (i32.const 1))) (i32.const 0))))
    (local.get 1)))"#;

fn run(backend: Backend, name: &str, args: &[Val]) -> Val {
    let mut config = Config::new();
    config.backend(backend);
    let engine = Engine::new(&config);
    let m = Module::new(&engine, &wat(SRC)).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
    let f = instance.get_func(&store, name).unwrap();
    let mut results = [Val::I32(0)];
    f.call(&mut store, args, &mut results).unwrap();
    results[0]
}

fn mask(backend: Backend, name: &str, args: &[Val]) -> i32 {
    match run(backend, name, args) {
        Val::I32(v) => v,
        v => panic!("{v:?}"),
    }
}

/// The mask the `f64`/`f32` functions return: bit k of the four `br_if`s is set when the
/// branch is *not* taken; the four `if`s set theirs when the comparison holds.
fn expected(a: f64, b: f64) -> i32 {
    let c = [a < b, a <= b, a > b, a >= b];
    let mut m = 0;
    for (k, &t) in c.iter().enumerate() {
        if !t {
            m |= 1 << k;
        }
        if t {
            m |= 16 << k;
        }
    }
    m
}

#[test]
fn float_compare_branches_handle_nan() {
    let values = [0.0, -0.0, 1.5, -2.0, f64::INFINITY, f64::NAN];
    for &a in &values {
        for &b in &values {
            let got = on_all(|be| mask(be, "f64", &[Val::from(a), Val::from(b)]));
            assert_eq!(got, expected(a, b), "f64 {a} {b}");
            let (x, y) = (a as f32, b as f32);
            let got = on_all(|be| mask(be, "f32", &[Val::from(x), Val::from(y)]));
            assert_eq!(got, expected(a, b), "f32 {a} {b}");
        }
    }
}

#[test]
fn bit_test_branches() {
    for &(a, b) in &[
        (0, 0i64),
        (1, 1),
        (2, 8),
        (6, 7),
        (7, 0x1_0000_0000),
        (-1, -1),
    ] {
        let got = on_all(|be| mask(be, "bits", &[Val::I32(a), Val::I64(b)]));
        let mut want = 0;
        if a & 6 == 0 {
            want |= 1;
        }
        if a & 6 != 0 {
            want |= 2;
        }
        if b & -8 != 0 {
            want |= 4;
        }
        if b & 1 == 0 {
            want |= 8;
        }
        if a & 1 != 0 {
            want |= 16;
        }
        if b & 0x1_0000_0000 == 0 {
            want |= 32;
        }
        assert_eq!(got, want, "bits {a} {b}");
    }
}

#[test]
fn hoisted_constants_keep_their_values() {
    let got = on_all(|be| match run(be, "loop", &[Val::I32(1000)]) {
        Val::F64(bits) => bits.0,
        v => panic!("{v:?}"),
    });
    let (mut x, mut y) = (0f64, 0i64);
    for _ in 0..1000 {
        x = x * 0.5 + 1.25;
        y = y.wrapping_add(0x1_2345_6789).wrapping_mul(0x100_0000_01b3);
    }
    assert_eq!(f64::from_bits(got), x + ((y as u64 >> 40) as i64) as f64);
}

#[test]
fn hoisted_constants_survive_calls() {
    let got = on_all(|be| match run(be, "calls", &[Val::I32(100)]) {
        Val::I64(v) => v,
        v => panic!("{v:?}"),
    });
    let mut x = 0i64;
    for _ in 0..100 {
        x = (x + 1)
            .wrapping_mul(0x100_0000_01b3)
            .wrapping_add(0x1_2345_6789);
    }
    assert_eq!(got, x);
}
