//! `strata run`: runs a command module's `_start` with WASI, or calls one export with
//! `--invoke` and prints its results.
//!
//! Exit status: the guest's `proc_exit` code (0 if `_start` returns); 134 with the trap message
//! and wasm backtrace on stderr if the guest traps (running out of `--fuel` and passing the
//! `--timeout` are traps too); 1 with a one-line error if the module cannot be loaded, compiled
//! or linked.
//!
//! Compiled modules are cached (see [`crate::cache`]) unless `--no-cache` is given.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use strata_decoder::{Ieee32, Ieee64};
use strata_runtime::{
    Backend, Config, Engine, Error, Func, Linker, Module, Store, StoreLimits, StoreLimitsBuilder,
    Val, ValType,
};
use strata_wasi::{DirPerms, WasiCtx};

use crate::cache::Cache;
use crate::load::{self, CliError};

/// The exit status of a run that trapped (as wasmtime and a SIGABRT'd process report).
pub const TRAP_EXIT_STATUS: u8 = 134;

/// Which execution engine runs the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineChoice {
    /// The portable interpreter.
    Interp,
    /// The x86_64 compiler (x86_64 unix hosts, in a build with the `jit-x64` feature).
    X64,
    /// The fastest engine built for this machine: x64 where available, else the interpreter.
    Auto,
}

impl EngineChoice {
    /// The runtime backend this choice selects; `x64` where it is not built is an error.
    fn backend(self) -> Result<Backend, CliError> {
        match self {
            EngineChoice::Interp => Ok(Backend::Interp),
            EngineChoice::X64 if Backend::X64_AVAILABLE => Ok(Backend::X64),
            EngineChoice::X64 => Err(CliError::new(format!(
                "--engine x64: this strata was built without the x64 compiler (it needs an \
                 x86_64 unix host and the `jit-x64` feature; this host is {}); use --engine \
                 interp",
                std::env::consts::ARCH
            ))),
            EngineChoice::Auto => Ok(Backend::Auto),
        }
    }
}

/// `strata run`'s options.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Grant access to a host directory, as `HOST` or `HOST::GUEST` (repeatable).
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Set an environment variable for the guest, as `NAME=VALUE` (repeatable).
    #[arg(long = "env", value_name = "NAME=VALUE")]
    envs: Vec<String>,
    /// Call this exported function instead of `_start`, passing ARGS as its parameters, and
    /// print its results.
    #[arg(long, value_name = "NAME")]
    invoke: Option<String>,
    /// The execution engine.
    #[arg(long, value_enum, default_value_t = EngineChoice::Auto)]
    engine: EngineChoice,
    /// Run with this much fuel: each WebAssembly operator costs one unit (structure, locals and
    /// constants are free); running out traps with `all fuel consumed by WebAssembly`.
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// Stop the guest (a trap: `interrupted`) after this long, e.g. `10s`, `500ms`, `2m`.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    timeout: Option<Duration>,
    /// The most bytes each linear memory may have, e.g. `65536`, `64KiB`, `16MiB`, `1GiB`;
    /// `memory.grow` past it returns -1 (default 4GiB).
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    max_memory: Option<u64>,
    /// Where compiled modules are cached (default `$XDG_CACHE_HOME/strata`, else
    /// `~/.cache/strata`).
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    cache_dir: Option<PathBuf>,
    /// Do not read or write the compiled-module cache.
    #[arg(long)]
    no_cache: bool,
    /// Define every function import that neither WASI nor anything else provides as a
    /// function that traps when called, instead of refusing to instantiate (for modules that
    /// import hooks they never call, e.g. a browser embedding's).
    #[arg(long)]
    trap_unknown_imports: bool,
    /// The module to run (binary .wasm or text .wat).
    file: PathBuf,
    /// Arguments for the guest program (or for the invoked function).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// How a run ended, for the process exit status.
pub enum Outcome {
    /// The guest finished (or exited) with this status.
    Exit(u8),
}

