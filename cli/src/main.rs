//! # strata (the command-line tool)
//!
//! `strata validate FILE` checks a module; `strata inspect FILE` lists its sections, imports and
//! exports, and `--ir FUNC` prints a function's IR. Running modules (`strata run`) arrives with
//! the runtime and WASI.
//!
//! Exit status: 0 on success, 1 for a module that cannot be read, is malformed or invalid
//! (with a one-line error naming the problem), 2 for a usage error (from clap).

mod inspect;
mod load;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// strata: a WebAssembly runtime.
#[derive(Debug, Parser)]
#[command(name = "strata", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decodes and validates a module (binary .wasm or text .wat).
    Validate {
        /// The module to check.
        file: PathBuf,
    },
    /// Prints a module's sections, imports and exports, or a function's IR.
    Inspect {
        /// The module to inspect.
        file: PathBuf,
        /// Print the IR of this function (an index, an export name, or a name from the
        /// `name` section).
        #[arg(long, value_name = "FUNC")]
        ir: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { file } => load::load(&file).and_then(|m| {
            load::validate(&m)?;
            println!("{}: valid", file.display());
            Ok(())
        }),
        Command::Inspect { file, ir } => {
            load::load(&file).and_then(|m| inspect::inspect(&m, ir.as_deref()))
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
