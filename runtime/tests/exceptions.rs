//! Exception handling (`throw`, `throw_ref`, `try_table`) on every backend: each test runs on the
//! interpreter and, where built, on the x64 JIT, checks results against values worked out by
//! hand, and [`on_all`] checks both engines agree (traps, backtraces and fuel included).

mod common;

use common::{on_all, wat, Rng};
use strata_runtime::{
    Backend, Caller, Config, Engine, Error, Features, Linker, Module, Store, TrapCode, Val,
};

fn engine(backend: Backend, fuel: bool) -> Engine {
    let mut config = Config::new();
    config
        .backend(backend)
        .features(Config::DEFAULT_FEATURES | Features::EXCEPTIONS)
        .consume_fuel(fuel);
    Engine::new(&config)
}

fn module(engine: &Engine, src: &str) -> Module {
    Module::new(engine, &wat(src)).unwrap()
}

/// The error's message and backtrace, as `Display` prints them.
fn message(e: &Error) -> String {
    e.to_string()
}

/// A loop keeps `$i`, `$acc` and the `f64` `$x` hot (so x64 pins them in registers) and calls
/// through two frames to a thrower every iteration; every third call throws a three-value
/// payload. The handler reads the payload and the pinned locals that were live across the call.
const PINNED: &str = r#"(module
  (tag $e (param i32 i64 f64))
  (func $thrower (param $v i32)
    (local $t i32)
    (local.set $t (i32.mul (local.get $v) (i32.const 3)))
    (if (i32.eqz (i32.rem_u (local.get $v) (i32.const 3)))
      (then (throw $e (local.get $t)
                      (i64.shl (i64.extend_i32_u (local.get $v)) (i64.const 33))
                      (f64.convert_i32_u (local.get $v))))))
  (func $mid (param $v i32) (result i32)
    (local $k i32)
    (local.set $k (i32.add (local.get $v) (i32.const 100)))
    (call $thrower (local.get $v))
    ;; Only reached when nothing was thrown.
    (i32.add (local.get $k) (local.get $v)))
  (func (export "run") (param $n i32) (result i64 f64)
    (local $i i32) (local $acc i64) (local $x f64) (local $caught i32)
    (loop $l
      (local.set $x (f64.add (local.get $x) (f64.const 0.5)))
      (block $next
        (block $h (result i32 i64 f64)
          (try_table (catch $e $h)
            (local.set $acc (i64.add (local.get $acc)
                                     (i64.extend_i32_u (call $mid (local.get $i))))))
          (br $next))
        ;; Caught: the payload is on the stack.
        (local.set $x (f64.add (local.get $x)))
        (local.set $acc (i64.add (local.get $acc)))
        (local.set $acc (i64.add (i64.extend_i32_u) (local.get $acc)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
        (local.set $caught (i32.add (local.get $caught) (i32.const 1))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (local.get $n))))
    (i64.add (local.get $acc) (i64.shl (i64.extend_i32_u (local.get $caught)) (i64.const 56)))
    (local.get $x)))"#;

/// What [`PINNED`]'s `run(n)` returns, computed in Rust.
fn pinned_expected(n: u32) -> (i64, f64) {
    let (mut acc, mut x, mut caught) = (0i64, 0f64, 0i64);
    for i in 0..n {
        x += 0.5;
        if i % 3 == 0 {
            x += f64::from(i);
            acc = acc.wrapping_add(i64::from(i) << 33);
            acc = acc.wrapping_add(i64::from(i * 3));
            acc = acc.wrapping_add(i64::from(i));
            caught += 1;
        } else {
            acc = acc.wrapping_add(i64::from(i + 100 + i));
        }
    }
    (acc.wrapping_add(caught << 56), x)
}

#[test]
fn a_throw_across_frames_keeps_pinned_locals() {
    for n in [1, 2, 3, 10, 1000] {
        let got = on_all(|b| {
            let engine = engine(b, false);
            let mut store = Store::new(&engine, ());
            let m = module(&engine, PINNED);
            let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
            let run = instance
                .get_typed_func::<i32, (i64, f64)>(&store, "run")
                .unwrap();
            let (acc, x) = run.call(&mut store, n as i32).unwrap();
            (acc, x.to_bits())
        });
        let (acc, x) = pinned_expected(n);
        assert_eq!(got, (acc, x.to_bits()), "run({n})");
    }
}

#[test]
fn exceptions_cross_instances_and_tags_match_by_identity() {
    let got = on_all(|b| {
        let engine = engine(b, false);
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        let a = module(
            &engine,
            r#"(module
              (tag $e (export "e") (param i32))
              (tag $other (export "other") (param i32))
              (func (export "throw_e") (param i32) (throw $e (local.get 0)))
              (func (export "throw_other") (param i32) (throw $other (local.get 0)))
              (func $t (export "throw_e_tail") (param i32)
                (return_call 0 (i32.mul (local.get 0) (i32.const 2)))))"#,
        );
        let a = linker.instantiate(&mut store, &a).unwrap();
        linker.instance(&mut store, "a", a).unwrap();
        let b_mod = module(
            &engine,
            r#"(module
              (import "a" "e" (tag $e (param i32)))
              (import "a" "throw_e" (func $throw_e (param i32)))
              (import "a" "throw_other" (func $throw_other (param i32)))
              (import "a" "throw_e_tail" (func $throw_e_tail (param i32)))
              (tag $mine)
              (type $t (func (param i32)))
              (table funcref (elem $throw_e $throw_other $throw_e_tail))
              (elem declare func $throw_e)
              ;; which: 0 = e, 1 = other, 2 = e through a tail call; how: 0 = import,
              ;; 1 = call_indirect, 2 = call_ref. Returns 1000 + payload for `e`,
              ;; 2000 for anything else.
              (func (export "catch") (param $which i32) (param $how i32) (result i32)
                (block $all
                  (block $h (result i32)
                    (try_table (catch $mine $all) (catch $e $h) (catch_all $all)
                      (if (i32.eqz (local.get $how))
                        (then
                          (if (i32.eqz (local.get $which))
                            (then (call $throw_e (i32.const 7))))
                          (if (i32.eq (local.get $which) (i32.const 1))
                            (then (call $throw_other (i32.const 7))))
                          (call $throw_e_tail (i32.const 7))))
                      (if (i32.eq (local.get $how) (i32.const 1))
                        (then (call_indirect (type $t) (i32.const 7) (local.get $which))))
                      (if (i32.eq (local.get $how) (i32.const 2))
                        (then (call_ref $t (i32.const 7) (ref.func $throw_e)))))
                    (return (i32.const -1)))
                  (return (i32.add (i32.const 1000))))
                (i32.const 2000)))"#,
        );
        let b_inst = linker.instantiate(&mut store, &b_mod).unwrap();
        let catch = b_inst
            .get_typed_func::<(i32, i32), i32>(&store, "catch")
            .unwrap();
        let mut out = Vec::new();
        for which in 0..3 {
            for how in 0..2 {
                out.push(catch.call(&mut store, (which, how)).unwrap());
            }
        }
        out.push(catch.call(&mut store, (0, 2)).unwrap());
        out
    });
    // e: 1007; other (not $e, caught by catch_all): 2000; e after a tail call (payload 14).
    assert_eq!(got, [1007, 1007, 2000, 2000, 1014, 1014, 1007]);
}

