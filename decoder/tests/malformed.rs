//! One test per malformation rule of the binary-format chapter: each builds a small module by
//! hand and asserts the error's kind and byte offset.

use strata_decoder::{decode, DecodeErrorKind as K, Features, Module, Operator};

/// `\0asm` version 1.
const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/// A module: the header followed by `sections` (each `(id, payload)`, size computed).
fn module(sections: &[(u8, &[u8])]) -> Vec<u8> {
    let mut m = HEADER.to_vec();
    for (id, payload) in sections {
        m.push(*id);
        leb(&mut m, payload.len() as u64);
        m.extend_from_slice(payload);
    }
    m
}

/// Appends `v` as unsigned LEB128.
fn leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// The type section `(type (func))`.
const TYPE_SECTION: (u8, &[u8]) = (1, &[0x01, 0x60, 0x00, 0x00]);
/// A function section with one function of type 0.
const FUNC_SECTION: (u8, &[u8]) = (3, &[0x01, 0x00]);

/// A module with one `(func)` whose body (after the local declarations) is `code`.
fn with_body(code: &[u8]) -> Vec<u8> {
    let mut body = vec![0x00]; // no locals
    body.extend_from_slice(code);
    let mut section = vec![0x01];
    leb(&mut section, body.len() as u64);
    section.extend_from_slice(&body);
    module(&[TYPE_SECTION, FUNC_SECTION, (10, &section)])
}

/// Offset of the first byte of the body's code in a module built by [`with_body`]:
/// header (8) + type section (6) + function section (4) + code section id, size, count,
/// body size, local count (5).
const CODE_START: usize = 8 + 6 + 4 + 5;

/// Decodes `bytes` with `features` and returns the error's kind and offset.
#[track_caller]
fn err_with(bytes: &[u8], features: Features) -> (K, usize) {
    match decode(bytes, features) {
        Ok(_) => panic!("decoded a malformed module: {bytes:02x?}"),
        Err(e) => {
            assert!(e.offset() <= bytes.len());
            (e.kind(), e.offset())
        }
    }
}

#[track_caller]
fn err(bytes: &[u8]) -> (K, usize) {
    err_with(bytes, Features::WASM2)
}

/// Decodes a module built by [`with_body`] and returns the error of reading its operators.
#[track_caller]
fn body_err_with(code: &[u8], features: Features) -> (K, usize) {
    let bytes = with_body(code);
    let m: Module<'_> = decode(&bytes, features).expect("the module itself is well formed");
    let mut ops = m.code[0].operators();
    loop {
        match ops.read() {
            Ok(_) => continue,
            Err(e) => return (e.kind(), e.offset()),
        }
    }
}

#[track_caller]
fn body_err(code: &[u8]) -> (K, usize) {
    body_err_with(code, Features::WASM2)
}

#[test]
fn the_helpers_build_valid_modules() {
    let bytes = with_body(&[0x41, 0x2a, 0x1a, 0x0b]); // i32.const 42, drop, end
    let m = decode(&bytes, Features::WASM2).unwrap();
    assert_eq!(m.code[0].code_offset(), CODE_START);
    let ops: Vec<_> = {
        let mut r = m.code[0].operators();
        std::iter::from_fn(|| (!r.eof()).then(|| r.read().unwrap())).collect()
    };
    assert_eq!(
        ops,
        [
            Operator::I32Const { value: 42 },
            Operator::Drop {},
            Operator::End {}
        ]
    );
}

// ---- header ----------------------------------------------------------------------------

#[test]
fn header() {
    assert_eq!(err(&[]), (K::UnexpectedEnd, 0));
    assert_eq!(err(b"\0as"), (K::UnexpectedEnd, 3));
    assert_eq!(err(b"\0asn\x01\0\0\0"), (K::MagicHeader, 0));
    assert_eq!(err(b"\0asm\x02\0\0\0"), (K::UnknownBinaryVersion, 4));
    assert_eq!(err(b"\0asm\x01\0\0"), (K::UnexpectedEnd, 7));
    assert!(decode(&HEADER, Features::WASM2).is_ok());
}

