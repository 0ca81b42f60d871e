//! Exception tags as store entities (defined, exported, imported, made by the host) and
//! store-wide type identity: types are equal across modules exactly when their recursion groups
//! are equivalent, for import matching and for `call_indirect`.

mod common;

use common::{on_all, wat};
use strata_runtime::{
    Backend, Config, Engine, Extern, Features, FuncType, Linker, Module, Store, Tag, ValType,
};

fn engine(backend: Backend) -> Engine {
    let mut config = Config::new();
    config
        .backend(backend)
        .features(Config::DEFAULT_FEATURES | Features::EXCEPTIONS | Features::GC);
    Engine::new(&config)
}

fn module(engine: &Engine, src: &str) -> Module {
    Module::new(engine, &wat(src)).unwrap()
}

/// The error of instantiating `src` with `linker`, or `None` if it links.
fn link_error(
    linker: &Linker<()>,
    store: &mut Store<()>,
    engine: &Engine,
    src: &str,
) -> Option<String> {
    linker
        .instantiate(&mut *store, &module(engine, src))
        .err()
        .map(|e| e.to_string())
}

#[test]
fn tags_are_exported_reexported_and_matched_by_type() {
    let (same_identity, wrong_type, not_a_tag) = on_all(|backend| {
        let engine = engine(backend);
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        let exporter = module(
            &engine,
            r#"(module (tag (export "e") (param i32 i64)) (tag (export "f")))"#,
        );
        let instance = linker.instantiate(&mut store, &exporter).unwrap();
        let Some(Extern::Tag(e)) = instance.get_export(&store, "e") else {
            panic!("no tag export");
        };
        assert_eq!(e.ty(&store).params(), &[ValType::I32, ValType::I64]);
        let f = instance.get_export(&store, "f").and_then(Extern::into_tag);
        assert!(f.is_some_and(|f| f != e), "two tags, two identities");
        linker.instance(&mut store, "m", instance).unwrap();

        let reexporter = linker
            .instantiate(
                &mut store,
                &module(
                    &engine,
                    r#"(module (import "m" "e" (tag $e (param i32 i64))) (export "again" (tag $e)))"#,
                ),
            )
            .unwrap();
        let again = reexporter
            .get_export(&store, "again")
            .and_then(Extern::into_tag);
        let wrong_type = link_error(
            &linker,
            &mut store,
            &engine,
            r#"(module (import "m" "e" (tag (param i32))))"#,
        );
        let not_a_tag = link_error(
            &linker,
            &mut store,
            &engine,
            r#"(module (import "m" "e" (func (param i32 i64))))"#,
        );
        (again == Some(e), wrong_type, not_a_tag)
    });
    assert!(same_identity, "a re-exported tag is the same tag");
    for err in [wrong_type, not_a_tag] {
        let err = err.expect("must not link");
        assert!(err.contains("incompatible import type"), "{err}");
    }
}

#[test]
fn host_tags_link_by_type() {
    let engine = engine(Backend::Interp);
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let host = Tag::new(&mut store, &FuncType::new(&[ValType::F32], &[]));
    assert_ne!(
        host,
        Tag::new(&mut store, &FuncType::new(&[ValType::F32], &[]))
    );
    linker.define(&store, "host", "tag", host).unwrap();
    let ok = r#"(module (import "host" "tag" (tag (param f32))))"#;
    assert_eq!(link_error(&linker, &mut store, &engine, ok), None);
    for bad in [
        r#"(module (import "host" "tag" (tag (param f64))))"#,
        r#"(module (import "host" "tag" (tag)))"#,
        r#"(module (import "host" "tag" (global f32)))"#,
    ] {
        let err = link_error(&linker, &mut store, &engine, bad).expect(bad);
        assert!(err.contains("incompatible import type"), "{bad}: {err}");
    }
}

/// The provider's `$f` is in a recursive group with a struct type; `$g` has the same shape as
/// `$f` but a group of its own.
const PROVIDER: &str = r#"(module
  (rec (type $f (func (param (ref null $f)) (result i32))) (type (struct)))
  (rec (type $g (func (param (ref null $g)) (result i32))))
  (func (export "f") (type $f) (i32.const 7))
  (func (export "g") (type $g) (i32.const 8)))"#;

/// Declares the provider's groups at other indices, imports `f` and `g` with them, and calls
/// them through `call_indirect (type $f)`.
const CONSUMER: &str = r#"(module
  (type $unrelated (func))
  (rec (type $f (func (param (ref null $f)) (result i32))) (type (struct)))
  (type $g (func (param (ref null $g)) (result i32)))
  (import "p" "f" (func $f (type $f)))
  (import "p" "g" (func $g (type $g)))
  (table funcref (elem $f $g))
  (func (export "call") (param i32) (result i32)
    (call_indirect (type $f) (ref.null $f) (local.get 0))))"#;

