//! The embedding API end to end: host functions, callers, memories, traps, linking.

use strata_runtime::{
    Caller, Config, Engine, Error, Extern, Func, Linker, Module, Store, TrapCode, Val,
};

fn wat(src: &str) -> Vec<u8> {
    let buf = wast::parser::ParseBuffer::new(src).unwrap();
    let mut module: wast::Wat = wast::parser::parse(&buf).unwrap();
    module.encode().unwrap()
}

fn module(engine: &Engine, src: &str) -> Module {
    Module::new(engine, &wat(src)).unwrap()
}

#[test]
fn host_function_reads_the_callers_memory() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
             (import "env" "print" (func $print (param i32 i32)))
             (memory (export "memory") 1)
             (data (i32.const 16) "hello")
             (func (export "run") (call $print (i32.const 16) (i32.const 5))))"#,
    );
    let mut store = Store::new(&engine, String::new());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "env",
            "print",
            |mut caller: Caller<'_, String>, ptr: i32, len: i32| -> Result<(), Error> {
                let Some(Extern::Memory(mem)) = caller.get_export("memory") else {
                    return Err(Error::host("no memory"));
                };
                let bytes = mem.data(&caller)[ptr as usize..][..len as usize].to_vec();
                caller
                    .data_mut()
                    .push_str(std::str::from_utf8(&bytes).unwrap());
                Ok(())
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let run = instance.get_typed_func::<(), ()>(&store, "run").unwrap();
    run.call(&mut store, ()).unwrap();
    assert_eq!(store.data(), "hello");
}

#[test]
fn traps_have_messages_and_named_backtraces() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
             (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
             (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0))))"#,
    );
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
    let outer = instance
        .get_typed_func::<i32, i32>(&store, "outer")
        .unwrap();
    assert_eq!(outer.call(&mut store, 1).unwrap(), 1);
    let err = outer.call(&mut store, 0).unwrap_err();
    let trap = err.as_trap().expect("a trap");
    assert_eq!(trap.code(), TrapCode::IntegerDivideByZero);
    let names: Vec<_> = trap
        .backtrace()
        .unwrap()
        .iter()
        .map(|f| f.func_name.clone().unwrap())
        .collect();
    assert_eq!(names, ["inner", "outer"]);
    assert!(err
        .to_string()
        .starts_with("integer divide by zero\nwasm backtrace:"));
}

#[test]
fn deep_recursion_is_call_stack_exhausted() {
    let mut config = strata_runtime::Config::new();
    config.max_call_depth(1000);
    let engine = Engine::new(&config);
    let m = module(
        &engine,
        r#"(module (func $f (export "f") (param i64) (result i64)
             (i64.add (i64.const 1) (call $f (local.get 0)))))"#,
    );
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
    let f = instance.get_func(&store, "f").unwrap();
    let mut out = [Val::I64(0)];
    let err = f.call(&mut store, &[Val::I64(0)], &mut out).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow));
    assert_eq!(err.as_trap().unwrap().backtrace().unwrap().len(), 1000);
}