#[test]
fn throw_ref_rethrows_the_same_exception() {
    let got = on_all(|b| {
        let engine = engine(b, false);
        let mut store = Store::new(&engine, ());
        let m = module(
            &engine,
            r#"(module
              (tag $e (param i64))
              (global $seen (mut i32) (i32.const 0))
              (func $inner (param i64)
                (block $h (result exnref)
                  (try_table (catch_all_ref $h)
                    (throw $e (local.get 0)))
                  (unreachable))
                ;; Count, then rethrow the very same exception.
                (global.set $seen (i32.add (global.get $seen) (i32.const 1)))
                (throw_ref))
              (func $middle (param i64) (local $r exnref)
                (block $h (result i64 exnref)
                  (try_table (catch_ref $e $h)
                    (call $inner (local.get 0)))
                  (unreachable))
                (global.set $seen (i32.add (global.get $seen) (i32.const 10)))
                ;; Drop the payload copy, rethrow the reference.
                (local.set $r)
                (drop)
                (throw_ref (local.get $r)))
              (func (export "run") (param i64) (result i64 i32)
                (block $h (result i64)
                  (try_table (catch $e $h)
                    (call $middle (local.get 0)))
                  (unreachable))
                (global.get $seen))
              (func (export "null") (throw_ref (ref.null exn))))"#,
        );
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let run = instance
            .get_typed_func::<i64, (i64, i32)>(&store, "run")
            .unwrap();
        let r = run.call(&mut store, -5).unwrap();
        let null = instance.get_typed_func::<(), ()>(&store, "null").unwrap();
        let err = null.call(&mut store, ()).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::NullExceptionReference));
        (r, run.call(&mut store, 9).unwrap(), message(&err))
    });
    assert_eq!(got.0, (-5, 11));
    assert_eq!(got.1, (9, 22));
}

