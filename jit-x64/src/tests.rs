//! Small modules compiled and run on x64, checked against the interpreter, and machine-code
//! snapshots.

use alloc::sync::Arc;
use alloc::vec::Vec;

use strata_decoder::Features;
use strata_interp::{Error, Host};
use strata_vm::{
    ExternVal, FuncAddr, InstanceAddr, ModuleInfo, StoreConfig, StoreInner, TrapCode, UntypedVal,
};

fn wat(src: &str) -> Vec<u8> {
    let buf = wast::parser::ParseBuffer::new(src).unwrap();
    let mut m: wast::Wat = wast::parser::parse(&buf).unwrap();
    m.encode().unwrap()
}

pub(crate) fn module(src: &str) -> Arc<ModuleInfo> {
    let bytes = wat(src);
    let features = Features::default() | Features::EXCEPTIONS | Features::TAIL_CALL;
    let m = strata_decoder::decode(&bytes, features).unwrap();
    let t = strata_ir::translate_module(&m).unwrap();
    Arc::new(ModuleInfo::new(&m, t.funcs).unwrap())
}

/// Host functions: 0 doubles its i32 argument, 1 fails.
struct TestHost;

impl Host for TestHost {
    type Error = &'static str;

    fn call_host(
        &mut self,
        _store: &mut StoreInner,
        index: u32,
        _caller: Option<InstanceAddr>,
        slots: &mut [UntypedVal],
    ) -> Result<(), &'static str> {
        match index {
            0 => {
                slots[0] = UntypedVal::from_i32(slots[0].to_i32().wrapping_mul(2));
                Ok(())
            }
            _ => Err("host failure"),
        }
    }
}

/// A store with `src` instantiated (imports: `env.double`, `env.fail`, in that order if used).
pub(crate) fn instance(src: &str, jit: bool) -> (StoreInner, InstanceAddr) {
    let info = module(src);
    let mut store = StoreInner::new(StoreConfig::default());
    if jit {
        crate::enable(&mut store);
        crate::compile_module(&info).unwrap();
    }
    let ty = strata_decoder::FuncType::new(
        &[strata_decoder::ValType::I32],
        &[strata_decoder::ValType::I32],
    );
    let imports: Vec<ExternVal> = info
        .imports
        .iter()
        .map(|i| {
            let index = if &*i.name == "double" { 0 } else { 1 };
            ExternVal::Func(store.push_host_func(&ty, index))
        })
        .collect();
    let r = strata_vm::instantiate(&mut store, &info, &imports).unwrap();
    (store, r.instance)
}

fn export(store: &StoreInner, inst: InstanceAddr, name: &str) -> FuncAddr {
    match store.instance(inst).export(name) {
        Some(ExternVal::Func(f)) => f,
        _ => panic!("no export {name}"),
    }
}

pub(crate) type Outcome = Result<Vec<u64>, Error<&'static str>>;

pub(crate) fn call(
    store: &mut StoreInner,
    inst: InstanceAddr,
    name: &str,
    args: &[u64],
    jit: bool,
) -> Outcome {
    let f = export(store, inst, name);
    let e = store.func(f);
    let n = usize::from(e.param_slots.max(e.result_slots)).max(1);
    let results = usize::from(e.result_slots);
    let mut slots = alloc::vec![UntypedVal::ZERO; n];
    for (s, a) in slots.iter_mut().zip(args) {
        *s = UntypedVal::from_u64(*a);
    }
    if jit {
        crate::invoke(store, &mut TestHost, f, &mut slots)?;
    } else {
        strata_interp::invoke(store, &mut TestHost, f, &mut slots)?;
    }
    Ok(slots[..results].iter().map(|s| s.to_u64()).collect())
}

/// Runs every call on both engines (fresh stores) and checks they agree; returns x64's.
pub(crate) fn both(src: &str, calls: &[(&str, &[u64])]) -> Vec<Outcome> {
    let (mut js, ji) = instance(src, true);
    let (mut is, ii) = instance(src, false);
    calls
        .iter()
        .map(|(name, args)| {
            let j = call(&mut js, ji, name, args, true);
            let i = call(&mut is, ii, name, args, false);
            assert_eq!(
                j, i,
                "{name}({args:?}) differs between x64 and the interpreter"
            );
            j
        })
        .collect()
}

