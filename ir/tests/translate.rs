//! Snapshot tests: the IR translation of one small function per construct. Every change to
//! translation shows up here as a reviewed diff (`cargo insta review`, or `INSTA_UPDATE=always`).

use strata_decoder::{decode, Features};
use strata_ir::translate_module;

/// Translates the module written in `wat` and prints every function's IR.
fn ir_of(wat: &str) -> String {
    let buf = wast::parser::ParseBuffer::new(wat).expect("lex");
    let mut module = wast::parser::parse::<wast::Wat>(&buf).expect("parse");
    let bytes = module.encode().expect("encode");
    let module = decode(
        &bytes,
        Features::WASM2 | Features::TAIL_CALL | Features::FUNCTION_REFERENCES,
    )
    .expect("decode");
    let translated = translate_module(&module).expect("translate");
    translated
        .funcs
        .iter()
        .map(|f| f.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn add_with_constant_becomes_an_immediate() {
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param i32) (result i32) local.get 0 i32.const 7 i32.add))"#
    ));
}

#[test]
fn local_set_retargets_the_producer() {
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param i32 i32) (local i32)
            local.get 0 local.get 1 i32.mul local.set 2
            local.get 2 i32.const 1 i32.sub local.set 2))"#
    ));
}

#[test]
fn local_set_preserves_pending_reads() {
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param i32) (result i32)
            local.get 0 i32.const 5 local.set 0 local.get 0 i32.add))"#
    ));
}

#[test]
fn block_with_result_and_br_if() {
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param i32) (result i32)
            (block (result i32)
              (br_if 0 (i32.const 10) (local.get 0))
              drop
              (i32.const 20))))"#
    ));
}

#[test]
fn loop_with_fused_compare_and_branch() {
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param i32) (result i32) (local i32)
            (loop $l
              (local.set 1 (i32.add (local.get 1) (local.get 0)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br_if $l (i32.gt_s (local.get 0) (local.get 1))))
            local.get 1))"#
    ));
}

#[test]
fn compare_with_constant_and_branch_fuse() {
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param i32 i64) (result i32)
            (loop $l
              (local.set 0 (i32.add (local.get 0) (i32.const 3)))
              (br_if $l (i32.lt_u (local.get 0) (i32.const 100))))
            (if (i64.eqz (local.get 1)) (then (local.set 0 (i32.const 1))))
            (if (i64.gt_s (local.get 1) (i64.const -5)) (then (local.set 0 (i32.const 2))))
            local.get 0))"#
    ));
}

#[test]
fn stores_of_constants_take_an_immediate() {
    insta::assert_snapshot!(ir_of(
        r#"(module (memory 1) (func (param i32)
            (i32.store8 offset=4 (local.get 0) (i32.const 257))
            (i32.store (local.get 0) (i32.const -1))
            (i64.store (local.get 0) (i64.const -2))
            (i64.store (local.get 0) (i64.const 0x100000000))
            (i64.store32 (local.get 0) (i64.const 0x100000007))
            (f32.store (local.get 0) (f32.const 1))
            (f64.store (local.get 0) (f64.const 0))))"#
    ));
}

#[test]
fn address_adds_fold_into_loads_and_stores() {
    // Folded: an `i32.add` of a constant whose result only addresses the access (the value
    // stored may be a local or computed before the address; inside a loop too). Not folded:
    // a sum kept in a local (`local.tee`), a store whose value is computed after the address,
    // a wide constant store.
    insta::assert_snapshot!(ir_of(
        r#"(module (memory 1) (func (param i32 i32) (result i32)
            (i32.store offset=4 (i32.add (local.get 0) (i32.const 8)) (local.get 1))
            (i64.store16 (i32.add (local.get 0) (i32.const -1)) (i64.const 7))
            (f64.store (i32.add (local.get 0) (i32.const 16)) (f64.load (local.get 1)))
            (i32.store (i32.add (local.get 0) (i32.const 4)) (i32.const 9))
            (drop (i64.load8_s (local.tee 1 (i32.add (local.get 0) (i32.const 3)))))
            (drop (i32.load (i32.add (local.get 0) (i32.const 3))))
            (loop (result i32) (i32.load16_u offset=2 (i32.add (local.get 1) (i32.const 2))))))"#
    ));
}

