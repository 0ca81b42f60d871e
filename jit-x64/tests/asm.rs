//! Disassembled machine code of small functions, pinned with insta so a change in code quality
//! shows up in review as a diff of instructions.
//!
//! Each snapshot lists one function: its size, then its instructions (offset from the entry,
//! Intel syntax; direct calls as `call func N`) with a `; ir N: ...` line before the code of each
//! IR instruction. When code
//! generation changes on purpose, re-accept with `cargo insta test -p strata-jit-x64 --accept`
//! (or `INSTA_UPDATE=always cargo test -p strata-jit-x64 --test asm`) and review the diff.
#![cfg(all(target_arch = "x86_64", unix))]
#![allow(missing_docs)]

use std::fmt::Write as _;
use std::sync::Arc;

use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter, Mnemonic, OpKind};
use strata_decoder::Features;
use strata_ir::IrFunc;

fn wat(src: &str) -> Vec<u8> {
    let buf = wast::parser::ParseBuffer::new(src).unwrap();
    let mut m: wast::Wat = wast::parser::parse(&buf).unwrap();
    m.encode().unwrap()
}

/// The listing of the defined function `local` of the module `src` (no imports).
fn listing(src: &str, local: usize) -> String {
    let bytes = wat(src);
    let m = strata_decoder::decode(&bytes, Features::default()).unwrap();
    let funcs: Vec<Arc<IrFunc>> = strata_ir::translate_module(&m)
        .unwrap()
        .funcs
        .into_iter()
        .map(Arc::new)
        .collect();
    let module = strata_jit_x64::compile::compile(&funcs, 0).unwrap();
    let code = module.code(local);
    let starts = module.instr_starts(local);
    let instrs = &funcs[local].instrs;
    assert_eq!(starts.len(), instrs.len() + 1);
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    let mut out = format!("{} bytes\n; prologue\n", code.len());
    let mut formatter = IntelFormatter::new();
    let options = formatter.options_mut();
    options.set_hex_prefix("0x");
    options.set_hex_suffix("");
    options.set_uppercase_hex(false);
    options.set_branch_leading_zeros(false);
    options.set_signed_immediate_operands(true);
    options.set_space_after_operand_separator(true);
    let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut instruction = Instruction::default();
    let mut text = String::new();
    // Where each function starts relative to this one, so direct calls can name their callee.
    let base = code.as_ptr() as i64;
    let entries: Vec<u64> = (0..funcs.len())
        .map(|j| (module.code(j).as_ptr() as i64).wrapping_sub(base) as u64)
        .collect();
    let mut next = 0;
    while decoder.can_decode() {
        let at = decoder.position();
        while next < starts.len() && starts[next] as usize <= at {
            match instrs.get(next) {
                Some(i) => writeln!(out, "; ir {next}: {i}").unwrap(),
                None => writeln!(out, "; out of line").unwrap(),
            }
            next += 1;
        }
        decoder.decode_out(&mut instruction);
        assert!(!instruction.is_invalid(), "undecodable code at {at:#x}");
        text.clear();
        let callee = entries.iter().position(|&e| {
            instruction.mnemonic() == Mnemonic::Call
                && instruction.op0_kind() == OpKind::NearBranch64
                && instruction.near_branch_target() == e
        });
        match callee {
            Some(j) => write!(text, "call func {j}").unwrap(),
            None => formatter.format(&instruction, &mut text),
        }
        writeln!(out, "{at:4x}  {text}").unwrap();
    }
    assert_eq!(
        next,
        starts.len(),
        "every IR instruction's start was listed"
    );
    out
}

#[test]
fn add() {
    insta::assert_snapshot!(listing(
        "(module (func (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))",
        0
    ));
}

#[test]
fn sum_loop() {
    insta::assert_snapshot!(listing(
        r#"(module (func (param i32) (result i32) (local i32)
            (loop $l
              (local.set 1 (i32.add (local.get 1) (local.get 0)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br_if $l (i32.gt_s (local.get 0) (i32.const 0))))
            (local.get 1)))"#,
        0
    ));
}

#[test]
fn load_store() {
    insta::assert_snapshot!(listing(
        r#"(module (memory 1) (func (param i32) (result i32)
            (i32.store offset=4 (local.get 0) (i32.const 7))
            (i32.load offset=4 (local.get 0))))"#,
        0
    ));
}

#[test]
fn call() {
    insta::assert_snapshot!(listing(
        r#"(module
            (func $sq (param i64) (result i64) (i64.mul (local.get 0) (local.get 0)))
            (func (param i64 i64) (result i64)
              (i64.add (call $sq (local.get 0)) (call $sq (local.get 1)))))"#,
        1
    ));
}

#[test]
fn f64_arith() {
    insta::assert_snapshot!(listing(
        r#"(module (func (param f64 f64) (result f64)
            (f64.div (f64.mul (local.get 0) (local.get 1)) (f64.add (local.get 1) (f64.const 1)))))"#,
        0
    ));
}

#[test]
fn f64_loop() {
    // Hot `f64` locals live in `xmm5`-`xmm15`; the compare and `br_if` fuse into `ucomisd; jcc`.
    insta::assert_snapshot!(listing(
        r#"(module (func (param f64 i32) (result f64) (local f64)
            (loop $l
              (local.set 2 (f64.add (local.get 2) (f64.mul (local.get 0) (local.get 0))))
              (local.set 0 (f64.sqrt (local.get 2)))
              (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
              (br_if $l (f64.lt (local.get 0) (f64.convert_i32_s (local.get 1)))))
            (local.get 2)))"#,
        0
    ));
}
