//! The embedding API end to end: host functions, callers, memories, traps, linking.

use strata_runtime::{Caller, Engine, Error, Extern, Func, Linker, Module, Store, TrapCode, Val};

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
