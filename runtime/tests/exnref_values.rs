//! `exnref` values at the embedding boundary: a caught exception returned to the host comes back
//! as [`Val::ExnRef`], and the host can hand it to wasm again to rethrow; null and uncaught
//! exceptions end the call with the spec's trap messages, and the store stays usable.

mod common;

use common::{instantiate, on_all};
use strata_runtime::{Backend, Error, Val};

const SRC: &str = r#"
(module
  (tag $t (param i32))
  ;; Throws $t(x) and returns the caught exception as an exnref.
  (func (export "catch") (param $x i32) (result exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (throw $t (local.get $x)))
      (unreachable)))
  ;; Rethrows `e` and returns its payload if it is a $t.
  (func (export "payload") (param $e exnref) (result i32)
    (block $h (result i32)
      (try_table (catch $t $h) (throw_ref (local.get $e)))
      (unreachable)))
  (func (export "escape") (param i32) (throw $t (local.get 0))))
"#;

#[test]
fn caught_exceptions_cross_the_host_boundary() {
    let seen = on_all(|backend| {
        let (mut store, instance) = instantiate(backend, SRC);
        let catch = instance.get_func(&store, "catch").unwrap();
        let payload = instance.get_func(&store, "payload").unwrap();
        let escape = instance.get_func(&store, "escape").unwrap();

        let mut exn = [Val::I32(0)];
        catch.call(&mut store, &[Val::I32(42)], &mut exn).unwrap();
        assert!(
            matches!(exn[0], Val::ExnRef(Some(_))),
            "a caught exception, got {}",
            exn[0]
        );
        let mut out = [Val::I32(0)];
        payload.call(&mut store, &exn, &mut out).unwrap();
        let first = out[0];

        let null = payload
            .call(&mut store, &[Val::ExnRef(None)], &mut out)
            .unwrap_err();
        let Error::Trap(null) = null else {
            panic!("not a trap: {null}");
        };
        let uncaught = escape
            .call(&mut store, &[Val::I32(7)], &mut [])
            .unwrap_err();
        let Error::Trap(uncaught) = uncaught else {
            panic!("not a trap: {uncaught}");
        };
        // The store is still usable after both traps.
        catch.call(&mut store, &[Val::I32(-5)], &mut exn).unwrap();
        payload.call(&mut store, &exn, &mut out).unwrap();
        (
            first,
            null.code().message(),
            uncaught.code().message(),
            out[0],
        )
    });
    assert_eq!(
        seen,
        (
            Val::I32(42),
            "null exception reference",
            "uncaught exception",
            Val::I32(-5)
        )
    );
}

#[test]
fn an_exnref_does_not_match_other_reference_types() {
    let (mut store, instance) = instantiate(Backend::Interp, SRC);
    let payload = instance.get_func(&store, "payload").unwrap();
    let err = payload
        .call(&mut store, &[Val::FuncRef(None)], &mut [Val::I32(0)])
        .unwrap_err();
    assert!(
        err.to_string().contains("where exnref is expected"),
        "{err}"
    );
}