// ---- LEB128 ----------------------------------------------------------------------------

#[test]
fn u32_too_long() {
    // Function section count 1 written with six bytes.
    let m = module(&[
        TYPE_SECTION,
        (3, &[0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00]),
    ]);
    // The fifth byte still has its continuation bit: offset 8 + 6 + 2 + 4.
    assert_eq!(err(&m), (K::IntegerTooLong, 20));
}

#[test]
fn u32_too_large() {
    let m = module(&[TYPE_SECTION, (3, &[0x81, 0x80, 0x80, 0x80, 0x10, 0x00])]);
    assert_eq!(err(&m), (K::IntegerTooLarge, 20));
    // The largest u32 fits: the section is then just too short.
    let m = module(&[TYPE_SECTION, (3, &[0xff, 0xff, 0xff, 0xff, 0x0f])]);
    assert_eq!(err(&m), (K::UnexpectedEndOfSection, 16));
}

#[test]
fn i32_too_long_and_too_large() {
    // i32.const with six bytes.
    let code = [0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b];
    assert_eq!(body_err(&code), (K::IntegerTooLong, CODE_START + 5));
    // i32.const whose unused bits are not a sign extension.
    let code = [0x41, 0xff, 0xff, 0xff, 0xff, 0x4f, 0x1a, 0x0b];
    assert_eq!(body_err(&code), (K::IntegerTooLarge, CODE_START + 5));
    let code = [0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x1a, 0x0b];
    assert_eq!(body_err(&code), (K::IntegerTooLarge, CODE_START + 5));
}

#[test]
fn i64_too_long_and_too_large() {
    let mut code = vec![0x42];
    code.extend([0x80; 10]);
    code.extend([0x00, 0x1a, 0x0b]);
    assert_eq!(body_err(&code), (K::IntegerTooLong, CODE_START + 10));
    let mut code = vec![0x42];
    code.extend([0xff; 9]);
    code.extend([0x01, 0x1a, 0x0b]); // positive, but bit 64 set without sign extension
    assert_eq!(body_err(&code), (K::IntegerTooLarge, CODE_START + 10));
    let mut code = vec![0x42];
    code.extend([0x80; 9]);
    code.extend([0x7f, 0x1a, 0x0b]); // i64::MIN
    assert_eq!(
        decode(&with_body(&code), Features::WASM2).unwrap().code[0]
            .operators()
            .read()
            .unwrap(),
        Operator::I64Const { value: i64::MIN }
    );
}

#[test]
fn s33_block_type_too_long_and_too_large() {
    // block with a type index written with six bytes.
    let code = [0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b, 0x0b];
    assert_eq!(body_err(&code), (K::IntegerTooLong, CODE_START + 5));
    // A 33-bit index whose unused bits are set.
    let code = [0x02, 0x80, 0x80, 0x80, 0x80, 0x20, 0x0b, 0x0b];
    assert_eq!(body_err(&code), (K::IntegerTooLarge, CODE_START + 5));
    // A negative index that is no value type.
    let code = [0x02, 0x80, 0x7f, 0x0b, 0x0b];
    assert_eq!(body_err(&code), (K::MalformedValueType, CODE_START + 1));
}

// ---- sections --------------------------------------------------------------------------

#[test]
fn section_out_of_order() {
    let m = module(&[FUNC_SECTION, TYPE_SECTION]);
    assert_eq!(err(&m), (K::SectionOutOfOrder, 12));
    // The data count section goes before the code section.
    let m = module(&[
        TYPE_SECTION,
        FUNC_SECTION,
        (10, &[0x01, 0x02, 0x00, 0x0b]),
        (12, &[0x00]),
    ]);
    assert_eq!(err(&m), (K::SectionOutOfOrder, 24));
}

#[test]
fn duplicate_section() {
    let m = module(&[TYPE_SECTION, TYPE_SECTION]);
    assert_eq!(err(&m), (K::SectionOutOfOrder, 14));
    // Custom sections may repeat anywhere.
    let m = module(&[(0, b"\x01a"), TYPE_SECTION, (0, b"\x01a"), (0, b"\x01b")]);
    let decoded = decode(&m, Features::WASM2).unwrap();
    assert_eq!(decoded.customs.len(), 3);
}

