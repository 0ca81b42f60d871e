//! `strata inspect`: sections, imports and exports, or one function's IR or machine code.

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

/// What `strata inspect` prints.
pub enum What<'a> {
    /// Sections, imports and exports.
    Summary,
    /// The IR of this function.
    Ir(&'a str),
    /// The x86_64 machine code of this function.
    Asm(&'a str),
}

/// Prints the module summary, or one function's IR or machine code.
pub fn inspect(m: &Loaded, what: What<'_>) -> Result<(), CliError> {
    let module =
        decode(&m.bytes, FEATURES).map_err(|e| CliError::new(format!("{}: {e}", m.path)))?;
    match what {
        What::Ir(func) => print_ir(m, &module, func),
        What::Asm(func) => print_asm(m, &module, func),
        What::Summary => {
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

/// Resolves `func` to a defined function and translates the module: the IR functions, the
/// number of imported functions and `func`'s position among the defined ones.
fn translate(
    m: &Loaded,
    module: &Module<'_>,
    func: &str,
) -> Result<(Vec<strata_ir::IrFunc>, u32, usize), CliError> {
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
    let local = (index - imported) as usize;
    if local >= translated.funcs.len() {
        return Err(CliError::new(format!("{}: no function {index}", m.path)));
    }
    Ok((translated.funcs, imported, local))
}

fn print_ir(m: &Loaded, module: &Module<'_>, func: &str) -> Result<(), CliError> {
    let (funcs, _, local) = translate(m, module, func)?;
    print!("{}", funcs[local]);
    Ok(())
}

#[cfg(all(feature = "jit-x64", target_arch = "x86_64", unix))]
fn print_asm(m: &Loaded, module: &Module<'_>, func: &str) -> Result<(), CliError> {
    let (funcs, imported, local) = translate(m, module, func)?;
    let memory0 = module
        .imports
        .iter()
        .find_map(|i| match i.ty {
            strata_decoder::ImportType::Memory(ty) => Some(ty),
            _ => None,
        })
        .or_else(|| module.memories.first().map(|m| m.ty));
    let listing = crate::asm::listing(funcs, imported, memory0, local)
        .map_err(|e| CliError::new(format!("{}: {e}", m.path)))?;
    print!("{listing}");
    Ok(())
}

#[cfg(not(all(feature = "jit-x64", target_arch = "x86_64", unix)))]
fn print_asm(_: &Loaded, _: &Module<'_>, _: &str) -> Result<(), CliError> {
    Err(CliError::new(format!(
        "--asm: this strata was built without the x64 compiler (it needs an x86_64 unix host \
         and the `jit-x64` feature; this host is {})",
        std::env::consts::ARCH
    )))
}
