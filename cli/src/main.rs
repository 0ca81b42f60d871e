//! # strata (the command-line tool)
//!
//! - `strata run [--dir HOST[::GUEST]] [--env NAME=VALUE] [--invoke NAME] FILE [ARGS]...` runs
//!   a command module's `_start` with WASI, or calls one export and prints its results.
//! - `strata validate FILE` checks a module.
//! - `strata inspect FILE` lists its sections, imports and exports; `--ir FUNC` prints a
//!   function's IR, `--asm FUNC` its x86_64 machine code.
//! - `strata completions SHELL` prints a completion script (bash, zsh, fish, elvish,
//!   powershell).
//!
//! Exit status: the guest's `proc_exit` code for `run`; 134 when the guest traps (the trap
//! message and wasm backtrace go to stderr); 1 for a module that cannot be read, is malformed or
//! invalid, or does not link (a one-line error naming the problem); 2 for a usage error (from
//! clap). A bug in strata itself is reported in one line too, never as a Rust panic message.

#[cfg(all(feature = "jit-x64", target_arch = "x86_64", unix))]
mod asm;
mod cache;
mod inspect;
mod load;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use clap_complete::Shell;

/// strata: a WebAssembly runtime.
#[derive(Debug, Parser)]
#[command(name = "strata", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs a WebAssembly module: its `_start` (with WASI), or one export with `--invoke`.
    Run(run::RunArgs),
    /// Decodes and validates a module (binary .wasm or text .wat).
    Validate {
        /// The module to check.
        file: PathBuf,
    },
    /// Prints a module's sections, imports and exports, or a function's IR or machine code.
    Inspect {
        /// The module to inspect.
        file: PathBuf,
        /// Print the IR of this function (an index, an export name, or a name from the
        /// `name` section).
        #[arg(long, value_name = "FUNC", conflicts_with = "asm")]
        ir: Option<String>,
        /// Print the x86_64 machine code of this function (same forms as `--ir`),
        /// disassembled, with the IR instruction each stretch of code implements.
        #[arg(long, value_name = "FUNC")]
        asm: Option<String>,
    },
    /// Prints a shell completion script, e.g. `strata completions bash > /etc/bash_completion.d/strata`.
    Completions {
        /// The shell.
        shell: Shell,
    },
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("error: internal error in strata (please report it): {msg}");
    }));
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => match run::run(args) {
            Ok(run::Outcome::Exit(code)) => return ExitCode::from(code),
            Err(e) => Err(e),
        },
        Command::Validate { file } => load::load(&file).and_then(|m| {
            load::validate(&m)?;
            println!("{}: valid", file.display());
            Ok(())
        }),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "strata", &mut std::io::stdout());
            Ok(())
        }
        Command::Inspect { file, ir, asm } => {
            let what = match (&ir, &asm) {
                (Some(f), _) => inspect::What::Ir(f),
                (_, Some(f)) => inspect::What::Asm(f),
                (None, None) => inspect::What::Summary,
            };
            load::load(&file).and_then(|m| inspect::inspect(&m, what))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