#[test]
fn linking_instances_through_the_linker() {
    let engine = Engine::default();
    let provider = module(
        &engine,
        r#"(module
             (global (export "g") (mut i32) (i32.const 10))
             (table (export "t") 2 funcref)
             (func $seven (result i32) (i32.const 7))
             (elem (i32.const 1) $seven)
             (func (export "bump") (global.set 0 (i32.add (global.get 0) (i32.const 1)))))"#,
    );
    let consumer = module(
        &engine,
        r#"(module
             (import "p" "g" (global (mut i32)))
             (import "p" "t" (table 2 funcref))
             (import "p" "bump" (func $bump))
             (type $r (func (result i32)))
             (func (export "run") (result i32)
               (call $bump)
               (i32.add (global.get 0) (call_indirect (type $r) (i32.const 1)))))"#,
    );
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let p = linker.instantiate(&mut store, &provider).unwrap();
    linker.instance(&store, "p", p).unwrap();
    let c = linker.instantiate(&mut store, &consumer).unwrap();
    let run = c.get_typed_func::<(), i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 11 + 7);
    assert_eq!(p.get_global(&store, "g").unwrap().get(&store), Val::I32(11));
    // A missing import is a link error.
    let err = Linker::<()>::new(&engine)
        .instantiate(&mut store, &consumer)
        .unwrap_err();
    assert!(matches!(err, Error::Link(m) if m.contains("unknown import")));
    // A mistyped import too.
    let mut wrong = Linker::new(&engine);
    wrong.instance(&store, "p", p).unwrap();
    wrong.allow_shadowing(true);
    wrong.func_wrap("p", "bump", |x: i32| x).unwrap();
    let err = wrong.instantiate(&mut store, &consumer).unwrap_err();
    assert!(matches!(err, Error::Link(m) if m.contains("incompatible import type")));
}

#[test]
fn immutable_global_imports_match_by_subtyping() {
    let mut config = Config::new();
    config.features(strata_runtime::Features::WASM3);
    let engine = Engine::new(&config);
    let provider = module(
        &engine,
        r#"(module (func $f) (elem declare func $f)
             (global (export "f") (ref func) (ref.func $f))
             (global (export "null") funcref (ref.null func))
             (global (export "m") (mut funcref) (ref.null func)))"#,
    );
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let p = linker.instantiate(&mut store, &provider).unwrap();
    linker.instance(&store, "p", p).unwrap();
    let link = |store: &mut Store<()>, import: &str| {
        let m = module(&engine, &format!("(module (import \"p\" {import}))"));
        linker.instantiate(store, &m).map(|_| ())
    };
    // A non-null reference may stand for a nullable one, not the other way round.
    link(&mut store, r#""f" (global funcref)"#).unwrap();
    link(&mut store, r#""f" (global (ref func))"#).unwrap();
    let err = link(&mut store, r#""null" (global (ref func))"#).unwrap_err();
    assert!(matches!(err, Error::Link(m) if m.contains("incompatible import type")));
    // Mutable globals must match exactly.
    link(&mut store, r#""m" (global (mut funcref))"#).unwrap();
    let err = link(&mut store, r#""m" (global funcref)"#).unwrap_err();
    assert!(matches!(err, Error::Link(m) if m.contains("incompatible import type")));
}

#[test]
fn host_functions_can_call_back_into_wasm() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
             (import "env" "twice" (func $twice (param i32) (result i32)))
             (func $inc (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
             (func (export "run") (param i32) (result i32) (call $twice (local.get 0))))"#,
    );
    let mut store = Store::new(&engine, None::<Func>);
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "env",
            "twice",
            |mut caller: Caller<'_, Option<Func>>, x: i32| {
                let inc = caller.data().unwrap().typed::<i32, i32>(&caller)?;
                let once = inc.call(&mut caller, x)?;
                inc.call(&mut caller, once)
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &m).unwrap();
    *store.data_mut() = instance.get_func(&store, "inc");
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 40).unwrap(), 42);
}

#[test]
fn memory_grown_by_wasm_is_seen_by_the_host() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module (memory (export "m") 1 3)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
             (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))"#,
    );
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
    let mem = instance.get_memory(&store, "m").unwrap();
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 1).unwrap(), 1);
    assert_eq!(mem.size(&store), 2);
    assert_eq!(grow.call(&mut store, 5).unwrap(), -1);
    let st = instance
        .get_typed_func::<(i32, i32), ()>(&store, "store")
        .unwrap();
    st.call(&mut store, (70000, 0x0403_0201)).unwrap();
    assert_eq!(&mem.data(&store)[70000..70004], &[1, 2, 3, 4]);
    let err = st.call(&mut store, (2 * 65536 - 2, 0)).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    // Wrong signatures are refused before any call.
    assert!(instance.get_typed_func::<i64, i32>(&store, "grow").is_err());
}

