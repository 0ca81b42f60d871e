//! The embedding API on every backend built here: each test runs on the interpreter and, where
//! the `jit-x64` feature is built, on the x64 JIT, and results that can differ in principle
//! (fuel left, backtraces) are compared across engines.

use strata_runtime::{
    Backend, Caller, Config, Engine, Error, Extern, Linker, Module, Store, TrapCode, Val,
};

mod common;
use common::{backends, on_all, wat};

fn engine(backend: Backend, f: impl FnOnce(&mut Config)) -> Engine {
    let mut config = Config::new();
    config.backend(backend);
    f(&mut config);
    Engine::new(&config)
}

#[test]
fn auto_resolves_to_x64_where_built() {
    let expected = if Backend::X64_AVAILABLE {
        Backend::X64
    } else {
        Backend::Interp
    };
    assert_eq!(Backend::Auto.resolve(), expected);
}

#[test]
fn traps_have_the_same_messages_and_backtraces() {
    let bt = on_all(|b| {
        let engine = engine(b, |_| {});
        let m = Module::new(
            &engine,
            &wat(r#"(module
                 (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
                 (func $outer (export "outer") (param i32) (result i32)
                   (call $inner (local.get 0))))"#),
        )
        .unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let outer = instance
            .get_typed_func::<i32, i32>(&store, "outer")
            .unwrap();
        let err = outer.call(&mut store, 0).unwrap_err();
        // The store stays usable after a trap.
        assert_eq!(outer.call(&mut store, 1).unwrap(), 1);
        err.to_string()
    });
    assert!(bt.starts_with("integer divide by zero\nwasm backtrace:"));
    assert!(bt.contains("inner") && bt.contains("outer"));
}

#[test]
fn deep_recursion_is_exhaustion_at_the_same_depth() {
    on_all(|b| {
        let engine = engine(b, |c| {
            c.max_call_depth(1000);
        });
        let m = Module::new(
            &engine,
            &wat(r#"(module (func $f (export "f") (param i64) (result i64)
                 (i64.add (i64.const 1) (call $f (local.get 0)))))"#),
        )
        .unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let f = instance.get_func(&store, "f").unwrap();
        let mut out = [Val::I64(0)];
        let err = f.call(&mut store, &[Val::I64(0)], &mut out).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow));
        err.as_trap().unwrap().backtrace().unwrap().len()
    });
}

#[test]
fn host_functions_read_memory_and_call_back_into_wasm() {
    on_all(|b| {
        let engine = engine(b, |_| {});
        let m = Module::new(
            &engine,
            &wat(r#"(module
                 (import "env" "host" (func $host (param i32) (result i32)))
                 (memory (export "memory") 1)
                 (data (i32.const 16) "hello")
                 (func (export "square") (param i32) (result i32)
                   (i32.mul (local.get 0) (local.get 0)))
                 (func (export "run") (param i32) (result i32)
                   (i32.add (call $host (local.get 0)) (i32.load8_u (i32.const 16)))))"#),
        )
        .unwrap();
        let mut store = Store::new(&engine, Vec::<u8>::new());
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap(
                "env",
                "host",
                |mut caller: Caller<'_, Vec<u8>>, x: i32| -> Result<i32, Error> {
                    let Some(Extern::Memory(mem)) = caller.get_export("memory") else {
                        return Err(Error::host("no memory"));
                    };
                    let bytes = mem.data(&caller)[16..21].to_vec();
                    caller.data_mut().extend_from_slice(&bytes);
                    let Some(Extern::Func(square)) = caller.get_export("square") else {
                        return Err(Error::host("no square"));
                    };
                    let square = square.typed::<i32, i32>(&caller)?;
                    square.call(&mut caller, x)
                },
            )
            .unwrap();
        let instance = linker.instantiate(&mut store, &m).unwrap();
        let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
        let r = run.call(&mut store, 7).unwrap();
        (r, store.data().clone())
    });
}

