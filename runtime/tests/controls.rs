//! Embedding controls a guest cannot get around: fuel, interruption, deadlines, resource limits.

use std::time::{Duration, Instant};

use strata_runtime::{
    Config, Engine, Error, Linker, Module, Store, StoreLimits, StoreLimitsBuilder, TrapCode, Val,
};

fn wat(s: &str) -> Vec<u8> {
    let b = wast::parser::ParseBuffer::new(s).unwrap();
    let mut m: wast::Wat = wast::parser::parse(&b).unwrap();
    m.encode().unwrap()
}

/// An infinite loop counting its iterations in an exported global, with a call per iteration.
const SPIN: &str = r#"(module
    (global $n (export "n") (mut i64) (i64.const 0))
    (func $tick (global.set $n (i64.add (global.get $n) (i64.const 1))))
    (func (export "spin")
      (loop $l
        (call $tick)
        (br $l)))
    (func (export "spin_recursive") (call $tick) (call 2)))"#;

fn engine(fuel: bool, interruptible: bool) -> Engine {
    Engine::new(
        Config::new()
            .consume_fuel(fuel)
            .interruptible(interruptible),
    )
}

fn spin(engine: &Engine, store: &mut Store<()>) -> (Error, i64) {
    let module = Module::new(engine, &wat(SPIN)).unwrap();
    let instance = Linker::new(engine)
        .instantiate(&mut *store, &module)
        .unwrap();
    let f = instance.get_typed_func::<(), ()>(&*store, "spin").unwrap();
    let err = f.call(&mut *store, ()).unwrap_err();
    let n = match instance.get_global(&*store, "n").unwrap().get(&*store) {
        Val::I64(n) => n,
        v => panic!("{v:?}"),
    };
    (err, n)
}

#[test]
fn an_infinite_loop_stops_by_fuel_deterministically() {
    let engine = engine(true, false);
    let mut results = Vec::new();
    for _ in 0..3 {
        let mut store = Store::new(&engine, ());
        store.set_fuel(100_003).unwrap();
        let (err, n) = spin(&engine, &mut store);
        assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel), "{err}");
        assert_eq!(
            err.to_string().lines().next(),
            Some("all fuel consumed by WebAssembly")
        );
        results.push((n, store.get_fuel().unwrap()));
    }
    assert!(results.windows(2).all(|w| w[0] == w[1]), "{results:?}");
    let (n, left) = results[0];
    assert!(n > 1000, "{n} iterations");
    // The trap leaves the fuel the failing block could not pay for.
    assert!(left < 10, "{left} fuel left");
    println!("fuel 100003: {n} iterations, {left} left");
}