/// Imports the provider's `g` as its `f`: unlinkable.
const G_AS_F: &str = r#"(module
  (rec (type $f (func (param (ref null $f)) (result i32))) (type (struct)))
  (import "p" "g" (func (type $f))))"#;

#[test]
fn equivalent_recursion_groups_are_one_type_across_modules() {
    let (f, g, g_as_f) = on_all(|backend| {
        let engine = engine(backend);
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        let p = linker
            .instantiate(&mut store, &module(&engine, PROVIDER))
            .unwrap();
        linker.instance(&mut store, "p", p).unwrap();
        let c = linker
            .instantiate(&mut store, &module(&engine, CONSUMER))
            .unwrap();
        let call = c.get_typed_func::<(i32,), i32>(&store, "call").unwrap();
        let f = call.call(&mut store, (0,)).map_err(|e| e.to_string());
        let g = call.call(&mut store, (1,)).map_err(|e| e.to_string());
        let g_as_f = link_error(&linker, &mut store, &engine, G_AS_F);
        (f, g, g_as_f)
    });
    assert_eq!(f, Ok(7));
    let g = g.expect_err("$g is not $f");
    assert!(g.contains("indirect call type mismatch"), "{g}");
    let g_as_f = g_as_f.expect("$g does not match an import of type $f");
    assert!(g_as_f.contains("incompatible import type"), "{g_as_f}");
}

#[test]
fn a_declared_subtype_satisfies_a_function_import() {
    let engine = engine(Backend::Interp);
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let p = linker
        .instantiate(
            &mut store,
            &module(
                &engine,
                r#"(module
                     (type $base (sub (func (result i32))))
                     (type $sub (sub final $base (func (result i32))))
                     (func (export "f") (type $sub) (i32.const 1)))"#,
            ),
        )
        .unwrap();
    linker.instance(&mut store, "p", p).unwrap();
    let as_base = r#"(module
        (type $base (sub (func (result i32))))
        (import "p" "f" (func (type $base))))"#;
    assert_eq!(link_error(&linker, &mut store, &engine, as_base), None);
    let as_final = r#"(module (import "p" "f" (func (result i32))))"#;
    let err = link_error(&linker, &mut store, &engine, as_final).expect("final type differs");
    assert!(err.contains("incompatible import type"), "{err}");
}

/// A module computes the canonical form of its self-contained recursion groups once; every
/// store interns them anew. The same compiled modules link and type-check `call_indirect` alike
/// in store after store, with a plain function type (`$h`) computed per store next to them, and
/// a host function matching a module's plain function type.
#[test]
fn precomputed_types_link_in_every_store() {
    let engine = engine(Backend::Interp);
    let provider = module(&engine, PROVIDER);
    let consumer = module(
        &engine,
        r#"(module
          (type $unrelated (func))
          (rec (type $f (func (param (ref null $f)) (result i32))) (type (struct)))
          (type $g (func (param (ref null $g)) (result i32)))
          (type $h (func (param (ref null $f)) (result i32)))
          (import "p" "f" (func $f (type $f)))
          (import "p" "g" (func $g (type $g)))
          (import "host" "add" (func $add (param i32 i32) (result i32)))
          (table funcref (elem $f $g))
          (func (export "h") (type $h) (i32.const 1))
          (func (export "call") (param i32) (result i32)
            (call $add
              (call_indirect (type $f) (ref.null $f) (local.get 0))
              (i32.const 100))))"#,
    );
    for round in 0..3 {
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap("host", "add", |a: i32, b: i32| a + b)
            .unwrap();
        let p = linker.instantiate(&mut store, &provider).unwrap();
        linker.instance(&mut store, "p", p).unwrap();
        let c = linker.instantiate(&mut store, &consumer).unwrap();
        let call = c.get_typed_func::<(i32,), i32>(&store, "call").unwrap();
        assert_eq!(call.call(&mut store, (0,)).ok(), Some(107), "round {round}");
        let g = call.call(&mut store, (1,)).expect_err("$g is not $f");
        assert!(g.to_string().contains("indirect call type mismatch"), "{g}");
        let g_as_f = link_error(&linker, &mut store, &engine, G_AS_F);
        assert!(g_as_f.is_some(), "round {round}: $g is not $f");
    }
}