#[test]
fn an_uncaught_exception_traps_with_the_throwers_backtrace() {
    let msg = on_all(|b| {
        let engine = engine(b, false);
        let mut store = Store::new(&engine, ());
        let m = module(
            &engine,
            r#"(module
              (tag $e (param i32))
              (tag $f)
              (func $thrower (param i32) (throw $e (local.get 0)))
              (func $middle (param i32) (result i32)
                ;; Catches only $f: $e goes on.
                (block $h
                  (try_table (catch $f $h)
                    (call $thrower (local.get 0))))
                (i32.const 5))
              (func (export "outer") (param i32) (result i32)
                (i32.add (call $middle (local.get 0)) (i32.const 1)))
              (func (export "fine") (result i32) (i32.const 42)))"#,
        );
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let outer = instance
            .get_typed_func::<i32, i32>(&store, "outer")
            .unwrap();
        let err = outer.call(&mut store, 3).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::UncaughtException));
        let frames = err.as_trap().unwrap().backtrace().unwrap();
        let indices: Vec<u32> = frames.iter().map(|f| f.func_index).collect();
        assert_eq!(indices, [0, 1, 2], "thrower, middle, outer");
        // The store is still usable, and so is the same function.
        let fine = instance.get_typed_func::<(), i32>(&store, "fine").unwrap();
        assert_eq!(fine.call(&mut store, ()).unwrap(), 42);
        assert_eq!(
            outer.call(&mut store, 4).unwrap_err().trap_code(),
            Some(TrapCode::UncaughtException)
        );
        message(&err)
    });
    assert!(msg.starts_with("uncaught exception"), "{msg}");
}

/// `$rec(d, at, catch_at)` recurses `d` levels with a few live values per frame (so the value
/// stack grows and moves several times), throws at the bottom, and the frame at depth
/// `catch_at` catches; each frame on the way back adds its depth.
const DEEP: &str = r#"(module
  (tag $e (param i64))
  (func $rec (export "rec") (param $d i32) (param $catch_at i32) (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $pad v128)
    (local.set $a (i64.extend_i32_u (local.get $d)))
    (local.set $b (i64.mul (local.get $a) (i64.const 3)))
    (if (i32.eqz (local.get $d))
      (then (throw $e (i64.const 1000000))))
    (if (i32.eq (local.get $d) (local.get $catch_at))
      (then
        (block $h (result i64)
          (try_table (catch $e $h)
            (return (call $rec (i32.sub (local.get $d) (i32.const 1)) (local.get $catch_at))))
          (unreachable))
        ;; payload + this frame's values
        (return (i64.add (i64.add (local.get $a) (local.get $b))))))
    (i64.add (call $rec (i32.sub (local.get $d) (i32.const 1)) (local.get $catch_at))
             (local.get $a))))"#;

#[test]
fn deep_recursion_then_a_throw() {
    let got = on_all(|b| {
        let engine = engine(b, false);
        let mut store = Store::new(&engine, ());
        let m = module(&engine, DEEP);
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let rec = instance
            .get_typed_func::<(i32, i32), i64>(&store, "rec")
            .unwrap();
        let mut out = Vec::new();
        for (d, at) in [(5000, 5000), (5000, 2500), (5000, 1), (200, 150)] {
            out.push(rec.call(&mut store, (d, at)).unwrap());
        }
        // Nobody catches: the whole recursion unwinds to a trap, and the store still works.
        let err = rec.call(&mut store, (3000, 4000)).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::UncaughtException));
        assert_eq!(err.as_trap().unwrap().backtrace().unwrap().len(), 3001);
        out.push(rec.call(&mut store, (10, 10)).unwrap());
        out
    });
    // Catching at depth `at` returns 1_000_000 + 4 * at, then each frame above adds its depth.
    let expected = |d: i64, at: i64| 1_000_000 + 4 * at + (at + 1..=d).sum::<i64>();
    assert_eq!(
        got,
        [
            expected(5000, 5000),
            expected(5000, 2500),
            expected(5000, 1),
            expected(200, 150),
            expected(10, 10)
        ]
    );
}