#[test]
fn fuel_is_charged_per_operator_from_the_one_table() {
    // 10 iterations of a loop body; each run costs exactly the same, and twice the loop count
    // costs the body's fuel ten more times.
    let engine = engine(true, false);
    let module = Module::new(
        &engine,
        &wat(
            r#"(module (func (export "count") (param i32) (result i32) (local i32)
            (loop $l
              (local.set 1 (i32.add (local.get 1) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
            (local.get 1)))"#,
        ),
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let count = instance
        .get_typed_func::<i32, i32>(&store, "count")
        .unwrap();
    let cost = |store: &mut Store<()>, n: i32| {
        store.set_fuel(1_000_000).unwrap();
        assert_eq!(count.call(&mut *store, n).unwrap(), n);
        1_000_000 - store.get_fuel().unwrap()
    };
    let (c10, c20, c10_again) = (
        cost(&mut store, 10),
        cost(&mut store, 20),
        cost(&mut store, 10),
    );
    assert_eq!(c10, c10_again);
    let per_iteration = (c20 - c10) / 10;
    assert_eq!(c20 - c10, 10 * per_iteration);
    // i32.add, i32.lt_u, br_if: 3 operators cost 1 each; structure and locals are free.
    assert_eq!(per_iteration, 3, "c10={c10} c20={c20}");
    // Out of fuel mid-way: fuel unchanged by the failing block, and the store can go on.
    store.set_fuel(c10 - 1).unwrap();
    assert_eq!(
        count.call(&mut store, 10).unwrap_err().trap_code(),
        Some(TrapCode::OutOfFuel)
    );
    store.set_fuel(c10).unwrap();
    assert_eq!(count.call(&mut store, 10).unwrap(), 10);
    assert_eq!(store.get_fuel().unwrap(), 0);
}

#[test]
fn fuel_and_interrupts_are_refused_when_not_configured() {
    let engine = engine(false, false);
    let mut store = Store::new(&engine, ());
    assert!(matches!(store.set_fuel(1), Err(Error::Usage(_))));
    assert!(matches!(store.get_fuel(), Err(Error::Usage(_))));
    assert!(store.interrupt_handle().is_err());
    assert!(store.set_deadline(Duration::from_secs(1)).is_err());
}

#[test]
fn an_infinite_loop_stops_by_interrupt_from_another_thread() {
    let engine = engine(false, true);
    for func in ["spin", "spin_recursive"] {
        let module = Module::new(&engine, &wat(SPIN)).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine)
            .instantiate(&mut store, &module)
            .unwrap();
        let f = instance.get_typed_func::<(), ()>(&store, func).unwrap();
        let handle = store.interrupt_handle().unwrap();
        let requested = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            let at = Instant::now();
            handle.interrupt();
            at
        });
        let err = f.call(&mut store, ()).unwrap_err();
        let stopped = Instant::now();
        let requested = requested.join().unwrap();
        if func == "spin_recursive" && err.trap_code() == Some(TrapCode::StackOverflow) {
            continue; // the recursion hit the depth limit first: fine, it stopped
        }
        assert_eq!(
            err.trap_code(),
            Some(TrapCode::Interrupted),
            "{func}: {err}"
        );
        let latency = stopped.saturating_duration_since(requested);
        println!("{func}: interrupt latency {latency:?}");
        assert!(latency < Duration::from_millis(100), "{latency:?}");
        // The request was consumed: the store runs again.
        let ok = instance.get_typed_func::<(), ()>(&store, "spin").unwrap();
        let handle = store.interrupt_handle().unwrap();
        handle.interrupt();
        assert_eq!(
            ok.call(&mut store, ()).unwrap_err().trap_code(),
            Some(TrapCode::Interrupted)
        );
    }
}

