//! `strata run`: runs a command module's `_start` with WASI, or calls one export with
//! `--invoke` and prints its results.
//!
//! Exit status: the guest's `proc_exit` code (0 if `_start` returns); 134 with the trap message
//! and wasm backtrace on stderr if the guest traps; 1 with a one-line error if the module
//! cannot be loaded, compiled or linked.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use strata_decoder::{Ieee32, Ieee64};
use strata_runtime::{Backend, Config, Engine, Error, Func, Linker, Module, Store, Val, ValType};
use strata_wasi::{DirPerms, WasiCtx};

use crate::load::{self, CliError};

/// The exit status of a run that trapped (as wasmtime and a SIGABRT'd process report).
pub const TRAP_EXIT_STATUS: u8 = 134;

/// Which execution engine runs the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineChoice {
    /// The portable interpreter.
    Interp,
    /// The fastest engine available on this machine (the interpreter, for now).
    Auto,
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

/// Runs the module as `args` describe.
pub fn run(args: RunArgs) -> Result<Outcome, CliError> {
    let loaded = load::load(&args.file)?;
    let mut config = Config::default();
    config.backend(match args.engine {
        EngineChoice::Interp | EngineChoice::Auto => Backend::Interp,
    });
    let engine = Engine::new(&config);
    let module = Module::new(&engine, &loaded.bytes)
        .map_err(|e| CliError::new(format!("{}: {e}", loaded.path)))?;

    let wasi = build_wasi(&args, &loaded.path)?;
    let mut store = Store::new(&engine, wasi);
    let mut linker = Linker::new(&engine);
    strata_wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)
        .map_err(|e| CliError::new(format!("cannot set up WASI: {e}")))?;

    let instance = match linker.instantiate(&mut store, &module) {
        Ok(instance) => instance,
        Err(e) => return finish(e, &loaded.path),
    };

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
    store: &mut Store<WasiCtx>,
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
