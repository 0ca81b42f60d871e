//! `strata inspect`: sections, imports and exports, or one function's IR.

use strata_decoder::{decode, ImportType, Module, Reader};

use crate::load::{CliError, Loaded, FEATURES};

const SECTION_NAMES: [&str; 14] = [
    "custom",
    "type",
    "import",
    "function",
    "table",
    "memory",
    "global",
    "export",
    "start",
    "element",
    "code",
    "data",
    "datacount",
    "tag",
];

/// Prints the module summary, or the IR of `ir_func` if given.
pub fn inspect(m: &Loaded, ir_func: Option<&str>) -> Result<(), CliError> {
    let module =
        decode(&m.bytes, FEATURES).map_err(|e| CliError::new(format!("{}: {e}", m.path)))?;
    match ir_func {
        Some(func) => print_ir(m, &module, func),
        None => {
            print_summary(m, &module);
            Ok(())
        }
    }
}

fn print_summary(m: &Loaded, module: &Module<'_>) {
    println!("{}: {} bytes", m.path, m.bytes.len());
    println!("sections:");
    let mut r = Reader::new(&m.bytes[8..], 8, FEATURES);
    while !r.eof() {
        let at = r.offset();
        let (Ok(id), Ok(size)) = (r.read_u8(), r.read_var_u32()) else {
            break;
        };
        let name = SECTION_NAMES.get(id as usize).copied().unwrap_or("unknown");
        let mut extra = String::new();
        if id == 0 {
            let mut peek = r.clone();
            if let Ok(n) = peek.read_name() {
                extra = format!(" \"{n}\"");
            }
        }
        println!("  {at:#08x} {name}{extra} ({size} bytes)");
        if r.skip(size as usize).is_err() {
            break;
        }
    }
    println!("imports: {}", module.imports.len());
    for imp in &module.imports {
        let what = match imp.ty {
            ImportType::Func(t) => format!("func (type {t})"),
            ImportType::Table(t) => format!("table {}", t.element),
            ImportType::Memory(t) => format!("memory {} pages", t.limits.min),
            ImportType::Global(g) => format!("global {}", g.content),
            ImportType::Tag(t) => format!("tag (type {})", t.func_type),
        };
        println!("  {}.{}: {what}", imp.module, imp.name);
    }
    println!("exports: {}", module.exports.len());
    for e in &module.exports {
        println!("  {}: {} {}", e.name, e.kind, e.index);
    }
    println!(
        "functions: {} imported, {} defined",
        module.num_imported_funcs(),
        module.functions.len()
    );
}

/// Resolves `func` (index, export name or name-section name) to a function index.
fn find_func(module: &Module<'_>, func: &str) -> Option<u32> {
    if let Ok(i) = func.parse::<u32>() {
        return Some(i);
    }
    if let Some(e) = module
        .exports
        .iter()
        .find(|e| e.name == func && e.kind == strata_decoder::ExternalKind::Func)
    {
        return Some(e.index);
    }
    module
        .names
        .functions
        .iter()
        .find(|(_, n)| *n == func)
        .map(|(i, _)| *i)
}

fn print_ir(m: &Loaded, module: &Module<'_>, func: &str) -> Result<(), CliError> {
    let index = find_func(module, func)
        .ok_or_else(|| CliError::new(format!("{}: no function named {func}", m.path)))?;
    let imported = module.num_imported_funcs();
    if index < imported {
        return Err(CliError::new(format!(
            "{}: function {index} is imported and has no body",
            m.path
        )));
    }
    let translated = strata_ir::translate_module(module)
        .map_err(|e| CliError::new(format!("{}: {e}", m.path)))?;
    let ir = translated
        .funcs
        .get((index - imported) as usize)
        .ok_or_else(|| CliError::new(format!("{}: no function {index}", m.path)))?;
    print!("{ir}");
    Ok(())
}