#[test]
fn an_infinite_loop_stops_by_deadline() {
    let engine = engine(false, true);
    let mut store = Store::new(&engine, ());
    let timeout = Duration::from_millis(50);
    let start = Instant::now();
    store.set_deadline(timeout).unwrap();
    let (err, n) = spin(&engine, &mut store);
    let elapsed = start.elapsed();
    assert_eq!(err.trap_code(), Some(TrapCode::Interrupted), "{err}");
    assert!(n > 0);
    println!("deadline 50ms: stopped after {elapsed:?}");
    assert!(elapsed >= timeout);
    assert!(
        elapsed < timeout + Duration::from_millis(100),
        "{elapsed:?}"
    );

    // A cleared or replaced deadline does not fire.
    store.set_deadline(Duration::from_millis(10)).unwrap();
    store.clear_deadline();
    std::thread::sleep(Duration::from_millis(30));
    store.set_deadline(Duration::from_secs(60)).unwrap();
    let module = Module::new(&engine, &wat(r#"(module (func (export "f") (loop)))"#)).unwrap();
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let f = instance.get_typed_func::<(), ()>(&store, "f").unwrap();
    f.call(&mut store, ()).unwrap();
}

#[test]
fn fuel_and_interruption_together() {
    let engine = engine(true, true);
    let mut store = Store::new(&engine, ());
    store.set_fuel(u64::MAX).unwrap();
    store.set_deadline(Duration::from_millis(20)).unwrap();
    let (err, _) = spin(&engine, &mut store);
    assert_eq!(err.trap_code(), Some(TrapCode::Interrupted));
    assert!(store.get_fuel().unwrap() < u64::MAX);
}

struct Limited {
    limits: StoreLimits,
}

const BOMB: &str = r#"(module
    (memory (export "memory") 1)
    (table 1 funcref)
    (func (export "bomb") (result i32) (local i32)
      ;; grow one page at a time until refused; return the pages reached
      (block $done
        (loop $l
          (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
          (br $l)))
      (memory.size))
    (func (export "table_bomb") (result i32)
      (table.grow (ref.null func) (i32.const -1))))"#;

#[test]
fn a_memory_bomb_meets_the_limit() {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat(BOMB)).unwrap();
    let limits = StoreLimitsBuilder::new()
        .memory_size(16 * 65536)
        .table_elements(100)
        .build();
    let mut store = Store::new(&engine, Limited { limits });
    store.limiter(|d| &mut d.limits);
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let bomb = instance.get_typed_func::<(), i32>(&store, "bomb").unwrap();
    assert_eq!(bomb.call(&mut store, ()).unwrap(), 16);
    let table_bomb = instance
        .get_typed_func::<(), i32>(&store, "table_bomb")
        .unwrap();
    assert_eq!(table_bomb.call(&mut store, ()).unwrap(), -1);
    // The embedding API's grow meets the same limit.
    let memory = instance.get_memory(&store, "memory").unwrap();
    assert!(matches!(
        memory.grow(&mut store, 1),
        Err(Error::Resource(_))
    ));
}

#[test]
fn the_default_limits_keep_the_host_safe() {
    // No limiter installed: a table.grow to 2^32 - 1 elements is refused (not 16 GiB).
    let engine = Engine::default();
    let module = Module::new(&engine, &wat(BOMB)).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let table_bomb = instance
        .get_typed_func::<(), i32>(&store, "table_bomb")
        .unwrap();
    let start = Instant::now();
    assert_eq!(table_bomb.call(&mut store, ()).unwrap(), -1);
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[test]
fn instantiation_fails_clearly_past_a_limit() {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat(r#"(module (memory 4) (table 1 funcref))"#)).unwrap();
    let cases = [
        (
            StoreLimitsBuilder::new().instances(1),
            1,
            "instance count limit of 1",
        ),
        (
            StoreLimitsBuilder::new().memories(1),
            1,
            "memory count limit of 1",
        ),
        (
            StoreLimitsBuilder::new().tables(0),
            0,
            "table count limit of 0",
        ),
        (
            StoreLimitsBuilder::new().memory_size(3 * 65536),
            0,
            "memory's initial size refused",
        ),
        (
            StoreLimitsBuilder::new().table_elements(0),
            0,
            "table's initial size refused",
        ),
    ];
    for (builder, ok_before, message) in cases {
        let mut store = Store::new(
            &engine,
            Limited {
                limits: builder.build(),
            },
        );
        store.limiter(|d| &mut d.limits);
        let linker = Linker::new(&engine);
        for _ in 0..ok_before {
            linker.instantiate(&mut store, &module).unwrap();
        }
        match linker.instantiate(&mut store, &module) {
            Err(Error::Resource(m)) => assert!(m.contains(message), "{m}"),
            other => panic!("{message}: {other:?}"),
        }
    }
}

#[test]
fn stores_are_send() {
    fn is_send<T: Send>() {}
    is_send::<Store<()>>();
    is_send::<Store<Limited>>();
    is_send::<strata_runtime::InterruptHandle>();
    fn is_sync<T: Sync + Clone>() {}
    is_sync::<strata_runtime::InterruptHandle>();
}

#[test]
fn pooled_instances_are_fresh_and_shared_across_threads() {
    use strata_runtime::InstancePool;
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        &wat(r#"(module (memory (export "m") 1)
            (func (export "bump") (result i32)
              (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
              (i32.load (i32.const 0))))"#),
    )
    .unwrap();
    let pool = InstancePool::new(&module, &Linker::new(&engine), || 0u32, 2).unwrap();
    fn is_send<T: Send>(_: &T) {}
    let guard = pool.get();
    is_send(&guard);
    drop(guard);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let pool = pool.clone();
            std::thread::spawn(move || {
                (0..50)
                    .map(|_| {
                        let mut i = pool.get();
                        *i.store().data_mut() += 1;
                        let bump = i.get_typed_func::<(), i32>("bump").unwrap();
                        let a = bump.call(i.store(), ()).unwrap();
                        let b = bump.call(i.store(), ()).unwrap();
                        (a, b, *i.store().data())
                    })
                    .all(|r| r == (1, 2, 1))
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap());
    }
    assert_eq!(pool.idle(), 2);
    let _a = pool.try_get().unwrap();
    let _b = pool.try_get().unwrap();
    assert!(pool.try_get().is_none());
}