#[test]
fn memory_growth_is_seen_on_both_sides() {
    on_all(|b| {
        let engine = engine(b, |_| {});
        let m = Module::new(
            &engine,
            &wat(r#"(module
                 (memory (export "memory") 1)
                 (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
                 (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
                 (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))"#),
        )
        .unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
        let poke = instance
            .get_typed_func::<(i32, i32), ()>(&store, "poke")
            .unwrap();
        let peek = instance.get_typed_func::<i32, i32>(&store, "peek").unwrap();
        let mem = instance.get_memory(&store, "memory").unwrap();
        let before = poke.call(&mut store, (70_000, 1)).is_err();
        assert_eq!(grow.call(&mut store, 1).unwrap(), 1);
        poke.call(&mut store, (70_000, 0x0102_0304)).unwrap();
        let host_sees = mem.data(&store)[70_000..70_004].to_vec();
        mem.grow(&mut store, 1).unwrap();
        mem.data_mut(&mut store)[140_000] = 9;
        let wasm_sees = peek.call(&mut store, 140_000).unwrap();
        (before, host_sees, wasm_sees)
    });
}

#[test]
fn fuel_runs_out_at_the_same_place_with_the_same_fuel_left() {
    on_all(|b| {
        let engine = engine(b, |c| {
            c.consume_fuel(true);
        });
        let m = Module::new(
            &engine,
            &wat(r#"(module
                 (global $n (mut i32) (i32.const 0))
                 (func (export "count") (param i32) (result i32)
                   (loop $l
                     (global.set $n (i32.add (global.get $n) (i32.const 1)))
                     (br_if $l (i32.lt_u (global.get $n) (local.get 0))))
                   (global.get $n))
                 (func (export "n") (result i32) (global.get $n)))"#),
        )
        .unwrap();
        let mut store = Store::new(&engine, ());
        store.set_fuel(1000).unwrap();
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let count = instance
            .get_typed_func::<i32, i32>(&store, "count")
            .unwrap();
        let n = instance.get_typed_func::<(), i32>(&store, "n").unwrap();
        let done = count.call(&mut store, 10).unwrap();
        let left = store.get_fuel().unwrap();
        let err = count.call(&mut store, 1_000_000).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel));
        let left_after = store.get_fuel().unwrap();
        store.set_fuel(100).unwrap();
        let reached = n.call(&mut store, ()).unwrap();
        (done, left, left_after, reached)
    });
}

#[test]
fn an_interrupt_stops_an_infinite_loop() {
    for b in backends() {
        let engine = engine(b, |c| {
            c.interruptible(true);
        });
        let m = Module::new(
            &engine,
            &wat(r#"(module (func (export "spin") (loop (br 0))))"#),
        )
        .unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let spin = instance.get_typed_func::<(), ()>(&store, "spin").unwrap();
        let handle = store.interrupt_handle().unwrap();
        let t = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            handle.interrupt();
        });
        let err = spin.call(&mut store, ()).unwrap_err();
        t.join().unwrap();
        assert_eq!(err.trap_code(), Some(TrapCode::Interrupted), "{b:?}");
    }
}

/// Runs `f` on a new thread with a native stack of `bytes`, and waits for it (its panic is
/// this test's).
fn on_thread_with_stack(bytes: usize, f: impl FnOnce() + Send + 'static) {
    let handle = std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(f)
        .unwrap();
    handle.join().unwrap();
}

/// Unbounded recursion traps with `call stack exhausted` on every backend, even on a thread
/// with a small (1 MiB) native stack: the depth limit, not the host's guard page, stops it.
#[test]
fn deep_recursion_traps_on_a_small_thread_stack() {
    for backend in backends() {
        on_thread_with_stack(1 << 20, move || {
            let engine = engine(backend, |_| {});
            let m = Module::new(
                &engine,
                &wat(r#"(module (func $f (export "f") (param i64) (result i64)
                         (i64.add (i64.const 1) (call $f (local.get 0)))))"#),
            )
            .unwrap();
            let mut store = Store::new(&engine, ());
            let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
            let f = instance.get_typed_func::<i64, i64>(&store, "f").unwrap();
            let err = f.call(&mut store, 0).unwrap_err();
            assert_eq!(
                err.trap_code(),
                Some(TrapCode::StackOverflow),
                "{backend:?}"
            );
        });
    }
}

