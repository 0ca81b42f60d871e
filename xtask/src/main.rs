//! `cargo xtask <command>`: strata's developer tasks.
//!
//! Commands:
//! - `test`: the full CI gate (fmt, clippy, tests, spec suite); see [`mod@test`].
//! - `spec-run`: runs the official spec suite; see [`spec_run`].
//! - `bench`: strata side by side with wasmi and wasmtime; see [`bench`].
//!
//! Each command lives in its own module; add one by adding a module and a `match` arm in
//! [`main`]. Arguments are parsed by hand.
#![forbid(unsafe_code)]

mod bench;
mod cargo;
mod spec_run;
mod test;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [args]

commands:
  test       cargo fmt --check, clippy -D warnings, cargo test, spec-run (v1, v2, simd, v3, memory64, exceptions)
  bench      strata vs wasmi and wasmtime (builds bench/peers): [--filter NAME] [--quick] [--help]
  spec-run   run the official spec suite:";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let result = match command.as_deref() {
        Some("test") => test::run(&rest),
        Some("spec-run") => spec_run::run(&rest),
        Some("bench") => bench::run(&rest),
        Some("help" | "-h" | "--help") | None => {
            print_usage();
            return if command.is_some() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Some(other) => Err(format!("unknown command `{other}`")),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!("(run `cargo xtask help` for usage)");
            ExitCode::FAILURE
        }
    }
}

fn print_usage() {
    eprintln!("{USAGE}");
    for line in strata_spec_tests::options::USAGE.lines() {
        eprintln!("{}", format!("             {line}").trim_end());
    }
}