#[test]
fn malformed_section_id() {
    assert_eq!(err(&module(&[(14, &[])])), (K::MalformedSectionId, 8));
    // The tag section exists only with exceptions.
    let m = module(&[(13, &[0x00])]);
    assert_eq!(err(&m), (K::MalformedSectionId, 8));
    assert!(decode(&m, Features::WASM3).is_ok());
}

#[test]
fn section_size_mismatch() {
    // Type section declares 5 bytes but its one type takes 4.
    let m = module(&[(1, &[0x01, 0x60, 0x00, 0x00, 0x00])]);
    assert_eq!(err(&m), (K::SectionSizeMismatch, 14));
    // Section content shorter than its items.
    let m = module(&[(1, &[0x01, 0x60, 0x00])]);
    assert_eq!(err(&m), (K::UnexpectedEndOfSection, 13));
    // Section size beyond the end of the module.
    let mut m = HEADER.to_vec();
    m.extend([0x01, 0x10, 0x00]);
    assert_eq!(err(&m), (K::LengthOutOfBounds, 10));
}

#[test]
fn trailing_bytes_and_unexpected_end() {
    // A lone section id at the end.
    let mut m = module(&[TYPE_SECTION]);
    m.push(0x03);
    assert_eq!(err(&m), (K::UnexpectedEnd, 15));
    // A vector count larger than the section.
    let m = module(&[(1, &[0x05, 0x60, 0x00, 0x00])]);
    assert_eq!(err(&m), (K::UnexpectedEndOfSection, 10));
}

#[test]
fn function_and_code_count_mismatch() {
    // Function section without a code section: reported at the end of the module.
    let m = module(&[TYPE_SECTION, FUNC_SECTION]);
    assert_eq!(err(&m), (K::FunctionAndCodeInconsistent, m.len()));
    // Code section with two bodies for one function: reported at the code count.
    let m = module(&[
        TYPE_SECTION,
        FUNC_SECTION,
        (10, &[0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b]),
    ]);
    assert_eq!(err(&m), (K::FunctionAndCodeInconsistent, 20));
    // A code section without a function section.
    let m = module(&[TYPE_SECTION, (10, &[0x01, 0x02, 0x00, 0x0b])]);
    assert_eq!(err(&m), (K::FunctionAndCodeInconsistent, 16));
    // A duplicate code section is reported as such, before the count mismatch.
    let code: (u8, &[u8]) = (10, &[0x01, 0x02, 0x00, 0x0b]);
    let m = module(&[TYPE_SECTION, (3, &[0x02, 0x00, 0x00]), code, code]);
    assert_eq!(err(&m), (K::SectionOutOfOrder, 25));
}

#[test]
fn data_count_mismatch() {
    let memory: (u8, &[u8]) = (5, &[0x01, 0x00, 0x01]);
    let data: (u8, &[u8]) = (11, &[0x01, 0x01, 0x00]); // one passive segment, empty
                                                       // Memory: bytes 8..=12, data count: 13..=15, data section: id 16, size 17, count 18.
    let m = module(&[memory, (12, &[0x02]), data]);
    assert_eq!(err(&m), (K::DataCountInconsistent, 18));
    // A data count without a data section.
    let m = module(&[memory, (12, &[0x01])]);
    assert_eq!(err(&m), (K::DataCountInconsistent, m.len()));
    // A zero data count needs no data section.
    let m = module(&[memory, (12, &[0x00])]);
    assert_eq!(decode(&m, Features::WASM2).unwrap().data_count, Some(0));
    let m = module(&[memory, (12, &[0x01]), data]);
    assert_eq!(decode(&m, Features::WASM2).unwrap().data.len(), 1);
}

// ---- names -----------------------------------------------------------------------------

