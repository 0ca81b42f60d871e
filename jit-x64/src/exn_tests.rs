//! Exceptions on x64: agreement with the interpreter, the call-site tables the unwinder reads,
//! and that catching costs the code that does not throw nothing.

use alloc::vec::Vec;

use strata_interp::Error;
use strata_ir::Instr;
use strata_vm::TrapCode;

use crate::tests::{both, module};

const EXN: &str = r#"(module
  (import "env" "double" (func $double (param i32) (result i32)))
  (tag $e (param i32 i64))
  (tag $empty)
  (func $thrower (param i32) (result i32)
    (if (i32.gt_u (local.get 0) (i32.const 10))
      (then (throw $e (local.get 0) (i64.const -1))))
    (if (i32.eq (local.get 0) (i32.const 5)) (then (throw $empty)))
    (call $double (local.get 0)))
  ;; sum over i < n of: thrower(i), or a + b for $e(a, b), or 1000 for anything else.
  (func (export "sum") (param $n i32) (result i64)
    (local $i i32) (local $s i64) (local $b i64)
    (loop $l
      (block $next
        (block $all
          (block $h (result i32 i64)
            (try_table (catch $e $h) (catch_all $all)
              (local.set $s (i64.add (local.get $s)
                                     (i64.extend_i32_u (call $thrower (local.get $i))))))
            (br $next))
          (local.set $b)
          (local.set $s (i64.add (i64.extend_i32_u) (local.get $s)))
          (local.set $s (i64.add (local.get $s) (local.get $b)))
          (br $next))
        (local.set $s (i64.add (local.get $s) (i64.const 1000))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (local.get $n))))
    (local.get $s))
  (func (export "uncaught") (param i32) (result i32)
    (i32.add (call $thrower (local.get 0)) (i32.const 1)))
  (func (export "null") (throw_ref (ref.null exn))))"#;

#[test]
fn exceptions_agree_with_the_interpreter() {
    let r = both(
        EXN,
        &[
            ("sum", &[20]),
            ("uncaught", &[3]),
            ("uncaught", &[11]),
            ("uncaught", &[5]),
            ("null", &[]),
            ("sum", &[3]),
        ],
    );
    // i < 20: 2i for i in {0..=10} \ {5}, 1000 for 5, i - 1 for i > 10.
    let sum: i64 = (0..=10).filter(|&i| i != 5).map(|i| 2 * i).sum::<i64>()
        + 1000
        + (11..20).map(|i| i - 1).sum::<i64>();
    assert_eq!(r[0], Ok(alloc::vec![sum as u64]));
    assert_eq!(r[1], Ok(alloc::vec![7]));
    let code = |o: &crate::tests::Outcome| match o {
        Err(Error::Trap(t)) => Some((t.code(), t.backtrace().map_or(0, |b| b.len()))),
        _ => None,
    };
    // Thrown in $thrower, not caught by "uncaught": both frames in the backtrace.
    assert_eq!(code(&r[2]), Some((TrapCode::UncaughtException, 2)));
    assert_eq!(code(&r[3]), Some((TrapCode::UncaughtException, 2)));
    assert_eq!(code(&r[4]), Some((TrapCode::NullExceptionReference, 1)));
    // 2 * (0 + 1 + 2)
    assert_eq!(r[5], Ok(alloc::vec![6]));
}

#[test]
fn every_call_site_maps_back_to_its_call() {
    let info = module(EXN);
    let m = crate::compile::compile(&info.code, info.num_imported_funcs).unwrap();
    for (local, f) in info.code.iter().enumerate() {
        let starts = m.instr_starts(local);
        let calls: Vec<usize> = f
            .instrs
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                matches!(
                    i,
                    Instr::Call { .. } | Instr::CallIndirect { .. } | Instr::CallRef { .. }
                )
            })
            .map(|(pc, _)| pc)
            .collect();
        assert_eq!(m.call_sites[local].len(), calls.len(), "function {local}");
        for (&(off, pc), &want) in m.call_sites[local].iter().zip(&calls) {
            assert_eq!(pc as usize, want);
            // The return address lies within the call's own code.
            let pc = pc as usize;
            assert!(starts[pc] < off && off < starts[pc + 1], "{off} in {pc}");
            let ret = m.entry(local) + off as usize;
            assert_eq!(m.call_at(local, ret), Some(pc));
            assert_eq!(m.call_at(local, ret - 1), None);
        }
        // Only functions with handlers have a landing pad, out of line (after the body).
        let handlers = !f.handlers.is_empty();
        for c in f.handlers.iter().flat_map(|h| h.catches.iter()) {
            let (pad, target) = m.landing(local, c.target.index()).unwrap();
            assert_eq!(target, m.entry(local) + starts[c.target.index()] as usize);
            assert!(pad >= m.entry(local) + *starts.last().unwrap() as usize);
        }
        assert_eq!(m.landing(local, 0).is_some(), handlers, "function {local}");
    }
}