const ARITH: &str = r#"(module
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call 1 (i32.sub (local.get 0) (i32.const 1)))
                     (call 1 (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "loop") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get 0) (i32.const 0))))
    (local.get 1))
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "rem_s") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
  (func (export "clz") (param i64) (result i64) (i64.clz (local.get 0)))
  (func (export "ctz") (param i32) (result i32) (i32.ctz (local.get 0)))
  (func (export "rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
  (func (export "fmin") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
  (func (export "flt") (param f32 f32) (result i32) (f32.lt (local.get 0) (local.get 1)))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "select") (param i64 i64 i32) (result i64)
    (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "switch") (param i32) (result i32)
    (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 10)))
      (return (i32.const 11)))
    (i32.const 12))
)"#;

#[test]
fn arithmetic_and_control_agree_with_the_interpreter() {
    let nan = f64::NAN.to_bits();
    let r = both(
        ARITH,
        &[
            ("fac", &[20]),
            ("fib", &[20]),
            ("loop", &[1000]),
            ("div_s", &[7, (-2i32) as u32 as u64]),
            ("div_s", &[1, 0]),
            ("div_s", &[i32::MIN as u32 as u64, (-1i32) as u32 as u64]),
            ("rem_s", &[i64::MIN as u64, u64::MAX]),
            ("clz", &[0]),
            ("clz", &[1]),
            ("ctz", &[0]),
            ("rotl", &[0x8000_0001, 33]),
            ("fmin", &[(-0.0f64).to_bits(), 0.0f64.to_bits()]),
            ("fmin", &[nan, 1.0f64.to_bits()]),
            ("flt", &[f32::NAN.to_bits().into(), 1.0f32.to_bits().into()]),
            ("trunc", &[(-3.9f64).to_bits()]),
            ("trunc", &[nan]),
            ("select", &[1, 2, 0]),
            ("switch", &[0]),
            ("switch", &[2]),
            ("switch", &[99]),
        ],
    );
    assert_eq!(r[0], Ok(alloc::vec![2_432_902_008_176_640_000]));
    assert_eq!(r[1], Ok(alloc::vec![6765]));
    assert_eq!(r[2], Ok(alloc::vec![500_500]));
    let Err(Error::Trap(t)) = &r[4] else {
        panic!("expected a trap")
    };
    assert_eq!(t.code(), TrapCode::IntegerDivideByZero);
}

const MEMORY: &str = r#"(module
  (import "env" "double" (func $double (param i32) (result i32)))
  (import "env" "fail" (func $fail (param i32) (result i32)))
  (memory 1 3)
  (table 2 funcref)
  (elem (i32.const 0) $inc)
  (global $g (mut i64) (i64.const 5))
  (type $t (func (param i32) (result i32)))
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "store_load") (param i32 i64) (result i64)
    (i64.store offset=8 (local.get 0) (local.get 1))
    (i64.load offset=8 (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "global") (param i64) (result i64)
    (global.set $g (i64.add (global.get $g) (local.get 0))) (global.get $g))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $t) (local.get 0) (local.get 1)))
  (func (export "host") (param i32) (result i32) (call $double (local.get 0)))
  (func (export "host_fail") (param i32) (result i32) (call $fail (local.get 0)))
  (func $deep (export "deep") (param i32) (result i32)
    (call $deep (i32.add (local.get 0) (i32.const 1))))
)"#;

#[test]
fn memory_tables_globals_and_calls_agree_with_the_interpreter() {
    let r = both(
        MEMORY,
        &[
            ("store_load", &[100, 0x1122_3344_5566_7788]),
            ("store_load", &[65_528, 1]),
            ("store_load", &[0xffff_fff0, 1]),
            ("load8", &[108]),
            ("grow", &[1]),
            ("size", &[]),
            ("store_load", &[65_528, 1]),
            ("grow", &[5]),
            ("global", &[3]),
            ("global", &[4]),
            ("indirect", &[41, 0]),
            ("indirect", &[41, 1]),
            ("indirect", &[41, 2]),
            ("host", &[21]),
            ("host_fail", &[1]),
            ("deep", &[0]),
            ("host", &[5]),
        ],
    );
    assert_eq!(r[0], Ok(alloc::vec![0x1122_3344_5566_7788]));
    assert!(matches!(&r[1], Err(Error::Trap(t)) if t.code() == TrapCode::MemoryOutOfBounds));
    assert_eq!(r[6], Ok(alloc::vec![1]));
    assert_eq!(r[10], Ok(alloc::vec![42]));
    assert!(matches!(&r[11], Err(Error::Trap(t)) if t.code() == TrapCode::UninitializedElement));
    assert!(matches!(&r[12], Err(Error::Trap(t)) if t.code() == TrapCode::UndefinedElement));
    assert_eq!(r[13], Ok(alloc::vec![42]));
    assert_eq!(r[14], Err(Error::Host("host failure")));
    // Exhaustion is a trap, with a backtrace as deep as the interpreter's, and the store
    // keeps working afterwards.
    let Err(Error::Trap(t)) = &r[15] else {
        panic!("expected exhaustion")
    };
    assert_eq!(t.code(), TrapCode::StackOverflow);
    assert_eq!(t.backtrace().map(<[_]>::len), Some(20_000));
    assert_eq!(r[16], Ok(alloc::vec![10]));
}