#[test]
fn bad_utf8_names() {
    // Import module name "\xff".
    let m = module(&[(2, &[0x01, 0x01, 0xff, 0x00, 0x00, 0x00])]);
    assert_eq!(err(&m), (K::MalformedUtf8, 12));
    // Export name with a truncated two-byte sequence.
    let m = module(&[(7, &[0x01, 0x01, 0xc3, 0x00, 0x00])]);
    assert_eq!(err(&m), (K::MalformedUtf8, 12));
    // Custom section name with an overlong encoding of '/'.
    let m = module(&[(0, &[0x02, 0xc0, 0xaf])]);
    assert_eq!(err(&m), (K::MalformedUtf8, 11));
    // A name longer than the section.
    let m = module(&[(0, &[0x05, b'a'])]);
    assert_eq!(err(&m), (K::LengthOutOfBounds, 11));
}

#[test]
fn malformed_name_section_is_ignored() {
    // A `name` section whose function-name subsection is truncated still decodes.
    let m = module(&[(0, b"\x04name\x01\x05\x01\x00\x03ab")]);
    let decoded = decode(&m, Features::WASM2).unwrap();
    assert!(decoded.names.functions.is_empty());
    assert_eq!(decoded.customs[0].name, "name");
}

// ---- operators -------------------------------------------------------------------------

#[test]
fn unknown_opcodes() {
    assert_eq!(body_err(&[0x06, 0x0b]), (K::IllegalOpcode, CODE_START));
    assert_eq!(
        body_err(&[0x41, 0x00, 0xff, 0x0b]),
        (K::IllegalOpcode, CODE_START + 2)
    );
    // Prefixed opcodes outside the table.
    assert_eq!(
        body_err(&[0xfc, 0x12, 0x0b]),
        (K::IllegalOpcode, CODE_START)
    );
    assert_eq!(
        body_err(&[0xfd, 0x9a, 0x01, 0x0b]),
        (K::IllegalOpcode, CODE_START)
    );
    // A proposal that is not enabled: return_call in 2.0, relaxed SIMD in 2.0.
    assert_eq!(
        body_err(&[0x12, 0x00, 0x0b]),
        (K::IllegalOpcode, CODE_START)
    );
    assert_eq!(
        body_err(&[0xfd, 0x80, 0x02, 0x0b]),
        (K::IllegalOpcode, CODE_START)
    );
    assert!(matches!(
        decode(&with_body(&[0x12, 0x00, 0x0b]), Features::WASM3)
            .unwrap()
            .code[0]
            .operators()
            .read(),
        Ok(Operator::ReturnCall { func: 0 })
    ));
    // Sign extension is not in 1.0.
    assert_eq!(
        body_err_with(&[0xc0, 0x0b], Features::WASM1),
        (K::IllegalOpcode, CODE_START)
    );
}

#[test]
fn body_ends_inside_an_operator() {
    // i32.const without its immediate, at the end of the body.
    assert_eq!(
        body_err(&[0x41]),
        (K::UnexpectedEndOfSection, CODE_START + 1)
    );
    // Reading past the final operator.
    assert_eq!(
        body_err(&[0x0b]),
        (K::UnexpectedEndOfSection, CODE_START + 1)
    );
}

#[test]
fn reserved_bytes() {
    // memory.size with a non-zero (or overlong zero) reserved byte in 2.0.
    assert_eq!(
        body_err(&[0x3f, 0x01, 0x1a, 0x0b]),
        (K::ZeroByteExpected, CODE_START + 1)
    );
    assert_eq!(
        body_err(&[0x3f, 0x80, 0x00, 0x1a, 0x0b]),
        (K::ZeroByteExpected, CODE_START + 1)
    );
    // In 3.0 it is a memory index.
    let bytes = with_body(&[0x3f, 0x01, 0x1a, 0x0b]);
    let m = decode(&bytes, Features::WASM3).unwrap();
    assert_eq!(
        m.code[0].operators().read(),
        Ok(Operator::MemorySize { mem: 1 })
    );
}