#[test]
fn start_function_traps_fail_instantiation() {
    let engine = Engine::default();
    let m = module(&engine, r#"(module (func $s unreachable) (start $s))"#);
    let mut store = Store::new(&engine, ());
    let err = Linker::new(&engine)
        .instantiate(&mut store, &m)
        .unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::Unreachable));
    // Compile errors are typed too.
    let err = Module::new(&engine, &wat("(module (func (result i32)))")).unwrap_err();
    assert!(matches!(err, Error::Compile(_)));
}

#[test]
fn handles_and_stores_cross_threads() {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync>() {}
    send::<Store<()>>();
    send_sync::<Engine>();
    send_sync::<Module>();
    send_sync::<Func>();
    send_sync::<Linker<()>>();
}

#[test]
fn instance_new_takes_imports_in_order() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
             (import "env" "double" (func $double (param i32) (result i32)))
             (import "env" "g" (global $g i32))
             (func (export "run") (result i32) (call $double (global.get $g))))"#,
    );
    let mut store = Store::new(&engine, ());
    let double = Func::wrap(&mut store, |x: i32| x * 2);
    let g = strata_runtime::Global::new(
        &mut store,
        strata_decoder::GlobalType {
            content: strata_decoder::ValType::I32,
            mutable: false,
        },
        Val::I32(21),
    )
    .unwrap();
    let instance =
        strata_runtime::Instance::new(&mut store, &m, &[Extern::Func(double), Extern::Global(g)])
            .unwrap();
    let run = instance.get_typed_func::<(), i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 42);

    // the wrong number of imports, and the wrong kind, are link errors
    let err = strata_runtime::Instance::new(&mut store, &m, &[Extern::Func(double)]).unwrap_err();
    assert!(matches!(err, Error::Link(_)), "{err}");
    assert!(err.to_string().contains("2 imports but 1"), "{err}");
    let err =
        strata_runtime::Instance::new(&mut store, &m, &[Extern::Global(g), Extern::Func(double)])
            .unwrap_err();
    assert!(matches!(err, Error::Link(_)), "{err}");
}

#[test]
fn unknown_imports_can_be_defined_as_traps() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
             (import "env" "known" (func $known (result i32)))
             (import "env" "hook" (func $hook (param i32)))
             (func (export "safe") (result i32) (call $known))
             (func (export "unsafe") (call $hook (i32.const 1))))"#,
    );
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker.func_wrap("env", "known", || 7).unwrap();
    let err = linker.instantiate(&mut store, &m).unwrap_err();
    assert!(err.to_string().contains("env::hook"), "{err}");

    linker.define_unknown_imports_as_traps(&m).unwrap();
    let instance = linker.instantiate(&mut store, &m).unwrap();
    // the defined import is kept, not replaced by a trap
    let safe = instance.get_typed_func::<(), i32>(&store, "safe").unwrap();
    assert_eq!(safe.call(&mut store, ()).unwrap(), 7);
    let not_safe = instance.get_typed_func::<(), ()>(&store, "unsafe").unwrap();
    let err = not_safe.call(&mut store, ()).unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown import: `env::hook` was called"),
        "{err}"
    );
}