/// What the store holds: the WASI context and the resource limits.
pub struct Host {
    wasi: WasiCtx,
    limits: StoreLimits,
}

/// Runs the module as `args` describe.
pub fn run(args: RunArgs) -> Result<Outcome, CliError> {
    let loaded = load::load(&args.file)?;
    let mut config = Config::default();
    config
        .backend(args.engine.backend()?)
        // Metering and interruption checks are compiled in only when asked for: zero cost
        // otherwise.
        .consume_fuel(args.fuel.is_some())
        .interruptible(args.timeout.is_some());
    let engine = Engine::new(&config);
    let cache = if args.no_cache {
        None
    } else {
        args.cache_dir
            .clone()
            .or_else(Cache::default_dir)
            .map(Cache::new)
    };
    let module = match &cache {
        Some(cache) => cache.load_or_compile(&engine, &loaded.bytes),
        None => Module::new(&engine, &loaded.bytes),
    }
    .map_err(|e| CliError::new(format!("{}: {e}", loaded.path)))?;

    let mut limits = StoreLimitsBuilder::new();
    if let Some(bytes) = args.max_memory {
        limits = limits.memory_size(usize::try_from(bytes).unwrap_or(usize::MAX));
    }
    let host = Host {
        wasi: build_wasi(&args, &loaded.path)?,
        limits: limits.build(),
    };
    let mut store = Store::new(&engine, host);
    store.limiter(|host| &mut host.limits);
    if let Some(fuel) = args.fuel {
        store.set_fuel(fuel).expect("fuel is enabled");
    }
    if let Some(timeout) = args.timeout {
        // The deadline covers instantiation (the start function) and the run.
        store
            .set_deadline(timeout)
            .expect("interruption is enabled");
    }
    let mut linker = Linker::new(&engine);
    strata_wasi::add_to_linker(&mut linker, |host: &mut Host| &mut host.wasi)
        .map_err(|e| CliError::new(format!("cannot set up WASI: {e}")))?;
    if args.trap_unknown_imports {
        linker
            .define_unknown_imports_as_traps(&module)
            .map_err(|e| CliError::new(format!("{}: {e}", loaded.path)))?;
    }

    let instance = match linker.instantiate(&mut store, &module) {
        Ok(instance) => instance,
        Err(e) => return finish(e, &loaded.path),
    };

    // A WASI reactor (a library module) exports `_initialize`, which must run before any other
    // export is called.
    if let Some(init) = instance.get_func(&store, "_initialize") {
        if let Err(e) = init.call(&mut store, &[], &mut []) {
            return finish(e, &loaded.path);
        }
    }

    if let Some(name) = &args.invoke {
        let func = instance.get_func(&store, name).ok_or_else(|| {
            CliError::new(format!("{}: no exported function `{name}`", loaded.path))
        })?;
        return invoke(&mut store, func, name, &args.args, &loaded.path);
    }
    match instance.get_func(&store, "_start") {
        Some(start) => match start.call(&mut store, &[], &mut []) {
            Ok(()) => Ok(Outcome::Exit(0)),
            Err(e) => finish(e, &loaded.path),
        },
        // A module without `_start` ran its start function (if any) during instantiation.
        None => Ok(Outcome::Exit(0)),
    }
}

/// The WASI context: argv (the file name, then the guest's arguments), environment,
/// preopened directories, inherited standard streams.
fn build_wasi(args: &RunArgs, path: &str) -> Result<WasiCtx, CliError> {
    let mut b = WasiCtx::builder();
    b.inherit_stdio();
    b.arg(path);
    if args.invoke.is_none() {
        b.args(&args.args);
    }
    for env in &args.envs {
        let (name, value) = env
            .split_once('=')
            .ok_or_else(|| CliError::new(format!("--env {env}: expected NAME=VALUE")))?;
        b.env(name, value);
    }
    for dir in &args.dirs {
        let (host, guest) = dir.split_once("::").unwrap_or((dir.as_str(), dir.as_str()));
        b.preopened_dir(host, guest, DirPerms::ReadWrite)
            .map_err(|e| CliError::new(format!("--dir {dir}: cannot open {host}: {e}")))?;
    }
    Ok(b.build())
}