#[test]
fn identity_immediates_emit_nothing() {
    // `x + 0`, `x - 0`, `x | 0`, `x ^ 0`, `x & -1`, `x * 1`, shifts by a multiple of the width:
    // the operand itself. `0 + t` keeps its instruction when `t` is a temporary above.
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param i32 i64) (result i32)
            (i32.add (local.get 0) (i32.const 0))
            (i32.sub (i32.const 0))
            (i32.or (i32.const 0))
            (i32.shl (i32.const 32))
            (i32.mul (i32.const 1))
            (drop (i64.and (i64.xor (i64.rotl (local.get 1) (i64.const 64)) (i64.const 0))
                           (i64.const -1)))
            (i32.add (i32.const 0) (i32.mul (local.get 0) (i32.const 3)))
            (i32.add)
            (i32.add (i32.const 1))))"#
    ));
}

#[test]
fn xorshift_steps_fuse() {
    // `x ^ (x >> c)` and `(x << c) ^ x` become one instruction; not when the other operand is
    // not the shifted value, nor for a signed shift.
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param i64 i32 i32) (result i64)
            (local.set 0 (i64.xor (local.get 0) (i64.shr_u (local.get 0) (i64.const 12))))
            (local.set 0 (i64.xor (i64.shl (local.get 0) (i64.const 25)) (local.get 0)))
            (local.set 1 (i32.xor (i32.shl (local.get 1) (i32.const 13)) (local.get 1)))
            (local.set 1 (i32.xor (local.get 1) (i32.shr_u (local.get 1) (i32.const 17))))
            (local.set 1 (i32.xor (local.get 2) (i32.shr_u (local.get 1) (i32.const 5))))
            (local.set 1 (i32.xor (local.get 1) (i32.shr_s (local.get 1) (i32.const 5))))
            (i64.add (local.get 0) (i64.extend_i32_u (local.get 1)))))"#
    ));
}

#[test]
fn if_else_with_result() {
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param i32) (result i64)
            (if (result i64) (i32.eqz (local.get 0))
              (then (i64.const 1))
              (else (i64.extend_i32_u (local.get 0))))))"#
    ));
}

#[test]
fn br_table_with_landing_pads() {
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param i32) (result i32)
            (block $a (result i32)
              (block $b (result i32)
                (br_table $a $b $a (i32.const 3) (local.get 0)))
              (i32.const 4)
              i32.add)))"#
    ));
}

#[test]
fn calls_pass_arguments_in_a_window() {
    insta::assert_snapshot!(ir_of(
        r#"(module
            (type $t (func (param i32) (result i32)))
            (table 1 funcref)
            (func $f (param i32 i64) (result i32) local.get 0)
            (func (param i32) (result i32)
              (call $f (local.get 0) (i64.const 9))
              (call_indirect (type $t) (local.get 0))))"#
    ));
}

#[test]
fn tail_calls_name_their_argument_window() {
    insta::assert_snapshot!(ir_of(
        r#"(module
            (type $t (func (param i32 i64) (result i32)))
            (table 1 funcref)
            (func $f (param i32 i64) (result i32)
              (if (i32.eqz (local.get 0)) (then (return_call $f (i32.const 1) (local.get 1))))
              (return_call_indirect (type $t) (local.get 0) (i64.const 2) (i32.const 0))))"#
    ));
}

#[test]
fn function_references_branch_on_null() {
    insta::assert_snapshot!(ir_of(
        r#"(module
            (type $ii (func (param i32) (result i32)))
            (func (param i32 (ref null $ii)) (result i32)
              (block $null (result i32)
                i32.const 100
                local.get 1
                br_on_null $null
                drop
                drop
                local.get 0
                local.get 1
                ref.as_non_null
                call_ref $ii
                return)
              drop
              (block $some (result (ref $ii))
                local.get 1
                br_on_non_null $some
                unreachable)
              local.set 1
              local.get 0
              local.get 1
              call_ref $ii))"#
    ));
}

#[test]
fn select_memory_and_globals() {
    insta::assert_snapshot!(ir_of(
        r#"(module (memory 1) (global $g (mut i32) (i32.const 0))
            (func (param i32) (result i32)
              (i32.store offset=8 (local.get 0) (global.get $g))
              (global.set $g (i32.load8_u offset=3 (local.get 0)))
              (select (local.get 0) (i32.const 1) (local.get 0))))"#
    ));
}

#[test]
fn multi_value_return_swaps_without_clobbering() {
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param i32 i32) (result i32 i32) local.get 1 local.get 0))"#
    ));
}