/// Wasm calling a host function that calls wasm again, without end: each round trip costs
/// native stack in the host, and the runtime must stop it before the thread's stack (here a
/// spawned thread's default 2 MiB) is exhausted.
#[test]
fn host_reentry_recursion_traps() {
    for backend in backends() {
        on_thread_with_stack(2 << 20, move || {
            let engine = engine(backend, |_| {});
            let m = Module::new(
                &engine,
                &wat(
                    r#"(module (import "env" "again" (func $again (param i32) (result i32)))
                         (func (export "f") (param i32) (result i32)
                           (call $again (i32.add (local.get 0) (i32.const 1)))))"#,
                ),
            )
            .unwrap();
            let mut store = Store::new(&engine, ());
            let mut linker = Linker::new(&engine);
            linker
                .func_wrap(
                    "env",
                    "again",
                    |mut caller: Caller<'_, ()>, n: i32| -> Result<i32, Error> {
                        let Some(Extern::Func(f)) = caller.get_export("f") else {
                            return Err(Error::host("no f"));
                        };
                        let f = f.typed::<i32, i32>(&caller)?;
                        f.call(&mut caller, n)
                    },
                )
                .unwrap();
            let instance = linker.instantiate(&mut store, &m).unwrap();
            let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
            let err = f.call(&mut store, 0).unwrap_err();
            assert_eq!(
                err.trap_code(),
                Some(TrapCode::StackOverflow),
                "{backend:?}: {err}"
            );
        });
    }
}

#[test]
fn loops_over_a_second_memory_run_in_constant_host_stack() {
    // The interpreter runs accesses to memories other than 0 out of line (`slow_handler`):
    // a million of them must neither grow the host stack nor differ from the JIT.
    let src = r#"(module
        (memory 1) (memory $m1 1)
        (func (export "run") (param i32) (result i32) (local i32)
          (loop $l
            (i32.store8 $m1 (i32.and (local.get 0) (i32.const 1023)) (local.get 0))
            (i64.store $m1 offset=2048 (i32.const 0) (i64.const 7))
            (local.set 1 (i32.add (local.get 1)
              (i32.add (i32.load8_u $m1 (i32.and (local.get 0) (i32.const 1023)))
                       (i32.wrap_i64 (i64.load $m1 offset=2048 (i32.const 0))))))
            (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
          (local.get 1))
        (func (export "oob") (result i32) (i32.load $m1 (i32.const 65535))))"#;
    let got = on_all(|b| {
        let bytes = wat(src);
        std::thread::Builder::new()
            // Unoptimised builds keep big frames (and do not thread handlers): the bound is
            // for release builds.
            .stack_size(if cfg!(debug_assertions) {
                16 << 20
            } else {
                256 << 10
            })
            .spawn(move || {
                let engine = engine(b, |c| {
                    c.features(strata_runtime::Features::WASM3);
                });
                let m = Module::new(&engine, &bytes).unwrap();
                let mut store = Store::new(&engine, ());
                let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
                let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
                let oob = instance.get_typed_func::<(), i32>(&store, "oob").unwrap();
                let trap = match oob.call(&mut store, ()) {
                    Err(Error::Trap(t)) => Some(t.code()),
                    _ => None,
                };
                (run.call(&mut store, 1_000_000).unwrap(), trap)
            })
            .unwrap()
            .join()
            .expect("no stack overflow")
    });
    // Each iteration adds its counter's low byte and 7.
    let want = (1..=1_000_000u32).fold(0u32, |acc, i| acc.wrapping_add((i & 0xff) + 7));
    assert_eq!(got, (want as i32, Some(TrapCode::MemoryOutOfBounds)));
}

/// Modules on which the differential fuzz target (`fuzz/fuzz_targets/diff_x64.rs`) found the
/// engines disagreeing, reduced: each export is called with zero arguments, under fuel, and the
/// outcome and fuel left must be the same on every backend (and as expected).
#[test]
fn differential_fuzz_regressions() {
    let cases: &[(&str, &str)] = &[
        // With fuel, a block ending in dead code after `br 0` bound its label to the dead
        // block's `consume_fuel`, which was then the function's last instruction: the
        // interpreter's IR verifier refused the function ("invalid IR"), x64 ran it.
        (
            r#"(module (func (export "f") (param f64)
                 (br 0)
                 (block (result f64) (block (drop (ref.is_null (ref.null extern))))
                   (f64.const 1))
                 (drop)))"#,
            "ok [] fuel 97",
        ),
    ];
    for (src, expected) in cases {
        let got = on_all(|b| {
            let engine = engine(b, |c| {
                c.consume_fuel(true);
            });
            let m = Module::new(&engine, &wat(src)).unwrap();
            let mut store = Store::new(&engine, ());
            store.set_fuel(100).unwrap();
            let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
            let mut out = Vec::new();
            for (_, export) in instance.exports(&store) {
                let Some(func) = export.into_func() else {
                    continue;
                };
                let ty = func.ty(&store);
                let params: Vec<Val> = ty
                    .params()
                    .iter()
                    .map(|&t| Val::default_for(t).unwrap())
                    .collect();
                let mut results: Vec<Val> = ty
                    .results()
                    .iter()
                    .map(|&t| Val::default_for(t).unwrap())
                    .collect();
                let outcome = match func.call(&mut store, &params, &mut results) {
                    Ok(()) => format!("ok {results:?}"),
                    Err(e) => format!("err {e}"),
                };
                out.push(format!("{outcome} fuel {}", store.get_fuel().unwrap()));
            }
            out.join("; ")
        });
        assert_eq!(&got, expected, "{src}");
    }
}