#[test]
fn memarg_flags() {
    // Alignment 2^32 cannot be written before multi-memory.
    assert_eq!(
        body_err(&[0x28, 0x20, 0x00, 0x0b]),
        (K::MalformedMemopFlags, CODE_START + 1)
    );
    // With multi-memory bit 6 announces a memory index; 128 and above are malformed.
    let bytes = with_body(&[0x28, 0x42, 0x03, 0x07, 0x0b]);
    let m = decode(&bytes, Features::WASM3).unwrap();
    match m.code[0].operators().read().unwrap() {
        Operator::I32Load { memarg } => {
            assert_eq!((memarg.align, memarg.memory, memarg.offset), (2, 3, 7))
        }
        op => panic!("{op:?}"),
    }
    assert_eq!(
        body_err_with(&[0x28, 0x80, 0x01, 0x00, 0x0b], Features::WASM3),
        (K::MalformedMemopFlags, CODE_START + 1)
    );
}

#[test]
fn too_many_locals() {
    // Two runs of 2^31 locals. Code section payload at 20: count, body size, run count (22),
    // first run (23..=28), second run's count at 29.
    let code = [
        0x01, 0x0e, 0x02, 0x80, 0x80, 0x80, 0x80, 0x08, 0x7f, 0x80, 0x80, 0x80, 0x80, 0x08, 0x7f,
        0x0b,
    ];
    let m = module(&[TYPE_SECTION, FUNC_SECTION, (10, &code)]);
    assert_eq!(err(&m), (K::TooManyLocals, 29));
    // One run of 2^32 - 1 is fine.
    let code = [0x01, 0x08, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b];
    let m = module(&[TYPE_SECTION, FUNC_SECTION, (10, &code)]);
    assert_eq!(
        decode(&m, Features::WASM2).unwrap().code[0].num_locals,
        u32::MAX
    );
}

// ---- types -----------------------------------------------------------------------------

#[test]
fn limits_flags() {
    // Memory limits flag 2 (shared) and 4 (memory64) are malformed in 2.0 (flags at byte 11).
    assert_eq!(
        err(&module(&[(5, &[0x01, 0x02, 0x00])])),
        (K::IntegerTooLarge, 11)
    );
    assert_eq!(
        err(&module(&[(5, &[0x01, 0x04, 0x00])])),
        (K::IntegerTooLarge, 11)
    );
    assert_eq!(
        err(&module(&[(5, &[0x01, 0x81, 0x00])])),
        (K::IntegerTooLong, 11)
    );
    // In 3.0, 4 and 5 are 64-bit limits; 2 (shared) and 8 stay malformed.
    let m = module(&[(5, &[0x01, 0x05, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10])]);
    let decoded = decode(&m, Features::WASM3).unwrap();
    assert!(decoded.memories[0].ty.memory64);
    assert_eq!(decoded.memories[0].ty.limits.max, Some(1 << 32));
    let m = module(&[(5, &[0x01, 0x02, 0x00])]);
    assert_eq!(err_with(&m, Features::WASM3), (K::MalformedLimitsFlags, 11));
    let m = module(&[(5, &[0x01, 0x08, 0x00])]);
    assert_eq!(err_with(&m, Features::WASM3), (K::MalformedLimitsFlags, 11));
    // Table limits too.
    assert_eq!(
        err(&module(&[(4, &[0x01, 0x70, 0x02, 0x00])])),
        (K::IntegerTooLarge, 12)
    );
}

#[test]
fn limits_bounds_are_u32_in_2_0_and_u64_in_3_0() {
    let m = module(&[(5, &[0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10])]);
    assert_eq!(err(&m), (K::IntegerTooLarge, 16));
    let decoded = decode(&m, Features::WASM3).unwrap();
    assert_eq!(decoded.memories[0].ty.limits.min, 1 << 32);
    assert!(!decoded.memories[0].ty.memory64);
}

