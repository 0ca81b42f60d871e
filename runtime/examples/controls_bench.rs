//! Measures what the embedding controls cost: fuel metering and interruption checks on loop-
//! and call-heavy bench programs, instantiation latency, instance-pool throughput, and
//! compiling versus deserializing a large module.
//!
//! `nice -n 10 cargo run --release -p strata-runtime --example controls_bench`
//! (from the workspace root; reads `bench/programs/*.wasm`).

use std::path::Path;
use std::time::{Duration, Instant};

use strata_runtime::{Config, Engine, InstancePool, Linker, Module, Store};

fn program(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../bench/programs")
        .join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn engine(fuel: bool, interruptible: bool) -> Engine {
    Engine::new(
        Config::new()
            .consume_fuel(fuel)
            .interruptible(interruptible),
    )
}

/// One timed `run(n)` in a fresh instance.
fn time_run(engine: &Engine, module: &Module, n: i32) -> (Duration, i64) {
    let mut store = Store::new(engine, ());
    if engine.config().get_consume_fuel() {
        store.set_fuel(u64::MAX).unwrap();
    }
    let instance = Linker::new(engine).instantiate(&mut store, module).unwrap();
    let run = instance.get_typed_func::<i32, i64>(&store, "run").unwrap();
    let start = Instant::now();
    let r = run.call(&mut store, n).unwrap();
    (start.elapsed(), r)
}

fn overheads() {
    let programs = [
        ("fib", 27),
        ("intloop", 2_000_000),
        ("collatz", 30_000),
        ("dispatch", 300_000),
        ("sieve", 2),
        ("matmul", 12),
    ];
    let configs = [
        ("off", false, false),
        ("fuel", true, false),
        ("interrupt", false, true),
        ("both", true, true),
    ];
    println!("| program | off (ms) | fuel | interruptible | both |");
    println!("| --- | --- | --- | --- | --- |");
    for (name, n) in programs {
        let wasm = program(name);
        let modules: Vec<_> = configs
            .iter()
            .map(|&(_, f, i)| {
                let e = engine(f, i);
                let m = Module::new(&e, &wasm).unwrap();
                (e, m)
            })
            .collect();
        let mut best = [Duration::MAX; 4];
        let mut results = [0i64; 4];
        // Interleaved repetitions, best of each, so machine noise hits all configs alike.
        for _ in 0..9 {
            for (i, (e, m)) in modules.iter().enumerate() {
                let (t, r) = time_run(e, m, n);
                best[i] = best[i].min(t);
                results[i] = r;
            }
        }
        assert!(
            results.iter().all(|&r| r == results[0]),
            "{name}: {results:?}"
        );
        let base = best[0].as_secs_f64();
        let pct = |t: Duration| format!("{:+.1}%", (t.as_secs_f64() / base - 1.0) * 100.0);
        println!(
            "| {name}({n}) | {:.1} | {} | {} | {} |",
            base * 1e3,
            pct(best[1]),
            pct(best[2]),
            pct(best[3])
        );
    }
}

fn instantiation() {
    let engine = Engine::default();
    for name in ["fib", "sieve", "sha256", "large"] {
        let module = Module::new(&engine, &program(name)).unwrap();
        let linker = Linker::new(&engine);
        let iters = 2000;
        let start = Instant::now();
        for _ in 0..iters {
            let mut store = Store::new(&engine, ());
            linker.instantiate(&mut store, &module).unwrap();
        }
        let per = start.elapsed() / iters;
        println!(
            "instantiate {name}: {:.1} µs (new store + instance, dropped)",
            per.as_secs_f64() * 1e6
        );
    }
}

fn pool() {
    let engine = Engine::default();
    let module = Module::new(&engine, &program("fib")).unwrap();
    let linker = Linker::new(&engine);
    for threads in [1, 2] {
        let pool = InstancePool::new(&module, &linker, || (), threads).unwrap();
        let calls = 20_000;
        let start = Instant::now();
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let pool = pool.clone();
                std::thread::spawn(move || {
                    for _ in 0..calls / threads {
                        let mut i = pool.get();
                        let run = i.get_typed_func::<i32, i64>("run").unwrap();
                        run.call(i.store(), 10).unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let rate = calls as f64 / start.elapsed().as_secs_f64();
        println!("pool, {threads} thread(s): {rate:.0} calls/s (fib(10), fresh instance per call)");
    }
}

fn cache() {
    let engine = Engine::default();
    let wasm = program("large");
    let start = Instant::now();
    let module = Module::new(&engine, &wasm).unwrap();
    let compile = start.elapsed();
    let artefact = module.serialize();
    let start = Instant::now();
    let iters = 20;
    for _ in 0..iters {
        Module::deserialize(&engine, &artefact).unwrap();
    }
    let load = start.elapsed() / iters;
    println!(
        "large.wasm ({} KiB): compile {:.2} ms, deserialize {:.2} ms (artefact {} KiB)",
        wasm.len() / 1024,
        compile.as_secs_f64() * 1e3,
        load.as_secs_f64() * 1e3,
        artefact.len() / 1024
    );
}

fn main() {
    let what: Vec<String> = std::env::args().skip(1).collect();
    let all = what.is_empty();
    let want = |w: &str| all || what.iter().any(|x| x == w);
    if want("overhead") {
        overheads();
    }
    if want("instantiate") {
        instantiation();
    }
    if want("pool") {
        pool();
    }
    if want("cache") {
        cache();
    }
}
