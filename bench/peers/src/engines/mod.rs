//! The engines under test, behind one trait: strata's backends (the interpreter, the x64
//! single-pass compiler) and the peers (wasmi, wasmtime with Cranelift, wasmtime with Winch).
//!
//! Each adapter uses its engine's own embedding API the way an embedder would: compile a
//! module once, create a store, instantiate, look up a typed export, call it. Every
//! measurement here runs in a child process (see `child.rs`), so an engine that panics or
//! is not ready yet costs one cell of the table, not the run.

mod strata;
mod wasmi;
mod wasmtime;

use std::time::Duration;

/// What the harness needs from an engine. Errors are strings: they only end up in the report.
pub trait Engine {
    /// Compiles `wasm` eagerly (decode, validate, translate every function) and drops it.
    fn compile(&self, wasm: &[u8]) -> Result<(), String>;

    /// Compiles `wasm` once, then calls its `run(n)` export `warmup + runs` times, each in a
    /// fresh store and instance (instantiation is not timed). Returns the checksum (the same
    /// on every call, or an error) and the timed calls' durations.
    fn run(
        &self,
        wasm: &[u8],
        n: i32,
        warmup: u32,
        runs: u32,
    ) -> Result<(i64, Vec<Duration>), String>;

    /// Compiles `wasm` once, then creates a store and instantiates it `iters` times (dropping
    /// each); returns the total time.
    fn instantiate(&self, wasm: &[u8], iters: u32) -> Result<Duration, String>;

    /// Calls the export `add(i32, i32) -> i32` of the calls module `iters` times from Rust;
    /// returns the total time.
    fn host_to_wasm(&self, wasm: &[u8], iters: u32) -> Result<Duration, String>;

    /// Calls the export `call_host(iters)` of the calls module, which calls the import
    /// `env.host_add(i32, i32) -> i32` `iters` times; returns the time of that one call.
    fn wasm_to_host(&self, wasm: &[u8], iters: u32) -> Result<Duration, String>;
}

/// The engines, in the table's column order: strata's first, then the peers.
pub const ENGINES: &[&str] = &[
    "strata-interp",
    "strata-x64",
    "wasmi",
    "wasmtime-cranelift",
    "wasmtime-winch",
];

/// The engines whose numbers strata is compared with.
pub const PEERS: &[&str] = &["wasmi", "wasmtime-cranelift", "wasmtime-winch"];

/// Each strata engine's rivals, the peers of its kind: the ratio columns of the tables compare
/// these pairs (the interpreter with the interpreter, the compiler with the compilers).
pub const RIVALS: &[(&str, &[&str])] = &[
    ("strata-interp", &["wasmi"]),
    ("strata-x64", &["wasmtime-winch", "wasmtime-cranelift"]),
];

/// The engine named `name`, or `None`.
pub fn by_name(name: &str) -> Option<Box<dyn Engine>> {
    Some(match name {
        "strata-interp" => Box::new(strata::Strata::new(strata_runtime::Backend::Interp)),
        "strata-x64" => Box::new(strata::Strata::new(strata_runtime::Backend::X64)),
        "wasmi" => Box::new(wasmi::Wasmi),
        "wasmtime-cranelift" => Box::new(wasmtime::Wasmtime::cranelift()),
        "wasmtime-winch" => Box::new(wasmtime::Wasmtime::winch()),
        _ => return None,
    })
}

/// Checks that every call returned the same checksum.
fn same_checksum(first: &mut Option<i64>, got: i64) -> Result<(), String> {
    match *first {
        None => {
            *first = Some(got);
            Ok(())
        }
        Some(want) if want == got => Ok(()),
        Some(want) => Err(format!(
            "run() returned {got} after returning {want}: not deterministic"
        )),
    }
}

/// The host function the calls module imports, the same on every engine.
fn host_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}
