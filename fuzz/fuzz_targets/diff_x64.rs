//! Differential: a random valid module (wasm-smith, restricted to what strata runs: WebAssembly
//! 2.0 with SIMD, bulk memory, reference types and multi-value, tail calls, extended constants
//! and, in half the modules, exception handling; no imports) behaves the same on the
//! interpreter and on the x64 JIT.
//!
//! Both engines meter fuel (deterministic and identical on both, which also bounds the run
//! time). Compared: whether the module compiles and instantiates (and the trap code if the start
//! function traps); for every exported function, called in export order with zero arguments,
//! its results (floats by NaN-ness where a NaN's bits are nondeterministic), its trap code and
//! the fuel left; then every exported memory's bytes, every exported global's value and every
//! exported table's size and entries. The engines run side by side, so the first difference
//! names the call that caused it.
#![no_main]

use std::sync::OnceLock;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use strata_runtime::{
    Backend, Config, Engine, Error, Extern, Features, Instance, Linker, Module, Store, StoreLimits,
    StoreLimitsBuilder, Val,
};

/// Fuel for the start function and for each call.
const FUEL: u64 = 20_000;

fn engine(backend: Backend) -> &'static Engine {
    static INTERP: OnceLock<Engine> = OnceLock::new();
    static X64: OnceLock<Engine> = OnceLock::new();
    let cell = match backend {
        Backend::X64 => &X64,
        _ => &INTERP,
    };
    cell.get_or_init(|| {
        let mut config = Config::new();
        config
            .backend(backend)
            .features(Config::DEFAULT_FEATURES | Features::EXCEPTIONS)
            .consume_fuel(true);
        Engine::new(&config)
    })
}

/// What wasm-smith may generate: strata's default feature set (WebAssembly 2.0 plus tail calls,
/// multi-memory and extended constants; not relaxed SIMD, whose results may differ) and, in
/// half the modules, exception handling (`throw`, `throw_ref`, `try_table`).
fn smith_config(u: &mut Unstructured<'_>) -> arbitrary::Result<wasm_smith::Config> {
    let mut c = wasm_smith::Config::default();
    c.max_imports = 0;
    c.max_memories = 2;
    c.max_tables = u.int_in_range(1..=3)?;
    c.max_memory32_bytes = 4 << 20;
    c.max_table_elements = 1000;
    c.max_funcs = 20;
    c.max_instructions = 200;
    c.export_everything = true;
    c.simd_enabled = true;
    c.bulk_memory_enabled = true;
    c.reference_types_enabled = true;
    c.multi_value_enabled = true;
    c.saturating_float_to_int_enabled = true;
    c.sign_extension_ops_enabled = true;
    c.relaxed_simd_enabled = false;
    c.exceptions_enabled = u.arbitrary()?;
    // At least one tag, so `throw` and the catch clauses have one to name.
    c.min_tags = usize::from(c.exceptions_enabled);
    c.gc_enabled = false;
    c.threads_enabled = false;
    c.shared_everything_threads_enabled = false;
    c.tail_call_enabled = true;
    c.memory64_enabled = false;
    c.extended_const_enabled = true;
    c.wide_arithmetic_enabled = false;
    c.custom_page_sizes_enabled = false;
    c.compact_imports_enabled = false;
    c.allow_floats = true;
    c.disallow_traps = u.ratio(1, 4)?;
    Ok(c)
}

/// A value as compared: floats' NaNs are equal whatever their bits (the spec lets an operation
/// pick any NaN's payload); references by address.
#[derive(Debug, PartialEq)]
enum Cmp {
    I32(i32),
    I64(i64),
    F32(Option<u32>),
    F64(Option<u64>),
    V128(u128),
    FuncRef(Option<String>),
    ExternRef(Option<String>),
    /// Whether the `exnref` is non-null (addresses differ between engines only by allocation order).
    ExnRef(bool),
}

fn cmp(v: &Val) -> Cmp {
    match *v {
        Val::I32(x) => Cmp::I32(x),
        Val::I64(x) => Cmp::I64(x),
        Val::F32(x) => Cmp::F32((!f32::from_bits(x.0).is_nan()).then_some(x.0)),
        Val::F64(x) => Cmp::F64((!f64::from_bits(x.0).is_nan()).then_some(x.0)),
        Val::V128(x) => Cmp::V128(x),
        Val::FuncRef(r) => Cmp::FuncRef(r.map(|a| format!("{a:?}"))),
        Val::ExternRef(r) => Cmp::ExternRef(r.map(|a| format!("{a:?}"))),
        Val::ExnRef(r) => Cmp::ExnRef(r.is_some()),
    }
}

/// How one step ended: its values, or the trap code (or the error's text if not a trap).
#[derive(Debug, PartialEq)]
enum Step {
    Ok(Vec<Cmp>),
    Err(String),
}