#[test]
fn mutability() {
    // Global of type i32 with mutability 2.
    let m = module(&[(6, &[0x01, 0x7f, 0x02, 0x41, 0x00, 0x0b])]);
    assert_eq!(err(&m), (K::MalformedMutability, 12));
    // Imported global with mutability 0xff.
    let m = module(&[(2, &[0x01, 0x01, b'm', 0x01, b'g', 0x03, 0x7f, 0xff])]);
    assert_eq!(err(&m), (K::MalformedMutability, 17));
}

#[test]
fn value_and_reference_types() {
    // A parameter of type 0x7a.
    let m = module(&[(1, &[0x01, 0x60, 0x01, 0x7a, 0x00])]);
    assert_eq!(err(&m), (K::MalformedValueType, 13));
    // anyref is a value type only with GC.
    let m = module(&[(1, &[0x01, 0x60, 0x01, 0x6e, 0x00])]);
    assert_eq!(err(&m), (K::MalformedValueType, 13));
    assert!(decode(&m, Features::WASM3).is_ok());
    // A table of i32.
    let m = module(&[(4, &[0x01, 0x7f, 0x00, 0x00])]);
    assert_eq!(err(&m), (K::MalformedReferenceType, 11));
    // Unknown type form.
    let m = module(&[(1, &[0x01, 0x61, 0x00, 0x00])]);
    assert_eq!(err(&m), (K::MalformedTypeForm, 11));
}

#[test]
fn import_and_export_kinds() {
    let m = module(&[(2, &[0x01, 0x01, b'm', 0x01, b'f', 0x05, 0x00])]);
    assert_eq!(err(&m), (K::MalformedImportKind, 15));
    // Tags only with exceptions.
    let m = module(&[(7, &[0x01, 0x01, b'e', 0x04, 0x00])]);
    assert_eq!(err(&m), (K::MalformedExportKind, 13));
    assert_eq!(decode(&m, Features::WASM3).unwrap().exports[0].index, 0);
}

// ---- segments --------------------------------------------------------------------------

#[test]
fn element_segment_kinds() {
    // Section payloads start at byte 10 (header, id, size): the count, then the first flags.
    // Flags 8 do not exist.
    let m = module(&[(9, &[0x01, 0x08, 0x00])]);
    assert_eq!(err(&m), (K::MalformedElementsSegmentKind, 11));
    // Flags 1 (passive, function indices) with elemkind 1.
    let m = module(&[(9, &[0x01, 0x01, 0x01, 0x00])]);
    assert_eq!(err(&m), (K::MalformedElementsSegmentKind, 12));
    // Flags 1 are not MVP.
    let m = module(&[(9, &[0x01, 0x01, 0x00, 0x00])]);
    assert_eq!(
        err_with(&m, Features::WASM1),
        (K::MalformedElementsSegmentKind, 11)
    );
    assert!(decode(&m, Features::WASM2).is_ok());
    // Flags written as a large LEB128.
    let m = module(&[(9, &[0x01, 0x80, 0x80, 0x80, 0x80, 0x10])]);
    assert_eq!(err(&m), (K::IntegerTooLarge, 15));
}

#[test]
fn data_segment_kinds() {
    let memory: (u8, &[u8]) = (5, &[0x01, 0x00, 0x01]);
    // Memory section: bytes 8..=12; data section: id 13, size 14, count 15, flags 16.
    let m = module(&[memory, (11, &[0x01, 0x03, 0x00])]);
    assert_eq!(err(&m), (K::MalformedDataSegmentKind, 16));
    // Passive data is not MVP.
    let m = module(&[memory, (11, &[0x01, 0x01, 0x00])]);
    assert_eq!(
        err_with(&m, Features::WASM1),
        (K::MalformedDataSegmentKind, 16)
    );
    // Data bytes beyond the section.
    let m = module(&[memory, (11, &[0x01, 0x01, 0x05, 0x00])]);
    assert_eq!(err(&m), (K::UnexpectedEndOfSection, 18));
}

#[test]
fn const_expr_without_end() {
    // Global initialiser `i32.const 0` running into the end of the section.
    let m = module(&[(6, &[0x01, 0x7f, 0x00, 0x41, 0x00])]);
    assert_eq!(err(&m), (K::UnexpectedEndOfSection, 15));
}