#[test]
fn unreachable_code_is_not_translated() {
    insta::assert_snapshot!(ir_of(
        r#"(module (func (result i32)
            (block (result i32) (br 0 (i32.const 1)) (i32.add (i32.const 2) (i32.const 3)))))"#
    ));
}

#[test]
fn simd_values_take_two_slots() {
    insta::assert_snapshot!(ir_of(
        r#"(module (memory 1) (func (param v128 i32) (result v128)
            (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
              (i32x4.add (local.get 0) (v128.load offset=16 (local.get 1)))
              (v128.const i64x2 1 2))))"#
    ));
}

/// Like [`ir_of`], with fuel metering and interruption checks.
fn metered_ir_of(wat: &str) -> String {
    let buf = wast::parser::ParseBuffer::new(wat).expect("lex");
    let mut module = wast::parser::parse::<wast::Wat>(&buf).expect("parse");
    let bytes = module.encode().expect("encode");
    let module = decode(
        &bytes,
        Features::WASM2 | Features::TAIL_CALL | Features::FUNCTION_REFERENCES,
    )
    .expect("decode");
    let options = strata_ir::TranslateOptions {
        fuel: true,
        interruptible: true,
    };
    let translated = strata_ir::translate_module_with(&module, options).expect("translate");
    translated.funcs[0].to_string()
}

#[test]
fn fuel_is_charged_per_basic_block() {
    insta::assert_snapshot!(metered_ir_of(
        r#"(module (func (param i32) (result i32) (local i32)
            (loop $l
              (local.set 1 (i32.add (local.get 1) (local.get 0)))
              (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
            (if (result i32) (local.get 1) (then (i32.const 1)) (else (i32.const 2)))))"#
    ));
}

#[test]
fn a_tail_call_window_beyond_the_frame_limit_fails_cleanly() {
    // 33 000 v128 parameters take 66 000 slots, past the 65 535 a frame can address.
    let params = " v128".repeat(33_000);
    let src = format!(
        r#"(module
            (func $f (param{params}))
            (func (param{params}) (return_call $f {args})))"#,
        args = (0..33_000)
            .map(|i| format!("(local.get {i}) "))
            .collect::<String>()
    );
    let buf = wast::parser::ParseBuffer::new(&src).expect("lex");
    let mut module = wast::parser::parse::<wast::Wat>(&buf).expect("parse");
    let bytes = module.encode().expect("encode");
    let module = decode(&bytes, Features::WASM2 | Features::TAIL_CALL).expect("decode");
    let err = translate_module(&module).expect_err("frame too large");
    assert!(err.to_string().contains("frame"), "{err}");
}

#[test]
fn constants_in_loops_are_hoisted_to_function_entry() {
    // Inside the loop, `2.5` (twice, one slot) and the `i64` that is too wide for an
    // immediate are read from slots written once before the body; outside a loop a constant
    // is written where it is used.
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param f64 i64) (result f64)
            (local.set 0 (f64.mul (local.get 0) (f64.const 3.0)))
            (loop $l
              (local.set 0 (f64.mul (local.get 0) (f64.const 2.5)))
              (local.set 0 (f64.add (local.get 0) (f64.const 2.5)))
              (local.set 1 (i64.mul (local.get 1) (i64.const 0x100000001b3)))
              (br_if $l (f64.lt (local.get 0) (f64.const 100.0))))
            local.get 0))"#
    ));
}

#[test]
fn float_compares_and_bit_tests_fuse_with_branches() {
    // `br_if` on a float comparison jumps on it; an `if` (negated) uses the `not_` form, which
    // also jumps on NaN. A branch on `x & imm` (or on its `eqz`) is one test-and-branch.
    insta::assert_snapshot!(ir_of(
        r#"(module (func (param f64 f32 i32 i64) (result i32)
            (loop $l
              (br_if $l (f64.lt (local.get 0) (f64.const 1.0)))
              (br_if $l (f32.ge (local.get 1) (local.get 1)))
              (br_if $l (i32.and (local.get 2) (i32.const 8)))
              (br_if $l (i64.eqz (i64.and (local.get 3) (i64.const 1))))
              (br_if $l (i32.eqz (i32.and (local.get 2) (i32.const 3)))))
            (if (f64.le (local.get 0) (local.get 0)) (then (local.set 2 (i32.const 1))))
            local.get 2))"#
    ));
}
