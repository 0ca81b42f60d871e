//! `translate_module_parallel` gives the same IR, and the same error for an invalid module, as
//! the one-thread `translate_module_with`, whatever the number of threads.

use strata_decoder::{decode, Features};
use strata_ir::{translate_module_parallel, translate_module_with, TranslateOptions};

fn wasm_of(wat: &str) -> Vec<u8> {
    let buf = wast::parser::ParseBuffer::new(wat).expect("lex");
    let mut module = wast::parser::parse::<wast::Wat>(&buf).expect("parse");
    module.encode().expect("encode")
}

/// A module of `n` functions with about 250 bytes of code each; the functions in `invalid` add
/// an `f32` to an `i32`.
fn many_functions(n: usize, invalid: &[usize]) -> Vec<u8> {
    let mut wat = String::from("(module (memory 1)\n");
    for i in 0..n {
        wat.push_str(&String::from(
            "(func (param i32) (result i32) (local i32)\n",
        ));
        for k in 0..20 {
            wat.push_str(&format!(
                "local.get 0 i32.const {k} i32.add i32.load offset={i} local.get 1 i32.xor local.set 1\n"
            ));
        }
        if invalid.contains(&i) {
            wat.push_str("local.get 1 f32.const 1 i32.add drop\n");
        }
        wat.push_str("local.get 1)\n");
    }
    wat.push(')');
    wasm_of(&wat)
}

fn options() -> [TranslateOptions; 2] {
    [
        TranslateOptions::default(),
        TranslateOptions {
            fuel: true,
            interruptible: true,
        },
    ]
}

#[test]
fn the_large_benchmark_translates_the_same_on_any_number_of_threads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/programs/large.wasm");
    let bytes = std::fs::read(path).expect("bench/programs/large.wasm");
    let module = decode(&bytes, Features::WASM2).expect("decode");
    for options in options() {
        let one = translate_module_with(&module, options).expect("valid");
        for threads in [1, 2, 3, 8] {
            let many = translate_module_parallel(&module, options, threads).expect("valid");
            assert_eq!(many.funcs.len(), one.funcs.len());
            assert!(many.funcs == one.funcs, "{threads} threads, {options:?}");
        }
    }
}

#[test]
fn a_generated_module_translates_the_same_on_any_number_of_threads() {
    let bytes = many_functions(400, &[]);
    assert!(bytes.len() > 64 * 1024, "big enough to be split");
    let module = decode(&bytes, Features::WASM2).expect("decode");
    let one = translate_module_with(&module, TranslateOptions::default()).expect("valid");
    for threads in [2, 5] {
        let many = translate_module_parallel(&module, TranslateOptions::default(), threads)
            .expect("valid");
        assert!(many.funcs == one.funcs, "{threads} threads");
    }
}

#[test]
fn the_error_is_the_first_invalid_function_s() {
    let bytes = many_functions(400, &[170, 390]);
    let module = decode(&bytes, Features::WASM2).expect("decode");
    let one = translate_module_with(&module, TranslateOptions::default())
        .expect_err("invalid")
        .to_string();
    assert!(one.contains("function 170:"), "{one}");
    for threads in [2, 3, 8] {
        let many = translate_module_parallel(&module, TranslateOptions::default(), threads)
            .expect_err("invalid")
            .to_string();
        assert_eq!(many, one, "{threads} threads");
    }
}
