//! `cargo xtask test`: the CI gate. Runs, in order and stopping at the first failure:
//!
//! 1. `cargo fmt --all --check`
//! 2. `cargo clippy --workspace --all-targets -- -D warnings`
//! 3. `cargo test --workspace`
//! 4. spec-run of the default suites (v1, v2, simd) with no engine, in-process
//!
//! Progress and errors go to stderr, so stdout ends with the spec summary.

use std::process::ExitCode;
use std::time::Instant;

use strata_spec_tests::Options;

use crate::{cargo, spec_run};

/// What a step runs.
enum Action {
    /// `cargo` with these arguments.
    Cargo(&'static [&'static str]),
    /// The spec harness on its default suites, with no engine.
    SpecRun,
}

/// The gate's steps, in order: a name and what it runs.
const STEPS: &[(&str, Action)] = &[
    ("fmt", Action::Cargo(&["fmt", "--all", "--check"])),
    (
        "clippy",
        Action::Cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    ),
    ("test", Action::Cargo(&["test", "--workspace"])),
    ("spec-run", Action::SpecRun),
];

/// Runs every step; takes no arguments.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    if let Some(arg) = args.first() {
        return Err(format!("`test` takes no arguments (got `{arg}`)"));
    }
    cargo::ensure_fmt_and_clippy()?;
    let start = Instant::now();
    for (i, (name, action)) in STEPS.iter().enumerate() {
        let step_start = Instant::now();
        let command = match action {
            Action::Cargo(args) => format!("cargo {}", args.join(" ")),
            Action::SpecRun => "cargo xtask spec-run --suite v1 --suite v2 --suite simd".into(),
        };
        eprintln!("==> [{}/{}] {name}: {command}", i + 1, STEPS.len());
        let result = match action {
            Action::Cargo(args) => cargo::run(args),
            Action::SpecRun => match spec_run::run_options(&Options::default()) {
                Ok(code) if code == ExitCode::SUCCESS => Ok(()),
                Ok(_) => Err("spec directives failed (see the FAIL lines above)".into()),
                Err(e) => Err(e),
            },
        };
        if let Err(e) = result {
            eprintln!(
                "==> xtask test: step `{name}` FAILED after {:.1}s: {e}",
                step_start.elapsed().as_secs_f64()
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    eprintln!(
        "==> xtask test: all {} steps passed in {:.1}s",
        STEPS.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
