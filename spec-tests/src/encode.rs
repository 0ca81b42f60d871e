//! Turning a directive's module (text, quoted text or binary) into the bytes strata judges.
//!
//! The `wast` crate encodes text with the newest binary format. One of its choices is not
//! WebAssembly 1.0: an element segment with an explicit table index (the desugared
//! `(table funcref (elem ...))`, or `(elem 0 ...)`) is written with the 2.0 segment flag `2`
//! even for table 0. When bulk memory is off (the `v1` suite), such segments are rewritten
//! to the 1.0 form (flag `0`) so the text the suite wrote in 1.0 stays a 1.0 binary.
//!
//! The `wast` crate also accepts the 3.0 text format's 64-bit memory offsets. Without
//! memory64 (1.0 and 2.0), an offset above `u32::MAX` is malformed *text* ("i32 constant"), so
//! such a module is reported as [`Encoded::TextError`], never encoded into a 64-bit LEB.

use strata_decoder::Features;
use wast::core::{ElemKind, ElemPayload, FuncKind, Module, ModuleField, ModuleKind};
use wast::parser::{self, ParseBuffer};
use wast::token::Index;
use wast::{QuoteWat, QuoteWatTest, Wat};

/// The binary of a directive's module.
#[derive(Debug)]
pub enum Encoded {
    /// The module's bytes.
    Bytes(Vec<u8>),
    /// A component, not a core module.
    Component,
    /// The `wast` crate could not turn the text into a binary; its message.
    TextError(String),
}

/// Encodes `module` for judging with `features`.
pub fn encode_quote(module: &mut QuoteWat<'_>, features: Features) -> Encoded {
    let result = match module {
        QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_)) => {
            return Encoded::Component
        }
        QuoteWat::Wat(Wat::Module(m)) => encode_module(m, features).map_err(Some),
        QuoteWat::QuoteModule(..) => match module.to_test() {
            Ok(QuoteWatTest::Text(text)) => encode_text(&text, features),
            Ok(QuoteWatTest::Binary(bytes)) => Ok(bytes),
            Err(e) => Err(Some(e.message())),
        },
    };
    match result {
        Ok(bytes) => Encoded::Bytes(bytes),
        Err(Some(e)) => Encoded::TextError(e),
        Err(None) => Encoded::Component,
    }
}

/// Parses and encodes quoted module text. `Err(None)` means it was a component.
fn encode_text(text: &[u8], features: Features) -> Result<Vec<u8>, Option<String>> {
    let text = std::str::from_utf8(text).map_err(|_| "malformed UTF-8 encoding".to_string())?;
    let buf = ParseBuffer::new(text).map_err(|e| e.message())?;
    match parser::parse::<Wat<'_>>(&buf).map_err(|e| e.message())? {
        Wat::Module(mut m) => Ok(encode_module(&mut m, features)?),
        Wat::Component(_) => Err(None),
    }
}

/// Encodes a core module (text or `binary`) for judging with `features`.
pub fn encode_module(module: &mut Module<'_>, features: Features) -> Result<Vec<u8>, String> {
    if !features.contains(Features::MEMORY64) {
        if let ModuleKind::Text(fields) = &mut module.kind {
            check_32_bit_offsets(fields)?;
        }
    }
    if !features.contains(Features::BULK_MEMORY) {
        if let ModuleKind::Text(_) = module.kind {
            module.resolve().map_err(|e| e.message())?;
            if let ModuleKind::Text(fields) = &mut module.kind {
                use_mvp_element_segments(fields);
            }
        }
    }
    module.encode().map_err(|e| e.message())
}

/// Rejects memory offsets that only the 3.0 text format (memory64) can express.
fn check_32_bit_offsets(fields: &mut [ModuleField<'_>]) -> Result<(), String> {
    for field in fields {
        let ModuleField::Func(func) = field else {
            continue;
        };
        let FuncKind::Inline { expression, .. } = &mut func.kind else {
            continue;
        };
        for instr in expression.instrs.iter_mut() {
            if let Some(memarg) = instr.memarg_mut() {
                if memarg.offset > u64::from(u32::MAX) {
                    return Err(format!(
                        "i32 constant out of range: offset={} needs memory64",
                        memarg.offset
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Drops the explicit table index 0 of active function-index segments, so they encode with
/// the 1.0 flag `0`. `fields` must be resolved (indices are numbers).
fn use_mvp_element_segments(fields: &mut [ModuleField<'_>]) {
    for field in fields {
        if let ModuleField::Elem(elem) = field {
            if let (ElemKind::Active { table, .. }, ElemPayload::Indices(_)) =
                (&mut elem.kind, &elem.payload)
            {
                if matches!(table, Some(Index::Num(0, _))) {
                    *table = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, features: Features) -> Vec<u8> {
        let buf = ParseBuffer::new(text).unwrap();
        let mut quote = parser::parse::<QuoteWat<'_>>(&buf).unwrap();
        match encode_quote(&mut quote, features) {
            Encoded::Bytes(bytes) => bytes,
            other => panic!("{other:?}"),
        }
    }

    /// The element section's bytes: `09 <size> <count> <flags> ...`.
    fn elem_section(bytes: &[u8]) -> &[u8] {
        let mut i = 8;
        while bytes[i] != 9 {
            i += 2 + bytes[i + 1] as usize;
        }
        &bytes[i..i + 2 + bytes[i + 1] as usize]
    }

    #[test]
    fn inline_table_elements_are_mvp_without_bulk_memory() {
        let text = "module (func $f) (table funcref (elem $f))";
        let v1 = encode(text, Features::WASM1);
        assert_eq!(elem_section(&v1), [9, 7, 1, 0, 0x41, 0, 0x0b, 1, 0]);
        let v2 = encode(text, Features::WASM2);
        assert_eq!(
            elem_section(&v2)[3],
            2,
            "2.0 keeps the wast crate's encoding"
        );
    }

    #[test]
    fn offsets_above_u32_are_text_errors_without_memory64() {
        let text = r#"module quote "(memory 1)" "(func (drop (i32.load offset=4294967296 (i32.const 0))))""#;
        let encode = |features| {
            let buf = ParseBuffer::new(text).unwrap();
            let mut quote = parser::parse::<QuoteWat<'_>>(&buf).unwrap();
            encode_quote(&mut quote, features)
        };
        assert!(matches!(encode(Features::WASM2), Encoded::TextError(_)));
        assert!(matches!(encode(Features::WASM3), Encoded::Bytes(_)));
    }

    #[test]
    fn quoted_text_is_rewritten_too() {
        let text = r#"module quote "(func $f) (table funcref (elem $f))""#;
        let v1 = encode(text, Features::WASM1);
        assert_eq!(elem_section(&v1)[3], 0);
    }
}