#[test]
fn an_exception_does_not_cross_a_host_function() {
    let got = on_all(|b| {
        let engine = engine(b, false);
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap(
                "env",
                "call_back",
                |mut caller: Caller<'_, ()>, x: i32| -> Result<i32, Error> {
                    let f = caller.get_export("thrower").unwrap().into_func().unwrap();
                    let mut out = [Val::I32(0)];
                    match f.call(&mut caller, &[Val::I32(x)], &mut out) {
                        Ok(()) => match out[0] {
                            Val::I32(v) => Ok(v),
                            _ => Err(Error::host("not an i32")),
                        },
                        // The inner activation's exception reaches the host as a trap.
                        Err(e) => {
                            assert_eq!(e.trap_code(), Some(TrapCode::UncaughtException));
                            if x == 1 {
                                Err(e)
                            } else {
                                Ok(-1)
                            }
                        }
                    }
                },
            )
            .unwrap();
        let m = module(
            &engine,
            r#"(module
              (import "env" "call_back" (func $cb (param i32) (result i32)))
              (tag $e)
              (func (export "thrower") (param i32) (result i32)
                (if (local.get 0) (then (throw $e)))
                (i32.const 9))
              (func (export "run") (param i32) (result i32)
                (block $h
                  (try_table (catch_all $h)
                    (return (call $cb (local.get 0)))))
                (i32.const 77)))"#,
        );
        let instance = linker.instantiate(&mut store, &m).unwrap();
        let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
        let ok = run.call(&mut store, 0).unwrap();
        let swallowed = run.call(&mut store, 2).unwrap();
        // The host returns the trap: wasm's catch_all does not see it.
        let err = run.call(&mut store, 1).unwrap_err();
        (
            ok,
            swallowed,
            err.trap_code(),
            run.call(&mut store, 0).unwrap(),
        )
    });
    assert_eq!(got, (9, -1, Some(TrapCode::UncaughtException), 9));
}

#[test]
fn a_tail_call_leaves_the_try_table_behind() {
    let got = on_all(|b| {
        let engine = engine(b, false);
        let mut store = Store::new(&engine, ());
        let m = module(
            &engine,
            r#"(module
              (tag $e (param i32))
              (func $thrower (param i32) (result i32) (throw $e (local.get 0)))
              ;; The try_table around the tail call must not catch: the frame is gone.
              (func $tail (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $e $h)
                    (return_call $thrower (local.get 0)))
                  (unreachable))
                (drop)
                (i32.const -1))
              (func (export "run") (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $e $h)
                    (return (call $tail (local.get 0))))
                  (unreachable))
                (i32.add (i32.const 100))))"#,
        );
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
        run.call(&mut store, 5).unwrap()
    });
    assert_eq!(got, 105);
}

#[test]
fn fuel_is_spent_alike_through_throws() {
    let got = on_all(|b| {
        let engine = engine(b, true);
        let mut store = Store::new(&engine, ());
        store.set_fuel(1_000_000).unwrap();
        let m = module(&engine, PINNED);
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let run = instance
            .get_typed_func::<i32, (i64, f64)>(&store, "run")
            .unwrap();
        let (acc, _) = run.call(&mut store, 100).unwrap();
        let left = store.get_fuel().unwrap();
        // Run out of fuel somewhere in the middle of the throws.
        store.set_fuel(700).unwrap();
        let err = run.call(&mut store, 1000).unwrap_err();
        (acc, left, err.trap_code(), store.get_fuel().unwrap())
    });
    assert_eq!(got.0, pinned_expected(100).0);
    assert!(got.1 < 1_000_000);
    assert_eq!(got.2, Some(TrapCode::OutOfFuel));
}

/// The tags of generated programs: their names and payload types.
const TAGS: [(&str, &[&str]); 3] = [("$t0", &[]), ("$t1", &["i32"]), ("$t2", &["i64", "f64"])];

/// A random valid program over [`TAGS`]: `FUNCS` functions `$f0..` of type `(param $d i32)
/// (result i32)` whose bodies mix arithmetic on locals (hot in loops, so x64 pins them), calls
/// (recursion bounded by `$d`), tail calls, `throw`s, `try_table`s with every kind of clause,
/// `throw_ref` of caught and saved exceptions; every handler folds what it caught into the
/// global `$acc`, so where each exception was caught shows in the result.
struct Gen {
    rng: Rng,
    labels: u32,
}

const FUNCS: u64 = 4;