#[test]
fn value_stack_grows_and_large_frames_work() {
    // 300 locals per frame and 50 levels: the value stack grows (and moves) several times.
    let mut locals = alloc::string::String::new();
    for _ in 0..300 {
        locals.push_str(" i64");
    }
    let src = alloc::format!(
        r#"(module (func $f (export "f") (param i32) (result i64) (local{locals})
            (local.set 299 (i64.extend_i32_u (local.get 0)))
            (if (result i64) (i32.eqz (local.get 0)) (then (i64.const 0))
              (else (i64.add (local.get 299) (call $f (i32.sub (local.get 0) (i32.const 1))))))))"#
    );
    let r = both(&src, &[("f", &[50])]);
    assert_eq!(r[0], Ok(alloc::vec![1275]));
}

/// A rough speed check (run with `--release -- --ignored --nocapture`): recursive `fib` and a
/// memory loop on both engines.
#[test]
#[ignore]
fn speed_against_the_interpreter() {
    let src = r#"(module (memory 1)
      (func $fib (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                         (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "mem") (param i32) (result i32) (local i32 i32)
        (loop $l
          (i32.store (i32.and (local.get 1) (i32.const 0xfffc)) (local.get 1))
          (local.set 2 (i32.add (local.get 2) (i32.load (i32.and (local.get 1) (i32.const 0xfffc)))))
          (local.set 1 (i32.add (local.get 1) (i32.const 4)))
          (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
        (local.get 2)))"#;
    for (name, arg) in [("fib", 30u64), ("mem", 40_000_000)] {
        for jit in [false, true] {
            let (mut s, i) = instance(src, jit);
            let t = std::time::Instant::now();
            let r = call(&mut s, i, name, &[arg], jit).unwrap();
            let engine = if jit { "x64" } else { "interp" };
            std::println!("{name}({arg}) on {engine}: {:?} -> {r:?}", t.elapsed());
        }
    }
}

/// `f64` slots pinned in `xmm` registers (`compile/fregs.rs`): arithmetic, compares fused
/// with branches, NaN payloads and signs, `-0.0`, conversions, memory, and values living
/// across calls, host calls and slow-path helpers.
const FLOATS: &str = r#"(module
  (import "env" "double" (func $double (param i32) (result i32)))
  (memory 1)
  (func $id (param f64) (result f64) (local.get 0))
  (func (export "arith") (param f64 f64) (result f64)
    (f64.div (f64.sub (f64.mul (local.get 0) (local.get 1)) (local.get 1))
             (f64.add (local.get 1) (f64.const 1))))
  (func (export "rhs_alias") (param f64 f64) (result f64)
    (local.set 1 (f64.sub (local.get 0) (local.get 1)))
    (local.set 1 (f64.div (local.get 0) (local.get 1)))
    (local.get 1))
  (func (export "bits") (param f64 f64) (result f64 f64 f64 f64)
    (f64.neg (local.get 0)) (f64.abs (local.get 0))
    (f64.copysign (local.get 0) (local.get 1)) (f64.sqrt (local.get 1)))
  (func (export "cmp") (param f64 f64) (result i32)
    (i32.or (i32.or (i32.shl (f64.eq (local.get 0) (local.get 1)) (i32.const 0))
                    (i32.shl (f64.ne (local.get 0) (local.get 1)) (i32.const 1)))
      (i32.or (i32.or (i32.shl (f64.lt (local.get 0) (local.get 1)) (i32.const 2))
                      (i32.shl (f64.gt (local.get 0) (local.get 1)) (i32.const 3)))
              (i32.or (i32.shl (f64.le (local.get 0) (local.get 1)) (i32.const 4))
                      (i32.shl (f64.ge (local.get 0) (local.get 1)) (i32.const 5))))))
  (func (export "branches") (param f64 f64) (result i32) (local i32)
    (block (br_if 0 (f64.eq (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 1))))
    (block (br_if 0 (f64.ne (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 2))))
    (block (br_if 0 (f64.lt (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 4))))
    (block (br_if 0 (f64.gt (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 8))))
    (block (br_if 0 (f64.le (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 16))))
    (block (br_if 0 (f64.ge (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 32))))
    (if (f64.eq (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 64)))))
    (if (f64.ne (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 128)))))
    (if (f64.lt (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 256)))))
    (if (f64.ge (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 512)))))
    (local.get 2))
  (func (export "convert") (param i32 i64 f32 f64) (result f64 f64 f64 f64 f32 i64)
    (f64.convert_i32_s (local.get 0)) (f64.convert_i32_u (local.get 0))
    (f64.convert_i64_s (local.get 1)) (f64.promote_f32 (local.get 2))
    (f32.demote_f64 (local.get 3)) (i64.reinterpret_f64 (local.get 3)))
  (func (export "reinterpret") (param i64) (result f64)
    (f64.add (f64.reinterpret_i64 (local.get 0)) (f64.const 0)))
  (func (export "memory") (param i32 f64) (result f64) (local f64)
    (f64.store offset=8 (local.get 0) (f64.mul (local.get 1) (f64.const 2)))
    (local.set 2 (f64.load offset=8 (local.get 0)))
    (f64.add (local.get 2) (local.get 1)))
  ;; A loop keeping f64 locals in registers across a call, a host call and a helper (min).
  (func (export "loop") (param i32 f64) (result f64) (local f64 f64 i32)
    (local.set 2 (f64.const 0.5))
    (loop $l
      (local.set 3 (f64.add (local.get 3) (f64.mul (local.get 2) (local.get 1))))
      (local.set 2 (call $id (f64.add (local.get 2) (f64.const 0.25))))
      (local.set 4 (call $double (local.get 4)))
      (local.set 3 (f64.min (local.get 3) (f64.const 1e300)))
      (local.set 1 (f64.neg (local.get 1)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (f64.gt (f64.convert_i32_s (local.get 0)) (local.get 2))))
    (f64.add (local.get 3) (local.get 2)))
  (func (export "trunc_loop") (param f64) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.trunc_f64_s (local.get 0))))
      (local.set 0 (f64.add (f64.mul (local.get 0) (f64.const 2)) (f64.const 1)))
      (br_if $l (f64.lt (f64.abs (local.get 0)) (f64.const 1e6))))
    (local.get 1))
)"#;

