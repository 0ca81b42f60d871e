//! `strata inspect --asm FUNC`: one function's x86_64 machine code, disassembled, with the IR
//! instruction each stretch of code implements.

use std::fmt::Write as _;
use std::sync::Arc;

use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter, Mnemonic, OpKind};
use strata_ir::IrFunc;

/// Compiles the defined functions `funcs` (after `num_imported` imported ones) with the x64
/// compiler, with the bounds strategy `run` would use for a module whose memory 0 has type
/// `memory0`, and lists the code of defined function `local`: one instruction per line with its
/// offset from the function's entry, and a `; ir N: ...` comment line before the code of each
/// IR instruction. Direct calls name the function they call.
pub fn listing(
    funcs: Vec<IrFunc>,
    num_imported: u32,
    memory0: Option<strata_decoder::MemoryType>,
    local: usize,
) -> Result<String, String> {
    let funcs: Vec<Arc<IrFunc>> = funcs.into_iter().map(Arc::new).collect();
    let bounds = strata_jit_x64::Bounds::for_memory0(memory0);
    let module = strata_jit_x64::compile::compile_with(&funcs, num_imported, bounds)
        .map_err(|e| e.to_string())?;
    let code = module.code(local);
    let starts = module.instr_starts(local);
    let instrs = &funcs[local].instrs;
    let mut out = String::new();
    writeln!(out, "; {} bytes of x86_64 code", code.len()).unwrap();
    writeln!(out, "; prologue").unwrap();
    let mut formatter = IntelFormatter::new();
    formatter.options_mut().set_hex_prefix("0x");
    formatter.options_mut().set_hex_suffix("");
    formatter.options_mut().set_uppercase_hex(false);
    formatter.options_mut().set_signed_immediate_operands(true);
    formatter.options_mut().set_branch_leading_zeros(false);
    formatter
        .options_mut()
        .set_space_after_operand_separator(true);
    let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut instruction = Instruction::default();
    let mut text = String::new();
    // Where each defined function starts, relative to this one's entry (decoded at address 0).
    let base = code.as_ptr() as i64;
    let entries: Vec<u64> = (0..funcs.len())
        .map(|j| (module.code(j).as_ptr() as i64).wrapping_sub(base) as u64)
        .collect();
    // The next IR instruction whose comment is due (`instrs.len()` is the out-of-line code).
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
        text.clear();
        let callee = entries.iter().position(|&e| {
            instruction.mnemonic() == Mnemonic::Call
                && instruction.op0_kind() == OpKind::NearBranch64
                && instruction.near_branch_target() == e
        });
        match callee {
            Some(j) => write!(text, "call func {}", j as u32 + num_imported).unwrap(),
            None => formatter.format(&instruction, &mut text),
        }
        writeln!(out, "{at:6x}  {text}").unwrap();
    }
    Ok(out)
}