impl Gen {
    fn label(&mut self) -> String {
        self.labels += 1;
        format!("$l{}", self.labels)
    }

    /// `$acc = $acc * 1000003 + value` (an i64 expression).
    fn record(value: &str) -> String {
        format!(
            "(global.set $acc (i64.add (i64.mul (global.get $acc) (i64.const 1000003)) {value}))"
        )
    }

    fn stmts(&mut self, depth: u32, n: u64) -> String {
        (0..n)
            .map(|_| self.stmt(depth))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn throw(&mut self) -> String {
        match self.rng.below(3) {
            0 => "(throw $t0)".into(),
            1 => "(throw $t1 (local.get $b))".into(),
            _ => "(throw $t2 (local.get $a) (f64.convert_i32_s (local.get $b)))".into(),
        }
    }

    fn stmt(&mut self, depth: u32) -> String {
        let leaf = depth >= 3;
        // Function bodies are mostly made of `try_table`s, so that most throws are caught.
        if depth == 0 && self.rng.below(2) == 0 {
            return self.try_table(depth);
        }
        match self.rng.below(if leaf { 7 } else { 10 }) {
            0 => format!(
                "(local.set $b (i32.add (i32.mul (local.get $b) (i32.const 3)) (i32.const {})))",
                self.rng.below(100)
            ),
            1 => "(local.set $a (i64.add (local.get $a) (i64.extend_i32_u (local.get $b))))".into(),
            2 => Self::record("(i64.extend_i32_u (local.get $b))"),
            3 => {
                let f = self.rng.below(FUNCS);
                format!(
                    "(if (i32.lt_u (local.get $d) (i32.const 6)) (then
                       (local.set $b (i32.add (local.get $b)
                         (call $f{f} (i32.add (local.get $d) (i32.const 1)))))))"
                )
            }
            4 => {
                let t = self.throw();
                let bit = 1 << self.rng.below(4);
                format!("(if (i32.and (local.get $b) (i32.const {bit})) (then {t}))")
            }
            5 => self.throw(),
            6 => match self.rng.below(3) {
                // Rethrow the saved exception, if any (clearing it, so it is not rethrown forever).
                0 => {
                    let l = self.label();
                    format!(
                        "(block {l} (local.set $e (global.get $saved))
                           (br_if {l} (ref.is_null (local.get $e)))
                           (global.set $saved (ref.null exn))
                           (throw_ref (local.get $e)))"
                    )
                }
                1 => {
                    let f = self.rng.below(FUNCS);
                    format!(
                        "(if (i32.lt_u (local.get $d) (i32.const 6)) (then
                           (return_call $f{f} (i32.add (local.get $d) (i32.const 1)))))"
                    )
                }
                _ => {
                    "(if (i32.gt_u (local.get $b) (i32.const 200)) (then (return (local.get $b))))"
                        .into()
                }
            },
            7 => {
                let i = format!("$i{depth}");
                let l = self.label();
                let n = 1 + self.rng.below(3);
                let body = self.stmts(depth + 1, n);
                format!(
                    "(local.set {i} (i32.const 0))
                     (loop {l}
                       {body}
                       (local.set {i} (i32.add (local.get {i}) (i32.const 1)))
                       (br_if {l} (i32.lt_u (local.get {i}) (i32.const 3))))"
                )
            }
            _ => self.try_table(depth),
        }
    }

    /// A `try_table` with 1 to 3 random clauses around random statements; each clause's block
    /// records what it got, maybe saves or rethrows the `exnref`, and leaves.
    fn try_table(&mut self, depth: u32) -> String {
        let done = self.label();
        let n = 1 + self.rng.below(3);
        // (label, tag index or None for catch_all, with_ref)
        let clauses: Vec<(String, Option<usize>, bool)> = (0..n)
            .map(|_| {
                let tag = (self.rng.below(4) != 3).then(|| self.rng.below(3) as usize);
                (self.label(), tag, self.rng.below(2) == 0)
            })
            .collect();
        let k = 1 + self.rng.below(4);
        let body = self.stmts(depth + 1, k);
        let catches: String = clauses
            .iter()
            .map(|(l, tag, r)| match (tag, r) {
                (Some(t), false) => format!("(catch {} {l})", TAGS[*t].0),
                (Some(t), true) => format!("(catch_ref {} {l})", TAGS[*t].0),
                (None, false) => format!("(catch_all {l})"),
                (None, true) => format!("(catch_all_ref {l})"),
            })
            .collect::<Vec<_>>()
            .join(" ");
        // Blocks from the outermost (last clause) in: the first clause's block is innermost.
        let mut text = format!("(block {done}\n");
        for (l, tag, r) in clauses.iter().rev() {
            let mut ty: Vec<&str> = tag.map_or(&[][..], |t| TAGS[t].1).to_vec();
            if *r {
                ty.push("exnref");
            }
            text += &format!("(block {l} (result {})\n", ty.join(" "));
        }
        text += &format!("(try_table {catches}\n{body})\n(br {done}))\n");
        for (k, (_, tag, r)) in clauses.iter().enumerate() {
            // The values of clause k are on the stack: stash them, record them, leave.
            if *r {
                text += "(local.set $e)\n";
            }
            match tag {
                Some(1) => text += "(local.set $ti)\n",
                Some(2) => text += "(local.set $tf) (local.set $tl)\n",
                _ => {}
            }
            text += &Self::record(&format!(
                "(i64.const {})",
                7 + k as u64 + 10 * tag.map_or(9, |t| t as u64)
            ));
            match tag {
                Some(1) => text += &Self::record("(i64.extend_i32_u (local.get $ti))"),
                Some(2) => {
                    text += &Self::record("(local.get $tl)");
                    text += &Self::record("(i64.trunc_sat_f64_s (local.get $tf))");
                }
                _ => {}
            }
            if *r {
                match self.rng.below(3) {
                    0 => text += "(global.set $saved (local.get $e))\n",
                    1 => text += "(if (i32.and (local.get $b) (i32.const 2)) (then (throw_ref (local.get $e))))\n",
                    _ => {}
                }
            }
            // Clause blocks are nested: leaving clause k's block falls into clause k+1's code,
            // so each handler ends by leaving the whole construct.
            text += &format!("(br {done}))\n");
        }
        text
    }

    fn module(&mut self) -> String {
        let mut m = String::from(
            "(module
               (tag $t0) (tag $t1 (param i32)) (tag $t2 (param i64 f64))
               (global $acc (export \"acc\") (mut i64) (i64.const 0))
               (global $saved (mut exnref) (ref.null exn))\n",
        );
        for f in 0..FUNCS {
            let n = 2 + self.rng.below(5);
            let body = self.stmts(0, n);
            m += &format!(
                "(func $f{f} (export \"f{f}\") (param $d i32) (result i32)
                   (local $a i64) (local $b i32) (local $ti i32) (local $tl i64) (local $tf f64)
                   (local $e exnref) (local $i0 i32) (local $i1 i32) (local $i2 i32) (local $i3 i32)
                   (local.set $b (i32.add (local.get $d) (i32.const {f})))
                   {body}
                   (local.get $b))\n"
            );
        }
        m + ")"
    }
}