#[test]
fn pinned_f64_slots_agree_with_the_interpreter() {
    let nan = f64::NAN.to_bits();
    let payload = 0x7ff4_0000_0000_1234u64; // a signalling NaN with a payload
    let neg_nan = 0xfff8_0000_0000_0042u64;
    let vals = [
        0.0f64.to_bits(),
        (-0.0f64).to_bits(),
        1.5f64.to_bits(),
        (-2.25f64).to_bits(),
        f64::INFINITY.to_bits(),
        f64::NEG_INFINITY.to_bits(),
        nan,
        payload,
        neg_nan,
        f64::MIN_POSITIVE.to_bits(),
    ];
    let mut calls: Vec<(&str, Vec<u64>)> = Vec::new();
    for &a in &vals {
        for &b in &vals {
            for name in ["arith", "rhs_alias", "bits", "cmp", "branches"] {
                calls.push((name, alloc::vec![a, b]));
            }
        }
        calls.push((
            "convert",
            alloc::vec![u64::from(u32::MAX), a, u64::from(f32::NAN.to_bits()), a],
        ));
        calls.push((
            "convert",
            alloc::vec![7, (-9i64) as u64, u64::from((-0.0f32).to_bits()), a],
        ));
        calls.push(("reinterpret", alloc::vec![a]));
        calls.push(("memory", alloc::vec![16, a]));
        calls.push(("memory", alloc::vec![65530, a]));
        calls.push(("trunc_loop", alloc::vec![a]));
    }
    calls.push(("loop", alloc::vec![50, 3.0f64.to_bits()]));
    calls.push(("loop", alloc::vec![3, nan]));
    calls.push(("trunc_loop", alloc::vec![1e12f64.to_bits()]));
    let refs: Vec<(&str, &[u64])> = calls.iter().map(|(n, a)| (*n, a.as_slice())).collect();
    let r = both(FLOATS, &refs);
    let first = calls.iter().position(|(n, _)| *n == "branches").unwrap();
    assert_eq!(r[first], Ok(alloc::vec![2 | 4 | 8 | 64 | 512]));
}

