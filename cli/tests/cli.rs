//! The `strata` binary as a user sees it: exit codes and messages.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn strata(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .output()
        .expect("run strata")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn validate_accepts_a_valid_text_module() {
    let out = strata(&["validate", fixture("add.wat").to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("add.wat: valid\n"));
}

#[test]
fn validate_rejects_an_invalid_module_with_one_line() {
    let out = strata(&["validate", fixture("invalid.wat").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("type mismatch"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn validate_names_the_offset_of_a_malformed_module() {
    let out = strata(&["validate", fixture("truncated.wasm").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("malformed module at offset 0x"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = strata(&["validate", "/nonexistent/x.wasm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: cannot read /nonexistent/x.wasm"));
}

#[test]
fn inspect_lists_sections_and_exports() {
    let out = strata(&["inspect", fixture("add.wat").to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains(" type ("), "{s}");
    assert!(s.contains(" code ("), "{s}");
    assert!(s.contains("  add: func 0"), "{s}");
    assert!(s.contains("functions: 0 imported, 1 defined"), "{s}");
}

#[test]
fn inspect_ir_prints_the_translated_function() {
    let out = strata(&[
        "inspect",
        fixture("add.wat").to_str().unwrap(),
        "--ir",
        "add",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("i32.add dst=s0, lhs=s0, rhs=s1"), "{s}");
    assert!(s.contains("return"), "{s}");
}

#[test]
fn unknown_flags_are_usage_errors() {
    let out = strata(&["validate", "--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unexpected argument"));
}