/// Loads and stores that absorb an `i32.add` of a constant (`i32.load_add` ...): the sum wraps
/// at 32 bits before the offset is added, without wrapping, and accesses trap at the exact
/// boundary, as with the separate `i32.add` (checked on each backend against fixed values).
#[test]
fn address_adds_wrap_at_32_bits_and_trap_at_the_boundary() {
    on_all(|b| {
        let engine = engine(b, |_| {});
        let m = Module::new(
            &engine,
            &wat(r#"(module (memory 1)
                 (data (i32.const 0) "\01\02\03\04\05\06\07\08")
                 (data (i32.const 65528) "\11\12\13\14\15\16\17\18")
                 (func (export "ld32") (param i32) (result i32)
                   (i32.load offset=4 (i32.add (local.get 0) (i32.const 8))))
                 (func (export "ld8s") (param i32) (result i64)
                   (i64.load8_s (i32.add (local.get 0) (i32.const -1))))
                 (func (export "ld64") (param i32) (result i64)
                   (i64.load (i32.add (i32.const 16) (local.get 0))))
                 (func (export "st16") (param i32)
                   (i32.store16 (i32.add (local.get 0) (i32.const -2)) (i32.const 0xabcd)))
                 (func (export "st8") (param i32 i32)
                   (i32.store8 offset=1 (i32.add (local.get 0) (i32.const 3)) (local.get 1)))
                 (func (export "stf64") (param i32 f64)
                   (f64.store (i32.add (local.get 0) (i32.const 8)) (local.get 1)))
                 (func (export "rd64") (param i32) (result i64) (i64.load (local.get 0))))"#),
        )
        .unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let ld32 = instance.get_typed_func::<i32, i32>(&store, "ld32").unwrap();
        let ld8s = instance.get_typed_func::<i32, i64>(&store, "ld8s").unwrap();
        let ld64 = instance.get_typed_func::<i32, i64>(&store, "ld64").unwrap();
        let st16 = instance.get_typed_func::<i32, ()>(&store, "st16").unwrap();
        let st8 = instance
            .get_typed_func::<(i32, i32), ()>(&store, "st8")
            .unwrap();
        let stf64 = instance
            .get_typed_func::<(i32, f64), ()>(&store, "stf64")
            .unwrap();
        let rd64 = instance.get_typed_func::<i32, i64>(&store, "rd64").unwrap();
        let oob = |r: Result<i64, Error>| match r {
            Err(e) => assert_eq!(e.trap_code(), Some(TrapCode::MemoryOutOfBounds)),
            Ok(v) => panic!("{b:?}: expected an out-of-bounds trap, got {v}"),
        };

        // -8 + 8 wraps to 0: bytes 4..8.
        assert_eq!(ld32.call(&mut store, -8).unwrap(), 0x0807_0605);
        // The last in-bounds word, then one byte further.
        assert_eq!(ld32.call(&mut store, 65536 - 16).unwrap(), 0x1817_1615);
        oob(ld32.call(&mut store, 65536 - 15).map(i64::from));
        // -12 + 8 = 0xffff_fffc, and the offset does not wrap: 2^32.
        oob(ld32.call(&mut store, -12).map(i64::from));
        // A negative constant: 0 - 1 wraps to 0xffff_ffff.
        oob(ld8s.call(&mut store, 0));
        assert_eq!(ld8s.call(&mut store, 65536).unwrap(), 0x18);
        assert_eq!(ld8s.call(&mut store, 1).unwrap(), 1);
        // The constant on the left.
        assert_eq!(
            ld64.call(&mut store, 65528 - 16).unwrap(),
            0x1817_1615_1413_1211
        );
        oob(ld64.call(&mut store, 65529 - 16));
        assert_eq!(ld64.call(&mut store, -16).unwrap(), 0x0807_0605_0403_0201);

        // A constant 16-bit store: 0 - 2 wraps out of bounds; 65534 is the last fit.
        oob(st16.call(&mut store, 0).map(|()| 0));
        oob(st16.call(&mut store, 65537).map(|()| 0));
        st16.call(&mut store, 65536).unwrap();
        assert_eq!(
            rd64.call(&mut store, 65528).unwrap(),
            0xabcd_1615_1413_1211_u64 as i64
        );
        // A stored local: -3 + 3 wraps to 0, then offset 1; -4 + 3 + 1 is 2^32.
        st8.call(&mut store, (-3, 0x1ff)).unwrap();
        oob(st8.call(&mut store, (-4, 0x1ff)).map(|()| 0));
        assert_eq!(rd64.call(&mut store, 0).unwrap(), 0x0807_0605_0403_ff01);
        // A float store, wrapping to address 0, and at the boundary.
        stf64.call(&mut store, (-8, 1.5)).unwrap();
        assert_eq!(rd64.call(&mut store, 0).unwrap(), 1.5f64.to_bits() as i64);
        oob(stf64.call(&mut store, (65536 - 15, 1.5)).map(|()| 0));
        stf64.call(&mut store, (65536 - 16, -0.0)).unwrap();
        assert_eq!(
            rd64.call(&mut store, 65528).unwrap(),
            (-0.0f64).to_bits() as i64
        );
    });
}