/// Pinned integer slots computed in place (operand swaps, `setcc` into the destination,
/// byte/word stores from `sil`/`dil`, `_add` loads/stores) and inline `memory.fill`/`copy`
/// (overlapping both ways, and out of bounds) agree with the interpreter.
const PINNED_AND_BULK: &str = r#"(module (memory 1)
  (func (export "mix") (param $n i32) (param $k i32) (result i64)
    (local $i i32) (local $v i32) (local $a i64) (local $c i32)
    (local.set $v (local.get $k))
    (loop $l
      (i32.store8 (local.get $i) (local.get $v))
      (i32.store16 offset=300 (local.get $i) (local.get $v))
      (i32.store offset=7 (i32.add (local.get $i) (i32.const 1000)) (local.get $c))
      (local.set $c (i32.sub (local.get $v) (local.get $c)))
      (local.set $c (i32.add (local.get $i) (local.get $c)))
      (local.set $c (i32.xor (local.get $c) (i32.lt_u (local.get $v) (local.get $c))))
      (local.set $a (i64.add (local.get $a)
        (i64.load (i32.add (local.get $i) (i32.const 3)))))
      (local.set $a (i64.sub (i64.extend_i32_s (local.get $c)) (local.get $a)))
      (local.set $a (i64.add (local.get $a)
        (i64.load32_s offset=5 (i32.add (local.get $i) (i32.const 996)))))
      (local.set $v (i32.mul (i32.add (local.get $v) (i32.const 0x01010101)) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i64.xor (local.get $a) (i64.extend_i32_u (local.get $c))))
  (func (export "bulk") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (loop $l
      (memory.fill (i32.mul (local.get $i) (i32.const 7)) (i32.add (local.get $i) (i32.const 3))
        (i32.rem_u (local.get $i) (i32.const 50)))
      (memory.copy (i32.rem_u (i32.mul (local.get $i) (i32.const 13)) (i32.const 400))
        (i32.rem_u (i32.mul (local.get $i) (i32.const 11)) (i32.const 400))
        (i32.rem_u (local.get $i) (i32.const 97)))
      (local.set $acc (i64.add (i64.rotl (local.get $acc) (i64.const 5))
        (i64.load (i32.rem_u (i32.mul (local.get $i) (i32.const 3)) (i32.const 500)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32) (result i32)
    (memory.fill (i32.const 0) (i32.const 0xaa) (i32.const 100))
    (memory.copy (local.get $d) (local.get $s) (local.get $n))
    (i32.load (i32.const 0)))
  (func (export "fill") (param $d i32) (param $n i32) (result i32)
    (memory.fill (local.get $d) (i32.const 0x11) (local.get $n))
    (i32.load (i32.const 65532)))
)"#;

#[test]
fn pinned_registers_and_bulk_memory_agree_with_the_interpreter() {
    let big = u64::from(u32::MAX);
    let calls: &[(&str, &[u64])] = &[
        ("mix", &[200, 0x1234_abcd]),
        ("mix", &[1, big]),
        ("bulk", &[3000]),
        ("copy", &[65530, 0, 7]),
        ("copy", &[0, 65530, 6]),
        ("copy", &[0, 65530, 7]),
        ("copy", &[10, 0, 50]),
        ("copy", &[0, 10, 50]),
        ("copy", &[65536, 0, 0]),
        ("copy", &[big, 0, 1]),
        ("fill", &[65530, 6]),
        ("fill", &[65530, 7]),
        ("fill", &[65536, 0]),
        ("fill", &[big, 1]),
    ];
    let r = both(PINNED_AND_BULK, calls);
    assert!(r[3].is_err() && r[5].is_err() && r[9].is_err() && r[11].is_err());
    assert!(r[4].is_ok() && r[10].is_ok() && r[8].is_ok());
}

/// A function with more hot locals than there are pinned registers, calling one like it in its
/// loop (so every pinned register, `r14` and `r15` among them, is clobbered by the callee).
/// `mem` is the module's memory declaration: empty (a module without memory: eight pinned
/// registers, `r14` and `r15` too) or a memory (guarded code: seven, `r15` too); `access` is
/// spliced into the loop right after the call, for the memory accesses of that case.
fn many_locals_module(mem: &str, access: &str) -> String {
    alloc::format!(
        r#"(module {mem}
  (func $mix (param $x i64) (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64)
    (local $f i64) (local $g i64) (local $h i64) (local $i i32)
    (loop $l
      (local.set $a (i64.add (local.get $a) (i64.xor (local.get $x) (i64.extend_i32_u (local.get $i)))))
      (local.set $b (i64.rotl (i64.add (local.get $b) (local.get $a)) (i64.const 7)))
      (local.set $c (i64.xor (local.get $c) (i64.mul (local.get $b) (i64.const 0x9e3779b97f4a7c15))))
      (local.set $d (i64.sub (local.get $d) (local.get $c)))
      (local.set $e (i64.add (local.get $e) (i64.shr_u (local.get $d) (i64.const 3))))
      (local.set $f (i64.or (local.get $f) (i64.and (local.get $e) (local.get $a))))
      (local.set $g (i64.add (local.get $g) (i64.xor (local.get $f) (local.get $b))))
      (local.set $h (i64.sub (local.get $h) (i64.add (local.get $g) (local.get $d))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 5))))
    (i64.xor (i64.xor (i64.xor (local.get $a) (local.get $b)) (i64.xor (local.get $c) (local.get $d)))
      (i64.xor (i64.xor (local.get $e) (local.get $f)) (i64.xor (local.get $g) (local.get $h)))))
  (func (export "run") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64)
    (local $f i64) (local $g i64) (local $h i64) (local $i i32) (local $j i32)
    (local.set $a (i64.const 1))
    (loop $l
      (local.set $a (i64.add (local.get $a) (i64.extend_i32_u (local.get $i))))
      (local.set $b (i64.xor (local.get $b) (i64.rotl (local.get $a) (i64.const 13))))
      (local.set $c (i64.add (local.get $c) (local.get $b)))
      (local.set $d (i64.mul (i64.or (local.get $d) (i64.const 1)) (local.get $c)))
      (local.set $e (i64.add (local.get $e) (call $mix (local.get $d))))
      {access}
      (local.set $f (i64.xor (local.get $f) (i64.add (local.get $e) (local.get $a))))
      (local.set $g (i64.sub (local.get $g) (i64.shl (local.get $f) (i64.const 1))))
      (local.set $h (i64.add (local.get $h) (i64.xor (local.get $g) (local.get $c))))
      (local.set $j (i32.xor (local.get $j) (i32.wrap_i64 (local.get $h))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i64.add (i64.extend_i32_u (local.get $j))
      (i64.xor (i64.xor (i64.xor (local.get $a) (local.get $b)) (i64.xor (local.get $c) (local.get $d)))
        (i64.xor (i64.xor (local.get $e) (local.get $f)) (i64.xor (local.get $g) (local.get $h))))))
)"#
    )
}

#[test]
fn eight_pinned_registers_without_memory_agree_with_the_interpreter() {
    let src = many_locals_module("", "");
    let r = both(&src, &[("run", &[0]), ("run", &[1]), ("run", &[300])]);
    assert!(r.iter().all(Result::is_ok), "{r:?}");
    assert_ne!(r[1], r[2]);
}

#[test]
fn seven_pinned_registers_in_guarded_code_agree_with_the_interpreter() {
    // Memory after the call (r14 reloaded) and an access far past 4 GiB (a trap without
    // a check: guarded code no longer has the length in r15).
    let access = "(i64.store offset=8 (i32.and (local.get $j) (i32.const 0xff00)) \
                  (i64.add (local.get $e) (i64.load (i32.and (local.get $i) (i32.const 0xfff)))))
      (local.set $e (i64.add (local.get $e) (i64.load offset=16 (i32.and (local.get $j) (i32.const 0xff00)))))
      (if (i32.eq (local.get $i) (i32.const 1000))
        (then (drop (i64.load offset=4294967295 (i32.const 0)))))";
    let src = many_locals_module("(memory 1)", access);
    let r = both(&src, &[("run", &[0]), ("run", &[300]), ("run", &[1001])]);
    assert!(r[0].is_ok() && r[1].is_ok(), "{r:?}");
    assert!(r[2].is_err(), "{r:?}");
}