fn err(e: &Error) -> String {
    match e.trap_code() {
        Some(code) => format!("trap {code:?}"),
        None => format!("error {e}"),
    }
}

struct Side {
    store: Store<StoreLimits>,
    instance: Option<Instance>,
}

impl Side {
    fn new(backend: Backend, wasm: &[u8]) -> (Side, Step) {
        let engine = engine(backend);
        let limits = StoreLimitsBuilder::new()
            .memory_size(16 << 20)
            .table_elements(10_000)
            .build();
        let mut store = Store::new(engine, limits);
        store.limiter(|l| l);
        store.set_fuel(FUEL).unwrap();
        let module = match Module::new(engine, wasm) {
            Ok(m) => m,
            Err(e) => {
                let side = Side {
                    store,
                    instance: None,
                };
                return (side, Step::Err(format!("compile: {e}")));
            }
        };
        match Linker::new(engine).instantiate(&mut store, &module) {
            Ok(instance) => {
                let fuel = store.get_fuel().unwrap();
                let side = Side {
                    store,
                    instance: Some(instance),
                };
                (side, Step::Ok(vec![Cmp::I64(fuel as i64)]))
            }
            Err(e) => {
                let step = Step::Err(err(&e));
                let side = Side {
                    store,
                    instance: None,
                };
                (side, step)
            }
        }
    }

    fn exports(&self) -> Vec<(Box<str>, Extern)> {
        self.instance
            .map(|i| i.exports(&self.store))
            .unwrap_or_default()
    }

    /// Calls the function export `ext` with zero arguments and fresh fuel; `None` if it is not
    /// a function or cannot be called that way (a non-nullable reference parameter).
    fn call(&mut self, ext: &Extern) -> Option<(Step, u64)> {
        let func = ext.clone().into_func()?;
        let ty = func.ty(&self.store);
        let params: Option<Vec<Val>> = ty.params().iter().map(|&t| Val::default_for(t)).collect();
        let results: Option<Vec<Val>> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
        let (params, mut results) = (params?, results?);
        self.store.set_fuel(FUEL).unwrap();
        let step = match func.call(&mut self.store, &params, &mut results) {
            Ok(()) => Step::Ok(results.iter().map(cmp).collect()),
            Err(e) => Step::Err(err(&e)),
        };
        Some((step, self.store.get_fuel().unwrap()))
    }

    /// The state an export shows after the calls: values, and a memory's bytes.
    fn state(&self, ext: &Extern) -> (Vec<Cmp>, Vec<u8>) {
        let ext = ext.clone();
        if let Some(g) = ext.clone().into_global() {
            return (vec![cmp(&g.get(&self.store))], Vec::new());
        }
        if let Some(m) = ext.clone().into_memory() {
            return (Vec::new(), m.data(&self.store).to_vec());
        }
        if let Some(t) = ext.into_table() {
            let size = t.size(&self.store);
            let mut out = vec![Cmp::I64(size as i64)];
            out.extend((0..size).map(|i| t.get(&self.store, i).map_or(Cmp::I32(-1), |v| cmp(&v))));
            return (out, Vec::new());
        }
        (Vec::new(), Vec::new())
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(config) = smith_config(&mut u) else {
        return;
    };
    let Ok(module) = wasm_smith::Module::new(config, &mut u) else {
        return;
    };
    let wasm = module.to_bytes();
    if std::env::var_os("STRATA_DIFF_DUMP").is_some() {
        std::fs::write("diff_x64.wasm", &wasm).unwrap();
    }

    let (mut interp, a) = Side::new(Backend::Interp, &wasm);
    let (mut x64, b) = Side::new(Backend::X64, &wasm);
    assert_eq!(a, b, "instantiation differs (interp left, x64 right)");
    let exports = interp.exports();
    let x64_exports = x64.exports();
    assert_eq!(exports.len(), x64_exports.len());
    for ((name, ea), (_, eb)) in exports.iter().zip(&x64_exports) {
        let ra = interp.call(ea);
        let rb = x64.call(eb);
        assert_eq!(ra, rb, "call of `{name}` differs (interp left, x64 right)");
    }
    for ((name, ea), (_, eb)) in exports.iter().zip(&x64_exports) {
        let (va, ma) = interp.state(ea);
        let (vb, mb) = x64.state(eb);
        assert_eq!(va, vb, "export `{name}` differs (interp left, x64 right)");
        if ma != mb {
            let at = ma.iter().zip(&mb).position(|(p, q)| p != q);
            let show = |m: &[u8]| at.map(|i| m[i..m.len().min(i + 16)].to_vec());
            panic!(
                "memory `{name}` differs: sizes {} vs {}, first at {at:?}: interp {:?} vs x64 {:?}",
                ma.len(),
                mb.len(),
                show(&ma),
                show(&mb),
            );
        }
    }
});