/// `i64.extend_i32_u` emits no instruction (every `i32` is kept zero-extended in its slot), the
/// identity immediates (`x + 0` ...) none either, and xorshift steps are one instruction: the
/// values are checked on each backend, with `i32`s from every kind of producer whose upper
/// bits would show if one did not zero-extend.
#[test]
fn zero_extension_identities_and_xorshift_steps() {
    on_all(|b| {
        let engine = engine(b, |_| {});
        let m = Module::new(
            &engine,
            &wat(r#"(module (memory 1)
                 (global $g (mut i32) (i32.const -3))
                 (data (i32.const 0) "\80\ff\ff\ff")
                 (func $neg (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
                 (func (export "ext") (param i32 i64) (result i64)
                   (i64.xor
                     (i64.xor
                       (i64.add (i64.extend_i32_u (local.get 0))
                                (i64.extend_i32_u (i32.load8_s (i32.const 0))))
                       (i64.shl (i64.extend_i32_u (i32.wrap_i64 (local.get 1))) (i64.const 1)))
                     (i64.mul
                       (i64.add (i64.extend_i32_u (global.get $g))
                                (i64.extend_i32_u (call $neg (local.get 0))))
                       (i64.extend_i32_u
                         (select (i32.const -7) (i32.add (local.get 0) (i32.const 0))
                                 (i32.lt_s (local.get 0) (i32.const 0)))))))
                 (func (export "ext_const") (result i64) (i64.extend_i32_u (i32.const -1)))
                 (func (export "ident") (param i32 i64) (result i64)
                   (i64.add
                     (i64.extend_i32_u (i32.or (i32.shl (i32.mul (local.get 0) (i32.const 1))
                                                        (i32.const 32))
                                               (i32.const 0)))
                     (i64.sub (i64.rotl (i64.and (local.get 1) (i64.const -1)) (i64.const 128))
                              (i64.const 0))))
                 (func (export "xorshift") (param i64 i32) (result i64)
                   (local.set 0 (i64.xor (local.get 0) (i64.shr_u (local.get 0) (i64.const 12))))
                   (local.set 0 (i64.xor (i64.shl (local.get 0) (i64.const 89)) (local.get 0)))
                   (local.set 1 (i32.xor (i32.shl (local.get 1) (i32.const 13)) (local.get 1)))
                   (local.set 1 (i32.xor (local.get 1) (i32.shr_u (local.get 1) (i32.const 49))))
                   (i64.xor (local.get 0) (i64.extend_i32_u (local.get 1)))))"#),
        )
        .unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let ext = instance
            .get_typed_func::<(i32, i64), i64>(&store, "ext")
            .unwrap();
        let ext_const = instance
            .get_typed_func::<(), i64>(&store, "ext_const")
            .unwrap();
        let ident = instance
            .get_typed_func::<(i32, i64), i64>(&store, "ident")
            .unwrap();
        let xorshift = instance
            .get_typed_func::<(i64, i32), i64>(&store, "xorshift")
            .unwrap();

        let ext_model = |x: i32, y: i64| -> i64 {
            let u = |v: i32| u64::from(v as u32);
            let sum = u(x).wrapping_add(u(-128));
            let wrapped = u(y as i32) << 1;
            let sel = if x < 0 { u(-7) } else { u(x) };
            let prod = u(-3).wrapping_add(u(x.wrapping_neg())).wrapping_mul(sel);
            (sum ^ wrapped ^ prod) as i64
        };
        for (x, y) in [
            (-1, -1i64),
            (5, 0x1_8000_0000),
            (i32::MIN, i64::MIN),
            (0, 7),
        ] {
            assert_eq!(
                ext.call(&mut store, (x, y)).unwrap(),
                ext_model(x, y),
                "{b:?} {x} {y}"
            );
        }
        assert_eq!(ext_const.call(&mut store, ()).unwrap(), 0xffff_ffff);
        assert_eq!(ident.call(&mut store, (-2, -5)).unwrap(), 0xffff_fffe - 5);

        let xs_model = |x: i64, y: i32| -> i64 {
            let mut x = x as u64;
            x ^= x >> 12;
            x ^= x << (89 & 63);
            let mut y = y as u32;
            y ^= y << 13;
            y ^= y >> (49 & 31);
            (x ^ u64::from(y)) as i64
        };
        for (x, y) in [
            (-1i64, -1i32),
            (0x0123_4567_89ab_cdef, 0x1234_5678),
            (1, i32::MIN),
        ] {
            assert_eq!(
                xorshift.call(&mut store, (x, y)).unwrap(),
                xs_model(x, y),
                "{b:?}"
            );
        }
    });
}