#[test]
fn a_call_inside_a_try_table_costs_what_one_outside_does() {
    // The same call in a `block` and in a `try_table`: its machine code (from the
    // instruction's start to the next one's) is byte for byte the same, so catching adds
    // nothing to the path that does not throw.
    let plain = r#"(module
      (tag $e)
      (func $g (param i32) (result i32) (local.get 0))
      (func (export "f") (param i32) (result i32)
        (block $h
          (block
            (return (call $g (local.get 0)))))
        (i32.const -1)))"#;
    let caught = r#"(module
      (tag $e)
      (func $g (param i32) (result i32) (local.get 0))
      (func (export "f") (param i32) (result i32)
        (block $h
          (try_table (catch $e $h)
            (return (call $g (local.get 0)))))
        (i32.const -1)))"#;
    let call_code = |src: &str| {
        let info = module(src);
        let m = crate::compile::compile(&info.code, info.num_imported_funcs).unwrap();
        let f = &info.code[1];
        let pc = f
            .instrs
            .iter()
            .position(|i| matches!(i, Instr::Call { .. }))
            .unwrap();
        let Instr::Call { base, .. } = f.instrs[pc] else {
            unreachable!()
        };
        let starts = m.instr_starts(1);
        let mut code = m.code(1)[starts[pc] as usize..starts[pc + 1] as usize].to_vec();
        // The direct call's displacement depends on where the callee is: blank it.
        let (ret, _) = m.call_sites[1][0];
        let at = (ret - starts[pc]) as usize;
        assert_eq!(code[at - 5], 0xe8, "call rel32");
        code[at - 4..at].fill(0);
        (base, code, f.handlers.len())
    };
    let (base_a, a, handlers_a) = call_code(plain);
    let (base_b, b, handlers_b) = call_code(caught);
    assert_eq!((handlers_a, handlers_b), (0, 1));
    assert_eq!(base_a, base_b);
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

/// An exception caught by a clause without `_ref` (or by nobody) leaves nothing in the store;
/// one an `exnref` was made to stays, on both engines.
#[test]
fn exceptions_nobody_references_are_freed() {
    const KEPT: &str = r#"(module
      (tag $e (param i32))
      (global $g (mut exnref) (ref.null exn))
      (func (export "keep") (param i32)
        (block $h (result i32 exnref)
          (try_table (catch_ref $e $h) (throw $e (local.get 0)))
          (unreachable))
        (global.set $g)
        (drop))
      (func (export "rethrow") (result i32)
        (block $h (result i32)
          (try_table (catch $e $h) (throw_ref (global.get $g)))
          (unreachable))))"#;
    for jit in [false, true] {
        let (mut store, inst) = crate::tests::instance(EXN, jit);
        let sum = crate::tests::call(&mut store, inst, "sum", &[20], jit);
        assert!(sum.is_ok(), "jit: {jit}: {sum:?}");
        let uncaught = crate::tests::call(&mut store, inst, "uncaught", &[11], jit);
        assert!(uncaught.is_err(), "jit: {jit}: {uncaught:?}");
        assert_eq!(store.exns.len(), 0, "jit: {jit}");

        let (mut store, inst) = crate::tests::instance(KEPT, jit);
        let kept = crate::tests::call(&mut store, inst, "keep", &[7], jit);
        assert!(kept.is_ok(), "jit: {jit}: {kept:?}");
        assert_eq!(store.exns.len(), 1, "jit: {jit}");
        // Rethrowing and catching the kept exception frees nothing: the global still has it.
        let r = crate::tests::call(&mut store, inst, "rethrow", &[], jit);
        let again = crate::tests::call(&mut store, inst, "rethrow", &[], jit);
        assert!(r.is_ok() && r == again, "jit: {jit}: {r:?} then {again:?}");
        assert_eq!(store.exns.len(), 1, "jit: {jit}");
    }
}