/// Maps how the guest stopped to an outcome: an exit status, or a trap printed to stderr.
fn finish(e: Error, path: &str) -> Result<Outcome, CliError> {
    if let Some(code) = strata_wasi::exit_status(&e) {
        return Ok(Outcome::Exit((code & 0xff) as u8));
    }
    match e {
        Error::Trap(trap) => {
            eprintln!("error: {path}: wasm trap: {trap}");
            Ok(Outcome::Exit(TRAP_EXIT_STATUS))
        }
        e => Err(CliError::new(format!("{path}: {e}"))),
    }
}

/// Calls `func` with `raw` parsed per its parameter types and prints each result on a line.
fn invoke(
    store: &mut Store<Host>,
    func: Func,
    name: &str,
    raw: &[String],
    path: &str,
) -> Result<Outcome, CliError> {
    let ty = func.ty(&*store);
    if raw.len() != ty.params().len() {
        return Err(CliError::new(format!(
            "`{name}` takes {} argument(s), {} given",
            ty.params().len(),
            raw.len()
        )));
    }
    let params = ty
        .params()
        .iter()
        .zip(raw)
        .map(|(t, s)| parse_val(*t, s))
        .collect::<Result<Vec<_>, _>>()?;
    let mut results: Vec<Val> = ty
        .results()
        .iter()
        .map(|t| Val::default_for(*t).unwrap_or(Val::I32(0)))
        .collect();
    match func.call(&mut *store, &params, &mut results) {
        Ok(()) => {
            for r in &results {
                println!("{}", format_val(r));
            }
            Ok(Outcome::Exit(0))
        }
        Err(e) => finish(e, path),
    }
}

/// Parses `10s`, `500ms`, `1.5s`, `2m`, `1h`, `250us`, `100ns` (a bare number is seconds).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration like 10s or 500ms"))?;
    let seconds = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1e3,
        "us" | "µs" => n / 1e6,
        "ns" => n / 1e9,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        other => {
            return Err(format!(
                "unknown duration unit `{other}` (use ns, us, ms, s, m, h)"
            ))
        }
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("`{s}`: {e}"))
}

/// Parses a byte count: `65536`, `64K`/`64KiB`, `16M`/`16MiB`, `1G`/`1GiB` (powers of 1024).
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a byte count like 65536 or 16MiB"))?;
    let scale: u64 = match unit.trim() {
        "" | "B" => 1,
        "K" | "KiB" | "k" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}` (use KiB, MiB, GiB)")),
    };
    n.checked_mul(scale)
        .ok_or_else(|| format!("`{s}` is too large"))
}

fn parse_val(ty: ValType, s: &str) -> Result<Val, CliError> {
    let bad = || CliError::new(format!("cannot parse `{s}` as {ty}"));
    Ok(match ty {
        ValType::I32 => Val::I32(
            s.parse::<i32>()
                .or_else(|_| s.parse::<u32>().map(|u| u as i32))
                .map_err(|_| bad())?,
        ),
        ValType::I64 => Val::I64(
            s.parse::<i64>()
                .or_else(|_| s.parse::<u64>().map(|u| u as i64))
                .map_err(|_| bad())?,
        ),
        ValType::F32 => Val::F32(Ieee32(s.parse::<f32>().map_err(|_| bad())?.to_bits())),
        ValType::F64 => Val::F64(Ieee64(s.parse::<f64>().map_err(|_| bad())?.to_bits())),
        _ => {
            return Err(CliError::new(format!(
                "cannot pass a {ty} from the command line"
            )))
        }
    })
}

fn format_val(v: &Val) -> String {
    match v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(x) => x.to_f32().to_string(),
        Val::F64(x) => x.to_f64().to_string(),
        Val::V128(x) => format!("{x:#034x}"),
        other => other.to_string(),
    }
}