#[test]
fn random_exception_programs_agree() {
    let seeds: u64 = std::env::var("STRATA_EH_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let (mut caught, mut uncaught, mut ok) = (0, 0, 0);
    for seed in 1..=seeds {
        let src = Gen {
            rng: Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1),
            labels: 0,
        }
        .module();
        let got = on_all(|b| {
            let engine = engine(b, true);
            let mut store = Store::new(&engine, ());
            let m = Module::new(&engine, &wat(&src))
                .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{src}"));
            let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
            let acc = instance.get_global(&store, "acc").unwrap();
            let mut out = Vec::new();
            let mut before = 0;
            for f in 0..FUNCS {
                store.set_fuel(200_000).unwrap();
                let func = instance
                    .get_typed_func::<i32, i32>(&store, &format!("f{f}"))
                    .unwrap();
                let r = func.call(&mut store, 0).map_err(|e| message(&e));
                let Val::I64(a) = acc.get(&store) else {
                    panic!("acc is an i64")
                };
                out.push((r, a != before, a, store.get_fuel().unwrap()));
                before = a;
            }
            out
        });
        for (r, recorded, _, _) in &got {
            match r {
                Ok(_) if *recorded => caught += 1,
                Ok(_) => ok += 1,
                Err(m) if m.starts_with("uncaught exception") => uncaught += 1,
                Err(_) => {}
            }
        }
    }
    println!(
        "{seeds} programs: {caught} calls returned after catching, {uncaught} uncaught, {ok} \
         returned without catching"
    );
    // The generator must exercise both outcomes, or this test checks nothing.
    assert!(
        caught > 0 && uncaught > 0,
        "{caught} caught, {uncaught} uncaught"
    );
}