#[test]
fn module_validate_and_from_file() {
    let engine = Engine::default();
    let bytes = wat(r#"(module (func (export "f") (result i32) (i32.const 1)))"#);
    Module::validate(&engine, &bytes).unwrap();
    let err = Module::validate(&engine, &bytes[..bytes.len() - 1]).unwrap_err();
    assert!(matches!(err, Error::Compile(_)), "{err}");
    let invalid = wat(r#"(module (func (result i32) (i64.const 1)))"#);
    let err = Module::validate(&engine, &invalid).unwrap_err();
    assert!(err.to_string().contains("type mismatch"), "{err}");

    let dir = std::env::temp_dir().join(format!("strata-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("f.wasm");
    std::fs::write(&path, &bytes).unwrap();
    let m = Module::from_file(&engine, &path).unwrap();
    assert_eq!(m.exports().count(), 1);
    let err = Module::from_file(&engine, dir.join("missing.wasm")).unwrap_err();
    assert!(matches!(err, Error::Usage(_)), "{err}");
    assert!(err.to_string().contains("missing.wasm"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn callers_see_and_set_fuel() {
    let mut config = strata_runtime::Config::new();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let m = module(
        &engine,
        r#"(module
             (import "env" "charge" (func $charge))
             (func (export "run") (call $charge) (call $charge)))"#,
    );
    let mut store = Store::new(&engine, Vec::<u64>::new());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "env",
            "charge",
            |mut caller: Caller<'_, Vec<u64>>| -> Result<(), Error> {
                let left = caller.get_fuel()?;
                caller.data_mut().push(left);
                caller.set_fuel(left - 100)
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &m).unwrap();
    store.set_fuel(10_000).unwrap();
    let run = instance.get_typed_func::<(), ()>(&store, "run").unwrap();
    run.call(&mut store, ()).unwrap();
    let seen = store.data().clone();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[0] < 10_000,
        "the guest spent fuel before the first call"
    );
    assert!(
        seen[1] <= seen[0] - 100,
        "the host's charge is visible: {seen:?}"
    );
    assert!(store.get_fuel().unwrap() <= seen[1] - 100);

    // without fuel metering, the caller's fuel calls are usage errors
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module (import "env" "f" (func $f)) (func (export "run") (call $f)))"#,
    );
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("env", "f", |caller: Caller<'_, ()>| -> Result<(), Error> {
            caller.get_fuel().map(|_| ())
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let run = instance.get_typed_func::<(), ()>(&store, "run").unwrap();
    let err = run.call(&mut store, ()).unwrap_err();
    assert!(err.to_string().contains("fuel is not enabled"), "{err}");
}

#[test]
fn throwing_and_catching_compile_and_run_on_every_backend() {
    // `throw` and `try_table` used to be refused at compile time; both engines run them now
    // (runtime/tests/exceptions.rs has the semantics).
    let mut backends = vec![strata_runtime::Backend::Interp];
    if strata_runtime::Backend::X64_AVAILABLE {
        backends.push(strata_runtime::Backend::X64);
    }
    for backend in backends {
        let mut config = strata_runtime::Config::new();
        config
            .backend(backend)
            .features(strata_runtime::Features::WASM3);
        let engine = Engine::new(&config);
        let m = Module::new(
            &engine,
            &wat(r#"(module (tag $e (param i32))
                 (func (export "f") (result i32)
                   (block $l (result i32)
                     (try_table (catch $e $l) (throw $e (i32.const 41)))
                     (i32.const 0))
                   (i32.const 1)
                   (i32.add)))"#),
        )
        .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
        let f = instance.get_typed_func::<(), i32>(&store, "f").unwrap();
        assert_eq!(f.call(&mut store, ()).unwrap(), 42, "{backend:?}");
    }
}

#[test]
fn parallel_and_one_thread_compilation_run_the_same() {
    // large.wasm has far more than the 64 KiB of code that parallel translation starts at.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/programs/large.wasm");
    let bytes = std::fs::read(path).unwrap();
    let run = |parallel: bool| {
        let mut config = Config::new();
        config.parallel_compilation(parallel);
        assert_eq!(config.get_parallel_compilation(), parallel);
        let engine = Engine::new(&config);
        let module = Module::new(&engine, &bytes).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine)
            .instantiate(&mut store, &module)
            .unwrap();
        let run = instance.get_typed_func::<i32, i64>(&store, "run").unwrap();
        run.call(&mut store, 3).unwrap()
    };
    assert_eq!(run(true), run(false));
}
