//! Differential test of the interpreter's accumulator forms (interp `lower.rs`): random integer
//! and `f64` programs, whose temporaries mostly feed the very next instruction (so the lowering
//! pairs them through the accumulator), must give the same results on every backend (the x64
//! JIT never sees accumulator forms).

use strata_runtime::{Backend, Val};

mod common;
use common::{backends, instantiate, Rng};

const I64_OPS: [&str; 11] = [
    "add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr",
];
const CMP_OPS: [&str; 10] = [
    "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
];

/// A random `i64` expression over locals 0..4 (and, at the leaves, small or wide constants),
/// as wat text, `depth` operators deep at most.
fn expr(r: &mut Rng, depth: u32) -> String {
    if depth == 0 || r.below(4) == 0 {
        return match r.below(3) {
            0 => format!("(i64.const {})", r.next() as i64 >> r.below(64)),
            _ => format!("(local.get {})", r.below(4)),
        };
    }
    match r.below(8) {
        0 => {
            let op = CMP_OPS[r.below(10) as usize];
            let (a, b) = (expr(r, depth - 1), expr(r, depth - 1));
            format!("(i64.extend_i32_u (i64.{op} {a} {b}))")
        }
        1 => {
            let op = I64_OPS[r.below(11) as usize];
            let (a, b) = (expr(r, depth - 1), expr(r, depth - 1));
            format!("(i64.extend_i32_s (i32.{op} (i32.wrap_i64 {a}) (i32.wrap_i64 {b})))")
        }
        _ => {
            let op = I64_OPS[r.below(11) as usize];
            let (a, b) = (expr(r, depth - 1), expr(r, depth - 1));
            format!("(i64.{op} {a} {b})")
        }
    }
}

/// The operands of the loop's compare-and-branch: `computed` and local 3, either way round
/// (the computed one on the right is what the lowering's mirrored comparisons are for).
fn operands(r: &mut Rng, computed: String) -> String {
    match r.below(2) {
        0 => format!("{computed} (local.get 3)"),
        _ => format!("(local.get 3) {computed}"),
    }
}

/// A function of two `i64`s: a loop of random assignments to four locals, run `iters` times,
/// with a random compare-and-branch inside, returning a mix of the locals.
fn program(r: &mut Rng) -> String {
    let mut body = String::new();
    for _ in 0..1 + r.below(6) {
        body += &format!("(local.set {} {})\n", r.below(4), expr(r, 4));
    }
    let cmp = CMP_OPS[r.below(10) as usize];
    let computed = expr(r, 2);
    let skip = operands(r, computed);
    let tail = format!("(local.set {} {})", r.below(4), expr(r, 3));
    format!(
        r#"(module (func (export "f") (param i64 i64) (result i64) (local i64 i64 i64)
             (local.set 2 (i64.const 7))
             (local.set 4 (i64.const 8))
             (loop $l
               {body}
               (block $b (br_if $b (i64.{cmp} {skip})) {tail})
               (local.set 4 (i64.add (local.get 4) (i64.const -1)))
               (br_if $l (i64.gt_s (local.get 4) (i64.const 0))))
             (i64.xor (i64.xor (local.get 0) (i64.rotl (local.get 1) (i64.const 17)))
                      (i64.xor (local.get 2) (i64.rotl (local.get 3) (i64.const 31))))))"#
    )
}

fn run(backend: Backend, src: &str, args: (i64, i64)) -> i64 {
    let (mut store, instance) = instantiate(backend, src);
    let f = instance.get_func(&store, "f").unwrap();
    let mut out = [Val::I64(0)];
    f.call(&mut store, &[Val::I64(args.0), Val::I64(args.1)], &mut out)
        .unwrap();
    match out[0] {
        Val::I64(v) => v,
        ref v => panic!("not an i64: {v:?}"),
    }
}

#[test]
fn random_integer_programs_agree_across_backends() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let engines = backends();
    for case in 0..200 {
        let src = program(&mut r);
        for args in [(0, 0), (1, -1), (r.next() as i64, r.next() as i64)] {
            let results: Vec<i64> = engines.iter().map(|&b| run(b, &src, args)).collect();
            assert!(
                results.windows(2).all(|w| w[0] == w[1]),
                "case {case}, args {args:?}: {results:?} differ\n{src}"
            );
        }
    }
}

const F64_OPS: [&str; 4] = ["add", "sub", "mul", "div"];
const F64_CMP_OPS: [&str; 4] = ["lt", "le", "gt", "ge"];

/// A random `f64` expression over locals 0..4 and constants, `depth` operators deep at most:
/// chains of arithmetic whose results feed the next operation (the float accumulator's case).
fn float_expr(r: &mut Rng, depth: u32) -> String {
    if depth == 0 || r.below(4) == 0 {
        return match r.below(3) {
            0 => format!("(f64.const {})", (r.below(2000) as f64 - 1000.0) / 8.0),
            _ => format!("(local.get {})", r.below(4)),
        };
    }
    let op = F64_OPS[r.below(4) as usize];
    let (a, b) = (float_expr(r, depth - 1), float_expr(r, depth - 1));
    format!("(f64.{op} {a} {b})")
}

/// A function of two `f64`s: a loop of random assignments to four `f64` locals with a random
/// float compare-and-branch, returning their sum.
fn float_program(r: &mut Rng) -> String {
    let mut body = String::new();
    for _ in 0..1 + r.below(6) {
        body += &format!("(local.set {} {})\n", r.below(4), float_expr(r, 4));
    }
    let cmp = F64_CMP_OPS[r.below(4) as usize];
    let computed = float_expr(r, 2);
    let skip = operands(r, computed);
    let tail = format!("(local.set {} {})", r.below(4), float_expr(r, 3));
    format!(
        r#"(module (func (export "f") (param f64 f64) (result f64) (local f64 f64 i32)
             (local.set 2 (f64.const 0.5))
             (local.set 4 (i32.const 8))
             (loop $l
               {body}
               (block $b (br_if $b (f64.{cmp} {skip})) {tail})
               (local.set 4 (i32.add (local.get 4) (i32.const -1)))
               (br_if $l (i32.gt_s (local.get 4) (i32.const 0))))
             (f64.add (f64.add (local.get 0) (local.get 1))
                      (f64.add (local.get 2) (local.get 3)))))"#
    )
}

fn run_float(backend: Backend, src: &str, args: (f64, f64)) -> f64 {
    let (mut store, instance) = instantiate(backend, src);
    let f = instance.get_func(&store, "f").unwrap();
    let mut out = [Val::from(0.0f64)];
    f.call(
        &mut store,
        &[Val::from(args.0), Val::from(args.1)],
        &mut out,
    )
    .unwrap();
    match out[0] {
        Val::F64(bits) => f64::from_bits(bits.0),
        ref v => panic!("not an f64: {v:?}"),
    }
}

#[test]
fn random_float_programs_agree_across_backends() {
    let mut r = Rng(0x2545_f491_4f6c_dd1d);
    let engines = backends();
    for case in 0..200 {
        let src = float_program(&mut r);
        for args in [(0.0, 1.0), (1.5, -2.25), (3.0e10, -7.0e-3)] {
            let results: Vec<f64> = engines.iter().map(|&b| run_float(b, &src, args)).collect();
            // Equal values, or NaN everywhere (which NaN comes out is not pinned down).
            assert!(
                results
                    .windows(2)
                    .all(|w| w[0].to_bits() == w[1].to_bits() || (w[0].is_nan() && w[1].is_nan())),
                "case {case}, args {args:?}: {results:?} differ\n{src}"
            );
        }
    }
}
