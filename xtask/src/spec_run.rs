//! `cargo xtask spec-run [--suite NAME]... [--engine none|interp|x64] [--file SUBSTR]`.
//!
//! Runs the harness in-process (no second build of `strata-spec-tests`). Stdout gets one line
//! per file and ends with the summary; the exit code is non-zero if any directive failed.

use std::io::{self, Write};
use std::process::ExitCode;

use strata_spec_tests::Options;

/// Parses `args` and runs the selected suites.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let options = Options::parse(args.iter().cloned())?;
    run_options(&options)
}

/// Runs the suites `options` selects, printing to stdout.
pub fn run_options(options: &Options) -> Result<ExitCode, String> {
    if !options.engine.is_available() {
        // Fail before printing anything: no file could run.
        return Err(options
            .engine
            .create()
            .err()
            .unwrap_or_else(|| format!("engine `{}` is not available", options.engine)));
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let summary = strata_spec_tests::run(options, &mut out)
        .map_err(|e| format!("cannot write the report: {e}"))?;
    out.flush()
        .map_err(|e| format!("cannot write the report: {e}"))?;
    Ok(if summary.is_pass() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
